// More of the per-diem marketplace through the real binary (issue 4): cancellation pay
// owed inside the facility's window (MKT-CANCEL-PAY), the claim-approval timeout job
// (MKT-CLAIM-TIMEOUT), direct assignment by the manager (MKT-ASSIGN), the maximum of
// consecutive days (MKT-ELIG-CONSECUTIVE-DAYS), no-shows and mutual ratings feeding the
// ranking (MKT-NO-SHOW, MKT-RATING, MKT-RELIABILITY). Runs on SQLite, and on PostgreSQL
// when OPENMSO_TEST_PG_ADMIN_URL is set (scripts/with-postgres.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { startServer, freshDatabase, login, demo } from '../lib/server.mjs';

const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
let db, server, admin, manager, clinician;
let facility, unit, nurses;  // a Chicago facility of the demo manager without a requirement profile

const json = (who) => who.headers({ 'content-type': 'application/json' });
async function call(who, method, path, body) {
  const r = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: body === undefined ? who.headers() : json(who),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = r.headers.get('content-type') || '';
  return { status: r.status, body: type.includes('json') ? await r.json() : await r.text() };
}
const fieldOf = (res) => (res.body.errors || []).map((e) => `${e.field}:${e.code}`);
const problem = (res) => (res.body.type || '').replace('https://openmso.org/problems/', '');
function sql(text) {
  if (pg) return execFileSync('psql', [db.url, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' });
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.path, text], { encoding: 'utf8' });
}
const rows = (text) => sql(text).trim().split('\n').filter(Boolean).map((l) => l.split('|'));
// A wall-clock time in Chicago `minutes` from now (YYYY-MM-DDTHH:MM).
function chicago(minutes) {
  const d = new Date(Date.now() + minutes * 60000);
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
const day = (offset, hhmm) => `${chicago(offset * 24 * 60).slice(0, 10)}T${hhmm}`;

// `n` RN clinicians of the demo MSO living by the facility, each with a verified IL license
// and a session token, written straight into the database (n argon2id logins would be slow).
function seedNurses(n) {
  const now = Date.now();
  const values = [];
  for (let i = 0; i < n; ++i)
    values.push(`(1, 'Nurse', 'More${i}', 'more${i}@more.test', 'RN', 'per_diem', 41939000, -87655000, 50, 'active', ${now}, 'IL')`);
  let script = `INSERT INTO clinicians (mso_id, first_name, last_name, email, discipline, employment_type, home_latitude_e6,
      home_longitude_e6, travel_radius_km, status, created_at, primary_state) VALUES ${values.join(', ')};
    INSERT INTO clinician_disciplines (clinician_id, position, discipline)
      SELECT id, 0, 'RN' FROM clinicians WHERE email LIKE 'more%@more.test';
    INSERT INTO credentials (clinician_id, mso_id, kind, type_code, jurisdiction, number, multistate, issued_on, expires_on,
        issuer, verification, created_at, updated_at)
      SELECT id, mso_id, 'license', 'RN', 'IL', 'RN-MORE-' || email, 0, '2020-01-01', '2099-12-31', 'IL board', 'verified', ${now}, ${now}
      FROM clinicians WHERE email LIKE 'more%@more.test';
    INSERT INTO users (mso_id, email, display_name, role, password_hash, active, failed_logins, locked_until, created_at, clinician_id)
      SELECT mso_id, email, 'Nurse More', 'clinician', 'no-login', 1, 0, 0, ${now}, id FROM clinicians WHERE email LIKE 'more%@more.test';
  `;
  const out = [];
  for (let i = 0; i < n; ++i) {
    const token = `more-token-${i}-${now}`;
    const hash = createHash('sha256').update(token).digest('hex');
    script += `INSERT INTO sessions (token_hash, csrf_token, user_id, created_at, last_seen_at, expires_at)
      SELECT '${hash}', 'csrf', id, ${now}, ${now}, ${now + 12 * 3600000} FROM users WHERE email = 'more${i}@more.test';\n`;
    out.push({ headers: (extra = {}) => ({ authorization: `Bearer ${token}`, ...extra }) });
  }
  sql(script);
  const ids = rows(`SELECT id FROM clinicians WHERE email LIKE 'more%@more.test' ORDER BY id`).map((r) => Number(r[0]));
  out.forEach((who, i) => { who.id = ids[i]; });
  return out;
}

before(async () => {
  db = freshDatabase();
  server = await startServer({ databaseUrl: db.url, env: { OPENMSO_JOBS_INTERVAL_SECONDS: '1' } });
  admin = await login(server.baseUrl, demo.users.mso_admin);
  manager = await login(server.baseUrl, demo.users.facility_manager);
  clinician = await login(server.baseUrl, demo.users.clinician);
  const f = await call(admin, 'POST', '/api/v1/facilities', {
    name: 'Northside Care', type: 'nursing_home',
    address: { line1: '4000 N Broadway', city: 'Chicago', state: 'IL', postal_code: '60613' },
    location: { latitude: 41.9543, longitude: -87.6496 }, time_zone: 'America/Chicago', monthly_fee_cents: 0,
  });
  assert.equal(f.status, 201, JSON.stringify(f.body));
  facility = f.body.id;
  const u = await call(admin, 'POST', `/api/v1/facilities/${facility}/units`, { name: 'Two West', kind: 'skilled_nursing' });
  assert.equal(u.status, 201, JSON.stringify(u.body));
  unit = u.body.id;
  sql(`INSERT INTO user_facilities (user_id, facility_id) SELECT id, ${facility} FROM users WHERE email = '${demo.users.facility_manager}'`);
  nurses = seedNurses(6);
});
after(async () => {
  await server?.stop();
  db?.drop();
});

async function post(over = {}, who = manager) {
  const r = await call(who, 'POST', `/api/v1/facilities/${facility}/shifts`, {
    unit_id: unit, discipline: 'RN', start: day(3, '07:00'), end: day(3, '15:00'), break_minutes: 30,
    pay_rate_cents: 5000, bill_rate_cents: 7500, ...over,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function claim(who, shift, status = 'confirmed') {
  const r = await call(who, 'POST', `/api/v1/shifts/${shift.id}/claims`, {});
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.status, status);
  assert.equal(r.body.confirmed_at !== null, status === 'confirmed', JSON.stringify(r.body));
  return r.body;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function claimStatus(claimId, shiftId) {
  const sh = await call(admin, 'GET', `/api/v1/shifts/${shiftId}`);
  return sh.body.claims.find((c) => c.id === claimId)?.status;
}
// Polls until the background job (every second here) has moved the claim out of pending.
async function answered(claimId, shiftId) {
  for (let i = 0; i < 100; ++i) {
    const st = await claimStatus(claimId, shiftId);
    if (st !== 'pending') return st;
    await sleep(150);
  }
  return 'pending';
}
const settingsPath = () => `/api/v1/facilities/${facility}/marketplace-settings`;
async function putSettings(over) {
  const current = (await call(admin, 'GET', settingsPath())).body;
  const { facility_id, ...body } = current;
  const r = await call(admin, 'PUT', settingsPath(), { ...body, ...over });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

test('cancellation pay: inside the window each confirmed clinician is owed hours at the pay rate, once, for payroll', async () => {
  const defaults = (await call(manager, 'GET', settingsPath())).body;
  assert.equal(defaults.cancellation_window_hours, 24);
  assert.equal(defaults.cancellation_pay_hours, 4);
  const bad = await call(admin, 'PUT', settingsPath(), { cancellation_window_hours: 169, cancellation_pay_hours: -1 });
  assert.equal(bad.status, 400);
  assert.deepEqual(fieldOf(bad).sort(), ['cancellation_pay_hours:out_of_range', 'cancellation_window_hours:out_of_range']);

  // Five hours ahead, two of three openings booked: both are owed 4 h x $50.
  const soon = await post({ start: chicago(300), end: chicago(780), openings: 3 });
  await claim(nurses[0], soon);
  await claim(nurses[1], soon);
  const cancelled = await call(manager, 'POST', `/api/v1/shifts/${soon.id}/cancel`, { reason: 'census dropped' });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  assert.deepEqual(cancelled.body.cancellation_pay.map((p) => [p.clinician_id, p.amount_cents]).sort(),
    [[nurses[0].id, 20000], [nurses[1].id, 20000]].sort());
  const owed = rows(`SELECT clinician_id, amount_cents, reason, mso_id, settled_run_id IS NULL FROM cancellation_pay_owed
    WHERE shift_id = ${soon.id} ORDER BY clinician_id`);
  assert.deepEqual(owed, [[String(nurses[0].id), '20000', 'census dropped', '1', pg ? 't' : '1'],
    [String(nurses[1].id), '20000', 'census dropped', '1', pg ? 't' : '1']]);
  const audit = await call(admin, 'GET', '/api/v1/audit/events?action=cancellation_pay.record&limit=10');
  assert.deepEqual(audit.body.items.map((e) => e.entity_id).sort(), cancelled.body.cancellation_pay.map((p) => String(p.id)).sort());

  // A two-hour shift pays at most its two paid hours.
  const short = await post({ start: chicago(180), end: chicago(300), break_minutes: 0 });
  await claim(nurses[2], short);
  const c2 = await call(manager, 'POST', `/api/v1/shifts/${short.id}/cancel`, { reason: 'merged units' });
  assert.deepEqual(c2.body.cancellation_pay.map((p) => p.amount_cents), [10000]);

  // Three days ahead is outside the default 24 h window...
  const later = await post();
  await claim(nurses[0], later);
  const c3 = await call(manager, 'POST', `/api/v1/shifts/${later.id}/cancel`, { reason: 'not needed' });
  assert.deepEqual(c3.body.cancellation_pay, []);
  assert.equal(sql(`SELECT COUNT(*) FROM cancellation_pay_owed WHERE shift_id = ${later.id}`).trim(), '0');
  // ...and inside a 96 h window, paid 3 h.
  await putSettings({ cancellation_window_hours: 96, cancellation_pay_hours: 3 });
  const wide = await post({ start: day(3, '16:00'), end: day(3, '23:00') });
  await claim(nurses[0], wide);
  const c4 = await call(manager, 'POST', `/api/v1/shifts/${wide.id}/cancel`, { reason: 'not needed' });
  assert.deepEqual(c4.body.cancellation_pay.map((p) => [p.clinician_id, p.amount_cents]), [[nurses[0].id, 15000]]);
  await putSettings({ cancellation_window_hours: 24, cancellation_pay_hours: 4 });
  // The clinician's notice says what they are owed.
  const notice = sql(`SELECT payload FROM notification_outbox WHERE template = 'shift.cancelled' AND clinician_id = ${nurses[0].id}
    ORDER BY id DESC LIMIT 1`).trim();
  assert.equal(JSON.parse(notice).cancellation_pay_cents, 15000);
});

test('approval timeout: the job answers unanswered claims with the facility default, re-checking like the manager', async () => {
  const bad = await call(admin, 'PUT', settingsPath(), { approval_timeout_minutes: 0, approval_timeout_action: 'maybe' });
  assert.deepEqual(fieldOf(bad).sort(), ['approval_timeout_action:invalid_value', 'approval_timeout_minutes:out_of_range']);
  const st = await putSettings({ instant_book: false, approval_timeout_minutes: 30, approval_timeout_action: 'decline' });
  assert.equal(st.approval_timeout_minutes, 30);
  assert.equal(st.approval_timeout_action, 'decline');

  const a = await post({ start: day(4, '07:00'), end: day(4, '15:00') });
  const waiting = await claim(nurses[3], a, 'pending');
  await sleep(2500);  // two passes of the job: not due yet
  assert.equal(await claimStatus(waiting.id, a.id), 'pending');
  sql(`UPDATE shift_claims SET created_at = created_at - ${31 * 60000} WHERE id = ${waiting.id}`);
  assert.equal(await answered(waiting.id, a.id), 'declined');
  const auditDecline = await call(admin, 'GET', '/api/v1/audit/events?action=claim.auto_decline&limit=5');
  assert.deepEqual(auditDecline.body.items.map((e) => [e.entity_id, e.actor_role]), [[String(waiting.id), 'system']]);
  const notice = JSON.parse(sql(`SELECT payload FROM notification_outbox WHERE template = 'claim.declined'
    AND clinician_id = ${nurses[3].id} ORDER BY id DESC LIMIT 1`).trim());
  assert.equal(notice.by, 'timeout');
  assert.match(notice.reason, /Not answered within 30 minutes/);

  // Default approve: the older claim takes the only opening; the other, re-checked, finds
  // the shift full and is declined with that reason; a clinician who became ineligible
  // meanwhile (do-not-return) is declined naming the rule.
  await putSettings({ approval_timeout_action: 'approve' });
  const b = await post({ start: day(5, '07:00'), end: day(5, '15:00') });
  const first = await claim(nurses[3], b, 'pending');
  const second = await claim(nurses[4], b, 'pending');
  const c = await post({ start: day(5, '16:00'), end: day(5, '23:00') });
  const banned = await claim(nurses[5], c, 'pending');
  sql(`INSERT INTO facility_do_not_return (facility_id, clinician_id, reason, created_at) VALUES (${facility}, ${nurses[5].id}, 'test', 0)`);
  sql(`UPDATE shift_claims SET created_at = created_at - ${40 * 60000} WHERE id = ${first.id};
       UPDATE shift_claims SET created_at = created_at - ${35 * 60000} WHERE id IN (${second.id}, ${banned.id})`);
  assert.equal(await answered(first.id, b.id), 'confirmed');
  assert.equal(await answered(second.id, b.id), 'declined');
  assert.equal(await answered(banned.id, c.id), 'declined');
  const shiftB = (await call(admin, 'GET', `/api/v1/shifts/${b.id}`)).body;
  assert.equal(shiftB.filled, 1);
  assert.equal(shiftB.status, 'filled');
  const reasons = Object.fromEntries(rows(`SELECT clinician_id, payload FROM notification_outbox WHERE template = 'claim.declined'
    AND clinician_id IN (${nurses[4].id}, ${nurses[5].id})`).map(([id, p]) => [Number(id), JSON.parse(p).reason]));
  assert.match(reasons[nurses[4].id], /Every opening of this shift is taken/);
  assert.match(reasons[nurses[5].id], /MKT-ELIG-DNR/);
  const auditApprove = await call(admin, 'GET', '/api/v1/audit/events?action=claim.auto_approve&limit=5');
  assert.deepEqual(auditApprove.body.items.map((e) => e.entity_id), [String(first.id)]);
  sql(`DELETE FROM facility_do_not_return WHERE clinician_id = ${nurses[5].id}`);
  await putSettings({ instant_book: true, approval_timeout_minutes: 120, approval_timeout_action: 'decline' });
});

// Connects `who` to the live events; resolves once open, collecting messages.
function listen(who) {
  const ws = new WebSocket(`${server.baseUrl.replace('http', 'ws')}/api/v1/events`, { headers: who.headers() });
  const messages = [];
  ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

test('direct assignment: the manager books a clinician with the claim\'s checks; the clinician is told', async () => {
  const nurse = nurses[0];
  const live = await listen(nurse);
  const a = await post({ start: day(6, '07:00'), end: day(6, '15:00') });
  const assignPath = `/api/v1/shifts/${a.id}/assignments`;
  assert.equal((await call(nurse, 'POST', assignPath, { clinician_id: nurse.id })).status, 403, 'clinicians cannot assign');
  assert.deepEqual(fieldOf(await call(manager, 'POST', assignPath, {})), ['clinician_id:required']);
  assert.deepEqual(fieldOf(await call(manager, 'POST', assignPath, { clinician_id: 999999 })), ['clinician_id:unknown_clinician']);

  const done = await call(manager, 'POST', assignPath, { clinician_id: nurse.id });
  assert.equal(done.status, 201, JSON.stringify(done.body));
  assert.equal(done.body.status, 'confirmed');
  assert.equal(done.body.clinician_id, nurse.id);
  assert.equal(done.body.shift.filled, 1);
  assert.equal(done.body.shift.status, 'filled');
  assert.ok(done.body.confirmed_at && done.body.no_show_at === null, JSON.stringify(done.body));
  const notice = rows(`SELECT template, payload FROM notification_outbox WHERE clinician_id = ${nurse.id} ORDER BY id DESC LIMIT 1`)[0];
  assert.equal(notice[0], 'shift.assigned');
  assert.equal(JSON.parse(notice[1]).claim_id, done.body.id);
  const deadline = Date.now() + 3000;
  while (!live.messages.some((m) => m.type === 'shift.assigned' && m.shift_id === a.id) && Date.now() < deadline) await sleep(25);
  live.ws.close();
  assert.ok(live.messages.some((m) => m.type === 'shift.assigned' && m.shift_id === a.id && m.claim_id === done.body.id),
    JSON.stringify(live.messages));
  const audit = await call(admin, 'GET', '/api/v1/audit/events?action=shift.assign&limit=10');
  assert.ok(audit.body.items.some((e) => e.entity_id === String(done.body.id) && e.outcome === 'success'));

  assert.equal(problem(await call(manager, 'POST', assignPath, { clinician_id: nurse.id })), 'already-claimed');
  assert.equal(problem(await call(manager, 'POST', assignPath, { clinician_id: nurses[1].id })), 'shift-full');
  // The claim's rules hold: an overlapping shift is refused, naming the rule.
  const overlapping = await post({ start: day(6, '12:00'), end: day(6, '20:00') });
  const refused = await call(manager, 'POST', `/api/v1/shifts/${overlapping.id}/assignments`, { clinician_id: nurse.id });
  assert.equal(problem(refused), 'not-eligible');
  assert.deepEqual(fieldOf(refused), ['shift:MKT-ELIG-OVERLAP']);
  // A pending claim becomes the confirmed one.
  await putSettings({ instant_book: false });
  const b = await post({ start: day(7, '07:00'), end: day(7, '15:00') });
  const pending = await claim(nurses[1], b, 'pending');
  const confirmed = await call(manager, 'POST', `/api/v1/shifts/${b.id}/assignments`, { clinician_id: nurses[1].id });
  assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
  assert.equal(confirmed.body.id, pending.id);
  assert.equal(await claimStatus(pending.id, b.id), 'confirmed');
  await putSettings({ instant_book: true });
  // Another facility's shift is out of the manager's reach.
  const units = await call(admin, 'GET', '/api/v1/facilities/2/units');
  const desert = await call(admin, 'POST', '/api/v1/facilities/2/shifts', {
    unit_id: units.body.items[0].id, discipline: 'RN', start: day(6, '07:00'), end: day(6, '15:00'),
    pay_rate_cents: 5000, bill_rate_cents: 7500,
  });
  assert.equal(desert.status, 201);
  assert.equal((await call(manager, 'POST', `/api/v1/shifts/${desert.body.id}/assignments`, { clinician_id: nurse.id })).status, 404);
});

test('maximum consecutive days: a clinician failing only this rule is told so and cannot claim; the facility sets the maximum', async () => {
  const nurse = nurses[2];
  const bad = await call(admin, 'PUT', settingsPath(), { max_consecutive_days: 15 });
  assert.deepEqual(fieldOf(bad), ['max_consecutive_days:out_of_range']);
  assert.equal((await call(manager, 'GET', settingsPath())).body.max_consecutive_days, 6);
  // Six mornings in a row (4 h each: far from the weekly cap, 20 h of rest between).
  for (let d = 9; d <= 14; ++d) await claim(nurse, await post({ start: day(d, '07:00'), end: day(d, '11:00') }));
  const seventh = await post({ start: day(15, '07:00'), end: day(15, '11:00') });
  const before = await post({ start: day(8, '07:00'), end: day(8, '11:00') });
  for (const shift of [seventh, before]) {
    const why = await call(manager, 'GET', `/api/v1/shifts/${shift.id}/candidates?clinician=${nurse.id}`);
    assert.equal(why.status, 200, JSON.stringify(why.body));
    assert.equal(why.body.eligible, false);
    assert.deepEqual(why.body.rules.filter((r) => !r.passed).map((r) => r.rule), ['MKT-ELIG-CONSECUTIVE-DAYS']);
    assert.equal(why.body.rules.find((r) => r.rule === 'MKT-ELIG-CONSECUTIVE-DAYS').message,
      'This shift would make 7 consecutive days of work; the maximum is 6.');
    const list = await call(manager, 'GET', `/api/v1/shifts/${shift.id}/candidates`);
    assert.ok(!list.body.items.some((c) => c.clinician_id === nurse.id), 'not among the ranked candidates');
    assert.ok(list.body.items.some((c) => c.clinician_id === nurses[3].id), 'others are');
    const refused = await call(nurse, 'POST', `/api/v1/shifts/${shift.id}/claims`, {});
    assert.equal(problem(refused), 'not-eligible');
    assert.deepEqual(fieldOf(refused), ['shift:MKT-ELIG-CONSECUTIVE-DAYS']);
  }
  // A day off in between keeps the run at six.
  const afterBreak = await post({ start: day(16, '07:00'), end: day(16, '11:00') });
  assert.equal((await call(manager, 'GET', `/api/v1/shifts/${afterBreak.id}/candidates?clinician=${nurse.id}`)).body.eligible, true);
  await putSettings({ max_consecutive_days: 7 });
  await claim(nurse, seventh);
  await putSettings({ max_consecutive_days: 6 });
});

test('no-shows and ratings: recorded after the shift by each side, once; the ranking reads them', async () => {
  const [worker, absent] = [nurses[4], nurses[5]];
  const a = await post({ start: day(20, '07:00'), end: day(20, '15:00') });
  const b = await post({ start: day(21, '07:00'), end: day(21, '15:00') });
  const worked = await claim(worker, a);
  const missed = await claim(absent, b);
  assert.equal(problem(await call(manager, 'POST', `/api/v1/claims/${missed.id}/no-show`, {})), 'shift-not-started');
  assert.equal(problem(await call(manager, 'POST', `/api/v1/claims/${worked.id}/rating`, { stars: 5 })), 'shift-not-ended');
  // Both shifts are now in the past (the binary has no fake clock; the rows move instead).
  const back = 23 * 86400000;
  sql(`UPDATE shifts SET start_at = start_at - ${back}, end_at = end_at - ${back} WHERE id IN (${a.id}, ${b.id})`);

  const c = await post({ start: day(25, '07:00'), end: day(25, '15:00') });
  const scoreOf = async (who) => {
    const r = await call(manager, 'GET', `/api/v1/shifts/${c.id}/candidates?clinician=${who.id}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.score_components;
  };
  // One completed shift each so far: 300 x 2 / 3.
  assert.equal((await scoreOf(worker)).reliability, 200);
  assert.equal((await scoreOf(absent)).reliability, 200);
  assert.equal((await scoreOf(absent)).rating, 80, 'no rating counts as 3');

  assert.equal((await call(absent, 'POST', `/api/v1/claims/${missed.id}/no-show`, {})).status, 403);
  const noShow = await call(manager, 'POST', `/api/v1/claims/${missed.id}/no-show`, {});
  assert.equal(noShow.status, 200, JSON.stringify(noShow.body));
  assert.ok(noShow.body.no_show_at);
  assert.equal(noShow.body.status, 'confirmed');
  assert.equal(problem(await call(manager, 'POST', `/api/v1/claims/${missed.id}/no-show`, {})), 'already-no-show');
  assert.equal(sql(`SELECT template FROM notification_outbox WHERE clinician_id = ${absent.id} ORDER BY id DESC LIMIT 1`).trim(), 'claim.no_show');
  // A clinician who clocked in is no no-show.
  sql(`INSERT INTO timesheets (mso_id, facility_id, shift_id, clinician_id, time_zone, scheduled_start, scheduled_end, clock_in,
      status, created_at, updated_at) SELECT mso_id, facility_id, id, ${worker.id}, time_zone, start_at, end_at, start_at, 'open', 0, 0
      FROM shifts WHERE id = ${a.id}`);
  assert.equal(problem(await call(manager, 'POST', `/api/v1/claims/${worked.id}/no-show`, {})), 'clocked-in');
  // The no-show counts twice and is no completed shift: 300 x 1 / (0 + 0 + 2 + 2).
  assert.equal((await scoreOf(absent)).reliability, 75);

  // Ratings: each side once; bad input names the fields; others may not rate.
  const bad = await call(manager, 'POST', `/api/v1/claims/${worked.id}/rating`, { stars: 6, tags: ['ok', 'no;way'] });
  assert.deepEqual(fieldOf(bad).sort(), ['stars:out_of_range', 'tags.1:invalid']);
  const byFacility = await call(manager, 'POST', `/api/v1/claims/${worked.id}/rating`, { stars: 5, tags: [' Punctual', 'great with residents'] });
  assert.equal(byFacility.status, 201, JSON.stringify(byFacility.body));
  assert.deepEqual(byFacility.body, { ...byFacility.body, claim_id: worked.id, rater: 'facility', stars: 5, tags: ['punctual', 'great with residents'] });
  assert.equal(problem(await call(admin, 'POST', `/api/v1/claims/${worked.id}/rating`, { stars: 1 })), 'already-rated');
  const byClinician = await call(worker, 'POST', `/api/v1/claims/${worked.id}/rating`, { stars: 4, tags: ['organized'] });
  assert.equal(byClinician.status, 201, JSON.stringify(byClinician.body));
  assert.equal(byClinician.body.rater, 'clinician');
  assert.equal(problem(await call(worker, 'POST', `/api/v1/claims/${worked.id}/rating`, { stars: 4 })), 'already-rated');
  assert.equal((await call(absent, 'POST', `/api/v1/claims/${worked.id}/rating`, { stars: 1 })).status, 404, 'not their claim');
  assert.equal(problem(await call(absent, 'POST', `/api/v1/claims/${missed.id}/rating`, { stars: 1 })), 'claim-not-worked');
  const billing = await login(server.baseUrl, demo.users.billing);
  assert.equal((await call(billing, 'POST', `/api/v1/claims/${missed.id}/rating`, { stars: 1 })).status, 403);
  assert.equal((await call(manager, 'POST', `/api/v1/claims/${missed.id}/rating`, { stars: 1, tags: ['no call no show'] })).status, 201);
  assert.deepEqual(rows(`SELECT rater, stars, tags FROM claim_ratings WHERE claim_id = ${worked.id} ORDER BY rater`),
    [['clinician', '4', '["organized"]'], ['facility', '5', '["punctual","great with residents"]']]);
  const audit = await call(admin, 'GET', '/api/v1/audit/events?action=claim.rate&limit=10');
  assert.equal(audit.body.items.filter((e) => e.outcome === 'success').length, 3);

  // The ranking now reads them: the worker's 5 stars, the absent one's 1 star; and a
  // confirmed claim withdrawn counts as cancelled: 300 x 2 / (1 + 1 + 0 + 2).
  const later = await post({ start: day(26, '07:00'), end: day(26, '15:00') });
  const dropped = await claim(worker, later);
  assert.equal((await call(worker, 'POST', `/api/v1/claims/${dropped.id}/withdraw`, {})).status, 200);
  const w = await scoreOf(worker);
  assert.equal(w.rating, 160);
  assert.equal(w.reliability, 150);
  assert.equal((await scoreOf(absent)).rating, 0);
  const list = (await call(manager, 'GET', `/api/v1/shifts/${c.id}/candidates`)).body.items.map((x) => x.clinician_id);
  assert.ok(list.indexOf(worker.id) < list.indexOf(absent.id), JSON.stringify(list));
});
