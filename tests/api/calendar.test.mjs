// The clinician's private iCalendar feed through the real binary (issue 4 part 6,
// MKT-ICAL-FEED): the token is created, rotated and revoked by the clinician, the server
// keeps only its SHA-256, the feed needs no session, every read is audited, and ical.js
// (an independent parser) reads the clinician's shifts with the facility's zone: a night
// over the November DST change is 13 hours; a cancelled or withdrawn shift stays listed
// as CANCELLED with a higher SEQUENCE. ../shared/domain/fhir-and-calendar.md part B.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { startServer, freshDatabase, login, demo } from '../lib/server.mjs';

const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
let db, server, admin, manager, clinician, facility, unit;
const RILEY = 1;  // the demo clinician's roster id

const json = (who) => who.headers({ 'content-type': 'application/json' });
async function call(who, method, path, body) {
  const r = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: body === undefined ? who.headers() : json(who),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = r.headers.get('content-type') || '';
  return { status: r.status, type, body: type.includes('json') ? await r.json() : await r.text() };
}
// The feed as a calendar app fetches it: no session, no cookie.
async function feed(url) {
  const r = await fetch(url.startsWith('http') ? url : `${server.baseUrl}${url}`);
  return { status: r.status, type: r.headers.get('content-type') || '', text: await r.text() };
}
function sql(text) {
  if (pg) return execFileSync('psql', [db.url, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' });
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.path, text], { encoding: 'utf8' });
}
const rows = (text) => sql(text).trim().split('\n').filter(Boolean).map((l) => l.split('|'));
function parse(ics) {
  const vcal = new ICAL.Component(ICAL.parse(ics));
  for (const vtz of vcal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  return vcal;
}
const dayUtc = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
// The first Sunday of November (US fall-back) at least two days ahead.
function nextFallBack() {
  for (let y = new Date().getUTCFullYear(); ; ++y) {
    const first = new Date(Date.UTC(y, 10, 1));
    const d = new Date(Date.UTC(y, 10, 1 + ((7 - first.getUTCDay()) % 7)));
    if (d.getTime() > Date.now() + 2 * 86400000) return d.toISOString().slice(0, 10);
  }
}
const prevDay = (iso) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);

before(async () => {
  db = freshDatabase();
  server = await startServer({ databaseUrl: db.url });
  admin = await login(server.baseUrl, demo.users.mso_admin);
  manager = await login(server.baseUrl, demo.users.facility_manager);
  clinician = await login(server.baseUrl, demo.users.clinician);
  // A Chicago facility without a requirement profile, so that Riley's IL license alone
  // makes her eligible for next November's night; she moves within reach of it.
  const f = await call(admin, 'POST', '/api/v1/facilities', {
    name: 'Lincoln Park Clinic', type: 'clinic',
    address: { line1: '2400 N Clark St', city: 'Chicago', state: 'IL', postal_code: '60614' },
    location: { latitude: 41.9258, longitude: -87.6402 }, time_zone: 'America/Chicago', monthly_fee_cents: 0,
  });
  assert.equal(f.status, 201, JSON.stringify(f.body));
  facility = f.body.id;
  const u = await call(admin, 'POST', `/api/v1/facilities/${facility}/units`, { name: 'Day Surgery', kind: 'clinic' });
  assert.equal(u.status, 201, JSON.stringify(u.body));
  unit = u.body.id;
  const profile = (await call(clinician, 'GET', `/api/v1/clinicians/${RILEY}/profile`)).body;
  const { id, email, status, status_reason, home_facility_id, ...editable } = profile;
  const moved = await call(clinician, 'PUT', `/api/v1/clinicians/${RILEY}/profile`,
    { ...editable, home: { latitude: 41.91, longitude: -87.64 }, travel_radius_km: 40 });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
});
after(async () => {
  await server?.stop();
  db?.drop();
});

async function book(start, end, over = {}) {
  const posted = await call(admin, 'POST', `/api/v1/facilities/${facility}/shifts`, {
    unit_id: unit, discipline: 'RN', start, end, break_minutes: 30, pay_rate_cents: 5600, bill_rate_cents: 8000, ...over,
  });
  assert.equal(posted.status, 201, JSON.stringify(posted.body));
  const claim = await call(clinician, 'POST', `/api/v1/shifts/${posted.body.id}/claims`, {});
  assert.equal(claim.status, 201, JSON.stringify(claim.body));
  assert.equal(claim.body.status, 'confirmed');
  return { shift: posted.body, claim: claim.body };
}

test('the feed URL: created, rotated and revoked by the clinician; only its hash is stored; reads are audited', async () => {
  assert.equal((await feed('/api/v1/calendar/not-a-real-token.ics')).status, 404);
  assert.equal((await call(manager, 'POST', '/api/v1/me/calendar-token', {})).status, 403);
  assert.equal((await call(admin, 'POST', '/api/v1/me/calendar-token')).status, 403);

  const made = await call(clinician, 'POST', '/api/v1/me/calendar-token', {});
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const { url, webcal_url: webcal, path } = made.body;
  assert.match(path, /^\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  assert.equal(url, `${server.baseUrl}${path}`);
  assert.equal(webcal, `webcal://127.0.0.1:${server.port}${path}`);
  const token = path.slice('/api/v1/calendar/'.length, -'.ics'.length);
  const stored = sql(`SELECT token_sha256 FROM calendar_tokens WHERE clinician_id = ${RILEY}`).trim();
  assert.equal(stored, createHash('sha256').update(token).digest('hex'));
  assert.equal(sql(`SELECT COUNT(*) FROM calendar_tokens WHERE token_sha256 = '${token}'`).trim(), '0');

  const first = await feed(url);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.type, 'text/calendar; charset=utf-8');
  const vcal = parse(first.text);
  assert.equal(vcal.getFirstPropertyValue('version'), '2.0');
  assert.equal(vcal.getFirstPropertyValue('method'), 'PUBLISH');
  // The session of a signed-in user is neither needed nor enough: the token decides.
  assert.equal((await fetch(`${server.baseUrl}/api/v1/calendar/x${token}.ics`, { headers: clinician.headers() })).status, 404);
  assert.equal((await feed(path.replace('.ics', '.json'))).status, 404);

  const rotated = await call(clinician, 'POST', '/api/v1/me/calendar-token');
  assert.equal(rotated.status, 201);
  assert.notEqual(rotated.body.path, path);
  assert.equal((await feed(url)).status, 404, 'the old URL stops working');
  assert.equal((await feed(rotated.body.url)).status, 200);

  const audit = await call(admin, 'GET', '/api/v1/audit/events?action=calendar.read&limit=10');
  assert.equal(audit.status, 200);
  const reads = audit.body.items.filter((e) => e.outcome === 'success');
  assert.equal(reads.length, 2, JSON.stringify(audit.body.items));
  assert.ok(reads.every((e) => e.entity_type === 'calendar_feed' && e.entity_id === String(RILEY) && e.actor_role === 'calendar_token'));
  const changes = await call(admin, 'GET', '/api/v1/audit/events?action=calendar_token.rotate&limit=10');
  assert.equal(changes.body.items.filter((e) => e.outcome === 'success').length, 2);
  assert.equal(changes.body.items.filter((e) => e.outcome === 'denied').length, 2, 'the manager and the admin');

  assert.equal((await call(clinician, 'DELETE', '/api/v1/me/calendar-token')).status, 204);
  assert.equal((await feed(rotated.body.url)).status, 404, 'revoked');
  assert.equal((await call(clinician, 'DELETE', '/api/v1/me/calendar-token')).status, 404);
  assert.equal(sql(`SELECT COUNT(*) FROM calendar_tokens`).trim(), '0');
});

test('ical.js reads the shifts: a night over the November DST change is 13 hours; cancelled shifts stay, as CANCELLED', async () => {
  const change = nextFallBack();
  const night = await book(`${prevDay(change)}T19:00`, `${change}T07:00`, { incentive_cents: 2500 });
  assert.equal(night.shift.length_minutes, 13 * 60);
  const day = await book(`${dayUtc(3)}T07:00`, `${dayUtc(3)}T15:00`);
  const dropped = await book(`${dayUtc(5)}T07:00`, `${dayUtc(5)}T15:00`);
  const withdrawn = await book(`${dayUtc(8)}T07:00`, `${dayUtc(8)}T15:00`);
  const open = await call(admin, 'POST', `/api/v1/facilities/${facility}/shifts`, {
    unit_id: unit, discipline: 'RN', start: `${dayUtc(4)}T07:00`, end: `${dayUtc(4)}T15:00`, pay_rate_cents: 5600, bill_rate_cents: 8000,
  });
  assert.equal(open.status, 201);
  assert.equal((await call(admin, 'POST', `/api/v1/shifts/${dropped.shift.id}/cancel`, { reason: 'census dropped' })).status, 200);
  assert.equal((await call(clinician, 'POST', `/api/v1/claims/${withdrawn.claim.id}/withdraw`, {})).status, 200);

  const made = await call(clinician, 'POST', '/api/v1/me/calendar-token', {});
  const got = await feed(made.body.url);
  assert.equal(got.status, 200, got.text);
  assert.ok(!/[^\r]\n/.test(got.text), 'CRLF line endings only');
  const vcal = parse(got.text);
  const events = vcal.getAllSubcomponents('vevent').map((ve) => ({ ve, ev: new ICAL.Event(ve) }));
  const uid = (s) => `shift-${s.shift.id}-clinician-${RILEY}@openmso`;
  const uids = events.map((e) => e.ev.uid);
  for (const s of [night, day, dropped, withdrawn]) assert.ok(uids.includes(uid(s)), `${uid(s)} in ${uids}`);
  assert.ok(!uids.includes(`shift-${open.body.id}-clinician-${RILEY}@openmso`), 'the unclaimed shift is not in the feed');
  // Everything else in it is one of her confirmed claims of the last 30 days (the demo's worked shifts).
  const confirmed = new Set(rows(`SELECT s.id FROM shift_claims c JOIN shifts s ON s.id = c.shift_id
    WHERE c.clinician_id = ${RILEY} AND c.status = 'confirmed' AND s.end_at >= ${Date.now() - 30 * 86400000}`).map((r) => r[0]));
  for (const u of uids) {
    if ([night, day, dropped, withdrawn].some((s) => uid(s) === u)) continue;
    assert.ok(confirmed.has(u.match(/^shift-(\d+)-/)[1]), `${u} is a confirmed claim of hers`);
  }

  const n = events.find((e) => e.ev.uid === uid(night));
  assert.equal(n.ev.startDate.zone.tzid, 'America/Chicago');
  assert.equal(n.ev.startDate.toString(), `${prevDay(change)}T19:00:00`);
  assert.equal(n.ev.endDate.toString(), `${change}T07:00:00`);
  assert.equal(n.ev.endDate.toUnixTime() - n.ev.startDate.toUnixTime(), 13 * 3600, 'a 13-hour night');
  assert.equal(n.ev.startDate.toJSDate().toISOString(), night.shift.start.replace('Z', '.000Z'));
  assert.equal(n.ev.endDate.toJSDate().toISOString(), night.shift.end.replace('Z', '.000Z'));
  assert.equal(n.ve.getFirstPropertyValue('status'), 'CONFIRMED');
  assert.equal(n.ev.sequence, 0);
  assert.equal(n.ev.summary, 'RN shift - Day Surgery, Lincoln Park Clinic');
  assert.equal(n.ev.location, 'Lincoln Park Clinic, 2400 N Clark St, Chicago, IL 60614');
  assert.match(n.ev.description, /\$56\.00\/h plus a \$25\.00 incentive/);

  const c = events.find((e) => e.ev.uid === uid(dropped));
  assert.equal(c.ve.getFirstPropertyValue('status'), 'CANCELLED');
  assert.ok(c.ev.sequence > 0, `SEQUENCE bumped: ${c.ev.sequence}`);
  assert.match(c.ev.summary, /^Cancelled: /);
  const w = events.find((e) => e.ev.uid === uid(withdrawn));
  assert.equal(w.ve.getFirstPropertyValue('status'), 'CANCELLED');
  assert.ok(w.ev.sequence > 0);
  assert.equal(events.find((e) => e.ev.uid === uid(day)).ve.getFirstPropertyValue('status'), 'CONFIRMED');
});
