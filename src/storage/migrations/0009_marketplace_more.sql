-- More of the per-diem marketplace (issue 4): the clinician's private calendar feed (only
-- the SHA-256 of its secret token is stored), and when a claim was confirmed plus a
-- revision counter per claim (the feed's SEQUENCE; the time to fill).

ALTER TABLE shift_claims ADD COLUMN confirmed_at BIGINT;
ALTER TABLE shift_claims ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
UPDATE shift_claims SET confirmed_at = updated_at WHERE status = 'confirmed';

CREATE TABLE calendar_tokens (
  clinician_id BIGINT PRIMARY KEY REFERENCES clinicians(id),
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);

-- Cancellation pay (MKT-CANCEL-PAY): per facility, the window before the start inside which
-- cancelling a booked shift owes pay, and how many hours at the shift's pay rate. Payroll
-- (src/finance) pays the rows whose settled_run_id is NULL and then sets it.
ALTER TABLE marketplace_settings ADD COLUMN cancellation_window_hours BIGINT NOT NULL DEFAULT 24;
ALTER TABLE marketplace_settings ADD COLUMN cancellation_pay_hours BIGINT NOT NULL DEFAULT 4;

CREATE TABLE cancellation_pay_owed (
  id @ID@,
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  clinician_id BIGINT NOT NULL REFERENCES clinicians(id),
  shift_id BIGINT NOT NULL REFERENCES shifts(id),
  amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
  reason TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  settled_run_id BIGINT REFERENCES pay_runs(id),
  UNIQUE (shift_id, clinician_id)
);
CREATE INDEX cancellation_pay_owed_unsettled ON cancellation_pay_owed(mso_id, settled_run_id);

-- Claim approval timeout (MKT-CLAIM-TIMEOUT): a pending claim not answered in this many
-- minutes is approved or declined ('approve' | 'decline') by the background job.
ALTER TABLE marketplace_settings ADD COLUMN approval_timeout_minutes BIGINT NOT NULL DEFAULT 120;
ALTER TABLE marketplace_settings ADD COLUMN approval_timeout_action TEXT NOT NULL DEFAULT 'decline';
CREATE INDEX shift_claims_status_created ON shift_claims(status, created_at);

-- MKT-ELIG-CONSECUTIVE-DAYS: the most consecutive local days of work a clinician may book.
ALTER TABLE marketplace_settings ADD COLUMN max_consecutive_days BIGINT NOT NULL DEFAULT 6;

-- After the shift (issue 4 part 7): no-shows recorded by the facility (MKT-NO-SHOW) and
-- one rating per side of a worked claim (MKT-RATING): the facility rates the clinician,
-- the clinician rates the facility. The ranking reads both (MKT-RELIABILITY).
ALTER TABLE shift_claims ADD COLUMN no_show_at BIGINT;
CREATE TABLE claim_ratings (
  claim_id BIGINT NOT NULL REFERENCES shift_claims(id),
  rater TEXT NOT NULL,
  stars BIGINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
  tags TEXT NOT NULL,
  rated_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (claim_id, rater)
);
