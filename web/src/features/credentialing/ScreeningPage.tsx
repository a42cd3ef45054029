// "Screening" for the credentialing team: matches of the MSO's clinicians with the OIG LEIE
// exclusion list (GET /api/v1/screening/results), the clinician and the list row side by
// side so that a name-only "possible" can be judged (SCREEN-MATCH: never an automatic
// exclusion), confirm or dismiss with the evidence as reason (confirming makes the
// clinician ineligible at once), and a manual run against the active list.
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { ScreeningResult, ScreeningStatus } from '../../api/types';
import { formatDate, formatInZone } from '../../shell/format';
import { ProblemNotice, TextField, useAction } from '../../shell/form';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { Link } from '../../shell/router';
import './credentialing.css';

const kMatch: Record<string, string> = {
  npi: 'Same NPI',
  name_dob: 'Same name and date of birth',
  name: 'Same name only (possible)',
};
const kStatus: Record<ScreeningStatus, string> = {
  possible: 'Possible, to review',
  confirmed: 'Confirmed exclusion',
  dismissed: 'Dismissed',
  lifted: 'Lifted (reinstated)',
};

const norm = (s: string | null | undefined) => (s ?? '').trim().toUpperCase();

/** One line of the comparison: the clinician's value, the list's, and whether they agree. */
function Pair({ label, mine, theirs }: { label: string; mine: string | null; theirs: string | null }) {
  const same = !!mine && !!theirs && norm(mine) === norm(theirs);
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className={same ? 'same' : undefined}>{mine || '—'}</td>
      <td className={same ? 'same' : undefined}>{theirs || '—'}{same && <span className="visually-hidden"> (same)</span>}</td>
    </tr>
  );
}

function Decision({ result, onDone }: { result: ScreeningResult; onDone(r: ScreeningResult): void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const action = useAction();
  const who = `${result.clinician.first_name} ${result.clinician.last_name}`;
  // Two explicit buttons and no default: pressing Enter in the reason decides nothing.
  const decide = async (decision: 'confirm' | 'dismiss') => {
    if (!reason.trim()) {
      setError('Give the evidence for the decision, e.g. "OIG online search: date of birth differs".');
      return;
    }
    setError(undefined);
    const done = await action.run(() => api.decideScreening(result.id, decision, reason.trim()));
    if (done) onDone(done);
  };
  return (
    <form className="decision-form" noValidate aria-label={`Decide the match of ${who}`}
      onSubmit={(e: FormEvent<HTMLFormElement>) => e.preventDefault()}>
      <TextField label="Reason (evidence)" value={reason} onChange={setReason} maxLength={1000}
        error={error ?? action.problem?.fields.reason} />
      <button type="button" className="button-danger" disabled={action.busy} onClick={() => void decide('confirm')}>
        Confirm exclusion
      </button>
      <button type="button" className="button-secondary" disabled={action.busy} onClick={() => void decide('dismiss')}>
        Dismiss
      </button>
      <ProblemNotice problem={action.problem} fieldsShown={['reason']} />
    </form>
  );
}

function ResultCard({ result, onDecided }: { result: ScreeningResult; onDecided(text: string): void }) {
  const { clinician: c, entry: e } = result;
  const who = `${c.first_name} ${c.last_name}`;
  const headingId = `screening-${result.id}`;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <section className="card" aria-labelledby={headingId} data-result-id={result.id}>
      <h2 id={headingId}>{who}: {kMatch[result.match] ?? result.match}</h2>
      <p className="muted small">{kStatus[result.status] ?? result.status}; found {formatInZone(result.created_at, zone, false)}
        {result.decided_at && `; decided ${formatInZone(result.decided_at, zone, false)}`}
        {result.reason && ` (${result.reason})`}. <Link to={`/clinicians/${result.clinician_id}`}>Clinician file</Link></p>
      <table className="data">
        <caption>The clinician and the LEIE row side by side (agreeing values in bold)</caption>
        <thead>
          <tr><th scope="col">Field</th><th scope="col">Clinician</th><th scope="col">LEIE row</th></tr>
        </thead>
        <tbody>
          <Pair label="Last name" mine={c.last_name} theirs={e.last_name} />
          <Pair label="First name" mine={c.first_name} theirs={e.first_name} />
          <Pair label="Middle name" mine={null} theirs={e.mid_name} />
          <Pair label="Date of birth" mine={c.date_of_birth ? formatDate(c.date_of_birth) : null}
            theirs={e.dob ? formatDate(e.dob) : null} />
          <Pair label="NPI" mine={c.npi} theirs={e.npi} />
          <Pair label="State" mine={c.primary_state} theirs={e.state} />
          <Pair label="Business" mine={null} theirs={e.bus_name} />
          <Pair label="General / specialty" mine={null} theirs={[e.general, e.specialty].filter(Boolean).join(' / ')} />
          <Pair label="Address" mine={null} theirs={[e.address, e.city, e.zip].filter(Boolean).join(', ')} />
          <Pair label="Exclusion" mine={null}
            theirs={[e.excl_type, e.excl_date ? `since ${formatDate(e.excl_date)}` : ''].filter(Boolean).join(' ')} />
          {e.rein_date && <Pair label="Reinstated" mine={null} theirs={formatDate(e.rein_date)} />}
        </tbody>
      </table>
      {result.status === 'possible' && (
        <Decision result={result} onDone={(r) => onDecided(`${r.status === 'confirmed' ? 'Confirmed' : 'Dismissed'} the match of ${who}.`)} />
      )}
    </section>
  );
}

export function ScreeningPage() {
  const [status, setStatus] = useState<ScreeningStatus | ''>('possible');
  const [notice, setNotice] = useState<string | null>(null);
  const statusId = useId();
  const run = useAction();
  const { state, reload } = useReloadable(async () => {
    const [results, runs] = await Promise.all([api.screeningResults(status), api.screeningRuns()]);
    return { results: results.items, runs: runs.items };
  }, [status]);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const runNow = async () => {
    setNotice(null);
    const r = await run.run(() => api.runScreening());
    if (r) {
      setNotice(`Screened ${r.clinicians} clinicians: ${r.confirmed} confirmed, ${r.possible} possible new matches.`);
      reload();
    }
  };
  const last = state.status === 'ok' ? state.data.runs[0] : undefined;
  return (
    <>
      <h1 tabIndex={-1}>Screening</h1>
      <p className="muted">Clinicians matched with the OIG exclusion list (LEIE). An NPI or a name with the same date of birth is
        confirmed at once; a name alone is only possible and waits for a person to decide.</p>
      <div className="filters">
        <div className="field">
          <label htmlFor={statusId}>Show</label>
          <select id={statusId} value={status} onChange={(e) => setStatus(e.target.value as ScreeningStatus | '')}>
            <option value="possible">Possible (to review)</option>
            <option value="confirmed">Confirmed exclusions</option>
            <option value="dismissed">Dismissed</option>
            <option value="lifted">Lifted</option>
            <option value="">All</option>
          </select>
        </div>
        <button type="button" className="button-secondary" disabled={run.busy} onClick={() => void runNow()}>
          {run.busy ? 'Screening…' : 'Screen everyone now'}
        </button>
      </div>
      {last && <p className="small muted">Last run {formatInZone(last.started_at, zone, false)} ({last.trigger}): {last.clinicians} clinicians,
        {' '}{last.confirmed} confirmed, {last.possible} possible.</p>}
      {notice && <p className="notice notice-ok" role="status">{notice}</p>}
      <ProblemNotice problem={run.problem} />
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} />}
      {state.status === 'ok' && (state.data.results.length === 0 ? <p>No {status ? kStatus[status].toLowerCase() : 'matches'}.</p> : (
        <div className="cards">
          {state.data.results.map((r) => (
            <ResultCard key={r.id} result={r} onDecided={(text) => { setNotice(text); reload(); }} />
          ))}
        </div>
      ))}
    </>
  );
}
