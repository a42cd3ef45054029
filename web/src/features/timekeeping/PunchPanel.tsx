// The clinician's punch controls for one booked shift: clock in with the device's location
// (TIME-CLOCKIN-WINDOW, TIME-GEOFENCE: a punch without a location is accepted and flagged),
// meal break start and end, clock out (TIME-OUT-AFTER-IN), submit (TIME-SUBMIT), and a
// missed-punch report when the shift was worked without clocking in.
import { useState } from 'react';
import { api } from '../../api/client';
import type { Shift, Timesheet } from '../../api/types';
import { formatDistance, formatHours, formatTimeInZone } from '../../shell/format';
import { ProblemNotice, useAction } from '../../shell/form';
import { Link } from '../../shell/router';
import { CorrectionForm } from './CorrectionForm';
import { Flags, StatusBadge } from './labels';
import { currentLocation } from './location';

interface Props {
  shift: Shift;
  sheet: Timesheet | undefined;
  onChange(sheet: Timesheet): void;
}

export function PunchPanel({ shift, sheet, onChange }: Props) {
  const action = useAction();
  const [note, setNote] = useState<string | null>(null);
  const [missedForm, setMissedForm] = useState(false);
  const [locating, setLocating] = useState(false);
  const busy = action.busy || locating;

  const punch = async (kind: 'in' | 'out') => {
    setNote(null);
    setLocating(true);
    const located = await currentLocation();
    setLocating(false);
    setNote(located.note);
    const answer = await action.run(() => (kind === 'in'
      ? api.clockIn(shift.id, located.punch)
      : api.clockOut((sheet as Timesheet).id, located.punch)));
    if (answer) onChange(answer);
  };
  const step = async (call: () => Promise<Timesheet>) => {
    setNote(null);
    const answer = await action.run(call);
    if (answer) onChange(answer);
  };

  const zone = shift.time_zone;
  const started = Date.now() >= Date.parse(shift.start);
  const over = Date.now() >= Date.parse(shift.end);
  let controls;
  if (!sheet) {
    controls = (
      <>
        {!over && (
          <button type="button" disabled={busy} onClick={() => void punch('in')}>
            {locating ? 'Finding your location…' : 'Clock in'}
          </button>
        )}
        {started && !missedForm && (
          <button type="button" className="button-secondary" onClick={() => setMissedForm(true)}>
            Report a missed punch
          </button>
        )}
      </>
    );
  } else if (sheet.clock_in && !sheet.clock_out && sheet.status === 'open') {
    const onBreak = sheet.breaks.some((b) => b.end === null);
    controls = (
      <>
        <span className="punch-state" role="status">
          Clocked in at {formatTimeInZone(sheet.clock_in, zone)}
          {sheet.in_distance_m !== null && ` (${formatDistance(sheet.in_distance_m)} from the facility)`}
          {onBreak && ', on a meal break'}
        </span>
        {onBreak
          ? <button type="button" disabled={busy} onClick={() => void step(() => api.endBreak(sheet.id))}>End break</button>
          : <button type="button" className="button-secondary" disabled={busy}
              onClick={() => void step(() => api.startBreak(sheet.id))}>Start break</button>}
        <button type="button" disabled={busy || onBreak} onClick={() => void punch('out')}
          title={onBreak ? 'End the break first' : undefined}>
          {locating ? 'Finding your location…' : 'Clock out'}
        </button>
      </>
    );
  } else {
    const submittable = (sheet.status === 'open' || sheet.status === 'disputed') && sheet.clock_in && sheet.clock_out
      && !sheet.correction;
    controls = (
      <>
        <StatusBadge status={sheet.status} />
        {sheet.clock_in && sheet.clock_out && <span>{formatHours(sheet.worked_minutes)} worked</span>}
        {sheet.correction && <span className="tag">Correction awaiting approval</span>}
        {submittable && (
          <button type="button" disabled={busy} onClick={() => void step(() => api.submitTimesheet(sheet.id))}>
            Submit timesheet
          </button>
        )}
      </>
    );
  }

  return (
    <div className="punch-panel">
      <div className="actions">
        {controls}
        {sheet && <Link to={`/timesheets/${sheet.id}`}>Timesheet details</Link>}
      </div>
      {sheet && sheet.flags.length > 0 && <Flags sheet={sheet} />}
      {note && <p className="notice" role="status">{note}</p>}
      <ProblemNotice problem={action.problem} />
      {missedForm && !sheet && (
        <CorrectionForm target={{ kind: 'missed-punch', shiftId: shift.id }} timeZone={zone}
          initial={{ clockIn: shift.start, clockOut: shift.end }}
          onDone={(s) => { setMissedForm(false); onChange(s); }} onCancel={() => setMissedForm(false)} />
      )}
    </div>
  );
}
