// "Pay statements": the clinician's statements of finalized runs (GET
// /api/v1/me/pay-statements), each with its explanation and PDF.
import { api, downloads } from '../../api/client';
import { formatCents, formatHours } from '../../shell/format';
import { LoadError, Loading, useLoad } from '../../shell/load';
import { Link } from '../../shell/router';
import { periodLabel } from './labels';

export function MyPayStatementsPage() {
  const load = useLoad(() => api.myPayStatements(), []);
  return (
    <>
      <h1 tabIndex={-1}>Pay statements</h1>
      {load.status === 'loading' && <Loading />}
      {load.status === 'error' && <LoadError error={load.error} />}
      {load.status === 'ok' && (load.data.items.length === 0 ? <p>No pay statements yet.</p> : (
        <table className="data">
          <caption>{load.data.items.length} statement{load.data.items.length === 1 ? '' : 's'}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Pay period</th>
              <th scope="col" className="num">Worked</th>
              <th scope="col" className="num">Overtime</th>
              <th scope="col" className="num">Gross</th>
              <th scope="col" className="num">Net due</th>
              <th scope="col">PDF</th>
            </tr>
          </thead>
          <tbody>
            {load.data.items.map((s) => {
              const name = s.period_start && s.period_end
                ? periodLabel({ period_start: s.period_start, period_end: s.period_end })
                : `Pay run #${s.pay_run_id}`;
              return (
                <tr key={s.id} data-statement-id={s.id}>
                  <th scope="row"><Link to={`/pay-statements/${s.id}`}>{name}</Link></th>
                  <td className="num">{formatHours(s.worked_minutes)}</td>
                  <td className="num">{formatHours(s.overtime_minutes + s.double_time_minutes)}</td>
                  <td className="num">{formatCents(s.gross_cents)}</td>
                  <td className="num">{formatCents(s.net_due_cents)}</td>
                  <td>
                    <a href={downloads.statementPdf(s.id)} download={`pay-statement-${s.id}.pdf`}
                      aria-label={`Pay statement ${name} (PDF)`}>PDF</a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
    </>
  );
}
