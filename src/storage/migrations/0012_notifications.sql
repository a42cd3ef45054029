-- Notification delivery (issue 3 part 8) and self sign-up (part 1): the outbox learns
-- its recipient address, lease and delivered channel; per-user channel preferences;
-- expiry alerts sent once per credential, expiry and threshold; a once-a-day job marker;
-- sign-ups waiting for their emailed confirmation (only the token's hash is stored).

-- The address of a message with no user yet (a sign-up's confirmation); '' = the user's.
ALTER TABLE notification_outbox ADD COLUMN to_address TEXT NOT NULL DEFAULT '';
-- The channel a sent message went by (email, sms) or '' while pending.
ALTER TABLE notification_outbox ADD COLUMN channel TEXT NOT NULL DEFAULT '';
CREATE INDEX notification_outbox_user ON notification_outbox(user_id, id);

CREATE TABLE notification_preferences (
  user_id BIGINT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, kind)
);

-- NOTIFY-EXPIRY-ONCE: one row per credential, expiry date and threshold (60/30/7 days).
CREATE TABLE credential_expiry_alerts (
  credential_id BIGINT NOT NULL REFERENCES credentials(id),
  expires_on TEXT NOT NULL,
  threshold_days BIGINT NOT NULL,
  queued_at BIGINT NOT NULL,
  PRIMARY KEY (credential_id, expires_on, threshold_days)
);

-- Daily jobs: the last UTC day each one ran (a conditional upsert claims the day).
CREATE TABLE daily_job_runs (
  name TEXT PRIMARY KEY,
  last_day TEXT NOT NULL,
  ran_at BIGINT NOT NULL
);

CREATE TABLE signups (
  id @ID@,
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  email TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  discipline TEXT NOT NULL REFERENCES disciplines(code),
  home_latitude_e6 BIGINT NOT NULL,
  home_longitude_e6 BIGINT NOT NULL,
  travel_radius_km BIGINT NOT NULL,
  password_hash TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  confirmed_at BIGINT,
  user_id BIGINT REFERENCES users(id)
);
CREATE INDEX signups_email ON signups(email);
