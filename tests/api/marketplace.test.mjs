// The per-diem marketplace through the real binary (issue 4): posting over a DST change,
// bad inputs with the state unchanged, facility scoping, eligibility explained rule by
// rule, the claim's 409s, cancellation, and the two invariants under racing claims:
// never more confirmed claims than openings, never two overlapping shifts for one
// clinician. On PostgreSQL the race runs across two server processes on one database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { startServer, freshDatabase, login, demo } from '../lib/server.mjs';

const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
let db, server, second, admin, manager, clinician;
const LAKESIDE = 1;  // the demo manager's facility (Chicago, IL)
const DESERT = 2;    // out of the manager's reach
const RILEY = 1;     // the demo clinician's roster id
let lakesideUnit, desertUnit;

const json = (who, extra = {}) => who.headers({ 'content-type': 'application/json', ...extra });
async function call(who, method, path, body, base = server.baseUrl) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? who.headers() : json(who),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = r.headers.get('content-type') || '';
  return { status: r.status, body: type.includes('json') ? await r.json() : await r.text() };
}
const fieldOf = (res) => (res.body.errors || []).map((e) => `${e.field}:${e.code}`);
const dayUtc = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

// The next Sunday-in-month-N transition date (first Sunday of November / second Sunday of
// March, US rules) that is at least two days ahead.
function nextSunday(month, nth) {
  for (let y = new Date().getUTCFullYear(); ; ++y) {
    const first = new Date(Date.UTC(y, month - 1, 1));
    const day = 1 + ((7 - first.getUTCDay()) % 7) + 7 * (nth - 1);
    const d = new Date(Date.UTC(y, month - 1, day));
    if (d.getTime() > Date.now() + 2 * 86400000) return d.toISOString().slice(0, 10);
  }
}
const prevDay = (iso) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);

function sql(text) {
  if (pg) return execFileSync('psql', [db.url, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' });
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.path, text], { encoding: 'utf8' });
}

before(async () => {
  db = freshDatabase();
  server = await startServer({ databaseUrl: db.url });
  if (pg) second = await startServer({ databaseUrl: db.url });
  admin = await login(server.baseUrl, demo.users.mso_admin);
  manager = await login(server.baseUrl, demo.users.facility_manager);
  clinician = await login(server.baseUrl, demo.users.clinician);
  lakesideUnit = (await call(admin, 'GET', `/api/v1/facilities/${LAKESIDE}/units`)).body.items[0].id;
  desertUnit = (await call(admin, 'GET', `/api/v1/facilities/${DESERT}/units`)).body.items[0].id;
});
after(async () => {
  await server?.stop();
  await second?.stop();
  db?.drop();
});

const shiftBody = (over = {}) => ({
  unit_id: lakesideUnit, discipline: 'RN', start: `${dayUtc(3)}T07:00`, end: `${dayUtc(3)}T15:00`,
  break_minutes: 30, pay_rate_cents: 5500, bill_rate_cents: 7800, openings: 1, ...over,
});

test('a night shift over the autumn DST change is 13 hours; a list of dates posts one shift per date', async () => {
  const change = nextSunday(11, 1);
  const r = await call(manager, 'POST', `/api/v1/facilities/${LAKESIDE}/shifts`,
    shiftBody({ start: `${prevDay(change)}T19:00`, end: `${change}T07:00`, incentive_cents: 2500 }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.length_minutes, 13 * 60);
  assert.equal(r.body.paid_minutes, 13 * 60 - 30);
  assert.equal(r.body.start_local, `${prevDay(change)}T19:00`);
  assert.equal(r.body.end_local, `${change}T07:00`);
  assert.equal(r.body.time_zone, 'America/Chicago');
  assert.equal(r.body.status, 'open');
  const grid = await call(manager, 'POST', `/api/v1/facilities/${LAKESIDE}/shifts`,
    shiftBody({ start: `${dayUtc(10)}T19:00`, end: `${dayUtc(11)}T07:00`, dates: [dayUtc(10), dayUtc(12), dayUtc(14)] }));
  assert.equal(grid.status, 201, JSON.stringify(grid.body));
  assert.deepEqual(grid.body.items.map((s) => s.start_local), [`${dayUtc(10)}T19:00`, `${dayUtc(12)}T19:00`, `${dayUtc(14)}T19:00`]);
  assert.deepEqual(grid.body.items.map((s) => s.end_local), [`${dayUtc(11)}T07:00`, `${dayUtc(13)}T07:00`, `${dayUtc(15)}T07:00`]);
  const audit = await call(admin, 'GET', '/api/v1/audit/events?action=shift.create&limit=10');
  assert.equal(audit.body.items.filter((e) => e.outcome === 'success').length, 4);
});

test('bad postings are 400 naming the field, and nothing is written', async () => {
  const before = (await call(manager, 'GET', `/api/v1/facilities/${LAKESIDE}/shifts`)).body.items.length;
  const gap = nextSunday(3, 2);
  const rows = [
    [shiftBody({ end: `${dayUtc(3)}T06:00` }), 'end:end_before_start'],
    [shiftBody({ start: `${gap}T02:30`, end: `${gap}T10:00` }), 'start:nonexistent_local_time'],
    [shiftBody({ pay_rate_cents: -100 }), 'pay_rate_cents'],
    [shiftBody({ incentive_cents: -1 }), 'incentive_cents'],
    [shiftBody({ unit_id: desertUnit }), 'unit_id:unknown_unit'],
    [shiftBody({ unit_id: 999999 }), 'unit_id:unknown_unit'],
    [shiftBody({ openings: 0 }), 'openings:out_of_range'],
    [shiftBody({ end: `${dayUtc(4)}T07:01` }), 'end:too_long'],
    [shiftBody({ start: 'tomorrow' }), 'start:invalid_local_time'],
    [shiftBody({ bill_rate_cents: undefined }), 'bill_rate_cents:required'],
    [shiftBody({ start: `${dayUtc(4)}T02:30`, end: `${dayUtc(4)}T10:00`, dates: [dayUtc(5), gap] }), 'start:nonexistent_local_time'],
  ];
  for (const [body, expected] of rows) {
    const r = await call(manager, 'POST', `/api/v1/facilities/${LAKESIDE}/shifts`, body);
    assert.equal(r.status, 400, `${expected}: ${JSON.stringify(r.body)}`);
    const fields = fieldOf(r);
    assert.ok(fields.some((f) => f === expected || f.startsWith(`${expected}:`)), `${expected}: ${fields}`);
  }
  const after = (await call(manager, 'GET', `/api/v1/facilities/${LAKESIDE}/shifts`)).body.items.length;
  assert.equal(after, before, 'no bad posting was written, not even the good dates of a bad grid');
});

test("another facility's shifts are out of a manager's reach; clinicians cannot post", async () => {
  const desert = await call(admin, 'POST', `/api/v1/facilities/${DESERT}/shifts`, shiftBody({ unit_id: desertUnit }));
  assert.equal(desert.status, 201, JSON.stringify(desert.body));
  const id = desert.body.id;
  assert.equal((await call(manager, 'POST', `/api/v1/facilities/${DESERT}/shifts`, shiftBody({ unit_id: desertUnit }))).status, 404);
  assert.equal((await call(manager, 'GET', `/api/v1/facilities/${DESERT}/shifts`)).status, 404);
  assert.equal((await call(manager, 'GET', `/api/v1/shifts/${id}`)).status, 404);
  assert.equal((await call(manager, 'GET', `/api/v1/shifts/${id}/candidates`)).status, 404);
  assert.equal((await call(manager, 'POST', `/api/v1/shifts/${id}/cancel`, { reason: 'not mine' })).status, 404);
  assert.equal((await call(clinician, 'POST', `/api/v1/facilities/${LAKESIDE}/shifts`, shiftBody())).status, 403);
  assert.equal((await call(manager, 'POST', `/api/v1/shifts/${id}/claims`, {})).status, 403);
  assert.equal((await call(admin, 'GET', `/api/v1/shifts/${id}`)).body.status, 'open', 'unchanged');
});

test('eligibility is explained rule by rule; a claim confirms at once; overlap and rest are refused', async () => {
  // Riley lives ~35 km out with a 25 km radius: not eligible until she moves closer.
  const post = async (over) => {
    const r = await call(manager, 'POST', `/api/v1/facilities/${LAKESIDE}/shifts`, shiftBody(over));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  const shift = await post({ openings: 2 });
  const far = await call(manager, 'GET', `/api/v1/shifts/${shift}/candidates?clinician=${RILEY}`);
  assert.equal(far.status, 200, JSON.stringify(far.body));
  assert.deepEqual(far.body.rules.map((r) => r.rule),
    ['MKT-ELIG-LICENSE', 'MKT-ELIG-EXCLUDED', 'MKT-ELIG-DNR', 'MKT-ELIG-OVERLAP', 'MKT-ELIG-REST', 'MKT-ELIG-WEEKLY-HOURS',
      'MKT-ELIG-CONSECUTIVE-DAYS', 'MKT-ELIG-DISTANCE']);
  assert.deepEqual(far.body.rules.filter((r) => !r.passed).map((r) => r.rule), ['MKT-ELIG-DISTANCE']);
  const refused = await call(clinician, 'POST', `/api/v1/shifts/${shift}/claims`, {});
  assert.equal(refused.status, 409);
  assert.equal(refused.body.type, 'https://openmso.org/problems/not-eligible');
  assert.deepEqual(fieldOf(refused), ['shift:MKT-ELIG-DISTANCE']);

  const profile = (await call(clinician, 'GET', `/api/v1/clinicians/${RILEY}/profile`)).body;
  const { id, email, status, status_reason, home_facility_id, ...editable } = profile;
  const moved = await call(clinician, 'PUT', `/api/v1/clinicians/${RILEY}/profile`,
    { ...editable, home: { latitude: 41.91, longitude: -87.64 }, travel_radius_km: 40 });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  const near = await call(manager, 'GET', `/api/v1/shifts/${shift}/candidates?clinician=${RILEY}`);
  assert.equal(near.body.eligible, true, JSON.stringify(near.body));
  const list = await call(manager, 'GET', `/api/v1/shifts/${shift}/candidates`);
  assert.equal(list.status, 200);
  const riley = list.body.items.find((c) => c.clinician_id === RILEY);
  assert.ok(riley, 'Riley is a ranked candidate');
  assert.ok(list.body.items.every((c) => c.eligible));
  for (let i = 1; i < list.body.items.length; ++i) assert.ok(list.body.items[i - 1].score >= list.body.items[i].score);
  // MKT-RELIABILITY: her history so far (the demo seeds worked shifts) sets the component.
  const [done, backedOut, absent] = sql(`SELECT
      SUM(CASE WHEN c.status = 'confirmed' AND c.no_show_at IS NULL AND s.end_at <= ${Date.now()} THEN 1 ELSE 0 END),
      SUM(CASE WHEN c.status = 'withdrawn' AND c.confirmed_at IS NOT NULL THEN 1 ELSE 0 END),
      SUM(CASE WHEN c.no_show_at IS NOT NULL THEN 1 ELSE 0 END)
    FROM shift_claims c JOIN shifts s ON s.id = c.shift_id WHERE c.clinician_id = ${RILEY}`).trim().split('|').map(Number);
  assert.ok(Math.abs(riley.score_components.reliability - 300 * (done + 1) / (done + backedOut + 2 * absent + 2)) < 1e-9,
    JSON.stringify({ done, backedOut, absent, got: riley.score_components.reliability }));

  const claim = await call(clinician, 'POST', `/api/v1/shifts/${shift}/claims`, {});
  assert.equal(claim.status, 201, JSON.stringify(claim.body));
  assert.equal(claim.body.status, 'confirmed');
  assert.equal(claim.body.shift.filled, 1);
  assert.equal((await call(clinician, 'POST', `/api/v1/shifts/${shift}/claims`)).body.type, 'https://openmso.org/problems/already-claimed');

  const overlapping = await post({ start: `${dayUtc(3)}T14:00`, end: `${dayUtc(3)}T20:00` });
  const o = await call(clinician, 'POST', `/api/v1/shifts/${overlapping}/claims`, {});
  assert.equal(o.status, 409);
  assert.deepEqual(fieldOf(o), ['shift:MKT-ELIG-OVERLAP']);
  const tooSoon = await post({ start: `${dayUtc(3)}T19:00`, end: `${dayUtc(3)}T23:00` });
  const t = await call(clinician, 'POST', `/api/v1/shifts/${tooSoon}/claims`, {});
  assert.equal(t.status, 409);
  assert.deepEqual(fieldOf(t), ['shift:MKT-ELIG-REST']);

  const mine = await call(clinician, 'GET', `/api/v1/shifts/${shift}`);
  assert.equal(mine.status, 200);
  assert.deepEqual(mine.body.claims.map((c) => c.clinician_id), [RILEY]);
  const audit = await call(admin, 'GET', '/api/v1/audit/events?action=shift.claim&limit=10');
  assert.ok(audit.body.items.some((e) => e.entity_id === String(claim.body.id) && e.outcome === 'success'));

  // Cancelling notifies the booked clinician; a cancelled shift takes no claims.
  assert.deepEqual(fieldOf(await call(manager, 'POST', `/api/v1/shifts/${shift}/cancel`, {})), ['reason:required']);
  const cancelled = await call(manager, 'POST', `/api/v1/shifts/${shift}/cancel`, { reason: 'census dropped' });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  assert.equal(cancelled.body.status, 'cancelled');
  assert.equal(cancelled.body.cancel_reason, 'census dropped');
  assert.equal((await call(manager, 'POST', `/api/v1/shifts/${shift}/cancel`, { reason: 'again' })).status, 409);
  const late = await call(clinician, 'POST', `/api/v1/shifts/${shift}/claims`, {});
  assert.equal(late.body.type, 'https://openmso.org/problems/shift-cancelled');
  // Freed by the cancellation, the overlapping shift can now be claimed.
  assert.equal((await call(clinician, 'POST', `/api/v1/shifts/${overlapping}/claims`, {})).status, 201);
});

test('without instant book a claim waits for the manager, who approves or declines; settings set the rest rule', async () => {
  const settings = `/api/v1/facilities/${LAKESIDE}/marketplace-settings`;
  assert.deepEqual((await call(manager, 'GET', settings)).body, { facility_id: LAKESIDE, instant_book: true, min_rest_minutes: 480, weekly_hours_cap: 60,
    max_consecutive_days: 6,    cancellation_window_hours: 24, cancellation_pay_hours: 4, approval_timeout_minutes: 120, approval_timeout_action: 'decline',
    tier1_minutes: 0, tier2_minutes: 0 });
  assert.equal((await call(manager, 'PUT', settings, { instant_book: false })).status, 403);
  const bad = await call(admin, 'PUT', settings, { min_rest_minutes: -5, weekly_hours_cap: 0 });
  assert.deepEqual(fieldOf(bad).sort(), ['min_rest_minutes:out_of_range', 'weekly_hours_cap:out_of_range']);
  const set = await call(admin, 'PUT', settings, { instant_book: false, min_rest_minutes: 600, weekly_hours_cap: 60 });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.equal((await call(manager, 'GET', settings)).body.min_rest_minutes, 600);
  const post = async (over) => {
    const r = await call(manager, 'POST', `/api/v1/facilities/${LAKESIDE}/shifts`, shiftBody(over));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };

  const a = await post({ start: `${dayUtc(6)}T07:00`, end: `${dayUtc(6)}T15:00` });
  const claim = await call(clinician, 'POST', `/api/v1/shifts/${a}/claims`, {});
  assert.equal(claim.status, 201, JSON.stringify(claim.body));
  assert.equal(claim.body.status, 'pending');
  assert.equal(claim.body.shift.filled, 0);
  assert.equal((await call(clinician, 'POST', `/api/v1/shifts/${a}/claims`, {})).body.type, 'https://openmso.org/problems/already-claimed');
  assert.deepEqual((await call(clinician, 'GET', `/api/v1/shifts/${a}`)).body.claims.map((c) => c.status), ['pending']);
  const approved = await call(manager, 'POST', `/api/v1/claims/${claim.body.id}/approve`, {});
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.status, 'confirmed');
  assert.equal(approved.body.shift.filled, 1);
  assert.equal(approved.body.shift.status, 'filled');
  assert.equal((await call(manager, 'POST', `/api/v1/claims/${claim.body.id}/approve`, {})).body.type, 'https://openmso.org/problems/claim-decided');
  assert.equal((await call(clinician, 'POST', `/api/v1/claims/${claim.body.id}/approve`, {})).status, 403);

  // 9 h after the approved shift: enough under the default 8 h, not under this facility's 10 h.
  const b = await post({ start: `${dayUtc(7)}T00:00`, end: `${dayUtc(7)}T06:00` });
  const explain = await call(manager, 'GET', `/api/v1/shifts/${b}/candidates?clinician=${RILEY}`);
  assert.deepEqual(explain.body.rules.filter((r) => !r.passed).map((r) => r.rule), ['MKT-ELIG-REST']);
  assert.deepEqual(fieldOf(await call(clinician, 'POST', `/api/v1/shifts/${b}/claims`, {})), ['shift:MKT-ELIG-REST']);

  const c = await post({ start: `${dayUtc(8)}T07:00`, end: `${dayUtc(8)}T15:00` });
  const second = await call(clinician, 'POST', `/api/v1/shifts/${c}/claims`, {});
  assert.equal(second.body.status, 'pending');
  const declined = await call(manager, 'POST', `/api/v1/claims/${second.body.id}/decline`, { reason: 'a staff nurse took it' });
  assert.equal(declined.status, 200, JSON.stringify(declined.body));
  assert.equal(declined.body.status, 'declined');
  assert.equal(declined.body.shift.filled, 0);
  assert.equal((await call(manager, 'POST', `/api/v1/claims/${second.body.id}/approve`, {})).status, 409);
  const audit = await call(admin, 'GET', '/api/v1/audit/events?action=claim.decline&limit=5');
  assert.ok(audit.body.items.some((e) => e.entity_id === String(second.body.id)));
  assert.equal((await call(admin, 'PUT', settings, { instant_book: true })).status, 200);
});

test("the clinician's feed lists only open shifts they may work; 'my shifts' lists their claims", async () => {
  const post = async (who, facility, over) => {
    const r = await call(who, 'POST', `/api/v1/facilities/${facility}/shifts`, shiftBody(over));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  const cheap = await post(manager, LAKESIDE, { start: `${dayUtc(9)}T07:00`, end: `${dayUtc(9)}T15:00`, pay_rate_cents: 4000 });
  const rich = await post(manager, LAKESIDE, { start: `${dayUtc(10)}T07:00`, end: `${dayUtc(10)}T15:00`, pay_rate_cents: 6500 });
  const clash = await post(manager, LAKESIDE, { start: `${dayUtc(9)}T10:00`, end: `${dayUtc(9)}T18:00` });
  const arizona = await post(admin, DESERT, { unit_id: desertUnit, start: `${dayUtc(9)}T20:00`, end: `${dayUtc(9)}T23:00` });
  const byStart = await call(clinician, 'GET', '/api/v1/me/open-shifts');
  assert.equal(byStart.status, 200, JSON.stringify(byStart.body));
  const ids = byStart.body.items.map((s) => s.id);
  assert.ok(ids.includes(cheap) && ids.includes(rich) && ids.includes(clash));
  assert.ok(!ids.includes(arizona), 'a Phoenix shift is out of her license state and travel radius');
  for (let i = 1; i < byStart.body.items.length; ++i) assert.ok(byStart.body.items[i - 1].start <= byStart.body.items[i].start);
  const byPay = (await call(clinician, 'GET', '/api/v1/me/open-shifts?sort=pay')).body.items.map((s) => s.id);
  assert.ok(byPay.indexOf(rich) < byPay.indexOf(cheap));
  assert.equal((await call(clinician, 'GET', '/api/v1/me/open-shifts?sort=price')).status, 400);
  assert.equal((await call(manager, 'GET', '/api/v1/me/open-shifts')).status, 403);

  assert.equal((await call(clinician, 'POST', `/api/v1/shifts/${cheap}/claims`, {})).status, 201);
  const after = (await call(clinician, 'GET', '/api/v1/me/open-shifts')).body.items.map((s) => s.id);
  assert.ok(!after.includes(cheap), 'claimed');
  assert.ok(!after.includes(clash), 'overlaps the claimed shift');
  assert.ok(after.includes(rich));
  const mine = await call(clinician, 'GET', '/api/v1/me/shifts');
  assert.equal(mine.status, 200);
  const claimed = mine.body.items.find((c) => c.shift_id === cheap);
  assert.equal(claimed.status, 'confirmed');
  assert.equal(claimed.shift.pay_rate_cents, 4000);
  assert.ok(mine.body.items.every((c) => c.clinician_id === RILEY));

  // Withdrawing before the 24 h cutoff gives the opening back; after it, only the facility can.
  assert.equal((await call(manager, 'POST', `/api/v1/claims/${claimed.id}/withdraw`, {})).status, 403);
  const withdrawn = await call(clinician, 'POST', `/api/v1/claims/${claimed.id}/withdraw`, {});
  assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
  assert.equal(withdrawn.body.status, 'withdrawn');
  assert.equal(withdrawn.body.shift.filled, 0);
  assert.equal(withdrawn.body.shift.status, 'open');
  assert.equal((await call(clinician, 'POST', `/api/v1/claims/${claimed.id}/withdraw`, {})).body.type, 'https://openmso.org/problems/claim-decided');
  const local = (ms) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + ms)).replace(' ', 'T');
  const soon = await post(manager, LAKESIDE, { start: local(3 * 3600000), end: local(9 * 3600000) });
  const soonClaim = await call(clinician, 'POST', `/api/v1/shifts/${soon}/claims`, {});
  assert.equal(soonClaim.status, 201, JSON.stringify(soonClaim.body));
  const tooLate = await call(clinician, 'POST', `/api/v1/claims/${soonClaim.body.id}/withdraw`, {});
  assert.equal(tooLate.body.type, 'https://openmso.org/problems/withdraw-cutoff');
  assert.equal((await call(admin, 'GET', `/api/v1/shifts/${soon}`)).body.filled, 1, 'unchanged');
});

// 60 RN clinicians of a new Illinois facility's MSO, each with a verified IL license and a
// session token, seeded straight into the database (logging in 60 users would spend
// minutes in argon2id and trip the per-IP login throttle).
async function seedRaceClinicians(n) {
  const now = Date.now();
  const values = [];
  for (let i = 0; i < n; ++i)
    values.push(`(1, 'Race', 'Clinician${i}', 'race${i}@race.test', 'RN', 'per_diem', 41903600, -87627000, 100, 'active', ${now}, 'IL')`);
  const tokens = [];
  let script = `INSERT INTO clinicians (mso_id, first_name, last_name, email, discipline, employment_type, home_latitude_e6,
      home_longitude_e6, travel_radius_km, status, created_at, primary_state) VALUES ${values.join(', ')};
    INSERT INTO clinician_disciplines (clinician_id, position, discipline)
      SELECT id, 0, 'RN' FROM clinicians WHERE email LIKE 'race%@race.test';
    INSERT INTO credentials (clinician_id, mso_id, kind, type_code, jurisdiction, number, multistate, issued_on, expires_on,
        issuer, verification, created_at, updated_at)
      SELECT id, mso_id, 'license', 'RN', 'IL', 'RN-RACE-' || email, 0, '2020-01-01', '2099-12-31', 'IL board', 'verified', ${now}, ${now}
      FROM clinicians WHERE email LIKE 'race%@race.test';
    INSERT INTO users (mso_id, email, display_name, role, password_hash, active, failed_logins, locked_until, created_at, clinician_id)
      SELECT mso_id, email, 'Race Clinician', 'clinician', 'no-login', 1, 0, 0, ${now}, id FROM clinicians WHERE email LIKE 'race%@race.test';
  `;
  for (let i = 0; i < n; ++i) {
    const token = `race-token-${i}-${now}`;
    const hash = createHash('sha256').update(token).digest('hex');
    script += `INSERT INTO sessions (token_hash, csrf_token, user_id, created_at, last_seen_at, expires_at)
      SELECT '${hash}', 'csrf', id, ${now}, ${now}, ${now + 12 * 3600000} FROM users WHERE email = 'race${i}@race.test';\n`;
    tokens.push({ headers: (extra = {}) => ({ authorization: `Bearer ${token}`, ...extra }) });
  }
  sql(script);
  return tokens;
}

test('racing claims: exactly the openings are confirmed; one clinician never holds two overlapping shifts', async () => {
  const started = Date.now();
  const facility = await call(admin, 'POST', '/api/v1/facilities', {
    name: 'Race Care Center', type: 'nursing_home', address: { line1: '1 Race St', city: 'Chicago', state: 'IL', postal_code: '60610' },
    location: { latitude: 41.9036, longitude: -87.627 }, time_zone: 'America/Chicago', monthly_fee_cents: 0,
  });
  assert.equal(facility.status, 201, JSON.stringify(facility.body));
  const unit = await call(admin, 'POST', `/api/v1/facilities/${facility.body.id}/units`, { name: 'Floor 1', kind: 'skilled_nursing' });
  assert.equal(unit.status, 201);
  const clinicians = await seedRaceClinicians(60);
  const bases = second ? [server.baseUrl, second.baseUrl] : [server.baseUrl];
  const post = async (over) => {
    const r = await call(admin, 'POST', `/api/v1/facilities/${facility.body.id}/shifts`, shiftBody({ unit_id: unit.body.id, ...over }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };

  // 50 different clinicians, 3 openings.
  const three = await post({ openings: 3, start: `${dayUtc(2)}T07:00`, end: `${dayUtc(2)}T15:00` });
  const results = await Promise.all(clinicians.slice(0, 50).map((c, i) =>
    call(c, 'POST', `/api/v1/shifts/${three}/claims`, {}, bases[i % bases.length])));
  const statuses = results.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 201).length, 3, JSON.stringify(results.filter((r) => r.status !== 201 && r.status !== 409)));
  assert.equal(statuses.filter((s) => s === 409).length, 47);
  assert.ok(results.filter((r) => r.status === 409).every((r) => r.body.type === 'https://openmso.org/problems/shift-full'));
  const after = await call(admin, 'GET', `/api/v1/shifts/${three}`);
  assert.equal(after.body.filled, 3);
  assert.equal(after.body.status, 'filled');
  assert.equal(after.body.claims.filter((c) => c.status === 'confirmed').length, 3);

  // 20 clinicians each race three claims on each of two overlapping shifts (plenty of openings).
  const a = await post({ openings: 50, start: `${dayUtc(5)}T07:00`, end: `${dayUtc(5)}T15:00` });
  const b = await post({ openings: 50, start: `${dayUtc(5)}T11:00`, end: `${dayUtc(5)}T19:00` });
  const racers = clinicians.slice(40, 60);
  const attempts = [];
  racers.forEach((c, i) => {
    for (let k = 0; k < 3; ++k)
      for (const s of [a, b]) attempts.push(call(c, 'POST', `/api/v1/shifts/${s}/claims`, {}, bases[(i + k) % bases.length]).then((r) => ({ i, r })));
  });
  const done = await Promise.all(attempts);
  for (let i = 0; i < racers.length; ++i) {
    const mine = done.filter((d) => d.i === i);
    assert.equal(mine.filter((d) => d.r.status === 201).length, 1, `clinician ${i}: ${JSON.stringify(mine.map((d) => d.r.status))}`);
    assert.ok(mine.every((d) => d.r.status === 201 || d.r.status === 409));
  }
  const filledA = (await call(admin, 'GET', `/api/v1/shifts/${a}`)).body.filled;
  const filledB = (await call(admin, 'GET', `/api/v1/shifts/${b}`)).body.filled;
  assert.equal(filledA + filledB, racers.length);
  // The database agrees: no clinician holds two overlapping confirmed shifts.
  const doubles = sql(`SELECT COUNT(*) FROM shift_claims c1 JOIN shift_claims c2 ON c1.clinician_id = c2.clinician_id AND c1.id < c2.id
    JOIN shifts s1 ON s1.id = c1.shift_id JOIN shifts s2 ON s2.id = c2.shift_id
    WHERE c1.status = 'confirmed' AND c2.status = 'confirmed' AND s1.start_at < s2.end_at AND s2.start_at < s1.end_at`);
  assert.equal(doubles.trim(), '0');
  const over = sql("SELECT COUNT(*) FROM shifts WHERE status <> 'cancelled' AND (filled > openings OR filled <> (SELECT COUNT(*) FROM shift_claims c WHERE c.shift_id = shifts.id AND c.status = 'confirmed'))");
  assert.equal(over.trim(), '0');
  assert.ok(Date.now() - started < 30000, `race test took ${Date.now() - started} ms`);
});
