// Payroll in the browser (issue 5 parts 4-5 and 7): a shift worked by the demo clinician
// (claimed and punched through the API, with the device times of an hour's work) is approved
// by the manager in the approval queue; billing computes the current period's pay run in
// the browser and sees its live progress, reviews the statement line by line (the lines
// name their rule ids and the approved timesheet), finalizes the run, downloads the
// register and the statement PDF; the clinician finds the statement and its PDF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { login } from '../lib/server.mjs';
import { assertAccessible, artifactPath, demo, openBrowser, settled, signIn, startUiServer } from './browser.mjs';

const LAKESIDE = 1;
const RILEY = 1;
const LAKESIDE_AT = { latitude: 41.9036, longitude: -87.627 };

let server, admin, clinicianApi, sheet;

async function call(who, method, path, body) {
  const r = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: who.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text && (r.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : text };
}

function chicago(minutes, base) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(base + minutes * 60000)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

async function go(page, label) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { name: label, level: 1 }).waitFor();
  await settled(page);
}

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
  const profile = (await call(clinicianApi, 'GET', `/api/v1/clinicians/${RILEY}/profile`)).body;
  const { id, email, status, status_reason, home_facility_id, ...editable } = profile;
  assert.equal((await call(clinicianApi, 'PUT', `/api/v1/clinicians/${RILEY}/profile`,
    { ...editable, home: { latitude: 41.91, longitude: -87.64 }, travel_radius_km: 40 })).status, 200);
  assert.equal((await call(admin, 'PUT', `/api/v1/facilities/${LAKESIDE}/marketplace-settings`,
    { instant_book: true, min_rest_minutes: 0, weekly_hours_cap: 60 })).status, 200);
  assert.equal((await call(admin, 'PUT', `/api/v1/facilities/${LAKESIDE}/timekeeping-settings`,
    { clock_in_opens_minutes: 120 })).status, 200);
  // The shift starts in 20 minutes; the phone recorded an hour of work from 60 minutes ago
  // (device times, as an offline phone syncs them).
  const now = Date.now();
  const unit = (await call(admin, 'GET', `/api/v1/facilities/${LAKESIDE}/units`)).body.items[0];
  const shift = await call(manager, 'POST', `/api/v1/facilities/${LAKESIDE}/shifts`, {
    unit_id: unit.id, discipline: 'RN', start: chicago(20, now), end: chicago(80, now), pay_rate_cents: 5200, bill_rate_cents: 7400,
  });
  assert.equal(shift.status, 201, JSON.stringify(shift.body));
  assert.equal((await call(clinicianApi, 'POST', `/api/v1/shifts/${shift.body.id}/claims`, {})).status, 201);
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
    await go(bp, 'Pay runs');
    await bp.getByTestId('live-indicator').filter({ hasText: 'live' }).waitFor();
    await assertAccessible(bp);
    const period = bp.getByLabel('Pay period');
    const current = (await period.locator('option').allTextContents()).find((t) => t.includes('current period'));
    assert.ok(current, 'the current period is offered');
    await period.selectOption({ label: current });
    const periodStart = await period.inputValue();
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
    const pdf = await download(bp, srow.getByRole('link', { name: /PDF/ }));
    assert.equal(pdf.bytes.subarray(0, 4).toString('latin1'), '%PDF');
    await bp.screenshot({ path: artifactPath('pay-run-finalized.png'), fullPage: true });

    // The clinician finds the statement with its PDF.
    const cp = clinician.page;
    await signIn(cp, server.baseUrl, demo.users.clinician);
    await go(cp, 'Pay statements');
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
