// Starts the real `openmso` binary for API and browser tests: a fresh database (SQLite
// file in a temp dir, or a new PostgreSQL database when OPENMSO_TEST_PG_ADMIN_URL is set),
// a free loopback port, demo data, and waits for /readyz. Stop it with `await server.stop()`.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binary = process.env.OPENMSO_BIN || join(repoRoot, 'build', 'src', 'app', 'openmso');

export const demo = {
  password: 'OpenMSO-demo-2026',
  users: {
    mso_admin: 'admin@demo.openmso.org',
    facility_manager: 'manager@demo.openmso.org',
    credentialing: 'credentialing@demo.openmso.org',
    billing: 'billing@demo.openmso.org',
    clinician: 'clinician@demo.openmso.org',
    auditor: 'auditor@demo.openmso.org',
  },
};

export async function freePort() {
  return await new Promise((ok, fail) => {
    const s = net.createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function newPostgresDatabase(adminUrl) {
  const name = `openmso_t_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  execFileSync('psql', [adminUrl, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`]);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

// A fresh empty database for a test that starts several servers on it (or restarts one):
// { url, drop() }. SQLite: a file in a new temp dir; PostgreSQL (OPENMSO_TEST_PG_ADMIN_URL
// set): a new database. Pass `url` as startServer's `databaseUrl`; call drop() at the end.
export function freshDatabase() {
  if (process.env.OPENMSO_TEST_PG_ADMIN_URL) {
    const pg = newPostgresDatabase(process.env.OPENMSO_TEST_PG_ADMIN_URL);
    return {
      url: pg.url,
      drop() {
        try {
          execFileSync('psql', [process.env.OPENMSO_TEST_PG_ADMIN_URL, '-q', '-c', `DROP DATABASE IF EXISTS ${pg.name} WITH (FORCE)`]);
        } catch { /* cluster is removed afterwards anyway */ }
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'openmso-testdb-'));
  return { url: `sqlite:${join(dir, 'openmso.db')}`, path: join(dir, 'openmso.db'), drop() { rmSync(dir, { recursive: true, force: true }); } };
}

// options: { demo: true, env: {...}, args: [...], databaseUrl: undefined }
// With databaseUrl the server uses that database as is (several servers, or a restart on
// the same data) and stop() leaves it in place; without, it gets a fresh one, dropped on stop().
export async function startServer(options = {}) {
  if (!existsSync(binary)) throw new Error(`openmso binary not found at ${binary}; run make build`);
  const dir = mkdtempSync(join(tmpdir(), 'openmso-test-'));
  const port = await freePort();
  let databaseUrl = `sqlite:${join(dir, 'openmso.db')}`;
  let pg = null;
  if (options.databaseUrl) {
    databaseUrl = options.databaseUrl;
  } else if (process.env.OPENMSO_TEST_PG_ADMIN_URL) {
    pg = newPostgresDatabase(process.env.OPENMSO_TEST_PG_ADMIN_URL);
    databaseUrl = pg.url;
  }
  const args = ['serve', '--port', String(port), '--database', databaseUrl];
  if (options.demo !== false) args.push('--demo');
  args.push(...(options.args || []));
  const env = {
    ...process.env,
    OPENMSO_STATIC_DIR: process.env.OPENMSO_STATIC_DIR || join(repoRoot, 'web', 'dist'),
    OPENMSO_DATA_DIR: join(dir, 'data'),
    ...(options.env || {}),
  };
  const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`openmso exited early (${child.exitCode}):\n${output}`);
    try {
      const r = await fetch(`${baseUrl}/readyz`);
      await r.arrayBuffer();  // release the connection
      if (r.status === 200) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`openmso did not become ready:\n${output}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl, port, dir, databaseUrl, child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {  // not already exited or killed
        const exited = new Promise((r) => child.once('exit', r));
        child.kill(signal);
        // The grace timer is cleared once the child exits: a pending 10 s timer would keep
        // every test file's process alive for 10 s after its last test.
        let grace;
        await Promise.race([exited, new Promise((r) => { grace = setTimeout(r, 10000); })]);
        clearTimeout(grace);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      if (pg) {
        try {
          execFileSync('psql', [process.env.OPENMSO_TEST_PG_ADMIN_URL, '-q', '-c', `DROP DATABASE IF EXISTS ${pg.name} WITH (FORCE)`]);
        } catch { /* cluster is removed afterwards anyway */ }
      }
      if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Signs in with the API and returns { token, csrf, user, headers() } for Bearer calls.
export async function login(baseUrl, email, password = demo.password) {
  const r = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (r.status !== 200) throw new Error(`login ${email} failed: ${r.status} ${await r.text()}`);
  const body = await r.json();
  return {
    token: body.token,
    user: body.user,
    headers: (extra = {}) => ({ authorization: `Bearer ${body.token}`, ...extra }),
  };
}
