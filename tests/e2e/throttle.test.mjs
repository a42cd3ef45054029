// Repeated wrong passwords end in the server's 429 "too-many-attempts", which the sign-in
// page explains. Its own server, so that the lockout cannot disturb other tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { demo, openBrowser, startUiServer, submitSignIn } from './browser.mjs';

let server;
before(async () => { server = await startUiServer(); });
after(async () => { await server?.stop(); });

test('too many wrong passwords show "too many attempts"', async () => {
  const browser = await openBrowser();
  const { page } = browser;
  try {
    await page.goto(server.baseUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const seen = [];
    for (let i = 0; i < 20; i += 1) {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await submitSignIn(page, demo.users.clinician, `wrong-${i}`);
      const response = await answered;
      seen.push(response.status());
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      if (response.status() === 429) break;
    }
    assert.equal(seen.at(-1), 429, `statuses seen: ${seen.join(',')}`);
    assert.ok(seen.slice(0, -1).every((s) => s === 401), `401 before the lockout: ${seen.join(',')}`);
    assert.match(await page.getByRole('alert').textContent(), /too many attempts/i);
  } finally {
    await browser.close();
  }
});
