// "My profile" for a signed-in clinician: their profile (editable) and their credential
// wallet, with uploads and expiry badges (issue 3 part 10). Only their own file: the
// server answers 403 for anyone else's.
import { api } from '../../api/client';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { useUser } from '../../shell/session';
import { Profile } from './Profile';
import { Wallet } from './Wallet';

export function MyProfilePage() {
  const user = useUser();
  const clinicianId = user.clinician_id ?? 0;
  const { state, reload } = useReloadable(() => api.profile(clinicianId), [clinicianId]);
  return (
    <>
      <h1 tabIndex={-1}>My profile</h1>
      {!clinicianId && <p>Your account is not linked to a clinician file.</p>}
      {clinicianId > 0 && state.status === 'loading' && <Loading />}
      {clinicianId > 0 && state.status === 'error' && <LoadError error={state.error} />}
      {state.status === 'ok' && (
        <>
          <Profile profile={state.data} canEdit onSaved={reload} />
          <Wallet clinicianId={clinicianId} canEdit />
        </>
      )}
    </>
  );
}
