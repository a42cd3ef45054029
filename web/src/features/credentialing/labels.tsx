// Human words for the credentialing module's codes, and the expiry badge of the wallet
// (CRED-WALLET-BADGE): valid, expiring within 30 days, or expired (a credential is valid
// through its expiry date). Badges say their state in text, never by colour alone.
import type { ClinicianStatus, ComplianceStatus, Credential, CredentialKind, Verification } from '../../api/types';
import { dayNumber, formatDate } from '../../shell/format';

/** The wallet's window for "expiring soon", in days (the compliance default, CRED-COMPLIANCE). */
export const kExpiringWindowDays = 30;

/** Today's calendar date in the browser's time zone, "YYYY-MM-DD". */
export function todayLocal(now: Date = new Date()): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(now).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

export type ExpiryState = 'valid' | 'expiring' | 'expired' | 'no_expiry';

export interface Expiry {
  state: ExpiryState;
  /** Days from today to the expiry date (negative once expired); null without a date. */
  daysLeft: number | null;
}

/** CRED-WALLET-BADGE: where `expiresOn` stands on `today`: expired the day after it, expiring within the window. */
export function expiryOf(expiresOn: string | null, today: string, windowDays = kExpiringWindowDays): Expiry {
  if (!expiresOn) return { state: 'no_expiry', daysLeft: null };
  const daysLeft = dayNumber(expiresOn) - dayNumber(today);
  if (Number.isNaN(daysLeft)) return { state: 'no_expiry', daysLeft: null };
  if (daysLeft < 0) return { state: 'expired', daysLeft };
  if (daysLeft <= windowDays) return { state: 'expiring', daysLeft };
  return { state: 'valid', daysLeft };
}

export function expiryText(e: Expiry, expiresOn: string | null): string {
  switch (e.state) {
    case 'no_expiry': return 'No expiry date';
    case 'expired': return `Expired ${formatDate(expiresOn ?? '')}`;
    case 'expiring':
      return e.daysLeft === 0 ? 'Expires today' : `Expires in ${e.daysLeft} day${e.daysLeft === 1 ? '' : 's'}`;
    case 'valid': return `Valid until ${formatDate(expiresOn ?? '')}`;
  }
}

export function ExpiryBadge({ expiresOn, today }: { expiresOn: string | null; today: string }) {
  const e = expiryOf(expiresOn, today);
  return (
    <span className={`badge badge-${e.state}`} data-expiry={e.state}>
      {e.state === 'expired' && <span aria-hidden="true">✖ </span>}
      {e.state === 'expiring' && <span aria-hidden="true">⚠ </span>}
      {expiryText(e, expiresOn)}
    </span>
  );
}

const kVerification: Record<Verification, string> = {
  pending: 'Awaiting verification',
  verified: 'Verified',
  rejected: 'Rejected',
};

export function verificationLabel(v: string): string {
  return kVerification[v as Verification] ?? v;
}

export function VerificationBadge({ credential }: { credential: Pick<Credential, 'verification'> }) {
  return (
    <span className={`badge badge-verification-${credential.verification}`} data-verification={credential.verification}>
      {verificationLabel(credential.verification)}
    </span>
  );
}

const kKinds: Record<CredentialKind, string> = {
  license: 'License',
  certification: 'Certification',
  health: 'Health record',
  background_check: 'Background check',
};

export function kindLabel(kind: string): string {
  return kKinds[kind as CredentialKind] ?? kind;
}

export const kKindOptions = (Object.keys(kKinds) as CredentialKind[]).map((k) => ({ value: k, label: kKinds[k] }));

/** "RN license, IL (multistate)" / "BLS certification". */
export function credentialTitle(c: Pick<Credential, 'kind' | 'type_code' | 'jurisdiction' | 'multistate'>): string {
  const base = `${c.type_code} ${kindLabel(c.kind).toLowerCase()}`;
  if (c.kind !== 'license') return base;
  return `${base}${c.jurisdiction ? `, ${c.jurisdiction}` : ''}${c.multistate ? ' (multistate)' : ''}`;
}

const kClinicianStatus: Record<ClinicianStatus, string> = {
  applied: 'Applied',
  verifying: 'Being verified',
  active: 'Active',
  rejected: 'Rejected',
  suspended: 'Suspended',
};

export function clinicianStatusLabel(s: string): string {
  return kClinicianStatus[s as ClinicianStatus] ?? s;
}

const kCompliance: Record<ComplianceStatus, string> = {
  compliant: 'Compliant',
  expiring: 'Expiring soon',
  non_compliant: 'Not compliant',
};

export function complianceLabel(s: string): string {
  return kCompliance[s as ComplianceStatus] ?? s;
}

export const kComplianceOrder: ComplianceStatus[] = ['compliant', 'expiring', 'non_compliant'];

const kEmployment: Record<string, string> = {
  facility_staff: 'Facility staff',
  float_pool: 'MSO float pool',
  per_diem: 'Per diem',
  w2: 'W-2',
  '1099': '1099',
};

export function employmentLabel(code: string): string {
  return kEmployment[code] ?? code;
}

/** 2048 -> "2.0 KiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
