// One timesheet (GET /api/v1/timesheets/{id}) for its clinician or the facility's staff:
// times in the facility's zone, raw punches with their distance from the facility, the
// revisions (original -> new value, TIME-CORRECTION), a pending correction, and the actions
// the caller may take: staff approve, dispute with a reason, approve or reject a correction;
// the clinician submits or asks for a correction.
import { useState } from 'react';
import { api } from '../../api/client';
import type { Timesheet, TimesheetDetail } from '../../api/types';
import { formatDistance, formatDuration, formatHours, formatInZone } from '../../shell/format';
import { ProblemNotice, ReasonForm, useAction } from '../../shell/form';
import { useLiveEvent } from '../../shell/live';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { Link } from '../../shell/router';
import { useUser } from '../../shell/session';
import { CorrectionForm } from './CorrectionForm';
import { clinicianName } from './names';
import { Flags, StatusBadge } from './labels';

const kPunchKinds: Record<string, string> = {
  clock_in: 'Clock-in', clock_out: 'Clock-out', break_start: 'Break start', break_end: 'Break end',
};
const kFields: Record<string, string> = { clock_in: 'Clock-in', clock_out: 'Clock-out', breaks: 'Breaks' };

/** "2.0 km from the facility", or "no location" for a punch sent without one. */
function whereFrom(meters: number | null): string {
  return meters === null ? 'no location sent' : `${formatDistance(meters)} from the facility`;
}

/** A revision value with every instant in it (a time, or breaks "start/end") in the facility's zone. */
function revisionValue(value: string, zone: string): string {
  if (!value) return '(none)';
  return value
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?Z/g, (at) => formatInZone(at, zone, false))
    .replaceAll('/', ' – ');
}

export function TimesheetPage({ id }: { id: number }) {
  const user = useUser();
  const staff = user.role === 'mso_admin' || user.role === 'facility_manager';
  const { state, reload } = useReloadable(async () => {
    const sheet = await api.timesheet(id);
    const name = staff || user.role === 'auditor' ? await clinicianName(sheet.clinician_id) : user.display_name;
    return { sheet, name };
  }, [id]);
  const action = useAction();
  const [correcting, setCorrecting] = useState(false);
  const [disputing, setDisputing] = useState(false);
  useLiveEvent((event) => {
    if (event.type.startsWith('timesheet.') && event.timesheet_id === id) reload();
  });

  const act = async (call: () => Promise<Timesheet>) => {
    const answer = await action.run(call);
    if (answer) reload();
  };

  const back = user.role === 'clinician' ? { to: '/my-timesheets', label: 'My timesheets' } : { to: '/timesheets', label: 'Timesheets' };
  return (
    <>
      <p className="breadcrumb"><Link to={back.to}>← {back.label}</Link></p>
      <h1 tabIndex={-1}>{state.status === 'ok' ? `Timesheet of ${state.data.name}` : 'Timesheet'}</h1>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} />}
      {state.status === 'ok' && (() => {
        const t: TimesheetDetail = state.data.sheet;
        const zone = t.time_zone;
        const own = user.clinician_id === t.clinician_id;
        const complete = !!t.clock_in && !!t.clock_out;
        return (
          <>
            <dl className="facts">
              <dt>Status</dt><dd><StatusBadge status={t.status} /></dd>
              <dt>Scheduled</dt>
              <dd>{formatInZone(t.scheduled_start, zone)} – {formatInZone(t.scheduled_end, zone)} <span className="muted">({zone})</span></dd>
              <dt>Clock-in</dt>
              <dd>{formatInZone(t.clock_in, zone)}{t.clock_in && `, ${whereFrom(t.in_distance_m)}`}</dd>
              <dt>Clock-out</dt>
              <dd>{formatInZone(t.clock_out, zone)}{t.clock_out && `, ${whereFrom(t.out_distance_m)}`}</dd>
              <dt>Meal breaks</dt>
              <dd>{t.breaks.length === 0 ? 'None' : t.breaks.map((b) => (
                `${formatInZone(b.start, zone, false)} – ${b.end ? formatInZone(b.end, zone, false) : 'running'}`
              )).join('; ')}</dd>
              <dt>Worked</dt><dd>{formatHours(t.worked_minutes)} ({formatDuration(t.worked_minutes)})</dd>
              <dt>Flags</dt><dd><Flags sheet={t} /></dd>
              {t.status === 'disputed' && <><dt>Dispute reason</dt><dd>{t.dispute_reason || '—'}</dd></>}
              {t.status === 'submitted' && t.auto_approve_at && (
                <><dt>Auto-approves</dt><dd>{formatInZone(t.auto_approve_at, zone)} if not acted on</dd></>
              )}
            </dl>

            {t.correction && (
              <section className="card" aria-labelledby="correction-heading">
                <h2 id="correction-heading">Correction awaiting approval</h2>
                <p>Reason: {t.correction.reason}</p>
                <table className="data">
                  <caption>Requested changes</caption>
                  <thead><tr><th scope="col">Field</th><th scope="col">Now</th><th scope="col">Requested</th></tr></thead>
                  <tbody>
                    {t.correction.clock_in && (
                      <tr><th scope="row">Clock-in</th><td>{formatInZone(t.clock_in, zone)}</td><td>{formatInZone(t.correction.clock_in, zone)}</td></tr>
                    )}
                    {t.correction.clock_out && (
                      <tr><th scope="row">Clock-out</th><td>{formatInZone(t.clock_out, zone)}</td><td>{formatInZone(t.correction.clock_out, zone)}</td></tr>
                    )}
                    {t.correction.breaks && (
                      <tr>
                        <th scope="row">Meal breaks</th>
                        <td>{t.breaks.length} break(s)</td>
                        <td>{t.correction.breaks.map((b) => `${formatInZone(b.start, zone, false)} – ${formatInZone(b.end, zone, false)}`).join('; ') || 'None'}</td>
                      </tr>
                    )}
                  </tbody>
                </table>
                {staff && (
                  <div className="actions">
                    <button type="button" disabled={action.busy} onClick={() => void act(() => api.approveCorrection(t.id))}>
                      Approve correction
                    </button>
                    <button type="button" className="button-secondary" disabled={action.busy}
                      onClick={() => void act(() => api.rejectCorrection(t.id))}>Reject correction</button>
                  </div>
                )}
              </section>
            )}

            <ProblemNotice problem={action.problem} />
            {staff && t.status === 'submitted' && (
              <div className="actions">
                <button type="button" disabled={action.busy || !!t.correction} onClick={() => void act(() => api.approveTimesheet(t.id))}>
                  Approve timesheet
                </button>
                {!disputing && (
                  <button type="button" className="button-secondary" onClick={() => setDisputing(true)}>Dispute…</button>
                )}
              </div>
            )}
            {staff && t.status === 'submitted' && disputing && (
              <ReasonForm name="Dispute the timesheet" label="Dispute reason" submitLabel="Dispute" multiline
                missing="A dispute needs a reason the clinician can read." maxLength={1000}
                send={(reason) => api.disputeTimesheet(t.id, reason)} onDone={() => { setDisputing(false); reload(); }} />
            )}
            {own && (
              <div className="actions">
                {(t.status === 'open' || t.status === 'disputed') && complete && !t.correction && (
                  <button type="button" disabled={action.busy} onClick={() => void act(() => api.submitTimesheet(t.id))}>
                    Submit timesheet
                  </button>
                )}
                {t.status !== 'approved' && !t.correction && !correcting && (
                  <button type="button" className="button-secondary" onClick={() => setCorrecting(true)}>Request a correction</button>
                )}
              </div>
            )}
            {own && correcting && (
              <CorrectionForm target={{ kind: 'correction', timesheetId: t.id }} timeZone={zone}
                initial={{ clockIn: t.clock_in ?? t.scheduled_start, clockOut: t.clock_out ?? t.scheduled_end }}
                onDone={() => { setCorrecting(false); reload(); }} onCancel={() => setCorrecting(false)} />
            )}

            <table className="data">
              <caption>Punches as recorded (locations are kept; times in {zone})</caption>
              <thead>
                <tr>
                  <th scope="col">Punch</th>
                  <th scope="col">Time</th>
                  <th scope="col">Received</th>
                  <th scope="col" className="num">Distance from facility</th>
                  <th scope="col" className="num">Accuracy</th>
                </tr>
              </thead>
              <tbody>
                {t.punches.length === 0 && <tr><td colSpan={5}>No punches (a missed-punch report).</td></tr>}
                {t.punches.map((p, i) => (
                  <tr key={i}>
                    <th scope="row">{kPunchKinds[p.kind] ?? p.kind}</th>
                    <td>{formatInZone(p.at, zone)}</td>
                    <td className="muted">{formatInZone(p.recorded_at, zone)}</td>
                    <td className="num">{p.kind === 'clock_in' || p.kind === 'clock_out' ? formatDistance(p.distance_m) : '—'}</td>
                    <td className="num">{p.accuracy_m != null ? `±${p.accuracy_m} m` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>

            <table className="data">
              <caption>Revisions (original values are kept)</caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Original → new value</th>
                  <th scope="col">Reason</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {t.revisions.length === 0 && <tr><td colSpan={4}>No revisions.</td></tr>}
                {t.revisions.map((r, i) => (
                  <tr key={i}>
                    <th scope="row">{kFields[r.field] ?? r.field}</th>
                    <td>
                      <span className="old-value">{revisionValue(r.old_value, zone)}</span> →{' '}
                      <span className="new-value">{revisionValue(r.new_value, zone)}</span>
                    </td>
                    <td>{r.reason}</td>
                    <td className="muted">{formatInZone(r.at, zone)}{r.by_user_id != null && ` by user ${r.by_user_id}`}</td>
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
