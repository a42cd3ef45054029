// Signing in and out through the browser: wrong password, keyboard-only sign-in, sign-out
// revoking the session on the server, session expiry (cookie gone or replaced), and the
// live-events indicator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { login } from '../lib/server.mjs';
import {
  assertAccessible, demo, kNav, navLabels, openBrowser, settled, signIn, startUiServer, submitSignIn,
} from './browser.mjs';

const kExpired = /Your session expired/;

let server;
before(async () => { server = await startUiServer(); });
after(async () => { await server?.stop(); });

/** Status of GET /api/v1/me from inside the page (so with the browser's cookies). */
async function meStatus(page) {
  return await page.evaluate(async () => (await fetch('/api/v1/me', { credentials: 'same-origin' })).status);
}

test('sign-in page is labelled and a wrong password shows an error', async () => {
  const browser = await openBrowser();
  const { page } = browser;
  try {
    await page.goto(server.baseUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await assertAccessible(page, { nav: false });
    await submitSignIn(page, demo.users.credentialing, 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /email or password is not correct/i);
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'password field is cleared');
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0, 'still signed out');
    assert.equal(await meStatus(page), 401);

    // The right password after a wrong one works.
    await submitSignIn(page, demo.users.credentialing);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test('keyboard only: sign in, move through the menu, sign out', async () => {
  const browser = await openBrowser();
  const { page } = browser;
  try {
    await page.goto(server.baseUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // The email field has focus on arrival.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'email');
    await page.keyboard.type(demo.users.auditor);
    await page.keyboard.press('Tab');
    await page.keyboard.type(demo.password);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await settled(page);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Facilities',
      'after sign-in the focus is on the page heading');

    // Tab from the top of a fresh page load: the skip link comes first and shows when focused.
    await page.reload();
    await settled(page);
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement;
      const box = el.getBoundingClientRect();
      return { text: el.textContent, visible: box.left >= 0 && box.width > 0, outline: getComputedStyle(el).outlineStyle };
    });
    assert.equal(skip.text, 'Skip to content');
    assert.ok(skip.visible, 'skip link shows when focused');
    assert.notEqual(skip.outline, 'none', 'focused control has a visible outline');

    // Reach the "Audit" menu entry by Tab and open it with Enter.
    let reached = false;
    for (let i = 0; i < 15 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent === 'Audit');
    }
    assert.ok(reached, 'Audit entry reachable with Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Audit events', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/audit');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus moves to the new page heading');
    assert.equal(await page.getByRole('link', { name: 'Audit' }).getAttribute('aria-current'), 'page');

    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  } finally {
    await browser.close();
  }
});

test('sign-out returns to sign-in and the old session no longer works', async () => {
  const browser = await openBrowser();
  const { page, context } = browser;
  try {
    await signIn(page, server.baseUrl, demo.users.billing);
    assert.equal(await meStatus(page), 200);
    const before = (await context.cookies()).find((c) => c.name === 'openmso_session');
    assert.ok(before, 'session cookie set');
    assert.equal(before.httpOnly, true, 'session cookie is HttpOnly');
    assert.equal(before.sameSite, 'Strict', 'session cookie is SameSite=Strict');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.match(await page.locator('main').textContent(), /signed out/i);
    assert.equal(await meStatus(page), 401);

    // Put the old cookie back: the server revoked that session, so it is refused.
    await context.addCookies([before]);
    assert.equal(await meStatus(page), 401, 'revoked session token is refused');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test('session expiry: cookie removed, then a click in the app shows "session expired"', async () => {
  const browser = await openBrowser();
  const { page, context } = browser;
  try {
    await signIn(page, server.baseUrl, demo.users.mso_admin);
    await settled(page);
    await context.clearCookies();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.match(await page.locator('main').textContent(), kExpired);

    // Signing in again continues where the user was.
    await submitSignIn(page, demo.users.mso_admin);
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test('session expiry: cookie overwritten, then a page load shows "session expired"', async () => {
  const browser = await openBrowser();
  const { page, context } = browser;
  try {
    await signIn(page, server.baseUrl, demo.users.auditor);
    await settled(page);
    await context.addCookies([{ name: 'openmso_session', value: 'expired-or-forged-token', url: server.baseUrl }]);
    await page.goto(`${server.baseUrl}/audit`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.match(await page.locator('main').textContent(), kExpired);
    await submitSignIn(page, demo.users.auditor);
    await page.getByRole('heading', { name: 'Audit events', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/audit');
    assert.deepEqual(await navLabels(page), kNav.auditor);
  } finally {
    await browser.close();
  }
});

test('live indicator connects to /api/v1/events and shows events as toasts', async () => {
  const browser = await openBrowser();
  const { page } = browser;
  try {
    const frames = [];
    page.on('websocket', (ws) => {
      frames.push({ url: ws.url(), received: [] });
      ws.on('framereceived', (f) => frames.at(-1).received.push(String(f.payload)));
    });
    await signIn(page, server.baseUrl, demo.users.mso_admin);
    const indicator = page.getByTestId('live-indicator');
    await page.waitForFunction(() => document.querySelector('[data-testid="live-indicator"]')?.textContent === 'live');
    assert.equal(await indicator.textContent(), 'live');
    assert.ok(frames.some((f) => new URL(f.url).pathname === '/api/v1/events'), 'socket opened on /api/v1/events');
    const first = frames.flatMap((f) => f.received).map((t) => JSON.parse(t))[0];
    assert.equal(first?.type, 'hello', 'first message is hello');
    assert.equal(typeof first.user_id, 'number');

    // An MSO admin creating a facility through the API shows up as a toast in this browser.
    const admin = await login(server.baseUrl, demo.users.mso_admin);
    const created = await fetch(`${server.baseUrl}/api/v1/facilities`, {
      method: 'POST',
      headers: admin.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({
        name: 'Toast Test Clinic', type: 'clinic',
        address: { line1: '1 Test Way', city: 'Denver', state: 'CO', postal_code: '80202' },
        location: { latitude: 39.74, longitude: -104.99 }, time_zone: 'America/Denver',
      }),
    });
    assert.equal(created.status, 201, await created.text());
    const toast = page.getByRole('status', { name: 'Live events' }).getByText('Facility created');
    await toast.waitFor();
    await page.getByRole('button', { name: 'Dismiss notification' }).click();
    await toast.waitFor({ state: 'detached' });
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
