// One pay statement with its line-by-line explanation: each line names the rule that
// produced it (PAY-OT-*, PAY-DIFF-*, ...), its minutes, rate and amount, and the timesheet it
// pays (0 = a workweek premium line). For finance staff and for the clinician (finalized runs).
import { api, downloads } from '../../api/client';
import { formatCents, formatDuration, formatHours, formatInZone } from '../../shell/format';
import { LoadError, Loading, useLoad } from '../../shell/load';
import { Link } from '../../shell/router';
import { useUser } from '../../shell/session';
import { overtimeLawLabel, workerTypeLabel } from './labels';

export function PayStatementPage({ id }: { id: number }) {
  const user = useUser();
  const load = useLoad(async () => {
    const statement = await api.payStatement(id);
    // Finance staff may read the settings' zone for the workweek starts; a clinician sees UTC.
    let zone = 'UTC';
    if (user.role !== 'clinician') {
      try { zone = (await api.paySettings()).time_zone; } catch { /* keep UTC */ }
    }
    return { statement, zone };
  }, [id]);
  const back = user.role === 'clinician'
    ? { to: '/my-pay-statements', label: 'Pay statements' }
    : load.status === 'ok' ? { to: `/pay-runs/${load.data.statement.pay_run_id}`, label: 'Pay run' } : { to: '/pay-runs', label: 'Pay runs' };
  return (
    <>
      <p className="breadcrumb"><Link to={back.to}>← {back.label}</Link></p>
      <h1 tabIndex={-1}>{load.status === 'ok' ? `Pay statement of ${load.data.statement.clinician_name}` : 'Pay statement'}</h1>
      {load.status === 'loading' && <Loading />}
      {load.status === 'error' && <LoadError error={load.error} />}
      {load.status === 'ok' && (() => {
        const { statement: s, zone } = load.data;
        const lines = s.lines ?? [];
        return (
          <>
            <p>
              <a className="button-link" href={downloads.statementPdf(s.id)} download={`pay-statement-${s.id}.pdf`}>
                Download the PDF
              </a>
            </p>
            <dl className="facts">
              <dt>Worker type</dt><dd>{workerTypeLabel(s.worker_type)}</dd>
              <dt>Overtime law</dt><dd>{overtimeLawLabel(s.overtime_law)}</dd>
              <dt>Hours</dt>
              <dd>{formatHours(s.worked_minutes)} worked: {formatHours(s.regular_minutes)} regular,{' '}
                {formatHours(s.overtime_minutes)} overtime, {formatHours(s.double_time_minutes)} double time</dd>
            </dl>
            <table className="data totals">
              <caption>Earnings</caption>
              <tbody>
                <tr><th scope="row">Straight time</th><td className="num">{formatCents(s.straight_time_cents)}</td></tr>
                <tr><th scope="row">Differentials</th><td className="num">{formatCents(s.differentials_cents)}</td></tr>
                <tr><th scope="row">Bonuses</th><td className="num">{formatCents(s.bonuses_cents)}</td></tr>
                <tr><th scope="row">Overtime premium</th><td className="num">{formatCents(s.overtime_premium_cents)}</td></tr>
                <tr><th scope="row">Double-time premium</th><td className="num">{formatCents(s.double_time_premium_cents)}</td></tr>
                <tr><th scope="row">Holiday premium</th><td className="num">{formatCents(s.holiday_premium_cents)}</td></tr>
                <tr><th scope="row">Cancellation pay</th><td className="num">{formatCents(s.cancellation_cents)}</td></tr>
                <tr className="total"><th scope="row">Gross</th><td className="num">{formatCents(s.gross_cents)}</td></tr>
                <tr><th scope="row">Instant-pay advances</th><td className="num">−{formatCents(s.advances_cents)}</td></tr>
                <tr className="total"><th scope="row">Net due</th><td className="num">{formatCents(s.net_due_cents)}</td></tr>
              </tbody>
            </table>
            <table className="data">
              <caption>How it was computed, line by line</caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Timesheet</th>
                  <th scope="col">Workweek from</th>
                  <th scope="col" className="num">Time</th>
                  <th scope="col" className="num">Rate</th>
                  <th scope="col" className="num">Amount</th>
                </tr>
              </thead>
              <tbody>
                {lines.length === 0 && <tr><td colSpan={7}>No lines.</td></tr>}
                {lines.map((line, i) => (
                  <tr key={i} data-ref={line.ref}>
                    <th scope="row">{line.explanation || line.code}<div className="muted small"><code>{line.code}</code></div></th>
                    <td><code>{line.rule_id}</code></td>
                    <td>{line.ref ? `#${line.ref}` : 'week premium'}</td>
                    <td className="nowrap">{formatInZone(line.week_start, zone, false)}</td>
                    <td className="num">{line.minutes ? formatDuration(line.minutes) : '—'}</td>
                    <td className="num">{line.rate_cents ? formatCents(line.rate_cents) : '—'}</td>
                    <td className="num">{formatCents(line.amount_cents)}</td>
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
