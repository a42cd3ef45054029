// Seeding helpers for load tests and benchmarks: many clinicians with sessions written
// straight to the database (an argon2id login per simulated client would measure the
// password hash, not the workload). Used by bench/load.mjs, bench/fanout.mjs and
// bench/claim_storm.mjs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

// SQL on stdin to the database's own CLI (psql or sqlite3): seeding scripts are too long
// for a command line.
export function sqlRunner(db, pg = !!process.env.OPENMSO_TEST_PG_ADMIN_URL) {
  return (text) => pg
    ? execFileSync('psql', [db.url, '-Atq', '-v', 'ON_ERROR_STOP=1'], { input: text, encoding: 'utf8', maxBuffer: 1 << 26 })
    : execFileSync('sqlite3', ['-bail', '-cmd', '.timeout 20000', db.path], { input: text, encoding: 'utf8', maxBuffer: 1 << 26 });
}

// `count` active per-diem clinicians of MSO 1 living at (41.89, -87.63) (Chicago, radius
// 80 km), each with a verified Illinois license of their discipline, a clinician user and a
// session; `discipline(i)` picks each one's discipline (default RN). Returns the session
// tokens (Bearer), in order.
export function seedClinicianSessions(sql, { count, tag, discipline = () => 'RN' }) {
  const now = Date.now();
  let script = `INSERT INTO clinicians (mso_id, first_name, last_name, email, discipline, employment_type, home_latitude_e6,
      home_longitude_e6, travel_radius_km, status, created_at, primary_state) VALUES `;
  script += Array.from({ length: count }, (_, i) =>
    `(1, '${tag}', 'N${i}', '${tag}-${i}@seed.test', '${discipline(i)}', 'per_diem', 41890000, -87630000, 80, 'active', ${now}, 'IL')`).join(', ') + ';\n';
  script += `INSERT INTO clinician_disciplines (clinician_id, position, discipline) SELECT id, 0, discipline FROM clinicians WHERE email LIKE '${tag}-%';
    INSERT INTO credentials (clinician_id, mso_id, kind, type_code, jurisdiction, number, multistate, issued_on, expires_on,
        issuer, verification, created_at, updated_at)
      SELECT id, mso_id, 'license', discipline, 'IL', discipline || '-' || email, 0, '2020-01-01', '2099-12-31', 'IL board', 'verified', ${now}, ${now}
      FROM clinicians WHERE email LIKE '${tag}-%';
    INSERT INTO users (mso_id, email, display_name, role, password_hash, active, failed_logins, locked_until, created_at, clinician_id)
      SELECT mso_id, email, '${tag}', 'clinician', 'no-login', 1, 0, 0, ${now}, id FROM clinicians WHERE email LIKE '${tag}-%';\n`;
  const tokens = Array.from({ length: count }, (_, i) => `${tag}-token-${i}`);
  script += `INSERT INTO sessions (token_hash, csrf_token, user_id, created_at, last_seen_at, expires_at) VALUES ` +
    tokens.map((t, i) => `('${createHash('sha256').update(t).digest('hex')}', 'csrf', ` +
      `(SELECT id FROM users WHERE email = '${tag}-${i}@seed.test'), ${now}, ${now}, ${now + 6 * 3600000})`).join(', ') + ';';
  sql(script);
  return tokens;
}
