// "Post shift" (POST /api/v1/facilities/{id}/shifts): unit, discipline, local start and end
// in the facility's zone (the server stores instants; a time in the spring-forward gap is
// refused, MKT-SHIFT-VALID), unpaid break, pay rate, bill rate (the rate card's when left
// empty, MKT-RATE-CARD), incentive, openings, urgent, notes. Dollar amounts are turned into
// integer cents without floating point. Bulk: the same shift on a list of dates, or by a
// recurrence rule (MKT-RECURRENCE); a start or end in the repeated autumn hour is refused
// by the server until the manager picks the earlier or later pass (MKT-LOCAL-TIME).
import { useId, useState, type FormEvent } from 'react';
import { ApiError, api } from '../../api/client';
import type { Discipline, Facility, Shift, ShiftInput, Unit } from '../../api/types';
import { parseDollars } from '../../shell/format';
import { ProblemNotice, SelectField, TextAreaField, TextField, useAction } from '../../shell/form';

interface Props {
  facility: Facility;
  units: Unit[];
  disciplines: Discipline[];
  /** The first shift posted and how many were posted (more than one in bulk). */
  onPosted(shift: Shift, count: number): void;
  onCancel(): void;
}

export function PostShiftForm({ facility, units, disciplines, onPosted, onCancel }: Props) {
  const [unit, setUnit] = useState(String(units[0]?.id ?? ''));
  const [discipline, setDiscipline] = useState(disciplines[0]?.code ?? '');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [breakMinutes, setBreakMinutes] = useState('0');
  const [payRate, setPayRate] = useState('');
  const [billRate, setBillRate] = useState('');
  const [incentive, setIncentive] = useState('');
  const [openings, setOpenings] = useState('1');
  const [urgent, setUrgent] = useState(false);
  const [notes, setNotes] = useState('');
  const [repeat, setRepeat] = useState<'once' | 'dates' | 'recurrence'>('once');
  const [dates, setDates] = useState('');
  const [recurrence, setRecurrence] = useState('');
  // Fields the server found in the repeated autumn hour: the manager picks the pass.
  const [ambiguous, setAmbiguous] = useState<Set<string>>(new Set());
  const [startFold, setStartFold] = useState<'earlier' | 'later'>('earlier');
  const [endFold, setEndFold] = useState<'earlier' | 'later'>('earlier');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const action = useAction();
  const urgentId = useId();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const money = (field: string, text: string, required: boolean): number | undefined => {
      if (!text.trim()) {
        if (required) errors[field] = 'Required.';
        return undefined;
      }
      const cents = parseDollars(text);
      if (cents === null) errors[field] = 'An amount in dollars, e.g. 52.50.';
      return cents ?? undefined;
    };
    const whole = (field: string, text: string): number | undefined => {
      if (!/^\d+$/.test(text.trim())) {
        errors[field] = 'A whole number.';
        return undefined;
      }
      return Number(text);
    };
    const input: ShiftInput = {
      unit_id: Number(unit), discipline, start, end, pay_rate_cents: money('pay_rate_cents', payRate, true) ?? 0,
    };
    if (!start) errors.start = 'Required.';
    if (!end) errors.end = 'Required.';
    const bill = money('bill_rate_cents', billRate, false);
    if (bill !== undefined) input.bill_rate_cents = bill;
    const bonus = money('incentive_cents', incentive, false);
    if (bonus !== undefined) input.incentive_cents = bonus;
    const breakValue = whole('break_minutes', breakMinutes);
    if (breakValue !== undefined) input.break_minutes = breakValue;
    const openingsValue = whole('openings', openings);
    if (openingsValue !== undefined) input.openings = openingsValue;
    if (urgent) input.urgent = true;
    if (notes.trim()) input.notes = notes.trim();
    if (ambiguous.has('start')) input.start_fold = startFold;
    if (ambiguous.has('end')) input.end_fold = endFold;
    if (repeat === 'dates') {
      const list = dates.split(/[\s,]+/).filter(Boolean);
      if (list.length === 0 || list.some((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d))) errors.dates = 'Dates as YYYY-MM-DD, separated by commas.';
      else input.dates = list;
    }
    if (repeat === 'recurrence') {
      if (!recurrence.trim()) errors.recurrence = 'A rule, e.g. FREQ=WEEKLY;BYDAY=SA,SU;COUNT=8.';
      else input.recurrence = recurrence.trim();
    }
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const send = async (): Promise<Shift[]> => {
      try {
        if (repeat === 'once') return [await api.postShift(facility.id, input)];
        return (await api.postShifts(facility.id, input)).items;
      } catch (error) {
        const fields = (error instanceof ApiError ? error.problem?.errors ?? [] : [])
          .filter((e) => e.code === 'ambiguous_local_time').map((e) => e.field);
        if (fields.length > 0) setAmbiguous((old) => new Set([...old, ...fields]));
        throw error;
      }
    };
    const posted = await action.run(send);
    if (posted?.[0]) onPosted(posted[0], posted.length);
  };

  const err = (field: string) => localErrors[field] ?? action.problem?.fields[field];
  const shown = ['unit_id', 'discipline', 'start', 'end', 'break_minutes', 'pay_rate_cents', 'bill_rate_cents',
    'incentive_cents', 'openings', 'notes', 'dates', 'recurrence', 'start_fold', 'end_fold'];
  const folds = [{ value: 'earlier', label: 'The earlier one (daylight time)' }, { value: 'later', label: 'The later one (standard time)' }];
  return (
    <form className="card inline-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="post-shift-heading">
      <h2 id="post-shift-heading">Post a shift at {facility.name}</h2>
      <div className="form-grid">
        <SelectField label="Unit" name="unit_id" value={unit} onChange={setUnit} error={err('unit_id')}
          options={units.map((u) => ({ value: String(u.id), label: u.name }))} />
        <SelectField label="Discipline" name="discipline" value={discipline} onChange={setDiscipline}
          error={err('discipline')} options={disciplines.map((d) => ({ value: d.code, label: `${d.code} – ${d.name}` }))} />
        <TextField label="Start" name="start" type="datetime-local" value={start} onChange={setStart} required
          error={err('start')} hint={`Facility time (${facility.time_zone})`} />
        <TextField label="End" name="end" type="datetime-local" value={end} onChange={setEnd} required
          error={err('end')} hint={`Facility time (${facility.time_zone})`} />
        {ambiguous.has('start') && (
          <SelectField label="Start happens twice: which one?" name="start_fold" value={startFold}
            onChange={(v) => setStartFold(v as 'earlier' | 'later')} options={folds} error={err('start_fold')} />
        )}
        {ambiguous.has('end') && (
          <SelectField label="End happens twice: which one?" name="end_fold" value={endFold}
            onChange={(v) => setEndFold(v as 'earlier' | 'later')} options={folds} error={err('end_fold')} />
        )}
        <TextField label="Unpaid break (minutes)" name="break_minutes" inputMode="numeric" value={breakMinutes}
          onChange={setBreakMinutes} error={err('break_minutes')} />
        <TextField label="Pay rate ($ per hour)" name="pay_rate" inputMode="decimal" value={payRate}
          onChange={setPayRate} required error={err('pay_rate_cents')} />
        <TextField label="Bill rate ($ per hour)" name="bill_rate" inputMode="decimal" value={billRate}
          onChange={setBillRate} error={err('bill_rate_cents')} hint="Leave empty for the facility's rate card" />
        <TextField label="Incentive bonus ($)" name="incentive" inputMode="decimal" value={incentive}
          onChange={setIncentive} error={err('incentive_cents')} />
        <TextField label="Openings" name="openings" inputMode="numeric" value={openings} onChange={setOpenings}
          error={err('openings')} />
      </div>
      <div className="field field-inline">
        <input id={urgentId} type="checkbox" checked={urgent} onChange={(e) => setUrgent(e.target.checked)} />
        <label htmlFor={urgentId}>Urgent (release to every eligible clinician at once)</label>
      </div>
      <div className="form-grid">
        <SelectField label="Repeat" name="repeat" value={repeat} onChange={(v) => setRepeat(v as typeof repeat)}
          options={[{ value: 'once', label: 'Once' }, { value: 'dates', label: 'On a list of dates' },
            { value: 'recurrence', label: 'By a rule (weekly, daily)' }]} />
        {repeat === 'dates' && (
          <TextField label="Dates" name="dates" value={dates} onChange={setDates} error={err('dates')}
            hint="YYYY-MM-DD, separated by commas; the start and end times repeat on each" />
        )}
        {repeat === 'recurrence' && (
          <TextField label="Rule" name="recurrence" value={recurrence} onChange={setRecurrence} maxLength={200}
            error={err('recurrence')} hint="e.g. FREQ=WEEKLY;BYDAY=SA,SU;COUNT=8 (at most 62 shifts)" />
        )}
      </div>
      <TextAreaField label="Notes" name="notes" value={notes} onChange={setNotes} maxLength={2000} error={err('notes')} />
      <ProblemNotice problem={action.problem} fieldsShown={shown} />
      <div className="actions">
        <button type="submit" disabled={action.busy}>{action.busy ? 'Posting…' : 'Post shift'}</button>
        <button type="button" className="button-secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
