// Bad input against the real server: every case answers a clear 4xx problem document
// (RFC 9457) with a stable type, names the offending field, and writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, login, demo } from '../lib/server.mjs';

let server, admin, manager;
before(async () => {
  server = await startServer();
  admin = await login(server.baseUrl, demo.users.mso_admin);
  manager = await login(server.baseUrl, demo.users.facility_manager);
});
after(async () => { await server?.stop(); });

const good = {
  name: 'Riverbend Clinic', type: 'clinic',
  address: { line1: '10 River Rd', city: 'Austin', state: 'TX', postal_code: '78701' },
  location: { latitude: 30.27, longitude: -97.74 }, time_zone: 'America/Chicago', monthly_fee_cents: 50000,
};

async function post(path, body, headers = admin.headers({ 'content-type': 'application/json' })) {
  const r = await fetch(server.baseUrl + path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, type: r.headers.get('content-type'), body: text ? JSON.parse(text) : null };
}

function slug(problem) { return problem.type.replace('https://openmso.org/problems/', ''); }

const cases = [
  ['malformed JSON', '{"name": "x",', 400, 'malformed-json', null],
  ['JSON that is not an object', '"just a string"', 400, 'malformed-json', null],
  ['wrong type', { ...good, name: 42 }, 400, 'validation-error', 'name'],
  ['missing field', (({ name, ...rest }) => rest)(good), 400, 'validation-error', 'name'],
  ['unknown field', { ...good, colour: 'teal' }, 400, 'validation-error', 'colour'],
  ['unknown nested field', { ...good, address: { ...good.address, county: 'Travis' } }, 400, 'validation-error', 'address.county'],
  ['invalid date', { ...good, go_live_date: '2026-13-01' }, 400, 'validation-error', 'go_live_date'],
  ['invalid time zone', { ...good, time_zone: 'US/Atlantis' }, 400, 'validation-error', 'time_zone'],
  ['negative money', { ...good, monthly_fee_cents: -1 }, 400, 'validation-error', 'monthly_fee_cents'],
  ['money as a decimal', { ...good, monthly_fee_cents: 12.5 }, 400, 'validation-error', 'monthly_fee_cents'],
  ['bad state code', { ...good, address: { ...good.address, state: 'ZZ' } }, 400, 'validation-error', 'address.state'],
  ['latitude out of range', { ...good, location: { latitude: 123, longitude: 0 } }, 400, 'validation-error', 'location.latitude'],
];

for (const [name, body, status, type, field] of cases) {
  test(`POST /api/v1/facilities with ${name} -> ${status} ${type}`, async () => {
    const r = await post('/api/v1/facilities', body);
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal(r.type, 'application/problem+json');
    assert.equal(slug(r.body), type);
    assert.equal(r.body.status, status);
    assert.ok(r.body.title && r.body.detail);
    if (field) assert.ok(r.body.errors.some((e) => e.field === field), JSON.stringify(r.body.errors));
  });
}

test('nothing was half-written by the bad requests', async () => {
  const r = await fetch(`${server.baseUrl}/api/v1/facilities`, { headers: admin.headers() });
  const { items } = await r.json();
  assert.equal(items.length, 3);
  assert.ok(!items.some((f) => f.name === 'Riverbend Clinic'));
});

test('unknown route is 404 not-found', async () => {
  const r = await fetch(`${server.baseUrl}/api/v1/no-such-thing`, { headers: admin.headers() });
  assert.equal(r.status, 404);
  assert.equal(slug(await r.json()), 'not-found');
});

test('wrong method is 405 with Allow', async () => {
  const r = await fetch(`${server.baseUrl}/api/v1/facilities`, { method: 'DELETE', headers: admin.headers() });
  assert.equal(r.status, 405);
  assert.match(r.headers.get('allow'), /GET/);
  assert.equal(slug(await r.json()), 'method-not-allowed');
});

test('missing auth is 401 unauthenticated; a bogus token too', async () => {
  let r = await fetch(`${server.baseUrl}/api/v1/facilities`);
  assert.equal(r.status, 401);
  assert.equal(slug(await r.json()), 'unauthenticated');
  r = await fetch(`${server.baseUrl}/api/v1/facilities`, { headers: { authorization: 'Bearer not-a-real-token' } });
  assert.equal(r.status, 401);
});

test('forbidden is 403 forbidden', async () => {
  const r = await post('/api/v1/facilities', good, manager.headers({ 'content-type': 'application/json' }));
  assert.equal(r.status, 403);
  assert.equal(slug(r.body), 'forbidden');
});

test('wrong content type is 415', async () => {
  const r = await post('/api/v1/facilities', JSON.stringify(good), admin.headers({ 'content-type': 'text/plain' }));
  assert.equal(r.status, 415);
  assert.equal(slug(r.body), 'unsupported-media-type');
});

test('a body over 1 MiB is 413 payload-too-large, answered before it is read', async () => {
  const response = await new Promise((resolve, reject) => {
    const s = net.connect(server.port, '127.0.0.1', () => {
      s.write(`POST /api/v1/facilities HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
              `Authorization: Bearer ${admin.token}\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n{"name":`);
    });
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('end', () => resolve(data));
    s.on('error', reject);
    setTimeout(() => { s.destroy(); resolve(data); }, 5000);
  });
  assert.match(response, /^HTTP\/1\.1 413/);
  assert.match(response, /application\/problem\+json/);
  assert.match(response, /payload-too-large/);
});

test('a malformed HTTP request is 400, not a crash', async () => {
  const response = await new Promise((resolve) => {
    const s = net.connect(server.port, '127.0.0.1', () => s.write('GARBAGE / HTTP/9.9\r\n\r\n'));
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('close', () => resolve(data));
    setTimeout(() => { s.destroy(); resolve(data); }, 3000);
  });
  assert.match(response, /^HTTP\/1\.1 400/);
  const r = await fetch(`${server.baseUrl}/healthz`);
  assert.equal(r.status, 200);
});

test('bad query parameters are 400 naming the parameter', async () => {
  const r = await fetch(`${server.baseUrl}/api/v1/audit/events?limit=9999`, { headers: admin.headers() });
  assert.equal(r.status, 400);
  const body = await r.json();
  assert.equal(body.errors[0].field, 'limit');
});

test('a non-numeric id is 404, not 500', async () => {
  const r = await fetch(`${server.baseUrl}/api/v1/facilities/abc`, { headers: admin.headers() });
  assert.equal(r.status, 404);
});
