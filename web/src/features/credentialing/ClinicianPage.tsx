// A clinician's file for staff (/clinicians/{id}): profile and credential wallet; the
// credentialing team and the MSO admin may edit, upload and change the clinician's status,
// managers and auditors read.
// Every read is audited by the server (personal data).
import { api } from '../../api/client';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { useUser } from '../../shell/session';
import { Profile } from './Profile';
import { StatusForm } from './StatusForm';
import { Wallet } from './Wallet';

export function ClinicianPage({ id }: { id: number }) {
  const user = useUser();
  const canEdit = user.role === 'credentialing' || user.role === 'mso_admin';
  const { state, reload } = useReloadable(() => api.profile(id), [id]);
  return (
    <>
      <h1 tabIndex={-1}>Clinician file</h1>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} />}
      {state.status === 'ok' && (
        <>
          <Profile profile={state.data} canEdit={canEdit} onSaved={reload} />
          {canEdit && <StatusForm key={state.data.status} profile={state.data} onChanged={reload} />}
          <Wallet clinicianId={id} canEdit={canEdit} />
        </>
      )}
    </>
  );
}
