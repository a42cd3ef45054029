// One pay run: its totals and exceptions, the statements (one per clinician, linking to the
// line-by-line explanation), the exports (register CSV and XLSX, the contractors' NACHA file
// once finalized, each statement's PDF), and for payroll staff Finalize (atomic; a finalized
// run is immutable, PAY-RUN-ATOMIC) or Discard of a draft.
import { useState } from 'react';
import { api, downloads } from '../../api/client';
import type { PayRun } from '../../api/types';
import { formatCents, formatHours, formatInZone } from '../../shell/format';
import { ProblemNotice, useAction } from '../../shell/form';
import { useLiveEvent } from '../../shell/live';
import { LiveProgress } from '../../shell/progress';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { Link } from '../../shell/router';
import { useUser } from '../../shell/session';
import { DownloadButton } from './DownloadButton';
import { kPayRunPhases, overtimeLawLabel, periodLabel, runStatusLabel, workerTypeLabel } from './labels';

export function PayRunPage({ id }: { id: number }) {
  const user = useUser();
  const canRun = user.role === 'mso_admin' || user.role === 'billing';
  const { state, reload } = useReloadable(async () => {
    const [run, statements, settings] = await Promise.all([api.payRun(id), api.payRunStatements(id), api.paySettings()]);
    return { run, statements: statements.items, zone: settings.time_zone };
  }, [id]);
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<PayRun | null>(null);
  useLiveEvent((event) => {
    if (event.type === 'payrun.finalized' && event.pay_run_id === id) reload();
  });

  const finalize = async () => {
    const run = await action.run(() => api.finalizePayRun(id));
    setConfirming(false);
    if (run) {
      setDone(run);
      reload();
    }
  };
  const discard = async () => {
    const run = await action.run(() => api.discardPayRun(id));
    if (run) reload();
  };

  return (
    <>
      <p className="breadcrumb"><Link to="/pay-runs">← Pay runs</Link></p>
      <h1 tabIndex={-1}>{state.status === 'ok' ? `Pay run ${periodLabel(state.data.run)}` : 'Pay run'}</h1>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} />}
      {state.status === 'ok' && (() => {
        const { run, statements, zone } = state.data;
        const base = `pay-run-${run.id}-${run.period_start}`;
        return (
          <>
            <dl className="facts">
              <dt>Status</dt><dd><span className={`status status-${run.status}`}>{runStatusLabel(run.status)}</span>
                {run.kind === 'adjustment' && ' (adjustment run)'}</dd>
              <dt>Statements</dt><dd>{run.statements} from {run.timesheets} approved timesheet{run.timesheets === 1 ? '' : 's'}</dd>
              <dt>Gross</dt><dd>{formatCents(run.gross_cents)}</dd>
              <dt>Net due</dt><dd>{formatCents(run.net_due_cents)} <span className="muted">(gross less instant-pay advances)</span></dd>
              <dt>Computed</dt><dd>{formatInZone(run.created_at, zone)}</dd>
              {run.finalized_at && <><dt>Finalized</dt><dd>{formatInZone(run.finalized_at, zone)}</dd></>}
            </dl>

            {run.exceptions.length > 0 && (
              <section className="card notice-error-card" aria-labelledby="exceptions-heading">
                <h2 id="exceptions-heading">Not paid in this run ({run.exceptions.length})</h2>
                <ul>
                  {run.exceptions.map((e) => (
                    <li key={e.clinician_id}>Clinician #{e.clinician_id}: {e.errors.map((x) => x.message).join(' ')}</li>
                  ))}
                </ul>
              </section>
            )}

            {done && (
              <p className="notice notice-ok" role="status">
                Finalized: {done.statements} statements, gross {formatCents(done.gross_cents)}. The run can no longer change.
              </p>
            )}
            <ProblemNotice problem={action.problem} />
            {canRun && run.status === 'draft' && (
              <div className="actions">
                {!confirming ? (
                  <>
                    <button type="button" onClick={() => setConfirming(true)}>Finalize…</button>
                    <button type="button" className="button-secondary" disabled={action.busy} onClick={() => void discard()}>
                      Discard draft
                    </button>
                  </>
                ) : (
                  <div className="card confirm" role="group" aria-label="Confirm finalizing">
                    <p>Finalizing pays {run.statements} statements ({formatCents(run.gross_cents)} gross) and cannot be undone;
                      a correction later goes into an adjustment run.</p>
                    <div className="actions">
                      <button type="button" disabled={action.busy} onClick={() => void finalize()}>Finalize pay run</button>
                      <button type="button" className="button-secondary" disabled={action.busy}
                        onClick={() => setConfirming(false)}>Cancel</button>
                    </div>
                  </div>
                )}
              </div>
            )}
            <LiveProgress type="payrun.progress" match={(e) => e.period_start === run.period_start}
              phases={kPayRunPhases} waiting="Finalizing: recording every paid minute once" running={action.busy} />

            <div className="actions" role="group" aria-label="Downloads">
              <a className="button-link" href={downloads.registerCsv(run.id)} download={`${base}-register.csv`}>Register (CSV)</a>
              <a className="button-link" href={downloads.registerXlsx(run.id)} download={`${base}-register.xlsx`}>Register (XLSX)</a>
              {run.status === 'finalized' && canRun && (
                <DownloadButton path={downloads.nacha(run.id)} fileName={`${base}-contractors.ach`}
                  label="Contractors' direct deposit (NACHA)" />
              )}
            </div>

            <table className="data">
              <caption>{statements.length} statement{statements.length === 1 ? '' : 's'}; hours are regular, overtime and double time</caption>
              <thead>
                <tr>
                  <th scope="col">Clinician</th>
                  <th scope="col">Type</th>
                  <th scope="col">Overtime law</th>
                  <th scope="col" className="num">Worked</th>
                  <th scope="col" className="num">Regular</th>
                  <th scope="col" className="num">Overtime</th>
                  <th scope="col" className="num">Double time</th>
                  <th scope="col" className="num">Gross</th>
                  <th scope="col" className="num">Net due</th>
                  <th scope="col">PDF</th>
                </tr>
              </thead>
              <tbody>
                {statements.map((s) => (
                  <tr key={s.id} data-statement-id={s.id} data-clinician-id={s.clinician_id}>
                    <th scope="row"><Link to={`/pay-statements/${s.id}`}>{s.clinician_name}</Link></th>
                    <td>{workerTypeLabel(s.worker_type)}</td>
                    <td>{overtimeLawLabel(s.overtime_law)}</td>
                    <td className="num">{formatHours(s.worked_minutes)}</td>
                    <td className="num">{formatHours(s.regular_minutes)}</td>
                    <td className="num">{formatHours(s.overtime_minutes)}</td>
                    <td className="num">{formatHours(s.double_time_minutes)}</td>
                    <td className="num">{formatCents(s.gross_cents)}</td>
                    <td className="num">{formatCents(s.net_due_cents)}</td>
                    <td>
                      <a href={downloads.statementPdf(s.id)} download={`pay-statement-${s.id}.pdf`}
                        aria-label={`Pay statement of ${s.clinician_name} (PDF)`}>PDF</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        );
      })()}
    </>
  );
}
