// Credentialing through the real binary: profiles (own only; managers read-only for their
// staff), credentials and their bad inputs, the verification queue, compliance status on
// the demo data, documents sniffed from their bytes, requirement profiles, expiry lists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, demo } from '../lib/server.mjs';

let server, admin, manager, cred, clinician, other;
const RILEY = 1;        // demo clinician user; staff of facility 1 (the manager's)
const OTHER_STAFF = 5;  // staff of facility 2, out of the manager's reach
const json = (who, extra = {}) => who.headers({ 'content-type': 'application/json', ...extra });
const day = (offset = 0) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

async function call(who, method, path, body, headers) {
  const r = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: headers || (body === undefined ? who.headers() : json(who)),
    body: body === undefined ? undefined : (typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)),
  });
  const type = r.headers.get('content-type') || '';
  const payload = type.includes('json') ? await r.json() : Buffer.from(await r.arrayBuffer());
  return { status: r.status, body: payload, headers: r.headers };
}
const fieldOf = (res) => (res.body.errors || []).map((e) => `${e.field}:${e.code}`);

before(async () => {
  server = await startServer();
  admin = await login(server.baseUrl, demo.users.mso_admin);
  manager = await login(server.baseUrl, demo.users.facility_manager);
  cred = await login(server.baseUrl, demo.users.credentialing);
  clinician = await login(server.baseUrl, demo.users.clinician);
  const created = await call(admin, 'POST', '/api/v1/users', {
    email: 'other.clinician@demo.openmso.org', display_name: 'Other Clinician', role: 'clinician',
    password: 'another-long-password', clinician_id: OTHER_STAFF,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  other = await login(server.baseUrl, 'other.clinician@demo.openmso.org', 'another-long-password');
});
after(async () => { await server?.stop(); });

test('a clinician sees and edits only their own profile; the NPI check digit is enforced', async () => {
  const mine = await call(clinician, 'GET', `/api/v1/clinicians/${RILEY}/profile`);
  assert.equal(mine.status, 200);
  assert.equal(mine.body.id, RILEY);
  assert.deepEqual(mine.body.disciplines, ['RN']);
  assert.equal((await call(clinician, 'GET', `/api/v1/clinicians/${OTHER_STAFF}/profile`)).status, 404);
  const { id, email, status, status_reason, home_facility_id, ...editable } = mine.body;
  const badNpi = await call(clinician, 'PUT', `/api/v1/clinicians/${RILEY}/profile`, { ...editable, npi: '1234567890' });
  assert.equal(badNpi.status, 400);
  assert.deepEqual(fieldOf(badNpi), ['npi:invalid_npi']);
  const plainLuhn = await call(clinician, 'PUT', `/api/v1/clinicians/${RILEY}/profile`, { ...editable, npi: '1600000119' });
  assert.deepEqual(fieldOf(plainLuhn), ['npi:invalid_npi']);
  const ok = await call(clinician, 'PUT', `/api/v1/clinicians/${RILEY}/profile`,
    { ...editable, npi: '1234567893', phone: '+1 312 555 0199', specialties: ['geriatrics', 'wound care'] });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.npi, '1234567893');
  assert.deepEqual(ok.body.specialties, ['geriatrics', 'wound care']);
  const employment = await call(clinician, 'PUT', `/api/v1/clinicians/${RILEY}/profile`, { ...editable, employment_type: 'per_diem' });
  assert.deepEqual(fieldOf(employment), ['employment_type:read_only']);
  const unknown = await call(clinician, 'PUT', `/api/v1/clinicians/${RILEY}/profile`, { ...editable, disciplines: ['WIZARD'], shoe_size: 9 });
  assert.deepEqual(fieldOf(unknown).sort(), ['shoe_size:unknown_field']);
  const badDiscipline = await call(clinician, 'PUT', `/api/v1/clinicians/${RILEY}/profile`, { ...editable, disciplines: ['WIZARD'] });
  assert.deepEqual(fieldOf(badDiscipline), ['disciplines.0:unknown_discipline']);
});

test("managers read their facility's staff, read-only; another facility's clinician is 404", async () => {
  const read = await call(manager, 'GET', `/api/v1/clinicians/${RILEY}/profile`);
  assert.equal(read.status, 200);
  const { id, email, status, status_reason, home_facility_id, ...editable } = read.body;
  assert.equal((await call(manager, 'PUT', `/api/v1/clinicians/${RILEY}/profile`, editable)).status, 403);
  assert.equal((await call(manager, 'GET', `/api/v1/clinicians/${OTHER_STAFF}/profile`)).status, 404);
  assert.equal((await call(manager, 'GET', `/api/v1/clinicians/${OTHER_STAFF}/credentials`)).status, 404);
  assert.equal((await call(manager, 'GET', `/api/v1/clinicians/${RILEY}/credentials`)).status, 200);
  assert.equal((await call(manager, 'GET', '/api/v1/verification-queue')).status, 403);
});

test('credential bad inputs name the field; a new credential waits for verification, then is approved', async () => {
  const base = { kind: 'license', type_code: 'RN', jurisdiction: 'IL', number: 'RN-1', issued_on: '2024-05-01', expires_on: '2026-05-31' };
  const rows = [
    [{ ...base, expires_on: '2024-04-30' }, 'expires_on:before_issue'],
    [{ ...base, jurisdiction: 'ZZ' }, 'jurisdiction:invalid_value'],
    [{ ...base, issued_on: '2026-02-30' }, 'issued_on:invalid_date'],
    [{ ...base, kind: 'diploma' }, 'kind:invalid_value'],
    [{ ...base, kind: 'certification', type_code: 'BLS' }, 'multistate:invalid_value'],
  ];
  rows[4][0].multistate = true;
  for (const [body, expected] of rows) {
    const r = await call(clinician, 'POST', `/api/v1/clinicians/${RILEY}/credentials`, body);
    assert.equal(r.status, 400, expected);
    assert.deepEqual(fieldOf(r), [expected]);
  }
  assert.equal((await call(clinician, 'POST', `/api/v1/clinicians/${OTHER_STAFF}/credentials`, base)).status, 404);
  const created = await call(clinician, 'POST', `/api/v1/clinicians/${RILEY}/credentials`,
    { kind: 'certification', type_code: 'PALS', issued_on: day(-5), expires_on: day(700), issuer: 'AHA' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.verification, 'pending');
  const credentialId = created.body.id;

  assert.equal((await call(clinician, 'GET', '/api/v1/verification-queue')).status, 403);
  const queue = await call(cred, 'GET', '/api/v1/verification-queue');
  assert.equal(queue.status, 200);
  assert.ok(queue.body.items.some((c) => c.id === credentialId));
  assert.ok(queue.body.items.some((c) => c.clinician_id === RILEY && c.type_code === 'ACLS'), 'the seeded pending ACLS');

  const noSource = await call(cred, 'POST', `/api/v1/credentials/${credentialId}/verification`, { decision: 'approve' });
  assert.deepEqual(fieldOf(noSource), ['source:required']);
  const noReason = await call(cred, 'POST', `/api/v1/credentials/${credentialId}/verification`, { decision: 'reject' });
  assert.deepEqual(fieldOf(noReason), ['reason:required']);
  assert.equal((await call(clinician, 'POST', `/api/v1/credentials/${credentialId}/verification`, { decision: 'approve', source: 'me' })).status, 403);
  const approved = await call(cred, 'POST', `/api/v1/credentials/${credentialId}/verification`, { decision: 'approve', source: 'AHA eCard' });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.verification, 'verified');
  assert.equal(approved.body.verification_source, 'AHA eCard');
  assert.equal(approved.body.verified_by, cred.user.id);
  const again = await call(cred, 'POST', `/api/v1/credentials/${credentialId}/verification`, { decision: 'reject', reason: 'x' });
  assert.equal(again.status, 409);
  // The decision is audited.
  const audit = await call(admin, 'GET', '/api/v1/audit/events?action=credential.verify&limit=5');
  assert.ok(audit.body.items.some((e) => e.entity_id === String(credentialId) && e.outcome === 'success'));
  // Editing sends it back to the queue.
  const edited = await call(clinician, 'PUT', `/api/v1/credentials/${credentialId}`,
    { kind: 'certification', type_code: 'PALS', issued_on: day(-5), expires_on: day(720), issuer: 'AHA' });
  assert.equal(edited.body.verification, 'pending');
  // Rejection with a reason the clinician can read.
  const rejected = await call(cred, 'POST', `/api/v1/credentials/${credentialId}/verification`, { decision: 'reject', reason: 'Card number not found at AHA' });
  assert.equal(rejected.body.verification_reason, 'Card number not found at AHA');
  const mine = await call(clinician, 'GET', `/api/v1/credentials/${credentialId}`);
  assert.equal(mine.body.verification, 'rejected');
  assert.equal((await call(other, 'GET', `/api/v1/credentials/${credentialId}`)).status, 404);
  assert.equal((await call(clinician, 'DELETE', `/api/v1/credentials/${credentialId}`)).status, 204);
  assert.equal((await call(clinician, 'GET', `/api/v1/credentials/${credentialId}`)).status, 404);
});

test('compliance on the demo data: expiring, expired on the right date, out-of-scope facility', async () => {
  const now = await call(clinician, 'GET', `/api/v1/clinicians/${RILEY}/compliance?facility_id=1`);
  assert.equal(now.status, 200, JSON.stringify(now.body));
  assert.equal(now.body.status, 'expiring');
  assert.deepEqual(now.body.reasons.map((r) => `${r.code}:${r.requirement}`), ['credential_expiring:certification:BLS']);
  const blsExpires = now.body.reasons[0].expires_on;
  const lastDay = await call(clinician, 'GET', `/api/v1/clinicians/${RILEY}/compliance?facility_id=1&date=${blsExpires}&window_days=0`);
  assert.equal(lastDay.body.status, 'compliant');
  const next = new Date(Date.parse(blsExpires) + 86400000).toISOString().slice(0, 10);
  const after = await call(clinician, 'GET', `/api/v1/clinicians/${RILEY}/compliance?facility_id=1&date=${next}`);
  assert.equal(after.body.status, 'non_compliant');
  assert.ok(after.body.reasons.some((r) => r.code === 'credential_expired' && r.requirement === 'certification:BLS'));
  // The hospital also wants ACLS, and Riley's is still pending verification.
  const hospital = await call(clinician, 'GET', `/api/v1/clinicians/${RILEY}/compliance?facility_id=3`);
  assert.equal(hospital.body.status, 'non_compliant');
  assert.ok(hospital.body.reasons.some((r) => r.code === 'credential_unverified' && r.requirement === 'certification:ACLS'));
  assert.ok(hospital.body.reasons.some((r) => r.code === 'license_not_valid_in_state'), 'an IL license does not reach MA');
  // Clinician 2's BLS expired three days ago.
  const expired = await call(cred, 'GET', '/api/v1/clinicians/2/compliance?facility_id=2');
  assert.equal(expired.body.status, 'non_compliant');
  assert.ok(expired.body.reasons.some((r) => r.code === 'credential_expired'));
  // Scope and bad input.
  assert.equal((await call(manager, 'GET', `/api/v1/clinicians/${RILEY}/compliance?facility_id=2`)).status, 404);
  assert.equal((await call(manager, 'GET', `/api/v1/clinicians/${RILEY}/compliance?facility_id=1`)).status, 200);
  assert.equal((await call(cred, 'GET', `/api/v1/clinicians/${RILEY}/compliance?facility_id=1&date=2026-13-45`)).status, 400);
  assert.equal((await call(cred, 'GET', `/api/v1/clinicians/${RILEY}/compliance`)).status, 400);
  assert.equal((await call(cred, 'GET', `/api/v1/clinicians/${RILEY}/compliance?facility_id=1&discipline=WIZARD`)).status, 400);
});

test('status changes need an allowed move and a reason; a suspended clinician is not compliant', async () => {
  const noReason = await call(cred, 'POST', '/api/v1/clinicians/3/status', { status: 'suspended' });
  assert.deepEqual(fieldOf(noReason), ['reason:required']);
  const bad = await call(cred, 'POST', '/api/v1/clinicians/3/status', { status: 'applied' });
  assert.equal(bad.status, 409);
  const ok = await call(cred, 'POST', '/api/v1/clinicians/3/status', { status: 'suspended', reason: 'License under board review' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.status_reason, 'License under board review');
  const c = await call(cred, 'GET', '/api/v1/clinicians/3/compliance?facility_id=3');
  assert.ok(c.body.reasons.some((r) => r.code === 'clinician_not_active'));
  assert.equal((await call(clinician, 'POST', `/api/v1/clinicians/${RILEY}/status`, { status: 'suspended', reason: 'x' })).status, 403);
});

test('documents: type sniffed from the bytes, stored by hash, downloads checked and audited', async () => {
  const list = await call(clinician, 'GET', `/api/v1/clinicians/${RILEY}/credentials`);
  const bls = list.body.items.find((c) => c.type_code === 'BLS');
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  const up = await call(clinician, 'POST', `/api/v1/credentials/${bls.id}/documents?file_name=bls.pdf`, pdf,
    clinician.headers({ 'content-type': 'application/octet-stream' }));
  assert.equal(up.status, 201, JSON.stringify(up.body));
  assert.equal(up.body.content_type, 'application/pdf');
  assert.equal(up.body.size_bytes, pdf.length);
  assert.match(up.body.sha256, /^[0-9a-f]{64}$/);
  const fake = await call(clinician, 'POST', `/api/v1/credentials/${bls.id}/documents?file_name=card.pdf`,
    'I am totally a PDF', clinician.headers({ 'content-type': 'application/pdf' }));
  assert.equal(fake.status, 415);
  assert.equal(fake.body.type, 'https://openmso.org/problems/unsupported-document-type');
  const empty = await call(clinician, 'POST', `/api/v1/credentials/${bls.id}/documents`, '', clinician.headers({ 'content-type': 'application/pdf' }));
  assert.equal(empty.status, 400);
  const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1100000)]);
  const tooBig = await call(clinician, 'POST', `/api/v1/credentials/${bls.id}/documents`, big, clinician.headers({ 'content-type': 'application/pdf' }));
  assert.equal(tooBig.status, 413);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  const upPng = await call(clinician, 'POST', `/api/v1/credentials/${bls.id}/documents`, png, clinician.headers({ 'content-type': 'application/pdf' }));
  assert.equal(upPng.body.content_type, 'image/png', 'the declared type is not trusted');

  const docs = await call(manager, 'GET', `/api/v1/credentials/${bls.id}/documents`);
  assert.equal(docs.body.items.length, 2);
  const down = await call(manager, 'GET', `/api/v1/documents/${up.body.id}`);
  assert.equal(down.status, 200);
  assert.equal(down.headers.get('content-type'), 'application/pdf');
  assert.ok(Buffer.compare(down.body, pdf) === 0);
  assert.equal((await call(other, 'GET', `/api/v1/documents/${up.body.id}`)).status, 404);
  assert.equal((await call(other, 'POST', `/api/v1/credentials/${bls.id}/documents`, pdf, other.headers({ 'content-type': 'application/pdf' }))).status, 404);
  const audit = await call(admin, 'GET', '/api/v1/audit/events?action=document.download&limit=5');
  assert.ok(audit.body.items.some((e) => e.entity_id === String(up.body.id) && e.actor_role === 'facility_manager'));
});

test('requirement profiles: staff edit them, managers read them; expiry list for credentialing', async () => {
  const bad = await call(cred, 'PUT', '/api/v1/facilities/1/requirements', {
    discipline: 'RN',
    items: [{ kind: 'certification', type_code: 'BLS' }, { kind: 'certification', type_code: 'BLS' }, { kind: 'health', type_code: 'TB', max_age_days: 0 }],
  });
  assert.deepEqual(fieldOf(bad), ['items.1:duplicate', 'items.2.max_age_days:out_of_range']);
  const unknown = await call(cred, 'PUT', '/api/v1/facilities/1/requirements', { discipline: 'RN', items: [{ kind: 'certification', type_code: 'BLS', colour: 1 }] });
  assert.deepEqual(fieldOf(unknown), ['items.0.colour:unknown_field']);
  assert.equal((await call(manager, 'PUT', '/api/v1/facilities/1/requirements', { discipline: 'RN', items: [] })).status, 403);
  const ok = await call(cred, 'PUT', '/api/v1/facilities/1/requirements', {
    discipline: 'RN', items: [{ kind: 'certification', type_code: 'BLS' }, { kind: 'health', type_code: 'TB', max_age_days: 365 }, { kind: 'certification', type_code: 'ACLS' }],
  });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const read = await call(manager, 'GET', '/api/v1/facilities/1/requirements');
  const rn = read.body.items.find((p) => p.discipline === 'RN');
  assert.deepEqual(rn.items.map((i) => i.type_code), ['BLS', 'TB', 'ACLS']);
  const now = await call(clinician, 'GET', `/api/v1/clinicians/${RILEY}/compliance?facility_id=1`);
  assert.ok(now.body.reasons.some((r) => r.code === 'credential_unverified' && r.requirement === 'certification:ACLS'));

  const expiring = await call(cred, 'GET', '/api/v1/credential-expiries?within_days=30');
  assert.equal(expiring.status, 200);
  const riley = expiring.body.items.find((c) => c.clinician_id === RILEY && c.type_code === 'BLS');
  assert.ok(riley, 'Riley\'s BLS expires within 30 days');
  assert.ok(riley.days_left >= 0 && riley.days_left <= 30);
  assert.ok(expiring.body.items.every((c, i, a) => i === 0 || a[i - 1].expires_on <= c.expires_on));
  assert.equal((await call(cred, 'GET', '/api/v1/credential-expiries?within_days=999')).status, 400);
  assert.equal((await call(clinician, 'GET', '/api/v1/credential-expiries')).status, 403);
});
