// Facilities the caller may see (the server decides which), each linking to its units.
import { api } from '../../api/client';
import { Link } from '../../shell/router';
import { LoadError, Loading, useLoad } from '../../shell/load';
import { facilityTypeLabel } from './labels';

export function FacilitiesPage() {
  const load = useLoad(() => api.facilities(), []);
  return (
    <>
      <h1 tabIndex={-1}>Facilities</h1>
      {load.status === 'loading' && <Loading />}
      {load.status === 'error' && <LoadError error={load.error} />}
      {load.status === 'ok' && (load.data.items.length === 0 ? (
        <p>No facilities are assigned to you.</p>
      ) : (
        <table className="data">
          <caption>{load.data.items.length === 1 ? '1 facility' : `${load.data.items.length} facilities`}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Location</th>
              <th scope="col">Time zone</th>
              <th scope="col" className="num">Units</th>
            </tr>
          </thead>
          <tbody>
            {load.data.items.map((facility) => (
              <tr key={facility.id}>
                <th scope="row"><Link to={`/facilities/${facility.id}`}>{facility.name}</Link></th>
                <td>{facilityTypeLabel(facility.type)}</td>
                <td>{facility.address.city}, {facility.address.state}</td>
                <td>{facility.time_zone}</td>
                <td className="num">{facility.unit_count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  );
}
