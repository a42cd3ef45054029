// Time and attendance in the browser (issue 5 part 7, issue 4 part 9): the manager posts a
// shift with the form, the clinician claims it from the open-shift feed, clocks in with the
// browser's location (2 km out: accepted and flagged), takes a meal break, clocks out and
// submits; the manager's approval queue shows the flag in words as soon as the timesheet is
// submitted (live event), the detail shows the punch's distance, and approval locks it. A
// second shift is punched with location access denied (a note, and a "no location" flag),
// disputed with a reason, corrected at the clinician's request, and the revision shows the
// original and the new value.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { login } from '../lib/server.mjs';
import {
  assertAccessible, artifactPath, callApi, chicagoLocal, demo, goTo, kLakeside, openBrowser, prepareLakesideForRiley, settled,
  signIn, startUiServer,
} from './browser.mjs';

const LAKESIDE = kLakeside.id;
const LAKESIDE_AT = kLakeside.at;
const TWO_KM_NORTH = { latitude: 41.9216, longitude: -87.627 };

let server, admin, clinicianApi, unit;
const call = (who, method, path, body) => callApi(server.baseUrl, who, method, path, body);

before(async () => {
  server = await startUiServer();
  admin = await login(server.baseUrl, demo.users.mso_admin);
  clinicianApi = await login(server.baseUrl, demo.users.clinician);
  unit = (await call(admin, 'GET', `/api/v1/facilities/${LAKESIDE}/units`)).body.items[0];
  await prepareLakesideForRiley(server.baseUrl, admin, clinicianApi);
});
after(async () => { await server?.stop(); });

/** The card of `shiftId` on the clinician's "My shifts" page. */
const card = (page, shiftId) => page.locator(`section.shift-card[data-shift-id="${shiftId}"]`);

test('post, claim, clock in and out with location, submit, live queue, approve', async () => {
  const manager = await openBrowser();
  const clinician = await openBrowser();
  try {
    // The manager posts the shift with the form (facility-local times).
    const mp = manager.page;
    await signIn(mp, server.baseUrl, demo.users.facility_manager, '/shifts');
    await settled(mp);
    await mp.getByRole('button', { name: 'Post a shift' }).click();
    const form = mp.getByRole('form', { name: /Post a shift/ });
    await form.getByLabel('Unit').selectOption(String(unit.id));
    await form.getByLabel('Discipline').selectOption('RN');
    const now = Date.now();
    const startText = chicagoLocal(20, now);
    await form.getByLabel('Start').fill(startText);
    await form.getByLabel('End').fill(chicagoLocal(80, now));
    await form.getByLabel('Pay rate ($ per hour)').fill('abc');
    await form.getByRole('button', { name: 'Post shift' }).click();
    // A bad amount is named next to its field, and nothing is posted.
    await form.getByText('An amount in dollars').waitFor();
    await form.getByLabel('Pay rate ($ per hour)').fill('52.00');
    await form.getByLabel('Bill rate ($ per hour)').fill('74.00');
    await assertAccessible(mp);
    await form.getByRole('button', { name: 'Post shift' }).click();
    await mp.getByRole('status').filter({ hasText: 'Posted:' }).waitFor();
    // The demo's worked history is there too: the new shift is the one starting at startText.
    const shifts = (await call(admin, 'GET', `/api/v1/facilities/${LAKESIDE}/shifts`)).body.items
      .filter((s) => s.start_local.slice(0, 16) === startText && s.status === 'open');
    assert.equal(shifts.length, 1, 'one shift posted');
    const shift = shifts[0];
    assert.equal(shift.pay_rate_cents, 5200);
    assert.equal(shift.bill_rate_cents, 7400);
    assert.equal(shift.length_minutes, 60);
    const row = mp.locator(`main table tbody tr[data-shift-id="${shift.id}"]`);
    assert.match(await row.textContent(), /0 of 1/);

    // The clinician lands on the open-shift feed and claims it; the manager's list fills live.
    const cp = clinician.page;
    await signIn(cp, server.baseUrl, demo.users.clinician);
    await settled(cp);
    assert.equal(new URL(cp.url()).pathname, '/open-shifts');
    await assertAccessible(cp);
    const offer = cp.locator(`main table tbody tr[data-shift-id="${shift.id}"]`);
    assert.match(await offer.textContent(), /Lakeside Care Center/);
    assert.match(await offer.textContent(), /\$52\.00\/h/);
    await offer.getByRole('button', { name: /^Claim/ }).click();
    await cp.getByRole('status').filter({ hasText: 'Booked' }).waitFor();
    await row.filter({ hasText: '1 of 1' }).waitFor();
    await cp.screenshot({ path: artifactPath('open-shifts-clinician.png'), fullPage: true });

    // Clock in 2 km north of the facility: accepted, with its distance and the flag.
    await clinician.context.grantPermissions(['geolocation'], { origin: server.baseUrl });
    await clinician.context.setGeolocation({ ...TWO_KM_NORTH, accuracy: 12 });
    await goTo(cp, 'My shifts');
    const mine = card(cp, shift.id);
    await mine.getByRole('button', { name: 'Clock in' }).click();
    await mine.getByText(/Clocked in at \d\d:\d\d \(2\.0 km from the facility\)/).waitFor();
    assert.match(await mine.locator('.flags').textContent(), /Outside geofence at clock-in \(2\.0 km\)/);
    await mine.getByRole('button', { name: 'Start break' }).click();
    await mine.getByText('on a meal break').waitFor();
    assert.equal(await mine.getByRole('button', { name: 'Clock out' }).isDisabled(), true, 'no clock-out during a break');
    await mine.getByRole('button', { name: 'End break' }).click();
    await clinician.context.setGeolocation({ ...LAKESIDE_AT, accuracy: 8 });
    await mine.getByRole('button', { name: 'Clock out' }).click();
    await mine.getByRole('button', { name: 'Submit timesheet' }).waitFor();
    await assertAccessible(cp);

    // The manager watches the approval queue while the clinician submits.
    await goTo(mp, 'Timesheets');
    await mp.locator('main table caption').filter({ hasText: 'submitted' }).waitFor();  // the demo's queue
    await mp.getByTestId('live-indicator').filter({ hasText: 'live' }).waitFor();
    const open = (await call(clinicianApi, 'GET', '/api/v1/me/timesheets')).body.items.find((t) => t.shift_id === shift.id);
    assert.equal(open.status, 'open');
    const queued = mp.locator(`main table tbody tr[data-timesheet-id="${open.id}"]`);
    assert.equal(await queued.count(), 0, 'not in the queue before it is submitted');
    await mine.getByRole('button', { name: 'Submit timesheet' }).click();
    await mine.getByText('Submitted').waitFor();
    const sheet = (await call(clinicianApi, 'GET', `/api/v1/timesheets/${open.id}`)).body;
    assert.equal(sheet.status, 'submitted');
    await queued.waitFor();  // arrived by the live event, without a reload
    const flags = await queued.locator('.flags').textContent();
    assert.match(flags, /Outside geofence at clock-in \(2\.0 km\)/, 'the geofence flag is written out');
    assert.match(flags, /Early clock-in/);
    assert.doesNotMatch(flags, /clock-out \(/, 'the clock-out was at the facility');
    assert.match(await queued.locator('th[scope="row"]').textContent(), /Riley Nguyen|Clinician #1/);
    await assertAccessible(mp);
    await mp.screenshot({ path: artifactPath('timesheet-queue-manager.png'), fullPage: true });

    // The detail: punches with their distance from the facility; approve locks it.
    await queued.getByRole('link', { name: /Review/ }).click();
    await mp.getByRole('heading', { name: /^Timesheet of/, level: 1 }).waitFor();
    await settled(mp);
    const punches = mp.locator('main table').filter({ hasText: 'Punches as recorded' });
    const clockInRow = punches.locator('tbody tr').filter({ hasText: 'Clock-in' });
    // Columns after the punch: time, received, distance from the facility, accuracy.
    assert.deepEqual((await clockInRow.locator('td').allTextContents()).slice(2), ['2.0 km', '±12 m']);
    const clockOutRow = punches.locator('tbody tr').filter({ hasText: 'Clock-out' });
    assert.deepEqual((await clockOutRow.locator('td').allTextContents()).slice(2), ['0 m', '±8 m']);
    assert.equal(await punches.locator('tbody tr').filter({ hasText: 'Break' }).count(), 2);
    await assertAccessible(mp);
    await mp.getByRole('button', { name: 'Approve timesheet' }).click();
    await mp.locator('main dl .status-approved').waitFor();
    assert.equal(await mp.getByRole('button', { name: 'Approve timesheet' }).count(), 0);
    const approved = await call(admin, 'GET', `/api/v1/timesheets/${sheet.id}`);
    assert.equal(approved.body.status, 'approved');

    // The clinician's timesheets list shows it approved.
    await goTo(cp, 'My timesheets');
    const listed = cp.locator(`main table tbody tr[data-timesheet-id="${sheet.id}"]`);
    assert.match(await listed.textContent(), /Approved/);
    await assertAccessible(cp);
    assert.deepEqual(manager.errors, []);
    assert.deepEqual(clinician.errors, []);
  } finally {
    await manager.close();
    await clinician.close();
  }
});

test('location denied: a note and a flag; dispute with a reason, a correction, its revision', async () => {
  const managerApi = await login(server.baseUrl, demo.users.facility_manager);
  const now = Date.now();
  const posted = await call(managerApi, 'POST', `/api/v1/facilities/${LAKESIDE}/shifts`, {
    unit_id: unit.id, discipline: 'RN', start: chicagoLocal(100, now), end: chicagoLocal(160, now), pay_rate_cents: 5200, bill_rate_cents: 7400,
  });
  assert.equal(posted.status, 201, JSON.stringify(posted.body));
  const claim = await call(clinicianApi, 'POST', `/api/v1/shifts/${posted.body.id}/claims`, {});
  assert.equal(claim.status, 201, JSON.stringify(claim.body));

  const clinician = await openBrowser();
  const manager = await openBrowser();
  try {
    const cp = clinician.page;
    await clinician.context.clearPermissions();  // location access is not granted
    await signIn(cp, server.baseUrl, demo.users.clinician, '/my-shifts');
    await settled(cp);
    const mine = card(cp, posted.body.id);
    await mine.getByRole('button', { name: 'Clock in' }).click();
    await mine.getByText(/without a location and flagged for your manager/).waitFor();
    await mine.getByText(/Clocked in at/).waitFor();
    assert.match(await mine.locator('.flags').textContent(), /No location at clock-in/);
    await mine.getByRole('button', { name: 'Clock out' }).click();
    await mine.getByRole('button', { name: 'Submit timesheet' }).click();
    await mine.getByText('Submitted').waitFor();
    const sheet = (await call(clinicianApi, 'GET', '/api/v1/me/timesheets')).body.items.find((t) => t.shift_id === posted.body.id);
    assert.ok(sheet.flags.includes('no_location_in'), sheet.flags.join());

    // The manager disputes it; an empty reason is refused next to the field.
    const mp = manager.page;
    await signIn(mp, server.baseUrl, demo.users.facility_manager, `/timesheets/${sheet.id}`);
    await settled(mp);
    assert.match(await mp.locator('main dl').textContent(), /No location at clock-in/);
    assert.match(await mp.locator('main table').filter({ hasText: 'Punches as recorded' }).textContent(), /no location/);
    await mp.getByRole('button', { name: 'Dispute…' }).click();
    const dispute = mp.getByRole('form', { name: 'Dispute the timesheet' });
    await dispute.getByRole('button', { name: 'Dispute' }).click();
    await dispute.getByText('A dispute needs a reason').waitFor();
    assert.equal(await dispute.getByLabel('Dispute reason').getAttribute('aria-invalid'), 'true');
    await assertAccessible(mp);
    await dispute.getByLabel('Dispute reason').fill('You left at 17:00, not at the end of the shift.');
    await dispute.getByRole('button', { name: 'Dispute' }).click();
    await mp.locator('main dl .status-disputed').waitFor();

    // The clinician reads the reason and asks for a correction of the clock-out.
    await goTo(cp, 'My timesheets');
    const listed = cp.locator(`main table tbody tr[data-timesheet-id="${sheet.id}"]`);
    assert.match(await listed.textContent(), /Disputed: You left at 17:00/);
    await listed.getByRole('link').click();
    await cp.getByRole('heading', { name: /^Timesheet of/, level: 1 }).waitFor();
    await settled(cp);
    await cp.getByRole('button', { name: 'Request a correction' }).click();
    const correction = cp.getByRole('form', { name: 'Request a correction' });
    const wanted = await correction.getByLabel('Clock-in').inputValue();
    // Clock-out 30 minutes after the clock-in (facility time), typed as the facility's wall clock.
    const at = new Date(Date.parse(sheet.clock_in) + 30 * 60000);
    const outLocal = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(at).reduce((acc, p) => ({ ...acc, [p.type]: p.value }), {});
    const outText = `${outLocal.year}-${outLocal.month}-${outLocal.day}T${outLocal.hour}:${outLocal.minute}`;
    assert.match(wanted, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'the clock-in is prefilled in facility time');
    await correction.getByLabel('Clock-out').fill(outText);
    await correction.getByRole('button', { name: 'Send correction' }).click();
    await correction.getByText(/Say what happened/).waitFor();
    await correction.getByLabel('Reason').fill('I stayed until the end of the handover.');
    await correction.getByRole('button', { name: 'Send correction' }).click();
    await cp.getByRole('heading', { name: 'Correction awaiting approval' }).waitFor();
    await assertAccessible(cp);

    // The manager approves the correction; the revision keeps the original value.
    await mp.reload();
    await settled(mp);
    await mp.getByRole('button', { name: 'Approve correction' }).click();
    const revisions = mp.locator('main table').filter({ hasText: 'Revisions' });
    await revisions.locator('tbody tr').filter({ hasText: 'Clock-out' }).waitFor();
    const revision = revisions.locator('tbody tr').filter({ hasText: 'Clock-out' });
    assert.match(await revision.textContent(), /I stayed until the end of the handover/);
    const oldValue = await revision.locator('.old-value').textContent();
    const newValue = await revision.locator('.new-value').textContent();
    assert.notEqual(oldValue, newValue);
    assert.match(newValue, new RegExp(`${outLocal.hour}:${outLocal.minute}`), 'the new clock-out in facility time');
    const corrected = await call(admin, 'GET', `/api/v1/timesheets/${sheet.id}`);
    assert.equal(Date.parse(corrected.body.clock_out), Date.parse(sheet.clock_in) - (Date.parse(sheet.clock_in) % 60000) + 30 * 60000);
    assert.ok(corrected.body.flags.includes('corrected'), corrected.body.flags.join());
    await mp.screenshot({ path: artifactPath('timesheet-detail-manager.png'), fullPage: true });
    assert.deepEqual(manager.errors, []);
    assert.deepEqual(clinician.errors, []);
  } finally {
    await clinician.close();
    await manager.close();
  }
});
