// "Verification" for the credentialing team (GET /api/v1/verification-queue): credentials
// awaiting verification, oldest first, with the clinician, the expiry badge and the
// uploaded documents; approve naming the primary source (e.g. Nursys) or reject with a
// reason the clinician reads (POST /api/v1/credentials/{id}/verification; audited, the
// clinician is notified; only verified credentials count, CRED-VERIFIED-ONLY).
import { useState, type FormEvent } from 'react';
import { api, downloads } from '../../api/client';
import type { Credential, CredentialDocument } from '../../api/types';
import { formatDate } from '../../shell/format';
import { ProblemNotice, ReasonForm, TextField, useAction } from '../../shell/form';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { Link } from '../../shell/router';
import { clinicianNames } from '../timekeeping/names';
import { ExpiryBadge, credentialTitle, todayLocal } from './labels';
import './credentialing.css';

function ApproveForm({ credential, who, onDone }: { credential: Credential; who: string; onDone(c: Credential): void }) {
  const [source, setSource] = useState(credential.kind === 'license' ? 'Nursys' : '');
  const [error, setError] = useState<string | undefined>();
  const action = useAction();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!source.trim()) {
      setError('Name the primary source you checked, e.g. Nursys or the AHA eCard.');
      return;
    }
    setError(undefined);
    const done = await action.run(() => api.decideVerification(credential.id, { decision: 'approve', source: source.trim() }));
    if (done) onDone(done);
  };
  return (
    <form className="decision-form" onSubmit={(e) => void submit(e)} noValidate
      aria-label={`Approve ${credentialTitle(credential)} of ${who}`}>
      <TextField label="Verified at (source)" value={source} onChange={setSource} maxLength={200}
        error={error ?? action.problem?.fields.source} />
      <button type="submit" disabled={action.busy}>Approve</button>
      <ProblemNotice problem={action.problem} fieldsShown={['source']} />
    </form>
  );
}

function QueueRow({ credential, who, documents, onDecided }: {
  credential: Credential;
  who: string;
  documents: CredentialDocument[];
  onDecided(text: string): void;
}) {
  const [rejecting, setRejecting] = useState(false);
  const today = todayLocal();
  const title = credentialTitle(credential);
  return (
    <tr data-credential-id={credential.id}>
      <th scope="row"><Link to={`/clinicians/${credential.clinician_id}`}>{who}</Link></th>
      <td>
        {title}
        <div className="muted small">{[credential.number, credential.issuer].filter(Boolean).join(' · ')}</div>
      </td>
      <td className="nowrap">{credential.issued_on ? formatDate(credential.issued_on) : '—'}</td>
      <td><ExpiryBadge expiresOn={credential.expires_on} today={today} /></td>
      <td>
        {documents.length === 0 ? <span className="muted">None uploaded</span> : (
          <ul className="document-list">
            {documents.map((d) => (
              <li key={d.id}><a href={downloads.document(d.id)} aria-label={`Open ${d.file_name || 'document'} of ${who}`}>
                {d.file_name || `Document ${d.id}`}</a></li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <ApproveForm credential={credential} who={who} onDone={() => onDecided(`Approved ${title} of ${who}.`)} />
        {rejecting
          ? <ReasonForm name={`Reject ${title} of ${who}`} label="Reason for the clinician" submitLabel="Reject"
              missing="Give a reason; the clinician reads it." maxLength={1000}
              send={(reason) => api.decideVerification(credential.id, { decision: 'reject', reason })}
              onDone={() => onDecided(`Rejected ${title} of ${who}.`)} />
          : <button type="button" className="button-secondary" aria-label={`Reject ${title} of ${who}…`}
              onClick={() => setRejecting(true)}>Reject…</button>}
      </td>
    </tr>
  );
}

export function VerificationQueuePage() {
  const [notice, setNotice] = useState<string | null>(null);
  const { state, reload } = useReloadable(async () => {
    const items = (await api.verificationQueue()).items;
    const [names, docs] = await Promise.all([
      clinicianNames(items.map((c) => c.clinician_id)),
      Promise.all(items.map((c) => api.documents(c.id).then((d) => d.items, () => []))),
    ]);
    return { items, names, documents: new Map(items.map((c, i) => [c.id, docs[i] ?? []])) };
  }, []);
  return (
    <>
      <h1 tabIndex={-1}>Verification</h1>
      <p className="muted">Credentials awaiting primary-source verification, oldest first. Approving names the source you
        checked; a rejection's reason is shown to the clinician.</p>
      {notice && <p className="notice notice-ok" role="status">{notice}</p>}
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} />}
      {state.status === 'ok' && (state.data.items.length === 0 ? <p>Nothing waits for verification.</p> : (
        <table className="data">
          <caption>{state.data.items.length} credential{state.data.items.length === 1 ? '' : 's'} awaiting verification</caption>
          <thead>
            <tr>
              <th scope="col">Clinician</th>
              <th scope="col">Credential</th>
              <th scope="col">Issued</th>
              <th scope="col">Expiry</th>
              <th scope="col">Documents</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {state.data.items.map((c) => (
              <QueueRow key={c.id} credential={c} who={state.data.names.get(c.clinician_id) ?? `Clinician #${c.clinician_id}`}
                documents={state.data.documents.get(c.id) ?? []}
                onDecided={(text) => { setNotice(text); reload(); }} />
            ))}
          </tbody>
        </table>
      ))}
    </>
  );
}
