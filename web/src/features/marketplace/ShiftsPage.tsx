// "Shifts" for facility managers and MSO admins: a facility's shifts (GET
// /api/v1/facilities/{id}/shifts, a week back to 90 days ahead) with their fill, the post
// form, and cancel with a reason; refreshed by the facility's live "shift.*" and "claim.*"
// events (a claim elsewhere fills a row here without a reload).
import { useState } from 'react';
import { api } from '../../api/client';
import type { Shift } from '../../api/types';
import { formatCents } from '../../shell/format';
import { ReasonForm } from '../../shell/form';
import { useLiveEvent } from '../../shell/live';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { useUser } from '../../shell/session';
import { useFacilityChoice } from '../org/FacilityPicker';
import { PostShiftForm } from './PostShiftForm';
import { shiftLength, shiftStatusLabel, shiftWhen } from './labels';

export function ShiftsPage() {
  const user = useUser();
  const canPost = user.role === 'mso_admin' || user.role === 'facility_manager';
  const { load: facilities, facility, picker } = useFacilityChoice();
  const facilityId = facility?.id ?? 0;
  const [posting, setPosting] = useState(false);
  const [posted, setPosted] = useState<{ shift: Shift; count: number } | null>(null);
  const [cancelling, setCancelling] = useState<number | null>(null);
  const { state, reload } = useReloadable(async () => {
    if (!facilityId) return null;
    const [shifts, units, disciplines] = await Promise.all([
      api.facilityShifts(facilityId), api.units(facilityId), api.disciplines(),
    ]);
    return { shifts: shifts.items, units: units.items, disciplines: disciplines.items };
  }, [facilityId]);
  useLiveEvent((event) => {
    if ((event.type.startsWith('shift.') || event.type.startsWith('claim.')) && event.facility_id === facilityId) reload();
  });

  const unitName = (id: number) => (state.status === 'ok' && state.data?.units.find((u) => u.id === id)?.name) || `Unit #${id}`;
  return (
    <>
      <h1 tabIndex={-1}>Shifts</h1>
      <div className="filters">
        {picker}
        {canPost && facility && state.status === 'ok' && !posting && (
          <button type="button" onClick={() => { setPosted(null); setPosting(true); }}>Post a shift</button>
        )}
      </div>
      {facilities.status === 'loading' && <Loading />}
      {facilities.status === 'error' && <LoadError error={facilities.error} />}
      {facilities.status === 'ok' && !facility && <p>No facilities are assigned to you.</p>}
      {posted && (
        <p className="notice notice-ok" role="status">Posted: {shiftWhen(posted.shift)} ({posted.shift.discipline})
          {posted.count > 1 && ` and ${posted.count - 1} more like it`}.</p>
      )}
      {facility && state.status === 'ok' && state.data && posting && (
        <PostShiftForm facility={facility} units={state.data.units} disciplines={state.data.disciplines}
          onPosted={(shift, count) => { setPosting(false); setPosted({ shift, count }); reload(); }} onCancel={() => setPosting(false)} />
      )}
      {facility && state.status === 'loading' && <Loading />}
      {facility && state.status === 'error' && <LoadError error={state.error} />}
      {facility && state.status === 'ok' && state.data && (state.data.shifts.length === 0 ? (
        <p>No shifts at {facility.name} from a week ago to 90 days ahead.</p>
      ) : (
        <table className="data">
          <caption>{facility.name}: {state.data.shifts.length} shift{state.data.shifts.length === 1 ? '' : 's'} (facility time, {facility.time_zone})</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Unit</th>
              <th scope="col">Discipline</th>
              <th scope="col">Length</th>
              <th scope="col" className="num">Pay / bill rate</th>
              <th scope="col" className="num">Filled</th>
              <th scope="col">Status</th>
              {canPost && <th scope="col"><span className="visually-hidden">Actions</span></th>}
            </tr>
          </thead>
          <tbody>
            {state.data.shifts.map((shift) => (
              <tr key={shift.id} data-shift-id={shift.id}>
                <th scope="row">
                  {shiftWhen(shift)}
                  {shift.urgent && <span className="tag tag-warning">Urgent</span>}
                </th>
                <td>{unitName(shift.unit_id)}</td>
                <td>{shift.discipline}</td>
                <td>{shiftLength(shift)}</td>
                <td className="num">{formatCents(shift.pay_rate_cents)} / {formatCents(shift.bill_rate_cents)}</td>
                <td className="num">{shift.filled} of {shift.openings}</td>
                <td>{shiftStatusLabel(shift.status)}{shift.cancel_reason && `: ${shift.cancel_reason}`}</td>
                {canPost && (
                  <td>
                    {shift.status !== 'cancelled' && Date.parse(shift.start) > Date.now() && (cancelling === shift.id
                      ? <ReasonForm name={`Cancel shift ${shiftWhen(shift)}`} label="Cancellation reason"
                          submitLabel="Cancel shift" missing="Give a reason; booked clinicians read it." maxLength={1000}
                          send={(reason) => api.cancelShift(shift.id, reason)}
                          onDone={() => { setCancelling(null); reload(); }} />
                      : <button type="button" className="button-secondary" aria-label={`Cancel shift ${shiftWhen(shift)}`}
                          onClick={() => setCancelling(shift.id)}>Cancel…</button>)}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  );
}
