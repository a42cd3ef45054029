// The audit trail (auditors and MSO admins): newest events first, filtered by action and
// actor, paged backwards with the server's `next_before` cursor.
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { roleLabel } from '../../shell/access';
import { LoadError, Loading, useLoad } from '../../shell/load';

const kPageSize = 50;

interface Filters {
  action: string;
  actor: string;
}

function formatInstant(at: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function AuditPage() {
  const [filters, setFilters] = useState<Filters>({ action: '', actor: '' });
  const [draft, setDraft] = useState<Filters>({ action: '', actor: '' });
  // Cursors of the pages above the current one; the last is the current page's `before`.
  const [cursors, setCursors] = useState<(number | null)[]>([null]);
  const before = cursors[cursors.length - 1] ?? null;
  const actionId = useId();
  const actorId = useId();

  const load = useLoad(
    () => api.auditEvents({ limit: kPageSize, before, action: filters.action, actor_user_id: filters.actor }),
    [before, filters.action, filters.actor],
  );

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFilters({ action: draft.action.trim(), actor: draft.actor.trim() });
    setCursors([null]);
  };
  const clear = () => {
    setDraft({ action: '', actor: '' });
    setFilters({ action: '', actor: '' });
    setCursors([null]);
  };

  const nextBefore = load.status === 'ok' ? load.data.next_before : null;
  return (
    <>
      <h1 tabIndex={-1}>Audit events</h1>
      <form className="filters" onSubmit={apply} role="search" aria-label="Filter audit events">
        <div className="field">
          <label htmlFor={actionId}>Action</label>
          <input id={actionId} name="action" type="text" placeholder="e.g. auth.login" value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={actorId}>Actor user id</label>
          <input id={actorId} name="actor" type="text" inputMode="numeric" pattern="[0-9]*" value={draft.actor}
            onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />
        </div>
        <button type="submit">Apply filters</button>
        <button type="button" className="button-secondary" onClick={clear}>Clear</button>
      </form>
      {load.status === 'loading' && <Loading />}
      {load.status === 'error' && <LoadError error={load.error} />}
      {load.status === 'ok' && (
        <>
          <table className="data">
            <caption>
              {load.data.items.length === 0 ? 'No events match.' : `${load.data.items.length} events, newest first`}
            </caption>
            <thead>
              <tr>
                <th scope="col" className="num">Seq</th>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Entity</th>
                <th scope="col">Facility</th>
                <th scope="col">Outcome</th>
                <th scope="col">Client</th>
              </tr>
            </thead>
            <tbody>
              {load.data.items.map((event) => (
                <tr key={event.seq}>
                  <td className="num">{event.seq}</td>
                  <td className="nowrap">{formatInstant(event.at)}</td>
                  <td className="nowrap">
                    {event.actor_user_id ?? ''}
                    {event.actor_role ? <span className="muted"> {roleLabel(event.actor_role)}</span> : null}
                    {event.actor_user_id == null && !event.actor_role ? '—' : null}
                  </td>
                  <td><code>{event.action}</code></td>
                  <td>{event.entity_type ? `${event.entity_type}${event.entity_id != null ? ` ${event.entity_id}` : ''}` : '—'}</td>
                  <td>{event.facility_id ?? '—'}</td>
                  <td><span className={`outcome outcome-${event.outcome}`}>{event.outcome}</span></td>
                  <td className="muted">{event.client_ip ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div className="pager" role="group" aria-label="Pages">
        <button type="button" className="button-secondary" disabled={cursors.length <= 1}
          onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>
        <button type="button" className="button-secondary" disabled={nextBefore === null}
          onClick={() => nextBefore !== null && setCursors([...cursors, nextBefore])}>Older</button>
      </div>
    </>
  );
}
