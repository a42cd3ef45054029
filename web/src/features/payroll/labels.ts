// Human words for payroll's codes: pay periods (the API's end date is exclusive), run
// statuses, worker types and overtime laws, progress phases of a draft.
import type { PayRun, PaySettings } from '../../api/types';
import { addDays, dayNumber, formatDate, localInputValue } from '../../shell/format';

/** "Sun, Nov 15, 2026 – Sat, Nov 28, 2026" from start and the exclusive end. */
export function periodLabel(run: Pick<PayRun, 'period_start' | 'period_end'>): string {
  return `${formatDate(run.period_start)} – ${formatDate(addDays(run.period_end, -1))}`;
}

/**
 * The current pay period and the `count - 1` before it, newest first, from the settings'
 * anchor and frequency (PAY-PERIOD-ALIGN: a run starts on a period start); ends exclusive.
 */
export function recentPeriods(settings: PaySettings, count: number, now = new Date()): Pick<PayRun, 'period_start' | 'period_end'>[] {
  const length = settings.frequency === 'weekly' ? 7 : 14;
  const today = dayNumber(localInputValue(now, settings.time_zone).slice(0, 10));
  const anchor = dayNumber(settings.period_anchor);
  if (Number.isNaN(today) || Number.isNaN(anchor)) return [];
  const current = Math.floor((today - anchor) / length) * length;
  const out: Pick<PayRun, 'period_start' | 'period_end'>[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = addDays(settings.period_anchor, current - i * length);
    out.push({ period_start: start, period_end: addDays(start, length) });
  }
  return out;
}

const kStatus: Record<string, string> = { draft: 'Draft', finalized: 'Finalized', discarded: 'Discarded' };
export function runStatusLabel(status: string): string {
  return kStatus[status] ?? status;
}

export function workerTypeLabel(type: string): string {
  return type === '1099' ? '1099 contractor' : type === 'w2' ? 'W-2 employee' : type;
}

const kLaws: Record<string, string> = {
  flsa_weekly: 'Federal weekly 40 h',
  flsa_8_80: 'Hospital 8/80',
  california: 'California daily',
  alaska: 'Alaska daily',
  nevada: 'Nevada daily',
  colorado: 'Colorado daily',
};
export function overtimeLawLabel(law: string): string {
  return kLaws[law] ?? law.replaceAll('_', ' ');
}

/** The phases of a pay run's computation (live "payrun.progress" events, PAY-RUN-PROGRESS). */
export const kPayRunPhases: Record<string, string> = {
  load: 'Loading approved timesheets',
  compute: 'Computing statements',
  write: 'Writing the draft',
};
