// "Post shift" (POST /api/v1/facilities/{id}/shifts): unit, discipline, local start and end
// in the facility's zone (the server stores instants; a time in the spring-forward gap is
// refused, MKT-SHIFT-VALID), unpaid break, pay rate, bill rate (the rate card's when left
// empty, MKT-RATE-CARD), incentive, openings, urgent, notes. Dollar amounts are turned into
// integer cents without floating point.
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { Discipline, Facility, Shift, ShiftInput, Unit } from '../../api/types';
import { parseDollars } from '../../shell/format';
import { ProblemNotice, SelectField, TextAreaField, TextField, useAction } from '../../shell/form';

interface Props {
  facility: Facility;
  units: Unit[];
  disciplines: Discipline[];
  onPosted(shift: Shift): void;
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
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const shift = await action.run(() => api.postShift(facility.id, input));
    if (shift) onPosted(shift);
  };

  const err = (field: string) => localErrors[field] ?? action.problem?.fields[field];
  const shown = ['unit_id', 'discipline', 'start', 'end', 'break_minutes', 'pay_rate_cents', 'bill_rate_cents',
    'incentive_cents', 'openings', 'notes'];
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
      <TextAreaField label="Notes" name="notes" value={notes} onChange={setNotes} maxLength={2000} error={err('notes')} />
      <ProblemNotice problem={action.problem} fieldsShown={shown} />
      <div className="actions">
        <button type="submit" disabled={action.busy}>{action.busy ? 'Posting…' : 'Post shift'}</button>
        <button type="button" className="button-secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
