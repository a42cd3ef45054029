// The marketplace in the browser (issue 4 part 9 and its "done when"): the manager posts a
// shift from the calendar, sees it on the calendar in the unit's colour with its ranked
// candidates and a clinician's rule-by-rule explanation; the clinician claims it in a second
// browser context and the manager's calendar and open panel turn "filled" live, without a
// reload. Then, at a facility with approval, a claim arrives live in the approval queue and
// is approved there; and the clinician's calendar link is created, rotated (the old URL
// stops working) and turned off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { login } from '../lib/server.mjs';
import {
  assertAccessible, artifactPath, callApi, chicagoLocal, demo, goTo, kLakeside, kRiley, openBrowser, prepareLakesideForRiley,
  settled, signIn, startUiServer,
} from './browser.mjs';

let server, admin, clinicianApi, managerApi, units;
const call = (who, method, path, body) => callApi(server.baseUrl, who, method, path, body);

before(async () => {
  server = await startUiServer();
  admin = await login(server.baseUrl, demo.users.mso_admin);
  managerApi = await login(server.baseUrl, demo.users.facility_manager);
  clinicianApi = await login(server.baseUrl, demo.users.clinician);
  units = (await call(admin, 'GET', `/api/v1/facilities/${kLakeside.id}/units`)).body.items;
  await prepareLakesideForRiley(server.baseUrl, admin, clinicianApi);
});
after(async () => { await server?.stop(); });

/** The calendar event of shift `id` (its body carries the shift's state). */
const event = (page, id) => page.locator(`.calendar .shift-event-body[data-shift-id="${id}"]`);

test('post from the calendar, candidates and explanation, a claim in another browser fills it live', async () => {
  const manager = await openBrowser();
  const clinician = await openBrowser();
  try {
    const mp = manager.page;
    await signIn(mp, server.baseUrl, demo.users.facility_manager);
    await goTo(mp, 'Calendar');
    await mp.locator('.calendar[data-loaded="true"]').waitFor();
    await mp.getByTestId('live-indicator').filter({ hasText: 'live' }).waitFor();
    await assertAccessible(mp);

    // Post an urgent shift (released to every eligible clinician at once) on the second unit.
    const unit = units[1] ?? units[0];
    await mp.getByRole('button', { name: 'Post a shift' }).click();
    const form = mp.getByRole('form', { name: /Post a shift/ });
    await form.getByLabel('Unit').selectOption(String(unit.id));
    await form.getByLabel('Discipline').selectOption('RN');
    const now = Date.now();
    const startText = chicagoLocal(180, now);
    await form.getByLabel('Start').fill(startText);
    await form.getByLabel('End').fill(chicagoLocal(300, now));
    await form.getByLabel('Pay rate ($ per hour)').fill('55.00');
    await form.getByLabel('Bill rate ($ per hour)').fill('78.00');
    await form.getByLabel('Urgent (release to every eligible clinician at once)').check();
    await form.getByRole('button', { name: 'Post shift' }).click();
    await mp.getByRole('status').filter({ hasText: 'Posted:' }).waitFor();
    const shift = (await call(managerApi, 'GET', `/api/v1/facilities/${kLakeside.id}/shifts`)).body.items
      .find((s) => s.start_local.slice(0, 16) === startText && s.unit_id === unit.id);
    assert.ok(shift, 'the shift was posted');
    assert.equal(shift.urgent, true);
    assert.equal(shift.length_minutes, 120);

    // On the calendar: the unit named, open, 0 of 1, in the unit's colour (not the first unit's).
    const ev = event(mp, shift.id);
    await ev.waitFor();
    assert.equal(await ev.getAttribute('data-status'), 'open');
    assert.match(await ev.textContent(), new RegExp(`${unit.name}.*RN.*0/1 filled`));
    assert.match(await ev.textContent(), new RegExp(startText.slice(11, 16)), 'the facility-local start time');
    const colors = await mp.locator('.unit-choice .swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
    const unitIndex = units.findIndex((u) => u.id === unit.id);
    const evColor = await mp.locator('.calendar .fc-event', { has: mp.locator(`.shift-event-body[data-shift-id="${shift.id}"]`) })
      .evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(evColor, colors[unitIndex], 'the event has its unit colour');
    // Filter by unit: hiding the unit hides the event, showing it brings it back.
    const unitBox = mp.locator('.unit-filter').getByLabel(unit.name, { exact: true });
    await unitBox.uncheck();
    await ev.waitFor({ state: 'detached' });
    await unitBox.check();
    await ev.waitFor();

    // The shift's panel, opened with the keyboard: Riley is a ranked candidate; the explanation lists every rule as passed.
    await mp.locator('.calendar .fc-event', { has: mp.locator(`.shift-event-body[data-shift-id="${shift.id}"]`) }).focus();
    await mp.keyboard.press('Enter');
    const panel = mp.locator(`section.shift-panel[data-shift-id="${shift.id}"]`);
    await panel.getByTestId('panel-status').filter({ hasText: 'Open, 0 of 1 filled' }).waitFor();
    const candidates = (await call(managerApi, 'GET', `/api/v1/shifts/${shift.id}/candidates`)).body.items;
    const riley = candidates.find((c) => c.clinician_id === kRiley);
    assert.ok(riley, 'Riley is eligible');
    const candidateRow = panel.locator(`tr[data-clinician-id="${kRiley}"]`);
    await candidateRow.waitFor();
    assert.match(await candidateRow.textContent(), /Riley Nguyen/);
    assert.equal(await candidateRow.locator('td.num').first().textContent(), String(Math.round(riley.score)));
    assert.equal(await panel.locator('table').filter({ hasText: 'eligible clinician' }).locator('tbody tr').count(), candidates.length);
    await panel.getByLabel('Clinician (name or number)').fill('Riley Nguyen');
    await panel.getByRole('button', { name: 'Explain' }).click();
    const explanation = panel.locator('.explanation');
    await explanation.getByText('is eligible for this shift').waitFor();
    const rules = (await call(managerApi, 'GET', `/api/v1/shifts/${shift.id}/candidates?clinician=${kRiley}`)).body.rules;
    assert.equal(await explanation.locator('li.rule-pass').count(), rules.length);
    assert.deepEqual(await explanation.locator('li').evaluateAll((els) => els.map((e) => e.dataset.rule)), rules.map((r) => r.rule));
    await assertAccessible(mp);
    await mp.screenshot({ path: artifactPath('shift-calendar-open.png'), fullPage: true });

    // The clinician claims it in her own browser; the manager's page must not reload.
    await mp.evaluate(() => { window.__stillHere = true; });
    const cp = clinician.page;
    await signIn(cp, server.baseUrl, demo.users.clinician);
    await settled(cp);
    const offer = cp.locator(`main table tbody tr[data-shift-id="${shift.id}"]`);
    await offer.getByRole('button', { name: /^Claim/ }).click();
    await cp.getByRole('status').filter({ hasText: 'Booked' }).waitFor();

    await mp.locator(`.calendar .shift-event-body[data-shift-id="${shift.id}"][data-status="filled"]`).waitFor();
    assert.match(await event(mp, shift.id).textContent(), /1\/1 filled/);
    await panel.getByTestId('panel-status').filter({ hasText: 'Filled, 1 of 1 filled' }).waitFor();
    await panel.locator('table').filter({ hasText: 'Claims, oldest first' }).getByText('Booked').waitFor();
    assert.equal(await mp.evaluate(() => window.__stillHere), true, 'updated live, not by a reload');
    await mp.screenshot({ path: artifactPath('shift-calendar-filled.png'), fullPage: true });
    assert.deepEqual(manager.errors, []);
    assert.deepEqual(clinician.errors, []);
  } finally {
    await manager.close();
    await clinician.close();
  }
});

test('approval queue: a pending claim arrives live and is approved; eligibility shown rule by rule', async () => {
  const manager = await openBrowser();
  const clinician = await openBrowser();
  try {
    const settings = await call(admin, 'PUT', `/api/v1/facilities/${kLakeside.id}/marketplace-settings`,
      { instant_book: false, min_rest_minutes: 0, weekly_hours_cap: 60 });
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
    const now = Date.now();
    const posted = await call(managerApi, 'POST', `/api/v1/facilities/${kLakeside.id}/shifts`, {
      unit_id: units[0].id, discipline: 'RN', start: chicagoLocal(26 * 60, now), end: chicagoLocal(34 * 60, now),
      pay_rate_cents: 5000, bill_rate_cents: 7200, urgent: true,
    });
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
    const shift = posted.body;

    // The clinician watches her feed while a second urgent shift is posted: it appears live.
    const cp = clinician.page;
    await signIn(cp, server.baseUrl, demo.users.clinician);
    await settled(cp);
    await cp.getByTestId('live-indicator').filter({ hasText: 'live' }).waitFor();
    await cp.evaluate(() => { window.__stillHere = true; });
    const second = await call(managerApi, 'POST', `/api/v1/facilities/${kLakeside.id}/shifts`, {
      unit_id: units[0].id, discipline: 'RN', start: chicagoLocal(36 * 60, now), end: chicagoLocal(40 * 60, now),
      pay_rate_cents: 5100, bill_rate_cents: 7300, urgent: true,
    });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    await cp.locator(`main table tbody tr[data-shift-id="${second.body.id}"]`).waitFor();
    assert.equal(await cp.evaluate(() => window.__stillHere), true, 'the feed updated live');
    await goTo(cp, 'My shifts');

    const mp = manager.page;
    await signIn(mp, server.baseUrl, demo.users.facility_manager);
    await goTo(mp, 'Approvals');
    await mp.getByTestId('live-indicator').filter({ hasText: 'live' }).waitFor();
    const claim = await call(clinicianApi, 'POST', `/api/v1/shifts/${shift.id}/claims`, {});
    assert.equal(claim.status, 201, JSON.stringify(claim.body));
    assert.equal(claim.body.status, 'pending');
    // Her own claim was an API call here, so she opens the page again to see it pending.
    await cp.reload();
    await settled(cp);
    const mine = cp.locator(`section.shift-card[data-shift-id="${shift.id}"]`);
    await mine.getByText('Awaiting approval').waitFor();
    await cp.getByTestId('live-indicator').filter({ hasText: 'live' }).waitFor();
    await cp.evaluate(() => { window.__stillHere = true; });
    const row = mp.locator(`main table tbody tr[data-claim-id="${claim.body.id}"]`);
    await row.waitFor();  // by the live event
    assert.match(await row.textContent(), /Riley Nguyen/);
    await row.getByRole('button', { name: 'Eligibility of Riley Nguyen' }).click();
    await row.locator('li.rule').first().waitFor();
    assert.equal(await row.locator('li.rule-fail').count(), 0);
    assert.ok(await row.locator('li.rule-pass').count() >= 8);
    await assertAccessible(mp);
    await row.getByRole('button', { name: /^Approve Riley Nguyen/ }).click();
    await mp.getByRole('status').filter({ hasText: 'Approved Riley Nguyen' }).waitFor();
    await row.waitFor({ state: 'detached' });
    const after = (await call(managerApi, 'GET', `/api/v1/shifts/${shift.id}`)).body;
    assert.equal(after.claims.find((c) => c.id === claim.body.id).status, 'confirmed');
    assert.equal(after.filled, 1);
    await mine.getByText('Booked').waitFor();  // her "My shifts" follows the approval live
    assert.equal(await cp.evaluate(() => window.__stillHere), true, 'without a reload');
    assert.deepEqual(manager.errors, []);
    assert.deepEqual(clinician.errors, []);
  } finally {
    await manager.close();
    await clinician.close();
  }
});

/** The first Sunday of November of `year`: the US fall-back day (01:00-02:00 happens twice). */
function fallBackDay(year) {
  const first = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  return `${year}-11-${String(1 + ((7 - first) % 7)).padStart(2, '0')}`;
}

test('post form: a start in the repeated autumn hour asks which one; a recurrence posts every shift', async () => {
  const manager = await openBrowser();
  try {
    const mp = manager.page;
    await signIn(mp, server.baseUrl, demo.users.facility_manager);
    await goTo(mp, 'Calendar');
    await mp.locator('.calendar[data-loaded="true"]').waitFor();
    const unit = units[0];
    const open = async () => {
      await mp.getByRole('button', { name: 'Post a shift' }).click();
      const form = mp.getByRole('form', { name: /Post a shift/ });
      await form.getByLabel('Unit').selectOption(String(unit.id));
      await form.getByLabel('Discipline').selectOption('LPN');
      await form.getByLabel('Pay rate ($ per hour)').fill('40.00');
      await form.getByLabel('Bill rate ($ per hour)').fill('58.00');
      return form;
    };

    // 01:30 on the next fall-back day happens twice in Chicago: refused until a pass is chosen.
    const now = new Date();
    const year = now.getUTCMonth() >= 10 ? now.getUTCFullYear() + 1 : now.getUTCFullYear();
    const day = fallBackDay(year);
    let form = await open();
    await form.getByLabel('Start', { exact: true }).fill(`${day}T01:30`);
    await form.getByLabel('End', { exact: true }).fill(`${day}T09:30`);
    await form.getByRole('button', { name: 'Post shift' }).click();
    await form.locator('.field-error').filter({ hasText: 'happens twice' }).first().waitFor();
    await form.getByLabel('Start happens twice: which one?').selectOption('later');
    await assertAccessible(mp);
    await form.getByRole('button', { name: 'Post shift' }).click();
    await mp.getByRole('status').filter({ hasText: 'Posted:' }).waitFor();
    const later = (await call(managerApi, 'GET',
      `/api/v1/facilities/${kLakeside.id}/shifts?from=${day}T00:00:00Z&to=${day}T23:59:59Z`)).body.items
      .find((s) => s.start_local.startsWith(`${day}T01:30`) && s.discipline === 'LPN');
    assert.ok(later, 'posted');
    assert.equal(later.start, `${day}T07:30:00Z`, 'the later pass is 01:30 CST = 07:30 UTC');
    assert.equal(later.length_minutes, 8 * 60);

    // A recurrence: three days in a row at the same local time, all posted at once.
    form = await open();
    const startText = chicagoLocal(48 * 60);
    await form.getByLabel('Start', { exact: true }).fill(startText);
    await form.getByLabel('End', { exact: true }).fill(chicagoLocal(48 * 60 + 240));
    await form.getByLabel('Repeat').selectOption('recurrence');
    await form.getByLabel('Rule').fill('FREQ=DAILY;COUNT=3');
    await form.getByRole('button', { name: 'Post shift' }).click();
    await mp.getByRole('status').filter({ hasText: 'and 2 more like it' }).waitFor();
    const series = (await call(managerApi, 'GET', `/api/v1/facilities/${kLakeside.id}/shifts`)).body.items
      .filter((s) => s.discipline === 'LPN' && s.start_local.slice(11, 16) === startText.slice(11, 16) && s.pay_rate_cents === 4000);
    assert.equal(series.length, 3, 'three shifts');
    const days = series.map((s) => s.start_local.slice(0, 10)).sort();
    assert.equal(days[0], startText.slice(0, 10));
    for (let i = 1; i < 3; i++) assert.equal(Date.parse(days[i]) - Date.parse(days[i - 1]), 86_400_000, 'consecutive days');
    await event(mp, series.find((s) => s.start_local.startsWith(startText)).id).waitFor();
    assert.deepEqual(manager.errors, []);
  } finally {
    await manager.close();
  }
});

/** The calendar date `days` from today in this machine's zone (the browser's), "YYYY-MM-DD". */
function localDate(days) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(Date.now() + days * 86_400_000)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

test('fill rates: the chart and table show the fill metrics of the API by week and by unit', async () => {
  const manager = await openBrowser();
  try {
    const mp = manager.page;
    await signIn(mp, server.baseUrl, demo.users.facility_manager);
    await goTo(mp, 'Fill rates');
    const range = `from=${localDate(-56)}&to=${localDate(28)}`;
    for (const by of ['week', 'unit']) {
      if (by === 'unit') await mp.getByLabel('Group by').selectOption('unit');
      const api = (await call(managerApi, 'GET', `/api/v1/facilities/${kLakeside.id}/fill-metrics?${range}&group_by=${by}`)).body;
      assert.ok(api.items.length > 0, `the demo's history has ${by} groups`);
      const table = mp.locator('main table.fill-table');
      await table.locator('caption').filter({ hasText: `by ${by}` }).waitFor();
      assert.equal(await table.locator('tbody tr').count(), api.items.length, `${by}: one row per group`);
      assert.equal(await mp.locator('svg.chart rect').count(), api.items.length, `${by}: one bar per group`);
      for (const g of api.items) {
        const name = by === 'week' ? g.week : units.find((u) => u.id === g.unit_id).name;
        const cells = await table.locator(`tbody tr[data-group="${name}"] td`).allTextContents();
        const rate = `${Math.round(g.fill_rate * 1000) / 10}%`;
        assert.deepEqual(cells.slice(0, 4), [String(g.shifts), String(g.openings), String(g.filled), rate], `${by} ${name}`);
        assert.equal(Number(await mp.locator(`svg.chart g[data-group="${name}"] rect`).getAttribute('data-rate')), g.fill_rate);
      }
    }
    await assertAccessible(mp);
    await mp.screenshot({ path: artifactPath('fill-rates.png'), fullPage: true });
    assert.deepEqual(manager.errors, []);
  } finally {
    await manager.close();
  }
});

test('calendar link: create, rotate (the old URL stops), turn off', async () => {
  const clinician = await openBrowser();
  try {
    const cp = clinician.page;
    await signIn(cp, server.baseUrl, demo.users.clinician);
    await goTo(cp, 'My shifts');
    const panel = cp.getByRole('region', { name: 'Calendar link' });
    await panel.getByRole('button', { name: 'Create calendar link' }).click();
    const first = await panel.getByTestId('calendar-url').textContent();
    assert.match(first, /^http:\/\/.+\/api\/v1\/calendar\/[A-Za-z0-9_-]+\.ics$/);
    const feed = await fetch(first);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type'), /^text\/calendar/);
    const cal = new ICAL.Component(ICAL.parse(await feed.text()));
    assert.ok(cal.getAllSubcomponents('vevent').length > 0, 'her booked shifts are in the feed');
    await assertAccessible(cp);

    await panel.getByRole('button', { name: 'Make a new link' }).click();
    await panel.getByText('any earlier link has stopped working').waitFor();
    const second = await panel.getByTestId('calendar-url').textContent();
    assert.notEqual(second, first);
    assert.equal((await fetch(first)).status, 404);
    assert.equal((await fetch(second)).status, 200);

    await panel.getByRole('button', { name: 'Turn off link' }).click();
    await panel.getByText('Your calendar link is turned off').waitFor();
    assert.equal(await panel.getByTestId('calendar-url').count(), 0);
    assert.equal((await fetch(second)).status, 404);
    assert.deepEqual(clinician.errors, []);
  } finally {
    await clinician.close();
  }
});
