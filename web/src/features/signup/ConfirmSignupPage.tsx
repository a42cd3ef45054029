// The page of the emailed confirmation link (/signup/confirm?token=...): posts the token
// once to POST /api/v1/signup/confirm, which creates the clinician's account in status
// applied, then invites them to sign in; a bad, used or expired link says so.
import { useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../../api/client';
import { errorMessage } from '../../shell/load';
import { Link } from '../../shell/router';

type State = { status: 'confirming' } | { status: 'done' } | { status: 'failed'; message: string };

function failureMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429) return 'Too many attempts. Please wait a few minutes and open the link again.';
    const token = error.problem?.errors?.find((e) => e.field === 'token');
    if (token) return token.message;
  }
  return errorMessage(error);
}

export function ConfirmSignupPage() {
  const [state, setState] = useState<State>({ status: 'confirming' });
  const started = useRef(false);

  useEffect(() => {
    // Once only (React's development double effect, a re-render): the token works once.
    if (started.current) return;
    started.current = true;
    const token = new URLSearchParams(window.location.search).get('token') ?? '';
    if (!token) {
      setState({ status: 'failed', message: 'This confirmation link is incomplete: it has no token.' });
      return;
    }
    api.confirmSignup(token).then(() => {
      // The token is spent: keep it out of the history and of a reload.
      window.history.replaceState(null, '', '/signup/confirm');
      setState({ status: 'done' });
    }, (error: unknown) => setState({ status: 'failed', message: failureMessage(error) }));
  }, []);

  return (
    <main id="main" className="signin">
      <section className="card signin-card" aria-labelledby="confirm-title">
        <p className="brand brand-large">OpenMSO</p>
        {state.status === 'confirming' && (
          <>
            <h1 id="confirm-title" tabIndex={-1}>Confirming your sign-up</h1>
            <p className="muted" role="status">Confirming…</p>
          </>
        )}
        {state.status === 'done' && (
          <>
            <h1 id="confirm-title" tabIndex={-1}>Application received</h1>
            <p role="status">
              Your application is received. Our credentialing team reviews it; meanwhile you can sign in with your
              email and password and complete your profile.
            </p>
            <p><Link to="/">Sign in</Link></p>
          </>
        )}
        {state.status === 'failed' && (
          <>
            <h1 id="confirm-title" tabIndex={-1}>This link does not work</h1>
            <p className="notice notice-error" role="alert">{state.message}</p>
            <p><Link to="/signup">Sign up again</Link> or <Link to="/">sign in</Link>.</p>
          </>
        )}
      </section>
    </main>
  );
}
