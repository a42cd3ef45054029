// Exclusion screening through the real binary (issue 3 part 7): a synthetic LEIE file in
// the published 18-column layout with planted exact and near matches of the demo roster
// yields exactly the expected confirmed and possible matches; a changed header or a bad
// row is refused naming the place and imports nothing; a confirmed match makes the
// clinician ineligible at once (compliance and MKT-ELIG-EXCLUDED) and queues an outbox
// alert; a reviewer confirms or dismisses a possible; supplements add and reinstate; a
// changed NPI is screened at once; two clinicians cannot share an NPI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, login, demo, freshDatabase, binary } from '../lib/server.mjs';

let db, server, admin, cred, manager, clinician;
const pg = Boolean(process.env.OPENMSO_TEST_PG_ADMIN_URL);
const LAKESIDE = 1;
const RILEY = 1;
const profiles = {};

async function call(who, method, path, body, headers = {}) {
  const isText = typeof body === 'string' || body instanceof Uint8Array;
  const r = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: who.headers(body === undefined ? headers : { 'content-type': isText ? 'text/csv' : 'application/json', ...headers }),
    body: body === undefined ? undefined : (isText ? body : JSON.stringify(body)),
  });
  const type = r.headers.get('content-type') || '';
  return { status: r.status, body: type.includes('json') ? await r.json() : await r.text() };
}
const fieldOf = (res) => (res.body.errors || []).map((e) => `${e.field}:${e.code}`);
const dayUtc = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
function sql(text) {
  if (pg) return execFileSync('psql', [db.url, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' }).trim();
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.path, text], { encoding: 'utf8' }).trim();
}

const HEADER = '"LASTNAME","FIRSTNAME","MIDNAME","BUSNAME","GENERAL","SPECIALTY","UPIN","NPI","DOB","ADDRESS","CITY",' +
  '"STATE","ZIP","EXCLTYPE","EXCLDATE","REINDATE","WAIVERDATE","WVRSTATE"\r\n';
const ymd = (iso) => (iso ? iso.replaceAll('-', '') : '00000000');
function row({ last = '', first = '', bus = '', npi = '0000000000', dob = '00000000', excl = '20200115', rein = '00000000' }) {
  return [last, first, '', bus, 'NURSING PROFESSION', 'NURSE/NURSES AIDE', '', npi, dob, '1 MAIN ST', 'SPRINGFIELD', 'IL',
    '62701', '1128b4', excl, rein, '00000000', ''].map((v) => `"${v}"`).join(',') + '\r\n';
}
// Accents, case and an apostrophe the way another system might spell the same person.
const decorate = (name) => name.toUpperCase().replace(/A/, 'Á');

before(async () => {
  db = freshDatabase();
  server = await startServer({ databaseUrl: db.url });
  admin = await login(server.baseUrl, demo.users.mso_admin);
  cred = await login(server.baseUrl, demo.users.credentialing);
  manager = await login(server.baseUrl, demo.users.facility_manager);
  clinician = await login(server.baseUrl, demo.users.clinician);
  for (const id of [1, 2, 3, 4, 5, 6]) {
    const p = await call(cred, 'GET', `/api/v1/clinicians/${id}/profile`);
    assert.equal(p.status, 200, JSON.stringify(p.body));
    profiles[id] = p.body;
  }
});
after(async () => { await server?.stop(); db?.drop(); });

// Demo clinicians used: Riley (1) matched by name+DOB, one with an NPI matched by NPI, one
// matched by name only (the list has no DOB), one whose DOB differs by a day (possible),
// and near misses that must not match.
function plantedFile() {
  const withNpi = Object.values(profiles).find((p) => p.npi && p.id !== RILEY);
  const others = Object.values(profiles).filter((p) => p.id !== RILEY && p.id !== withNpi.id);
  const [nameOnly, dobOff, nearMiss] = others;
  const r = profiles[RILEY];
  const shifted = new Date(Date.parse(`${dobOff.date_of_birth}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
  const text = HEADER +
    row({ last: decorate(r.last_name), first: r.first_name.toLowerCase(), dob: ymd(r.date_of_birth) }) +
    row({ last: 'SOMEONE', first: 'ELSE', npi: withNpi.npi, dob: '19500101' }) +
    row({ last: nameOnly.last_name, first: nameOnly.first_name }) +
    row({ last: dobOff.last_name, first: dobOff.first_name, dob: ymd(shifted) }) +
    row({ last: `${nearMiss.last_name}X`, first: nearMiss.first_name, dob: ymd(nearMiss.date_of_birth) }) +
    row({ bus: 'SUNSET HOME HEALTH LLC', npi: '1987054321' });
  return { text, withNpi, nameOnly, dobOff, nearMiss };
}

test('before any list, a run is refused; a clinician cannot reach screening', async () => {
  const none = await call(cred, 'POST', '/api/v1/screening/runs');
  assert.equal(none.status, 409);
  assert.equal(none.body.type, 'https://openmso.org/problems/no-exclusion-list');
  assert.equal((await call(clinician, 'GET', '/api/v1/screening/results')).status, 403);
  assert.equal((await call(manager, 'POST', '/api/v1/screening/imports', HEADER)).status, 403);
});

test('a changed header or a bad row is named and nothing is imported', async () => {
  const { text } = plantedFile();
  const renamed = await call(cred, 'POST', '/api/v1/screening/imports', text.replace('"DOB"', '"BIRTHDATE"'));
  assert.equal(renamed.status, 400);
  assert.equal(renamed.body.type, 'https://openmso.org/problems/leie-format');
  assert.deepEqual(fieldOf(renamed), ['header, column 9 (DOB):bad_header']);
  const lines = text.split('\r\n');
  lines[2] = lines[2].replace('"20200115"', '"20201345"');  // line 3: EXCLDATE 13/45
  lines[4] = lines[4].replace('"NURSING PROFESSION",', '');  // line 5: 17 columns
  const bad = await call(cred, 'POST', '/api/v1/screening/imports', lines.join('\r\n'));
  assert.equal(bad.status, 400);
  assert.deepEqual(fieldOf(bad), ['line 3, column EXCLDATE:invalid_date', 'line 5, column *:column_count']);
  assert.equal((await call(cred, 'GET', '/api/v1/screening/runs')).body.items.length, 0);
  assert.equal(sql('SELECT COUNT(*) FROM exclusion_entries'), '0');
  const kind = await call(cred, 'POST', '/api/v1/screening/imports?kind=monthly', text);
  assert.deepEqual(fieldOf(kind), ['kind:invalid_value']);
  const json = await call(cred, 'POST', '/api/v1/screening/imports', { file: text });
  assert.equal(json.status, 415);
  const big = await call(cred, 'POST', '/api/v1/screening/imports', HEADER + row({ last: 'A', first: 'B' }).repeat(12000));
  assert.equal(big.status, 413, 'bodies over 1 MiB go through the CLI');
});

test('planted matches: exactly the expected confirmed and possibles; confirmed ones are ineligible at once', async () => {
  const { text, withNpi, nameOnly, dobOff, nearMiss } = plantedFile();
  const imported = await call(cred, 'POST', '/api/v1/screening/imports', text);
  assert.equal(imported.status, 201, JSON.stringify(imported.body));
  assert.equal(imported.body.rows, 6);
  assert.equal(imported.body.active_entries, 6);
  assert.equal(imported.body.kind, 'full');
  assert.match(imported.body.sha256, /^[0-9a-f]{64}$/);
  assert.equal(imported.body.run.trigger, 'import');
  assert.equal(imported.body.run.confirmed, 2);
  assert.equal(imported.body.run.possible, 2);

  const confirmed = (await call(cred, 'GET', '/api/v1/screening/results?status=confirmed')).body.items;
  assert.deepEqual(confirmed.map((r) => [r.clinician_id, r.match]).sort(),
    [[RILEY, 'name_dob'], [withNpi.id, 'npi']].sort());
  const riley = confirmed.find((r) => r.clinician_id === RILEY);
  assert.equal(riley.clinician.last_name, profiles[RILEY].last_name);      // side by side:
  assert.equal(riley.entry.last_name, decorate(profiles[RILEY].last_name)); // the row as published
  assert.equal(riley.entry.npi, null);                                      // 0000000000 is no NPI
  assert.equal(riley.entry.excl_date, '2020-01-15');
  const possible = (await call(cred, 'GET', '/api/v1/screening/results?status=possible')).body.items;
  assert.deepEqual(possible.map((r) => r.clinician_id).sort(), [nameOnly.id, dobOff.id].sort());
  assert.ok(possible.every((r) => r.match === 'name'));
  const all = (await call(cred, 'GET', '/api/v1/screening/results')).body.items;
  assert.ok(!all.some((r) => r.clinician_id === nearMiss.id));
  assert.deepEqual(fieldOf(await call(cred, 'GET', '/api/v1/screening/results?status=maybe')), ['status:invalid_value']);

  // Ineligible at once: compliance names the exclusion, the marketplace rule fails.
  const comp = await call(cred, 'GET', `/api/v1/clinicians/${RILEY}/compliance?facility_id=${LAKESIDE}`);
  assert.equal(comp.body.status, 'non_compliant');
  assert.ok(comp.body.reasons.some((r) => r.code === 'excluded'), JSON.stringify(comp.body));
  const unit = (await call(admin, 'GET', `/api/v1/facilities/${LAKESIDE}/units`)).body.items[0].id;
  const shift = await call(manager, 'POST', `/api/v1/facilities/${LAKESIDE}/shifts`, {
    unit_id: unit, discipline: 'RN', start: `${dayUtc(3)}T07:00`, end: `${dayUtc(3)}T15:00`,
    break_minutes: 30, pay_rate_cents: 5500, bill_rate_cents: 7800, openings: 1,
  });
  assert.equal(shift.status, 201, JSON.stringify(shift.body));
  const cand = await call(manager, 'GET', `/api/v1/shifts/${shift.body.id}/candidates?clinician=${RILEY}`);
  assert.ok(cand.body.rules.some((r) => r.rule === 'MKT-ELIG-EXCLUDED' && !r.passed), JSON.stringify(cand.body));
  // The possibles are not excluded (never automatic).
  assert.equal(sql(`SELECT COUNT(*) FROM clinician_exclusions WHERE clinician_id = ${nameOnly.id}`), '0');
  // The MSO is alerted through the outbox (one row per credentialing user / admin).
  const alerts = Number(sql("SELECT COUNT(*) FROM notification_outbox WHERE template = 'screening.exclusion_confirmed'"));
  const reviewers = Number(sql("SELECT COUNT(*) FROM users WHERE mso_id = 1 AND active = 1 AND role IN ('credentialing', 'mso_admin')"));
  assert.equal(alerts, 2 * reviewers);
  assert.ok(reviewers >= 2);
  // A second run finds nothing new (results are kept, not duplicated).
  const again = await call(cred, 'POST', '/api/v1/screening/runs');
  assert.equal(again.status, 201);
  assert.deepEqual([again.body.confirmed, again.body.possible, again.body.lifted], [0, 0, 0]);
  assert.equal(again.body.trigger, 'manual');
  // Audited: the import, the run and the results read.
  const actions = sql("SELECT action FROM audit_events WHERE action LIKE 'screening.%' ORDER BY seq").split('\n');
  assert.ok(actions.includes('screening.import') && actions.includes('screening.run') && actions.includes('screening.results.read'),
    actions.join(','));
});

test('a reviewer confirms or dismisses a possible, with a reason; only once', async () => {
  const possible = (await call(cred, 'GET', '/api/v1/screening/results?status=possible')).body.items;
  const [a, b] = possible;
  const noReason = await call(cred, 'POST', `/api/v1/screening/results/${a.id}/decision`, { decision: 'confirm' });
  assert.deepEqual(fieldOf(noReason), ['reason:required']);
  assert.equal((await call(clinician, 'POST', `/api/v1/screening/results/${a.id}/decision`,
    { decision: 'dismiss', reason: 'x' })).status, 403);
  assert.equal((await call(cred, 'POST', '/api/v1/screening/results/99999/decision',
    { decision: 'dismiss', reason: 'x' })).status, 404);
  const dismissed = await call(cred, 'POST', `/api/v1/screening/results/${a.id}/decision`,
    { decision: 'dismiss', reason: 'OIG online search: SSN does not match' });
  assert.equal(dismissed.status, 200, JSON.stringify(dismissed.body));
  assert.equal(dismissed.body.status, 'dismissed');
  assert.equal(dismissed.body.decided_by, cred.user.id);
  assert.equal(sql(`SELECT COUNT(*) FROM clinician_exclusions WHERE clinician_id = ${a.clinician_id}`), '0');
  const confirmed = await call(cred, 'POST', `/api/v1/screening/results/${b.id}/decision`,
    { decision: 'confirm', reason: 'OIG online search verified the SSN' });
  assert.equal(confirmed.body.status, 'confirmed');
  assert.equal(sql(`SELECT COUNT(*) FROM clinician_exclusions WHERE clinician_id = ${b.clinician_id}`), '1');
  const twice = await call(cred, 'POST', `/api/v1/screening/results/${b.id}/decision`, { decision: 'dismiss', reason: 'x' });
  assert.equal(twice.status, 409);
  // A dismissed possible is not raised again by the next run.
  const run = await call(cred, 'POST', '/api/v1/screening/runs');
  assert.equal(run.body.possible, 0);
  const audit = sql("SELECT COUNT(*) FROM audit_events WHERE action = 'screening.decide' AND outcome = 'success'");
  assert.equal(audit, '2');
});

test('monthly supplements: a reinstatement lifts the exclusion, a new exclusion (multipart) adds one', async () => {
  const r = profiles[RILEY];
  const rein = HEADER + row({ last: decorate(r.last_name), first: r.first_name.toLowerCase(), dob: ymd(r.date_of_birth),
    rein: ymd(dayUtc(-1)) });
  const lifted = await call(cred, 'POST', '/api/v1/screening/imports?kind=reinstatements', rein);
  assert.equal(lifted.status, 201, JSON.stringify(lifted.body));
  assert.equal(lifted.body.active_entries, 5);
  assert.equal(lifted.body.run.lifted, 1);
  assert.equal(sql(`SELECT COUNT(*) FROM clinician_exclusions WHERE clinician_id = ${RILEY}`), '0');
  const comp = await call(cred, 'GET', `/api/v1/clinicians/${RILEY}/compliance?facility_id=${LAKESIDE}`);
  assert.ok(!comp.body.reasons.some((x) => x.code === 'excluded'));
  const results = (await call(cred, 'GET', `/api/v1/screening/results?clinician_id=${RILEY}`)).body.items;
  assert.deepEqual(results.map((x) => x.status), ['lifted']);
  // The reinstatements file needs REINDATE; the active list must not carry one.
  const noRein = await call(cred, 'POST', '/api/v1/screening/imports?kind=reinstatements', HEADER + row({ last: 'A', first: 'B' }));
  assert.deepEqual(fieldOf(noRein), ['line 2, column REINDATE:required']);

  const p5 = profiles[5];
  const boundary = 'xyzBOUNDARY123';
  const supplement = HEADER + row({ last: p5.last_name, first: p5.first_name, dob: ymd(p5.date_of_birth), excl: ymd(dayUtc(-3)) });
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="2611excl.csv"\r\n` +
    `Content-Type: text/csv\r\n\r\n${supplement}\r\n--${boundary}--\r\n`;
  const added = await call(cred, 'POST', '/api/v1/screening/imports?kind=exclusions', body,
    { 'content-type': `multipart/form-data; boundary=${boundary}` });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  assert.equal(added.body.kind, 'exclusions');
  assert.equal(added.body.active_entries, 6);
  assert.equal(added.body.run.confirmed, 1);
  assert.equal(sql(`SELECT COUNT(*) FROM clinician_exclusions WHERE clinician_id = 5`), '1');
  const runs = (await call(cred, 'GET', '/api/v1/screening/runs')).body.items;
  assert.deepEqual(runs.slice(0, 2).map((x) => x.trigger), ['import', 'import']);
});

test('a new or changed NPI is screened at once; two clinicians cannot share an NPI', async () => {
  const listed = '1047298561';
  const sup = HEADER + row({ last: 'LISTED', first: 'PERSON', npi: listed, dob: '19600101' });
  assert.equal((await call(cred, 'POST', '/api/v1/screening/imports?kind=exclusions', sup)).status, 201);
  const mine = (await call(clinician, 'GET', `/api/v1/clinicians/${RILEY}/profile`)).body;
  const { id, email, status, status_reason, home_facility_id, ...editable } = mine;
  const other = Object.values(profiles).find((p) => p.npi && p.id !== RILEY);
  const dup = await call(clinician, 'PUT', `/api/v1/clinicians/${RILEY}/profile`, { ...editable, npi: other.npi });
  assert.equal(dup.status, 409, JSON.stringify(dup.body));
  assert.deepEqual(fieldOf(dup), ['npi:duplicate_npi']);
  const changed = await call(clinician, 'PUT', `/api/v1/clinicians/${RILEY}/profile`, { ...editable, npi: listed });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  const results = (await call(cred, 'GET', `/api/v1/screening/results?clinician_id=${RILEY}&status=confirmed`)).body.items;
  assert.deepEqual(results.map((x) => x.match), ['npi']);
  assert.equal(sql(`SELECT COUNT(*) FROM clinician_exclusions WHERE clinician_id = ${RILEY}`), '1');
  const runs = (await call(cred, 'GET', '/api/v1/screening/runs')).body.items;
  assert.equal(runs[0].trigger, 'onboarding');
  assert.equal(runs[0].clinicians, 1);
});

test('openmso screening import FILE: the full file through the CLI (no body limit), a bad header refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openmso-leie-'));
  try {
    const big = join(dir, 'UPDATED.csv');
    // Over the 1 MiB body limit: 12,000 rows nobody on the roster matches, plus one that
    // matches clinician 6 by name and date of birth.
    const p6 = profiles[6];
    let text = HEADER;
    for (let i = 0; i < 12000; i++) text += row({ last: `ZZTEST${i}`, first: 'NOBODY', dob: '19700101' });
    text += row({ last: p6.last_name, first: p6.first_name, dob: ymd(p6.date_of_birth) });
    writeFileSync(big, text);
    const ok = spawnSync(binary, ['screening', 'import', big, '--database', db.url], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /12001 rows, 12001 active; screening run \d+: \d+ clinicians, 1 new confirmed/);
    assert.equal(sql('SELECT COUNT(*) FROM clinician_exclusions WHERE clinician_id = 6'), '1');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, text.replace('"EXCLTYPE"', '"EXCL_TYPE"'));
    const refused = spawnSync(binary, ['screening', 'import', bad, '--database', db.url], { encoding: 'utf8' });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /header, column 14 \(EXCLTYPE\)/);
    assert.equal(sql("SELECT COUNT(*) FROM audit_events WHERE action = 'screening.import' AND actor_role = 'system'"), '1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
