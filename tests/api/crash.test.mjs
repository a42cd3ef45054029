// Crash safety (issue 7 part 4): SIGKILL the server in the middle of a write storm and
// `openmso gen` in the middle of a bulk import, restart on the same database, and check
// that every acknowledged write is there, that the import left all of its rows or none,
// that SQLite's integrity_check passes and that the audit chain verifies.
// Runs on SQLite, and on PostgreSQL in the PostgreSQL pass (OPENMSO_TEST_PG_ADMIN_URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { statSync, existsSync } from 'node:fs';
import { startServer, freshDatabase, login, demo, binary } from '../lib/server.mjs';

const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;

// One scalar from the database, through the backend's own CLI.
function scalar(db, sql) {
  const out = pg ? execFileSync('psql', [db.url, '-Atq', '-c', sql], { encoding: 'utf8' })
                 : execFileSync('sqlite3', [db.path, sql], { encoding: 'utf8' });
  return out.trim();
}

function checkIntegrity(db) {
  if (pg) return;  // PostgreSQL has no integrity_check; WAL replay is the server's job
  assert.equal(scalar(db, 'PRAGMA integrity_check'), 'ok');
}

function auditVerify(db) {
  const v = spawnSync(binary, ['audit', 'verify', '--database', db.url], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /audit chain OK/);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('SIGKILL during a write storm loses no acknowledged write', async () => {
  const db = freshDatabase();
  let server = await startServer({ databaseUrl: db.url });
  try {
    const admin = await login(server.baseUrl, demo.users.mso_admin);
    const headers = admin.headers({ 'content-type': 'application/json' });
    const ackedUnits = [], ackedUsers = [];
    let stop = false;
    // Several clients, each posting units (cheap) and now and then a user (argon2id, slow).
    const client = async (k) => {
      for (let n = 0; !stop; n++) {
        try {
          if (n % 8 === 7) {
            const email = `storm-${k}-${n}@crash.openmso.test`;
            const r = await fetch(`${server.baseUrl}/api/v1/users`, { method: 'POST', headers,
              body: JSON.stringify({ email, display_name: `Storm ${k} ${n}`, role: 'auditor', password: 'Crash-test-password-2026' }) });
            if (r.status === 201) ackedUsers.push(email);
            else assert.ok(r.status < 500, `user ${email}: ${r.status}`);
          } else {
            const name = `Storm ${k}-${n}`;
            const r = await fetch(`${server.baseUrl}/api/v1/facilities/1/units`, { method: 'POST', headers,
              body: JSON.stringify({ name, kind: 'rehab' }) });
            if (r.status === 201) ackedUnits.push(name);
            else assert.ok(r.status < 500, `unit ${name}: ${r.status}`);
          }
        } catch (e) {
          if (e.code === 'ERR_ASSERTION') throw e;
          return;  // the connection died with the server
        }
      }
    };
    const clients = Array.from({ length: 6 }, (_, k) => client(k));
    // Kill once the storm is well under way.
    const end = Date.now() + 10000;
    while (ackedUnits.length < 60 && Date.now() < end) await sleep(10);
    server.child.kill('SIGKILL');
    await Promise.all(clients);
    stop = true;
    await server.stop();
    assert.ok(ackedUnits.length >= 60, `storm acknowledged ${ackedUnits.length} units before the kill`);
    checkIntegrity(db);

    server = await startServer({ databaseUrl: db.url });
    const again = await login(server.baseUrl, demo.users.mso_admin);
    const units = await (await fetch(`${server.baseUrl}/api/v1/facilities/1/units`, { headers: again.headers() })).json();
    const stored = new Set((Array.isArray(units) ? units : units.items).map((u) => u.name));
    const lostUnits = ackedUnits.filter((n) => !stored.has(n));
    assert.deepEqual(lostUnits, [], 'acknowledged units missing after the crash');
    const users = await (await fetch(`${server.baseUrl}/api/v1/users`, { headers: again.headers() })).json();
    const emails = new Set((Array.isArray(users) ? users : users.items).map((u) => u.email));
    assert.deepEqual(ackedUsers.filter((e) => !emails.has(e)), [], 'acknowledged users missing after the crash');
    // Each stored unit committed together with its audit event.
    const storm = Number(scalar(db, "SELECT COUNT(*) FROM units WHERE name LIKE 'Storm %'"));
    const audited = Number(scalar(db, "SELECT COUNT(*) FROM audit_events WHERE action = 'unit.create' AND outcome = 'success'"));
    assert.equal(audited, storm);
    await server.stop();
    checkIntegrity(db);
    auditVerify(db);
  } finally {
    await server.stop();
    db.drop();
  }
});

// `openmso gen` writes its whole import in one transaction: a kill leaves none of it.
test('SIGKILL during `openmso gen` leaves all of the import or none of it', async () => {
  const db = freshDatabase();
  try {
    execFileSync(binary, ['migrate', '--database', db.url]);
    const gen = spawn(binary, ['gen', '--clinicians', '3000000', '--facilities', '500', '--seed', '7', '--database', db.url],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    gen.stdout.on('data', (d) => { output += d; });
    gen.stderr.on('data', (d) => { output += d; });
    const exited = new Promise((r) => gen.once('exit', (code, signal) => r({ code, signal })));
    // Wait until clinicians are being written: the WAL grows (SQLite) or a COPY runs (PostgreSQL).
    const importing = () => {
      if (gen.exitCode !== null) return true;
      if (pg) return scalar(db, "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'COPY clinicians%'") !== '0';
      const wal = `${db.path}-wal`;
      return existsSync(wal) && statSync(wal).size > 8 * 1024 * 1024;
    };
    const end = Date.now() + 60000;
    while (!importing() && Date.now() < end) await sleep(50);
    gen.kill('SIGKILL');
    const { signal } = await exited;
    assert.equal(signal, 'SIGKILL', `gen finished before it could be killed: ${output}`);
    checkIntegrity(db);
    for (const table of ['msos', 'facilities', 'units', 'clinicians', 'audit_events'])
      assert.equal(scalar(db, `SELECT COUNT(*) FROM ${table}`), '0', `${table} after the killed import`);

    // The database is usable: a server starts on it, and a complete import is all there.
    const server = await startServer({ databaseUrl: db.url });
    await server.stop();
    const done = spawnSync(binary, ['gen', '--clinicians', '2000', '--facilities', '20', '--seed', '7', '--database', db.url], { encoding: 'utf8' });
    assert.equal(done.status, 0, done.stderr);
    const mso = scalar(db, "SELECT id FROM msos WHERE name = 'Synthetic Health Partners 7'");
    assert.equal(scalar(db, `SELECT COUNT(*) FROM clinicians WHERE mso_id = ${mso}`), '2000');
    assert.equal(scalar(db, `SELECT COUNT(*) FROM facilities WHERE mso_id = ${mso}`), '20');
    checkIntegrity(db);
    auditVerify(db);
  } finally {
    db.drop();
  }
});
