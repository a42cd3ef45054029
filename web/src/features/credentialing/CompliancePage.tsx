// "Compliance" for facility managers, the credentialing team and MSO admins: per facility,
// how many of the clinicians who could work there (its own staff, the float pool, per-diem
// clinicians within their travel radius) are compliant, expiring within 30 days or not
// compliant with the facility's requirement profile today (one call, GET
// /api/v1/facilities/{id}/compliance; the facility's zone decides "today", CRED-COMPLIANCE),
// what expires soon, soonest first, and why each non-compliant clinician fails.
import { api } from '../../api/client';
import type { ComplianceStatus, FacilityComplianceItem } from '../../api/types';
import { dayNumber, formatDate } from '../../shell/format';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { Link } from '../../shell/router';
import { useFacilityChoice } from '../org/FacilityPicker';
import { complianceLabel, kComplianceOrder } from './labels';
import './credentialing.css';

const kEmploymentLabels: Record<string, string> = {
  facility_staff: 'Facility staff', float_pool: 'Float pool', per_diem: 'Per diem',
};

function StatusBadge({ status }: { status: ComplianceStatus }) {
  return <span className={`badge badge-${status}`} data-compliance={status}>{complianceLabel(status)}</span>;
}

export function CompliancePage() {
  const { load: facilities, facility, picker } = useFacilityChoice();
  const facilityId = facility?.id ?? 0;
  const { state } = useReloadable(async () => (facilityId ? api.facilityCompliance(facilityId, 30) : null), [facilityId]);

  const summary = state.status === 'ok' ? state.data : null;
  const rows: FacilityComplianceItem[] = summary?.items ?? [];
  const expiring = rows.flatMap((r) => r.reasons
    .filter((reason) => reason.code === 'credential_expiring' && reason.expires_on)
    .map((reason) => ({ row: r, reason })))
    .sort((a, b) => dayNumber(a.reason.expires_on ?? '') - dayNumber(b.reason.expires_on ?? ''));
  const failing = rows.filter((r) => r.status === 'non_compliant');
  const today = summary?.date;

  return (
    <>
      <h1 tabIndex={-1}>Compliance</h1>
      <div className="filters">{picker}</div>
      {facilities.status === 'loading' && <Loading />}
      {facilities.status === 'error' && <LoadError error={facilities.error} />}
      {facilities.status === 'ok' && !facility && <p>No facilities are assigned to you.</p>}
      {facility && state.status === 'loading' && <Loading />}
      {facility && state.status === 'error' && <LoadError error={state.error} />}
      {facility && state.status === 'ok' && (rows.length === 0 ? <p>No active clinician who could work at {facility.name} holds a discipline it has requirements for.</p> : (
        <>
          <section aria-labelledby="counts-heading">
            <h2 id="counts-heading">{facility.name}{today && <>, {formatDate(today)}</>} ({facility.time_zone})</h2>
            <ul className="counts">
              {kComplianceOrder.map((s) => (
                <li key={s} data-count={s}>
                  <span className="count">{summary?.counts[s] ?? 0}</span>
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
                    <tr key={`${row.clinician_id}-${reason.requirement}-${i}`} data-clinician-id={row.clinician_id}>
                      <th scope="row"><Link to={`/clinicians/${row.clinician_id}`}>{row.name}</Link></th>
                      <td>{reason.requirement}</td>
                      <td className="nowrap">{formatDate(reason.expires_on ?? '')}</td>
                      <td className="num">{dayNumber(reason.expires_on ?? '') - dayNumber(today ?? '')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="failing-heading">
            <h2 id="failing-heading">Not compliant</h2>
            {failing.length === 0 ? <p>Every clinician listed meets the requirements today.</p> : (
              <table className="data">
                <caption>Clinicians who may not work here today, and why</caption>
                <thead><tr><th scope="col">Clinician</th><th scope="col">Discipline</th><th scope="col">Reasons</th></tr></thead>
                <tbody>
                  {failing.map((r) => (
                    <tr key={r.clinician_id} data-clinician-id={r.clinician_id}>
                      <th scope="row"><Link to={`/clinicians/${r.clinician_id}`}>{r.name}</Link></th>
                      <td>{r.discipline}</td>
                      <td>
                        <ul className="reasons">
                          {r.reasons.filter((x) => x.code !== 'credential_expiring')
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
            <h2 id="all-heading">All clinicians who could work here</h2>
            <table className="data">
              <caption>{rows.length} clinician{rows.length === 1 ? '' : 's'}</caption>
              <thead><tr><th scope="col">Clinician</th><th scope="col">Discipline</th><th scope="col">Employment</th>
                <th scope="col">Status</th><th scope="col">Compliant until</th></tr></thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.clinician_id} data-clinician-id={r.clinician_id}>
                    <th scope="row"><Link to={`/clinicians/${r.clinician_id}`}>{r.name}</Link></th>
                    <td>{r.discipline}</td>
                    <td>{kEmploymentLabels[r.employment_type] ?? r.employment_type}</td>
                    <td><StatusBadge status={r.status} /></td>
                    <td>{r.compliant_until ? formatDate(r.compliant_until) : '—'}</td>
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
