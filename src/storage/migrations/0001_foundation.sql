-- Foundation schema: the MSO tenant, its facilities and units, users and their facility
-- scopes, sessions, login throttling, and the hash-chained audit trail.
-- Portable: @ID@ becomes the backend's identity primary key. Instants are BIGINT
-- milliseconds since the Unix epoch (UTC); money is BIGINT cents.

CREATE TABLE msos (
  id @ID@,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE facilities (
  id @ID@,
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  name TEXT NOT NULL,
  facility_type TEXT NOT NULL,
  address_line1 TEXT NOT NULL,
  city TEXT NOT NULL,
  state TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  latitude_e6 BIGINT NOT NULL,
  longitude_e6 BIGINT NOT NULL,
  time_zone TEXT NOT NULL,
  monthly_fee_cents BIGINT NOT NULL DEFAULT 0,
  go_live_date TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (mso_id, name)
);

CREATE TABLE units (
  id @ID@,
  facility_id BIGINT NOT NULL REFERENCES facilities(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (facility_id, name)
);

CREATE TABLE users (
  id @ID@,
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  active BIGINT NOT NULL DEFAULT 1,
  failed_logins BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE user_facilities (
  user_id BIGINT NOT NULL REFERENCES users(id),
  facility_id BIGINT NOT NULL REFERENCES facilities(id),
  PRIMARY KEY (user_id, facility_id)
);

CREATE TABLE sessions (
  id @ID@,
  token_hash TEXT NOT NULL UNIQUE,
  csrf_token TEXT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_events (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_user_id BIGINT,
  actor_role TEXT NOT NULL,
  action TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  facility_id BIGINT,
  request_id TEXT NOT NULL,
  client_ip TEXT NOT NULL,
  outcome TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_events_action ON audit_events(action, seq);
CREATE INDEX audit_events_actor ON audit_events(actor_user_id, seq);
CREATE INDEX audit_events_facility ON audit_events(facility_id, seq);
