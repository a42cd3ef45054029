// The per-facility compliance summary through the real binary (issue 3 part 10,
// CRED-COMPLIANCE): GET /api/v1/facilities/{id}/compliance lists the MSO's active
// clinicians who could work at the facility (its own staff, the float pool, per-diem
// clinicians whose travel radius reaches it) with a requirement profile for their discipline
// there, each with the verdict GET /clinicians/{id}/compliance gives; counts agree; access
// follows the facility's scope; bad query parameters are 400 naming the field; the read is
// audited. Runs on SQLite, and on PostgreSQL when OPENMSO_TEST_PG_ADMIN_URL is set
// (scripts/with-postgres.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, freshDatabase, login, demo } from '../lib/server.mjs';

const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
let db, server, admin, manager, credentialing, auditor, billing, clinician;
let lakeside, desert;
const seeded = {};  // email prefix -> clinician id

async function call(who, method, path) {
  const r = await fetch(`${server.baseUrl}${path}`, { method, headers: who.headers() });
  const type = r.headers.get('content-type') || '';
  return { status: r.status, type, body: type.includes('json') ? await r.json() : await r.text() };
}
function sql(text) {
  if (pg) return execFileSync('psql', [db.url, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' });
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.path, text], { encoding: 'utf8' });
}
const rows = (text) => sql(text).trim().split('\n').filter(Boolean).map((l) => l.split('|'));

// RN clinicians of the demo MSO, each with a verified IL license only (no BLS, no TB: not
// compliant at Lakeside, whose RN profile asks for both), written straight into the database.
function seedClinician(tag, employment, lat, lon, radius, status) {
  const now = Date.now();
  sql(`INSERT INTO clinicians (mso_id, first_name, last_name, email, discipline, employment_type, home_latitude_e6,
      home_longitude_e6, travel_radius_km, status, created_at, primary_state)
      VALUES (1, 'Sum', '${tag}', '${tag}@summary.test', 'RN', '${employment}', ${Math.round(lat * 1e6)}, ${Math.round(lon * 1e6)},
        ${radius}, '${status}', ${now}, 'IL');
    INSERT INTO clinician_disciplines (clinician_id, position, discipline)
      SELECT id, 0, 'RN' FROM clinicians WHERE email = '${tag}@summary.test';
    INSERT INTO credentials (clinician_id, mso_id, kind, type_code, jurisdiction, number, multistate, issued_on, expires_on,
        issuer, verification, created_at, updated_at)
      SELECT id, mso_id, 'license', 'RN', 'IL', 'RN-SUM-${tag}', 0, '2020-01-01', '2099-12-31', 'IL board', 'verified', ${now}, ${now}
      FROM clinicians WHERE email = '${tag}@summary.test';`);
  seeded[tag] = Number(rows(`SELECT id FROM clinicians WHERE email = '${tag}@summary.test'`)[0][0]);
}

before(async () => {
  db = freshDatabase();
  server = await startServer({ databaseUrl: db.url });
  [admin, manager, credentialing, auditor, billing, clinician] = await Promise.all([
    login(server.baseUrl, demo.users.mso_admin), login(server.baseUrl, demo.users.facility_manager),
    login(server.baseUrl, demo.users.credentialing), login(server.baseUrl, demo.users.auditor),
    login(server.baseUrl, demo.users.billing), login(server.baseUrl, demo.users.clinician)]);
  const facilities = (await call(admin, 'GET', '/api/v1/facilities')).body.items;
  lakeside = facilities.find((f) => f.name === 'Lakeside Care Center').id;
  desert = facilities.find((f) => f.name === 'Desert Vista Clinic').id;
  // Lakeside is at 41.9036, -87.6270 (Chicago); Phoenix is ~2,300 km away.
  seedClinician('floatfar', 'float_pool', 33.45, -112.07, 10, 'active');     // float pool: anywhere
  seedClinician('diemnear', 'per_diem', 41.95, -87.65, 20, 'active');        // ~5.5 km, radius 20: in
  seedClinician('diemfar', 'per_diem', 33.45, -112.07, 50, 'active');        // out of reach
  seedClinician('diemshort', 'per_diem', 41.95, -87.65, 2, 'active');        // radius 2 km: out
  seedClinician('suspended', 'per_diem', 41.95, -87.65, 20, 'suspended');    // not active
});
after(async () => {
  await server?.stop();
  db?.drop();
});

test('items agree with the per-clinician compliance, counts with the items, and who is listed', async () => {
  const r = await call(admin, 'GET', `/api/v1/facilities/${lakeside}/compliance`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.window_days, 30);
  assert.match(r.body.date, /^\d{4}-\d{2}-\d{2}$/);
  const ids = r.body.items.map((i) => i.clinician_id);
  assert.equal(new Set(ids).size, ids.length, 'one item per clinician');
  // Membership: the facility's own staff, the float pool and per-diem within reach.
  const staff = (await call(admin, 'GET', `/api/v1/facilities/${lakeside}/clinicians`)).body.items
    .filter((c) => c.status === 'active');
  assert.ok(staff.length > 0);
  for (const c of staff) assert.ok(ids.includes(c.id), `staff clinician ${c.id} listed`);
  assert.ok(ids.includes(seeded.floatfar), 'float pool listed');
  assert.ok(ids.includes(seeded.diemnear), 'per diem within radius listed');
  assert.ok(!ids.includes(seeded.diemfar), 'per diem out of reach not listed');
  assert.ok(!ids.includes(seeded.diemshort), 'per diem with a short radius not listed');
  assert.ok(!ids.includes(seeded.suspended), 'suspended clinician not listed');
  const near = r.body.items.find((i) => i.clinician_id === seeded.diemnear);
  assert.deepEqual({ name: near.name, discipline: near.discipline, employment_type: near.employment_type, status: near.status },
    { name: 'Sum diemnear', discipline: 'RN', employment_type: 'per_diem', status: 'non_compliant' });
  assert.ok(near.reasons.some((x) => x.code === 'requirement_missing' && x.requirement === 'certification:BLS'),
    JSON.stringify(near.reasons));
  // Every item is what the per-clinician endpoint says for that discipline on that date.
  const counts = { compliant: 0, expiring: 0, non_compliant: 0 };
  for (const item of r.body.items) {
    const one = await call(admin, 'GET',
      `/api/v1/clinicians/${item.clinician_id}/compliance?facility_id=${lakeside}&discipline=${item.discipline}&date=${r.body.date}`);
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.deepEqual({ status: item.status, compliant_until: item.compliant_until, reasons: item.reasons },
      { status: one.body.status, compliant_until: one.body.compliant_until, reasons: one.body.reasons }, `clinician ${item.clinician_id}`);
    counts[one.body.status] += 1;
  }
  assert.deepEqual(r.body.counts, counts);
  // The demo data has each status at Lakeside (an expiring BLS, an expired one).
  assert.ok(counts.compliant > 0 && counts.non_compliant > 0, JSON.stringify(counts));
});

test('date and window_days move the verdicts; a wide window turns compliant into expiring', async () => {
  const base = (await call(admin, 'GET', `/api/v1/facilities/${lakeside}/compliance?window_days=0`)).body;
  assert.equal(base.window_days, 0);
  const day = base.date;
  // With a zero window only a credential expiring on the day itself counts as expiring.
  for (const item of base.items.filter((i) => i.status === 'expiring'))
    assert.ok(item.reasons.every((x) => x.code === 'credential_expiring' && x.expires_on === day), JSON.stringify(item));
  const wide = (await call(admin, 'GET', `/api/v1/facilities/${lakeside}/compliance?date=${day}&window_days=365`)).body;
  assert.equal(wide.date, day);
  assert.deepEqual(wide.items.map((i) => i.clinician_id), base.items.map((i) => i.clinician_id));
  assert.ok(wide.counts.expiring > base.counts.expiring, JSON.stringify([base.counts, wide.counts]));
  assert.equal(wide.counts.non_compliant, base.counts.non_compliant);
  // Far in the future every demo credential has expired: nobody is compliant.
  const late = (await call(admin, 'GET', `/api/v1/facilities/${lakeside}/compliance?date=2199-01-01`)).body;
  assert.equal(late.counts.compliant + late.counts.expiring, 0, JSON.stringify(late.counts));
});

test('access: the facility scope decides; other roles are refused', async () => {
  for (const who of [manager, credentialing, auditor, admin])
    assert.equal((await call(who, 'GET', `/api/v1/facilities/${lakeside}/compliance`)).status, 200);
  // The demo manager manages Lakeside only: another facility is not found, not forbidden.
  const other = await call(manager, 'GET', `/api/v1/facilities/${desert}/compliance`);
  assert.equal(other.status, 404);
  assert.equal((await call(credentialing, 'GET', `/api/v1/facilities/${desert}/compliance`)).status, 200);
  assert.equal((await call(billing, 'GET', `/api/v1/facilities/${lakeside}/compliance`)).status, 403);
  assert.equal((await call(clinician, 'GET', `/api/v1/facilities/${lakeside}/compliance`)).status, 404);
  assert.equal((await call(admin, 'GET', '/api/v1/facilities/999999/compliance')).status, 404);
});

test('bad date and window_days are 400 naming the field', async () => {
  for (const [q, field] of [['date=2026-02-30', 'date'], ['date=tomorrow', 'date'], ['window_days=366', 'window_days'],
    ['window_days=-1', 'window_days'], ['window_days=7x', 'window_days']]) {
    const r = await call(admin, 'GET', `/api/v1/facilities/${lakeside}/compliance?${q}`);
    assert.equal(r.status, 400, q);
    assert.match(r.type, /application\/problem\+json/);
    assert.deepEqual((r.body.errors || []).map((e) => e.field), [field], `${q}: ${JSON.stringify(r.body)}`);
  }
});

test('each read writes one audit event naming the facility', async () => {
  const count = () => Number(rows(`SELECT COUNT(*) FROM audit_events WHERE action = 'facility.compliance.read'
    AND entity_type = 'facility' AND entity_id = '${lakeside}' AND facility_id = ${lakeside} AND outcome = 'success'`)[0][0]);
  const before = count();
  assert.equal((await call(manager, 'GET', `/api/v1/facilities/${lakeside}/compliance`)).status, 200);
  assert.equal(count(), before + 1);
});
