// The notification outbox through the real binary (issue 3 part 8): expiry alerts at
// 60/30/7 days once per credential (NOTIFY-EXPIRY-THRESHOLDS, NOTIFY-EXPIRY-ONCE) to the
// clinician and credentialing staff, delivered as real RFC 5322 email to a local SMTP sink
// (Debian's python3-aiosmtpd) and as JSON to a local SMS webhook; per-user channel
// preferences (NOTIFY-CHANNEL); a failing sink retried with backoff until dead
// (NOTIFY-BACKOFF) with no personal data in last_error. Runs on SQLite, and on PostgreSQL
// when OPENMSO_TEST_PG_ADMIN_URL is set (scripts/with-postgres.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, freshDatabase, freePort, login, demo } from '../lib/server.mjs';

const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
const RILEY = 1;  // the demo clinician; her BLS expires in 20 days, her ACLS waits for verification
let db, server, smtp, mailRoot, mailDir, webhook, admin, cred, clinician;
const sms = [];           // bodies the webhook received
let smsFailing = false;   // the webhook answers 503 while set

const json = (who) => who.headers({ 'content-type': 'application/json' });
async function call(who, method, path, body) {
  const r = await fetch(`${server.baseUrl}${path}`, {
    method, headers: body === undefined ? who.headers() : json(who), body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = r.headers.get('content-type') || '';
  return { status: r.status, body: type.includes('json') ? await r.json() : await r.text() };
}
const fieldOf = (res) => (res.body.errors || []).map((e) => `${e.field}:${e.code}`);
function sql(text) {
  if (pg) return execFileSync('psql', [db.url, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' });
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.path, text], { encoding: 'utf8' });
}
const rows = (text) => sql(text).trim().split('\n').filter(Boolean).map((l) => l.split('|'));
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
async function until(what, fn, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
// The messages in the SMTP sink's maildir, parsed into { headers (lower-case names), body }.
function mails() {
  const out = [];
  for (const sub of ['new', 'cur']) {
    let names = [];
    try { names = readdirSync(join(mailDir, sub)); } catch { continue; }
    for (const n of names) {
      const raw = readFileSync(join(mailDir, sub, n), 'utf8');
      const split = raw.search(/\r?\n\r?\n/);
      const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
      const headers = {};
      for (const line of head.split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      out.push({ headers, body: raw.slice(split).trim(), raw });
    }
  }
  return out;
}
// RFC 2047 B-encoded words back to text.
// White space between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
const decodeWords = (s) => s.replace(/\?=\s+=\?/g, '?==?')
  .replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b) => Buffer.from(b, 'base64').toString('utf8'));

before(async () => {
  const smtpPort = await freePort();
  mailRoot = mkdtempSync(join(tmpdir(), 'openmso-mail-'));
  mailDir = join(mailRoot, 'maildir');  // the Mailbox handler creates the maildir (cur, new, tmp) itself
  // Debian's interpreter, where python3-aiosmtpd is installed (a python3 earlier on PATH may lack it).
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  smtp = spawn(python, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', mailDir],
    { stdio: 'ignore' });
  await until('the SMTP sink', () => new Promise((ok) => {
    const s = net.connect(smtpPort, '127.0.0.1', () => { s.end(); ok(true); });
    s.on('error', () => ok(false));
  }));
  webhook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (smsFailing) { res.writeHead(503); res.end('busy'); return; }
      sms.push({ auth: req.headers.authorization, type: req.headers['content-type'], path: req.url, body: JSON.parse(body) });
      res.writeHead(202); res.end('{}');
    });
  });
  await new Promise((ok) => webhook.listen(0, '127.0.0.1', ok));
  db = freshDatabase();
  server = await startServer({
    databaseUrl: db.url,
    env: {
      OPENMSO_JOBS_INTERVAL_SECONDS: '1',
      OPENMSO_NOTIFY_EMAIL_URL: `smtp://127.0.0.1:${smtpPort}`,
      OPENMSO_NOTIFY_SMS_URL: `http://127.0.0.1:${webhook.address().port}/sms`,
      OPENMSO_NOTIFY_SMS_TOKEN: 'hook-secret',
      OPENMSO_NOTIFY_FROM: 'Équipe OpenMSO <noreply@demo.openmso.org>',
      OPENMSO_NOTIFY_MAX_ATTEMPTS: '3',
      OPENMSO_NOTIFY_BACKOFF_SECONDS: '1',
      OPENMSO_PUBLIC_URL: 'https://mso.example.org',
    },
  });
  admin = await login(server.baseUrl, demo.users.mso_admin);
  cred = await login(server.baseUrl, demo.users.credentialing);
  clinician = await login(server.baseUrl, demo.users.clinician);
});
after(async () => {
  await server?.stop();
  db?.drop();
  smtp?.kill();
  webhook?.close();
  if (mailRoot) rmSync(mailRoot, { recursive: true, force: true });
});

test('expiry alerts reach the clinician and credentialing staff once per threshold, as real email', async () => {
  // Riley's BLS expires in 20 days: the 30-day threshold, for her and for Casey (credentialing).
  const bls = rows(`SELECT id, expires_on FROM credentials WHERE clinician_id = ${RILEY} AND type_code = 'BLS'`)[0];
  await until('the alert rows', () => rows(`SELECT threshold_days FROM credential_expiry_alerts WHERE credential_id = ${bls[0]}`).length === 1);
  assert.deepEqual(rows(`SELECT threshold_days FROM credential_expiry_alerts WHERE credential_id = ${bls[0]}`), [['30']]);
  const clinicianMail = await until('Riley\'s email', () => mails().find((m) => m.headers.to === demo.users.clinician && m.headers.subject === 'BLS expires in 20 days'));
  const h = clinicianMail.headers;
  assert.match(h.date, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  assert.match(h['message-id'], /^<outbox-\d+\.\d+@demo\.openmso\.org>$/);
  assert.equal(decodeWords(h.from), 'Équipe OpenMSO <noreply@demo.openmso.org>');
  assert.match(h.from, /^=\?UTF-8\?B\?/);  // the non-ASCII display name is an encoded-word
  assert.equal(h['content-type'], 'text/plain; charset=UTF-8');
  assert.ok(clinicianMail.body.includes(bls[1]), clinicianMail.body);
  assert.equal(h['x-mailfrom'], 'noreply@demo.openmso.org');  // the SMTP envelope (added by the sink)
  const staffMail = await until('Casey\'s email', () => mails().find((m) => m.headers.to === demo.users.credentialing && m.headers.subject === 'BLS expires in 20 days'));
  assert.match(staffMail.body, /Riley Nguyen \(id 1\)/);
  await until('sent rows', () => rows(`SELECT status FROM notification_outbox WHERE template LIKE 'credential.expiring%' AND payload LIKE '%"credential_id":${bls[0]},%' AND status <> 'sent'`).length === 0);
  assert.deepEqual(rows(`SELECT DISTINCT channel FROM notification_outbox WHERE template LIKE 'credential.expiring%' AND status = 'sent'`), [['email']]);
  // Each delivery is audited as a system event.
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_events WHERE action = 'notification.sent' AND actor_role = 'system'`).trim()) >= 2);
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_events WHERE action = 'credential.expiry_alert' AND entity_id = '${bls[0]}'`).trim()) === 1);

  // A new credential expiring in 5 days gets only the 7-day notice; running the daily job
  // again (a new day) queues nothing twice.
  const created = await call(clinician, 'POST', `/api/v1/clinicians/${RILEY}/credentials`,
    { kind: 'certification', type_code: 'PALS', issuer: 'AHA', issued_on: day(-700), expires_on: day(5) });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const verified = await call(cred, 'POST', `/api/v1/credentials/${created.body.id}/verification`, { decision: 'approve', source: 'AHA eCard' });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  const before = Number(sql(`SELECT COUNT(*) FROM notification_outbox WHERE template LIKE 'credential.expiring%'`).trim());
  sql(`UPDATE daily_job_runs SET last_day = '2000-01-01'`);
  await until('the 7-day alert', () => rows(`SELECT threshold_days FROM credential_expiry_alerts WHERE credential_id = ${created.body.id}`).length === 1);
  assert.deepEqual(rows(`SELECT threshold_days FROM credential_expiry_alerts WHERE credential_id = ${created.body.id}`), [['7']]);
  const after = Number(sql(`SELECT COUNT(*) FROM notification_outbox WHERE template LIKE 'credential.expiring%'`).trim());
  assert.equal(after - before, 2, 'one to Riley, one to Casey; nothing again for the BLS');
  assert.deepEqual(rows(`SELECT threshold_days FROM credential_expiry_alerts WHERE credential_id = ${bls[0]}`), [['30']]);
});

test('channel preferences: defaults, bad input named by field, SMS by webhook, none skips', async () => {
  const mine = await call(clinician, 'GET', '/api/v1/me/notification-preferences');
  assert.equal(mine.status, 200);
  assert.equal(mine.body.sms_available, true);  // the demo profile has a phone number
  const kinds = mine.body.items.map((i) => i.kind);
  assert.ok(kinds.includes('credential.expiring') && kinds.includes('shift.cancelled'));
  assert.ok(mine.body.items.every((i) => i.channel === 'email' && i.is_default));
  const bad = await call(clinician, 'PUT', '/api/v1/me/notification-preferences',
    { items: [{ kind: 'cat.pictures', channel: 'email' }, { kind: 'shift.cancelled', channel: 'pigeon' }, { kind: 'claim.approved' }] });
  assert.equal(bad.status, 400);
  assert.deepEqual(fieldOf(bad).sort(), ['items.0.kind:invalid_value', 'items.1.channel:invalid_value', 'items.2.channel:required'].sort());
  const put = await call(clinician, 'PUT', '/api/v1/me/notification-preferences',
    { items: [{ kind: 'credential.verification_decided', channel: 'sms' }, { kind: 'clinician.status_changed', channel: 'none' }] });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const byKind = Object.fromEntries(put.body.items.map((i) => [i.kind, i]));
  assert.equal(byKind['credential.verification_decided'].channel, 'sms');
  assert.equal(byKind['credential.verification_decided'].is_default, false);
  assert.equal(byKind['clinician.status_changed'].channel, 'none');
  assert.equal(byKind['claim.approved'].channel, 'email');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_events WHERE action = 'notification_preferences.update' AND outcome = 'success'`).trim(), '1');
  // Another user's preferences are their own.
  const casey = await call(cred, 'GET', '/api/v1/me/notification-preferences');
  assert.ok(casey.body.items.every((i) => i.is_default));

  // Riley's ACLS is decided: the notice goes by SMS to her phone, through the webhook.
  const acls = rows(`SELECT id FROM credentials WHERE clinician_id = ${RILEY} AND verification = 'pending' ORDER BY id LIMIT 1`)[0][0];
  const decided = await call(cred, 'POST', `/api/v1/credentials/${acls}/verification`, { decision: 'reject', reason: 'Card photo unreadable' });
  assert.equal(decided.status, 200, JSON.stringify(decided.body));
  const phone = sql(`SELECT phone FROM clinicians WHERE id = ${RILEY}`).trim();
  const got = await until('the SMS', () => sms.find((m) => m.body.text.includes('Card photo unreadable')));
  assert.equal(got.path, '/sms');
  assert.equal(got.auth, 'Bearer hook-secret');
  assert.equal(got.type, 'application/json');
  assert.equal(got.body.to, phone);
  assert.match(got.body.reference, /^outbox-\d+$/);
  const id = got.body.reference.slice('outbox-'.length);
  await until('the sent row', () => sql(`SELECT status FROM notification_outbox WHERE id = ${id}`).trim() === 'sent');
  assert.equal(sql(`SELECT channel FROM notification_outbox WHERE id = ${id}`).trim(), 'sms');

  // A status change Riley chose "none" for is skipped, not sent.
  const suspended = await call(cred, 'POST', `/api/v1/clinicians/${RILEY}/status`, { status: 'suspended', reason: 'Audit hold' });
  assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
  const row = await until('the skipped row', () => rows(`SELECT id, status, channel FROM notification_outbox WHERE template = 'clinician.status_changed' AND status = 'skipped'`)[0]);
  assert.equal(row[2], 'none');
  assert.ok(!mails().some((m) => m.body.includes('Audit hold')));
});

test('a failing sink makes the row retry with backoff and finally dead, with no personal data in last_error', async () => {
  smsFailing = true;
  const pending = rows(`SELECT id FROM credentials WHERE clinician_id = ${RILEY} AND verification = 'pending' ORDER BY id LIMIT 1`)[0];
  let target;
  if (pending) target = pending[0];
  else {
    const c = await call(clinician, 'POST', `/api/v1/clinicians/${RILEY}/credentials`,
      { kind: 'health', type_code: 'FLU', issued_on: day(-10), expires_on: day(300) });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    target = c.body.id;
  }
  const start = Date.now();
  const decided = await call(cred, 'POST', `/api/v1/credentials/${target}/verification`, { decision: 'approve', source: 'clinic letter' });
  assert.equal(decided.status, 200, JSON.stringify(decided.body));
  const id = sql(`SELECT id FROM notification_outbox WHERE template = 'credential.verification_decided' ORDER BY id DESC LIMIT 1`).trim();
  // Attempt 1 fails, wait 1 s; attempt 2 fails, wait 2 s; attempt 3 fails: dead (max 3).
  const seen = new Set();
  await until('the dead row', () => {
    const [status, attempts] = rows(`SELECT status, attempts FROM notification_outbox WHERE id = ${id}`)[0];
    seen.add(`${status}:${attempts}`);
    return status === 'dead';
  }, 20000);
  const elapsed = Date.now() - start;
  const [status, attempts, lastError] = rows(`SELECT status, attempts, last_error FROM notification_outbox WHERE id = ${id}`)[0];
  assert.equal(status, 'dead');
  assert.equal(attempts, '3');
  assert.ok(elapsed >= 3000, `three attempts 1 s and 2 s apart took ${elapsed} ms`);
  assert.ok(seen.has('pending:1') || seen.has('pending:2'), [...seen].join(','));
  assert.match(lastError, /503/);
  const phone = sql(`SELECT phone FROM clinicians WHERE id = ${RILEY}`).trim();
  for (const secret of [phone, 'Riley', demo.users.clinician]) assert.ok(!lastError.includes(secret), lastError);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_events WHERE action = 'notification.dead' AND entity_id = '${id}'`).trim(), '1');
  assert.equal(sms.filter((m) => m.body.reference === `outbox-${id}`).length, 0);
  smsFailing = false;

  // Operations see the dead letter (no message text); clinicians may not look; bad filters are named.
  const dead = await call(admin, 'GET', '/api/v1/notifications?status=dead&limit=50');
  assert.equal(dead.status, 200, JSON.stringify(dead.body));
  const item = dead.body.items.find((x) => String(x.id) === id);
  assert.ok(item, JSON.stringify(dead.body));
  assert.equal(item.attempts, 3);
  assert.equal(item.template, 'credential.verification_decided');
  assert.match(item.last_error, /503/);
  assert.ok(dead.body.items.every((x) => x.status === 'dead' && !('payload' in x)));
  assert.equal((await call(clinician, 'GET', '/api/v1/notifications')).status, 403);
  const badFilter = await call(admin, 'GET', '/api/v1/notifications?status=lost');
  assert.equal(badFilter.status, 400);
  assert.deepEqual(fieldOf(badFilter), ['status:invalid_value']);
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_events WHERE action = 'notification.list'`).trim()) >= 1);
});
