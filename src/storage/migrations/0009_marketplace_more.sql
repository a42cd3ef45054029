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
