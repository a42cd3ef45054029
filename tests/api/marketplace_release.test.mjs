// The marketplace's remaining server-side parts through the real binary (issue 4): the
// tiered release (MKT-TIER-RELEASE: exact audience per tier, once, outbox and live), shift
// edits with a reason (MKT-SHIFT-EDIT), local times in the repeated autumn hour
// (MKT-LOCAL-TIME), recurrences (MKT-RECURRENCE) and fill metrics (MKT-FILL-METRICS).
// Runs on SQLite, and on PostgreSQL when OPENMSO_TEST_PG_ADMIN_URL is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { startServer, freshDatabase, login, demo } from '../lib/server.mjs';

const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
let db, server, admin, manager, clinician;
let facility, unit, unit2, people;

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
function chicago(minutes) {
  const d = new Date(Date.now() + minutes * 60000);
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
const day = (offset, hhmm) => `${chicago(offset * 24 * 60).slice(0, 10)}T${hhmm}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// RN clinicians of the demo MSO living by the facility with a verified IL license (unless
// `licensed` is false) and a session token, written straight into the database.
function seed(specs) {
  const now = Date.now();
  let script = '';
  for (const s of specs) {
    const home = s.home ? String(s.home) : 'NULL';
    script += `INSERT INTO clinicians (mso_id, first_name, last_name, email, discipline, employment_type, home_facility_id,
        home_latitude_e6, home_longitude_e6, travel_radius_km, status, created_at, primary_state)
      VALUES (1, 'Rel', '${s.key}', '${s.key}@release.test', 'RN', '${s.type}', ${home}, 41939000, -87655000, 50, 'active', ${now}, 'IL');
    INSERT INTO clinician_disciplines (clinician_id, position, discipline) SELECT id, 0, 'RN' FROM clinicians WHERE email = '${s.key}@release.test';
    INSERT INTO users (mso_id, email, display_name, role, password_hash, active, failed_logins, locked_until, created_at, clinician_id)
      SELECT mso_id, email, 'Rel', 'clinician', 'no-login', 1, 0, 0, ${now}, id FROM clinicians WHERE email = '${s.key}@release.test';
    INSERT INTO sessions (token_hash, csrf_token, user_id, created_at, last_seen_at, expires_at)
      SELECT '${createHash('sha256').update(`rel-${s.key}-${now}`).digest('hex')}', 'csrf', id, ${now}, ${now}, ${now + 12 * 3600000}
      FROM users WHERE email = '${s.key}@release.test';\n`;
    if (s.licensed !== false)
      script += `INSERT INTO credentials (clinician_id, mso_id, kind, type_code, jurisdiction, number, multistate, issued_on, expires_on,
          issuer, verification, created_at, updated_at)
        SELECT id, mso_id, 'license', 'RN', 'IL', 'RN-REL-' || email, 0, '2020-01-01', '2099-12-31', 'IL board', 'verified', ${now}, ${now}
        FROM clinicians WHERE email = '${s.key}@release.test';\n`;
    if (s.favorite)
      script += `INSERT INTO facility_favorites (facility_id, clinician_id, reason, created_at)
        SELECT ${facility}, id, 'great', ${now} FROM clinicians WHERE email = '${s.key}@release.test';\n`;
  }
  sql(script);
  const out = {};
  for (const s of specs) {
    const token = `rel-${s.key}-${now}`;
    const id = Number(rows(`SELECT id FROM clinicians WHERE email = '${s.key}@release.test'`)[0][0]);
    out[s.key] = { id, headers: (extra = {}) => ({ authorization: `Bearer ${token}`, ...extra }) };
  }
  return out;
}

function connect(who) {
  const ws = new WebSocket(`${server.baseUrl.replace('http', 'ws')}/api/v1/events`, { headers: who.headers() });
  const messages = [];
  ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('error', reject);
  });
}
async function until(fn, ms = 8000) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await fn()) return true; await sleep(50); }
  return fn();
}

before(async () => {
  db = freshDatabase();
  server = await startServer({ databaseUrl: db.url, env: { OPENMSO_JOBS_INTERVAL_SECONDS: '1' } });
  admin = await login(server.baseUrl, demo.users.mso_admin);
  manager = await login(server.baseUrl, demo.users.facility_manager);
  clinician = await login(server.baseUrl, demo.users.clinician);
  const f = await call(admin, 'POST', '/api/v1/facilities', {
    name: 'Release Point', type: 'nursing_home',
    address: { line1: '4100 N Broadway', city: 'Chicago', state: 'IL', postal_code: '60613' },
    location: { latitude: 41.9553, longitude: -87.6496 }, time_zone: 'America/Chicago', monthly_fee_cents: 0,
  });
  assert.equal(f.status, 201, JSON.stringify(f.body));
  facility = f.body.id;
  for (const name of ['Three East', 'Three West']) {
    const u = await call(admin, 'POST', `/api/v1/facilities/${facility}/units`, { name, kind: 'skilled_nursing' });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    if (name === 'Three East') unit = u.body.id; else unit2 = u.body.id;
  }
  sql(`INSERT INTO user_facilities (user_id, facility_id) SELECT id, ${facility} FROM users WHERE email = '${demo.users.facility_manager}'`);
  people = seed([
    { key: 'staff', type: 'facility_staff', home: facility },
    { key: 'fav', type: 'per_diem', favorite: true },
    { key: 'floater', type: 'float_pool' },
    { key: 'floater2', type: 'float_pool' },
    { key: 'perdiem', type: 'per_diem' },
    { key: 'perdiem2', type: 'per_diem' },
    { key: 'unlicensed', type: 'per_diem', licensed: false },
    { key: 'otherstaff', type: 'facility_staff', home: 1 },
    { key: 'e1', type: 'per_diem' }, { key: 'e2', type: 'per_diem' }, { key: 'e3', type: 'per_diem' },
  ]);
});
after(async () => {
  await server?.stop();
  db?.drop();
});

const settingsPath = () => `/api/v1/facilities/${facility}/marketplace-settings`;
async function putSettings(over) {
  const { facility_id, ...body } = (await call(admin, 'GET', settingsPath())).body;
  const r = await call(admin, 'PUT', settingsPath(), { ...body, ...over });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}
async function post(over = {}) {
  const r = await call(manager, 'POST', `/api/v1/facilities/${facility}/shifts`, {
    unit_id: unit, discipline: 'RN', start: day(3, '07:00'), end: day(3, '15:00'), break_minutes: 30,
    pay_rate_cents: 5000, bill_rate_cents: 7500, ...over,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
// clinician id -> how many "shift.released" outbox rows name the shift.
function releasedTo(shiftId) {
  const out = new Map();
  for (const [c, payload] of rows(`SELECT clinician_id, payload FROM notification_outbox WHERE template = 'shift.released'`)) {
    if (JSON.parse(payload).shift_id !== shiftId) continue;
    out.set(Number(c), (out.get(Number(c)) || 0) + 1);
  }
  return out;
}
async function eligibleByTier(shiftId) {
  const c = await call(manager, 'GET', `/api/v1/shifts/${shiftId}/candidates`);
  assert.equal(c.status, 200, JSON.stringify(c.body));
  const byTier = { 1: new Set(), 2: new Set(), 3: new Set() };
  for (const it of c.body.items) byTier[it.tier].add(it.clinician_id);
  return byTier;
}
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const feedHas = async (who, shiftId) => (await call(who, 'GET', '/api/v1/me/open-shifts')).body.items.some((s) => s.id === shiftId);
async function releasedTier(shiftId) {
  return (await call(manager, 'GET', `/api/v1/shifts/${shiftId}`)).body.released_tier;
}

test('tiered release: each tier is told once, exactly its own audience; the feed and claims follow the tier', async () => {
  await putSettings({ tier1_minutes: 60, tier2_minutes: 60 });
  const staffWs = await connect(people.staff);
  const floatWs = await connect(people.floater);
  const perDiemWs = await connect(people.perdiem);
  const sh = await post();
  assert.equal(sh.released_tier, 1);
  const tiers = await eligibleByTier(sh.id);
  // The seeded people land in their tiers; the unlicensed one is not a candidate at all.
  assert.ok(tiers[1].has(people.staff.id) && tiers[1].has(people.fav.id), JSON.stringify([...tiers[1]]));
  assert.ok(tiers[2].has(people.floater.id) && tiers[2].has(people.floater2.id));
  assert.ok(tiers[3].has(people.perdiem.id) && tiers[3].has(people.otherstaff.id));
  assert.ok(![1, 2, 3].some((t) => tiers[t].has(people.unlicensed.id)));

  // Tier 1 at posting: exactly the eligible own staff and favorites, once each.
  let told = releasedTo(sh.id);
  assert.deepEqual(sorted(told.keys()), sorted(tiers[1]));
  assert.ok([...told.values()].every((n) => n === 1));
  assert.ok(await until(() => staffWs.messages.some((m) => m.type === 'shift.released' && m.shift_id === sh.id && m.offered_to_you)));
  assert.equal(await feedHas(people.staff, sh.id), true);
  assert.equal(await feedHas(people.floater, sh.id), false);
  assert.equal(await feedHas(people.perdiem, sh.id), false);
  const early = await call(people.perdiem, 'POST', `/api/v1/shifts/${sh.id}/claims`, {});
  assert.equal(early.status, 409, JSON.stringify(early.body));
  assert.equal(problem(early), 'shift-not-released');
  const earlyFloat = await call(people.floater, 'POST', `/api/v1/shifts/${sh.id}/claims`, {});
  assert.equal(problem(earlyFloat), 'shift-not-released');

  // Tier 2 when its time comes (moved to now here): the float pool only.
  sql(`UPDATE shifts SET tier2_at = ${Date.now() - 1000} WHERE id = ${sh.id}`);
  assert.ok(await until(async () => (await releasedTier(sh.id)) === 2), 'the job released tier 2');
  told = releasedTo(sh.id);
  assert.deepEqual(sorted(told.keys()), sorted([...tiers[1], ...tiers[2]]));
  assert.ok([...told.values()].every((n) => n === 1), 'nobody twice');
  assert.ok(await until(() => floatWs.messages.some((m) => m.type === 'shift.released' && m.shift_id === sh.id && m.offered_to_you && m.tier === 2)));
  assert.equal(await feedHas(people.floater, sh.id), true);
  assert.equal(await feedHas(people.perdiem, sh.id), false);

  // Tier 3: every other eligible clinician.
  sql(`UPDATE shifts SET tier3_at = ${Date.now() - 1000} WHERE id = ${sh.id}`);
  assert.ok(await until(async () => (await releasedTier(sh.id)) === 3), 'the job released tier 3');
  told = releasedTo(sh.id);
  assert.deepEqual(sorted(told.keys()), sorted([...tiers[1], ...tiers[2], ...tiers[3]]));
  assert.ok([...told.values()].every((n) => n === 1), 'nobody twice');
  assert.ok(!told.has(people.unlicensed.id));
  assert.ok(await until(() => perDiemWs.messages.some((m) => m.type === 'shift.released' && m.shift_id === sh.id && m.offered_to_you && m.tier === 3)));
  await sleep(300);
  const offeredTo = (ws) => ws.messages.filter((m) => m.type === 'shift.released' && m.shift_id === sh.id && m.offered_to_you);
  assert.deepEqual(offeredTo(staffWs).map((m) => m.tier), [1], 'tier 1 hears nothing of the later tiers');
  assert.deepEqual(offeredTo(floatWs).map((m) => m.tier), [2]);
  assert.deepEqual(offeredTo(perDiemWs).map((m) => m.tier), [3]);
  assert.deepEqual(rows(`SELECT tier FROM shift_releases WHERE shift_id = ${sh.id} ORDER BY tier`).map((r) => Number(r[0])), [1, 2, 3]);
  assert.ok(Number(rows(`SELECT COUNT(*) FROM audit_events WHERE action = 'shift.release' AND entity_id LIKE '${sh.id}/%'`)[0][0]) === 2);
  assert.equal(await feedHas(people.perdiem, sh.id), true);
  const ok = await call(people.perdiem, 'POST', `/api/v1/shifts/${sh.id}/claims`, {});
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  for (const w of [staffWs, floatWs, perDiemWs]) w.ws.close();
});

test('an urgent shift skips the tiers: everyone eligible is told at posting, once', async () => {
  await putSettings({ tier1_minutes: 60, tier2_minutes: 60 });
  const sh = await post({ urgent: true, start: day(4, '07:00'), end: day(4, '15:00') });
  assert.equal(sh.released_tier, 3);
  const tiers = await eligibleByTier(sh.id);
  const told = releasedTo(sh.id);
  assert.deepEqual(sorted(told.keys()), sorted([...tiers[1], ...tiers[2], ...tiers[3]]));
  assert.ok([...told.values()].every((n) => n === 1));
  const r = await call(people.perdiem2, 'POST', `/api/v1/shifts/${sh.id}/claims`, {});
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const bad = await call(admin, 'PUT', settingsPath(), { tier1_minutes: -1, tier2_minutes: 1441 });
  assert.equal(bad.status, 400);
  assert.deepEqual(fieldOf(bad).sort(), ['tier1_minutes:out_of_range', 'tier2_minutes:out_of_range']);
  await putSettings({ tier1_minutes: 0, tier2_minutes: 0 });
});

test('shift edit: re-validated, openings never below confirmed, time conflicts refused, booked clinicians told', async () => {
  await putSettings({ tier1_minutes: 0, tier2_minutes: 0, min_rest_minutes: 0 });
  const sh = await post({ start: day(6, '07:00'), end: day(6, '15:00'), openings: 2 });
  const other = await post({ start: day(6, '16:00'), end: day(6, '23:00') });
  for (const who of [people.e1, people.e2]) {
    const c = await call(who, 'POST', `/api/v1/shifts/${sh.id}/claims`, {});
    assert.equal(c.status, 201, JSON.stringify(c.body));
  }
  // e1 also works the evening (no minimum rest at this facility for this test).
  const c2 = await call(people.e1, 'POST', `/api/v1/shifts/${other.id}/claims`, {});
  assert.equal(c2.status, 201, JSON.stringify(c2.body));
  const path = `/api/v1/shifts/${sh.id}`;
  const noReason = await call(manager, 'PATCH', path, { pay_rate_cents: 6000 });
  assert.equal(noReason.status, 400);
  assert.deepEqual(fieldOf(noReason), ['reason:required']);
  const bad = await call(manager, 'PATCH', path, { reason: 'x', openings: 0, pay_rate_cents: 0, end: day(6, '06:00') });
  assert.equal(bad.status, 400);
  assert.deepEqual(fieldOf(bad).sort(), ['end:end_before_start', 'openings:out_of_range', 'pay_rate_cents:out_of_range']);
  const unknown = await call(manager, 'PATCH', path, { reason: 'x', unit_id: unit2 });
  assert.equal(unknown.status, 400);
  const below = await call(manager, 'PATCH', path, { reason: 'census down', openings: 1 });
  assert.equal(below.status, 409);
  assert.equal(problem(below), 'openings-below-confirmed');
  // Ending at 17:00 overlaps e1's evening shift (16:00): the whole edit is refused.
  const conflict = await call(manager, 'PATCH', path, { reason: 'longer day', end: day(6, '17:00') });
  assert.equal(conflict.status, 409, JSON.stringify(conflict.body));
  assert.equal(problem(conflict), 'booked-conflict');
  assert.ok(fieldOf(conflict).includes(`clinicians.${people.e1.id}:MKT-ELIG-OVERLAP`), JSON.stringify(conflict.body));
  assert.ok(!fieldOf(conflict).some((f) => f.startsWith(`clinicians.${people.e2.id}:`)));
  const unchanged = await call(manager, 'GET', path);
  assert.equal(unchanged.body.end, sh.end);
  assert.equal(unchanged.body.pay_rate_cents, 5000);
  // A clinician cannot edit.
  const byClinician = await call(people.e2, 'PATCH', path, { reason: 'mine', notes: 'x' });
  assert.equal(byClinician.status, 403);
  // A good edit: earlier end, more pay, one more opening (filled -> open again).
  const good = await call(manager, 'PATCH', path, { reason: 'short day, better pay', end: day(6, '14:00'), pay_rate_cents: 6200, openings: 3 });
  assert.equal(good.status, 200, JSON.stringify(good.body));
  assert.equal(good.body.pay_rate_cents, 6200);
  assert.equal(good.body.openings, 3);
  assert.equal(good.body.status, 'open');
  assert.equal(good.body.length_minutes, 7 * 60);
  assert.deepEqual(Object.keys(good.body.changes).sort(), ['end', 'openings', 'pay_rate_cents']);
  const told = rows(`SELECT clinician_id, payload FROM notification_outbox WHERE template = 'shift.edited'`)
    .filter(([, p]) => JSON.parse(p).shift_id === sh.id).map(([c]) => Number(c));
  assert.deepEqual(sorted(told), sorted([people.e1.id, people.e2.id]));
  assert.equal(rows(`SELECT reason FROM shift_edits WHERE shift_id = ${sh.id}`)[0][0], 'short day, better pay');
  assert.equal(Number(rows(`SELECT COUNT(*) FROM audit_events WHERE action = 'shift.update' AND entity_id = '${sh.id}' AND outcome = 'success'`)[0][0]), 1);
  // Cutting openings to the confirmed count fills the shift again.
  const cut = await call(manager, 'PATCH', path, { reason: 'census down', openings: 2 });
  assert.equal(cut.status, 200);
  assert.equal(cut.body.status, 'filled');
  const cancelled = await call(manager, 'POST', `/api/v1/shifts/${other.id}/cancel`, { reason: 'not needed' });
  assert.equal(cancelled.status, 200);
  const late = await call(manager, 'PATCH', `/api/v1/shifts/${other.id}`, { reason: 'x', notes: 'y' });
  assert.equal(late.status, 409);
  assert.equal(problem(late), 'shift-cancelled');
  await putSettings({ min_rest_minutes: 480 });
});

test('local times: the repeated autumn hour needs start_fold/end_fold; the spring gap is refused', async () => {
  // Chicago repeats 01:00-02:00 on Sunday 2027-11-07 and skips 02:00-03:00 on 2027-03-14.
  const base = { unit_id: unit, discipline: 'RN', pay_rate_cents: 5000, bill_rate_cents: 7500 };
  const path = `/api/v1/facilities/${facility}/shifts`;
  const ambiguous = await call(manager, 'POST', path, { ...base, start: '2027-11-07T01:30', end: '2027-11-07T09:30' });
  assert.equal(ambiguous.status, 400);
  assert.deepEqual(fieldOf(ambiguous), ['start:ambiguous_local_time']);
  assert.match(ambiguous.body.errors[0].message, /UTC-05:00.*UTC-06:00/);
  const later = await call(manager, 'POST', path, { ...base, start: '2027-11-07T01:30', end: '2027-11-07T09:30', start_fold: 'later' });
  assert.equal(later.status, 201, JSON.stringify(later.body));
  assert.equal(later.body.start, '2027-11-07T07:30:00Z');
  assert.equal(later.body.length_minutes, 8 * 60);
  const earlier = await call(manager, 'POST', path, { ...base, start: '2027-11-07T01:30', end: '2027-11-07T09:30', start_fold: 'earlier' });
  assert.equal(earlier.status, 201);
  assert.equal(earlier.body.start, '2027-11-07T06:30:00Z');
  assert.equal(earlier.body.length_minutes, 9 * 60);
  const endAmbiguous = await call(manager, 'POST', path, { ...base, start: '2027-11-06T18:00', end: '2027-11-07T01:15' });
  assert.deepEqual(fieldOf(endAmbiguous), ['end:ambiguous_local_time']);
  const badFold = await call(manager, 'POST', path, { ...base, start: '2027-11-07T01:30', end: '2027-11-07T09:30', start_fold: 'first' });
  assert.deepEqual(fieldOf(badFold), ['start_fold:invalid_value']);
  const gap = await call(manager, 'POST', path, { ...base, start: '2027-03-14T02:30', end: '2027-03-14T10:00', start_fold: 'earlier' });
  assert.equal(gap.status, 400);
  assert.deepEqual(fieldOf(gap), ['start:nonexistent_local_time']);
  // An edit into the repeated hour needs the fold too.
  const edit = await call(manager, 'PATCH', `/api/v1/shifts/${later.body.id}`, { reason: 'earlier start', start: '2027-11-07T01:00' });
  assert.deepEqual(fieldOf(edit), ['start:ambiguous_local_time']);
  const edit2 = await call(manager, 'PATCH', `/api/v1/shifts/${later.body.id}`, { reason: 'earlier start', start: '2027-11-07T01:00', start_fold: 'earlier' });
  assert.equal(edit2.status, 200, JSON.stringify(edit2.body));
  assert.equal(edit2.body.start, '2027-11-07T06:00:00Z');
});

test('recurrence: an RRULE expands in the facility zone across DST, capped at 62', async () => {
  const base = { unit_id: unit2, discipline: 'RN', pay_rate_cents: 5000, bill_rate_cents: 7500 };
  const path = `/api/v1/facilities/${facility}/shifts`;
  // Saturday and Sunday nights from 2027-10-30: the night of 6-7 November is 13 hours.
  const r = await call(manager, 'POST', path, { ...base, start: '2027-10-30T19:00', end: '2027-10-31T07:00',
    recurrence: 'FREQ=WEEKLY;BYDAY=SA,SU;COUNT=4' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual(r.body.items.map((s) => s.start_local), ['2027-10-30T19:00', '2027-10-31T19:00', '2027-11-06T19:00', '2027-11-07T19:00']);
  assert.deepEqual(r.body.items.map((s) => s.end_local), ['2027-10-31T07:00', '2027-11-01T07:00', '2027-11-07T07:00', '2027-11-08T07:00']);
  assert.deepEqual(r.body.items.map((s) => s.length_minutes / 60), [12, 12, 13, 12]);
  const daily = await call(manager, 'POST', path, { ...base, start: '2027-12-01T07:00', end: '2027-12-01T15:00', recurrence: 'FREQ=DAILY;UNTIL=20271205' });
  assert.equal(daily.status, 201);
  assert.equal(daily.body.items.length, 5);
  const over = await call(manager, 'POST', path, { ...base, start: '2027-12-01T07:00', end: '2027-12-01T15:00', recurrence: 'FREQ=DAILY;COUNT=63' });
  assert.equal(over.status, 400);
  assert.deepEqual(fieldOf(over), ['recurrence:too_many']);
  const far = await call(manager, 'POST', path, { ...base, start: '2027-12-01T07:00', end: '2027-12-01T15:00', recurrence: 'FREQ=DAILY;UNTIL=20281231' });
  assert.deepEqual(fieldOf(far), ['recurrence:too_many']);
  const invalid = await call(manager, 'POST', path, { ...base, start: '2027-12-01T07:00', end: '2027-12-01T15:00', recurrence: 'FREQ=HOURLY;COUNT=3' });
  assert.deepEqual(fieldOf(invalid), ['recurrence:invalid_rrule']);
  const both = await call(manager, 'POST', path, { ...base, start: '2027-12-01T07:00', end: '2027-12-01T15:00', recurrence: 'FREQ=DAILY;COUNT=2', dates: ['2027-12-03'] });
  assert.deepEqual(fieldOf(both), ['recurrence:conflicts_with_dates']);
  // One occurrence in the repeated hour without a fold: nothing is posted.
  const before = Number(rows(`SELECT COUNT(*) FROM shifts WHERE facility_id = ${facility}`)[0][0]);
  const hour = await call(manager, 'POST', path, { ...base, start: '2027-11-06T01:30', end: '2027-11-06T09:00', recurrence: 'FREQ=DAILY;COUNT=2' });
  assert.equal(hour.status, 400);
  assert.deepEqual(fieldOf(hour), ['start:ambiguous_local_time']);
  assert.equal(Number(rows(`SELECT COUNT(*) FROM shifts WHERE facility_id = ${facility}`)[0][0]), before);
});

test('fill metrics: fill rate and time to fill by unit, discipline and week, scoped to the facility', async () => {
  const from = day(20, '00:00').slice(0, 10);
  const to = day(28, '00:00').slice(0, 10);
  const a = await post({ unit_id: unit, start: day(21, '07:00'), end: day(21, '15:00'), openings: 2 });
  const b = await post({ unit_id: unit2, start: day(21, '07:00'), end: day(21, '15:00') });
  await post({ unit_id: unit2, start: day(22, '07:00'), end: day(22, '15:00') });
  const cancelled = await post({ unit_id: unit2, start: day(22, '16:00'), end: day(22, '23:00') });
  await call(manager, 'POST', `/api/v1/shifts/${cancelled.id}/cancel`, { reason: 'not needed' });
  for (const [who, sh] of [[people.e3, a], [people.perdiem2, b]]) {
    const c = await call(who, 'POST', `/api/v1/shifts/${sh.id}/claims`, {});
    assert.equal(c.status, 201, JSON.stringify(c.body));
  }
  // Posted 90 minutes before its confirmation.
  sql(`UPDATE shifts SET created_at = created_at - ${90 * 60000} WHERE id = ${a.id}`);
  const all = await call(manager, 'GET', `/api/v1/facilities/${facility}/fill-metrics?from=${from}&to=${to}`);
  assert.equal(all.status, 200, JSON.stringify(all.body));
  assert.equal(all.body.items.length, 1);
  const g = all.body.items[0];
  assert.deepEqual([g.shifts, g.openings, g.filled, g.fill_rate], [3, 4, 2, 0.5]);
  assert.ok(g.time_to_fill_minutes.p90 >= 90 && g.time_to_fill_minutes.p90 <= 91, JSON.stringify(g));
  const byUnit = await call(manager, 'GET', `/api/v1/facilities/${facility}/fill-metrics?from=${from}&to=${to}&group_by=unit,discipline,week`);
  assert.equal(byUnit.status, 200);
  const u1 = byUnit.body.items.filter((x) => x.unit_id === unit);
  const u2 = byUnit.body.items.filter((x) => x.unit_id === unit2);
  assert.equal(u1.reduce((n, x) => n + x.openings, 0), 2);
  assert.equal(u1.reduce((n, x) => n + x.filled, 0), 1);
  assert.equal(u2.reduce((n, x) => n + x.shifts, 0), 2);
  assert.ok(byUnit.body.items.every((x) => /^\d{4}-W\d{2}$/.test(x.week) && x.discipline === 'RN'));
  assert.deepEqual(byUnit.body.group_by, ['unit', 'discipline', 'week']);
  const bad = await call(manager, 'GET', `/api/v1/facilities/${facility}/fill-metrics?group_by=month`);
  assert.equal(bad.status, 400);
  assert.deepEqual(fieldOf(bad), ['group_by:invalid_value']);
  const backwards = await call(manager, 'GET', `/api/v1/facilities/${facility}/fill-metrics?from=${to}&to=${from}`);
  assert.deepEqual(fieldOf(backwards), ['to:before_from']);
  // Another facility's manager sees nothing of it; a clinician may not read facility metrics.
  const foreign = await call(manager, 'GET', '/api/v1/facilities/2/fill-metrics');
  assert.equal(foreign.status, 404);
  const mine = await call(clinician, 'GET', `/api/v1/facilities/${facility}/fill-metrics`);
  assert.equal(mine.status, 403);
});
