// "Open shifts", the clinician's feed (GET /api/v1/me/open-shifts): only future shifts they
// are eligible for and have not claimed, sorted by start, distance or pay; "Claim" takes an
// opening (POST /api/v1/shifts/{id}/claims), booked at once at instant-book facilities,
// else awaiting the manager (MKT-CLAIM-APPROVAL). A shift released to the clinician (live
// "shift.released" sent to their own sessions, MKT-TIER-RELEASE) appears without a reload.
import { useId, useState } from 'react';
import { api } from '../../api/client';
import type { ClaimWithShift, OpenShift } from '../../api/types';
import { formatCents } from '../../shell/format';
import { ProblemNotice, useAction } from '../../shell/form';
import { useLiveEvent } from '../../shell/live';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { Link } from '../../shell/router';
import { shiftLength, shiftWhen } from './labels';

type Sort = 'start' | 'distance' | 'pay';

export function OpenShiftsPage() {
  const [sort, setSort] = useState<Sort>('start');
  const { state, reload } = useReloadable(() => api.myOpenShifts(sort), [sort]);
  const claim = useAction();
  const [claimed, setClaimed] = useState<ClaimWithShift | null>(null);
  const sortId = useId();
  useLiveEvent((event) => { if (event.type.startsWith('shift.')) reload(); });

  const take = async (shift: OpenShift) => {
    setClaimed(null);
    const answer = await claim.run(() => api.claimShift(shift.id));
    if (answer) {
      setClaimed(answer);
      reload();
    } else {
      reload();  // the shift may be gone (filled, cancelled): show the feed as it is now
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Open shifts</h1>
      <p className="muted">Shifts you can work: you hold the license, meet the facility's requirements, are free
        and within your travel radius.</p>
      <div className="filters">
        <div className="field">
          <label htmlFor={sortId}>Sort by</label>
          <select id={sortId} value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            <option value="start">Start time</option>
            <option value="distance">Distance</option>
            <option value="pay">Pay rate</option>
          </select>
        </div>
      </div>
      {claimed && (
        <p className="notice notice-ok" role="status">
          {claimed.status === 'confirmed' ? 'Booked' : 'Requested, awaiting the facility\u2019s approval'}:{' '}
          {shiftWhen(claimed.shift)}. <Link to="/my-shifts">See my shifts</Link>.
        </p>
      )}
      <ProblemNotice problem={claim.problem} />
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} />}
      {state.status === 'ok' && (state.data.items.length === 0 ? (
        <p>No open shifts match you right now.</p>
      ) : (
        <table className="data">
          <caption>{state.data.items.length === 1 ? '1 open shift' : `${state.data.items.length} open shifts`}</caption>
          <thead>
            <tr>
              <th scope="col">When (facility time)</th>
              <th scope="col">Facility</th>
              <th scope="col">Discipline</th>
              <th scope="col">Length</th>
              <th scope="col" className="num">Pay rate</th>
              <th scope="col" className="num">Bonus</th>
              <th scope="col" className="num">Distance</th>
              <th scope="col"><span className="visually-hidden">Action</span></th>
            </tr>
          </thead>
          <tbody>
            {state.data.items.map((shift) => (
              <tr key={shift.id} data-shift-id={shift.id}>
                <th scope="row">
                  {shiftWhen(shift)}
                  {shift.urgent && <span className="tag tag-warning">Urgent</span>}
                  <div className="muted small">{shift.time_zone}</div>
                </th>
                <td>{shift.facility_name}</td>
                <td>{shift.discipline}</td>
                <td>{shiftLength(shift)}</td>
                <td className="num">{formatCents(shift.pay_rate_cents)}/h</td>
                <td className="num">{shift.incentive_cents ? formatCents(shift.incentive_cents) : '—'}</td>
                <td className="num">{shift.distance_km.toFixed(1)} km</td>
                <td>
                  <button type="button" disabled={claim.busy} onClick={() => void take(shift)}
                    aria-label={`Claim ${shift.discipline} shift at ${shift.facility_name}, ${shiftWhen(shift)}`}>
                    Claim
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  );
}
