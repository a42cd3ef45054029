// Operational surface of the real binary: health, readiness, metrics, the OpenAPI
// document, static UI files, the CLI, configuration checks and graceful shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, login, demo, binary, repoRoot } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('healthz, readyz and security headers', async () => {
  const h = await fetch(`${server.baseUrl}/healthz`);
  assert.equal(h.status, 200);
  assert.deepEqual(await h.json(), { status: 'ok' });
  const r = await fetch(`${server.baseUrl}/readyz`);
  assert.equal(r.status, 200);
  assert.equal((await r.json()).status, 'ready');
  assert.equal(h.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(h.headers.get('x-request-id'));
});

test('metrics are Prometheus text with routes, latency histograms and pool stats', async () => {
  const a = await login(server.baseUrl, demo.users.mso_admin);
  await fetch(`${server.baseUrl}/api/v1/facilities`, { headers: a.headers() });
  const m = await (await fetch(`${server.baseUrl}/metrics`)).text();
  assert.match(m, /openmso_http_requests_total\{route="\/api\/v1\/facilities",method="GET",status="200"\} \d+/);
  assert.match(m, /openmso_http_request_duration_seconds_bucket\{route="\/api\/v1\/facilities",le="\+Inf"\} \d+/);
  assert.match(m, /openmso_db_connections\{state="total"\} \d+/);
  assert.match(m, /openmso_db_pool_waits_total \d+\n/);
});

test('the OpenAPI document is served as written', async () => {
  const r = await fetch(`${server.baseUrl}/api/openapi.yaml`);
  assert.equal(r.status, 200);
  assert.equal(await r.text(), readFileSync(join(repoRoot, 'docs', 'openapi.yaml'), 'utf8'));
});

test('the web UI is served with an SPA fallback, and path traversal is refused', { skip: !existsSync(join(repoRoot, 'web', 'dist', 'index.html')) }, async () => {
  const root = await fetch(`${server.baseUrl}/`);
  assert.equal(root.status, 200);
  assert.match(root.headers.get('content-type'), /text\/html/);
  assert.match(root.headers.get('content-security-policy'), /default-src 'self'/);
  const deep = await fetch(`${server.baseUrl}/facilities/1`);
  assert.equal(deep.status, 200);
  assert.match(await deep.text(), /<div id="root"|<html/i);
  const traversal = await fetch(`${server.baseUrl}/..%2f..%2fetc/passwd`);
  assert.notEqual(traversal.status, 500);
  assert.doesNotMatch(await traversal.text(), /root:x:0:0/);
});

function cli(args, env = {}) {
  return spawnSync(binary, args, { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
}

test('the CLI: version, help, migrate, seed, user add', () => {
  assert.match(cli(['version']).stdout, /^openmso \d+\.\d+\.\d+/);
  for (const sub of [['--help'], ['serve', '--help'], ['migrate', '--help'], ['seed', '--help'], ['user', 'add', '--help'], ['audit', 'verify', '--help']]) {
    const r = cli(sub);
    assert.equal(r.status, 0, `${sub.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /Usage|OPTIONS|Options/i);
  }
  const dir = mkdtempSync(join(tmpdir(), 'openmso-cli-'));
  try {
    const db = `sqlite:${join(dir, 'cli.db')}`;
    assert.equal(cli(['migrate', '--database', db]).status, 0);
    const seed = cli(['seed', '--demo', '--database', db]);
    assert.equal(seed.status, 0, seed.stderr);
    assert.match(seed.stdout, /admin@demo\.openmso\.org/);
    assert.notEqual(cli(['seed', '--demo', '--database', db]).status, 0, 'seeding twice is refused');
    const add = spawnSync(binary, ['user', 'add', '--database', db, '--email', 'New.Admin@Example.org', '--name', 'New Admin', '--role', 'auditor', '--password-stdin'],
      { encoding: 'utf8', input: 'a-very-long-password\n', env: { PATH: process.env.PATH } });
    assert.equal(add.status, 0, add.stderr);
    assert.match(add.stdout, /created user \d+/);
    const dup = spawnSync(binary, ['user', 'add', '--database', db, '--email', 'new.admin@example.org', '--name', 'X', '--role', 'auditor', '--password-stdin'],
      { encoding: 'utf8', input: 'a-very-long-password\n', env: { PATH: process.env.PATH } });
    assert.notEqual(dup.status, 0);
    assert.match(dup.stderr, /already exists/);
    const weak = spawnSync(binary, ['user', 'add', '--database', db, '--email', 'weak@example.org', '--name', 'W', '--role', 'auditor', '--password-stdin'],
      { encoding: 'utf8', input: 'short\n', env: { PATH: process.env.PATH } });
    assert.notEqual(weak.status, 0);
    assert.match(weak.stderr, /password/);
    const v = cli(['audit', 'verify', '--database', db]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('unknown configuration keys and bad values stop the start with a clear message', () => {
  let r = cli(['migrate'], { OPENMSO_DATABSE_URL: 'sqlite:/tmp/x.db' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /OPENMSO_DATABSE_URL/);
  r = cli(['migrate'], { OPENMSO_PORT: 'eighty' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /port/);
  r = cli(['migrate', '--database', 'mysql://nope']);
  assert.notEqual(r.status, 0);
});

test('SIGTERM: stop accepting, finish in-flight requests, exit 0', async () => {
  const s = await startServer();
  const a = await login(s.baseUrl, demo.users.mso_admin);
  // A request that is in flight (argon2id hashing of a new user takes ~150 ms) when SIGTERM lands.
  const inflight = fetch(`${s.baseUrl}/api/v1/users`, {
    method: 'POST', headers: a.headers({ 'content-type': 'application/json' }),
    body: JSON.stringify({ email: 'late@example.org', display_name: 'Late', role: 'auditor', password: 'a-very-long-password' }),
  });
  await new Promise((r) => setTimeout(r, 30));
  const exited = new Promise((r) => s.child.once('exit', (code, signal) => r({ code, signal })));
  s.child.kill('SIGTERM');
  const res = await inflight;
  assert.equal(res.status, 201);
  const { code } = await exited;
  assert.equal(code, 0);
  await assert.rejects(fetch(`${s.baseUrl}/healthz`));
  await s.stop();
});
