// Each demo role signs in through the browser and sees exactly what its role allows: the
// navigation entries, the facilities the server lets it list, and "not allowed" for the
// pages the server refuses (reached by typing the address, not through the menu).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { login } from '../lib/server.mjs';
import {
  assertAccessible, artifactPath, demo, kNav, navLabels, openBrowser, settled, signIn, startUiServer,
} from './browser.mjs';

const kAll = ['Desert Vista Clinic', 'Harbor Point Hospital', 'Lakeside Care Center'];
const kNotAllowed = 'You are not allowed to see this page.';

// One row per demo role: where it lands and what each page must show (the menu: kNav).
const kRoles = [
  { role: 'mso_admin', landing: '/facilities', facilities: kAll, users: true, audit: true },
  { role: 'facility_manager', landing: '/facilities', facilities: ['Lakeside Care Center'], users: false, audit: false },
  { role: 'credentialing', landing: '/facilities', facilities: kAll, users: false, audit: false },
  { role: 'billing', landing: '/facilities', facilities: kAll, users: false, audit: false },
  { role: 'clinician', landing: '/open-shifts', facilities: null, users: false, audit: false },
  // Auditors read everything and change nothing (DESIGN.md roles), users included.
  { role: 'auditor', landing: '/facilities', facilities: kAll, users: true, audit: true },
];

let server;
before(async () => { server = await startUiServer(); });
after(async () => { await server?.stop(); });

async function visit(page, path) {
  await page.goto(server.baseUrl + path);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await settled(page);
}

async function facilityNames(page) {
  const names = await page.locator('main table tbody th[scope="row"]').allTextContents();
  return names.sort();
}

for (const row of kRoles) {
  test(`${row.role}: navigation and pages match the role`, async () => {
    const email = demo.users[row.role];
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, email);
      await settled(page);
      assert.deepEqual(await navLabels(page), kNav[row.role], `[${row.role}] nav entries`);
      // Signing in lands on the first entry of the menu.
      assert.equal(new URL(page.url()).pathname, row.landing, `[${row.role}] landing page`);
      await assertAccessible(page);

      // Every page the menu offers opens for this role: no "not allowed", accessible.
      for (const label of kNav[row.role]) {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
        await page.locator('main h1').first().waitFor();
        await settled(page);
        assert.equal(await page.getByRole('alert').filter({ hasText: kNotAllowed }).count(), 0, `[${row.role}] ${label} opens`);
        await assertAccessible(page);
      }

      // Facilities: the list the server allows, or "not allowed" when typed in directly.
      await visit(page, '/facilities');
      await assert.doesNotReject(page.getByRole('heading', { name: 'Facilities', level: 1 }).waitFor());
      if (row.facilities) {
        assert.deepEqual(await facilityNames(page), row.facilities, `[${row.role}] facilities listed`);
      } else {
        await page.getByRole('alert').filter({ hasText: kNotAllowed }).waitFor();
        assert.equal(await page.locator('main table').count(), 0, `[${row.role}] no facility table`);
      }

      // Users: MSO admin only.
      if (row.users !== null) await visit(page, '/users');
      if (row.users === null) {
        // Not checked for this role (see below).
      } else if (row.users) {
        const emails = await page.locator('main table tbody td').allTextContents();
        for (const demoEmail of Object.values(demo.users)) {
          assert.ok(emails.includes(demoEmail), `[${row.role}] users page lists ${demoEmail}`);
        }
        await assertAccessible(page);
      } else {
        await page.getByRole('alert').filter({ hasText: kNotAllowed }).waitFor();
      }

      // Audit: auditors and MSO admins; the sign-ins of this run are in it.
      await visit(page, '/audit');
      if (row.audit) {
        const actions = await page.locator('main table tbody td code').allTextContents();
        assert.ok(actions.some((a) => /login/i.test(a)), `[${row.role}] audit lists a login event, got ${JSON.stringify(actions)}`);
        await assertAccessible(page);
      } else {
        await page.getByRole('alert').filter({ hasText: kNotAllowed }).waitFor();
        assert.equal(await page.locator('main table').count(), 0, `[${row.role}] no audit table`);
      }

      // My account: every role, showing who the server says we are.
      await visit(page, '/account');
      const facts = await page.locator('main dl').textContent();
      assert.ok(facts.includes(email), `[${row.role}] account page shows the email`);
      assert.deepEqual(browser.errors, [], `[${row.role}] no uncaught errors in the page`);
    } finally {
      await browser.close();
    }
  });
}

test('facility manager cannot open another facility by its address', async () => {
  const admin = await login(server.baseUrl, demo.users.mso_admin);
  const list = await (await fetch(`${server.baseUrl}/api/v1/facilities`, { headers: admin.headers() })).json();
  const harbor = list.items.find((f) => f.name === 'Harbor Point Hospital');
  assert.ok(harbor, 'demo data has Harbor Point Hospital');
  const browser = await openBrowser();
  try {
    await signIn(browser.page, server.baseUrl, demo.users.facility_manager);
    await visit(browser.page, `/facilities/${harbor.id}`);
    const alert = await browser.page.getByRole('alert').textContent();
    assert.match(alert, /not allowed|not found/i);
    assert.equal(await browser.page.getByText('ICU').count(), 0);
  } finally {
    await browser.close();
  }
});

test('facilities page: columns, click through to units, screenshot', async () => {
  const browser = await openBrowser();
  const { page } = browser;
  try {
    await signIn(page, server.baseUrl, demo.users.mso_admin);
    await settled(page);
    const lakeside = page.locator('main table tbody tr').filter({ hasText: 'Lakeside Care Center' });
    const cells = await lakeside.locator('td').allTextContents();
    assert.equal(cells[1], 'Chicago, IL');
    assert.equal(cells[2], 'America/Chicago');
    const unitCount = Number(cells[3]);
    assert.ok(unitCount > 0, 'Lakeside has units');
    const phoenix = await page.locator('main table tbody tr').filter({ hasText: 'Desert Vista Clinic' }).locator('td').allTextContents();
    assert.equal(phoenix[1], 'Phoenix, AZ');
    assert.equal(phoenix[2], 'America/Phoenix');
    const boston = await page.locator('main table tbody tr').filter({ hasText: 'Harbor Point Hospital' }).locator('td').allTextContents();
    assert.equal(boston[1], 'Boston, MA');
    assert.equal(boston[2], 'America/New_York');
    await page.screenshot({ path: artifactPath('facilities-admin.png'), fullPage: true });

    await lakeside.getByRole('link', { name: 'Lakeside Care Center' }).click();
    await page.getByRole('heading', { name: 'Lakeside Care Center', level: 1 }).waitFor();
    await settled(page);
    assert.match(new URL(page.url()).pathname, /^\/facilities\/\d+$/);
    const units = await page.locator('main table tbody tr').count();
    assert.equal(units, unitCount, 'units page lists as many units as the list said');
    await assertAccessible(page);
    await page.screenshot({ path: artifactPath('facility-units-admin.png'), fullPage: true });

    // Back button returns to the list (history-based navigation).
    await page.goBack();
    await page.getByRole('heading', { name: 'Facilities', level: 1 }).waitFor();
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test('audit page filters by action and pages with "Older"', async () => {
  // Fill the trail past one page of 50. Reading a person's record (GET /api/v1/me) and
  // listing the trail are audited reads; sign-ins would run into the per-address throttle.
  const auditor = await login(server.baseUrl, demo.users.auditor);
  let more = false;
  for (let i = 0; i < 120 && !more; i += 1) {
    await fetch(`${server.baseUrl}/api/v1/me`, { headers: auditor.headers() });
    const page = await (await fetch(`${server.baseUrl}/api/v1/audit/events?limit=51`, { headers: auditor.headers() })).json();
    more = page.items.length > 50;
  }
  assert.ok(more, 'the audit trail holds more than 50 events');
  const browser = await openBrowser();
  const { page } = browser;
  try {
    await signIn(page, server.baseUrl, demo.users.auditor, '/audit');
    await settled(page);
    const seqs = async () => (await page.locator('main table tbody tr td:first-child').allTextContents()).map(Number);
    const first = await seqs();
    assert.equal(first.length, 50, 'a full first page');
    assert.deepEqual(first, [...first].sort((a, b) => b - a), 'newest first');

    await page.getByRole('button', { name: 'Older' }).click();
    await page.waitForFunction((top) => {
      const cell = document.querySelector('main table tbody tr td');
      return cell && Number(cell.textContent) < top;
    }, first[first.length - 1] + 1);
    const second = await seqs();
    assert.ok(second.length > 0 && Math.max(...second) < Math.min(...first), 'older page holds only older events');
    await page.getByRole('button', { name: 'Newer' }).click();
    // Back on the newest page (listing the trail is itself audited, so it may have grown).
    await page.waitForFunction((top) => Number(document.querySelector('main table tbody tr td')?.textContent) >= top, first[0]);

    // Filter by the action of a login row and by the billing user's id.
    const action = (await page.locator('main table tbody td code').allTextContents()).find((a) => /login/i.test(a));
    assert.ok(action, 'a login action on the first page');
    const billing = await login(server.baseUrl, demo.users.billing);
    await page.getByLabel('Action').fill(action);
    await page.getByLabel('Actor user id').fill(String(billing.user.id));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction((wanted) => {
      const codes = [...document.querySelectorAll('main table tbody td code')].map((c) => c.textContent);
      return codes.length > 0 && codes.every((c) => c === wanted);
    }, action);
    const actions = await page.locator('main table tbody td code').allTextContents();
    assert.ok(actions.length > 0 && actions.every((a) => a === action), 'only the filtered action');
    const actors = await page.locator('main table tbody tr td:nth-child(3)').allTextContents();
    assert.ok(actors.every((a) => a.startsWith(String(billing.user.id))), `only the filtered actor, got ${JSON.stringify(actors.slice(0, 3))}`);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
