// Credentialing in the browser (issue 3 part 10): the clinician's wallet shows each
// credential's expiry badge (valid / expiring within 30 days / expired) and verification
// status; the clinician adds a credential (a bad expiry is named next to its field), uploads
// a PDF (a text file named .pdf is refused: the server sniffs the content); the
// credentialing specialist approves it from the verification queue naming the source and
// rejects another with a reason, and the clinician then sees "Verified" and the reason. The
// compliance dashboard's counts agree with the API's facility compliance summary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { login } from '../lib/server.mjs';
import { assertAccessible, artifactPath, callApi, demo, goTo, kRiley, openBrowser, settled, signIn, startUiServer } from './browser.mjs';

let server, admin, clinicianApi, credentialingApi;
const call = (who, method, path, body) => callApi(server.baseUrl, who, method, path, body);

/** The calendar date `days` from today in this machine's zone (the browser's), "YYYY-MM-DD". */
function localDate(days) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(Date.now() + days * 86_400_000)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

const kPdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

before(async () => {
  server = await startUiServer();
  admin = await login(server.baseUrl, demo.users.mso_admin);
  clinicianApi = await login(server.baseUrl, demo.users.clinician);
  credentialingApi = await login(server.baseUrl, demo.users.credentialing);
});
after(async () => { await server?.stop(); });

/** The wallet's row of the credential `id`. */
const walletRow = (page, id) => page.locator(`main table tbody tr[data-credential-id="${id}"]`);

test('wallet: badges, add with a field error, upload; queue: approve and reject; the clinician sees both', async () => {
  const clinician = await openBrowser();
  const staff = await openBrowser();
  try {
    const cp = clinician.page;
    await signIn(cp, server.baseUrl, demo.users.clinician);
    await goTo(cp, 'My profile');
    await cp.getByRole('heading', { name: 'Riley Nguyen', level: 2 }).waitFor();
    await cp.locator('main table.wallet-table').waitFor();
    await assertAccessible(cp);

    // The demo's wallet: each badge follows the credential's expiry date (CRED-WALLET-BADGE, computed here from the API's dates).
    const before = (await call(clinicianApi, 'GET', `/api/v1/clinicians/${kRiley}/credentials`)).body.items;
    assert.ok(before.length >= 4, 'the demo gives Riley her license, BLS, TB and ACLS');
    const today = localDate(0);
    const dayNo = (d) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
    for (const c of before) {
      const left = c.expires_on ? dayNo(c.expires_on) - dayNo(today) : null;
      const expected = left === null ? 'no_expiry' : left < 0 ? 'expired' : left <= 30 ? 'expiring' : 'valid';
      assert.equal(await walletRow(cp, c.id).locator('[data-expiry]').getAttribute('data-expiry'), expected, `${c.type_code} badge`);
      assert.equal(await walletRow(cp, c.id).locator('[data-verification]').getAttribute('data-verification'), c.verification);
    }
    const bls = before.find((c) => c.type_code === 'BLS');
    assert.match(await walletRow(cp, bls.id).locator('[data-expiry]').textContent(), /^⚠ Expires in 20 days$/);
    const acls = before.find((c) => c.type_code === 'ACLS');
    assert.equal(acls.verification, 'pending');
    assert.match(await walletRow(cp, acls.id).textContent(), /Awaiting verification/);

    // Add PALS expiring in 10 days; an expiry before the issue date is refused next to its field first.
    await cp.getByRole('button', { name: 'Add a credential' }).click();
    const form = cp.getByRole('form', { name: 'Add a credential' });
    await form.getByLabel('Kind').selectOption('certification');
    await form.getByLabel('Type').fill('pals');
    await form.getByLabel('Number').fill('PALS-77001');
    await form.getByLabel('Issued on').fill(localDate(-5));
    await form.getByLabel('Expires on').fill(localDate(-6));
    await form.getByLabel('Issuer').fill('American Heart Association');
    await assertAccessible(cp);
    await form.getByRole('button', { name: 'Add credential' }).click();
    await form.locator('.field-error').filter({ hasText: 'Expiry date must not be before the issue date.' }).waitFor();
    assert.equal(await form.getByLabel('Expires on').getAttribute('aria-invalid'), 'true');
    assert.equal((await call(clinicianApi, 'GET', `/api/v1/clinicians/${kRiley}/credentials`)).body.items.length, before.length,
      'nothing added');
    await form.getByLabel('Expires on').fill(localDate(10));
    await form.getByRole('button', { name: 'Add credential' }).click();
    await cp.getByRole('status').filter({ hasText: 'Added PALS certification' }).waitFor();
    const pals = (await call(clinicianApi, 'GET', `/api/v1/clinicians/${kRiley}/credentials`)).body.items
      .find((c) => c.type_code === 'PALS');
    assert.equal(pals.expires_on, localDate(10));
    assert.equal(pals.verification, 'pending');
    const palsRow = walletRow(cp, pals.id);
    await palsRow.waitFor();
    assert.equal(await palsRow.locator('[data-expiry]').textContent(), '⚠ Expires in 10 days');
    assert.equal(await palsRow.locator('[data-verification]').textContent(), 'Awaiting verification');

    // An expired health record gets the "expired" badge.
    const old = await call(clinicianApi, 'POST', `/api/v1/clinicians/${kRiley}/credentials`,
      { kind: 'health', type_code: 'MMR', issued_on: localDate(-400), expires_on: localDate(-1) });
    assert.equal(old.status, 201, JSON.stringify(old.body));
    await cp.reload();
    await settled(cp);
    await walletRow(cp, old.body.id).waitFor();
    assert.equal(await walletRow(cp, old.body.id).locator('[data-expiry]').getAttribute('data-expiry'), 'expired');
    assert.match(await walletRow(cp, old.body.id).locator('[data-expiry]').textContent(), /^✖ Expired /);

    // Upload: a text file named .pdf is refused (content sniffed); a real PDF is stored and listed.
    const upload = walletRow(cp, pals.id).getByLabel('Upload a document for PALS certification (PDF, JPEG or PNG)');
    await upload.setInputFiles({ name: 'fake.pdf', mimeType: 'application/pdf', buffer: Buffer.from('just some text, not a PDF') });
    await walletRow(cp, pals.id).getByRole('alert').filter({ hasText: 'Only PDF, JPEG and PNG' }).waitFor();
    assert.equal((await call(clinicianApi, 'GET', `/api/v1/credentials/${pals.id}/documents`)).body.items.length, 0);
    await upload.setInputFiles({ name: 'pals-card.pdf', mimeType: 'application/pdf', buffer: kPdf });
    await walletRow(cp, pals.id).getByRole('link', { name: 'Download pals-card.pdf of PALS certification' }).waitFor();
    const docs = (await call(clinicianApi, 'GET', `/api/v1/credentials/${pals.id}/documents`)).body.items;
    assert.equal(docs.length, 1);
    assert.equal(docs[0].content_type, 'application/pdf');
    assert.equal(docs[0].size_bytes, kPdf.length);
    const download = await fetch(`${server.baseUrl}/api/v1/documents/${docs[0].id}`, { headers: clinicianApi.headers() });
    assert.equal(download.status, 200);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), kPdf);
    await cp.screenshot({ path: artifactPath('credential-wallet.png'), fullPage: true });

    // The credentialing specialist's queue: PALS with its document; approve naming the source.
    const sp = staff.page;
    await signIn(sp, server.baseUrl, demo.users.credentialing);
    await goTo(sp, 'Verification');
    const queued = sp.locator(`main table tbody tr[data-credential-id="${pals.id}"]`);
    await queued.waitFor();
    assert.match(await queued.locator('th').textContent(), /Riley Nguyen/);
    assert.equal(await queued.locator('[data-expiry]').getAttribute('data-expiry'), 'expiring');
    await queued.getByRole('link', { name: 'Open pals-card.pdf of Riley Nguyen' }).waitFor();
    await assertAccessible(sp);
    const approve = queued.getByRole('form', { name: 'Approve PALS certification of Riley Nguyen' });
    await approve.getByLabel('Verified at (source)').fill('');
    await approve.getByRole('button', { name: 'Approve' }).click();
    await approve.getByText('Name the primary source').waitFor();
    await approve.getByLabel('Verified at (source)').fill('AHA eCard lookup');
    await approve.getByRole('button', { name: 'Approve' }).click();
    await sp.getByRole('status').filter({ hasText: 'Approved PALS certification of Riley Nguyen.' }).waitFor();
    await queued.waitFor({ state: 'detached' });

    // Reject the demo's pending ACLS with a reason (an empty reason is refused first).
    const aclsRow = sp.locator(`main table tbody tr[data-credential-id="${acls.id}"]`);
    await aclsRow.getByRole('button', { name: 'Reject ACLS certification of Riley Nguyen…' }).click();
    const reject = aclsRow.getByRole('form', { name: 'Reject ACLS certification of Riley Nguyen' });
    await reject.getByRole('button', { name: 'Reject' }).click();
    await reject.getByText('Give a reason; the clinician reads it.').waitFor();
    await reject.getByLabel('Reason for the clinician').fill('The eCard number was not found at the AHA.');
    await reject.getByRole('button', { name: 'Reject' }).click();
    await aclsRow.waitFor({ state: 'detached' });
    await sp.screenshot({ path: artifactPath('verification-queue.png'), fullPage: true });

    const decided = (await call(clinicianApi, 'GET', `/api/v1/clinicians/${kRiley}/credentials`)).body.items;
    const palsNow = decided.find((c) => c.id === pals.id);
    assert.equal(palsNow.verification, 'verified');
    assert.equal(palsNow.verification_source, 'AHA eCard lookup');
    assert.equal(decided.find((c) => c.id === acls.id).verification, 'rejected');
    const audit = (await call(admin, 'GET', '/api/v1/audit/events?action=credential.verify&limit=10')).body.items;
    assert.deepEqual(audit.map((e) => String(e.entity_id)).sort(), [String(acls.id), String(pals.id)].sort(),
      'each decision is audited');

    // The clinician sees the outcome on her wallet.
    await cp.reload();
    await settled(cp);
    await walletRow(cp, pals.id).locator('[data-verification="verified"]').waitFor();
    assert.equal(await walletRow(cp, pals.id).locator('[data-verification]').textContent(), 'Verified');
    assert.match(await walletRow(cp, pals.id).textContent(), /Source: AHA eCard lookup/);
    assert.equal(await walletRow(cp, acls.id).locator('[data-verification]').textContent(), 'Rejected');
    assert.match(await walletRow(cp, acls.id).textContent(), /Reason: The eCard number was not found at the AHA\./);
    assert.deepEqual(clinician.errors, []);
    assert.deepEqual(staff.errors, []);
  } finally {
    await clinician.close();
    await staff.close();
  }
});

test('profile: the clinician edits her own; an NPI failing the check digit is named next to its field', async () => {
  const clinician = await openBrowser();
  try {
    const cp = clinician.page;
    await signIn(cp, server.baseUrl, demo.users.clinician);
    await goTo(cp, 'My profile');
    await cp.getByRole('button', { name: 'Edit profile' }).click();
    const form = cp.getByRole('form', { name: 'Edit profile' });
    await form.getByLabel('Phone').fill('+1 312 555 0199');
    await form.getByLabel('Travel radius (km)').fill('45');
    await form.getByLabel('Specialties').fill('med_surg, telemetry');
    await form.getByLabel('NPI').fill('1234567890');  // CRED-NPI-LUHN: the check digit should be 3
    await assertAccessible(cp);
    await form.getByRole('button', { name: 'Save profile' }).click();
    await form.locator('.field-error').first().waitFor();
    assert.equal(await form.getByLabel('NPI').getAttribute('aria-invalid'), 'true');
    assert.notEqual((await call(clinicianApi, 'GET', `/api/v1/clinicians/${kRiley}/profile`)).body.travel_radius_km, 45,
      'nothing saved');
    await form.getByLabel('NPI').fill('1234567893');
    await form.getByRole('button', { name: 'Save profile' }).click();
    await cp.getByRole('status').filter({ hasText: 'Profile saved.' }).waitFor();
    const saved = (await call(clinicianApi, 'GET', `/api/v1/clinicians/${kRiley}/profile`)).body;
    assert.equal(saved.phone, '+1 312 555 0199');
    assert.equal(saved.travel_radius_km, 45);
    assert.deepEqual(saved.specialties, ['med_surg', 'telemetry']);
    assert.equal(saved.npi, '1234567893');
    // The facts re-render from the saved profile, which may come a moment after the status line.
    await cp.locator('main dl.facts').filter({ hasText: 'travels up to 45 km' }).waitFor();
    assert.deepEqual(clinician.errors, []);
  } finally {
    await clinician.close();
  }
});

test('clinician file: the credentialing team suspends with a reason (refused without) and reactivates', async () => {
  const staff = await openBrowser();
  try {
    const sp = staff.page;
    await signIn(sp, server.baseUrl, demo.users.credentialing);
    await sp.goto(`${server.baseUrl}/clinicians/4`);
    await settled(sp);
    const profile = (await call(credentialingApi, 'GET', '/api/v1/clinicians/4/profile')).body;
    assert.equal(profile.status, 'active');
    await sp.getByRole('heading', { name: `${profile.first_name} ${profile.last_name}`, level: 2 }).waitFor();
    await sp.locator('main table.wallet-table').waitFor();
    const form = sp.getByRole('form', { name: 'Change status' });
    assert.deepEqual(await form.getByLabel('New status').locator('option').allTextContents(), ['Suspended'], 'CRED-STATUS-FLOW');
    await assertAccessible(sp);
    await form.getByRole('button', { name: 'Change status' }).click();
    await form.getByText('Give a reason; the clinician reads it.').waitFor();
    assert.equal((await call(credentialingApi, 'GET', '/api/v1/clinicians/4/profile')).body.status, 'active');
    await form.getByLabel(/^Reason/).fill('BLS lapsed; renewal card requested.');
    await form.getByRole('button', { name: 'Change status' }).click();
    await sp.getByTestId('clinician-status').filter({ hasText: 'Suspended: BLS lapsed; renewal card requested.' }).waitFor();
    assert.equal((await call(credentialingApi, 'GET', '/api/v1/clinicians/4/profile')).body.status, 'suspended');
    // Now the next steps are active or back to verifying; reactivate without a reason.
    const again = sp.getByRole('form', { name: 'Change status' });
    assert.deepEqual(await again.getByLabel('New status').locator('option').allTextContents(), ['Active', 'Being verified']);
    await again.getByRole('button', { name: 'Change status' }).click();
    await sp.getByTestId('clinician-status').filter({ hasText: /^Active$/ }).waitFor();
    assert.equal((await call(credentialingApi, 'GET', '/api/v1/clinicians/4/profile')).body.status, 'active');
    assert.deepEqual(staff.errors, []);
  } finally {
    await staff.close();
  }
});

test('compliance dashboard: counts and expiring list agree with the API', async () => {
  const manager = await openBrowser();
  try {
    const mp = manager.page;
    await signIn(mp, server.baseUrl, demo.users.facility_manager);
    await goTo(mp, 'Compliance');
    const facility = (await call(admin, 'GET', '/api/v1/facilities')).body.items.find((f) => f.name === 'Lakeside Care Center');
    const summary = (await call(admin, 'GET', `/api/v1/facilities/${facility.id}/compliance?window_days=30`)).body;
    const results = summary.items;
    assert.ok(results.length > 0, 'Lakeside has clinicians who could work there');
    await mp.locator('[data-count="compliant"] .count').waitFor();
    for (const status of ['compliant', 'expiring', 'non_compliant']) {
      const expected = results.filter((r) => r.status === status).length;
      assert.equal(summary.counts[status], expected, `${status} count of the API`);
      assert.equal(await mp.locator(`[data-count="${status}"] .count`).textContent(), String(expected), `${status} count`);
    }
    const expiring = results.flatMap((r) => r.reasons.filter((x) => x.code === 'credential_expiring').map(() => r.clinician_id));
    const expiringTable = mp.locator('main table').filter({ hasText: 'Required credentials expiring within 30 days' });
    assert.equal(await expiringTable.locator('tbody tr').count(), expiring.length);
    const allTable = mp.locator('main section').filter({ has: mp.getByRole('heading', { name: 'All clinicians who could work here' }) });
    assert.equal(await allTable.locator('tbody tr').count(), results.length);
    for (const r of results) {
      assert.equal(await allTable.locator(`tr[data-clinician-id="${r.clinician_id}"] [data-compliance]`).getAttribute('data-compliance'),
        r.status, `clinician ${r.clinician_id}`);
    }
    await assertAccessible(mp);
    await mp.screenshot({ path: artifactPath('compliance-dashboard.png'), fullPage: true });
    assert.deepEqual(manager.errors, []);
  } finally {
    await manager.close();
  }
});

const kLeieHeader = '"LASTNAME","FIRSTNAME","MIDNAME","BUSNAME","GENERAL","SPECIALTY","UPIN","NPI","DOB","ADDRESS","CITY",' +
  '"STATE","ZIP","EXCLTYPE","EXCLDATE","REINDATE","WAIVERDATE","WVRSTATE"\r\n';
/** One LEIE row in the published 18-column layout (zero-filled NPI and date placeholders). */
function leieRow(last, first, dob) {
  return [last, first, 'Q', '', 'NURSING PROFESSION', 'NURSE/NURSES AIDE', '', '0000000000', dob, '1 MAIN ST', 'SPRINGFIELD', 'IL',
    '62701', '1128b4', '20200115', '00000000', '00000000', ''].map((v) => `"${v}"`).join(',') + '\r\n';
}

test('screening: possible matches side by side; dismiss one with evidence, confirm another', async () => {
  const [two, three] = await Promise.all([2, 3].map(async (id) =>
    (await call(credentialingApi, 'GET', `/api/v1/clinicians/${id}/profile`)).body));
  // Same names, another date of birth: name-only matches, "possible" for a person to judge (SCREEN-MATCH).
  const csv = kLeieHeader + leieRow(two.last_name.toUpperCase(), two.first_name.toUpperCase(), '19450101') +
    leieRow(three.last_name.toUpperCase(), three.first_name.toUpperCase(), '19440202');
  const imported = await fetch(`${server.baseUrl}/api/v1/screening/imports`, {
    method: 'POST', headers: credentialingApi.headers({ 'content-type': 'text/csv' }), body: csv,
  });
  assert.equal(imported.status, 201, await imported.clone().text());
  const possible = (await call(credentialingApi, 'GET', '/api/v1/screening/results?status=possible')).body.items;
  const resultOf = (id) => possible.find((r) => r.clinician_id === id);
  assert.ok(resultOf(2) && resultOf(3), 'both are possible matches');

  const staff = await openBrowser();
  try {
    const sp = staff.page;
    await signIn(sp, server.baseUrl, demo.users.credentialing);
    await goTo(sp, 'Screening');
    const card = (r) => sp.locator(`main section[data-result-id="${r.id}"]`);
    await card(resultOf(2)).waitFor();
    assert.equal(await sp.locator('main section[data-result-id]').count(), possible.length);
    // Side by side: the names agree (bold), the dates of birth differ.
    const cells = async (r, label) => card(r).locator('tbody tr').filter({ has: sp.getByRole('rowheader', { name: label, exact: true }) })
      .locator('td').allTextContents();
    const [mineLast, theirsLast] = await cells(resultOf(2), 'Last name');
    assert.equal(mineLast.toUpperCase(), two.last_name.toUpperCase());
    assert.match(theirsLast, new RegExp(`^${two.last_name.toUpperCase()}`));
    assert.equal(await card(resultOf(2)).locator('tbody tr').first().locator('td.same').count(), 2, 'agreeing last names in bold');
    const [, theirDob] = await cells(resultOf(2), 'Date of birth');
    assert.equal(theirDob, 'Mon, Jan 1, 1945');
    assert.match(await card(resultOf(2)).locator('h2').textContent(), /Same name only \(possible\)/);
    await assertAccessible(sp);
    await sp.screenshot({ path: artifactPath('screening-possible.png'), fullPage: true });

    // Dismiss the first: an empty reason is refused next to the field.
    const decideTwo = card(resultOf(2)).getByRole('form', { name: /^Decide the match of/ });
    await decideTwo.getByRole('button', { name: 'Dismiss' }).click();
    await decideTwo.getByText('Give the evidence for the decision').waitFor();
    await decideTwo.getByLabel('Reason (evidence)').fill('OIG online search: date of birth differs');
    await decideTwo.getByRole('button', { name: 'Dismiss' }).click();
    await sp.getByRole('status').filter({ hasText: `Dismissed the match of ${two.first_name} ${two.last_name}.` }).waitFor();
    await card(resultOf(2)).waitFor({ state: 'detached' });
    // Confirm the second: the clinician becomes ineligible at once.
    const decideThree = card(resultOf(3)).getByRole('form', { name: /^Decide the match of/ });
    await decideThree.getByLabel('Reason (evidence)').fill('OIG verification letter on file');
    await decideThree.getByRole('button', { name: 'Confirm exclusion' }).click();
    await card(resultOf(3)).waitFor({ state: 'detached' });

    const decided = (await call(credentialingApi, 'GET', '/api/v1/screening/results')).body.items;
    assert.equal(decided.find((r) => r.id === resultOf(2).id).status, 'dismissed');
    assert.equal(decided.find((r) => r.id === resultOf(2).id).reason, 'OIG online search: date of birth differs');
    assert.equal(decided.find((r) => r.id === resultOf(3).id).status, 'confirmed');
    const facility = three.home_facility_id ?? 1;
    const compliance = (await call(admin, 'GET', `/api/v1/clinicians/3/compliance?facility_id=${facility}`)).body;
    assert.equal(compliance.status, 'non_compliant');
    assert.ok(compliance.reasons.some((r) => r.code === 'excluded'), JSON.stringify(compliance.reasons));
    // The confirmed list shows it, decided, without decision buttons.
    await sp.getByLabel('Show').selectOption('confirmed');
    await card(resultOf(3)).waitFor();
    assert.match(await card(resultOf(3)).textContent(), /OIG verification letter on file/);
    assert.equal(await card(resultOf(3)).getByRole('button', { name: 'Confirm exclusion' }).count(), 0);
    assert.deepEqual(staff.errors, []);
  } finally {
    await staff.close();
  }
});
