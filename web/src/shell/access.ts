// What the navigation offers each role. The server's policy is the authority (pages still
// show its 403); this only keeps the menu from offering pages a role cannot open.
import type { Role } from '../api/types';

export interface NavEntry {
  path: string;
  label: string;
}

const kFacilities: NavEntry = { path: '/facilities', label: 'Facilities' };
const kUsers: NavEntry = { path: '/users', label: 'Users' };
const kAudit: NavEntry = { path: '/audit', label: 'Audit' };
const kAccount: NavEntry = { path: '/account', label: 'My account' };
const kShifts: NavEntry = { path: '/shifts', label: 'Shifts' };
const kTimesheets: NavEntry = { path: '/timesheets', label: 'Timesheets' };
const kOpenShifts: NavEntry = { path: '/open-shifts', label: 'Open shifts' };
const kMyShifts: NavEntry = { path: '/my-shifts', label: 'My shifts' };
const kMyTimesheets: NavEntry = { path: '/my-timesheets', label: 'My timesheets' };
const kPayRuns: NavEntry = { path: '/pay-runs', label: 'Pay runs' };
const kInvoices: NavEntry = { path: '/invoices', label: 'Invoices' };
const kAging: NavEntry = { path: '/ar-aging', label: 'A/R aging' };
const kMyPay: NavEntry = { path: '/my-pay-statements', label: 'Pay statements' };
const kMyProfile: NavEntry = { path: '/my-profile', label: 'My profile' };
const kVerification: NavEntry = { path: '/verification', label: 'Verification' };
const kScreening: NavEntry = { path: '/screening', label: 'Screening' };
const kCompliance: NavEntry = { path: '/compliance', label: 'Compliance' };
const kCalendar: NavEntry = { path: '/shift-calendar', label: 'Calendar' };
const kApprovals: NavEntry = { path: '/approvals', label: 'Approvals' };
const kFillRates: NavEntry = { path: '/fill-rates', label: 'Fill rates' };

const kNavByRole: Record<Role, NavEntry[]> = {
  mso_admin: [kFacilities, kShifts, kCalendar, kApprovals, kFillRates, kTimesheets, kCompliance, kVerification, kScreening,
    kPayRuns, kInvoices, kAging, kUsers, kAudit, kAccount],
  facility_manager: [kFacilities, kShifts, kCalendar, kApprovals, kFillRates, kTimesheets, kCompliance, kAccount],
  credentialing: [kFacilities, kVerification, kScreening, kCompliance, kAccount],
  billing: [kFacilities, kPayRuns, kInvoices, kAging, kAccount],
  clinician: [kOpenShifts, kMyShifts, kMyTimesheets, kMyPay, kMyProfile, kAccount],
  // Read-only, everything (DESIGN.md roles).
  auditor: [kFacilities, kShifts, kCalendar, kFillRates, kTimesheets, kCompliance, kPayRuns, kInvoices, kAging, kUsers, kAudit,
    kAccount],
};

export function navFor(role: Role): NavEntry[] {
  return kNavByRole[role] ?? [kAccount];
}

/** The page a role lands on after signing in. */
export function homeFor(role: Role): string {
  return navFor(role)[0]?.path ?? '/account';
}

const kRoleLabels: Record<Role, string> = {
  mso_admin: 'MSO admin',
  facility_manager: 'Facility manager',
  credentialing: 'Credentialing',
  billing: 'Billing',
  clinician: 'Clinician',
  auditor: 'Auditor',
};

export function roleLabel(role: string): string {
  return kRoleLabels[role as Role] ?? role;
}
