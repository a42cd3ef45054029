// Human words for the marketplace's codes and the way a shift's time is written: the
// facility's wall-clock times as the server computed them (start_local/end_local), with
// the zone named, so a night shift over a DST change reads as the facility sees it.
import type { ClaimStatus, Shift, ShiftStatus } from '../../api/types';
import { formatDuration, formatLocal } from '../../shell/format';

/** "Sun, Nov 1, 2026, 19:00 – 07:00 (+1 day)". */
export function shiftWhen(shift: Pick<Shift, 'start_local' | 'end_local'>): string {
  const startDay = shift.start_local.slice(0, 10);
  const endDay = shift.end_local.slice(0, 10);
  const endTime = shift.end_local.slice(11, 16);
  if (startDay === endDay) return `${formatLocal(shift.start_local)} – ${endTime}`;
  const days = Math.round((Date.parse(`${endDay}T00:00Z`) - Date.parse(`${startDay}T00:00Z`)) / 86_400_000);
  return `${formatLocal(shift.start_local)} – ${endTime} (+${days} day${days === 1 ? '' : 's'})`;
}

/** "12 h, 11 h 30 min paid". */
export function shiftLength(shift: Pick<Shift, 'length_minutes' | 'paid_minutes'>): string {
  if (shift.length_minutes === shift.paid_minutes) return formatDuration(shift.length_minutes);
  return `${formatDuration(shift.length_minutes)}, ${formatDuration(shift.paid_minutes)} paid`;
}

const kShiftStatus: Record<ShiftStatus, string> = { open: 'Open', filled: 'Filled', cancelled: 'Cancelled' };
export function shiftStatusLabel(status: string): string {
  return kShiftStatus[status as ShiftStatus] ?? status;
}

const kClaimStatus: Record<ClaimStatus, string> = {
  pending: 'Awaiting approval',
  confirmed: 'Booked',
  declined: 'Declined',
  cancelled: 'Cancelled by the facility',
  withdrawn: 'Withdrawn',
};
export function claimStatusLabel(status: string): string {
  return kClaimStatus[status as ClaimStatus] ?? status;
}

/** The facility's name when the answer carries it, else its number. */
export function facilityLabel(item: { facility_id: number; facility_name?: string }): string {
  return item.facility_name ?? `Facility #${item.facility_id}`;
}
