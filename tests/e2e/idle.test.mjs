// The real idle timeout (HIPAA automatic log-off): with the server's idle window at its
// minimum of one minute, a browser left alone past idle_expires_at is sent back to sign-in
// with "Your session expired". Slow by nature (about 65 s), so it has its own file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { demo, openBrowser, settled, signIn, startUiServer } from './browser.mjs';

let server;
before(async () => { server = await startUiServer({ env: { OPENMSO_SESSION_IDLE_MINUTES: '1' } }); });
after(async () => { await server?.stop(); });

test('an idle session expires and the next click shows "session expired"', { timeout: 120_000 }, async () => {
  const browser = await openBrowser();
  const { page } = browser;
  try {
    await signIn(page, server.baseUrl, demo.users.billing);
    await settled(page);
    const session = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).json());
    const idleEnd = Date.parse(session.idle_expires_at);
    const wait = idleEnd - Date.now();
    assert.ok(wait > 0 && wait <= 61_000, `idle window of at most a minute (${wait} ms left)`);
    await page.waitForTimeout(wait + 1500);
    // The UI may already have noticed (its event socket re-checks the session when closed).
    const account = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' });
    if (await account.count()) await account.click({ timeout: 2000 }).catch(() => undefined);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.match(await page.locator('main').textContent(), /Your session expired/);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
