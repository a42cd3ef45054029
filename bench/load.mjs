// Mixed-workload load test (issue 7 part 5): for a bounded time, clinicians browse the
// open-shift feed and claim, managers post shifts and read their lists, and clinicians who
// hold a shift that starts soon clock in, clock out and submit the timesheet, all at once
// against the real binary: one server on SQLite, or two servers on one PostgreSQL
// (OPENMSO_TEST_PG_ADMIN_URL), the clients spread over both. Afterwards the invariants are
// read from the database: no shift with more confirmed claims than openings (and `filled`
// equal to the confirmed claims), no clinician holding two overlapping confirmed shifts, one
// timesheet per claim at most. Exits 1 on any 5xx, transport error or broken invariant.
// Prints JSON lines: requests per second, p50/p99 per operation.
//   node bench/load.mjs [--seconds S] [--clinicians N] [--managers M]
import http from 'node:http';
import { startServer, freshDatabase, login, demo } from '../tests/lib/server.mjs';
import { sqlRunner, seedClinicianSessions } from '../tests/lib/seed.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('--seconds', 20), CLINICIANS = arg('--clinicians', 200), MANAGERS = arg('--managers', 4);
const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
const backend = pg ? 'postgres-2-servers' : 'sqlite';
const db = freshDatabase();
const sql = sqlRunner(db, pg);
const problems = [];
const problem = (why) => { if (problems.length < 20) console.error(`load: ${why}`); problems.push(why); };

const env = { OPENMSO_LOG_LEVEL: 'warn', OPENMSO_JOBS_INTERVAL_SECONDS: '0' };
const servers = [await startServer({ databaseUrl: db.url, env })];
if (pg) servers.push(await startServer({ databaseUrl: db.url, env }));
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const request = (server, method, path, headers, body) => new Promise((resolve) => {
  const req = http.request(`${server.baseUrl}${path}`, { method, agent, headers: { ...headers, 'content-type': 'application/json' } }, (res) => {
    let data = '';
    res.on('data', (d) => { data += d; });
    res.on('end', () => resolve({ status: res.statusCode, body: data }));
  });
  req.on('error', (e) => resolve({ status: 0, body: String(e) }));
  req.end(body === undefined ? undefined : JSON.stringify(body));
});

try {
  const admin = await login(servers[0].baseUrl, demo.users.mso_admin);
  const call = (method, path, body) => request(servers[0], method, path, admin.headers(), body);
  const f = await call('POST', '/api/v1/facilities', {
    name: 'Load General', type: 'nursing_home',
    address: { line1: '1 Load Way', city: 'Chicago', state: 'IL', postal_code: '60601' },
    location: { latitude: 41.8853, longitude: -87.6216 }, time_zone: 'America/Chicago', monthly_fee_cents: 0,
  });
  if (f.status !== 201) throw new Error(`facility: ${f.status} ${f.body}`);
  const facility = JSON.parse(f.body).id;
  const units = [];
  for (const name of ['North', 'South', 'East']) {
    const u = await call('POST', `/api/v1/facilities/${facility}/units`, { name, kind: 'med_surg' });
    units.push(JSON.parse(u.body).id);
  }
  // Clock-in opens two hours ahead, so that shifts posted to start soon are worked in the run.
  const s = await call('PUT', `/api/v1/facilities/${facility}/timekeeping-settings`, { clock_in_opens_minutes: 120, auto_approve_hours: 72 });
  if (s.status !== 200) throw new Error(`settings: ${s.status} ${s.body}`);

  // Licensed RNs near the facility, each with a session (an argon2id login per client would
  // measure the password hash, not the workload).
  const tokens = seedClinicianSessions(sql, { count: CLINICIANS, tag: `load${Date.now()}` });

  const lat = new Map();  // operation -> latencies (ms)
  let total = 0, writes = 0;
  const kWrites = new Set(['post_shift', 'claim', 'clock_in', 'clock_out', 'submit']);
  const timed = async (op, server, method, path, headers, body) => {
    const t0 = process.hrtime.bigint();
    const r = await request(server, method, path, headers, body);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!lat.has(op)) lat.set(op, []);
    lat.get(op).push(ms);
    ++total;
    if (kWrites.has(op) && r.status >= 200 && r.status < 300) ++writes;  // committed writes
    if (r.status === 0 || r.status >= 500) problem(`${op} ${method} ${path}: ${r.status} ${r.body.slice(0, 200)}`);
    return r;
  };
  // Local wall time in the facility's zone, "YYYY-MM-DDTHH:MM".
  const chicago = new Intl.DateTimeFormat('sv-SE', { timeZone: 'America/Chicago', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const local = (ms) => chicago.format(new Date(ms)).replace(' ', 'T');
  const deadline = Date.now() + SECONDS * 1000;
  const counts = { posted: 0, claimed: 0, worked: 0 };

  // Managers: post a shift (some start within the hour, to be worked now), then read the list.
  const manager = async (k) => {
    const server = servers[k % servers.length];
    const headers = admin.headers();
    for (let n = 0; Date.now() < deadline; n++) {
      const soon = n % 3 === 0;
      const startMs = soon ? Date.now() + (10 + Math.floor(Math.random() * 40)) * 60000
                           : Date.now() + (2 + Math.floor(Math.random() * 96)) * 3600000;
      const start = Math.floor(startMs / 900000) * 900000;
      const hours = soon ? 1 : 4 + Math.floor(Math.random() * 9);
      // A posting whose local time is ambiguous (the fall-back hour) is refused with a 400.
      const r = await timed('post_shift', server, 'POST', `/api/v1/facilities/${facility}/shifts`, headers, {
        unit_id: units[n % units.length], discipline: 'RN', start: local(start), end: local(start + hours * 3600000),
        pay_rate_cents: 4500 + 100 * (n % 10), bill_rate_cents: 6500 + 100 * (n % 10), openings: 1 + (n % 3),
      });
      if (r.status === 201) ++counts.posted;
      else if (r.status >= 500) return;
      await timed('list_shifts', server, 'GET', `/api/v1/facilities/${facility}/shifts?limit=50`, headers);
    }
  };

  // Clinicians: read the feed, claim one of its shifts; work a held shift that starts soon.
  const clinician = async (i) => {
    const server = servers[i % servers.length];
    const headers = { authorization: `Bearer ${tokens[i]}` };
    const held = [];
    while (Date.now() < deadline) {
      const feed = await timed('feed', server, 'GET', '/api/v1/me/open-shifts', headers);
      if (feed.status !== 200) { if (feed.status >= 500 || feed.status === 0) return; continue; }
      const items = JSON.parse(feed.body).items || [];
      if (items.length > 0 && Math.random() < 0.5) {
        const pick = items[Math.floor(Math.random() * items.length)];
        const c = await timed('claim', server, 'POST', `/api/v1/shifts/${pick.id}/claims`, headers, {});
        if (c.status === 201) { ++counts.claimed; held.push(pick); }
        else if (c.status !== 409 && c.status !== 400 && c.status !== 403) problem(`claim: ${c.status} ${c.body.slice(0, 200)}`);
      }
      const due = held.findIndex((h) => Date.parse(h.start) - Date.now() < 2 * 3600000);
      if (due >= 0) {
        const [h] = held.splice(due, 1);
        const where = { latitude: 41.8853, longitude: -87.6216, accuracy_m: 15 };
        const ci = await timed('clock_in', server, 'POST', `/api/v1/shifts/${h.id}/clock-in`, headers, where);
        if (ci.status === 201 || ci.status === 200) {
          const ts = JSON.parse(ci.body).id;
          const co = await timed('clock_out', server, 'POST', `/api/v1/timesheets/${ts}/clock-out`, headers, where);
          if (co.status === 200) {
            const sub = await timed('submit', server, 'POST', `/api/v1/timesheets/${ts}/submit`, headers, {});
            if (sub.status === 200) ++counts.worked;
          }
        }
      }
    }
  };

  const t0 = process.hrtime.bigint();
  await Promise.all([
    ...Array.from({ length: MANAGERS }, (_, k) => manager(k)),
    ...Array.from({ length: CLINICIANS }, (_, i) => clinician(i)),
  ]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

  // The invariants, from the database.
  const overfull = sql(`SELECT s.id FROM shifts s WHERE s.facility_id = ${facility} AND (s.filled > s.openings OR s.filled <>
      (SELECT COUNT(*) FROM shift_claims c WHERE c.shift_id = s.id AND c.status = 'confirmed'))`).trim();
  if (overfull) problem(`shifts over their openings or with filled != confirmed claims: ${overfull}`);
  const overlaps = sql(`SELECT a.clinician_id FROM shift_claims a JOIN shifts sa ON sa.id = a.shift_id
      JOIN shift_claims b ON b.clinician_id = a.clinician_id AND b.id > a.id JOIN shifts sb ON sb.id = b.shift_id
      WHERE a.status = 'confirmed' AND b.status = 'confirmed' AND sa.start_at < sb.end_at AND sb.start_at < sa.end_at`).trim();
  if (overlaps) problem(`clinicians holding overlapping shifts: ${overlaps}`);
  const twice = sql(`SELECT shift_id FROM timesheets GROUP BY shift_id, clinician_id HAVING COUNT(*) > 1`).trim();
  if (twice) problem(`two timesheets for one claim: ${twice}`);

  const figure = (name, value, unit, extra = {}) => console.log(JSON.stringify({ figure: `load_${name}_${backend}`, value, unit, ...extra }));
  figure('requests_per_s', Math.round(total / seconds), 'req/s',
    { reference: `${CLINICIANS} clinicians + ${MANAGERS} managers for ${SECONDS} s; posted ${counts.posted}, claimed ${counts.claimed}, worked ${counts.worked}; ${problems.length} problems` });
  // Committed writes per second, next to pgbench's commit rate on the same PostgreSQL when the
  // caller measured it (PGBENCH_TPS): each of ours is a transaction with its audit event.
  const pgbenchTps = Number(process.env.PGBENCH_TPS || 0);
  figure('writes_per_s', Math.round(writes / seconds), 'commits/s', pgbenchTps
    ? { reference: `pgbench -N (simple update, 4 clients) on the same PostgreSQL: ${pgbenchTps} tps`, ratio: Number((writes / seconds / pgbenchTps).toFixed(3)) }
    : { reference: 'committed posts, claims, punches and submissions' });
  for (const [op, v] of lat) {
    v.sort((a, b) => a - b);
    const q = (p) => v[Math.min(v.length - 1, Math.floor(v.length * p))].toFixed(1);
    figure(`${op}_p99`, Number(q(0.99)), 'ms', { reference: `p50 ${q(0.5)} ms over ${v.length} requests` });
  }
  if (counts.posted === 0 || counts.claimed === 0) problem(`no work done: ${JSON.stringify(counts)}`);
} finally {
  for (const s of servers) await s.stop();
  db.drop();
}
if (problems.length) process.exitCode = 1;
