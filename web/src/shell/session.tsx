// The signed-in session of the browser: restored from the cookie on load, set by sign-in,
// cleared by sign-out, and ended with "Your session expired" when any API call answers 401.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setUnauthorizedHandler } from '../api/client';
import type { User } from '../api/types';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; notice: string | null }
  | { status: 'signed-in'; user: User; /** true right after the sign-in form, false when restored. */ fresh: boolean };

interface SessionApi {
  state: SessionState;
  /** REQUIRES: the caller handles ApiError (401 invalid-credentials, 429 too-many-attempts). */
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

export const kSessionExpired = 'Your session expired. Please sign in again.';
// Only a marker that this browser had a session, so that a reload after expiry can say so.
// The session token itself lives in the HttpOnly cookie, never in storage.
const kHadSessionKey = 'openmso.had-session';

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const expire = useCallback(() => {
    window.localStorage.removeItem(kHadSessionKey);
    setState({ status: 'signed-out', notice: kSessionExpired });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(expire);
    let cancelled = false;
    api.session().then(
      (answer) => {
        if (cancelled) return;
        window.localStorage.setItem(kHadSessionKey, '1');
        setState({ status: 'signed-in', user: answer.user, fresh: false });
      },
      () => {
        if (cancelled) return;
        const had = window.localStorage.getItem(kHadSessionKey) === '1';
        window.localStorage.removeItem(kHadSessionKey);
        setState({ status: 'signed-out', notice: had ? kSessionExpired : null });
      },
    );
    return () => {
      cancelled = true;
      setUnauthorizedHandler(null);
    };
  }, [expire]);

  const signIn = useCallback(async (email: string, password: string) => {
    const answer = await api.login(email, password);
    window.localStorage.setItem(kHadSessionKey, '1');
    setState({ status: 'signed-in', user: answer.user, fresh: true });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      window.localStorage.removeItem(kHadSessionKey);
      setState({ status: 'signed-out', notice: 'You have signed out.' });
    }
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user. REQUIRES: rendered only while signed in. */
export function useUser(): User {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser while not signed in');
  return state.user;
}
