// "Add a credential" (POST /api/v1/clinicians/{id}/credentials): kind, type (the discipline
// for a license: RN; BLS, ACLS for certifications; TB for a health record), issuing state
// and multistate flag for licenses, number, issue and expiry dates, issuer. The server
// checks every rule (expiry after issue, a known state code) and names the field it refuses;
// the new credential waits in the verification queue.
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { Credential, CredentialInput, CredentialKind } from '../../api/types';
import { ProblemNotice, SelectField, TextField, useAction } from '../../shell/form';
import { kKindOptions } from './labels';

export function CredentialForm({ clinicianId, onAdded, onCancel }: {
  clinicianId: number;
  onAdded(credential: Credential): void;
  onCancel(): void;
}) {
  const [kind, setKind] = useState<CredentialKind>('certification');
  const [typeCode, setTypeCode] = useState('');
  const [jurisdiction, setJurisdiction] = useState('');
  const [multistate, setMultistate] = useState(false);
  const [number, setNumber] = useState('');
  const [issuedOn, setIssuedOn] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [issuer, setIssuer] = useState('');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const action = useAction();
  const multistateId = useId();
  const license = kind === 'license';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!typeCode.trim()) errors.type_code = 'Required, e.g. BLS, or RN for a nursing license.';
    if (license && !jurisdiction.trim()) errors.jurisdiction = 'Required for a license: the issuing state, e.g. IL.';
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const input: CredentialInput = { kind, type_code: typeCode.trim().toUpperCase() };
    if (jurisdiction.trim()) input.jurisdiction = jurisdiction.trim().toUpperCase();
    if (license) input.multistate = multistate;
    if (number.trim()) input.number = number.trim();
    if (issuedOn) input.issued_on = issuedOn;
    if (expiresOn) input.expires_on = expiresOn;
    if (issuer.trim()) input.issuer = issuer.trim();
    const added = await action.run(() => api.addCredential(clinicianId, input));
    if (added) onAdded(added);
  };

  const err = (field: string) => localErrors[field] ?? action.problem?.fields[field];
  const shown = ['kind', 'type_code', 'jurisdiction', 'multistate', 'number', 'issued_on', 'expires_on', 'issuer'];
  return (
    <form className="card inline-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="add-credential-heading">
      <h2 id="add-credential-heading">Add a credential</h2>
      <div className="form-grid">
        <SelectField label="Kind" name="kind" value={kind} onChange={(v) => setKind(v as CredentialKind)}
          options={kKindOptions} error={err('kind')} />
        <TextField label="Type" name="type_code" value={typeCode} onChange={setTypeCode} required maxLength={20}
          error={err('type_code')} hint={license ? 'The discipline, e.g. RN' : 'e.g. BLS, ACLS, PALS, TB'} />
        <TextField label="Issuing state" name="jurisdiction" value={jurisdiction} onChange={setJurisdiction} maxLength={2}
          error={err('jurisdiction')} hint="Two-letter code, e.g. IL" required={license} />
        <TextField label="Number" name="number" value={number} onChange={setNumber} maxLength={60} error={err('number')} />
        <TextField label="Issued on" name="issued_on" type="date" value={issuedOn} onChange={setIssuedOn} error={err('issued_on')} />
        <TextField label="Expires on" name="expires_on" type="date" value={expiresOn} onChange={setExpiresOn}
          error={err('expires_on')} hint="Valid through this date" />
        <TextField label="Issuer" name="issuer" value={issuer} onChange={setIssuer} maxLength={200} error={err('issuer')} />
      </div>
      {license && (
        <div className="field field-inline">
          <input id={multistateId} type="checkbox" checked={multistate} onChange={(e) => setMultistate(e.target.checked)} />
          <label htmlFor={multistateId}>Multistate license (Nurse Licensure Compact)</label>
        </div>
      )}
      <ProblemNotice problem={action.problem} fieldsShown={shown} />
      <div className="actions">
        <button type="submit" disabled={action.busy}>{action.busy ? 'Adding…' : 'Add credential'}</button>
        <button type="button" className="button-secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
