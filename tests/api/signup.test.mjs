// Self sign-up of per-diem clinicians through the real binary (issue 3 part 1): the link
// arrives through the outbox (here the development file sender), only its token's hash is
// stored (SIGNUP-TOKEN), it works once and for 24 hours; a known email gets the same answer
// (no user enumeration); the new clinician starts applied, cannot be offered shifts until
// credentialing staff make them active (CRED-STATUS-FLOW), and reads the reason of a
// rejection. Sign-up is throttled per address like sign-in. Runs on SQLite, and on
// PostgreSQL when OPENMSO_TEST_PG_ADMIN_URL is set (scripts/with-postgres.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, freshDatabase, login, demo } from '../lib/server.mjs';

const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
let db, server, dir, outbox, cred, admin;

async function post(path, body, headers = {}) {
  const r = await fetch(`${server.baseUrl}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
  });
  const type = r.headers.get('content-type') || '';
  return { status: r.status, body: type.includes('json') ? await r.json() : await r.text() };
}
async function call(who, method, path, body) {
  const r = await fetch(`${server.baseUrl}${path}`, {
    method, headers: who.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}
const fieldOf = (res) => (res.body.errors || []).map((e) => `${e.field}:${e.code}`);
function sql(text) {
  if (pg) return execFileSync('psql', [db.url, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' });
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.path, text], { encoding: 'utf8' });
}
async function until(what, fn, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
// The file sender's log, with quoted-printable bodies decoded (soft breaks and =XX).
const outboxText = () => (existsSync(outbox) ? readFileSync(outbox, 'utf8') : '')
  .replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
const hashOf = (token) => createHash('sha256').update(token).digest('hex');
// The confirmation token mailed to `email` (the last one), from the file sender's log.
async function mailedToken(email) {
  return await until(`the link to ${email}`, () => {
    const messages = outboxText().split(/^From /m).filter((m) => m.includes(`\nTo: ${email}\n`));
    const last = messages.at(-1);
    const m = last && last.match(/\/signup\/confirm\?token=([A-Za-z0-9_-]+)/);
    return m && m[1];
  });
}
const nurse = (email, extra = {}) => ({
  first_name: 'Dana', last_name: 'Okafor', email, password: 'a-long-enough-password', phone: '+1 312 555 0142',
  discipline: 'RN', home: { latitude: 41.88, longitude: -87.63 }, travel_radius_km: 40, ...extra,
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openmso-signup-'));
  outbox = join(dir, 'outbox.log');
  db = freshDatabase();
  server = await startServer({
    databaseUrl: db.url,
    env: {
      OPENMSO_JOBS_INTERVAL_SECONDS: '1',
      OPENMSO_NOTIFY_EMAIL_URL: `file:${outbox}`,
      OPENMSO_PUBLIC_URL: 'https://mso.example.org',
      OPENMSO_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE: '40',
    },
  });
  cred = await login(server.baseUrl, demo.users.credentialing);
  admin = await login(server.baseUrl, demo.users.mso_admin);
});
after(async () => {
  await server?.stop();
  db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('sign up, confirm once by the emailed link, start applied, become active through staff decisions', async () => {
  const email = 'dana.okafor@example.org';
  const r = await post('/api/v1/signup', nurse('  Dana.Okafor@Example.org '));
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.deepEqual(r.body, { status: 'confirmation_sent' });
  const token = await mailedToken(email);
  // A real message with the link to the configured public URL.
  const message = outboxText().split(/^From /m).find((m) => m.includes(token));
  assert.match(message, /\nSubject: Confirm your OpenMSO sign-up\n/);
  assert.match(message, /\nMessage-ID: <outbox-\d+\.\d+@localhost>\n/);
  assert.ok(message.includes(`https://mso.example.org/signup/confirm?token=${token}`));
  // Only the hash is at rest; the token is nowhere in the database.
  const stored = sql(`SELECT token_hash FROM signups WHERE email = '${email}'`).trim();
  assert.equal(stored, hashOf(token));
  assert.equal(sql(`SELECT COUNT(*) FROM notification_outbox WHERE payload LIKE '%${token}%'`).trim(), '0');
  assert.equal(sql(`SELECT COUNT(*) FROM users WHERE email = '${email}'`).trim(), '0');

  const wrong = await post('/api/v1/signup/confirm', { token: 'not-the-token' });
  assert.equal(wrong.status, 400);
  assert.deepEqual(fieldOf(wrong), ['token:invalid_token']);
  const ok = await post('/api/v1/signup/confirm', { token });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.status, 'applied');
  const again = await post('/api/v1/signup/confirm', { token });
  assert.deepEqual(fieldOf(again), ['token:invalid_token']);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_events WHERE action = 'signup.confirm' AND entity_id = '${ok.body.user_id}'`).trim(), '1');

  // The new clinician signs in with the sign-up's password and sees their own profile.
  const dana = await login(server.baseUrl, email, 'a-long-enough-password');
  assert.equal(dana.user.role, 'clinician');
  assert.equal(dana.user.clinician_id, ok.body.clinician_id);
  const profile = await call(dana, 'GET', `/api/v1/clinicians/${ok.body.clinician_id}/profile`);
  assert.equal(profile.status, 200);
  assert.equal(profile.body.status, 'applied');
  assert.deepEqual(profile.body.disciplines, ['RN']);
  assert.equal(profile.body.employment_type, 'per_diem');
  assert.equal(profile.body.phone, '+1 312 555 0142');
  assert.equal(profile.body.travel_radius_km, 40);

  // Only active clinicians can be offered shifts: while applied, compliance says so and the
  // feed of open shifts is empty.
  const facility = sql('SELECT id FROM facilities ORDER BY id LIMIT 1').trim();
  const compliance = await call(cred, 'GET', `/api/v1/clinicians/${ok.body.clinician_id}/compliance?facility_id=${facility}`);
  assert.equal(compliance.status, 200, JSON.stringify(compliance.body));
  assert.equal(compliance.body.status, 'non_compliant');
  assert.ok(compliance.body.reasons.some((x) => x.code === 'clinician_not_active'), JSON.stringify(compliance.body));
  const feed = await call(dana, 'GET', '/api/v1/me/open-shifts');
  assert.equal(feed.status, 200, JSON.stringify(feed.body));
  assert.equal(feed.body.items.length, 0);

  // applied -> verifying -> rejected with a reason Dana reads; she re-applies and is made active.
  for (const [status, reason] of [['verifying', ''], ['rejected', 'No RN license on file'], ['verifying', ''], ['active', '']]) {
    const moved = await call(cred, 'POST', `/api/v1/clinicians/${ok.body.clinician_id}/status`, { status, reason });
    assert.equal(moved.status, 200, `${status}: ${JSON.stringify(moved.body)}`);
    if (status === 'rejected') {
      const seen = await call(dana, 'GET', `/api/v1/clinicians/${ok.body.clinician_id}/profile`);
      assert.equal(seen.body.status, 'rejected');
      assert.equal(seen.body.status_reason, 'No RN license on file');
    }
  }
  const skipped = await call(cred, 'POST', `/api/v1/clinicians/${ok.body.clinician_id}/status`, { status: 'applied' });
  assert.equal(skipped.status, 409);
  const after = await call(cred, 'GET', `/api/v1/clinicians/${ok.body.clinician_id}/compliance?facility_id=${facility}`);
  assert.ok(!after.body.reasons.some((x) => x.code === 'clinician_not_active'), JSON.stringify(after.body));
  // She is told of each decision through the outbox.
  await until('the status notices', () => Number(sql(`SELECT COUNT(*) FROM notification_outbox WHERE template = 'clinician.status_changed'
    AND user_id = ${ok.body.user_id} AND status = 'sent'`).trim()) === 4);
  assert.match(outboxText(), /Your OpenMSO clinician status is now: rejected\.\n\nReason: No RN license on file/);
});

test('a known email gets the same answer and a notice instead of a link (no user enumeration)', async () => {
  const known = await post('/api/v1/signup', nurse(demo.users.clinician));
  const fresh = await post('/api/v1/signup', nurse('someone.new@example.org'));
  assert.equal(known.status, 202);
  assert.deepEqual(known.body, fresh.body);
  assert.equal(sql(`SELECT COUNT(*) FROM signups WHERE email = '${demo.users.clinician}'`).trim(), '0');
  const notice = await until('the notice', () => outboxText().split(/^From /m).find((m) => m.includes(`\nTo: ${demo.users.clinician}\n`)
    && m.includes('Subject: Your OpenMSO sign-up')));
  assert.ok(!/token=/.test(notice));
});

test('bad input is named by field; an expired link is refused', async () => {
  const bad = await post('/api/v1/signup', nurse('not-an-email', { password: 'short', discipline: 'WIZARD', travel_radius_km: 0, shoe: 9 }));
  assert.equal(bad.status, 400);
  assert.deepEqual(fieldOf(bad).sort(), ['email:invalid_email', 'password:weak_password', 'shoe:unknown_field'].sort());
  const disc = await post('/api/v1/signup', nurse('x1@example.org', { discipline: 'WIZARD' }));
  assert.deepEqual(fieldOf(disc), ['discipline:unknown_discipline']);
  const radius = await post('/api/v1/signup', nurse('x2@example.org', { travel_radius_km: 0 }));
  assert.deepEqual(fieldOf(radius), ['travel_radius_km:out_of_range']);
  const missing = await post('/api/v1/signup', { email: 'x3@example.org' });
  assert.ok(fieldOf(missing).includes('password:required') && fieldOf(missing).includes('home:required'), JSON.stringify(missing.body));

  const email = 'late.nurse@example.org';
  assert.equal((await post('/api/v1/signup', nurse(email))).status, 202);
  const token = await mailedToken(email);
  assert.equal(sql(`SELECT token_hash FROM signups WHERE email = '${email}'`).trim(), hashOf(token));
  sql(`UPDATE signups SET expires_at = ${Date.now() - 1000} WHERE email = '${email}'`);
  const expired = await post('/api/v1/signup/confirm', { token });
  assert.deepEqual(fieldOf(expired), ['token:invalid_token']);
  assert.equal(sql(`SELECT COUNT(*) FROM users WHERE email = '${email}'`).trim(), '0');
});

test('sign-up is throttled per client address like sign-in', async () => {
  const small = await startServer({ env: { OPENMSO_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE: '2', OPENMSO_JOBS_INTERVAL_SECONDS: '0' } });
  try {
    const go = (i) => fetch(`${small.baseUrl}/api/v1/signup`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(nurse(`t${i}@example.org`)),
    });
    assert.equal((await go(1)).status, 202);
    assert.equal((await go(2)).status, 202);
    const third = await go(3);
    assert.equal(third.status, 429);
    assert.equal((await third.json()).type, 'https://openmso.org/problems/too-many-attempts');
    const confirm = await fetch(`${small.baseUrl}/api/v1/signup/confirm`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'x' }),
    });
    assert.equal(confirm.status, 429);
  } finally {
    await small.stop();
  }
});
