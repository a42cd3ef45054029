// Live events: one WebSocket to /api/v1/events while signed in (the session cookie
// authenticates it), reconnecting with backoff; shows "live" when connected and each
// incoming event as a short toast. Pages subscribe with useLiveEvent to refresh themselves.
import { useEffect, useRef, useState } from 'react';
import { api, eventsUrl } from '../api/client';
import type { LiveEvent } from '../api/types';

interface Toast {
  id: number;
  text: string;
}

const kToastMillis = 6000;
const kMaxToasts = 4;
// Events that only feed a page (progress of a long run) and would flood the toasts.
const kQuietTypes = new Set(['payrun.progress', 'invoicing.progress']);

const subscribers = new Set<(event: LiveEvent) => void>();

/**
 * Calls `handler` with every live event while the calling component is mounted. The latest
 * handler is used, so it may close over fresh state without re-subscribing.
 */
export function useLiveEvent(handler: (event: LiveEvent) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const listener = (event: LiveEvent) => latest.current(event);
    subscribers.add(listener);
    return () => { subscribers.delete(listener); };
  }, []);
}

function describe(event: LiveEvent): string {
  const action = typeof event.action === 'string' ? event.action : null;
  const outcome = typeof event.outcome === 'string' ? event.outcome : null;
  if (action) return outcome ? `${action} (${outcome})` : action;
  // "facility.created" reads as "Facility created".
  const words = event.type.replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function useLiveEvents(): { connected: boolean; toasts: Toast[]; dismiss(id: number): void } {
  const [connected, setConnected] = useState(false);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  useEffect(() => {
    let socket: WebSocket | null = null;
    let retryTimer: number | undefined;
    let delay = 1000;
    let stopped = false;

    const connect = () => {
      socket = new WebSocket(eventsUrl());
      socket.onopen = () => {
        delay = 1000;
        setConnected(true);
      };
      socket.onmessage = (message: MessageEvent) => {
        if (typeof message.data !== 'string') return;
        let event: LiveEvent;
        try {
          event = JSON.parse(message.data) as LiveEvent;
        } catch {
          return;
        }
        if (!event || typeof event.type !== 'string' || event.type === 'hello') return;
        for (const subscriber of subscribers) subscriber(event);
        if (kQuietTypes.has(event.type)) return;
        const id = nextId.current++;
        setToasts((current) => [...current.slice(-(kMaxToasts - 1)), { id, text: describe(event) }]);
        window.setTimeout(() => setToasts((current) => current.filter((t) => t.id !== id)), kToastMillis);
      };
      socket.onclose = () => {
        setConnected(false);
        if (stopped) return;
        // The server may have closed the socket because the session ended: asking who we are
        // answers 401 then, which takes the UI back to sign-in with "Your session expired".
        api.me().catch(() => undefined);
        retryTimer = window.setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30000);
      };
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(retryTimer);
      socket?.close();
    };
  }, []);

  const dismiss = (id: number) => setToasts((current) => current.filter((t) => t.id !== id));
  return { connected, toasts, dismiss };
}

export function LiveIndicator({ connected }: { connected: boolean }) {
  return (
    <span className={connected ? 'live live-on' : 'live'} data-testid="live-indicator"
      title={connected ? 'Receiving live events' : 'Live events disconnected'}>
      <span className="live-dot" aria-hidden="true" />
      {connected ? 'live' : 'offline'}
    </span>
  );
}

export function Toasts({ toasts, dismiss }: { toasts: Toast[]; dismiss(id: number): void }) {
  return (
    <div className="toasts" role="status" aria-live="polite" aria-label="Live events">
      {toasts.map((toast) => (
        <div className="toast" key={toast.id}>
          <span>{toast.text}</span>
          <button type="button" className="toast-close" aria-label="Dismiss notification"
            onClick={() => dismiss(toast.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
