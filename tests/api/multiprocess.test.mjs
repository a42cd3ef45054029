// Several servers, one PostgreSQL (issue 7 part 3): two `openmso serve` processes on the
// same database behave as one system. A write through one is read through the other, a
// session made on one works on the other, a live event raised by a change through A
// reaches a WebSocket client of B (LISTEN/NOTIFY), and writes racing on both processes
// leave exactly one winner per unique name and a valid audit chain.
// Runs only in the PostgreSQL pass (OPENMSO_TEST_PG_ADMIN_URL set).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import WebSocket from 'ws';
import { startServer, freshDatabase, login, demo, binary } from '../lib/server.mjs';

const skip = process.env.OPENMSO_TEST_PG_ADMIN_URL ? false : 'needs PostgreSQL (OPENMSO_TEST_PG_ADMIN_URL)';
let db, a, b, adminA, adminB;

before(async () => {
  if (skip) return;
  db = freshDatabase();
  const env = { OPENMSO_JOBS_INTERVAL_SECONDS: '1' };
  a = await startServer({ databaseUrl: db.url, env });  // migrates and seeds the demo MSO
  b = await startServer({ databaseUrl: db.url, env });  // finds it seeded
  adminA = await login(a.baseUrl, demo.users.mso_admin);
  adminB = await login(b.baseUrl, demo.users.mso_admin);
});
after(async () => {
  await a?.stop();
  await b?.stop();
  db?.drop();
});

const json = (who, extra = {}) => who.headers({ 'content-type': 'application/json', ...extra });

function facilityBody(name) {
  return { name, type: 'clinic', address: { line1: '1 Main St', city: 'Denver', state: 'CO', postal_code: '80202' },
           location: { latitude: 39.7392, longitude: -104.9903 }, time_zone: 'America/Denver', monthly_fee_cents: 500000 };
}

async function until(fn, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (fn()) return true; await new Promise((r) => setTimeout(r, 25)); }
  return fn();
}

function connect(server, who) {
  const ws = new WebSocket(`${server.baseUrl.replace('http', 'ws')}/api/v1/events`, { headers: who.headers() });
  const messages = [];
  ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

test('a write through one process is read through the other; sessions are shared', { skip }, async () => {
  const created = await fetch(`${a.baseUrl}/api/v1/facilities`, { method: 'POST', headers: json(adminA), body: JSON.stringify(facilityBody('Two Process Clinic')) });
  assert.equal(created.status, 201, await created.clone().text());
  const f = await created.json();
  const read = await fetch(`${b.baseUrl}/api/v1/facilities/${f.id}`, { headers: adminB.headers() });
  assert.equal(read.status, 200);
  assert.equal((await read.json()).name, 'Two Process Clinic');
  // The token issued by A is valid on B: sessions live in the database.
  const me = await fetch(`${b.baseUrl}/api/v1/me`, { headers: adminA.headers() });
  assert.equal(me.status, 200);
});

test('a live event raised through A reaches a WebSocket client of B', { skip }, async () => {
  const onB = await connect(b, adminB);
  assert.ok(await until(() => onB.messages.some((m) => m.type === 'hello')));
  const created = await fetch(`${a.baseUrl}/api/v1/facilities`, { method: 'POST', headers: json(adminA), body: JSON.stringify(facilityBody('Event Crossing Clinic')) });
  assert.equal(created.status, 201);
  const f = await created.json();
  assert.ok(await until(() => onB.messages.some((m) => m.type === 'facility.created' && m.facility_id === f.id)),
    `B's client got: ${JSON.stringify(onB.messages)}`);
  onB.ws.close();
});

test('writes racing on both processes: one winner per name, every unit stored, audit chain valid', { skip }, async () => {
  const f = await (await fetch(`${a.baseUrl}/api/v1/facilities`, { method: 'POST', headers: json(adminA), body: JSON.stringify(facilityBody('Race Clinic')) })).json();
  const post = (server, who, name) => fetch(`${server.baseUrl}/api/v1/facilities/${f.id}/units`, {
    method: 'POST', headers: json(who), body: JSON.stringify({ name, kind: 'clinic' }) });
  const calls = [];
  for (let i = 0; i < 30; i++) {
    // Distinct names on each side, and one contested name per round sent to both.
    calls.push(post(a, adminA, `A ${i}`), post(b, adminB, `B ${i}`), post(a, adminA, `Both ${i}`), post(b, adminB, `Both ${i}`));
  }
  const statuses = (await Promise.all(calls)).map((r) => r.status);
  assert.ok(!statuses.some((s) => s >= 500), `no 5xx: ${statuses.join(',')}`);
  assert.equal(statuses.filter((s) => s === 201).length, 90, `30 + 30 distinct + 30 contested winners: ${statuses.join(',')}`);
  assert.equal(statuses.filter((s) => s === 409).length, 30);
  const units = await (await fetch(`${b.baseUrl}/api/v1/facilities/${f.id}/units`, { headers: adminB.headers() })).json();
  const list = Array.isArray(units) ? units : units.items;
  assert.equal(list.length, 90);
  const v = spawnSync(binary, ['audit', 'verify', '--database', db.url], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /audit chain OK/);
});

test('background jobs run in one process only: the lease stays with one holder (JOB-LEASE)', { skip }, async () => {
  const holder = () => spawnSync('psql', [db.url, '-Atq', '-c', "SELECT holder FROM job_leases WHERE name = 'background'"],
    { encoding: 'utf8' }).stdout.trim();
  let first = '';
  for (let i = 0; i < 50 && !first; ++i) {
    await new Promise((r) => setTimeout(r, 200));
    first = holder();
  }
  const pids = [a.child.pid, b.child.pid].map(String);
  assert.ok(pids.includes(first.split(':').pop()), `the holder ${first} is one of ${pids}`);
  await new Promise((r) => setTimeout(r, 3500));  // several job intervals of both servers
  assert.equal(holder(), first, 'the other server never took the lease while it was renewed');
});
