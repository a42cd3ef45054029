// Facility billing through the real binary (issue 5, part 6) on the demo's worked history:
// service agreements with field-named errors, an invoice run whose labor lines trace to
// exactly the approved timesheets (the same ones the pay run pays), gap-free numbers on
// finalize, nothing billed twice, the PDF, payments, a credit memo for a dispute and the
// A/R aging buckets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, freshDatabase, login, demo } from '../lib/server.mjs';

const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
let db, server, billing, manager, auditor;

async function call(who, method, path, body) {
  const r = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: body === undefined ? who.headers() : who.headers({ 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = r.headers.get('content-type') || '';
  const buf = Buffer.from(await r.arrayBuffer());
  return { status: r.status, type, buf, body: type.includes('json') ? JSON.parse(buf.toString()) : buf.toString() };
}
const fieldOf = (res) => (res.body.errors || []).map((e) => `${e.field}:${e.code}`);
function sql(text) {
  if (pg) return execFileSync('psql', [db.url, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' });
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.path, text], { encoding: 'utf8' });
}
const ids = (text) => text.trim().split('\n').filter(Boolean).map(Number).sort((a, b) => a - b);
const day = (n) => new Date(n * 86400000).toISOString().slice(0, 10);
const today = Math.floor(Date.now() / 86400000);
const current = 20457 + Math.floor((today - 20457) / 14) * 14;
const first = current - 28;

const agreement = (over = {}) => ({
  effective_from: '2025-01-01',
  rate_card: [{ discipline: 'RN', bill_rate_cents: 7800 }, { discipline: 'LPN', bill_rate_cents: 5400 },
    { discipline: 'CNA', bill_rate_cents: 3600 }],
  overtime_multiplier_bp: 15000, holiday_multiplier_bp: 15000, overtime_rule: 'weekly', holidays: ['2026-12-25'],
  fee_percent_bp: 800, fee_flat_monthly_cents: 50000, fee_per_shift_cents: 1500, payment_terms_days: 30, ...over,
});

before(async () => {
  db = freshDatabase();
  server = await startServer({ databaseUrl: db.url });
  billing = await login(server.baseUrl, demo.users.billing);
  manager = await login(server.baseUrl, demo.users.facility_manager);
  auditor = await login(server.baseUrl, demo.users.auditor);
});
after(async () => {
  await server?.stop();
  db?.drop();
});

test('service agreements: each bad field named; one per facility from a date', async () => {
  const bad = await call(billing, 'POST', '/api/v1/facilities/1/service-agreements', agreement({
    rate_card: [{ discipline: 'RN', bill_rate_cents: 0 }], overtime_multiplier_bp: 5000, fee_percent_bp: 20000,
    overtime_rule: 'monthly', payment_terms_days: 999,
  }));
  assert.equal(bad.status, 400);
  const fields = fieldOf(bad).map((f) => f.split(':')[0]);
  for (const f of ['rate_card[RN].bill_rate_cents', 'overtime_multiplier_bp', 'fee.percent_bp', 'overtime_rule', 'payment_terms_days'])
    assert.ok(fields.includes(f), `${f} not in ${fields.join()}`);
  assert.equal((await call(manager, 'POST', '/api/v1/facilities/1/service-agreements', agreement())).status, 403);
  for (const f of [1, 2, 3]) {
    const r = await call(billing, 'POST', `/api/v1/facilities/${f}/service-agreements`, agreement());
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const list = await call(billing, 'GET', '/api/v1/facilities/1/service-agreements');
  assert.equal(list.body.items.length, 1);
});

let invoices;
test('an invoice run bills exactly the approved timesheets, the same ones payroll pays', async () => {
  const from = day(first), to = day(first + 14);
  const r = await call(billing, 'POST', '/api/v1/invoices/generate', { period_from: from, period_to: to });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  invoices = r.body.items;
  assert.equal(invoices.length, 3);
  let billed = [];
  for (const inv of invoices) {
    assert.equal(inv.status, 'draft');
    const full = (await call(billing, 'GET', `/api/v1/invoices/${inv.id}`)).body;
    const labor = full.lines.filter((l) => ['regular', 'overtime', 'holiday'].includes(l.kind));
    const fees = full.lines.filter((l) => l.kind.startsWith('fee_'));
    assert.equal(labor.reduce((s, l) => s + l.amount_cents, 0), full.labor_subtotal_cents);
    assert.equal(fees.reduce((s, l) => s + l.amount_cents, 0), full.fee_total_cents);
    assert.equal(full.labor_subtotal_cents + full.fee_total_cents, full.total_cents);
    assert.deepEqual(fees.map((l) => l.kind).sort(), ['fee_flat_monthly', 'fee_per_shift', 'fee_percent'].filter(
      (k) => k !== 'fee_flat_monthly' || fees.some((l) => l.kind === k)).sort());
    // Per timesheet, the line minutes add up to the minutes worked.
    const perSheet = new Map();
    for (const l of labor) perSheet.set(l.timesheet_id, (perSheet.get(l.timesheet_id) || 0) + l.minutes);
    const worked = sql(`SELECT id, worked_minutes FROM timesheets WHERE facility_id = ${inv.facility_id} AND id IN (${[...perSheet.keys()].join(',')})`)
      .trim().split('\n').map((row) => row.split('|').map(Number));
    for (const [id, minutes] of worked) assert.equal(perSheet.get(id), minutes, `timesheet ${id}`);
    billed = billed.concat([...perSheet.keys()]);
  }
  const startMs = Date.parse(`${from}T00:00:00Z`) - 86400000, endMs = Date.parse(`${to}T00:00:00Z`) + 86400000;
  const approvedInside = ids(sql(`SELECT t.id FROM timesheets t JOIN facilities f ON f.id = t.facility_id WHERE t.status = 'approved' AND t.scheduled_start >= ${startMs} AND t.scheduled_start < ${endMs}`));
  billed.sort((a, b) => a - b);
  assert.ok(billed.every((id) => approvedInside.includes(id)), 'only approved timesheets are billed');
  assert.equal(new Set(billed).size, billed.length, 'no timesheet twice');
  // Payroll pays the same set: every billed timesheet that lies wholly inside the pay period
  // is on the pay run of that period, and vice versa.
  const run = await call(billing, 'POST', '/api/v1/pay-runs', { period_start: from });
  assert.equal(run.status, 201, JSON.stringify(run.body));
  const ps = Date.parse(run.body.period_start_at), pe = Date.parse(run.body.period_end_at);
  const inside = new Set(ids(sql(`SELECT id FROM timesheets WHERE status = 'approved' AND clock_in >= ${ps} AND clock_out <= ${pe}`)));
  const paid = new Set(ids(sql(`SELECT DISTINCT ref FROM pay_lines WHERE run_id = ${run.body.id} AND ref > 0`)).filter((id) => inside.has(id)));
  const billedInside = new Set(billed.filter((id) => inside.has(id)));
  assert.deepEqual([...paid].sort((a, b) => a - b), [...billedInside].sort((a, b) => a - b));
  assert.ok(paid.size > 100);
});

test('finalize: gap-free numbers, immutable, never billed twice', async () => {
  const year = new Date().getUTCFullYear();
  const numbers = [];
  for (const inv of invoices) {
    const f = await call(billing, 'POST', `/api/v1/invoices/${inv.id}/finalize`, {});
    assert.equal(f.status, 200, JSON.stringify(f.body));
    assert.equal(f.body.status, 'finalized');
    numbers.push(f.body.number);
  }
  assert.deepEqual(numbers, [1, 2, 3].map((n) => `INV-${year}-${String(n).padStart(6, '0')}`));
  const again = await call(billing, 'POST', `/api/v1/invoices/${invoices[0].id}/finalize`, {});
  assert.equal(again.status, 409);
  assert.equal((await call(billing, 'POST', `/api/v1/invoices/${invoices[0].id}/discard`, {})).status, 409);
  const rerun = await call(billing, 'POST', '/api/v1/invoices/generate', { period_from: day(first), period_to: day(first + 14) });
  assert.equal(rerun.status, 409);
  assert.ok(rerun.body.type.endsWith('nothing-to-bill'));
  const pdf = await call(auditor, 'GET', `/api/v1/invoices/${invoices[0].id}/pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.buf.subarray(0, 5).toString(), '%PDF-');
  assert.equal((await call(manager, 'GET', `/api/v1/invoices/${invoices[0].id}`)).status, 403);
});

test('payments, a credit memo for a dispute, and A/R aging by due date', async () => {
  const inv = (await call(billing, 'GET', `/api/v1/invoices/${invoices[0].id}`)).body;
  const over = await call(billing, 'POST', `/api/v1/invoices/${inv.id}/payments`, { amount_cents: inv.total_cents + 1 });
  assert.equal(over.status, 400);
  assert.deepEqual(fieldOf(over), ['amount_cents:exceeds_balance']);
  const part = await call(billing, 'POST', `/api/v1/invoices/${inv.id}/payments`,
    { amount_cents: 100000, reference: 'ACH 0001', received_on: inv.issue_date });
  assert.equal(part.status, 200);
  assert.equal(part.body.status, 'partially_paid');
  assert.equal(part.body.balance_cents, inv.total_cents - 100000);

  const line = inv.lines.find((l) => l.kind === 'regular');
  const memo = await call(billing, 'POST', `/api/v1/invoices/${inv.id}/credit-memos`,
    { reason: 'Clinician left 2 hours early', items: [{ line_no: line.line_no, minutes: 120 }] });
  assert.equal(memo.status, 201, JSON.stringify(memo.body));
  assert.ok(memo.body.total_cents < 0);
  assert.match(memo.body.number, /^CM-\d{4}-000001$/);
  const after = (await call(billing, 'GET', `/api/v1/invoices/${inv.id}`)).body;
  assert.equal(after.total_cents, inv.total_cents, 'the invoice itself never changes');
  assert.equal(after.balance_cents, inv.total_cents - 100000 + memo.body.total_cents);
  const badMemo = await call(billing, 'POST', `/api/v1/invoices/${inv.id}/credit-memos`, { reason: 'x', items: [{ line_no: 99999 }] });
  assert.equal(badMemo.status, 400);

  // 45 days past due: 31-60.
  const due = Date.parse(`${after.due_date}T00:00:00Z`);
  const asOf = new Date(due + 45 * 86400000).toISOString().slice(0, 10);
  const aging = await call(auditor, 'GET', `/api/v1/ar-aging?as_of=${asOf}`);
  assert.equal(aging.status, 200);
  const all = invoices.reduce((s, i) => s + i.total_cents, 0) - 100000 + memo.body.total_cents;
  assert.equal(aging.body.totals.total_cents, all);
  assert.equal(aging.body.totals.days_31_60_cents, all);
  assert.equal(aging.body.totals.current_cents, 0);
  assert.equal((await call(auditor, 'GET', '/api/v1/ar-aging?as_of=someday')).status, 400);
});
