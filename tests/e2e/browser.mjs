// Shared pieces of the browser tests: Debian's Chromium driven by playwright-core in a fresh
// profile, signing in through the UI, and a small accessibility check of the current page.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startServer, demo } from '../lib/server.mjs';

export { demo };
export const artifactsDir = join(repoRoot, 'tests', 'e2e', 'artifacts');
export const kTimeout = 10_000;

const kChromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Starts the real server with demo data, serving the built UI. REQUIRES: web/dist built. */
export async function startUiServer(options = {}) {
  const dist = process.env.OPENMSO_STATIC_DIR || join(repoRoot, 'web', 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`${dist}/index.html is missing: run "npm run build:web" first`);
  }
  return await startServer(options);
}

/**
 * A fresh Chromium profile (no cookies, no storage) with one page. Page errors are
 * collected in `errors` so that a test can assert the UI threw none.
 */
export async function openBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'openmso-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.OPENMSO_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: kChromiumArgs,
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(kTimeout);
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Fills the sign-in form and submits it; does not wait for the outcome. */
export async function submitSignIn(page, email, password = demo.password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens `path` and signs in as `email`; resolves once the signed-in shell is shown. */
export async function signIn(page, baseUrl, email, path = '/') {
  await page.goto(baseUrl + path);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await submitSignIn(page, email);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** What the main navigation offers each demo role, in order (web/src/shell/access.ts). */
export const kNav = {
  mso_admin: ['Facilities', 'Shifts', 'Calendar', 'Approvals', 'Fill rates', 'Timesheets', 'Compliance', 'Verification',
    'Screening', 'Pay runs', 'Invoices', 'A/R aging', 'Users', 'Audit', 'My account'],
  facility_manager: ['Facilities', 'Shifts', 'Calendar', 'Approvals', 'Fill rates', 'Timesheets', 'Compliance', 'My account'],
  credentialing: ['Facilities', 'Verification', 'Screening', 'Compliance', 'My account'],
  billing: ['Facilities', 'Pay runs', 'Invoices', 'A/R aging', 'My account'],
  clinician: ['Open shifts', 'My shifts', 'My timesheets', 'Pay statements', 'My profile', 'My account'],
  auditor: ['Facilities', 'Shifts', 'Calendar', 'Fill rates', 'Timesheets', 'Compliance', 'Pay runs', 'Invoices', 'A/R aging', 'Users',
    'Audit', 'My account'],
};

/** The labels of the main navigation, in order. */
export async function navLabels(page) {
  return await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
}

/** Waits until the page has finished loading its data (no "Loading…" status left). */
export async function settled(page) {
  await page.locator('main h1').first().waitFor();
  await page.getByText('Loading…').waitFor({ state: 'detached' });
}

/**
 * Checks what a screen reader and a keyboard user need on the current page: nav and main
 * landmarks, one h1, a label for every form control and a name for every button and link.
 */
export async function assertAccessible(page, { nav = true } = {}) {
  const report = await page.evaluate(() => {
    const named = (el) => (el.getAttribute('aria-label') || el.textContent || '').trim().length > 0;
    const labelled = (el) => el.labels?.length > 0 || el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
    return {
      main: document.querySelectorAll('main').length,
      nav: document.querySelectorAll('nav').length,
      h1: document.querySelectorAll('h1').length,
      unlabelled: [...document.querySelectorAll('input, select, textarea')].filter((el) => !labelled(el)).map((el) => el.outerHTML),
      unnamed: [...document.querySelectorAll('button, a[href]')].filter((el) => !named(el)).map((el) => el.outerHTML),
    };
  });
  assert.equal(report.main, 1, 'one <main> landmark');
  if (nav) assert.ok(report.nav >= 1, 'a <nav> landmark');
  assert.equal(report.h1, 1, 'one h1');
  assert.deepEqual(report.unlabelled, [], 'every form control has a label');
  assert.deepEqual(report.unnamed, [], 'every button and link has a name');
}

export function artifactPath(name) {
  mkdirSync(artifactsDir, { recursive: true });
  return join(artifactsDir, name);
}

/** Follows an entry of the main navigation and waits for its page to load. */
export async function goTo(page, label) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { name: label, level: 1 }).waitFor();
  await settled(page);
}

/** An API call as `who` (from login()): { status, body } with JSON bodies parsed. */
export async function callApi(baseUrl, who, method, path, body) {
  const r = await fetch(`${baseUrl}${path}`, {
    method,
    headers: who.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text && (r.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : text };
}

/** The wall-clock time in Chicago `minutes` after `base` (ms), as the shift form and API take it. */
export function chicagoLocal(minutes, base = Date.now()) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(base + minutes * 60000)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

export const kLakeside = { id: 1, at: { latitude: 41.9036, longitude: -87.627 } };  // the demo manager's facility
export const kRiley = 1;  // the demo clinician's roster id

/**
 * Lets the demo clinician book short shifts at Lakeside close together: she lives ~35 km out
 * with a 25 km radius, so she moves within reach; instant book, no minimum rest, clock-in
 * opens 2 h ahead.
 */
export async function prepareLakesideForRiley(baseUrl, admin, clinician) {
  const profile = (await callApi(baseUrl, clinician, 'GET', `/api/v1/clinicians/${kRiley}/profile`)).body;
  const { id, email, status, status_reason, home_facility_id, ...editable } = profile;
  const steps = [
    await callApi(baseUrl, clinician, 'PUT', `/api/v1/clinicians/${kRiley}/profile`,
      { ...editable, home: { latitude: 41.91, longitude: -87.64 }, travel_radius_km: 40 }),
    await callApi(baseUrl, admin, 'PUT', `/api/v1/facilities/${kLakeside.id}/marketplace-settings`,
      { instant_book: true, min_rest_minutes: 0, weekly_hours_cap: 60 }),
    await callApi(baseUrl, admin, 'PUT', `/api/v1/facilities/${kLakeside.id}/timekeeping-settings`,
      { clock_in_opens_minutes: 120 }),
  ];
  for (const step of steps) assert.equal(step.status, 200, JSON.stringify(step.body));
}
