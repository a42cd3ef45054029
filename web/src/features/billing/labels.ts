// Human words for billing's codes: invoice statuses (derived from payments and credits,
// BILL-BALANCE), line kinds, and the billing period (the API's end date is exclusive).
import type { Invoice } from '../../api/types';
import { addDays, formatDate } from '../../shell/format';

const kStatus: Record<string, string> = {
  draft: 'Draft',
  finalized: 'Open',
  partially_paid: 'Partially paid',
  paid: 'Paid',
  discarded: 'Discarded',
};
export function invoiceStatusLabel(status: string): string {
  return kStatus[status] ?? status;
}

const kKinds: Record<string, string> = {
  regular: 'Labor, regular',
  overtime: 'Labor, overtime',
  holiday: 'Labor, holiday',
  fee_percent: 'Management fee (percent of labor)',
  fee_flat_monthly: 'Management fee (flat monthly)',
  fee_per_shift: 'Management fee (per filled shift)',
};
export function lineKindLabel(kind: string): string {
  return kKinds[kind] ?? kind.replaceAll('_', ' ');
}

export function invoiceName(invoice: Pick<Invoice, 'number' | 'id'>): string {
  return invoice.number ?? `Draft #${invoice.id}`;
}

/** "Nov 1 – Nov 14, 2026" from the start and the exclusive end. */
export function billingPeriod(invoice: Pick<Invoice, 'period_from' | 'period_to'>): string {
  return `${formatDate(invoice.period_from)} – ${formatDate(addDays(invoice.period_to, -1))}`;
}

/** The phases of an invoice run (live "invoicing.progress" events). */
export const kInvoicingPhases: Record<string, string> = {
  load: 'Loading approved timesheets',
  compute: 'Computing invoices',
  write: 'Writing invoices',
};

/** 800 basis points -> "8%", 1250 -> "12.5%". */
export function percentLabel(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const rest = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return `${whole}${rest ? `.${rest}` : ''}%`;
}

/** 15000 basis points -> "1.5×"; nothing for 1×. */
export function multiplierLabel(bp: number): string {
  if (!bp || bp === 10000) return '';
  const whole = Math.trunc(bp / 10000);
  const rest = String(bp % 10000).padStart(4, '0').replace(/0+$/, '');
  return `${whole}${rest ? `.${rest}` : ''}×`;
}
