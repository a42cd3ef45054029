// Direct TLS: with a configured certificate the server speaks HTTPS (and WSS), marks
// cookies Secure, and refuses to start with a half configuration.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary, freePort, demo } from '../lib/server.mjs';

let dir, cert, child, port;

function request(path, { method = 'GET', body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path, method, ca: cert, servername: 'localhost',
      headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openmso-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'cert.pem'));
  port = await freePort();
  child = spawn(binary, ['serve', '--demo', '--port', String(port), '--database', `sqlite:${join(dir, 'db.sqlite')}`], {
    env: { PATH: process.env.PATH, OPENMSO_TLS_CERT_FILE: join(dir, 'cert.pem'), OPENMSO_TLS_KEY_FILE: join(dir, 'key.pem'), OPENMSO_STATIC_DIR: '' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    try { if ((await request('/readyz')).status === 200) return; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('TLS server did not start');
});
after(() => { child?.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); });

test('HTTPS serves the API and cookies are Secure', async () => {
  const h = await request('/healthz');
  assert.equal(h.status, 200);
  const login = await request('/api/v1/auth/login', { method: 'POST', body: { email: demo.users.auditor, password: demo.password } });
  assert.equal(login.status, 200);
  const cookies = login.headers['set-cookie'];
  assert.ok(cookies.length >= 2 && cookies.every((c) => /; Secure/.test(c)), cookies.join(' | '));
  const token = JSON.parse(login.body).token;
  const list = await request('/api/v1/facilities', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(list.status, 200);
  assert.equal(JSON.parse(list.body).items.length, 3);
});

test('plain HTTP on the TLS port gets nothing useful and the server keeps serving', async () => {
  await fetch(`http://127.0.0.1:${port}/healthz`).then(() => assert.fail('plain HTTP answered'), () => {});
  assert.equal((await request('/healthz')).status, 200);
});

test('a certificate without its key refuses to start, naming the missing setting', () => {
  const r = spawnSync(binary, ['serve', '--port', '0', '--database', `sqlite:${join(dir, 'x.sqlite')}`],
    { encoding: 'utf8', env: { PATH: process.env.PATH, OPENMSO_TLS_CERT_FILE: join(dir, 'cert.pem') }, timeout: 10000 });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /tls_key_file/);
});
