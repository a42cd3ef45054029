// "My shifts": the clinician's claims and their shifts (GET /api/v1/me/shifts) with each
// booked shift's timesheet (GET /api/v1/me/timesheets) and its punch controls; a pending or
// booked claim can be withdrawn until 24 h before the shift (MKT-WITHDRAW-CUTOFF); below, the
// private calendar link (MKT-ICAL-FEED). The clinician's own live events (an approval, a
// decline, a cancellation, an edit or an assignment) refresh it without a reload.
import { api } from '../../api/client';
import type { ClaimWithShift, Timesheet } from '../../api/types';
import { formatCents } from '../../shell/format';
import { ProblemNotice, useAction } from '../../shell/form';
import { useLiveEvent } from '../../shell/live';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { Link } from '../../shell/router';
import { PunchPanel } from '../timekeeping/PunchPanel';
import { CalendarLinkPanel } from './CalendarLinkPanel';
import { claimStatusLabel, facilityLabel, shiftLength, shiftWhen } from './labels';

function ShiftCard({ claim, sheet, onChange }: {
  claim: ClaimWithShift;
  sheet: Timesheet | undefined;
  onChange(): void;
}) {
  const withdraw = useAction();
  const { shift } = claim;
  const headingId = `shift-${claim.id}-heading`;
  const live = claim.status === 'confirmed' || claim.status === 'pending';
  const future = Date.now() < Date.parse(shift.start);
  return (
    <section className="card shift-card" aria-labelledby={headingId} data-shift-id={shift.id}>
      <h2 id={headingId}>{shiftWhen(shift)}</h2>
      <dl className="facts">
        <dt>Facility</dt><dd>{facilityLabel(shift)} <span className="muted">({shift.time_zone})</span></dd>
        <dt>Discipline</dt><dd>{shift.discipline}</dd>
        <dt>Length</dt><dd>{shiftLength(shift)}</dd>
        <dt>Pay rate</dt><dd>{formatCents(shift.pay_rate_cents)}/h
          {shift.incentive_cents > 0 && ` + ${formatCents(shift.incentive_cents)} bonus`}</dd>
        <dt>Status</dt>
        <dd>{claimStatusLabel(claim.status)}
          {shift.status === 'cancelled' && ` (shift cancelled${shift.cancel_reason ? `: ${shift.cancel_reason}` : ''})`}</dd>
      </dl>
      {claim.status === 'confirmed' && shift.status !== 'cancelled' && (
        <PunchPanel shift={shift} sheet={sheet} onChange={onChange} />
      )}
      {live && future && !sheet && (
        <div className="actions">
          <button type="button" className="button-secondary" disabled={withdraw.busy}
            onClick={() => void withdraw.run(() => api.withdrawClaim(claim.id)).then((r) => { if (r) onChange(); })}>
            Withdraw
          </button>
        </div>
      )}
      <ProblemNotice problem={withdraw.problem} />
    </section>
  );
}

export function MyShiftsPage() {
  const { state, reload } = useReloadable(async () => {
    const [claims, sheets] = await Promise.all([api.myShifts(), api.myTimesheets()]);
    const byShift = new Map<number, Timesheet>(sheets.items.map((t) => [t.shift_id, t]));
    const items = [...claims.items].sort((a, b) => Date.parse(a.shift.start) - Date.parse(b.shift.start));
    return { items, byShift };
  }, []);
  useLiveEvent((event) => { if (event.type.startsWith('shift.') || event.type.startsWith('claim.')) reload(); });
  return (
    <>
      <h1 tabIndex={-1}>My shifts</h1>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} />}
      {state.status === 'ok' && (state.data.items.length === 0 ? (
        <p>You have no shifts yet. <Link to="/open-shifts">Find an open shift</Link>.</p>
      ) : (
        <div className="cards">
          {state.data.items.map((claim) => (
            <ShiftCard key={claim.id} claim={claim} sheet={state.data.byShift.get(claim.shift_id)} onChange={reload} />
          ))}
        </div>
      ))}
      <CalendarLinkPanel />
    </>
  );
}
