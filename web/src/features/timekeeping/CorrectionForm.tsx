// A missed-punch report (POST /api/v1/shifts/{id}/missed-punch) or a correction request on a
// timesheet (POST /api/v1/timesheets/{id}/correction): times are typed as wall-clock times
// in the facility's zone and sent as instants; the manager approves it and the original
// values are kept as revisions (TIME-CORRECTION).
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { CorrectionInput, Timesheet } from '../../api/types';
import { localInputValue, zonedToInstant } from '../../shell/format';
import { ProblemNotice, TextAreaField, TextField, useAction } from '../../shell/form';

type Target = { kind: 'missed-punch'; shiftId: number } | { kind: 'correction'; timesheetId: number };

interface Props {
  target: Target;
  timeZone: string;
  /** Prefills the times (the scheduled ones for a missed punch, the punched ones otherwise). */
  initial: { clockIn: string | null; clockOut: string | null };
  onDone(sheet: Timesheet): void;
  onCancel(): void;
}

const local = (at: string | null, zone: string) => (at ? localInputValue(new Date(at), zone) : '');

export function CorrectionForm({ target, timeZone, initial, onDone, onCancel }: Props) {
  const [start] = useState(() => ({ in: local(initial.clockIn, timeZone), out: local(initial.clockOut, timeZone) }));
  const [clockIn, setClockIn] = useState(start.in);
  const [clockOut, setClockOut] = useState(start.out);
  const [breakStart, setBreakStart] = useState('');
  const [breakEnd, setBreakEnd] = useState('');
  const [reason, setReason] = useState('');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const action = useAction();
  const missed = target.kind === 'missed-punch';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const input: CorrectionInput = { reason: reason.trim() };
    const instant = (field: string, text: string, required: boolean) => {
      if (!text) {
        if (required) errors[field] = 'Required.';
        return undefined;
      }
      const at = zonedToInstant(text, timeZone);
      if (!at) errors[field] = 'A date and time.';
      return at ?? undefined;
    };
    // A correction sends only the times that were changed (the prefilled ones are rounded to
    // the minute and would otherwise "correct" the seconds away); a missed punch sends both.
    const inAt = missed || clockIn !== start.in ? instant('clock_in', clockIn, missed) : undefined;
    const outAt = missed || clockOut !== start.out ? instant('clock_out', clockOut, missed) : undefined;
    if (inAt) input.clock_in = inAt;
    if (outAt) input.clock_out = outAt;
    if (breakStart || breakEnd) {
      const s = instant('breaks.0.start', breakStart, true);
      const e = instant('breaks.0.end', breakEnd, true);
      if (s && e) input.breaks = [{ start: s, end: e }];
    }
    if (!input.reason) errors.reason = 'Say what happened; your manager reads it.';
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const sheet = await action.run(() => (target.kind === 'missed-punch'
      ? api.reportMissedPunch(target.shiftId, input)
      : api.requestCorrection(target.timesheetId, input)));
    if (sheet) onDone(sheet);
  };

  const fieldError = (field: string) => localErrors[field] ?? action.problem?.fields[field];
  const shown = ['clock_in', 'clock_out', 'breaks.0.start', 'breaks.0.end', 'breaks', 'reason'];
  return (
    <form className="card inline-form" onSubmit={(e) => void submit(e)} noValidate
      aria-label={missed ? 'Report a missed punch' : 'Request a correction'}>
      <h2>{missed ? 'Report a missed punch' : 'Request a correction'}</h2>
      <p className="muted small">Times are in the facility's time zone ({timeZone}).</p>
      <div className="form-grid">
        <TextField label="Clock-in" type="datetime-local" value={clockIn} onChange={setClockIn}
          required={missed} error={fieldError('clock_in')} />
        <TextField label="Clock-out" type="datetime-local" value={clockOut} onChange={setClockOut}
          required={missed} error={fieldError('clock_out')} />
        <TextField label="Meal break start (optional)" type="datetime-local" value={breakStart}
          onChange={setBreakStart} error={fieldError('breaks.0.start') ?? fieldError('breaks')} />
        <TextField label="Meal break end (optional)" type="datetime-local" value={breakEnd}
          onChange={setBreakEnd} error={fieldError('breaks.0.end')} />
      </div>
      <TextAreaField label="Reason" value={reason} onChange={setReason} required maxLength={1000}
        error={fieldError('reason')} />
      <ProblemNotice problem={action.problem} fieldsShown={shown} />
      <div className="actions">
        <button type="submit" disabled={action.busy}>{missed ? 'Send missed punch' : 'Send correction'}</button>
        <button type="button" className="button-secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
