// Time and attendance through the real binary (issue 5, parts 1-2): clock in/out of a
// booked shift with the device's location (a far punch is accepted and flagged), breaks,
// the bad inputs (clock-out before clock-in, a second clock-in, someone else's shift), the
// timesheet's dispute -> correction (original values kept) -> resubmit -> approve, the lock
// after approval, auto-approval by the background job, and the audit trail of each step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, freshDatabase, login, demo } from '../lib/server.mjs';

const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
let db, server, admin, manager, clinician, billing;
const LAKESIDE = 1;  // the demo manager's facility (Chicago)
const RILEY = 1;    // the demo clinician's roster id
const LAKESIDE_AT = { latitude: 41.9036, longitude: -87.627 };
let unit;

const json = (who) => who.headers({ 'content-type': 'application/json' });
async function call(who, method, path, body) {
  const r = await fetch(`${server.baseUrl}${path}`, {
    method, headers: body === undefined ? who.headers() : json(who),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = r.headers.get('content-type') || '';
  return { status: r.status, type, body: type.includes('json') ? await r.json() : await r.text() };
}
const fieldOf = (res) => (res.body.errors || []).map((e) => `${e.field}:${e.code}`);
function sql(text) {
  if (pg) return execFileSync('psql', [db.url, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' });
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.path, text], { encoding: 'utf8' });
}
// A wall-clock time in Chicago `minutes` from now, as the shift API takes it (YYYY-MM-DDTHH:MM).
function chicago(minutes) {
  const d = new Date(Date.now() + minutes * 60000);
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
const iso = (minutes) => new Date(Date.now() + minutes * 60000).toISOString().replace(/\.\d+Z$/, 'Z');

async function bookShift(startMin, endMin) {
  const posted = await call(manager, 'POST', `/api/v1/facilities/${LAKESIDE}/shifts`, {
    unit_id: unit, discipline: 'RN', start: chicago(startMin), end: chicago(endMin),
    pay_rate_cents: 5200, bill_rate_cents: 7400,
  });
  assert.equal(posted.status, 201, JSON.stringify(posted.body));
  const claim = await call(clinician, 'POST', `/api/v1/shifts/${posted.body.id}/claims`, {});
  assert.equal(claim.status, 201, JSON.stringify(claim.body));
  assert.equal(claim.body.status, 'confirmed');
  return posted.body;
}

before(async () => {
  db = freshDatabase();
  server = await startServer({ databaseUrl: db.url, env: { OPENMSO_JOBS_INTERVAL_SECONDS: '1' } });
  admin = await login(server.baseUrl, demo.users.mso_admin);
  manager = await login(server.baseUrl, demo.users.facility_manager);
  clinician = await login(server.baseUrl, demo.users.clinician);
  billing = await login(server.baseUrl, demo.users.billing);
  unit = (await call(admin, 'GET', `/api/v1/facilities/${LAKESIDE}/units`)).body.items[0].id;
  // Riley lives ~35 km out with a 25 km radius; she moves within reach of Lakeside.
  const profile = (await call(clinician, 'GET', `/api/v1/clinicians/${RILEY}/profile`)).body;
  const { id, email, status, status_reason, home_facility_id, ...editable } = profile;
  const moved = await call(clinician, 'PUT', `/api/v1/clinicians/${RILEY}/profile`,
    { ...editable, home: { latitude: 41.91, longitude: -87.64 }, travel_radius_km: 40 });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  // Two short shifts back to back in this test: no minimum rest, and clock-in opens 2 h ahead.
  const ms = await call(admin, 'PUT', `/api/v1/facilities/${LAKESIDE}/marketplace-settings`,
    { instant_book: true, min_rest_minutes: 0, weekly_hours_cap: 60 });
  assert.equal(ms.status, 200, JSON.stringify(ms.body));
  const ts = await call(admin, 'PUT', `/api/v1/facilities/${LAKESIDE}/timekeeping-settings`,
    { clock_in_opens_minutes: 120, auto_approve_hours: 72 });
  assert.equal(ts.status, 200, JSON.stringify(ts.body));
});
after(async () => {
  await server?.stop();
  db?.drop();
});

let first, sheet;

test('settings: bad values name their field and change nothing', async () => {
  const r = await call(admin, 'PUT', `/api/v1/facilities/${LAKESIDE}/timekeeping-settings`,
    { geofence_radius_m: 0, auto_approve_hours: 100000, surprise: 1 });
  assert.equal(r.status, 400);
  assert.equal(r.type, 'application/problem+json');
  assert.deepEqual(fieldOf(r).sort(), ['auto_approve_hours:out_of_range', 'geofence_radius_m:out_of_range', 'surprise:unknown_field']);
  const now = await call(manager, 'GET', `/api/v1/facilities/${LAKESIDE}/timekeeping-settings`);
  assert.equal(now.body.geofence_radius_m, 300);
  assert.equal(now.body.clock_in_opens_minutes, 120);
  const denied = await call(manager, 'PUT', `/api/v1/facilities/${LAKESIDE}/timekeeping-settings`, { geofence_radius_m: 500 });
  assert.equal(denied.status, 403);
});

test('clock-in: only the booked clinician, once, and a far punch is accepted but flagged', async () => {
  first = await bookShift(10, 50);
  // Someone else's shift: a shift the clinician did not claim.
  const other = await call(manager, 'POST', `/api/v1/facilities/${LAKESIDE}/shifts`, {
    unit_id: unit, discipline: 'RN', start: chicago(300), end: chicago(360), pay_rate_cents: 5200, bill_rate_cents: 7400,
  });
  const notMine = await call(clinician, 'POST', `/api/v1/shifts/${other.body.id}/clock-in`, LAKESIDE_AT);
  assert.equal(notMine.status, 403);
  const managerPunch = await call(manager, 'POST', `/api/v1/shifts/${first.id}/clock-in`, LAKESIDE_AT);
  assert.equal(managerPunch.status, 403);
  const halfLocation = await call(clinician, 'POST', `/api/v1/shifts/${first.id}/clock-in`, { latitude: 41.9 });
  assert.equal(halfLocation.status, 400);
  assert.deepEqual(fieldOf(halfLocation), ['longitude:required']);

  // 2 km north of the facility: accepted, flagged for the manager, never dropped.
  const r = await call(clinician, 'POST', `/api/v1/shifts/${first.id}/clock-in`,
    { latitude: 41.9216, longitude: -87.627, accuracy_m: 15, at: iso(-20) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  sheet = r.body;
  assert.equal(sheet.status, 'open');
  assert.ok(sheet.flags.includes('outside_geofence_in'), sheet.flags.join());
  assert.ok(sheet.flags.includes('early_in'));
  assert.ok(sheet.in_distance_m > 1900 && sheet.in_distance_m < 2100, String(sheet.in_distance_m));

  const again = await call(clinician, 'POST', `/api/v1/shifts/${first.id}/clock-in`, LAKESIDE_AT);
  assert.equal(again.status, 409);
  assert.equal(again.body.type.endsWith('already-clocked-in'), true, again.body.type);
});

test('clock-out before clock-in is a 400 naming "at" and writes nothing', async () => {
  const r = await call(clinician, 'POST', `/api/v1/timesheets/${sheet.id}/clock-out`, { ...LAKESIDE_AT, at: iso(-30) });
  assert.equal(r.status, 400);
  assert.deepEqual(fieldOf(r), ['at:before_clock_in']);
  const still = await call(clinician, 'GET', `/api/v1/timesheets/${sheet.id}`);
  assert.equal(still.body.clock_out, null);
  assert.equal(still.body.punches.length, 1);
  const early = await call(clinician, 'POST', `/api/v1/timesheets/${sheet.id}/submit`, {});
  assert.equal(early.status, 409);
});

test('a meal break is unpaid; clock-out, submit, and the approval queue shows the flags', async () => {
  assert.equal((await call(clinician, 'POST', `/api/v1/timesheets/${sheet.id}/break-start`, { at: iso(-15) })).status, 200);
  const out = await call(clinician, 'POST', `/api/v1/timesheets/${sheet.id}/clock-out`, { ...LAKESIDE_AT, at: iso(-5) });
  assert.equal(out.status, 409, 'a running break blocks the clock-out');
  assert.equal((await call(clinician, 'POST', `/api/v1/timesheets/${sheet.id}/break-end`, { at: iso(-10) })).status, 200);
  const done = await call(clinician, 'POST', `/api/v1/timesheets/${sheet.id}/clock-out`, { ...LAKESIDE_AT, at: iso(-5) });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.worked_minutes, 10);
  assert.equal(done.body.out_distance_m, 0);
  const sub = await call(clinician, 'POST', `/api/v1/timesheets/${sheet.id}/submit`, {});
  assert.equal(sub.status, 200);
  assert.equal(sub.body.status, 'submitted');

  const queue = await call(manager, 'GET', `/api/v1/facilities/${LAKESIDE}/timesheets`);
  assert.equal(queue.status, 200);
  const row = queue.body.items.find((t) => t.id === sheet.id);
  assert.ok(row, 'the submitted timesheet is in the queue');
  assert.ok(row.flags.includes('outside_geofence_in'));
  // The clinician cannot approve their own timesheet; a manager of another facility cannot see it.
  assert.equal((await call(clinician, 'POST', `/api/v1/timesheets/${sheet.id}/approve`, {})).status, 403);
  const full = await call(manager, 'GET', `/api/v1/timesheets/${sheet.id}`);
  assert.deepEqual(full.body.punches.map((p) => p.kind), ['clock_in', 'break_start', 'break_end', 'clock_out']);
});

test('dispute -> correction keeps the original value -> resubmit -> approve locks it', async () => {
  const noReason = await call(manager, 'POST', `/api/v1/timesheets/${sheet.id}/dispute`, {});
  assert.equal(noReason.status, 400);
  assert.deepEqual(fieldOf(noReason), ['reason:required']);
  const d = await call(manager, 'POST', `/api/v1/timesheets/${sheet.id}/dispute`, { reason: 'Badge shows arrival 5 minutes later' });
  assert.equal(d.status, 200);
  assert.equal(d.body.status, 'disputed');

  const original = d.body.clock_in;
  const newIn = iso(-15).replace(/Z$/, 'Z');
  const bad = await call(clinician, 'POST', `/api/v1/timesheets/${sheet.id}/correction`, { clock_in: iso(-1), reason: 'x' });
  assert.equal(bad.status, 400);
  assert.ok(fieldOf(bad).includes('clock_out:before_clock_in') || fieldOf(bad).includes('breaks:outside_shift'), fieldOf(bad).join());
  const c = await call(clinician, 'POST', `/api/v1/timesheets/${sheet.id}/correction`,
    { clock_in: iso(-16), reason: 'Badge time is right' });
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.ok(c.body.correction);
  const blocked = await call(clinician, 'POST', `/api/v1/timesheets/${sheet.id}/submit`, {});
  assert.equal(blocked.status, 200, 'the clinician may resubmit while the correction waits');
  const approveFirst = await call(manager, 'POST', `/api/v1/timesheets/${sheet.id}/approve`, {});
  assert.equal(approveFirst.status, 409, 'a pending correction blocks approval');

  const ok = await call(manager, 'POST', `/api/v1/timesheets/${sheet.id}/correction/approve`, {});
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.ok(ok.body.flags.includes('corrected'));
  assert.equal(ok.body.correction, null);
  assert.equal(ok.body.worked_minutes, 6);
  const full = await call(manager, 'GET', `/api/v1/timesheets/${sheet.id}`);
  assert.equal(full.body.revisions.length, 1);
  assert.equal(full.body.revisions[0].field, 'clock_in');
  assert.equal(full.body.revisions[0].old_value, original);
  assert.equal(full.body.revisions[0].reason, 'Badge time is right');
  assert.equal(full.body.punches[0].at, original, 'the raw punch is never edited');
  void newIn;

  const a = await call(manager, 'POST', `/api/v1/timesheets/${sheet.id}/approve`, {});
  assert.equal(a.status, 200);
  assert.equal(a.body.status, 'approved');
  const locked = await call(clinician, 'POST', `/api/v1/timesheets/${sheet.id}/correction`, { clock_in: iso(-17), reason: 'again' });
  assert.equal(locked.status, 409);
  assert.equal((await call(manager, 'POST', `/api/v1/timesheets/${sheet.id}/dispute`, { reason: 'late' })).status, 409);
  const stored = sql(`SELECT status, version FROM timesheets WHERE id = ${sheet.id}`).trim();
  assert.match(stored, /^approved\|\d+$/);
});

test('overlapping punches conflict; a timesheet left alone is auto-approved by the job', async () => {
  const second = await bookShift(55, 95);
  // While the first shift's timesheet is closed, clocking in to the second works; a third
  // clock-in while this one is open would overlap.
  const r = await call(clinician, 'POST', `/api/v1/shifts/${second.id}/clock-in`, { ...LAKESIDE_AT, at: iso(-4) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const t2 = r.body;
  assert.equal((await call(clinician, 'POST', `/api/v1/timesheets/${t2.id}/clock-out`, { ...LAKESIDE_AT, at: iso(0) })).status, 200);
  const set = await call(admin, 'PUT', `/api/v1/facilities/${LAKESIDE}/timekeeping-settings`,
    { clock_in_opens_minutes: 120, auto_approve_hours: 0 });
  assert.equal(set.status, 200);
  assert.equal((await call(clinician, 'POST', `/api/v1/timesheets/${t2.id}/submit`, {})).status, 200);
  let status = 'submitted', flags = [];
  for (let i = 0; i < 50 && status === 'submitted'; ++i) {
    await new Promise((res) => setTimeout(res, 200));
    const g = await call(billing, 'GET', `/api/v1/timesheets/${t2.id}`);
    status = g.body.status; flags = g.body.flags;
  }
  assert.equal(status, 'approved');
  assert.ok(flags.includes('auto_approved'));
  const audit = await call(admin, 'GET', '/api/v1/audit/events?action=timesheet.auto_approve');
  assert.equal(audit.status, 200);
  const ev = audit.body.items.find((e) => e.entity_id === String(t2.id));
  assert.ok(ev, 'the auto-approval is in the audit trail');
  assert.equal(ev.actor_role, 'system');
});

test('every change of a timesheet is in the audit trail', async () => {
  const audit = await call(admin, 'GET', '/api/v1/audit/events?limit=200');
  const actions = new Set(audit.body.items.filter((e) => e.entity_type === 'timesheet' && e.entity_id === String(sheet.id)).map((e) => e.action));
  for (const a of ['timesheet.clock_in', 'timesheet.clock_out', 'timesheet.submit', 'timesheet.dispute',
    'timesheet.correction_request', 'timesheet.correction_approve', 'timesheet.approve', 'timesheet.read'])
    assert.ok(actions.has(a), `missing ${a}: ${[...actions].join()}`);
});

test('no personal data in the server log (names, emails, punch locations)', async () => {
  // The structured log lines (the demo-login banner printed at start is not a log).
  const log = server.output().split('\n').filter((l) => l.startsWith('{')).join('\n');
  for (const needle of ['Riley', 'Nguyen', 'clinician@demo.openmso.org', '41.9216', '-87.627'])
    assert.ok(!log.includes(needle), `the log contains ${needle}`);
});
