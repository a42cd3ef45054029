// Sign-in: email and password, with the server's refusals in words (401 wrong email or
// password, 429 too many attempts) and any notice carried in (session expired, signed out).
import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { Link } from '../../shell/router';
import { useSession } from '../../shell/session';

function signInError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401 || error.slug === 'invalid-credentials') return 'The email or password is not correct.';
    if (error.status === 429 || error.slug === 'too-many-attempts') {
      return 'Too many attempts. Please wait a few minutes before trying again.';
    }
    if (error.status === 400 || error.status === 422) return error.problem?.detail ?? 'Please check the email and password.';
    return `Sign-in failed: the server answered ${error.status}.`;
  }
  return 'The server could not be reached. Please try again.';
}

export function SignInPage({ notice }: { notice: string | null }) {
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const emailId = useId();
  const passwordId = useId();
  const errorId = useId();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (failure) {
      setError(signInError(failure));
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <main id="main" className="signin">
      <form className="card signin-card" onSubmit={(event) => void submit(event)} aria-labelledby="signin-title"
        noValidate>
        <p className="brand brand-large">OpenMSO</p>
        <h1 id="signin-title">Sign in</h1>
        {notice && <p className="notice" role="status">{notice}</p>}
        <div className="field">
          <label htmlFor={emailId}>Email</label>
          <input id={emailId} name="email" type="email" autoComplete="username" required autoFocus
            value={email} onChange={(e) => setEmail(e.target.value)}
            aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined} />
        </div>
        <div className="field">
          <label htmlFor={passwordId}>Password</label>
          <input id={passwordId} name="password" type="password" autoComplete="current-password" required
            value={password} onChange={(e) => setPassword(e.target.value)}
            aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined} />
        </div>
        {error && <p id={errorId} className="notice notice-error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        <p>New clinician? <Link to="/signup">Sign up</Link> to work per-diem shifts.</p>
      </form>
    </main>
  );
}
