// "Compliance" for facility managers, the credentialing team and MSO admins: per facility,
// how many of its clinicians are compliant, expiring within 30 days or not compliant with
// the facility's requirement profile today (GET /api/v1/clinicians/{id}/compliance, the
// facility's zone decides "today", CRED-COMPLIANCE), what expires soon, soonest first, and
// why each non-compliant clinician fails. The clinicians are the facility's own staff
// (GET /api/v1/facilities/{id}/clinicians): the API has no per-facility summary yet.
import { api } from '../../api/client';
import type { Clinician, Compliance, ComplianceStatus } from '../../api/types';
import { dayNumber, formatDate } from '../../shell/format';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { Link } from '../../shell/router';
import { useFacilityChoice } from '../org/FacilityPicker';
import { complianceLabel, kComplianceOrder } from './labels';
import './credentialing.css';

interface Row {
  clinician: Clinician;
  compliance: Compliance | null;
}

function StatusBadge({ status }: { status: ComplianceStatus }) {
  return <span className={`badge badge-${status}`} data-compliance={status}>{complianceLabel(status)}</span>;
}

export function CompliancePage() {
  const { load: facilities, facility, picker } = useFacilityChoice();
  const facilityId = facility?.id ?? 0;
  const { state } = useReloadable(async () => {
    if (!facilityId) return null;
    const clinicians = (await api.facilityClinicians(facilityId)).items;
    const compliance = await Promise.all(clinicians.map((c) => api.compliance(c.id, facilityId).catch(() => null)));
    const rows: Row[] = clinicians.map((c, i) => ({ clinician: c, compliance: compliance[i] ?? null }));
    return rows;
  }, [facilityId]);

  const name = (c: Clinician) => `${c.first_name} ${c.last_name}`;
  const rows = state.status === 'ok' && state.data ? state.data : [];
  const counts = new Map<ComplianceStatus, number>(kComplianceOrder.map((s) => [s, 0]));
  for (const r of rows) if (r.compliance) counts.set(r.compliance.status, (counts.get(r.compliance.status) ?? 0) + 1);
  const expiring = rows.flatMap((r) => (r.compliance?.reasons ?? [])
    .filter((reason) => reason.code === 'credential_expiring' && reason.expires_on)
    .map((reason) => ({ row: r, reason })))
    .sort((a, b) => dayNumber(a.reason.expires_on ?? '') - dayNumber(b.reason.expires_on ?? ''));
  const failing = rows.filter((r) => r.compliance?.status === 'non_compliant');
  const today = rows.find((r) => r.compliance)?.compliance?.date;

  return (
    <>
      <h1 tabIndex={-1}>Compliance</h1>
      <div className="filters">{picker}</div>
      {facilities.status === 'loading' && <Loading />}
      {facilities.status === 'error' && <LoadError error={facilities.error} />}
      {facilities.status === 'ok' && !facility && <p>No facilities are assigned to you.</p>}
      {facility && state.status === 'loading' && <Loading />}
      {facility && state.status === 'error' && <LoadError error={state.error} />}
      {facility && state.status === 'ok' && (rows.length === 0 ? <p>{facility.name} has no staff clinicians on file.</p> : (
        <>
          <section aria-labelledby="counts-heading">
            <h2 id="counts-heading">{facility.name}{today && <>, {formatDate(today)}</>} ({facility.time_zone})</h2>
            <ul className="counts">
              {kComplianceOrder.map((s) => (
                <li key={s} data-count={s}>
                  <span className="count">{counts.get(s) ?? 0}</span>
                  <StatusBadge status={s} />
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="expiring-heading">
            <h2 id="expiring-heading">Expiring soon</h2>
            {expiring.length === 0 ? <p>Nothing required here expires within 30 days.</p> : (
              <table className="data">
                <caption>Required credentials expiring within 30 days, soonest first</caption>
                <thead>
                  <tr><th scope="col">Clinician</th><th scope="col">Requirement</th><th scope="col">Expires</th>
                    <th scope="col" className="num">Days left</th></tr>
                </thead>
                <tbody>
                  {expiring.map(({ row, reason }, i) => (
                    <tr key={`${row.clinician.id}-${reason.requirement}-${i}`} data-clinician-id={row.clinician.id}>
                      <th scope="row"><Link to={`/clinicians/${row.clinician.id}`}>{name(row.clinician)}</Link></th>
                      <td>{reason.requirement}</td>
                      <td className="nowrap">{formatDate(reason.expires_on ?? '')}</td>
                      <td className="num">{dayNumber(reason.expires_on ?? '') - dayNumber(row.compliance?.date ?? '')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="failing-heading">
            <h2 id="failing-heading">Not compliant</h2>
            {failing.length === 0 ? <p>Every staff clinician meets the requirements today.</p> : (
              <table className="data">
                <caption>Clinicians who may not work here today, and why</caption>
                <thead><tr><th scope="col">Clinician</th><th scope="col">Discipline</th><th scope="col">Reasons</th></tr></thead>
                <tbody>
                  {failing.map((r) => (
                    <tr key={r.clinician.id} data-clinician-id={r.clinician.id}>
                      <th scope="row"><Link to={`/clinicians/${r.clinician.id}`}>{name(r.clinician)}</Link></th>
                      <td>{r.compliance?.discipline}</td>
                      <td>
                        <ul className="reasons">
                          {(r.compliance?.reasons ?? []).filter((x) => x.code !== 'credential_expiring')
                            .map((x, i) => <li key={i}>{x.message}</li>)}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="all-heading">
            <h2 id="all-heading">All staff clinicians</h2>
            <table className="data">
              <caption>{rows.length} clinician{rows.length === 1 ? '' : 's'}</caption>
              <thead><tr><th scope="col">Clinician</th><th scope="col">Discipline</th><th scope="col">Status</th>
                <th scope="col">Compliant until</th></tr></thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.clinician.id} data-clinician-id={r.clinician.id}>
                    <th scope="row"><Link to={`/clinicians/${r.clinician.id}`}>{name(r.clinician)}</Link></th>
                    <td>{r.compliance?.discipline ?? r.clinician.discipline}</td>
                    <td>{r.compliance ? <StatusBadge status={r.compliance.status} /> : <span className="muted">Not available</span>}</td>
                    <td>{r.compliance?.compliant_until ? formatDate(r.compliance.compliant_until) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      ))}
    </>
  );
}
