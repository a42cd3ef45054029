// Live fan-out (issue 7 part 7): N clinicians (10,000) connected over WebSocket to one
// server; a manager posts an urgent shift (released to every eligible clinician at once).
// Two thirds of the clinicians are eligible (licensed RNs nearby), a third are not (LPNs);
// every eligible connected clinician must receive the release event for that shift exactly
// once, and nobody else. Prints p50/p99 from the posting request to receipt, the posting's
// own response time, and the server's resident memory per connection.
// Backend: SQLite, or PostgreSQL when OPENMSO_TEST_PG_ADMIN_URL is set.
//   node bench/fanout.mjs [--clients N]
import http from 'node:http';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { startServer, freshDatabase, login, demo } from '../tests/lib/server.mjs';
import { sqlRunner, seedClinicianSessions } from '../tests/lib/seed.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CLIENTS = arg('--clients', 10000);
const pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL;
const backend = pg ? 'postgres' : 'sqlite';
const db = freshDatabase();
const sql = sqlRunner(db, pg);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let failed = false;
const fail = (why) => { console.error(`fanout: ${why}`); failed = true; };
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

const serverEnv = { OPENMSO_LOG_LEVEL: 'warn', OPENMSO_JOBS_INTERVAL_SECONDS: '0' };
let server = await startServer({ databaseUrl: db.url, env: serverEnv });
const sockets = [];
try {
  const admin = await login(server.baseUrl, demo.users.mso_admin);
  let agent = new http.Agent({ keepAlive: true });
  const request = (method, path, body) => new Promise((resolve, reject) => {
    const req = http.request(`${server.baseUrl}${path}`, { method, agent, headers: { ...admin.headers(), 'content-type': 'application/json' } }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: data }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
  const f = await request('POST', '/api/v1/facilities', {
    name: 'Fanout General', type: 'nursing_home',
    address: { line1: '1 Fanout Way', city: 'Chicago', state: 'IL', postal_code: '60601' },
    location: { latitude: 41.8853, longitude: -87.6216 }, time_zone: 'America/Chicago', monthly_fee_cents: 0,
  });
  if (f.status !== 201) throw new Error(`facility: ${f.status} ${f.body}`);
  const facility = JSON.parse(f.body).id;
  const unit = JSON.parse((await request('POST', `/api/v1/facilities/${facility}/units`, { name: 'Fan', kind: 'med_surg' })).body).id;

  // Clinicians with sessions: i % 3 != 0 licensed RNs (eligible), i % 3 == 0 LPNs (not).
  const eligible = (i) => i % 3 !== 0;
  const tokens = seedClinicianSessions(sql, { count: CLIENTS, tag: `fan${Date.now()}`, discipline: (i) => (eligible(i) ? 'RN' : 'LPN') });
  // Restart on the same data, so that the server's in-memory candidate index holds the
  // clinicians written behind its back (the API keeps it in step with its own writes).
  await server.stop();
  server = await startServer({ databaseUrl: db.url, env: serverEnv });
  agent = new http.Agent({ keepAlive: true });

  const rssBefore = rssKiB(server.child.pid);
  const received = new Map();  // client index -> [receipt times of release events of the shift]
  let target = null;  // the posted shift's id, known once the posting answers
  const wsUrl = `${server.baseUrl.replace('http', 'ws')}/api/v1/events`;
  const connect = (i) => new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${tokens[i]}` }, perMessageDeflate: false });
    ws.on('message', (m) => {
      const t = performance.now();
      const e = JSON.parse(m.toString());
      if (e.type === 'shift.released' && e.offered_to_you) {
        if (!received.has(i)) received.set(i, []);
        received.get(i).push({ t, shift: e.shift_id });
      }
    });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_q, res) => reject(new Error(`ws ${i}: status ${res.statusCode}`)));
    ws.once('error', reject);
  });
  // Connect in batches (the server authenticates each upgrade on its worker pool).
  const t0c = performance.now();
  for (let i = 0; i < CLIENTS; i += 200) {
    const batch = await Promise.all(Array.from({ length: Math.min(200, CLIENTS - i) }, (_, k) => connect(i + k)));
    sockets.push(...batch);
  }
  const connectSeconds = (performance.now() - t0c) / 1000;
  await sleep(500);
  const rssAfter = rssKiB(server.child.pid);

  const day = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
  const t0 = performance.now();
  const posted = await request('POST', `/api/v1/facilities/${facility}/shifts`, {
    unit_id: unit, discipline: 'RN', start: `${day}T07:00`, end: `${day}T19:00`, pay_rate_cents: 5200,
    bill_rate_cents: 7400, urgent: true,
  });
  const tAnswer = performance.now();
  const postMs = tAnswer - t0;
  if (posted.status !== 201) throw new Error(`post: ${posted.status} ${posted.body}`);
  const body = JSON.parse(posted.body);
  target = (body.items ? body.items[0] : body).id;
  // Events that arrived before the response named the shift are matched afterwards.
  const expected = Array.from({ length: CLIENTS }, (_, i) => i).filter(eligible);
  const deadline = performance.now() + 30000;
  while (received.size < expected.length && performance.now() < deadline) await sleep(20);
  await sleep(300);  // late duplicates or strays

  for (const [i, v] of received) {
    const mine = v.filter((r) => r.shift === target).map((r) => r.t);
    if (mine.length) received.set(i, mine); else received.delete(i);
  }
  const missing = expected.filter((i) => !received.has(i));
  const strays = [...received.keys()].filter((i) => !eligible(i));
  const dupes = [...received.values()].filter((v) => v.length > 1).length;
  if (missing.length) fail(`${missing.length} eligible clinicians got no event (e.g. ${missing.slice(0, 5)})`);
  if (strays.length) fail(`${strays.length} ineligible clinicians got the event`);
  if (dupes) fail(`${dupes} clinicians got the event more than once`);
  const lat = [...received.values()].map((v) => v[0] - t0).sort((a, b) => a - b);
  const q = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] : NaN).toFixed(1);
  // After the commit: the posting answers once its transaction has committed, so receipt
  // times after its answer bound commit-to-receipt from above (events may even come first).
  const after = [...received.values()].map((v) => Math.max(0, v[0] - tAnswer)).sort((a, b) => a - b);
  const qa = (p) => (after.length ? after[Math.min(after.length - 1, Math.floor(after.length * p))] : NaN).toFixed(1);
  const perConn = ((rssAfter - rssBefore) * 1024 / CLIENTS).toFixed(0);
  const figure = (name, value, unit, reference) => console.log(JSON.stringify({ figure: `fanout_${name}_${backend}`, value, unit, reference }));
  figure('commit_to_receipt_p99_ms', Number(qa(0.99)), 'ms', `p50 ${qa(0.5)} ms from the posting's answer (after its commit) to receipt, ${received.size} of ${expected.length} eligible of ${CLIENTS} connected; aim p99 < 250 ms`);
  figure('request_to_receipt_p99_ms', Number(q(0.99)), 'ms', `p50 ${q(0.5)} ms from the posting request to receipt; the posting (release to ${expected.length} clinicians) answered in ${postMs.toFixed(1)} ms`);
  figure('memory_per_connection', Number(perConn), 'B', `server RSS ${rssBefore} -> ${rssAfter} KiB for ${CLIENTS} WebSockets (connected in ${connectSeconds.toFixed(1)} s)`);
} finally {
  for (const ws of sockets) ws.terminate();
  await server.stop();
  db.drop();
}
if (failed) process.exitCode = 1;
