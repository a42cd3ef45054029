// Hostile input against the real server: SQL injection strings are data, oversized headers
// are refused, a slowloris connection is cut while others are served, a crowd of idle
// connections does not block new ones, and ids of another tenant's rows reveal nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, login, demo } from '../lib/server.mjs';

let server, admin, manager;
before(async () => {
  server = await startServer({ env: { OPENMSO_HEADER_TIMEOUT_SECONDS: '2', OPENMSO_IDLE_TIMEOUT_SECONDS: '3' } });
  admin = await login(server.baseUrl, demo.users.mso_admin);
  manager = await login(server.baseUrl, demo.users.facility_manager);
});
after(async () => { await server?.stop(); });

const injections = ["' OR '1'='1", "x'); DROP TABLE facilities; --", '"; SELECT * FROM users; --', "\\' UNION SELECT password_hash FROM users --"];

test('SQL injection strings in body fields are stored and returned literally', async () => {
  for (const [i, evil] of injections.entries()) {
    const r = await fetch(`${server.baseUrl}/api/v1/facilities/1/units`, {
      method: 'POST', headers: admin.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ name: `${evil} ${i}`, kind: evil.slice(0, 40) }),
    });
    const text = await r.text();
    assert.equal(r.status, 201, text);
    const unit = JSON.parse(text);
    assert.equal(unit.name, `${evil} ${i}`);
  }
  const list = await (await fetch(`${server.baseUrl}/api/v1/facilities`, { headers: admin.headers() })).json();
  assert.equal(list.items.length, 3, 'no table was dropped, no row leaked');
});

test('SQL injection strings in query parameters and paths are 4xx, never 500', async () => {
  for (const evil of injections) {
    const q = await fetch(`${server.baseUrl}/api/v1/audit/events?action=${encodeURIComponent(evil)}`, { headers: admin.headers() });
    assert.equal(q.status, 200);
    assert.deepEqual((await q.json()).items, []);
    const p = await fetch(`${server.baseUrl}/api/v1/facilities/${encodeURIComponent(evil)}`, { headers: admin.headers() });
    assert.equal(p.status, 404);
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: evil, password: evil }),
    });
    assert.equal(login.status, 401);
  }
});

function rawExchange(payload, waitMs = 3000) {
  return new Promise((resolve) => {
    const s = net.connect(server.port, '127.0.0.1', () => s.write(payload));
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('close', () => resolve(data));
    s.on('error', () => resolve(data));
    setTimeout(() => { s.destroy(); resolve(data); }, waitMs);
  });
}

test('oversized headers are refused with 431', async () => {
  const big = 'x'.repeat(64 * 1024);
  const response = await rawExchange(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`);
  assert.match(response, /^HTTP\/1\.1 431/);
});

test('a slowloris connection is cut after the header timeout while others are served', async () => {
  const started = Date.now();
  const closed = new Promise((resolve) => {
    const s = net.connect(server.port, '127.0.0.1');
    const line = 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    let i = 0;
    const timer = setInterval(() => { if (i < line.length) s.write(line[i++]); else s.write('a'); }, 200);
    s.on('close', () => { clearInterval(timer); resolve(Date.now() - started); });
    s.on('error', () => {});
    setTimeout(() => { clearInterval(timer); s.destroy(); resolve(Infinity); }, 15000);
  });
  const ok = await fetch(`${server.baseUrl}/healthz`);
  assert.equal(ok.status, 200);
  const elapsed = await closed;
  assert.ok(elapsed < 15000, 'the trickling connection was closed by the server');
});

test('hundreds of idle connections do not block new requests', async () => {
  const sockets = [];
  for (let i = 0; i < 300; i++) {
    sockets.push(await new Promise((resolve) => { const s = net.connect(server.port, '127.0.0.1', () => resolve(s)); s.on('error', () => {}); }));
  }
  try {
    const r = await fetch(`${server.baseUrl}/api/v1/facilities`, { headers: admin.headers() });
    assert.equal(r.status, 200);
  } finally {
    for (const s of sockets) s.destroy();
  }
});

test('another tenant\'s ids reveal nothing: a sweep of ids outside the caller\'s scope is all 404', async () => {
  // The manager sees facility 1 only; sweep facilities, units and clinicians of the others.
  const seen = [];
  for (let id = 2; id <= 12; id++) {
    for (const path of [`/api/v1/facilities/${id}`, `/api/v1/facilities/${id}/units`, `/api/v1/units/${id + 3}`]) {
      const r = await fetch(server.baseUrl + path, { headers: manager.headers() });
      if (r.status === 200) seen.push(path);
      assert.notEqual(r.status, 500, path);
    }
  }
  const own = await (await fetch(`${server.baseUrl}/api/v1/facilities/1/units`, { headers: manager.headers() })).json();
  const ownUnitIds = new Set(own.items.map((u) => `/api/v1/units/${u.id}`));
  assert.deepEqual(seen.filter((p) => !ownUnitIds.has(p)), []);
});
