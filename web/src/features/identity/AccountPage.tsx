// "My account": who the server says the caller is (GET /api/v1/me), for every role.
import { api } from '../../api/client';
import { roleLabel } from '../../shell/access';
import { LoadError, Loading, useLoad } from '../../shell/load';

export function AccountPage() {
  const load = useLoad(async () => {
    const me = await api.me();
    // Facility names are a nicety: roles that may not list facilities (403) see ids instead.
    const names = new Map<number, string>();
    if (me.facility_ids.length) {
      try {
        for (const facility of (await api.facilities()).items) names.set(facility.id, facility.name);
      } catch {
        /* keep ids */
      }
    }
    return { me, names };
  }, []);
  return (
    <>
      <h1 tabIndex={-1}>My account</h1>
      {load.status === 'loading' && <Loading />}
      {load.status === 'error' && <LoadError error={load.error} />}
      {load.status === 'ok' && (
        <dl className="facts">
          <dt>Name</dt><dd>{load.data.me.display_name}</dd>
          <dt>Email</dt><dd>{load.data.me.email}</dd>
          <dt>Role</dt><dd>{roleLabel(load.data.me.role)}</dd>
          <dt>Facilities</dt>
          <dd>{load.data.me.facility_ids.length
            ? load.data.me.facility_ids.map((id) => load.data.names.get(id) ?? `#${id}`).join(', ')
            : 'None assigned'}</dd>
        </dl>
      )}
    </>
  );
}
