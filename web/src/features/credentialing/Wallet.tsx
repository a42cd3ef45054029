// A clinician's credential wallet: every credential with its expiry badge (valid, expiring
// within 30 days, expired), its verification status and the reason of a rejection, its
// documents (download, and upload of a PDF, JPEG or PNG whose type the server sniffs), and
// "Add a credential". Used by the clinician's own page and, read-only or not by role, by
// the staff's clinician file.
import { useState, type ChangeEvent } from 'react';
import { api, downloads, uploadDocument } from '../../api/client';
import type { Credential, CredentialDocument } from '../../api/types';
import { formatDate, formatInZone } from '../../shell/format';
import { ProblemNotice, useAction } from '../../shell/form';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { CredentialForm } from './CredentialForm';
import { ExpiryBadge, VerificationBadge, credentialTitle, formatBytes, kExpiringWindowDays, todayLocal } from './labels';
import './credentialing.css';

const kAccepted = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';

function Documents({ credential, documents, canUpload, onUploaded }: {
  credential: Credential;
  documents: CredentialDocument[];
  canUpload: boolean;
  onUploaded(doc: CredentialDocument): void;
}) {
  const upload = useAction();
  const [done, setDone] = useState<string | null>(null);
  const title = credentialTitle(credential);
  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.target;
    const file = input.files?.[0];
    if (!file) return;
    setDone(null);
    const doc = await upload.run(() => uploadDocument(credential.id, file, file.name));
    input.value = '';
    if (doc) {
      setDone(`Uploaded ${doc.file_name || 'the document'}.`);
      onUploaded(doc);
    }
  };
  return (
    <div className="documents">
      {documents.length === 0 ? <span className="muted">No document</span> : (
        <ul className="document-list">
          {documents.map((d) => (
            <li key={d.id}>
              <a href={downloads.document(d.id)} download={d.file_name || undefined}
                aria-label={`Download ${d.file_name || 'document'} of ${title}`}>{d.file_name || `Document ${d.id}`}</a>
              {' '}<span className="muted small">({d.content_type.replace('application/', '').replace('image/', '').toUpperCase()},
                {' '}{formatBytes(d.size_bytes)})</span>
            </li>
          ))}
        </ul>
      )}
      {canUpload && (
        <input type="file" accept={kAccepted} disabled={upload.busy} className="upload"
          aria-label={`Upload a document for ${title} (PDF, JPEG or PNG)`} onChange={(e) => void choose(e)} />
      )}
      {done && <p className="small notice-inline-ok" role="status">{done}</p>}
      <ProblemNotice problem={upload.problem} />
    </div>
  );
}

export function Wallet({ clinicianId, canEdit }: { clinicianId: number; canEdit: boolean }) {
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<Credential | null>(null);
  const { state, reload } = useReloadable(async () => {
    const list = (await api.credentials(clinicianId)).items;
    const docs = await Promise.all(list.map((c) => api.documents(c.id).then((d) => d.items, () => [])));
    return { credentials: list, documents: new Map(list.map((c, i) => [c.id, docs[i] ?? []])) };
  }, [clinicianId]);
  const today = todayLocal();

  return (
    <section aria-labelledby="wallet-heading" className="wallet">
      <div className="section-head">
        <h2 id="wallet-heading">Credentials</h2>
        {canEdit && !adding && (
          <button type="button" onClick={() => { setAdded(null); setAdding(true); }}>Add a credential</button>
        )}
      </div>
      {added && (
        <p className="notice notice-ok" role="status">
          Added {credentialTitle(added)}; it waits for verification by the credentialing team.
        </p>
      )}
      {adding && (
        <CredentialForm clinicianId={clinicianId} onCancel={() => setAdding(false)}
          onAdded={(c) => { setAdding(false); setAdded(c); reload(); }} />
      )}
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} />}
      {state.status === 'ok' && (state.data.credentials.length === 0 ? <p>No credentials on file yet.</p> : (
        <table className="data wallet-table">
          <caption>{state.data.credentials.length} credential{state.data.credentials.length === 1 ? '' : 's'}
            {' '}(expiring soon: within {kExpiringWindowDays} days)</caption>
          <thead>
            <tr>
              <th scope="col">Credential</th>
              <th scope="col">Issued</th>
              <th scope="col">Expiry</th>
              <th scope="col">Verification</th>
              <th scope="col">Documents</th>
            </tr>
          </thead>
          <tbody>
            {state.data.credentials.map((c) => (
              <tr key={c.id} data-credential-id={c.id}>
                <th scope="row">
                  {credentialTitle(c)}
                  <div className="muted small">{[c.number, c.issuer].filter(Boolean).join(' · ')}</div>
                </th>
                <td className="nowrap">{c.issued_on ? formatDate(c.issued_on) : '—'}</td>
                <td><ExpiryBadge expiresOn={c.expires_on} today={today} /></td>
                <td>
                  <VerificationBadge credential={c} />
                  {c.verification === 'rejected' && c.verification_reason && (
                    <div className="small verification-reason">Reason: {c.verification_reason}</div>
                  )}
                  {c.verification === 'verified' && (
                    <div className="muted small">
                      {c.verification_source && `Source: ${c.verification_source}`}
                      {c.verified_at && `, ${formatInZone(c.verified_at, Intl.DateTimeFormat().resolvedOptions().timeZone, false)}`}
                    </div>
                  )}
                </td>
                <td>
                  <Documents credential={c} documents={state.data.documents.get(c.id) ?? []} canUpload={canEdit}
                    onUploaded={reload} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}
