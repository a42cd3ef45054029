// One shift for its facility's manager (opened from the calendar): the facts, its claims
// with approve / decline for pending ones (MKT-CLAIM-APPROVAL), the ranked candidates with
// their score in parts (MKT-RANK) and "Book" (direct assignment, MKT-ASSIGN), and any
// clinician's rule-by-rule explanation (GET /api/v1/shifts/{id}/candidates?clinician=).
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { Eligibility, ShiftDetail, Unit } from '../../api/types';
import { formatCents, formatHours } from '../../shell/format';
import { ProblemNotice, ReasonForm, useAction } from '../../shell/form';
import { useLiveEvent } from '../../shell/live';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { clinicianNames } from '../timekeeping/names';
import { claimStatusLabel, shiftLength, shiftStatusLabel, shiftWhen } from './labels';

const kRuleNames: Record<string, string> = {
  'MKT-ELIG-LICENSE': 'License and compliance',
  'MKT-ELIG-EXCLUDED': 'Not excluded',
  'MKT-ELIG-DNR': 'Not on the do-not-return list',
  'MKT-ELIG-OVERLAP': 'No overlapping shift',
  'MKT-ELIG-REST': 'Minimum rest',
  'MKT-ELIG-WEEKLY-HOURS': 'Weekly hours cap',
  'MKT-ELIG-CONSECUTIVE-DAYS': 'Consecutive days',
  'MKT-ELIG-DISTANCE': 'Travel radius',
};

function points(n: number): string {
  const rounded = Math.round(n * 10) / 10;
  return `${rounded > 0 ? '+' : ''}${rounded}`;
}

/** The score's parts in words (docs: MKT-RANK), e.g. "favorite +1000, reliability +225, ...". */
export function scoreParts(e: Eligibility): string {
  const c = e.score_components;
  return [
    c.favorite ? `favorite ${points(c.favorite)}` : null,
    `reliability ${points(c.reliability)}`,
    `rating ${points(c.rating)}`,
    `distance ${points(c.distance)}`,
    c.overtime ? `overtime ${points(c.overtime)}` : null,
  ].filter(Boolean).join(', ');
}

export function RuleList({ eligibility }: { eligibility: Eligibility }) {
  return (
    <ul className="rules">
      {eligibility.rules.map((r) => (
        <li key={r.rule} className={r.passed ? 'rule rule-pass' : 'rule rule-fail'} data-rule={r.rule}>
          <span className="rule-mark">{r.passed ? 'Passes' : 'Fails'}</span>{' '}
          <strong>{kRuleNames[r.rule] ?? r.rule}</strong> <code className="small">{r.rule}</code>: {r.message}
        </li>
      ))}
    </ul>
  );
}

function Explain({ shiftId, names }: { shiftId: number; names: Map<number, string> }) {
  const [clinician, setClinician] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [answer, setAnswer] = useState<Eligibility | null>(null);
  const action = useAction();
  const listId = useId();
  const inputId = useId();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // A name from the list, or a clinician number.
    const byName = [...names.entries()].find(([, n]) => n.toLowerCase() === clinician.trim().toLowerCase())?.[0];
    const id = byName ?? (/^\d+$/.test(clinician.trim()) ? Number(clinician.trim()) : 0);
    if (!id) {
      setError('Choose a clinician from the list or type their number.');
      return;
    }
    setError(undefined);
    setAnswer(null);
    const e = await action.run(() => api.explainCandidate(shiftId, id));
    if (e) setAnswer(e);
  };
  const shownName = answer ? names.get(answer.clinician_id) ?? `Clinician #${answer.clinician_id}` : '';
  return (
    <form className="explain" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${inputId}-heading`}>
      <h3 id={`${inputId}-heading`}>Why is a clinician eligible or not?</h3>
      <div className="field">
        <label htmlFor={inputId}>Clinician (name or number)</label>
        <input id={inputId} list={listId} value={clinician} onChange={(e) => setClinician(e.target.value)}
          aria-invalid={error ? true : undefined} aria-describedby={error ? `${inputId}-error` : undefined} />
        <datalist id={listId}>{[...new Set(names.values())].map((n) => <option key={n} value={n} />)}</datalist>
        {error && <span id={`${inputId}-error`} className="field-error">{error}</span>}
      </div>
      <button type="submit" className="button-secondary" disabled={action.busy}>Explain</button>
      <ProblemNotice problem={action.problem} />
      {answer && (
        <div className="explanation" role="status">
          <p><strong>{shownName}</strong> is {answer.eligible ? 'eligible' : 'not eligible'} for this shift
            {answer.eligible && ` (score ${Math.round(answer.score)}: ${scoreParts(answer)})`}.</p>
          <RuleList eligibility={answer} />
        </div>
      )}
    </form>
  );
}

export function ShiftPanel({ shiftId, units, canManage, onChanged, onClose }: {
  shiftId: number;
  units: Unit[];
  canManage: boolean;
  onChanged(): void;
  onClose(): void;
}) {
  const { state, reload } = useReloadable(async () => {
    const shift: ShiftDetail = await api.shift(shiftId);
    const future = Date.parse(shift.start) > Date.now() && shift.status !== 'cancelled';
    const candidates = canManage && future ? (await api.candidates(shiftId)).items : [];
    const staff = canManage ? await api.facilityClinicians(shift.facility_id).then((r) => r.items, () => []) : [];
    const names = await clinicianNames([...shift.claims.map((c) => c.clinician_id), ...candidates.map((c) => c.clinician_id)]);
    for (const c of staff) names.set(c.id, `${c.first_name} ${c.last_name}`);
    return { shift, candidates, names, future };
  }, [shiftId, canManage]);
  const decide = useAction();
  const assign = useAction();
  const [declining, setDeclining] = useState<number | null>(null);
  useLiveEvent((event) => {
    if ((event.type.startsWith('shift.') || event.type.startsWith('claim.')) && event.shift_id === shiftId) reload();
  });
  const changed = () => { reload(); onChanged(); };

  if (state.status === 'loading') return <section className="card shift-panel" aria-label="Shift"><Loading /></section>;
  if (state.status === 'error') return <section className="card shift-panel" aria-label="Shift"><LoadError error={state.error} /></section>;
  const { shift, candidates, names, future } = state.data;
  const unit = units.find((u) => u.id === shift.unit_id)?.name ?? `Unit #${shift.unit_id}`;
  const name = (id: number) => names.get(id) ?? `Clinician #${id}`;
  const claims = [...shift.claims].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  const open = shift.status === 'open' && future;
  return (
    <section className="card shift-panel" aria-labelledby="shift-panel-heading" data-shift-id={shift.id}>
      <div className="section-head">
        <h2 id="shift-panel-heading">{unit}: {shift.discipline}, {shiftWhen(shift)}</h2>
        <button type="button" className="button-secondary" onClick={onClose}>Close</button>
      </div>
      <dl className="facts">
        <dt>Status</dt><dd data-testid="panel-status">{shiftStatusLabel(shift.status)}, {shift.filled} of {shift.openings} filled
          {shift.cancel_reason && ` (${shift.cancel_reason})`}</dd>
        <dt>Length</dt><dd>{shiftLength(shift)}</dd>
        <dt>Pay / bill rate</dt><dd>{formatCents(shift.pay_rate_cents)} / {formatCents(shift.bill_rate_cents)} per hour
          {shift.incentive_cents > 0 && `, ${formatCents(shift.incentive_cents)} bonus`}</dd>
        <dt>Time zone</dt><dd>{shift.time_zone}</dd>
        {shift.notes && <><dt>Notes</dt><dd>{shift.notes}</dd></>}
      </dl>

      <h3>Claims</h3>
      {claims.length === 0 ? <p className="muted">Nobody has claimed this shift yet.</p> : (
        <table className="data">
          <caption>Claims, oldest first</caption>
          <thead><tr><th scope="col">Clinician</th><th scope="col">Status</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {claims.map((c) => (
              <tr key={c.id} data-claim-id={c.id}>
                <th scope="row">{name(c.clinician_id)}</th>
                <td>{claimStatusLabel(c.status)}{c.no_show_at && ' (no-show)'}</td>
                <td>
                  {canManage && c.status === 'pending' && (declining === c.id
                    ? <ReasonForm name={`Decline the claim of ${name(c.clinician_id)}`} label="Reason for the clinician"
                        submitLabel="Decline" missing="Say why; the clinician reads it." maxLength={1000}
                        send={(reason) => api.declineClaim(c.id, reason)} onDone={() => { setDeclining(null); changed(); }} />
                    : (
                      <div className="actions">
                        <button type="button" disabled={decide.busy} aria-label={`Approve the claim of ${name(c.clinician_id)}`}
                          onClick={() => void decide.run(() => api.approveClaim(c.id)).then((r) => { if (r) changed(); })}>Approve</button>
                        <button type="button" className="button-secondary" aria-label={`Decline the claim of ${name(c.clinician_id)}…`}
                          onClick={() => setDeclining(c.id)}>Decline…</button>
                      </div>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ProblemNotice problem={decide.problem} />

      {canManage && future && (
        <>
          <h3>Candidates</h3>
          <p className="muted small">Eligible clinicians, best first. Score: favorite +1000; reliability up to +300 (completed shifts
            against cancellations and no-shows); rating +40 per star above one; −2 per km (at most −200); −150 if the shift
            puts them past 40 hours in the week.</p>
          {candidates.length === 0 ? <p>No eligible clinician for this shift right now.</p> : (
            <table className="data">
              <caption>{candidates.length} eligible clinician{candidates.length === 1 ? '' : 's'}, ranked</caption>
              <thead>
                <tr><th scope="col">Clinician</th><th scope="col" className="num">Score</th><th scope="col">Why this rank</th>
                  <th scope="col" className="num">Distance</th><th scope="col" className="num">Hours this week</th>
                  {open && <th scope="col"><span className="visually-hidden">Actions</span></th>}</tr>
              </thead>
              <tbody>
                {candidates.map((e) => (
                  <tr key={e.clinician_id} data-clinician-id={e.clinician_id}>
                    <th scope="row">{name(e.clinician_id)}</th>
                    <td className="num">{Math.round(e.score)}</td>
                    <td className="small">{scoreParts(e)}</td>
                    <td className="num">{e.distance_km.toFixed(1)} km</td>
                    <td className="num">{formatHours(e.week_paid_minutes)}</td>
                    {open && (
                      <td>
                        <button type="button" className="button-secondary" disabled={assign.busy}
                          aria-label={`Book ${name(e.clinician_id)} on this shift`}
                          onClick={() => void assign.run(() => api.assignShift(shift.id, e.clinician_id)).then((r) => { if (r) changed(); })}>
                          Book
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <ProblemNotice problem={assign.problem} />
          <Explain shiftId={shift.id} names={names} />
        </>
      )}
    </section>
  );
}
