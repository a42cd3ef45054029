// "Pay runs" (billing, MSO admin; auditors read): the runs, newest first (GET
// /api/v1/pay-runs), and "New pay run" for a pay period: the draft is computed for everyone
// with approved, unpaid minutes in it (POST /api/v1/pay-runs), with live progress.
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { PayRun } from '../../api/types';
import { formatCents, formatInZone } from '../../shell/format';
import { ProblemNotice, useAction } from '../../shell/form';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { LiveProgress } from '../../shell/progress';
import { Link } from '../../shell/router';
import { useUser } from '../../shell/session';
import { kPayRunPhases, periodLabel, recentPeriods, runStatusLabel } from './labels';

type Period = Pick<PayRun, 'period_start' | 'period_end'>;

function NewRunForm({ periods, onCreated }: { periods: Period[]; onCreated(run: PayRun): void }) {
  // The last complete period by default; the current one is offered, marked as in progress.
  const [periodStart, setPeriodStart] = useState(periods[1]?.period_start ?? periods[0]?.period_start ?? '');
  const [kind, setKind] = useState<'regular' | 'adjustment'>('regular');
  const [started, setStarted] = useState<string | null>(null);
  const action = useAction();
  const periodId = useId();
  const kindId = useId();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setStarted(periodStart);
    const run = await action.run(() => api.createPayRun(periodStart, kind));
    if (run) onCreated(run);
  };
  const periodError = action.problem?.fields.period_start;
  return (
    <form className="card inline-form" onSubmit={(e) => void submit(e)} aria-labelledby="new-run-heading">
      <h2 id="new-run-heading">New pay run</h2>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={periodId}>Pay period</label>
          <select id={periodId} value={periodStart} onChange={(e) => setPeriodStart(e.target.value)}
            aria-invalid={periodError ? true : undefined} aria-describedby={periodError ? `${periodId}-error` : undefined}>
            {periods.map((p, i) => (
              <option key={p.period_start} value={p.period_start}>
                {periodLabel(p)}{i === 0 ? ' (current period, in progress)' : ''}
              </option>
            ))}
          </select>
          {periodError && <span id={`${periodId}-error`} className="field-error">{periodError}</span>}
        </div>
        <div className="field">
          <label htmlFor={kindId}>Kind</label>
          <select id={kindId} value={kind} onChange={(e) => setKind(e.target.value as 'regular' | 'adjustment')}>
            <option value="regular">Regular</option>
            <option value="adjustment">Adjustment (corrections after a finalized run)</option>
          </select>
        </div>
      </div>
      <ProblemNotice problem={action.problem} fieldsShown={['period_start']} />
      {started && (
        <LiveProgress type="payrun.progress" match={(e) => e.period_start === started} phases={kPayRunPhases}
          waiting="Starting" running={action.busy} />
      )}
      <button type="submit" disabled={action.busy || !periodStart}>{action.busy ? 'Computing…' : 'Compute draft'}</button>
    </form>
  );
}

export function PayRunsPage() {
  const user = useUser();
  const canRun = user.role === 'mso_admin' || user.role === 'billing';
  const { state, reload } = useReloadable(async () => {
    const [runs, settings] = await Promise.all([api.payRuns(), api.paySettings()]);
    return { runs: runs.items, settings };
  }, []);
  const [created, setCreated] = useState<PayRun | null>(null);
  return (
    <>
      <h1 tabIndex={-1}>Pay runs</h1>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} />}
      {state.status === 'ok' && (
        <>
          {canRun && (
            <NewRunForm periods={recentPeriods(state.data.settings, 7)}
              onCreated={(run) => { setCreated(run); reload(); }} />
          )}
          {created && (
            <p className="notice notice-ok" role="status">
              Draft computed for {periodLabel(created)}: {created.statements} statements from {created.timesheets}{' '}
              timesheets, gross {formatCents(created.gross_cents)}
              {created.exceptions.length > 0 && `, ${created.exceptions.length} exception(s) to look at`}.{' '}
              <Link to={`/pay-runs/${created.id}`}>Review the draft</Link>
            </p>
          )}
          {state.data.runs.length === 0 ? <p>No pay runs yet.</p> : (
            <table className="data">
              <caption>{state.data.runs.length} pay run{state.data.runs.length === 1 ? '' : 's'}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Pay period</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">Statements</th>
                  <th scope="col" className="num">Gross</th>
                  <th scope="col" className="num">Net due</th>
                  <th scope="col">Finalized</th>
                </tr>
              </thead>
              <tbody>
                {state.data.runs.map((run) => (
                  <tr key={run.id} data-pay-run-id={run.id}>
                    <th scope="row"><Link to={`/pay-runs/${run.id}`}>{periodLabel(run)}</Link></th>
                    <td>{run.kind === 'adjustment' ? 'Adjustment' : 'Regular'}</td>
                    <td><span className={`status status-${run.status}`}>{runStatusLabel(run.status)}</span></td>
                    <td className="num">{run.statements}</td>
                    <td className="num">{formatCents(run.gross_cents)}</td>
                    <td className="num">{formatCents(run.net_due_cents)}</td>
                    <td>{run.finalized_at ? formatInZone(run.finalized_at, state.data.settings.time_zone) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
