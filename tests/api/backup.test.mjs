// Backups (issue 7 part 4): `openmso backup` while the server runs, more writes, then
// `openmso restore` (SQLite: over the stopped server's file; PostgreSQL: into a new empty
// database). The restored data and audit chain are exactly those at backup time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, freshDatabase, login, demo, binary } from '../lib/server.mjs';

const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;

function query(db, sql) {
  return pg ? execFileSync('psql', [db.url, '-Atq', '-c', sql], { encoding: 'utf8' })
            : execFileSync('sqlite3', [db.path, sql], { encoding: 'utf8' });
}

// Everything a restore must bring back, as text.
function snapshot(db) {
  return ['SELECT * FROM facilities ORDER BY id', 'SELECT * FROM units ORDER BY id', 'SELECT * FROM clinicians ORDER BY id',
    'SELECT id, email, role, password_hash, created_at FROM users ORDER BY id', 'SELECT * FROM audit_events ORDER BY seq',
    'SELECT version FROM schema_migrations ORDER BY version'].map((q) => query(db, q)).join('\n----\n');
}

function cli(...args) {
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('backup while serving, restore, and the data and audit chain are those of the backup', async () => {
  const db = freshDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'openmso-backup-'));
  const file = join(dir, pg ? 'openmso.dump' : 'openmso-backup.db');
  let target = null;
  let server = await startServer({ databaseUrl: db.url });
  try {
    const admin = await login(server.baseUrl, demo.users.mso_admin);
    const post = (name) => fetch(`${server.baseUrl}/api/v1/facilities/1/units`, {
      method: 'POST', headers: admin.headers({ 'content-type': 'application/json' }), body: JSON.stringify({ name, kind: 'rehab' }) });
    for (let i = 0; i < 5; i++) assert.equal((await post(`Before backup ${i}`)).status, 201);
    const before = snapshot(db);

    let r = cli('backup', file, '--database', db.url);
    assert.equal(r.status, 0, r.out);
    assert.ok(existsSync(file));
    r = cli('backup', file, '--database', db.url);
    assert.notEqual(r.status, 0, 'an existing backup file is never overwritten');
    assert.match(r.out, /already exists/);

    for (let i = 0; i < 3; i++) assert.equal((await post(`After backup ${i}`)).status, 201);
    assert.notEqual(snapshot(db), before);
    await server.stop();

    if (pg) {
      // Into a new, empty database; a database with tables is refused.
      r = cli('restore', file, '--database', db.url);
      assert.notEqual(r.status, 0);
      assert.match(r.out, /empty database/);
      target = freshDatabase();
    } else {
      target = db;
    }
    r = cli('restore', file, '--database', target.url);
    assert.equal(r.status, 0, r.out);
    assert.equal(snapshot(target), before);
    const v = cli('audit', 'verify', '--database', target.url);
    assert.equal(v.status, 0, v.out);

    // A server runs on the restored database and serves the restored data.
    server = await startServer({ databaseUrl: target.url });
    const again = await login(server.baseUrl, demo.users.mso_admin);
    const units = await (await fetch(`${server.baseUrl}/api/v1/facilities/1/units`, { headers: again.headers() })).json();
    const names = units.items.map((u) => u.name);
    assert.ok(names.includes('Before backup 4'));
    assert.ok(!names.some((n) => n.startsWith('After backup')));
  } finally {
    await server.stop();
    if (target && target !== db) target.drop();
    db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('restore refuses a file that is not an OpenMSO backup', { skip: pg ? 'SQLite file check' : false }, async () => {
  const db = freshDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'openmso-backup-'));
  try {
    const junk = join(dir, 'junk.db');
    execFileSync('sqlite3', [junk, 'CREATE TABLE t (x); INSERT INTO t VALUES (1);']);
    const r = cli('restore', junk, '--database', db.url);
    assert.notEqual(r.status, 0);
    assert.match(r.out, /not an OpenMSO database/);
    assert.equal(cli('restore', join(dir, 'missing.db'), '--database', db.url).status, 1);
  } finally {
    db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
