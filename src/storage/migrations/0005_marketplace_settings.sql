-- Per-facility marketplace settings (issue 4: facilities keep local control): instant
-- book or manager approval of claims, and the limits of the eligibility rules. A facility
-- without a row uses the defaults (instant book, 8 h rest, 60 h a week).

CREATE TABLE marketplace_settings (
  facility_id BIGINT PRIMARY KEY REFERENCES facilities(id),
  instant_book BIGINT NOT NULL DEFAULT 1,
  min_rest_minutes BIGINT NOT NULL DEFAULT 480,
  weekly_hours_cap BIGINT NOT NULL DEFAULT 60,
  updated_at BIGINT NOT NULL
);
-- Pending claims of a shift (the approval queue).
CREATE INDEX shift_claims_shift_status ON shift_claims(shift_id, status);
