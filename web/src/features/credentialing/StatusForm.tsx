// Moving a clinician through applied -> verifying -> active (or rejected / suspended with a
// reason the clinician reads), for the credentialing team and MSO admins (POST
// /api/v1/clinicians/{id}/status; CRED-STATUS-FLOW: only the allowed next steps are
// offered, and the server re-checks; the clinician is notified).
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { ClinicianProfile, ClinicianStatus } from '../../api/types';
import { ProblemNotice, SelectField, TextAreaField, useAction } from '../../shell/form';
import { clinicianStatusLabel } from './labels';

const kNext: Record<ClinicianStatus, ClinicianStatus[]> = {
  applied: ['verifying', 'rejected'],
  verifying: ['active', 'rejected'],
  active: ['suspended'],
  rejected: ['verifying'],
  suspended: ['active', 'verifying'],
};

export function StatusForm({ profile, onChanged }: { profile: ClinicianProfile; onChanged(p: ClinicianProfile): void }) {
  const next = kNext[profile.status] ?? [];
  const [to, setTo] = useState<ClinicianStatus | ''>(next[0] ?? '');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const action = useAction();
  if (next.length === 0) return null;
  const needsReason = to === 'rejected' || to === 'suspended';
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!to) return;
    if (needsReason && !reason.trim()) {
      setError('Give a reason; the clinician reads it.');
      return;
    }
    setError(undefined);
    const changed = await action.run(() => api.changeClinicianStatus(profile.id, to, reason.trim()));
    if (changed) {
      setReason('');
      onChanged(changed);
    }
  };
  return (
    <form className="card inline-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="status-form-heading">
      <h2 id="status-form-heading">Change status</h2>
      <div className="form-grid">
        <SelectField label="New status" name="status" value={to} onChange={(v) => setTo(v as ClinicianStatus)}
          options={next.map((s) => ({ value: s, label: clinicianStatusLabel(s) }))} error={action.problem?.fields.status} />
      </div>
      <TextAreaField label={needsReason ? 'Reason (required, the clinician reads it)' : 'Reason (optional)'} name="reason"
        value={reason} onChange={setReason} maxLength={1000} error={error ?? action.problem?.fields.reason} />
      <ProblemNotice problem={action.problem} fieldsShown={['status', 'reason']} />
      <button type="submit" disabled={action.busy}>Change status</button>
    </form>
  );
}
