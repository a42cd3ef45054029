// "Approvals": a facility's pending claims (facilities without instant book,
// MKT-CLAIM-APPROVAL), oldest first, with the clinician's rule-by-rule eligibility at a
// click; approve (every rule is re-checked and the opening taken atomically by the server)
// or decline with a reason the clinician reads. The API has no list of pending claims, so
// the page reads each upcoming open shift (GET /api/v1/shifts/{id}); live "claim.*" and
// "shift.*" events of the facility refresh it.
import { useState } from 'react';
import { api } from '../../api/client';
import type { Claim, Eligibility, Shift } from '../../api/types';
import { formatInZone } from '../../shell/format';
import { ProblemNotice, ReasonForm, useAction } from '../../shell/form';
import { useLiveEvent } from '../../shell/live';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { useFacilityChoice } from '../org/FacilityPicker';
import { clinicianNames } from '../timekeeping/names';
import { RuleList } from './ShiftPanel';
import { shiftWhen } from './labels';
import './marketplace.css';

interface Pending {
  claim: Claim;
  shift: Shift;
}

function PendingRow({ item, name, unit, onDone }: { item: Pending; name: string; unit: string; onDone(text: string): void }) {
  const approve = useAction();
  const explain = useAction();
  const [declining, setDeclining] = useState(false);
  const [why, setWhy] = useState<Eligibility | null>(null);
  const { claim, shift } = item;
  return (
    <tr data-claim-id={claim.id} data-shift-id={shift.id}>
      <th scope="row">{name}</th>
      <td>{unit}, {shift.discipline}<div className="muted small">{shiftWhen(shift)}</div></td>
      <td className="nowrap">{formatInZone(claim.created_at, shift.time_zone, false)}</td>
      <td>{shift.filled} of {shift.openings}</td>
      <td>
        <div className="actions">
          <button type="button" disabled={approve.busy} aria-label={`Approve ${name} for ${shiftWhen(shift)}`}
            onClick={() => void approve.run(() => api.approveClaim(claim.id)).then((r) => { if (r) onDone(`Approved ${name} for ${shiftWhen(shift)}.`); })}>
            Approve
          </button>
          {!declining && (
            <button type="button" className="button-secondary" aria-label={`Decline ${name} for ${shiftWhen(shift)}…`}
              onClick={() => setDeclining(true)}>Decline…</button>
          )}
          <button type="button" className="button-secondary" disabled={explain.busy} aria-expanded={why !== null}
            aria-label={`Eligibility of ${name}`}
            onClick={() => { if (why) setWhy(null); else void explain.run(() => api.explainCandidate(shift.id, claim.clinician_id)).then((e) => { if (e) setWhy(e); }); }}>
            Eligibility
          </button>
        </div>
        {declining && (
          <ReasonForm name={`Decline ${name} for ${shiftWhen(shift)}`} label="Reason for the clinician" submitLabel="Decline"
            missing="Say why; the clinician reads it." maxLength={1000}
            send={(reason) => api.declineClaim(claim.id, reason)} onDone={() => onDone(`Declined ${name} for ${shiftWhen(shift)}.`)} />
        )}
        <ProblemNotice problem={approve.problem ?? explain.problem} />
        {why && <RuleList eligibility={why} />}
      </td>
    </tr>
  );
}

export function ApprovalQueuePage() {
  const { load: facilities, facility, picker } = useFacilityChoice();
  const facilityId = facility?.id ?? 0;
  const [notice, setNotice] = useState<string | null>(null);
  const { state, reload } = useReloadable(async () => {
    if (!facilityId) return null;
    const now = Date.now();
    const [shifts, units] = await Promise.all([
      api.facilityShiftsBetween(facilityId, new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        new Date(now + 90 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z')),
      api.units(facilityId),
    ]);
    const open = shifts.items.filter((s) => s.status === 'open');
    const details = await Promise.all(open.map((s) => api.shift(s.id)));
    const pending: Pending[] = details.flatMap((d) => d.claims.filter((c) => c.status === 'pending').map((c) => ({ claim: c, shift: d })))
      .sort((a, b) => Date.parse(a.claim.created_at) - Date.parse(b.claim.created_at));
    const names = await clinicianNames(pending.map((p) => p.claim.clinician_id));
    return { pending, names, units: units.items };
  }, [facilityId]);
  useLiveEvent((event) => {
    if ((event.type.startsWith('claim.') || event.type.startsWith('shift.')) && event.facility_id === facilityId) reload();
  });
  return (
    <>
      <h1 tabIndex={-1}>Approvals</h1>
      <p className="muted">Claims waiting for your answer (facilities without instant book). A claim not answered in time gets the
        facility's default answer.</p>
      <div className="filters">{picker}</div>
      {notice && <p className="notice notice-ok" role="status">{notice}</p>}
      {facilities.status === 'loading' && <Loading />}
      {facilities.status === 'error' && <LoadError error={facilities.error} />}
      {facilities.status === 'ok' && !facility && <p>No facilities are assigned to you.</p>}
      {facility && state.status === 'loading' && <Loading />}
      {facility && state.status === 'error' && <LoadError error={state.error} />}
      {facility && state.status === 'ok' && state.data && (state.data.pending.length === 0 ? (
        <p>No claims wait for approval at {facility.name}.</p>
      ) : (
        <table className="data">
          <caption>{facility.name}: {state.data.pending.length} pending claim{state.data.pending.length === 1 ? '' : 's'}, oldest first</caption>
          <thead>
            <tr><th scope="col">Clinician</th><th scope="col">Shift (facility time)</th><th scope="col">Claimed</th>
              <th scope="col">Filled</th><th scope="col">Decision</th></tr>
          </thead>
          <tbody>
            {state.data.pending.map((p) => (
              <PendingRow key={p.claim.id} item={p} name={state.data?.names.get(p.claim.clinician_id) ?? `Clinician #${p.claim.clinician_id}`}
                unit={state.data?.units.find((u) => u.id === p.shift.unit_id)?.name ?? `Unit #${p.shift.unit_id}`}
                onDone={(text) => { setNotice(text); reload(); }} />
            ))}
          </tbody>
        </table>
      ))}
    </>
  );
}
