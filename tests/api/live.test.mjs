// Live events over the WebSocket: authenticated, scoped by facility, and the server
// still answers HTTP while clients are connected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startServer, login, demo } from '../lib/server.mjs';

let server, admin, manager;
before(async () => {
  server = await startServer();
  admin = await login(server.baseUrl, demo.users.mso_admin);
  manager = await login(server.baseUrl, demo.users.facility_manager);
});
after(async () => { await server?.stop(); });

function connect(who) {
  const ws = new WebSocket(`${server.baseUrl.replace('http', 'ws')}/api/v1/events`, { headers: who ? who.headers() : {} });
  const messages = [];
  ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

async function until(fn, ms = 3000) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (fn()) return true; await new Promise((r) => setTimeout(r, 25)); }
  return fn();
}

test('a WebSocket without a session is refused with 401', async () => {
  await assert.rejects(connect(null), /status 401/);
});

test('events reach only the clients allowed to see the facility', async () => {
  const a = await connect(admin);
  const m = await connect(manager);
  assert.ok(await until(() => a.messages.length && m.messages.length));
  assert.equal(a.messages[0].type, 'hello');
  // Change facility 2 (Desert Vista), which the manager of facility 1 may not see.
  const get = await fetch(`${server.baseUrl}/api/v1/facilities/2`, { headers: admin.headers() });
  const f = await get.json();
  const body = { name: f.name, type: f.type, address: f.address, location: f.location, time_zone: f.time_zone,
                 monthly_fee_cents: f.monthly_fee_cents + 100 };
  const put = await fetch(`${server.baseUrl}/api/v1/facilities/2`, { method: 'PUT', headers: admin.headers({ 'content-type': 'application/json' }), body: JSON.stringify(body) });
  assert.equal(put.status, 200, await put.text());
  assert.ok(await until(() => a.messages.some((e) => e.type === 'facility.updated' && e.facility_id === 2)));
  // And facility 1, which the manager does see.
  const f1 = await (await fetch(`${server.baseUrl}/api/v1/facilities/1`, { headers: admin.headers() })).json();
  const put1 = await fetch(`${server.baseUrl}/api/v1/facilities/1`, { method: 'PUT', headers: admin.headers({ 'content-type': 'application/json' }),
    body: JSON.stringify({ name: f1.name, type: f1.type, address: f1.address, location: f1.location, time_zone: f1.time_zone, monthly_fee_cents: f1.monthly_fee_cents }) });
  assert.equal(put1.status, 200);
  assert.ok(await until(() => m.messages.some((e) => e.type === 'facility.updated' && e.facility_id === 1)));
  assert.ok(!m.messages.some((e) => e.facility_id === 2), 'the manager never saw facility 2');
  const health = await fetch(`${server.baseUrl}/healthz`);
  assert.equal(health.status, 200);
  a.ws.close(); m.ws.close();
});
