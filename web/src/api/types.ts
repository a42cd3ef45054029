// Wire types of the OpenMSO HTTP API (docs/openapi.yaml is the authority), shared by the
// API client and the feature pages. They mirror the JSON exactly; nothing is renamed.

export type Role =
  | 'mso_admin'
  | 'facility_manager'
  | 'credentialing'
  | 'billing'
  | 'clinician'
  | 'auditor';

export interface User {
  id: number;
  email: string;
  display_name: string;
  role: Role;
  facility_ids: number[];
  active?: boolean;
  clinician_id?: number | null;
}

export interface UserRecord extends User {
  active: boolean;
}

export interface LoginResponse {
  token: string;
  csrf_token: string;
  expires_at: string;
  idle_expires_at: string;
  user: User;
}

export interface SessionResponse {
  user: User;
  csrf_token: string;
  expires_at: string;
  idle_expires_at: string;
}

export interface Address {
  line1: string;
  city: string;
  state: string;
  postal_code: string;
}

export interface Facility {
  id: number;
  name: string;
  type: string;
  address: Address;
  location: { latitude: number; longitude: number };
  time_zone: string;
  state: string;
  monthly_fee_cents?: number;
  go_live_date?: string | null;
  unit_count: number;
}

export interface Unit {
  id: number;
  facility_id: number;
  name: string;
  kind: string;
}

export interface AuditEvent {
  seq: number;
  at: string;
  actor_user_id: number | null;
  actor_role: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | number | null;
  facility_id: number | null;
  request_id: string | null;
  client_ip: string | null;
  outcome: 'success' | 'denied' | 'invalid' | 'failure' | 'locked' | 'error' | (string & {});
  hash?: string;
}

export interface AuditPage {
  items: AuditEvent[];
  next_before: number | null;
}

export interface Items<T> {
  items: T[];
}

/** RFC 9457 problem details as the server sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; code: string; message: string }[];
}

/** A message pushed over the /api/v1/events WebSocket. */
export interface LiveEvent {
  type: string;
  at?: string;
  [key: string]: unknown;
}
