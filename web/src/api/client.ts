// The one small typed client of the OpenMSO API used by the web UI: same-origin fetch with
// the session cookie, the CSRF header on state-changing requests, problem+json errors turned
// into ApiError, and a single hook that learns when the session is gone (any 401).
import type {
  ArAging, CreditMemoInput, Invoice, InvoiceRunInput, PaymentInput,
  AuditPage, ClaimWithShift, Clinician, CorrectionInput, Discipline, Facility, Items, LoginResponse, OpenShift,
  PayRun, PaySettings, PayStatement, Problem, PunchInput, SessionResponse, Shift, ShiftInput, Timesheet, TimesheetDetail,
  TimesheetStatus, Unit, User, UserRecord,
  CalendarLink, Candidates, ClinicianProfile, ClinicianProfileInput, ClinicianStatus, Compliance, Credential,
  CredentialDocument, CredentialInput, Eligibility, ExpiringCredential, FacilityCompliance, FillMetrics, ScreeningResult, ScreeningRun, ScreeningStatus,
  ShiftDetail,
} from './types';

const kProblemPrefix = 'https://openmso.org/problems/';

/** A non-2xx answer. `slug` is the last part of the problem `type` ("csrf-failed"), or "" . */
export class ApiError extends Error {
  readonly status: number;
  readonly slug: string;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    const type = problem?.type ?? '';
    this.slug = type.startsWith(kProblemPrefix) ? type.slice(kProblemPrefix.length) : '';
  }
}

let csrfFromBody = '';
let onUnauthorized: (() => void) | null = null;

/** Called once by the session provider: invoked when an authenticated call answers 401. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** Remembers the CSRF token from a login or session answer (used if the cookie is unreadable). */
export function setCsrfToken(token: string): void {
  csrfFromBody = token;
}

function csrfToken(): string {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'openmso_csrf') return decodeURIComponent(rest.join('='));
  }
  return csrfFromBody;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** When false, a 401 is returned to the caller only (sign-in, session restore). */
  reportUnauthorized?: boolean;
}

/** The ApiError of a non-2xx answer (its problem+json body if any); reports a 401 if asked. */
async function failure(response: Response, reportUnauthorized: boolean): Promise<ApiError> {
  let problem: Problem | null = null;
  try {
    problem = (await response.json()) as Problem;
  } catch {
    problem = null;
  }
  if (response.status === 401 && reportUnauthorized) onUnauthorized?.();
  return new ApiError(response.status, problem);
}

async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken();
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  const response = await fetch(path, init);
  if (!response.ok) throw await failure(response, options.reportUnauthorized !== false);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface AuditQuery {
  limit?: number;
  before?: number | null;
  action?: string;
  actor_user_id?: string;
}

/** The body of POST /api/v1/signup (docs/openapi.yaml SignupRequest). */
export interface SignupInput {
  first_name: string;
  last_name: string;
  email: string;
  password: string;
  phone?: string;
  discipline: string;
  home: { latitude: number; longitude: number };
  travel_radius_km: number;
}

export const api = {
  // Self sign-up (public, no session): always 202; confirming the mailed token makes the account.
  signUp: (input: SignupInput): Promise<{ status: 'confirmation_sent' }> =>
    request<{ status: 'confirmation_sent' }>('/api/v1/signup', { method: 'POST', body: input, reportUnauthorized: false }),
  confirmSignup: (token: string): Promise<{ user_id: number; clinician_id: number; status: ClinicianStatus }> =>
    request<{ user_id: number; clinician_id: number; status: ClinicianStatus }>('/api/v1/signup/confirm', {
      method: 'POST', body: { token }, reportUnauthorized: false,
    }),
  async login(email: string, password: string): Promise<LoginResponse> {
    const answer = await request<LoginResponse>('/api/v1/auth/login', {
      method: 'POST', body: { email, password }, reportUnauthorized: false,
    });
    setCsrfToken(answer.csrf_token);
    return answer;
  },
  async session(): Promise<SessionResponse> {
    const answer = await request<SessionResponse>('/api/v1/auth/session', { reportUnauthorized: false });
    setCsrfToken(answer.csrf_token);
    return answer;
  },
  logout: (): Promise<void> =>
    request<void>('/api/v1/auth/logout', { method: 'POST', reportUnauthorized: false }),
  me: (): Promise<User> => request<User>('/api/v1/me'),
  facilities: (): Promise<Items<Facility>> => request<Items<Facility>>('/api/v1/facilities'),
  facility: (id: number): Promise<Facility> => request<Facility>(`/api/v1/facilities/${id}`),
  units: (facilityId: number): Promise<Items<Unit>> =>
    request<Items<Unit>>(`/api/v1/facilities/${facilityId}/units`),
  users: (): Promise<Items<UserRecord>> => request<Items<UserRecord>>('/api/v1/users'),
  auditEvents: (q: AuditQuery): Promise<AuditPage> =>
    request<AuditPage>(`/api/v1/audit/events${query({
      limit: q.limit ?? 50, before: q.before, action: q.action, actor_user_id: q.actor_user_id,
    })}`),

  // Marketplace
  disciplines: (): Promise<Items<Discipline>> => request<Items<Discipline>>('/api/v1/disciplines'),
  clinician: (id: number): Promise<Clinician> => request<Clinician>(`/api/v1/clinicians/${id}`),
  facilityShifts: (facilityId: number): Promise<Items<Shift>> =>
    request<Items<Shift>>(`/api/v1/facilities/${facilityId}/shifts`),
  postShift: (facilityId: number, input: ShiftInput): Promise<Shift> =>
    request<Shift>(`/api/v1/facilities/${facilityId}/shifts`, { method: 'POST', body: input }),
  /** With `dates` or `recurrence` the answer lists every shift posted. */
  postShifts: (facilityId: number, input: ShiftInput): Promise<Items<Shift>> =>
    request<Items<Shift>>(`/api/v1/facilities/${facilityId}/shifts`, { method: 'POST', body: input }),
  cancelShift: (shiftId: number, reason: string): Promise<Shift> =>
    request<Shift>(`/api/v1/shifts/${shiftId}/cancel`, { method: 'POST', body: { reason } }),
  myOpenShifts: (sort: 'start' | 'distance' | 'pay'): Promise<Items<OpenShift>> =>
    request<Items<OpenShift>>(`/api/v1/me/open-shifts${query({ sort })}`),
  claimShift: (shiftId: number): Promise<ClaimWithShift> =>
    request<ClaimWithShift>(`/api/v1/shifts/${shiftId}/claims`, { method: 'POST', body: {} }),
  withdrawClaim: (claimId: number): Promise<ClaimWithShift> =>
    request<ClaimWithShift>(`/api/v1/claims/${claimId}/withdraw`, { method: 'POST', body: {} }),
  myShifts: (): Promise<Items<ClaimWithShift>> => request<Items<ClaimWithShift>>('/api/v1/me/shifts'),
  facilityShiftsBetween: (facilityId: number, from: string, to: string): Promise<Items<Shift>> =>
    request<Items<Shift>>(`/api/v1/facilities/${facilityId}/shifts${query({ from, to })}`),
  shift: (shiftId: number): Promise<ShiftDetail> => request<ShiftDetail>(`/api/v1/shifts/${shiftId}`),
  candidates: (shiftId: number): Promise<Candidates> => request<Candidates>(`/api/v1/shifts/${shiftId}/candidates`),
  explainCandidate: (shiftId: number, clinicianId: number): Promise<Eligibility> =>
    request<Eligibility>(`/api/v1/shifts/${shiftId}/candidates${query({ clinician: clinicianId })}`),
  assignShift: (shiftId: number, clinicianId: number): Promise<ClaimWithShift> =>
    request<ClaimWithShift>(`/api/v1/shifts/${shiftId}/assignments`, { method: 'POST', body: { clinician_id: clinicianId } }),
  approveClaim: (claimId: number): Promise<ClaimWithShift> =>
    request<ClaimWithShift>(`/api/v1/claims/${claimId}/approve`, { method: 'POST', body: {} }),
  declineClaim: (claimId: number, reason: string): Promise<ClaimWithShift> =>
    request<ClaimWithShift>(`/api/v1/claims/${claimId}/decline`, { method: 'POST', body: reason ? { reason } : {} }),
  rotateCalendarLink: (): Promise<CalendarLink> =>
    request<CalendarLink>('/api/v1/me/calendar-token', { method: 'POST', body: {} }),
  revokeCalendarLink: (): Promise<void> => request<void>('/api/v1/me/calendar-token', { method: 'DELETE' }),
  fillMetrics: (facilityId: number, from: string, to: string, groupBy: string): Promise<FillMetrics> =>
    request<FillMetrics>(`/api/v1/facilities/${facilityId}/fill-metrics${query({ from, to, group_by: groupBy })}`),

  // Credentialing
  facilityClinicians: (facilityId: number): Promise<Items<Clinician>> =>
    request<Items<Clinician>>(`/api/v1/facilities/${facilityId}/clinicians`),
  profile: (clinicianId: number): Promise<ClinicianProfile> =>
    request<ClinicianProfile>(`/api/v1/clinicians/${clinicianId}/profile`),
  updateProfile: (clinicianId: number, input: ClinicianProfileInput): Promise<ClinicianProfile> =>
    request<ClinicianProfile>(`/api/v1/clinicians/${clinicianId}/profile`, { method: 'PUT', body: input }),
  changeClinicianStatus: (clinicianId: number, status: ClinicianStatus, reason: string): Promise<ClinicianProfile> =>
    request<ClinicianProfile>(`/api/v1/clinicians/${clinicianId}/status`, {
      method: 'POST', body: reason ? { status, reason } : { status },
    }),
  credentials: (clinicianId: number): Promise<Items<Credential>> =>
    request<Items<Credential>>(`/api/v1/clinicians/${clinicianId}/credentials`),
  addCredential: (clinicianId: number, input: CredentialInput): Promise<Credential> =>
    request<Credential>(`/api/v1/clinicians/${clinicianId}/credentials`, { method: 'POST', body: input }),
  documents: (credentialId: number): Promise<Items<CredentialDocument>> =>
    request<Items<CredentialDocument>>(`/api/v1/credentials/${credentialId}/documents`),
  compliance: (clinicianId: number, facilityId: number): Promise<Compliance> =>
    request<Compliance>(`/api/v1/clinicians/${clinicianId}/compliance${query({ facility_id: facilityId })}`),
  facilityCompliance: (facilityId: number, windowDays = 30): Promise<FacilityCompliance> =>
    request<FacilityCompliance>(`/api/v1/facilities/${facilityId}/compliance${query({ window_days: windowDays })}`),
  verificationQueue: (): Promise<Items<Credential>> => request<Items<Credential>>('/api/v1/verification-queue'),
  decideVerification: (credentialId: number, decision: { decision: 'approve'; source: string } | { decision: 'reject'; reason: string }):
    Promise<Credential> =>
    request<Credential>(`/api/v1/credentials/${credentialId}/verification`, { method: 'POST', body: decision }),
  expiringCredentials: (withinDays: number): Promise<Items<ExpiringCredential>> =>
    request<Items<ExpiringCredential>>(`/api/v1/credential-expiries${query({ within_days: withinDays })}`),
  screeningResults: (status: ScreeningStatus | ''): Promise<Items<ScreeningResult>> =>
    request<Items<ScreeningResult>>(`/api/v1/screening/results${query({ status })}`),
  screeningRuns: (): Promise<Items<ScreeningRun>> => request<Items<ScreeningRun>>(`/api/v1/screening/runs${query({ limit: 5 })}`),
  runScreening: (): Promise<ScreeningRun> => request<ScreeningRun>('/api/v1/screening/runs', { method: 'POST' }),
  decideScreening: (resultId: number, decision: 'confirm' | 'dismiss', reason: string): Promise<ScreeningResult> =>
    request<ScreeningResult>(`/api/v1/screening/results/${resultId}/decision`, { method: 'POST', body: { decision, reason } }),

  // Time and attendance
  clockIn: (shiftId: number, punch: PunchInput): Promise<Timesheet> =>
    request<Timesheet>(`/api/v1/shifts/${shiftId}/clock-in`, { method: 'POST', body: punch }),
  reportMissedPunch: (shiftId: number, input: CorrectionInput): Promise<Timesheet> =>
    request<Timesheet>(`/api/v1/shifts/${shiftId}/missed-punch`, { method: 'POST', body: input }),
  clockOut: (timesheetId: number, punch: PunchInput): Promise<Timesheet> =>
    request<Timesheet>(`/api/v1/timesheets/${timesheetId}/clock-out`, { method: 'POST', body: punch }),
  startBreak: (timesheetId: number): Promise<Timesheet> =>
    request<Timesheet>(`/api/v1/timesheets/${timesheetId}/break-start`, { method: 'POST', body: {} }),
  endBreak: (timesheetId: number): Promise<Timesheet> =>
    request<Timesheet>(`/api/v1/timesheets/${timesheetId}/break-end`, { method: 'POST', body: {} }),
  submitTimesheet: (timesheetId: number): Promise<Timesheet> =>
    request<Timesheet>(`/api/v1/timesheets/${timesheetId}/submit`, { method: 'POST' }),
  requestCorrection: (timesheetId: number, input: CorrectionInput): Promise<Timesheet> =>
    request<Timesheet>(`/api/v1/timesheets/${timesheetId}/correction`, { method: 'POST', body: input }),
  approveCorrection: (timesheetId: number): Promise<Timesheet> =>
    request<Timesheet>(`/api/v1/timesheets/${timesheetId}/correction/approve`, { method: 'POST' }),
  rejectCorrection: (timesheetId: number): Promise<Timesheet> =>
    request<Timesheet>(`/api/v1/timesheets/${timesheetId}/correction/reject`, { method: 'POST' }),
  approveTimesheet: (timesheetId: number): Promise<Timesheet> =>
    request<Timesheet>(`/api/v1/timesheets/${timesheetId}/approve`, { method: 'POST' }),
  disputeTimesheet: (timesheetId: number, reason: string): Promise<Timesheet> =>
    request<Timesheet>(`/api/v1/timesheets/${timesheetId}/dispute`, { method: 'POST', body: { reason } }),
  timesheet: (timesheetId: number): Promise<TimesheetDetail> =>
    request<TimesheetDetail>(`/api/v1/timesheets/${timesheetId}`),
  facilityTimesheets: (facilityId: number, status: TimesheetStatus | 'all'): Promise<Items<Timesheet>> =>
    request<Items<Timesheet>>(`/api/v1/facilities/${facilityId}/timesheets${query({ status })}`),
  myTimesheets: (): Promise<Items<Timesheet>> => request<Items<Timesheet>>('/api/v1/me/timesheets'),

  // Payroll
  paySettings: (): Promise<PaySettings> => request<PaySettings>('/api/v1/pay-settings'),
  payRuns: (): Promise<Items<PayRun>> => request<Items<PayRun>>('/api/v1/pay-runs'),
  createPayRun: (periodStart: string, kind: 'regular' | 'adjustment'): Promise<PayRun> =>
    request<PayRun>('/api/v1/pay-runs', { method: 'POST', body: { period_start: periodStart, kind } }),
  payRun: (id: number): Promise<PayRun> => request<PayRun>(`/api/v1/pay-runs/${id}`),
  payRunStatements: (id: number): Promise<Items<PayStatement>> =>
    request<Items<PayStatement>>(`/api/v1/pay-runs/${id}/statements`),
  finalizePayRun: (id: number): Promise<PayRun> =>
    request<PayRun>(`/api/v1/pay-runs/${id}/finalize`, { method: 'POST' }),
  discardPayRun: (id: number): Promise<PayRun> =>
    request<PayRun>(`/api/v1/pay-runs/${id}/discard`, { method: 'POST' }),
  payStatement: (id: number): Promise<PayStatement> => request<PayStatement>(`/api/v1/pay-statements/${id}`),
  myPayStatements: (): Promise<Items<PayStatement>> => request<Items<PayStatement>>('/api/v1/me/pay-statements'),

  // Facility billing
  generateInvoices: (input: InvoiceRunInput): Promise<Items<Invoice>> =>
    request<Items<Invoice>>('/api/v1/invoices/generate', { method: 'POST', body: input }),
  invoices: (): Promise<Items<Invoice>> => request<Items<Invoice>>(`/api/v1/invoices${query({ limit: 500 })}`),
  invoice: (id: number): Promise<Invoice> => request<Invoice>(`/api/v1/invoices/${id}`),
  finalizeInvoice: (id: number): Promise<Invoice> =>
    request<Invoice>(`/api/v1/invoices/${id}/finalize`, { method: 'POST' }),
  discardInvoice: (id: number): Promise<Invoice> =>
    request<Invoice>(`/api/v1/invoices/${id}/discard`, { method: 'POST' }),
  recordPayment: (id: number, input: PaymentInput): Promise<Invoice> =>
    request<Invoice>(`/api/v1/invoices/${id}/payments`, { method: 'POST', body: input }),
  createCreditMemo: (id: number, input: CreditMemoInput): Promise<unknown> =>
    request<unknown>(`/api/v1/invoices/${id}/credit-memos`, { method: 'POST', body: input }),
  arAging: (asOf: string): Promise<ArAging> => request<ArAging>(`/api/v1/ar-aging${query({ as_of: asOf })}`),
};

/**
 * Uploads a credential's document as the raw body (the server sniffs PDF, JPEG or PNG from
 * the bytes; the name is for display only). A refusal (415, 413) becomes an ApiError.
 */
export async function uploadDocument(credentialId: number, file: Blob, fileName: string): Promise<CredentialDocument> {
  const response = await fetch(`/api/v1/credentials/${credentialId}/documents${query({ file_name: fileName })}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': file.type || 'application/octet-stream', 'x-csrf-token': csrfToken() },
    body: file,
  });
  if (!response.ok) throw await failure(response, true);
  return (await response.json()) as CredentialDocument;
}

/** Files the server makes (same-origin GETs; the session cookie authenticates them). */
export const downloads = {
  registerCsv: (runId: number): string => `/api/v1/pay-runs/${runId}/register.csv`,
  registerXlsx: (runId: number): string => `/api/v1/pay-runs/${runId}/register.xlsx`,
  nacha: (runId: number): string => `/api/v1/pay-runs/${runId}/nacha`,
  statementPdf: (statementId: number): string => `/api/v1/pay-statements/${statementId}/pdf`,
  invoicePdf: (invoiceId: number): string => `/api/v1/invoices/${invoiceId}/pdf`,
  document: (documentId: number): string => `/api/v1/documents/${documentId}`,
};

/**
 * Fetches a file and hands it to the browser as a download named as the server names it;
 * a problem+json answer becomes an ApiError (for files whose refusals must be read, e.g. NACHA).
 */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const response = await fetch(path, { credentials: 'same-origin' });
  if (!response.ok) throw await failure(response, true);
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The URL of the live-events WebSocket on this origin (the session cookie authenticates it). */
export function eventsUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/api/v1/events`;
}
