// Payroll and invoicing in the browser (issue 5 parts 4-7): a shift worked by the demo
// clinician (claimed and punched through the API, with the device times of an hour's work)
// is approved by the manager in the approval queue; billing computes the current period's
// pay run in the browser and sees its live progress, reviews the statement line by line
// (the lines name their rule ids and the approved timesheet), finalizes the run, downloads
// the register and the statement PDF; the clinician finds the statement and its PDF. Then
// billing invoices the facility for the same period (a labor line bills the same
// timesheet), finalizes the invoice, opens its PDF, records a payment, credits a disputed
// line, and reads the A/R aging chart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { login } from '../lib/server.mjs';
import {
  assertAccessible, artifactPath, callApi, chicagoLocal, demo, goTo, kLakeside, kRiley, openBrowser, prepareLakesideForRiley,
  settled, signIn, startUiServer,
} from './browser.mjs';

const LAKESIDE = kLakeside.id;
const LAKESIDE_AT = kLakeside.at;
const RILEY = kRiley;

let server, admin, clinicianApi, billingApi, sheet, periodStart;
const call = (who, method, path, body) => callApi(server.baseUrl, who, method, path, body);
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** Clicks `trigger` and returns the downloaded file's bytes and suggested name. */
async function download(page, trigger) {
  const [file] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

before(async () => {
  server = await startUiServer();
  admin = await login(server.baseUrl, demo.users.mso_admin);
  clinicianApi = await login(server.baseUrl, demo.users.clinician);
  const manager = await login(server.baseUrl, demo.users.facility_manager);
  await prepareLakesideForRiley(server.baseUrl, admin, clinicianApi);
  // The shift starts in 20 minutes; the phone recorded an hour of work from 60 minutes ago
  // (device times, as an offline phone syncs them).
  const now = Date.now();
  const unit = (await call(admin, 'GET', `/api/v1/facilities/${LAKESIDE}/units`)).body.items[0];
  const shift = await call(manager, 'POST', `/api/v1/facilities/${LAKESIDE}/shifts`, {
    unit_id: unit.id, discipline: 'RN', start: chicagoLocal(20, now), end: chicagoLocal(80, now), pay_rate_cents: 5200, bill_rate_cents: 7400,
  });
  assert.equal(shift.status, 201, JSON.stringify(shift.body));
  const claim = await call(clinicianApi, 'POST', `/api/v1/shifts/${shift.body.id}/claims`, {});
  assert.equal(claim.status, 201, JSON.stringify(claim.body));
  const clockIn = await call(clinicianApi, 'POST', `/api/v1/shifts/${shift.body.id}/clock-in`, { ...LAKESIDE_AT, at: iso(now - 60 * 60000) });
  assert.equal(clockIn.status, 201, JSON.stringify(clockIn.body));
  const clockOut = await call(clinicianApi, 'POST', `/api/v1/timesheets/${clockIn.body.id}/clock-out`, { ...LAKESIDE_AT, at: iso(now) });
  assert.equal(clockOut.status, 200, JSON.stringify(clockOut.body));
  assert.equal(clockOut.body.worked_minutes, 60);
  const submitted = await call(clinicianApi, 'POST', `/api/v1/timesheets/${clockIn.body.id}/submit`);
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  sheet = submitted.body;
});
after(async () => { await server?.stop(); });

test('approve, compute the pay run with progress, review, finalize, download; the clinician sees it', async () => {
  const manager = await openBrowser();
  const billing = await openBrowser();
  const clinician = await openBrowser();
  try {
    // The manager approves the timesheet from the queue.
    const mp = manager.page;
    await signIn(mp, server.baseUrl, demo.users.facility_manager, '/timesheets');
    await settled(mp);
    const row = mp.locator(`main table tbody tr[data-timesheet-id="${sheet.id}"]`);
    await row.getByRole('button', { name: /^Approve timesheet of/ }).click();
    await row.waitFor({ state: 'detached' });  // approved: no longer in the "submitted" queue
    assert.equal((await call(admin, 'GET', `/api/v1/timesheets/${sheet.id}`)).body.status, 'approved');

    // Billing computes the current period's draft and watches its progress.
    const bp = billing.page;
    await signIn(bp, server.baseUrl, demo.users.billing);
    await goTo(bp, 'Pay runs');
    await bp.getByTestId('live-indicator').filter({ hasText: 'live' }).waitFor();
    await assertAccessible(bp);
    const period = bp.getByLabel('Pay period');
    const current = (await period.locator('option').allTextContents()).find((t) => t.includes('current period'));
    assert.ok(current, 'the current period is offered');
    await period.selectOption({ label: current });
    periodStart = await period.inputValue();
    await bp.getByRole('button', { name: 'Compute draft' }).click();
    await bp.getByRole('status').filter({ hasText: 'Draft computed' }).waitFor();
    // The live progress of the computation, down to its last phase.
    await bp.locator('.run-progress').filter({ hasText: 'Writing the draft: 1 of 1 (done)' }).waitFor();
    const runs = (await call(admin, 'GET', '/api/v1/pay-runs')).body.items;
    const run = runs.find((r) => r.period_start === periodStart && r.status === 'draft');
    assert.ok(run, `a draft for ${periodStart}`);
    // Besides ours, the demo's approved night shifts that run past midnight into this period.
    assert.ok(run.timesheets >= 1, 'the approved timesheet is paid');
    await bp.screenshot({ path: artifactPath('pay-runs-billing.png'), fullPage: true });

    // Review: Riley's statement, and its lines name their rules and the timesheet.
    await bp.getByRole('link', { name: 'Review the draft' }).click();
    await bp.getByRole('heading', { name: /^Pay run /, level: 1 }).waitFor();
    await settled(bp);
    await assertAccessible(bp);
    const statements = (await call(admin, 'GET', `/api/v1/pay-runs/${run.id}/statements`)).body.items;
    const riley = statements.find((s) => s.clinician_id === RILEY);
    assert.ok(riley, 'Riley has a statement');
    const srow = bp.locator(`main table tbody tr[data-statement-id="${riley.id}"]`);
    const cells = await srow.locator('td').allTextContents();
    const hours = (m) => `${Math.trunc(m / 60)}.${String(Math.round(((m % 60) * 100) / 60)).padStart(2, '0')} h`;
    assert.ok(riley.worked_minutes >= 60, `the hour worked is in it, got ${riley.worked_minutes}`);
    assert.equal(cells[2], hours(riley.worked_minutes), 'worked');
    const dollars = (cents) => `$${Math.trunc(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`;
    assert.equal(cells[6], dollars(riley.gross_cents), 'gross as the API has it');
    assert.ok(riley.gross_cents >= 5200, `an hour at $52 at least, got ${riley.gross_cents}`);
    await srow.getByRole('link', { name: riley.clinician_name, exact: true }).click();
    await bp.getByRole('heading', { name: `Pay statement of ${riley.clinician_name}`, level: 1 }).waitFor();
    await settled(bp);
    const lines = bp.locator('main table').filter({ hasText: 'line by line' }).locator('tbody tr');
    const refs = await lines.evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-ref'))));
    assert.ok(refs.includes(sheet.id), `a line pays timesheet ${sheet.id}: ${refs}`);
    const apiLines = (await call(admin, 'GET', `/api/v1/pay-statements/${riley.id}`)).body.lines;
    assert.deepEqual(refs, apiLines.map((l) => l.ref), 'every line of the statement, in order');
    const rules = await bp.locator('main table').filter({ hasText: 'line by line' }).locator('tbody td:nth-child(2) code').allTextContents();
    assert.ok(rules.length > 0 && rules.every((r) => /^PAY-[A-Z0-9-]+(@\d{4}-\d{2}-\d{2})?$/.test(r)), `rule ids: ${rules}`);
    const totals = bp.locator('main table.totals');
    assert.match(await totals.locator('tr').filter({ hasText: 'Gross' }).textContent(), new RegExp(dollars(riley.gross_cents).replace('$', '\\$')));
    await assertAccessible(bp);
    await bp.screenshot({ path: artifactPath('pay-statement-billing.png'), fullPage: true });

    // Finalize (with confirmation); the run becomes immutable.
    await bp.goBack();
    await bp.getByRole('heading', { name: /^Pay run /, level: 1 }).waitFor();
    await settled(bp);
    await bp.getByRole('button', { name: 'Finalize…' }).click();
    await bp.getByRole('button', { name: 'Finalize pay run' }).click();
    await bp.getByRole('status').filter({ hasText: 'Finalized:' }).waitFor();
    await bp.locator('main dl .status-finalized').waitFor();
    assert.equal(await bp.getByRole('button', { name: 'Finalize…' }).count(), 0, 'nothing to finalize twice');
    assert.equal((await call(admin, 'GET', `/api/v1/pay-runs/${run.id}`)).body.status, 'finalized');

    // Downloads: the register as CSV, and the statement PDF.
    const csv = await download(bp, bp.getByRole('link', { name: 'Register (CSV)' }));
    assert.match(csv.name, /register\.csv$/);
    assert.match(csv.bytes.toString('utf8'), new RegExp(riley.clinician_name.split(' ')[0]));
    const xlsx = await download(bp, bp.getByRole('link', { name: 'Register (XLSX)' }));
    assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip');
    // The contractors' NACHA file: saved when the server makes one, else its refusal is shown.
    const nacha = await call(admin, 'GET', `/api/v1/pay-runs/${run.id}/nacha`);
    const nachaButton = bp.getByRole('button', { name: "Contractors' direct deposit (NACHA)" });
    if (nacha.status === 200) {
      const ach = await download(bp, nachaButton);
      assert.equal(ach.bytes.toString('latin1'), nacha.body, 'the same file as the API serves');
    } else {
      await nachaButton.click();
      const refusal = bp.getByRole('alert').filter({ hasText: nacha.body.detail });
      await refusal.waitFor();
      // e.g. a contractor without a bank account on file: the field and the reason are listed.
      for (const e of nacha.body.errors ?? []) assert.match(await refusal.textContent(), new RegExp(e.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
    const pdf = await download(bp, srow.getByRole('link', { name: /PDF/ }));
    assert.equal(pdf.bytes.subarray(0, 4).toString('latin1'), '%PDF');
    await bp.screenshot({ path: artifactPath('pay-run-finalized.png'), fullPage: true });

    // The clinician finds the statement with its PDF.
    const cp = clinician.page;
    await signIn(cp, server.baseUrl, demo.users.clinician);
    await goTo(cp, 'Pay statements');
    await assertAccessible(cp);
    const mine = cp.locator(`main table tbody tr[data-statement-id="${riley.id}"]`);
    assert.match(await mine.textContent(), new RegExp(dollars(riley.gross_cents).replace('$', '\\$')));
    const own = await download(cp, mine.getByRole('link', { name: /PDF/ }));
    assert.equal(own.bytes.subarray(0, 4).toString('latin1'), '%PDF');
    for (const b of [manager, billing, clinician]) assert.deepEqual(b.errors, []);
  } finally {
    await manager.close();
    await billing.close();
    await clinician.close();
  }
});

test('invoice the same period: generate, finalize, PDF, payment, credit memo, A/R aging', async () => {
  assert.ok(periodStart, 'the pay run test chose the period');
  billingApi = await login(server.baseUrl, demo.users.billing);
  const agreement = await call(billingApi, 'POST', `/api/v1/facilities/${LAKESIDE}/service-agreements`, {
    effective_from: '2025-01-01',
    rate_card: [{ discipline: 'RN', bill_rate_cents: 7800 }, { discipline: 'LPN', bill_rate_cents: 5400 },
      { discipline: 'CNA', bill_rate_cents: 3600 }],
    overtime_multiplier_bp: 15000, holiday_multiplier_bp: 15000, overtime_rule: 'weekly',
    fee_percent_bp: 800, payment_terms_days: 30,
  });
  assert.equal(agreement.status, 201, JSON.stringify(agreement.body));

  const browser = await openBrowser();
  const { page } = browser;
  try {
    await signIn(page, server.baseUrl, demo.users.billing);
    await goTo(page, 'Invoices');
    await assertAccessible(page);
    const form = page.getByRole('form', { name: 'Generate invoices' });
    await form.getByRole('button', { name: 'Generate' }).click();
    await form.getByText('Required.').first().waitFor();  // both days are named next to their fields
    assert.equal(await form.getByLabel('First day').getAttribute('aria-invalid'), 'true');
    const today = new Date().toISOString().slice(0, 10);
    await form.getByLabel('First day').fill(periodStart);
    await form.getByLabel('Last day').fill(today);
    await form.getByLabel('Facility').selectOption({ label: 'Lakeside Care Center' });
    await form.getByRole('button', { name: 'Generate' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'generated' });
    await notice.waitFor();
    const list = (await call(billingApi, 'GET', '/api/v1/invoices')).body.items;
    const draft = list.find((i) => i.facility_id === LAKESIDE && i.status === 'draft');
    assert.ok(draft, 'a draft invoice for Lakeside');
    assert.equal(draft.period_from, periodStart);
    await notice.getByRole('link', { name: `Draft #${draft.id}` }).click();
    await page.getByRole('heading', { name: `Invoice Draft #${draft.id}`, level: 1 }).waitFor();
    await settled(page);

    // A labor line bills the timesheet that payroll paid.
    const line = page.locator(`main table tbody tr[data-timesheet-id="${sheet.id}"]`);
    assert.equal(await line.count(), 1, 'one labor line for the approved hour');
    assert.match(await line.textContent(), /1 h/);
    // The shift was posted with its own bill rate, which wins over the rate card (BILL-RATE-OVERRIDE).
    assert.match(await line.textContent(), /BILL-RATE-OVERRIDE/);
    assert.match(await line.textContent(), /\$74\.00/);
    await assertAccessible(page);

    // Finalize: the invoice gets its number and can no longer change.
    await page.getByRole('button', { name: 'Finalize invoice' }).click();
    await page.getByRole('heading', { name: /^Invoice INV-\d{4}-\d+$/, level: 1 }).waitFor();
    const final = (await call(billingApi, 'GET', `/api/v1/invoices/${draft.id}`)).body;
    assert.equal(final.status, 'finalized');
    assert.equal(await page.getByRole('button', { name: 'Finalize invoice' }).count(), 0);
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Invoice PDF' }).click()]);
    const pdf = readFileSync(await file.path());
    assert.equal(pdf.subarray(0, 4).toString('latin1'), '%PDF');
    assert.equal(file.suggestedFilename(), `${final.number}.pdf`);

    // A payment of $10.00 leaves the rest owed, and A/R aging shows it as current.
    const payment = page.getByRole('form', { name: 'Record a payment' });
    await payment.getByLabel('Amount ($)').fill('10.00');
    await payment.getByLabel('Reference (check or transfer number)').fill('ACH 4711');
    await payment.getByRole('button', { name: 'Record payment' }).click();
    await page.locator('main table').filter({ hasText: 'Payments received' }).getByText('ACH 4711').waitFor();
    const paid = (await call(billingApi, 'GET', `/api/v1/invoices/${draft.id}`)).body;
    assert.equal(paid.balance_cents, final.total_cents - 1000);
    assert.equal(paid.status, 'partially_paid');
    assert.match(await page.locator('main dl').textContent(), /Partially paid/);
    const invoiceUrl = page.url();

    const money = (cents) => `${cents < 0 ? '-' : ''}$${Math.trunc(Math.abs(cents) / 100).toLocaleString('en-US')}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
    const agingRow = async () => {
      await goTo(page, 'A/R aging');
      const aging = (await call(billingApi, 'GET', `/api/v1/ar-aging?as_of=${today}`)).body;
      const values = await page.getByRole('img', { name: /Receivables by age/ }).locator('.aging-value').allTextContents();
      assert.deepEqual(values, [aging.totals.current_cents, aging.totals.days_31_60_cents, aging.totals.days_61_90_cents,
        aging.totals.over_90_cents].map(money), 'the chart writes out the API\'s amounts');
      const cells = await page.locator(`main table tbody tr[data-facility-id="${LAKESIDE}"]`).locator('td').allTextContents();
      return { aging, mine: aging.facilities.find((f) => f.facility_id === LAKESIDE), cells };
    };
    const before = await agingRow();
    assert.equal(before.mine.current_cents, paid.balance_cents, 'the unpaid rest is current (due in 30 days)');
    assert.equal(before.cells[0], money(paid.balance_cents));
    assert.equal(before.cells[before.cells.length - 1], money(paid.balance_cents));
    await assertAccessible(page);
    await page.screenshot({ path: artifactPath('ar-aging-billing.png'), fullPage: true });

    // The facility disputes the labor line: a credit memo credits it (and its percent fee);
    // the invoice itself is unchanged, and the $10.00 paid becomes the facility's credit.
    await page.goto(invoiceUrl);
    await page.getByRole('heading', { name: `Invoice ${final.number}`, level: 1 }).waitFor();
    await settled(page);
    const lineNo = Number(await line.getAttribute('data-line-no'));
    const memo = page.getByRole('form', { name: 'Credit disputed lines' });
    await memo.getByRole('button', { name: 'Issue credit memo' }).click();
    await memo.getByText('Choose the disputed lines').waitFor();
    await line.getByRole('checkbox', { name: `Credit line ${lineNo}` }).check();
    await memo.getByLabel('Reason for the credit').fill('The hour was not ordered by the unit.');
    await memo.getByRole('button', { name: 'Issue credit memo' }).click();
    await page.locator('main table').filter({ hasText: 'Credit memos' }).getByText('The hour was not ordered').waitFor();
    const credited = (await call(billingApi, 'GET', `/api/v1/invoices/${draft.id}`)).body;
    assert.equal(credited.total_cents, final.total_cents, 'the invoice itself never changes');
    assert.ok(credited.credits_cents < 0, `a credit, got ${credited.credits_cents}`);
    assert.equal(credited.balance_cents, final.total_cents + credited.credits_cents - 1000);
    await assertAccessible(page);
    await page.screenshot({ path: artifactPath('invoice-billing.png'), fullPage: true });
    const after = await agingRow();
    assert.equal(after.mine.total_cents, credited.balance_cents, 'Lakeside\'s position is the invoice balance');
    assert.equal(after.cells[after.cells.length - 1], money(credited.balance_cents));
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
