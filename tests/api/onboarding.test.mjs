// Bulk onboarding through the real binary (issue 3 part 9, docs/onboarding.md): every bad
// row is reported with line, column and reason, and nothing is imported unless every row
// is valid; valid_only imports the clean clinicians; imported clinicians carry their
// credentials (pending verification; health records as their own kind) and are screened
// against the loaded exclusion list at once; the CLI does the same from a file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, login, demo, freshDatabase, binary } from '../lib/server.mjs';

let db, server, cred, manager, clinician;
const pg = Boolean(process.env.OPENMSO_TEST_PG_ADMIN_URL);
const tmp = mkdtempSync(join(tmpdir(), 'openmso-onboarding-'));

async function call(who, method, path, body) {
  const isText = typeof body === 'string' || body instanceof Uint8Array;
  const r = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: who.headers(body === undefined ? {} : { 'content-type': isText ? 'text/csv' : 'application/json' }),
    body: body === undefined ? undefined : (isText ? body : JSON.stringify(body)),
  });
  const type = r.headers.get('content-type') || '';
  return { status: r.status, body: type.includes('json') ? await r.json() : await r.text() };
}
const fieldOf = (res) => (res.body.errors || []).map((e) => `${e.field}:${e.code}`);
function sql(text) {
  if (pg) return execFileSync('psql', [db.url, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' }).trim();
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.path, text], { encoding: 'utf8' }).trim();
}

const HEADER = 'email,first_name,last_name,date_of_birth,phone,npi,primary_state,disciplines,employment_type,' +
  'employment_class,home_latitude,home_longitude,travel_radius_km,credential_kind,credential_type,jurisdiction,number,' +
  'multistate,issued_on,expires_on,issuer\n';
const HOME = '41.88,-87.63,40';
const good = [
  `ana.import@example.org,Ana,Quint,1988-04-05,,1987054321,TX,RN,per_diem,w2,${HOME},license,RN,TX,RN-77,true,2024-01-01,2027-12-31,Texas BON`,
  `ana.import@example.org,Ana,Quint,04/05/1988,,1987054321,TX,RN,per_diem,w2,${HOME},certification,BLS,,,,2025-06-01,2027-06-30,AHA`,
  `ana.import@example.org,Ana,Quint,1988-04-05,,1987054321,TX,RN,per_diem,w2,${HOME},health,TB,,,,2026-06-01,2027-06-01,Clinic`,
  `"bo.import@example.org","Bo","O'Neal, Jr.",,"+1 312 555 0100",,,CNA;RN,float_pool,1099,${HOME},,,,,,,,`,
];

before(async () => {
  db = freshDatabase();
  server = await startServer({ databaseUrl: db.url });
  cred = await login(server.baseUrl, demo.users.credentialing);
  manager = await login(server.baseUrl, demo.users.facility_manager);
  clinician = await login(server.baseUrl, demo.users.clinician);
});
after(async () => { await server?.stop(); db?.drop(); rmSync(tmp, { recursive: true, force: true }); });

test('every bad row is reported with line, column and reason; nothing is imported', async () => {
  const before = sql('SELECT COUNT(*) FROM clinicians');
  const demoNpi = sql("SELECT npi FROM clinicians WHERE npi IS NOT NULL ORDER BY id LIMIT 1");
  const rows = [
    ...good,                                                                                                  // 2-5 fine
    `c.import@example.org,Cy,Wu,13/45/1990,,,IL,RN,per_diem,w2,${HOME},,,,,,,,`,                            // 6 date
    `d.import@example.org,Di,Ho,,,,ZZ,RN,per_diem,w2,${HOME},,,,,,,,`,                                       // 7 state
    `e.import@example.org,Ed,Yu,,,,,RN,per_diem,w2,${HOME},license,RN,IL,N1,,2026-01-01,2025-01-01,`,       // 8 expiry<issue
    `f.import@example.org,Fa,Lu,,,1234567890,,RN,per_diem,w2,${HOME},,,,,,,,`,                               // 9 npi
    'g.import@example.org,Gi,Po',                                                                             // 10 columns
    `h.import@example.org,Ha,Mo,,,${demoNpi},,RN,per_diem,w2,${HOME},,,,,,,,`,                               // 11 npi taken
    `${demo.users.clinician},Ri,Ch,,,,,RN,per_diem,w2,${HOME},,,,,,,,`,                                  // 12 email taken
  ];
  const body = Buffer.concat([Buffer.from(HEADER + rows.join('\n') + '\n'),
    Buffer.from(`i.import@example.org,I\xff,Ko,,,,,RN,per_diem,w2,${HOME},,,,,,,,\n`, 'latin1')]);  // 13 encoding
  const r = await call(cred, 'POST', '/api/v1/clinicians/import', body);
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.type, 'https://openmso.org/problems/onboarding-rejected');
  const got = fieldOf(r);
  for (const want of ['line 6, column date_of_birth:invalid_date', 'line 7, column primary_state:invalid_value',
    'line 8, column expires_on:before_issue', 'line 9, column npi:invalid_npi', 'line 10, column *:column_count',
    'line 13, column *:bad_encoding'])
    assert.ok(got.includes(want), `${want} in ${got.join(' | ')}`);
  // The database's objections are listed too when the file's own rows are otherwise clean.
  assert.equal(sql('SELECT COUNT(*) FROM clinicians'), before);
  const dbOnly = await call(cred, 'POST', '/api/v1/clinicians/import', HEADER + [...good, rows[5 + 4], rows[6 + 4]].join('\n'));
  assert.equal(dbOnly.status, 400);
  assert.deepEqual(fieldOf(dbOnly), ['line 6, column npi:duplicate_npi', 'line 7, column email:email_taken']);
  assert.equal(sql('SELECT COUNT(*) FROM clinicians'), before);
  // A changed header names the column.
  const header = await call(cred, 'POST', '/api/v1/clinicians/import', HEADER.replace(',npi,', ',NPI_NUMBER,') + good[0]);
  assert.deepEqual(fieldOf(header), ['header, column 6 (npi):bad_header']);
  assert.equal((await call(manager, 'POST', '/api/v1/clinicians/import', HEADER + good[0])).status, 403);
});

test('a clean file imports clinicians with their credentials, screened at once', async () => {
  // An exclusion list naming Bo (name only: a possible) is loaded first.
  const leie = '"LASTNAME","FIRSTNAME","MIDNAME","BUSNAME","GENERAL","SPECIALTY","UPIN","NPI","DOB","ADDRESS","CITY",' +
    '"STATE","ZIP","EXCLTYPE","EXCLDATE","REINDATE","WAIVERDATE","WVRSTATE"\n' +
    '"ONEAL JR","BO","","","","","","0000000000","00000000","","","IL","","1128b4","20190101","00000000","00000000",""\n';
  assert.equal((await call(cred, 'POST', '/api/v1/screening/imports', leie)).status, 201);
  const r = await call(cred, 'POST', '/api/v1/clinicians/import', HEADER + good.join('\r\n') + '\r\n');
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.clinicians_created, 2);
  assert.equal(r.body.credentials_created, 3);
  assert.deepEqual(r.body.errors, []);
  assert.equal(r.body.screening.trigger, 'onboarding');
  assert.equal(r.body.screening.clinicians, 2);
  assert.equal(r.body.screening.possible, 1);
  const [ana, bo] = r.body.clinician_ids;
  const profile = (await call(cred, 'GET', `/api/v1/clinicians/${ana}/profile`)).body;
  assert.equal(profile.npi, '1987054321');
  assert.equal(profile.date_of_birth, '1988-04-05');
  assert.equal(profile.status, 'verifying');
  assert.equal(profile.primary_state, 'TX');
  const creds = (await call(cred, 'GET', `/api/v1/clinicians/${ana}/credentials`)).body.items;
  assert.deepEqual(creds.map((c) => `${c.kind}:${c.type_code}:${c.verification}`).sort(),
    ['certification:BLS:pending', 'health:TB:pending', 'license:RN:pending']);
  assert.equal(creds.find((c) => c.kind === 'license').multistate, true);
  const boProfile = (await call(cred, 'GET', `/api/v1/clinicians/${bo}/profile`)).body;
  assert.equal(boProfile.last_name, "O'Neal, Jr.");
  assert.deepEqual(boProfile.disciplines, ['CNA', 'RN']);
  const possible = (await call(cred, 'GET', `/api/v1/screening/results?clinician_id=${bo}`)).body.items;
  assert.deepEqual(possible.map((x) => `${x.match}:${x.status}`), ['name:possible']);
  assert.equal(sql("SELECT COUNT(*) FROM audit_events WHERE action = 'clinician.import' AND outcome = 'success'"), '2');
  // The same file again: every email is taken now.
  const again = await call(cred, 'POST', '/api/v1/clinicians/import', HEADER + good.join('\n'));
  assert.equal(again.status, 400);
});

test('valid_only imports the clean clinicians and lists the rest', async () => {
  const rows = [
    `j.import@example.org,Jo,Ra,,,,,RN,per_diem,w2,${HOME},certification,BLS,,,,2024-02-30,2026-01-01,`,   // 2 Feb 30
    `k.import@example.org,Ki,Sa,,,,,LPN,per_diem,w2,${HOME},,,,,,,,`,                                        // 3 fine
  ];
  const r = await call(cred, 'POST', '/api/v1/clinicians/import?valid_only=true', HEADER + rows.join('\n'));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.clinicians_created, 1);
  assert.deepEqual(r.body.errors.map((e) => `${e.field}:${e.code}`), ['line 2, column issued_on:invalid_date']);
  assert.deepEqual(fieldOf(await call(cred, 'POST', '/api/v1/clinicians/import?valid_only=maybe', HEADER)),
    ['valid_only:invalid_value']);
});

test('openmso clinicians import FILE: the CLI refuses a bad file and imports a good one', () => {
  const bad = join(tmp, 'bad.csv');
  writeFileSync(bad, HEADER + `l.import@example.org,Li,Ta,13/45/2026,,,,RN,per_diem,w2,${HOME},,,,,,,,\n`);
  const env = { ...process.env };
  const refused = spawnSync(binary, ['clinicians', 'import', bad, '--database', db.url], { env, encoding: 'utf8' });
  assert.equal(refused.status, 1, refused.stdout + refused.stderr);
  assert.match(refused.stderr, /line 2, column date_of_birth/);
  const ok = join(tmp, 'ok.csv');
  writeFileSync(ok, HEADER + `m.import@example.org,Mi,Vo,1990-01-01,,,,RN,per_diem,w2,${HOME},health,MMR,,,,2020-01-01,,\n`);
  const done = spawnSync(binary, ['clinicians', 'import', ok, '--database', db.url], { env, encoding: 'utf8' });
  assert.equal(done.status, 0, done.stdout + done.stderr);
  assert.match(done.stdout, /imported 1 clinicians and 1 credentials/);
  assert.equal(sql("SELECT COUNT(*) FROM clinicians WHERE email = 'm.import@example.org'"), '1');
});

test('health records are their own kind, hidden from facility managers (CRED-HEALTH-SEPARATE)', async () => {
  const RILEY = 1;  // the demo clinician, staff of the manager's facility
  const tb = await call(clinician, 'POST', `/api/v1/clinicians/${RILEY}/credentials`,
    { kind: 'health', type_code: 'TB', issued_on: new Date(Date.now() - 86400000).toISOString().slice(0, 10), issuer: 'Clinic' });
  assert.equal(tb.status, 201, JSON.stringify(tb.body));
  const own = (await call(clinician, 'GET', `/api/v1/clinicians/${RILEY}/credentials`)).body.items;
  assert.ok(own.some((c) => c.id === tb.body.id && c.kind === 'health'));
  assert.ok((await call(cred, 'GET', `/api/v1/clinicians/${RILEY}/credentials`)).body.items.some((c) => c.id === tb.body.id));
  const seen = await call(manager, 'GET', `/api/v1/clinicians/${RILEY}/credentials`);
  assert.equal(seen.status, 200);
  assert.ok(seen.body.items.length > 0, 'the manager still sees licenses and certifications');
  assert.ok(!seen.body.items.some((c) => c.kind === 'health'));
  assert.equal((await call(manager, 'GET', `/api/v1/credentials/${tb.body.id}`)).status, 404);
  assert.equal((await call(manager, 'GET', `/api/v1/credentials/${tb.body.id}/documents`)).status, 404);
  assert.equal((await call(cred, 'GET', `/api/v1/credentials/${tb.body.id}`)).status, 200);
});
