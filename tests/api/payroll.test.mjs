// Payroll through the real binary (issue 5, parts 3-5) on the demo's worked history: pay
// settings with field-named errors, a draft pay run whose pay lines come from exactly the
// approved timesheets of the period, the invariants of each statement, finalize once,
// nothing paid twice, the exports (CSV, XLSX, NACHA, PDF), the clinician's own statements,
// and who may do what.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, freshDatabase, login, demo, binary } from '../lib/server.mjs';

const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
let db, server, admin, billing, manager, clinician, auditor;

async function call(who, method, path, body) {
  const r = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: body === undefined ? who.headers() : who.headers({ 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = r.headers.get('content-type') || '';
  const buf = Buffer.from(await r.arrayBuffer());
  return { status: r.status, type, headers: r.headers, buf, body: type.includes('json') ? JSON.parse(buf.toString()) : buf.toString() };
}
const fieldOf = (res) => (res.body.errors || []).map((e) => `${e.field}:${e.code}`);
function sql(text) {
  if (pg) return execFileSync('psql', [db.url, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' });
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.path, text], { encoding: 'utf8' });
}
const day = (n) => new Date(n * 86400000).toISOString().slice(0, 10);
// The demo pays biweekly from Sunday 2026-01-04 (day 20457); its history covers the two
// periods before the current one.
const today = Math.floor(Date.now() / 86400000);
const current = 20457 + Math.floor((today - 20457) / 14) * 14;
const first = current - 28;

before(async () => {
  db = freshDatabase();
  server = await startServer({ databaseUrl: db.url });
  admin = await login(server.baseUrl, demo.users.mso_admin);
  billing = await login(server.baseUrl, demo.users.billing);
  manager = await login(server.baseUrl, demo.users.facility_manager);
  clinician = await login(server.baseUrl, demo.users.clinician);
  auditor = await login(server.baseUrl, demo.users.auditor);
});
after(async () => {
  await server?.stop();
  db?.drop();
});

test('pay settings: defaults, and bad values each named', async () => {
  const s = await call(billing, 'GET', '/api/v1/pay-settings');
  assert.equal(s.status, 200);
  assert.equal(s.body.frequency, 'biweekly');
  assert.equal(s.body.period_anchor, '2026-01-04');
  const bad = await call(billing, 'PUT', '/api/v1/pay-settings', {
    ...s.body, frequency: 'monthly', odfi_routing: '021000022', period_anchor: '2026-01-05', instant_pay_fee_cents: -1,
    differentials: [{ code: 'NIGHT', kind: 'moonlight', amount_type: 'flat_per_hour', amount: 300 }],
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.type, 'application/problem+json');
  const fields = fieldOf(bad).map((f) => f.split(':')[0]).sort();
  for (const f of ['frequency', 'odfi_routing', 'period_anchor', 'instant_pay_fee_cents', 'differentials.0.kind'])
    assert.ok(fields.includes(f), `${f} not in ${fields.join()}`);
  assert.equal((await call(manager, 'PUT', '/api/v1/pay-settings', s.body)).status, 403);
  // A night differential of $3/h from 19:00 to 07:00 (data, PAY-DIFF-*).
  const ok = await call(billing, 'PUT', '/api/v1/pay-settings', {
    ...s.body, instant_pay_fee_cents: 299,
    differentials: [{ code: 'NIGHT', kind: 'daily_window', amount_type: 'flat_per_hour', amount: 300,
      window_start_minute: 1140, window_end_minute: 420 }],
  });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.differentials[0].code, 'NIGHT');
});

let run;
test('a draft pays exactly the approved timesheets of the period, line by line', async () => {
  assert.equal((await call(manager, 'POST', '/api/v1/pay-runs', { period_start: day(first) })).status, 403);
  assert.equal((await call(clinician, 'POST', '/api/v1/pay-runs', { period_start: day(first) })).status, 403);
  const notStart = await call(billing, 'POST', '/api/v1/pay-runs', { period_start: day(first + 1) });
  assert.equal(notStart.status, 400);
  assert.deepEqual(fieldOf(notStart), ['period_start:not_period_start']);

  const r = await call(billing, 'POST', '/api/v1/pay-runs', { period_start: day(first) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  run = r.body;
  assert.equal(run.status, 'draft');
  assert.equal(run.period_end, day(first + 14));
  assert.ok(run.statements > 10, String(run.statements));
  assert.deepEqual(run.exceptions, []);

  const list = await call(billing, 'GET', `/api/v1/pay-runs/${run.id}/statements`);
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, run.statements);
  let gross = 0;
  const cited = new Set();
  for (const st of list.body.items) {
    assert.equal(st.regular_minutes + st.overtime_minutes + st.double_time_minutes, st.worked_minutes);
    gross += st.gross_cents;
    const full = await call(billing, 'GET', `/api/v1/pay-statements/${st.id}`);
    assert.equal(full.status, 200);
    let sum = 0;
    for (const l of full.body.lines) {
      sum += l.amount_cents;
      assert.ok(l.rule_id.length > 0, 'every line cites its rule');
      if (l.ref) cited.add(l.ref);
    }
    assert.equal(sum, st.net_due_cents, `lines add up to the net due of statement ${st.id}`);
  }
  assert.equal(gross, run.gross_cents);
  // The approved timesheets with minutes in the period, straight from the database.
  const startMs = Date.parse(run.period_start_at), endMs = Date.parse(run.period_end_at);
  const approved = sql(`SELECT id FROM timesheets WHERE status = 'approved' AND clock_in < ${endMs} AND clock_out > ${startMs}`)
    .trim().split('\n').filter(Boolean).map(Number);
  assert.deepEqual([...cited].sort((a, b) => a - b), approved.sort((a, b) => a - b));
  // Night hours carry the differential.
  const nights = sql(`SELECT COUNT(*) FROM pay_lines WHERE run_id = ${run.id} AND code = 'DIFF:NIGHT'`).trim();
  assert.ok(Number(nights) > 0);
});

test('finalize once; the same minutes are never paid twice', async () => {
  assert.equal((await call(auditor, 'POST', `/api/v1/pay-runs/${run.id}/finalize`, {})).status, 403);
  const f = await call(billing, 'POST', `/api/v1/pay-runs/${run.id}/finalize`, {});
  assert.equal(f.status, 200, JSON.stringify(f.body));
  assert.equal(f.body.status, 'finalized');
  const again = await call(billing, 'POST', `/api/v1/pay-runs/${run.id}/finalize`, {});
  assert.equal(again.status, 409);
  assert.ok(again.body.type.endsWith('already-finalized'));
  const second = await call(billing, 'POST', '/api/v1/pay-runs', { period_start: day(first), kind: 'adjustment' });
  assert.equal(second.status, 409);
  assert.ok(second.body.type.endsWith('nothing-to-pay'));
  const discard = await call(billing, 'POST', `/api/v1/pay-runs/${run.id}/discard`, {});
  assert.equal(discard.status, 409, 'a finalized run is immutable');
  // Two drafts of the next period: only the first finalized one pays.
  const a = await call(billing, 'POST', '/api/v1/pay-runs', { period_start: day(first + 14) });
  const b = await call(billing, 'POST', '/api/v1/pay-runs', { period_start: day(first + 14) });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.equal((await call(billing, 'POST', `/api/v1/pay-runs/${a.body.id}/finalize`, {})).status, 200);
  const late = await call(billing, 'POST', `/api/v1/pay-runs/${b.body.id}/finalize`, {});
  assert.equal(late.status, 409);
  assert.ok(late.body.type.endsWith('already-paid'));
  assert.equal((await call(billing, 'GET', `/api/v1/pay-runs/${b.body.id}`)).body.status, 'draft');
  assert.equal((await call(billing, 'POST', `/api/v1/pay-runs/${b.body.id}/discard`, {})).body.status, 'discarded');
});

test('exports: register CSV and XLSX, the contractors NACHA file, statement PDF', async () => {
  const csv = await call(billing, 'GET', `/api/v1/pay-runs/${run.id}/register.csv?worker_type=all`);
  assert.equal(csv.status, 200);
  assert.match(csv.type, /^text\/csv/);
  const rows = csv.body.trim().split('\r\n');
  assert.equal(rows.length, run.statements + 2, 'header + one row per statement + totals');
  assert.ok(rows[rows.length - 1].includes((run.gross_cents / 100).toFixed(2)), rows[rows.length - 1]);
  const bad = await call(billing, 'GET', `/api/v1/pay-runs/${run.id}/register.csv?worker_type=intern`);
  assert.equal(bad.status, 400);
  const xlsx = await call(billing, 'GET', `/api/v1/pay-runs/${run.id}/register.xlsx`);
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.buf.subarray(0, 2).toString(), 'PK');

  // Contractors need a bank account; the error names the first one missing.
  const missing = await call(billing, 'GET', `/api/v1/pay-runs/${run.id}/nacha`);
  assert.equal(missing.status, 400);
  assert.match(fieldOf(missing)[0], /^clinicians\.\d+\.bank_account:required$/);
  const contractors = sql(`SELECT DISTINCT clinician_id FROM pay_statements WHERE run_id = ${run.id} AND worker_type = '1099' AND net_due_cents > 0`)
    .trim().split('\n').filter(Boolean).map(Number);
  assert.ok(contractors.length > 0);
  const badBank = await call(billing, 'PUT', `/api/v1/clinicians/${contractors[0]}/pay-terms`,
    { bank_routing: '021000022', bank_account: '12' });
  assert.equal(badBank.status, 400);
  assert.deepEqual(fieldOf(badBank).sort(), ['bank_account:invalid', 'bank_routing:check_digit']);
  for (const c of contractors) {
    const t = await call(billing, 'PUT', `/api/v1/clinicians/${c}/pay-terms`,
      { bank_routing: '091000019', bank_account: `8800${c}77`, bank_account_type: 'savings' });
    assert.equal(t.status, 200, JSON.stringify(t.body));
    const account = `8800${c}77`;
    assert.equal(t.body.bank_account, '*'.repeat(account.length - 4) + account.slice(-4), 'the account number is masked');
  }
  const nacha = await call(billing, 'GET', `/api/v1/pay-runs/${run.id}/nacha`);
  assert.equal(nacha.status, 200, nacha.body);
  const lines = nacha.body.split('\n').filter(Boolean);
  assert.equal(lines.length % 10, 0);
  assert.ok(lines.every((l) => l.length === 94));
  const entries = lines.filter((l) => l[0] === '6');
  assert.equal(entries.length, contractors.length);
  assert.ok(entries.every((l) => l.slice(1, 3) === '32'), 'savings credits');
  const total = entries.reduce((s, l) => s + Number(l.slice(29, 39)), 0);
  const due = Number(sql(`SELECT SUM(net_due_cents) FROM pay_statements WHERE run_id = ${run.id} AND worker_type = '1099' AND net_due_cents > 0`));
  assert.equal(total, due);

  const st = (await call(billing, 'GET', `/api/v1/pay-runs/${run.id}/statements`)).body.items[0];
  const pdf = await call(billing, 'GET', `/api/v1/pay-statements/${st.id}/pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.type, 'application/pdf');
  assert.equal(pdf.buf.subarray(0, 5).toString(), '%PDF-');
});

test('a clinician sees only their own finalized statements; instant pay is for contractors', async () => {
  const mine = await call(clinician, 'GET', '/api/v1/me/pay-statements');
  assert.equal(mine.status, 200);
  assert.ok(mine.body.items.length >= 1);
  assert.ok(mine.body.items.every((s) => s.clinician_id === 1));
  const own = await call(clinician, 'GET', `/api/v1/pay-statements/${mine.body.items[0].id}/pdf`);
  assert.equal(own.status, 200);
  const other = sql(`SELECT id FROM pay_statements WHERE run_id = ${run.id} AND clinician_id <> 1 LIMIT 1`).trim();
  assert.equal((await call(clinician, 'GET', `/api/v1/pay-statements/${other}`)).status, 404);
  assert.ok([403, 404].includes((await call(manager, 'GET', `/api/v1/pay-statements/${other}`)).status));
  assert.equal((await call(manager, 'GET', `/api/v1/pay-runs/${run.id}`)).status, 403);
  // Riley is a W-2 employee: the pay run pays her.
  const ts = sql("SELECT id FROM timesheets WHERE clinician_id = 1 AND status = 'approved' LIMIT 1").trim();
  const ip = await call(clinician, 'POST', `/api/v1/timesheets/${ts}/instant-pay`, {});
  assert.equal(ip.status, 409);
  assert.ok(ip.body.type.endsWith('not-contractor') || ip.body.type.endsWith('already-paid'), ip.body.type);
});

test('pay runs and statement reads are in the audit trail', async () => {
  const audit = await call(admin, 'GET', '/api/v1/audit/events?limit=500');
  const actions = new Set(audit.body.items.map((e) => e.action));
  for (const a of ['pay_settings.update', 'pay_run.create', 'pay_run.finalize', 'pay_statement.read', 'pay_run.export', 'clinician_pay.update'])
    assert.ok(actions.has(a), `missing ${a}`);
});

test('no personal data in the server log (names, emails, bank accounts)', async () => {
  // The structured log lines (the demo-login banner printed at start is not a log).
  const log = server.output().split('\n').filter((l) => l.startsWith('{')).join('\n');
  assert.ok(log.length > 0);
  for (const needle of ['Riley', 'Nguyen', 'riley.nguyen@', 'clinician@demo.openmso.org', '091000019'])
    assert.ok(!log.includes(needle), `the log contains ${needle}`);
});

test('the CLI runs and finalizes a pay run on its own database; a bad period is named', () => {
  const other = freshDatabase();
  try {
    const env = { ...process.env, OPENMSO_DATABASE_URL: other.url };
    execFileSync(binary, ['seed', '--demo'], { env, encoding: 'utf8' });
    const out = execFileSync(binary, ['payroll', 'run', '--period-start', day(first), '--finalize'], { env, encoding: 'utf8' });
    assert.match(out, /^pay run \d+ \(finalized\) .* \d+ statements, \d+ timesheets, gross \d+\.\d\d/);
    let failed;
    try { execFileSync(binary, ['payroll', 'run', '--period-start', day(first + 1)], { env, encoding: 'utf8', stdio: 'pipe' }); }
    catch (e) { failed = e; }
    assert.ok(failed, 'a day that starts no pay period is refused');
    assert.match(String(failed.stderr), /period_start/);
  } finally {
    other.drop();
  }
});
