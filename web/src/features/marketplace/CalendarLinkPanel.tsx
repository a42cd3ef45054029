// The clinician's private calendar feed (MKT-ICAL-FEED): "Create link" or "New link"
// (POST /api/v1/me/calendar-token: a new secret URL, shown only now; the old one stops
// working) and "Turn off" (DELETE: the URL answers 404). Calendar apps subscribe to the
// webcal:// form; the https:// form is for copying.
import { useState } from 'react';
import { api } from '../../api/client';
import type { CalendarLink } from '../../api/types';
import { ProblemNotice, useAction } from '../../shell/form';
import './marketplace.css';

export function CalendarLinkPanel() {
  const [link, setLink] = useState<CalendarLink | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const action = useAction();
  const rotate = async () => {
    setNote(null);
    const answer = await action.run(() => api.rotateCalendarLink());
    if (answer) {
      setLink(answer);
      setNote('A new calendar link was made; any earlier link has stopped working.');
    }
  };
  const revoke = async () => {
    setNote(null);
    const done = await action.run(async () => { await api.revokeCalendarLink(); return true; });
    if (done) {
      setLink(null);
      setNote('Your calendar link is turned off; calendar apps subscribed to it get nothing more.');
    }
  };
  return (
    <section className="card calendar-link" aria-labelledby="calendar-link-heading">
      <h2 id="calendar-link-heading">Calendar link</h2>
      <p className="muted">Subscribe to your booked shifts from a calendar app (Google, Apple, Outlook). The link is private:
        anyone who has it sees your shifts. It is shown once; make a new one if you lose it.</p>
      {note && <p className="notice notice-ok" role="status">{note}</p>}
      {link && (
        <dl className="facts">
          <dt>Link</dt><dd><code data-testid="calendar-url">{link.url}</code></dd>
          {link.webcal_url && <><dt>Subscribe</dt><dd><a href={link.webcal_url}>Open in my calendar app</a></dd></>}
        </dl>
      )}
      <div className="actions">
        <button type="button" disabled={action.busy} onClick={() => void rotate()}>{link ? 'Make a new link' : 'Create calendar link'}</button>
        <button type="button" className="button-secondary" disabled={action.busy} onClick={() => void revoke()}>Turn off link</button>
      </div>
      <ProblemNotice problem={action.problem} />
    </section>
  );
}
