// Loading data for a page: one hook for the loading/ok/error states and one view that turns
// an API error into a sentence (403 is "not allowed", 404 "not found").
import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { ApiError } from '../api/client';

export type Load<T> =
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  | { status: 'error'; error: unknown };

export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Load<T> {
  return useReloadable(load, deps).state;
}

/**
 * useLoad plus reload(): a reload fetches again in the background and keeps showing the
 * data it has (no "Loading…" flash), so live updates and actions refresh a page in place.
 */
export function useReloadable<T>(load: () => Promise<T>, deps: DependencyList): { state: Load<T>; reload(): void } {
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const fetchInto = (showLoading: boolean) => {
    let cancelled = false;
    if (showLoading) setState({ status: 'loading' });
    load().then(
      (data) => { if (!cancelled) setState({ status: 'ok', data }); },
      (error: unknown) => { if (!cancelled) setState({ status: 'error', error }); },
    );
    return () => { cancelled = true; };
  };
  useEffect(() => fetchInto(true), deps);
  useEffect(() => (version === 0 ? undefined : fetchInto(false)), [version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { state, reload };
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.status) {
      case 403: return 'You are not allowed to see this page.';
      case 404: return 'Not found.';
      case 401: return 'Your session expired.';
      default: return error.problem?.detail ?? error.problem?.title ?? `The server answered ${error.status}.`;
    }
  }
  return 'The server could not be reached. Please try again.';
}

export function LoadError({ error }: { error: unknown }) {
  return <p className="notice notice-error" role="alert">{errorMessage(error)}</p>;
}

export function Loading() {
  return <p className="muted" role="status">Loading…</p>;
}
