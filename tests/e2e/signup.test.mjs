// Self sign-up in the browser (issue 3 part 1): from the sign-in page's link, fill the form,
// see "check your email"; the confirmation link is read from the development file sender's
// log (the outbox job runs every second), opened in the browser, and the new clinician then
// signs in and finds their profile in status Applied. Also: the server's refusal of a short
// password shows next to the password field, and a bad link says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertAccessible, openBrowser, settled, startUiServer, submitSignIn } from './browser.mjs';

let server, dir, outbox;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openmso-e2e-signup-'));
  outbox = join(dir, 'outbox.log');
  server = await startUiServer({
    env: {
      OPENMSO_JOBS_INTERVAL_SECONDS: '1',
      OPENMSO_NOTIFY_EMAIL_URL: `file:${outbox}`,
      OPENMSO_PUBLIC_URL: 'https://mso.example.org',
    },
  });
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// The file sender's log, quoted-printable bodies decoded (soft breaks and =XX).
const outboxText = () => (existsSync(outbox) ? readFileSync(outbox, 'utf8') : '')
  .replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));

/** The path and query of the last confirmation link mailed to `email` (polls the log). */
async function mailedLink(email) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const messages = outboxText().split(/^From /m).filter((m) => m.includes(`\nTo: ${email}\n`));
    const m = messages.at(-1)?.match(/https:\/\/mso\.example\.org(\/signup\/confirm\?token=[A-Za-z0-9_-]+)/);
    if (m) return m[1];
    if (Date.now() > deadline) throw new Error(`no confirmation link mailed to ${email}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function fillForm(page, { email, password }) {
  await page.getByLabel('First name').fill('Dana');
  await page.getByLabel('Last name').fill('Okafor');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Discipline').selectOption('RN');
  await page.getByLabel('Latitude').fill('41.88');
  await page.getByLabel('Longitude').fill('-87.63');
  await page.getByLabel('Travel radius (km)').fill('40');
}

test('sign up, confirm from the emailed link, sign in and see status Applied', async () => {
  const browser = await openBrowser();
  const { page } = browser;
  const email = 'dana.okafor.e2e@example.org';
  const password = 'a-long-enough-password';
  try {
    await page.goto(server.baseUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Sign up', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/signup');
    await assertAccessible(page, { nav: false });
    await fillForm(page, { email, password });
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    assert.match(await page.getByRole('status').textContent(), /If dana\.okafor\.e2e@example\.org can be used/);

    // The link from the mail, opened on this server (the mail names the public URL).
    const link = await mailedLink(email);
    await page.goto(server.baseUrl + link);
    await page.getByRole('heading', { name: 'Application received' }).waitFor();
    assert.equal(new URL(page.url()).search, '', 'the spent token is gone from the address bar');
    await assertAccessible(page, { nav: false });

    // Opening the same link again: it works once.
    await page.goto(server.baseUrl + link);
    await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    assert.match(await page.getByRole('alert').textContent(), /invalid, already used or expired/);

    await page.getByRole('link', { name: 'sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await submitSignIn(page, email, password);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My profile', exact: true }).click();
    await page.getByRole('heading', { name: 'My profile', level: 1 }).waitFor();
    await settled(page);
    assert.match(await page.getByTestId('clinician-status').textContent(), /^Applied/);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test('a short password is refused next to the password field', async () => {
  const browser = await openBrowser();
  const { page } = browser;
  const email = 'short.password.e2e@example.org';
  try {
    await page.goto(`${server.baseUrl}/signup`);
    await page.getByRole('heading', { name: 'Sign up', level: 1 }).waitFor();
    await fillForm(page, { email, password: 'short' });
    await page.getByRole('button', { name: 'Sign up' }).click();
    const passwordField = page.getByLabel('Password');
    await page.locator('input[name="password"][aria-invalid="true"]').waitFor();
    const describedBy = (await passwordField.getAttribute('aria-describedby')).split(' ');
    const texts = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()));
    assert.ok(texts.some((t) => /must be 12 to 256 characters/.test(t)), `the server's password error is shown: ${texts.join(' | ')}`);
    assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), null, 'only the password is named');
    assert.equal(await page.getByRole('heading', { name: 'Check your email' }).count(), 0);
    assert.equal(new URL(page.url()).pathname, '/signup');
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test('a link without a valid token says so', async () => {
  const browser = await openBrowser();
  const { page } = browser;
  try {
    await page.goto(`${server.baseUrl}/signup/confirm?token=not-a-real-token`);
    await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    assert.match(await page.getByRole('alert').textContent(), /invalid, already used or expired/);
    await page.getByRole('link', { name: 'Sign up again' }).click();
    await page.getByRole('heading', { name: 'Sign up', level: 1 }).waitFor();
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
