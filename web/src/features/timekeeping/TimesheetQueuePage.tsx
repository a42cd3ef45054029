// "Timesheets": a facility's approval queue (GET /api/v1/facilities/{id}/timesheets, submitted
// by default, or another status) with geofence and early/late flags written out, approve in
// place, and the detail page for punches, revisions, disputes and corrections. Refreshes on
// the live "timesheet.*" events of the facility.
import { useId, useState } from 'react';
import { api } from '../../api/client';
import type { TimesheetStatus } from '../../api/types';
import { formatHours, formatInZone, formatTimeInZone } from '../../shell/format';
import { ProblemNotice, useAction } from '../../shell/form';
import { useLiveEvent } from '../../shell/live';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { Link } from '../../shell/router';
import { useUser } from '../../shell/session';
import { useFacilityChoice } from '../org/FacilityPicker';
import { clinicianNames } from './names';
import { Flags, StatusBadge } from './labels';

type Filter = TimesheetStatus | 'all';

export function TimesheetQueuePage() {
  const user = useUser();
  const canDecide = user.role === 'mso_admin' || user.role === 'facility_manager';
  const { load: facilities, facility, picker } = useFacilityChoice();
  const [status, setStatus] = useState<Filter>('submitted');
  const statusId = useId();
  const facilityId = facility?.id ?? 0;
  const { state, reload } = useReloadable(async () => {
    if (!facilityId) return null;
    const list = await api.facilityTimesheets(facilityId, status);
    const names = await clinicianNames(list.items.map((t) => t.clinician_id));
    return { items: list.items, names };
  }, [facilityId, status]);
  const approve = useAction();
  useLiveEvent((event) => {
    if (event.type.startsWith('timesheet.') && event.facility_id === facilityId) reload();
  });

  return (
    <>
      <h1 tabIndex={-1}>Timesheets</h1>
      <div className="filters">
        {picker}
        <div className="field">
          <label htmlFor={statusId}>Status</label>
          <select id={statusId} value={status} onChange={(e) => setStatus(e.target.value as Filter)}>
            <option value="submitted">Submitted (to approve)</option>
            <option value="disputed">Disputed</option>
            <option value="open">Open (not yet submitted)</option>
            <option value="approved">Approved</option>
            <option value="all">All</option>
          </select>
        </div>
      </div>
      {facilities.status === 'loading' && <Loading />}
      {facilities.status === 'error' && <LoadError error={facilities.error} />}
      {facilities.status === 'ok' && !facility && <p>No facilities are assigned to you.</p>}
      {facility && state.status === 'loading' && <Loading />}
      {facility && state.status === 'error' && <LoadError error={state.error} />}
      <ProblemNotice problem={approve.problem} />
      {facility && state.status === 'ok' && state.data && (state.data.items.length === 0 ? (
        <p>No {status === 'all' ? '' : `${status} `}timesheets at {facility.name}.</p>
      ) : (
        <table className="data">
          <caption>
            {facility.name}: {state.data.items.length} {status === 'all' ? '' : `${status} `}
            timesheet{state.data.items.length === 1 ? '' : 's'} (times in {facility.time_zone})
          </caption>
          <thead>
            <tr>
              <th scope="col">Clinician</th>
              <th scope="col">Shift</th>
              <th scope="col">Clock-in – clock-out</th>
              <th scope="col" className="num">Worked</th>
              <th scope="col">Flags</th>
              <th scope="col">Status</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {state.data.items.map((t) => {
              const name = state.data?.names.get(t.clinician_id) ?? `Clinician #${t.clinician_id}`;
              return (
                <tr key={t.id} data-timesheet-id={t.id}>
                  <th scope="row"><Link to={`/timesheets/${t.id}`}>{name}</Link></th>
                  <td className="nowrap">{formatInZone(t.scheduled_start, t.time_zone, false)}</td>
                  <td className="nowrap">{formatTimeInZone(t.clock_in, t.time_zone)} – {formatTimeInZone(t.clock_out, t.time_zone)}</td>
                  <td className="num">{formatHours(t.worked_minutes)}</td>
                  <td><Flags sheet={t} /></td>
                  <td>
                    <StatusBadge status={t.status} />
                    {t.correction && <span className="tag">Correction requested</span>}
                  </td>
                  <td>
                    {canDecide && t.status === 'submitted' && !t.correction && (
                      <button type="button" disabled={approve.busy} aria-label={`Approve timesheet of ${name}`}
                        onClick={() => void approve.run(() => api.approveTimesheet(t.id)).then(reload)}>
                        Approve
                      </button>
                    )}
                    {' '}<Link to={`/timesheets/${t.id}`} aria-label={`Review timesheet of ${name}`}>Review</Link>
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
