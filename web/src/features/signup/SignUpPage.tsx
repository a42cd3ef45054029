// The public sign-up of per-diem clinicians (issue 3 part 1): name, email, password,
// discipline, home location and travel radius, sent to POST /api/v1/signup. The server's
// field errors show next to their fields; its answer is the same for a known email, so the
// page then says "check your email" without telling whether the address had an account.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { ProblemNotice, SelectField, TextField, useAction } from '../../shell/form';
import { Link } from '../../shell/router';

// GET /api/v1/disciplines needs a session, so the public form offers the disciplines that
// migration 0003 installs; the server checks the code against its table either way.
const kDisciplines = [
  { value: '', label: 'Choose your discipline' },
  { value: 'RN', label: 'Registered Nurse (RN)' },
  { value: 'LPN', label: 'Licensed Practical Nurse (LPN)' },
  { value: 'LVN', label: 'Licensed Vocational Nurse (LVN)' },
  { value: 'CNA', label: 'Certified Nursing Assistant (CNA)' },
  { value: 'CMA', label: 'Certified Medication Aide (CMA)' },
  { value: 'NP', label: 'Nurse Practitioner (NP)' },
  { value: 'CNS', label: 'Clinical Nurse Specialist (CNS)' },
  { value: 'CNM', label: 'Certified Nurse-Midwife (CNM)' },
  { value: 'CRNA', label: 'Certified Registered Nurse Anesthetist (CRNA)' },
  { value: 'RT', label: 'Respiratory Therapist (RT)' },
];

// The fields the form shows, as the server names them in problem+json errors[].field.
const kShown = ['first_name', 'last_name', 'email', 'password', 'phone', 'discipline', 'home', 'home.latitude',
  'home.longitude', 'travel_radius_km'];

/** A decimal number typed in a text box, or null when it is not one. */
function numberOf(text: string): number | null {
  const t = text.trim();
  if (!/^[-+]?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

export function SignUpPage() {
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [phone, setPhone] = useState('');
  const [discipline, setDiscipline] = useState('');
  const [latitude, setLatitude] = useState('');
  const [longitude, setLongitude] = useState('');
  const [radius, setRadius] = useState('40');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [locating, setLocating] = useState(false);
  const [sent, setSent] = useState(false);
  const action = useAction();

  const useMyLocation = () => {
    if (!navigator.geolocation) return;
    setLocating(true);
    navigator.geolocation.getCurrentPosition((position) => {
      setLatitude(position.coords.latitude.toFixed(5));
      setLongitude(position.coords.longitude.toFixed(5));
      setLocating(false);
    }, () => {
      setLocal((l) => ({ ...l, 'home.latitude': 'Your location is not available; type it in.' }));
      setLocating(false);
    }, { timeout: 10_000 });
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Only what JSON cannot carry is checked here (numbers); every rule is the server's.
    const lat = numberOf(latitude);
    const lon = numberOf(longitude);
    const km = /^\d+$/.test(radius.trim()) ? Number(radius.trim()) : null;
    const errors: Record<string, string> = {};
    if (lat === null) errors['home.latitude'] = 'Enter the latitude as a decimal number, e.g. 41.88.';
    if (lon === null) errors['home.longitude'] = 'Enter the longitude as a decimal number, e.g. -87.63.';
    if (km === null) errors.travel_radius_km = 'Enter whole kilometres, 1 to 500.';
    setLocal(errors);
    if (lat === null || lon === null || km === null) return;
    const answer = await action.run(() => api.signUp({
      first_name: firstName.trim(), last_name: lastName.trim(), email: email.trim(), password,
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      discipline, home: { latitude: lat, longitude: lon }, travel_radius_km: km,
    }));
    if (answer !== undefined) setSent(true);
  };

  const fields = action.problem?.fields ?? {};
  const errorOf = (name: string) => local[name] ?? fields[name];

  if (sent) {
    return (
      <main id="main" className="signin">
        <section className="card signin-card" aria-labelledby="signup-sent-title">
          <p className="brand brand-large">OpenMSO</p>
          <h1 id="signup-sent-title" tabIndex={-1}>Check your email</h1>
          <p role="status">
            If <strong>{email.trim()}</strong> can be used for a new account, we have sent it a link to confirm your
            sign-up. The link works once, for 24 hours.
          </p>
          <p><Link to="/">Back to sign in</Link></p>
        </section>
      </main>
    );
  }

  return (
    <main id="main" className="signin">
      <form className="card signin-card" onSubmit={(event) => void submit(event)} aria-labelledby="signup-title" noValidate>
        <p className="brand brand-large">OpenMSO</p>
        <h1 id="signup-title">Sign up</h1>
        <p className="muted">Apply to work per-diem shifts. We email you a link to confirm your address.</p>
        <TextField label="First name" name="first_name" autoComplete="given-name" required maxLength={100} autoFocus
          value={firstName} onChange={setFirstName} error={errorOf('first_name')} />
        <TextField label="Last name" name="last_name" autoComplete="family-name" required maxLength={100}
          value={lastName} onChange={setLastName} error={errorOf('last_name')} />
        <TextField label="Email" name="email" type="email" autoComplete="email" required maxLength={254}
          value={email} onChange={setEmail} error={errorOf('email')} />
        <TextField label="Password" name="password" type="password" autoComplete="new-password" required maxLength={256}
          value={password} onChange={setPassword} error={errorOf('password')} hint="At least 12 characters." />
        <TextField label="Phone (optional)" name="phone" type="tel" autoComplete="tel" maxLength={40}
          value={phone} onChange={setPhone} error={errorOf('phone')} />
        <SelectField label="Discipline" name="discipline" value={discipline} onChange={setDiscipline}
          options={kDisciplines} error={errorOf('discipline')} />
        <fieldset className="field">
          <legend>Home location</legend>
          <TextField label="Latitude" name="latitude" inputMode="decimal" required value={latitude} onChange={setLatitude}
            error={errorOf('home.latitude') ?? errorOf('home')} />
          <TextField label="Longitude" name="longitude" inputMode="decimal" required value={longitude} onChange={setLongitude}
            error={errorOf('home.longitude')} />
          {'geolocation' in navigator && (
            <button type="button" className="button-secondary" onClick={useMyLocation} disabled={locating}>
              {locating ? 'Locating…' : 'Use my current location'}
            </button>
          )}
        </fieldset>
        <TextField label="Travel radius (km)" name="travel_radius_km" inputMode="numeric" required value={radius}
          onChange={setRadius} error={errorOf('travel_radius_km')} hint="How far from home you would travel for a shift." />
        <ProblemNotice problem={action.problem} fieldsShown={kShown} />
        <button type="submit" disabled={action.busy}>{action.busy ? 'Sending…' : 'Sign up'}</button>
        <p>Already have an account? <Link to="/">Sign in</Link></p>
      </form>
    </main>
  );
}
