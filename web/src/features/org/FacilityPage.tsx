// One facility: its address, time zone and the units in it.
import { api } from '../../api/client';
import { Link } from '../../shell/router';
import { LoadError, Loading, useLoad } from '../../shell/load';
import { facilityTypeLabel } from './labels';

export function FacilityPage({ id }: { id: number }) {
  const load = useLoad(async () => {
    const [facility, units] = await Promise.all([api.facility(id), api.units(id)]);
    return { facility, units: units.items };
  }, [id]);

  const title = load.status === 'ok' ? load.data.facility.name : 'Facility';
  return (
    <>
      <p className="breadcrumb"><Link to="/facilities">← All facilities</Link></p>
      <h1 tabIndex={-1}>{title}</h1>
      {load.status === 'loading' && <Loading />}
      {load.status === 'error' && <LoadError error={load.error} />}
      {load.status === 'ok' && (
        <>
          <dl className="facts">
            <dt>Type</dt><dd>{facilityTypeLabel(load.data.facility.type)}</dd>
            <dt>Address</dt>
            <dd>
              {load.data.facility.address.line1}, {load.data.facility.address.city},{' '}
              {load.data.facility.address.state} {load.data.facility.address.postal_code}
            </dd>
            <dt>Time zone</dt><dd>{load.data.facility.time_zone}</dd>
          </dl>
          <table className="data">
            <caption>Units</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Kind</th></tr>
            </thead>
            <tbody>
              {load.data.units.map((unit) => (
                <tr key={unit.id}><th scope="row">{unit.name}</th><td>{unit.kind.replaceAll('_', ' ')}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
