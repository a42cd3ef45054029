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

// ---- Marketplace ---------------------------------------------------------------------------

export interface Discipline {
  code: string;
  name: string;
}

export type ShiftStatus = 'open' | 'filled' | 'cancelled';

export interface Shift {
  id: number;
  facility_id: number;
  unit_id: number;
  discipline: string;
  start: string;
  end: string;
  /** Wall-clock times in the facility's zone, "YYYY-MM-DDTHH:MM". */
  start_local: string;
  end_local: string;
  time_zone: string;
  length_minutes: number;
  paid_minutes: number;
  break_minutes: number;
  pay_rate_cents: number;
  bill_rate_cents: number;
  incentive_cents: number;
  openings: number;
  filled: number;
  status: ShiftStatus;
  urgent: boolean;
  notes: string;
  cancel_reason: string;
  created_at: string;
}

/** One shift of the clinician's feed (GET /api/v1/me/open-shifts). */
export interface OpenShift extends Shift {
  distance_km: number;
  facility_name: string;
}

/** What the post form sends (POST /api/v1/facilities/{id}/shifts). */
export interface ShiftInput {
  unit_id: number;
  discipline: string;
  start: string;
  end: string;
  break_minutes?: number;
  pay_rate_cents: number;
  bill_rate_cents?: number;
  incentive_cents?: number;
  openings?: number;
  urgent?: boolean;
  notes?: string;
  /** MKT-LOCAL-TIME: which pass of a repeated autumn hour (required only there). */
  start_fold?: 'earlier' | 'later';
  end_fold?: 'earlier' | 'later';
  /** Bulk: the same shift on each of these local dates (all or none posted). */
  dates?: string[];
  /** Bulk: MKT-RECURRENCE, an RRULE subset such as "FREQ=WEEKLY;BYDAY=SA,SU;COUNT=8". */
  recurrence?: string;
}

export type ClaimStatus = 'pending' | 'confirmed' | 'declined' | 'cancelled' | 'withdrawn';

export interface ClaimWithShift {
  id: number;
  clinician_id: number;
  shift_id: number;
  status: ClaimStatus;
  created_at: string;
  shift: Shift;
}

export interface Clinician {
  id: number;
  first_name: string;
  last_name: string;
  email: string;
  discipline: string;
  home_facility_id: number | null;
}

/** A shift with its claims (GET /api/v1/shifts/{id}; a clinician sees only their own). */
export interface Claim {
  id: number;
  clinician_id: number;
  status: ClaimStatus;
  created_at: string;
  confirmed_at?: string | null;
  no_show_at?: string | null;
}

export interface ShiftDetail extends Shift {
  claims: Claim[];
}

export type EligibilityRule =
  | 'MKT-ELIG-LICENSE' | 'MKT-ELIG-EXCLUDED' | 'MKT-ELIG-DNR' | 'MKT-ELIG-OVERLAP' | 'MKT-ELIG-REST'
  | 'MKT-ELIG-WEEKLY-HOURS' | 'MKT-ELIG-CONSECUTIVE-DAYS' | 'MKT-ELIG-DISTANCE' | (string & {});

/** One clinician's eligibility for a shift, rule by rule, and their ranking score (MKT-RANK). */
export interface Eligibility {
  clinician_id: number;
  eligible: boolean;
  distance_km: number;
  week_paid_minutes: number;
  score: number;
  score_components: { favorite: number; reliability: number; rating: number; distance: number; overtime: number };
  rules: { rule: EligibilityRule; passed: boolean; message: string }[];
}

export interface Candidates {
  shift_id: number;
  items: Eligibility[];
}

/** The private iCalendar feed (POST /api/v1/me/calendar-token); the URL is shown only once. */
export interface CalendarLink {
  url: string;
  webcal_url: string | null;
  path: string;
  created_at: string;
}

/** One group of GET /api/v1/facilities/{id}/fill-metrics. */
export interface FillGroup {
  shifts: number;
  openings: number;
  filled: number;
  fill_rate: number;
  facility_id?: number;
  unit_id?: number;
  discipline?: string;
  week?: string;
  time_to_fill_minutes: { median: number | null; p90: number | null; mean: number | null };
}

export interface FillMetrics {
  facility_id: number;
  from: string;
  to: string;
  group_by: string[];
  items: FillGroup[];
}

// ---- Credentialing -------------------------------------------------------------------------

export type ClinicianStatus = 'applied' | 'verifying' | 'active' | 'rejected' | 'suspended';
export type CredentialKind = 'license' | 'certification' | 'health' | 'background_check';
export type Verification = 'pending' | 'verified' | 'rejected';

export interface ClinicianProfile {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  phone: string;
  date_of_birth: string | null;
  home: { latitude: number; longitude: number };
  travel_radius_km: number;
  disciplines: string[];
  specialties: string[];
  employment_type: 'facility_staff' | 'float_pool' | 'per_diem' | (string & {});
  employment_class: 'w2' | '1099' | (string & {});
  npi: string | null;
  primary_state: string;
  status: ClinicianStatus;
  status_reason: string;
  home_facility_id: number | null;
}

/** What PUT /api/v1/clinicians/{id}/profile takes (the profile without its read-only fields). */
export type ClinicianProfileInput = Omit<ClinicianProfile, 'id' | 'email' | 'status' | 'status_reason' | 'home_facility_id'>;

export interface CredentialInput {
  kind: CredentialKind;
  type_code: string;
  jurisdiction?: string;
  number?: string;
  multistate?: boolean;
  issued_on?: string | null;
  expires_on?: string | null;
  issuer?: string;
}

export interface Credential {
  id: number;
  clinician_id: number;
  kind: CredentialKind;
  type_code: string;
  jurisdiction: string;
  number: string;
  multistate: boolean;
  issued_on: string | null;
  /** Valid through this date. */
  expires_on: string | null;
  issuer: string;
  verification: Verification;
  verification_reason: string;
  verification_source: string;
  verified_by: number | null;
  verified_at: string | null;
}

export interface CredentialDocument {
  id: number;
  credential_id: number;
  sha256: string;
  content_type: 'application/pdf' | 'image/jpeg' | 'image/png' | (string & {});
  size_bytes: number;
  file_name: string;
  uploaded_by: number | null;
  uploaded_at: string;
}

export type ComplianceStatus = 'compliant' | 'expiring' | 'non_compliant';

export interface ComplianceReason {
  code: string;
  requirement: string;
  message: string;
  credential_id: number | null;
  expires_on: string | null;
}

export interface Compliance {
  clinician_id: number;
  facility_id: number;
  discipline: string;
  date: string;
  window_days: number;
  status: ComplianceStatus;
  compliant_until: string | null;
  reasons: ComplianceReason[];
}

export interface FacilityComplianceItem {
  clinician_id: number;
  name: string;
  discipline: string;
  employment_type: string;
  status: ComplianceStatus;
  compliant_until: string | null;
  reasons: ComplianceReason[];
}

export interface FacilityCompliance {
  facility_id: number;
  date: string;
  window_days: number;
  counts: Record<ComplianceStatus, number>;
  items: FacilityComplianceItem[];
}

export interface ExpiringCredential extends Credential {
  days_left: number;
}

export type ScreeningStatus = 'possible' | 'confirmed' | 'dismissed' | 'lifted';

export interface ScreeningRun {
  id: number;
  trigger: 'import' | 'onboarding' | 'monthly' | 'manual' | (string & {});
  list_id: number | null;
  list_sha256: string;
  started_at: string;
  clinicians: number;
  confirmed: number;
  possible: number;
  lifted: number;
}

/** A match of a clinician with an LEIE row, both sides as the server holds them. */
export interface ScreeningResult {
  id: number;
  run_id: number;
  clinician_id: number;
  match: 'npi' | 'name_dob' | 'name' | (string & {});
  status: ScreeningStatus;
  decided_by: number | null;
  decided_at: string | null;
  reason: string;
  created_at: string;
  clinician: { first_name: string; last_name: string; date_of_birth: string | null; npi: string | null; primary_state: string };
  entry: {
    last_name: string; first_name: string; mid_name: string; bus_name: string; general: string; specialty: string;
    npi: string | null; dob: string | null; address: string; city: string; state: string; zip: string;
    excl_type: string; excl_date: string | null; rein_date: string | null; waiver_date: string | null; waiver_state: string;
  };
}

// ---- Time and attendance -------------------------------------------------------------------

export type TimesheetStatus = 'open' | 'submitted' | 'approved' | 'disputed';

export type TimesheetFlag =
  | 'outside_geofence_in' | 'outside_geofence_out' | 'no_location_in' | 'no_location_out'
  | 'early_in' | 'late_in' | 'early_out' | 'late_out' | 'corrected' | 'auto_approved' | 'missed_punch';

export interface Break {
  start: string;
  end: string | null;
}

export interface Correction {
  clock_in: string | null;
  clock_out: string | null;
  breaks: Break[] | null;
  reason: string;
  requested_at: string;
}

export interface Timesheet {
  id: number;
  facility_id: number;
  shift_id: number;
  clinician_id: number;
  time_zone: string;
  scheduled_start: string;
  scheduled_end: string;
  clock_in: string | null;
  clock_out: string | null;
  in_distance_m: number | null;
  out_distance_m: number | null;
  breaks: Break[];
  worked_minutes: number;
  flags: TimesheetFlag[];
  status: TimesheetStatus;
  submitted_at: string | null;
  decided_at: string | null;
  auto_approve_at: string | null;
  dispute_reason: string;
  correction: Correction | null;
  version: number;
}

export interface Punch {
  kind: 'clock_in' | 'clock_out' | 'break_start' | 'break_end' | (string & {});
  at: string;
  recorded_at: string;
  distance_m: number | null;
  accuracy_m: number | null;
  latitude?: number;
  longitude?: number;
}

export interface Revision {
  field: string;
  old_value: string;
  new_value: string;
  reason: string;
  by_user_id: number | null;
  at: string;
}

export interface TimesheetDetail extends Timesheet {
  punches: Punch[];
  revisions: Revision[];
}

/** The device's position sent with a punch; all optional (no location = flagged punch). */
export interface PunchInput {
  latitude?: number;
  longitude?: number;
  accuracy_m?: number;
  at?: string;
}

export interface CorrectionInput {
  clock_in?: string;
  clock_out?: string;
  breaks?: { start: string; end: string }[];
  reason: string;
}

// ---- Payroll -------------------------------------------------------------------------------

/** The MSO's pay settings (only what the UI reads). */
export interface PaySettings {
  frequency: 'weekly' | 'biweekly' | (string & {});
  /** The first day of one pay period; the others follow every 7 or 14 days. */
  period_anchor: string;
  time_zone: string;
  instant_pay_fee_cents: number;
}

export type PayRunStatus = 'draft' | 'finalized' | 'discarded';

export interface PayRunException {
  clinician_id: number;
  errors: { field: string; code: string; message: string }[];
}

export interface PayRun {
  id: number;
  kind: 'regular' | 'adjustment' | (string & {});
  status: PayRunStatus;
  period_start: string;
  /** Exclusive: the first day after the period. */
  period_end: string;
  statements: number;
  timesheets: number;
  gross_cents: number;
  net_due_cents: number;
  exceptions: PayRunException[];
  created_at: string;
  finalized_at: string | null;
}

export interface PayLine {
  /** The timesheet id, or 0 for a workweek premium line. */
  ref: number;
  code: string;
  rule_id: string;
  minutes: number;
  rate_cents: number;
  amount_cents: number;
  week_start: string;
  explanation: string;
}

export interface PayStatement {
  id: number;
  pay_run_id: number;
  clinician_id: number;
  clinician_name: string;
  worker_type: 'w2' | '1099' | (string & {});
  overtime_law: string;
  worked_minutes: number;
  regular_minutes: number;
  overtime_minutes: number;
  double_time_minutes: number;
  straight_time_cents: number;
  differentials_cents: number;
  bonuses_cents: number;
  overtime_premium_cents: number;
  double_time_premium_cents: number;
  holiday_premium_cents: number;
  cancellation_cents: number;
  gross_cents: number;
  advances_cents: number;
  net_due_cents: number;
  lines?: PayLine[];
  /** Present when the server sends the run's period with the statement. */
  period_start?: string;
  period_end?: string;
}

// ---- Facility billing ----------------------------------------------------------------------

export type InvoiceStatus = 'draft' | 'finalized' | 'partially_paid' | 'paid' | 'discarded';

export interface InvoiceLine {
  line_no: number;
  kind: 'regular' | 'overtime' | 'holiday' | 'fee_percent' | 'fee_flat_monthly' | 'fee_per_shift' | (string & {});
  rule_id: string;
  /** The timesheet a labor line bills; null for a fee line. */
  timesheet_id: number | null;
  clinician_id: number | null;
  discipline: string;
  shift_start: string | null;
  minutes: number;
  quantity: number;
  multiplier_bp: number;
  rate_cents: number;
  amount_cents: number;
}

export interface CreditMemo {
  number: string;
  issue_date: string;
  reason: string;
  /** Negative: it lowers the balance. */
  total_cents: number;
}

export interface InvoicePaymentRecord {
  received_on: string;
  amount_cents: number;
  reference: string;
}

export interface Invoice {
  id: number;
  facility_id: number;
  facility_name: string;
  /** INV-2026-00042 once finalized; null for a draft. */
  number: string | null;
  status: InvoiceStatus;
  period_from: string;
  /** Exclusive. */
  period_to: string;
  issue_date: string;
  due_date: string;
  payment_terms_days: number;
  timesheets: number;
  labor_minutes: number;
  labor_subtotal_cents: number;
  fee_total_cents: number;
  total_cents: number;
  credits_cents: number;
  payments_cents: number;
  balance_cents: number;
  created_at: string;
  finalized_at: string | null;
  lines?: InvoiceLine[];
  credit_memos?: CreditMemo[];
  payments?: InvoicePaymentRecord[];
}

export interface InvoiceRunInput {
  period_from: string;
  period_to: string;
  facility_id?: number;
  finalize?: boolean;
}

export interface PaymentInput {
  amount_cents: number;
  received_on?: string;
  reference?: string;
  overpayment_credit?: boolean;
}

export interface CreditMemoInput {
  reason: string;
  items: { line_no: number; minutes?: number; amount_cents?: number }[];
}

export interface AgingBuckets {
  current_cents: number;
  days_31_60_cents: number;
  days_61_90_cents: number;
  over_90_cents: number;
  credits_cents: number;
  total_cents: number;
  invoices: number;
}

export interface ArAging {
  as_of: string;
  facilities: (AgingBuckets & { facility_id: number })[];
  totals: AgingBuckets;
}
