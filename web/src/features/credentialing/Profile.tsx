// A clinician's profile (GET/PUT /api/v1/clinicians/{id}/profile): status with the reason
// the clinician can read, disciplines, employment, home and travel radius, and an edit form
// for what the clinician may change themself (name, phone, specialties, travel radius, NPI;
// the server checks the NPI's Luhn check digit, CRED-NPI-LUHN, and names the field).
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { ClinicianProfile } from '../../api/types';
import { formatDate } from '../../shell/format';
import { ProblemNotice, TextField, useAction } from '../../shell/form';
import { clinicianStatusLabel, employmentLabel } from './labels';

function ProfileForm({ profile, onSaved, onCancel }: {
  profile: ClinicianProfile;
  onSaved(p: ClinicianProfile): void;
  onCancel(): void;
}) {
  const [firstName, setFirstName] = useState(profile.first_name);
  const [lastName, setLastName] = useState(profile.last_name);
  const [phone, setPhone] = useState(profile.phone);
  const [radius, setRadius] = useState(String(profile.travel_radius_km));
  const [specialties, setSpecialties] = useState(profile.specialties.join(', '));
  const [npi, setNpi] = useState(profile.npi ?? '');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const action = useAction();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!/^\d{1,3}$/.test(radius.trim())) errors.travel_radius_km = 'Kilometres, a whole number from 0 to 500.';
    if (!firstName.trim()) errors.first_name = 'Required.';
    if (!lastName.trim()) errors.last_name = 'Required.';
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const { id: _id, email: _email, status: _status, status_reason: _reason, home_facility_id: _home, ...editable } = profile;
    const saved = await action.run(() => api.updateProfile(profile.id, {
      ...editable,
      first_name: firstName.trim(),
      last_name: lastName.trim(),
      phone: phone.trim(),
      travel_radius_km: Number(radius),
      specialties: specialties.split(',').map((s) => s.trim()).filter(Boolean),
      npi: npi.trim() ? npi.trim() : null,
    }));
    if (saved) onSaved(saved);
  };
  const err = (field: string) => localErrors[field] ?? action.problem?.fields[field];
  return (
    <form className="card inline-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="edit-profile-heading">
      <h2 id="edit-profile-heading">Edit profile</h2>
      <div className="form-grid">
        <TextField label="First name" name="first_name" value={firstName} onChange={setFirstName} maxLength={100}
          required error={err('first_name')} />
        <TextField label="Last name" name="last_name" value={lastName} onChange={setLastName} maxLength={100}
          required error={err('last_name')} />
        <TextField label="Phone" name="phone" type="tel" value={phone} onChange={setPhone} maxLength={40} error={err('phone')} />
        <TextField label="Travel radius (km)" name="travel_radius_km" inputMode="numeric" value={radius} onChange={setRadius}
          error={err('travel_radius_km')} />
        <TextField label="Specialties" name="specialties" value={specialties} onChange={setSpecialties}
          error={err('specialties')} hint="Separated by commas" />
        <TextField label="NPI" name="npi" inputMode="numeric" value={npi} onChange={setNpi} maxLength={10}
          error={err('npi')} hint="10 digits; leave empty if you have none" />
      </div>
      <ProblemNotice problem={action.problem} fieldsShown={['first_name', 'last_name', 'phone', 'travel_radius_km', 'specialties', 'npi']} />
      <div className="actions">
        <button type="submit" disabled={action.busy}>{action.busy ? 'Saving…' : 'Save profile'}</button>
        <button type="button" className="button-secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

export function ProfileFacts({ profile }: { profile: ClinicianProfile }) {
  return (
    <dl className="facts">
      <dt>Status</dt>
      <dd data-testid="clinician-status">{clinicianStatusLabel(profile.status)}
        {profile.status_reason && <span>: {profile.status_reason}</span>}</dd>
      <dt>Email</dt><dd>{profile.email}</dd>
      <dt>Phone</dt><dd>{profile.phone || '—'}</dd>
      <dt>Date of birth</dt><dd>{profile.date_of_birth ? formatDate(profile.date_of_birth) : '—'}</dd>
      <dt>Disciplines</dt><dd>{profile.disciplines.join(', ') || '—'}</dd>
      <dt>Specialties</dt><dd>{profile.specialties.join(', ') || '—'}</dd>
      <dt>Employment</dt><dd>{employmentLabel(profile.employment_type)}, {employmentLabel(profile.employment_class)}</dd>
      <dt>Primary state</dt><dd>{profile.primary_state || '—'}</dd>
      <dt>NPI</dt><dd>{profile.npi ?? '—'}</dd>
      <dt>Home</dt><dd>{profile.home.latitude.toFixed(4)}, {profile.home.longitude.toFixed(4)}; travels up to {profile.travel_radius_km} km</dd>
    </dl>
  );
}

export function Profile({ profile, canEdit, onSaved }: { profile: ClinicianProfile; canEdit: boolean; onSaved(p: ClinicianProfile): void }) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <section aria-labelledby="profile-heading">
      <div className="section-head">
        <h2 id="profile-heading">{profile.first_name} {profile.last_name}</h2>
        {canEdit && !editing && <button type="button" className="button-secondary" onClick={() => { setSaved(false); setEditing(true); }}>Edit profile</button>}
      </div>
      {saved && <p className="notice notice-ok" role="status">Profile saved.</p>}
      {editing
        ? <ProfileForm profile={profile} onCancel={() => setEditing(false)}
            onSaved={(p) => { setEditing(false); setSaved(true); onSaved(p); }} />
        : <ProfileFacts profile={profile} />}
    </section>
  );
}
