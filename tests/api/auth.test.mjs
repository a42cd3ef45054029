// Sign-in, cookies, CSRF, sign-out and lock-out against the real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, demo } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

function cookiesOf(res) { return res.headers.getSetCookie(); }

test('login answers a token, the user and HttpOnly SameSite cookies', async () => {
  const r = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demo.users.mso_admin, password: demo.password }),
  });
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.ok(body.token.length >= 40);
  assert.equal(body.user.role, 'mso_admin');
  assert.equal(body.user.email, demo.users.mso_admin);
  const cookies = cookiesOf(r);
  const session = cookies.find((c) => c.startsWith('openmso_session='));
  assert.match(session, /HttpOnly/);
  assert.match(session, /SameSite=Strict/);
  assert.doesNotMatch(session, /Secure/);  // plain HTTP here; Secure behind TLS
  assert.ok(cookies.find((c) => c.startsWith('openmso_csrf=')));
});

test('cookies are Secure when a trusted proxy says the client used TLS', async () => {
  const proxied = await startServer({ env: { OPENMSO_TRUST_PROXY: 'true' } });
  try {
    const r = await fetch(`${proxied.baseUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ email: demo.users.auditor, password: demo.password }),
    });
    assert.equal(r.status, 200);
    assert.ok(cookiesOf(r).every((c) => /; Secure/.test(c)));
  } finally { await proxied.stop(); }
});

test('wrong password is 401 invalid-credentials; unknown email looks the same', async () => {
  for (const email of [demo.users.billing, 'nobody@example.org']) {
    const r = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'definitely-wrong-pw' }),
    });
    assert.equal(r.status, 401);
    assert.equal((await r.json()).type, 'https://openmso.org/problems/invalid-credentials');
  }
});

test('cookie sessions need the CSRF header to change anything; logout revokes', async () => {
  const r = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demo.users.credentialing, password: demo.password }),
  });
  const { csrf_token } = await r.json();
  const cookie = cookiesOf(r).map((c) => c.split(';')[0]).join('; ');
  let me = await fetch(`${server.baseUrl}/api/v1/me`, { headers: { cookie } });
  assert.equal(me.status, 200);
  let out = await fetch(`${server.baseUrl}/api/v1/auth/logout`, { method: 'POST', headers: { cookie } });
  assert.equal(out.status, 403);
  assert.equal((await out.json()).type, 'https://openmso.org/problems/csrf-failed');
  out = await fetch(`${server.baseUrl}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf_token } });
  assert.equal(out.status, 204);
  me = await fetch(`${server.baseUrl}/api/v1/me`, { headers: { cookie } });
  assert.equal(me.status, 401);
});

test('the session endpoint reports idle and absolute expiry', async () => {
  const a = await login(server.baseUrl, demo.users.auditor);
  const r = await fetch(`${server.baseUrl}/api/v1/auth/session`, { headers: a.headers() });
  assert.equal(r.status, 200);
  const s = await r.json();
  const idleMinutes = (Date.parse(s.idle_expires_at) - Date.now()) / 60000;
  assert.ok(idleMinutes > 13 && idleMinutes <= 15.1, `idle window ${idleMinutes} min`);
  assert.ok(Date.parse(s.expires_at) > Date.parse(s.idle_expires_at));
});

test('five wrong passwords lock the account for a while (429), even with the right one', async () => {
  const email = demo.users.billing;
  for (let i = 0; i < 5; i++) {
    await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: `wrong-password-${i}` }),
    });
  }
  const r = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: demo.password }),
  });
  assert.equal(r.status, 429);
  assert.equal((await r.json()).type, 'https://openmso.org/problems/too-many-attempts');
});
