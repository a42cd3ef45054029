// The users of the MSO (MSO admins only; the server answers 403 to anyone else).
import { api } from '../../api/client';
import { roleLabel } from '../../shell/access';
import { LoadError, Loading, useLoad } from '../../shell/load';

export function UsersPage() {
  const load = useLoad(async () => {
    const [users, facilities] = await Promise.all([api.users(), api.facilities()]);
    return { items: users.items, facilityNames: new Map(facilities.items.map((f) => [f.id, f.name])) };
  }, []);
  return (
    <>
      <h1 tabIndex={-1}>Users</h1>
      {load.status === 'loading' && <Loading />}
      {load.status === 'error' && <LoadError error={load.error} />}
      {load.status === 'ok' && (
        <table className="data">
          <caption>{load.data.items.length} users</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Facilities</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {load.data.items.map((user) => (
              <tr key={user.id}>
                <th scope="row">{user.display_name}</th>
                <td>{user.email}</td>
                <td>{roleLabel(user.role)}</td>
                <td>{user.facility_ids.length
                  ? user.facility_ids.map((id) => load.data.facilityNames.get(id) ?? `#${id}`).join(', ')
                  : '—'}</td>
                <td>{user.active ? 'Active' : 'Inactive'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
