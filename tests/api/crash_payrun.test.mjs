// Crash safety of pay runs (issue 7 part 4): `openmso payroll run --finalize` over a
// generated history of worked shifts is killed with SIGKILL while it writes the draft and
// again while it finalizes; after each kill the database holds no partial pay run (a run
// has all of its statements or does not exist; a finalized run has every timesheet of it in
// the paid ledger, a draft none), SQLite's integrity_check passes and the audit chain
// verifies. Running the command again then pays every timesheet exactly once, for the same
// gross as an uninterrupted run on a copy of the data (SQLite).
// Runs on SQLite, and on PostgreSQL in the PostgreSQL pass (OPENMSO_TEST_PG_ADMIN_URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { statSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { freshDatabase, binary } from '../lib/server.mjs';

const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function scalar(url, path, sql) {
  // sqlite3 waits for a lock like the server does (the CLI migrates and checkpoints at start).
  const out = pg ? execFileSync('psql', [url, '-Atq', '-c', sql], { encoding: 'utf8' })
                 : execFileSync('sqlite3', ['-cmd', '.timeout 10000', path, sql], { encoding: 'utf8' });
  return out.trim();
}

// The pay period (biweekly from Sunday 2026-01-04, the default pay settings) that ended most
// recently before today's UTC day: the generated history covers it whole.
function lastFullPeriodStart() {
  const anchor = Date.UTC(2026, 0, 4) / 86400000;
  const today = Math.floor(Date.now() / 86400000);
  const k = Math.floor((today - anchor) / 14) - 1;
  return new Date((anchor + 14 * k) * 86400000).toISOString().slice(0, 10);
}

function payroll(url, period) {
  return spawn(binary, ['payroll', 'run', '--period-start', period, '--finalize', '--database', url],
    { stdio: ['ignore', 'pipe', 'pipe'] });
}

function grossOf(output) {
  const m = output.match(/gross (-?[0-9]+\.[0-9]{2})/);
  assert.ok(m, `no gross in: ${output}`);
  return m[1];
}

// No partial pay run: each run has exactly its statements; a finalized run has exactly its
// timesheets in the paid ledger; drafts pay nothing; at most one run is finalized.
function checkRuns(db, period) {
  const q = (sql) => scalar(db.url, db.path, sql);
  const runs = q("SELECT id || ':' || status || ':' || statements || ':' || timesheets FROM pay_runs ORDER BY id")
    .split('\n').filter(Boolean).map((l) => { const [id, status, statements, timesheets] = l.split(':'); return { id, status, statements: +statements, timesheets: +timesheets }; });
  for (const r of runs) {
    assert.equal(+q(`SELECT COUNT(*) FROM pay_statements WHERE run_id = ${r.id}`), r.statements, `run ${r.id} statements`);
  }
  const finalized = runs.filter((r) => r.status === 'finalized');
  assert.ok(finalized.length <= 1, `two finalized runs: ${JSON.stringify(runs)}`);
  const ledger = +q(`SELECT COUNT(*) FROM paid_timesheet_periods WHERE period_start = '${period}'`);
  assert.equal(ledger, finalized.length ? finalized[0].timesheets : 0, `ledger vs runs ${JSON.stringify(runs)}`);
  if (!pg) assert.equal(q('PRAGMA integrity_check'), 'ok');
  const v = spawnSync(binary, ['audit', 'verify', '--database', db.url], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stdout + v.stderr);
  return runs;
}

// Kills `child` as soon as `when()` holds (or it exits); returns how it ended.
async function killWhen(child, when, label) {
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const end = Date.now() + 120000;
  const holds = () => {
    try { return when(); } catch { return false; }  // a poll that could not read: not yet
  };
  while (child.exitCode === null && !holds() && Date.now() < end) await sleep(5);
  child.kill('SIGKILL');
  const { code, signal } = await exited;
  return { killed: signal === 'SIGKILL', code, output, label };
}

test('SIGKILL while a pay run is written or finalized leaves no partial run; the rerun pays once', async () => {
  const db = freshDatabase();
  const work = mkdtempSync(join(tmpdir(), 'openmso-crash-payrun-'));
  try {
    execFileSync(binary, ['migrate', '--database', db.url]);
    execFileSync(binary, ['gen', '--clinicians', '6000', '--facilities', '30', '--history-weeks', '4',
      '--shifts-per-week', '3', '--seed', '11', '--database', db.url]);
    const period = lastFullPeriodStart();
    const timesheets = +scalar(db.url, db.path, 'SELECT COUNT(*) FROM timesheets');
    assert.ok(timesheets > 20000, `history: ${timesheets} timesheets`);

    // The reference: the same data paid without interruption (SQLite: a copy of the file).
    let reference = null;
    if (!pg) {
      const copy = join(work, 'reference.db');
      execFileSync('sqlite3', [db.path, `VACUUM INTO '${copy}'`]);
      const r = spawnSync(binary, ['payroll', 'run', '--period-start', period, '--finalize', '--database', `sqlite:${copy}`], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      reference = grossOf(r.stdout);
    }

    const runsCommitted = () => scalar(db.url, db.path, 'SELECT COUNT(*) FROM pay_runs') !== '0';
    // 1. While the draft is being written: its transaction has written a good part of its
    //    rows (SQLite: the WAL has grown; PostgreSQL: the statements are being copied).
    const walGrew = () => {
      if (pg) return scalar(db.url, db.path, "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'COPY pay_statement%'") !== '0';
      const wal = `${db.path}-wal`;
      return existsSync(wal) && statSync(wal).size > 2 * 1024 * 1024;
    };
    const first = await killWhen(payroll(db.url, period), walGrew, 'draft');
    assert.ok(first.killed, `payroll finished before the kill: ${first.output}`);
    let runs = checkRuns(db, period);
    assert.equal(runs.filter((r) => r.status === 'finalized').length, 0, 'killed while writing the draft');

    // 2. While finalizing: the draft has committed (a run exists); the kill lands in the
    //    finalization or just before it.
    const before = runs.length;
    const second = await killWhen(payroll(db.url, period),
      () => +scalar(db.url, db.path, 'SELECT COUNT(*) FROM pay_runs') > before, 'finalize');
    runs = checkRuns(db, period);
    assert.ok(second.killed || runs.some((r) => r.status === 'finalized'), second.output);

    // 3. Run to completion: every timesheet of the period is paid exactly once, for the same
    //    gross as the uninterrupted reference.
    const again = spawnSync(binary, ['payroll', 'run', '--period-start', period, '--finalize', '--database', db.url], { encoding: 'utf8' });
    runs = checkRuns(db, period);
    const finalized = runs.filter((r) => r.status === 'finalized');
    assert.equal(finalized.length, 1);
    if (again.status === 0) {
      if (reference) assert.equal(grossOf(again.stdout), reference);
    } else {
      // The kill landed after the finalization committed: nothing is left to pay.
      assert.match(again.stdout + again.stderr, /nothing-to-pay|No approved, unpaid timesheet/);
      if (reference) {
        const gross = scalar(db.url, db.path, `SELECT gross_cents FROM pay_runs WHERE id = ${finalized[0].id}`);
        assert.equal((Number(gross) / 100).toFixed(2), reference);
      }
    }
    const dup = scalar(db.url, db.path, `SELECT COUNT(*) FROM (SELECT timesheet_id FROM paid_timesheet_periods GROUP BY timesheet_id, period_start HAVING COUNT(*) > 1) d`);
    assert.equal(dup, '0');
    console.log(`pay run crash: ${timesheets} timesheets; kill 1 (${first.label}) and kill 2 (${second.label}, ${second.killed ? 'killed' : 'had finished'}); runs ${JSON.stringify(runs)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    db.drop();
  }
});
