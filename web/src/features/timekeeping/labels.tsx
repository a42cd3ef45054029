// Human words for the timekeeping module's codes: timesheet statuses and the flags a punch
// raises for the manager (TIME-GEOFENCE, TIME-EARLY-LATE). Flags are written out in
// text, never shown by colour alone.
import type { Timesheet, TimesheetFlag, TimesheetStatus } from '../../api/types';
import { formatDistance } from '../../shell/format';

const kStatus: Record<TimesheetStatus, string> = {
  open: 'Open',
  submitted: 'Submitted',
  approved: 'Approved',
  disputed: 'Disputed',
};

export function statusLabel(status: string): string {
  return kStatus[status as TimesheetStatus] ?? status;
}

const kFlags: Record<TimesheetFlag, string> = {
  outside_geofence_in: 'Outside geofence at clock-in',
  outside_geofence_out: 'Outside geofence at clock-out',
  no_location_in: 'No location at clock-in',
  no_location_out: 'No location at clock-out',
  early_in: 'Early clock-in',
  late_in: 'Late clock-in',
  early_out: 'Early clock-out',
  late_out: 'Late clock-out',
  corrected: 'Corrected',
  auto_approved: 'Auto-approved',
  missed_punch: 'Missed punch',
};

/** Flags that ask the manager to look (the rest only record what happened). */
const kWarnings = new Set<TimesheetFlag>([
  'outside_geofence_in', 'outside_geofence_out', 'no_location_in', 'no_location_out', 'early_in', 'late_in',
  'early_out', 'late_out', 'missed_punch',
]);

export function flagLabel(flag: string, sheet?: Pick<Timesheet, 'in_distance_m' | 'out_distance_m'>): string {
  const base = kFlags[flag as TimesheetFlag] ?? flag.replaceAll('_', ' ');
  if (sheet && flag === 'outside_geofence_in' && sheet.in_distance_m != null) return `${base} (${formatDistance(sheet.in_distance_m)})`;
  if (sheet && flag === 'outside_geofence_out' && sheet.out_distance_m != null) return `${base} (${formatDistance(sheet.out_distance_m)})`;
  return base;
}

/** The flags as a list of labelled badges; "None" when there are none. */
export function Flags({ sheet }: { sheet: Pick<Timesheet, 'flags' | 'in_distance_m' | 'out_distance_m'> }) {
  if (sheet.flags.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="flags">
      {sheet.flags.map((flag) => {
        const warning = kWarnings.has(flag);
        return (
          <li key={flag} className={warning ? 'flag flag-warning' : 'flag'} data-flag={flag}>
            {warning && <span aria-hidden="true">⚠ </span>}
            {flagLabel(flag, sheet)}
          </li>
        );
      })}
    </ul>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`status status-${status}`}>{statusLabel(status)}</span>;
}
