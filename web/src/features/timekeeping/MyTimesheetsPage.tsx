// "My timesheets": the clinician's timesheets, newest first (GET /api/v1/me/timesheets), with
// status, worked hours, flags, a pending correction and the manager's dispute reason.
import { api } from '../../api/client';
import { formatHours, formatInZone, formatTimeInZone } from '../../shell/format';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { Link } from '../../shell/router';
import { Flags, StatusBadge } from './labels';

export function MyTimesheetsPage() {
  const { state } = useReloadable(() => api.myTimesheets(), []);
  return (
    <>
      <h1 tabIndex={-1}>My timesheets</h1>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} />}
      {state.status === 'ok' && (state.data.items.length === 0 ? (
        <p>No timesheets yet: clock in to a booked shift on <Link to="/my-shifts">My shifts</Link>.</p>
      ) : (
        <table className="data">
          <caption>{state.data.items.length === 1 ? '1 timesheet' : `${state.data.items.length} timesheets`}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Shift (facility time)</th>
              <th scope="col">Status</th>
              <th scope="col">Clock-in – clock-out</th>
              <th scope="col" className="num">Worked</th>
              <th scope="col">Flags</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {state.data.items.map((t) => (
              <tr key={t.id} data-timesheet-id={t.id}>
                <th scope="row"><Link to={`/timesheets/${t.id}`}>{formatInZone(t.scheduled_start, t.time_zone)}</Link></th>
                <td><StatusBadge status={t.status} /></td>
                <td className="nowrap">{formatTimeInZone(t.clock_in, t.time_zone)} – {formatTimeInZone(t.clock_out, t.time_zone)}</td>
                <td className="num">{formatHours(t.worked_minutes)}</td>
                <td><Flags sheet={t} /></td>
                <td>
                  {t.status === 'disputed' && t.dispute_reason && <span>Disputed: {t.dispute_reason}</span>}
                  {t.correction && <span className="tag">Correction awaiting approval</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  );
}
