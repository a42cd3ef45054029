// The audit trail through the API and the CLI: who may read it, that changes and reads of
// personal data land in it, and that `openmso audit verify` names a tampered row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { startServer, login, demo, binary } from '../lib/server.mjs';

let server, admin, auditor, manager;
before(async () => {
  server = await startServer({ keepDir: true });
  admin = await login(server.baseUrl, demo.users.mso_admin);
  auditor = await login(server.baseUrl, demo.users.auditor);
  manager = await login(server.baseUrl, demo.users.facility_manager);
});
after(async () => { await server?.stop(); });

async function events(who, query = '') {
  const r = await fetch(`${server.baseUrl}/api/v1/audit/events${query}`, { headers: who.headers() });
  return { status: r.status, body: r.status === 200 ? await r.json() : null };
}

test('auditors and admins read the trail; managers and clinicians may not', async () => {
  assert.equal((await events(auditor)).status, 200);
  assert.equal((await events(admin)).status, 200);
  assert.equal((await events(manager)).status, 403);
  const clinician = await login(server.baseUrl, demo.users.clinician);
  assert.equal((await events(clinician)).status, 403);
});

test('a change, a personal-data read and a denied attempt are each recorded', async () => {
  const created = await fetch(`${server.baseUrl}/api/v1/facilities/1/units`, {
    method: 'POST', headers: admin.headers({ 'content-type': 'application/json' }),
    body: JSON.stringify({ name: 'Audit Wing', kind: 'skilled_nursing' }),
  });
  assert.equal(created.status, 201);
  const createdId = created.headers.get('x-request-id');
  const read = await fetch(`${server.baseUrl}/api/v1/clinicians/1`, { headers: manager.headers() });
  const readId = read.headers.get('x-request-id');
  const denied = await fetch(`${server.baseUrl}/api/v1/users`, { headers: manager.headers() });
  assert.equal(denied.status, 403);
  const deniedId = denied.headers.get('x-request-id');
  const { body } = await events(auditor, '?limit=100');
  const byRequest = Object.fromEntries(body.items.map((e) => [e.request_id, e]));
  assert.equal(byRequest[createdId]?.action, 'unit.create');
  assert.equal(byRequest[createdId]?.outcome, 'success');
  assert.equal(byRequest[createdId]?.facility_id, 1);
  assert.equal(byRequest[readId]?.action, 'clinician.read');
  assert.equal(byRequest[readId]?.entity_id, '1');
  assert.equal(byRequest[deniedId]?.outcome, 'denied');
  assert.equal(byRequest[deniedId]?.actor_role, 'facility_manager');
});

test('paging with before= and filtering by action', async () => {
  const first = await events(auditor, '?limit=2');
  assert.equal(first.body.items.length, 2);
  assert.ok(first.body.items[0].seq > first.body.items[1].seq);
  const next = await events(auditor, `?limit=2&before=${first.body.next_before}`);
  assert.ok(next.body.items[0].seq < first.body.items[1].seq);
  const logins = await events(auditor, '?action=auth.login&limit=50');
  assert.ok(logins.body.items.length >= 3);
  assert.ok(logins.body.items.every((e) => e.action === 'auth.login'));
});

test('the chain verifies through the API', async () => {
  const r = await fetch(`${server.baseUrl}/api/v1/audit/verify`, { headers: auditor.headers() });
  const body = await r.json();
  assert.equal(body.ok, true);
  assert.ok(body.events_checked > 5);
});

test('flipping one byte of an audit row is caught by `openmso audit verify`, naming the row', async () => {
  // Mark a row we can find: its request id appears nowhere else in the database.
  const marked = await fetch(`${server.baseUrl}/api/v1/users`, { headers: admin.headers() });
  const requestId = marked.headers.get('x-request-id');
  const { body } = await events(auditor, '?action=user.list&limit=10');
  const row = body.items.find((e) => e.request_id === requestId);
  assert.ok(row, 'the marked event is in the trail');
  const sqlite = server.databaseUrl.startsWith('sqlite:');
  if (sqlite) await server.stop();  // clean shutdown checkpoints the WAL into the main file
  const verify = (args) => spawnSync(binary, ['audit', 'verify', '--database', server.databaseUrl], { encoding: 'utf8', env: { ...process.env, ...args } });
  let v = verify();
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /audit chain OK/);
  if (sqlite) {
    const file = server.databaseUrl.slice('sqlite:'.length);
    const bytes = readFileSync(file);
    const needle = Buffer.from(requestId);
    let at = bytes.indexOf(needle), flips = 0;
    while (at >= 0) {
      const last = at + needle.length - 1;
      bytes[last] = bytes[last] === 0x30 ? 0x31 : 0x30;  // one digit changes
      flips++;
      at = bytes.indexOf(needle, at + 1);
    }
    assert.ok(flips >= 1, 'found the row in the file');
    writeFileSync(file, bytes);
  } else {
    execFileSync('psql', [server.databaseUrl, '-q', '-c', `UPDATE audit_events SET outcome = 'denied' WHERE seq = ${row.seq}`]);
  }
  v = verify();
  assert.equal(v.status, 2, v.stdout + v.stderr);
  assert.match(v.stdout, new RegExp(`BROKEN at seq ${row.seq}:`));
});
