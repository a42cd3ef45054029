// Claim storm (issue 4 "Performance"): N concurrent clients (1,000) race for M shifts of one
// opening each (100), all at the same hours, through the real binary. Each client tries
// the shifts in its own random order until it holds one. Checks the invariants from the
// database afterwards (exactly M confirmed, every shift filled once, no clinician holding
// two) and prints attempts per second and the p99 latency of an attempt as JSON lines.
// Backend: SQLite, or PostgreSQL when OPENMSO_TEST_PG_ADMIN_URL is set.
//   node bench/claim_storm.mjs [--clients N] [--shifts M]
import http from 'node:http';
import { startServer, freshDatabase, login, demo } from '../tests/lib/server.mjs';
import { sqlRunner, seedClinicianSessions } from '../tests/lib/seed.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CLIENTS = arg('--clients', 1000), SHIFTS = arg('--shifts', 100);
const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
const backend = pg ? 'postgres' : 'sqlite';
const db = freshDatabase();
const sql = sqlRunner(db, pg);
const fail = (why) => { console.error(`claim_storm: ${why}`); process.exitCode = 1; };

const server = await startServer({ databaseUrl: db.url, env: { OPENMSO_LOG_LEVEL: 'warn', OPENMSO_JOBS_INTERVAL_SECONDS: '0' } });
try {
  const admin = await login(server.baseUrl, demo.users.mso_admin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const request = (method, path, headers, body) => new Promise((resolve, reject) => {
    const req = http.request(`${server.baseUrl}${path}`, { method, agent, headers: { ...headers, 'content-type': 'application/json' } }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: data }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
  const f = await request('POST', '/api/v1/facilities', admin.headers(), {
    name: 'Storm General', type: 'nursing_home',
    address: { line1: '1 Storm Way', city: 'Chicago', state: 'IL', postal_code: '60601' },
    location: { latitude: 41.8853, longitude: -87.6216 }, time_zone: 'America/Chicago', monthly_fee_cents: 0,
  });
  if (f.status !== 201) throw new Error(`facility: ${f.status} ${f.body}`);
  const facility = JSON.parse(f.body).id;
  const u = await request('POST', `/api/v1/facilities/${facility}/units`, admin.headers(), { name: 'Storm', kind: 'med_surg' });
  const unit = JSON.parse(u.body).id;

  // The racing clinicians: licensed RNs by the facility, each with a session token.
  const tokens = seedClinicianSessions(sql, { count: CLIENTS, tag: `storm${Date.now()}` });

  // M shifts at the same hours three days ahead, one opening each.
  const day = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
  const shifts = [];
  for (let i = 0; i < SHIFTS; ++i) {
    const r = await request('POST', `/api/v1/facilities/${facility}/shifts`, admin.headers(), {
      unit_id: unit, discipline: 'RN', start: `${day}T07:00`, end: `${day}T15:00`, pay_rate_cents: 5000, bill_rate_cents: 7000,
    });
    if (r.status !== 201) throw new Error(`post: ${r.status} ${r.body}`);
    shifts.push(JSON.parse(r.body).id);
  }

  const latencies = [];
  let attempts = 0, won = 0, unexpected = 0;
  const client = async (i) => {
    const headers = { authorization: `Bearer ${tokens[i]}` };
    const order = [...shifts];
    for (let k = order.length - 1; k > 0; --k) {
      const j = Math.floor(Math.random() * (k + 1));
      [order[k], order[j]] = [order[j], order[k]];
    }
    for (const id of order) {
      const t0 = process.hrtime.bigint();
      const r = await request('POST', `/api/v1/shifts/${id}/claims`, headers, {});
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      ++attempts;
      if (r.status === 201) { ++won; return; }
      if (r.status !== 409) { ++unexpected; if (unexpected < 5) console.error(`claim ${r.status}: ${r.body}`); }
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))];

  // The invariants, from the database.
  const list = shifts.join(',');
  const confirmed = Number(sql(`SELECT COUNT(*) FROM shift_claims WHERE shift_id IN (${list}) AND status = 'confirmed'`).trim());
  const filled = sql(`SELECT filled FROM shifts WHERE id IN (${list})`).trim().split('\n').map(Number);
  const doubles = sql(`SELECT clinician_id FROM shift_claims WHERE shift_id IN (${list}) AND status = 'confirmed'
    GROUP BY clinician_id HAVING COUNT(*) > 1`).trim();
  const expected = Math.min(SHIFTS, CLIENTS);
  if (confirmed !== expected) fail(`${confirmed} confirmed claims, expected ${expected}`);
  if (won !== expected) fail(`${won} clients won a shift, expected ${expected}`);
  if (filled.some((x) => x !== 1) && CLIENTS >= SHIFTS) fail('a shift is not filled exactly once');
  if (doubles) fail(`double-booked clinicians: ${doubles}`);
  if (unexpected) fail(`${unexpected} answers other than 201/409`);
  const label = `claim_storm.${backend}.${CLIENTS}x${SHIFTS}`;
  console.log(JSON.stringify({ figure: `${label}.attempts_per_second`, value: Math.round(attempts / seconds), unit: 'attempts/s' }));
  console.log(JSON.stringify({ figure: `${label}.attempt_p99`, value: Math.round(p99 * 10) / 10, unit: 'ms' }));
  console.log(JSON.stringify({ figure: `${label}.confirmed`, value: confirmed, unit: 'claims', reference: `${expected} (exact)` }));
  console.error(`claim_storm ${backend}: ${attempts} attempts in ${seconds.toFixed(2)} s, ${confirmed} confirmed, p99 ${p99.toFixed(1)} ms`);
  agent.destroy();
} finally {
  await server.stop();
  db.drop();
}
