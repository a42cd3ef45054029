-- The per-diem shift marketplace: shifts a facility posts (instants BIGINT ms UTC, money
-- BIGINT cents), claims on them, the per-facility rate card, favorites and do-not-return
-- lists, and confirmed exclusion-list matches. `filled` counts confirmed claims; the claim
-- path changes it only with a conditional UPDATE (MKT-CLAIM-EXACT).

CREATE TABLE shifts (
  id @ID@,
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  facility_id BIGINT NOT NULL REFERENCES facilities(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  discipline TEXT NOT NULL REFERENCES disciplines(code),
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  time_zone TEXT NOT NULL,
  break_minutes BIGINT NOT NULL DEFAULT 0,
  pay_rate_cents BIGINT NOT NULL,
  bill_rate_cents BIGINT NOT NULL,
  incentive_cents BIGINT NOT NULL DEFAULT 0,
  openings BIGINT NOT NULL,
  filled BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'open',
  urgent BIGINT NOT NULL DEFAULT 0,
  notes TEXT NOT NULL DEFAULT '',
  cancel_reason TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (filled >= 0 AND filled <= openings),
  CHECK (end_at > start_at)
);
CREATE INDEX shifts_facility_start ON shifts(facility_id, start_at);
CREATE INDEX shifts_mso_status_start ON shifts(mso_id, status, start_at);

CREATE TABLE shift_claims (
  id @ID@,
  shift_id BIGINT NOT NULL REFERENCES shifts(id),
  clinician_id BIGINT NOT NULL REFERENCES clinicians(id),
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (shift_id, clinician_id)
);
-- A clinician's booked shifts (overlap and rest checks at claim time).
CREATE INDEX shift_claims_clinician ON shift_claims(clinician_id, status);

CREATE TABLE rate_cards (
  facility_id BIGINT NOT NULL REFERENCES facilities(id),
  discipline TEXT NOT NULL REFERENCES disciplines(code),
  bill_rate_cents BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (facility_id, discipline)
);

CREATE TABLE facility_favorites (
  facility_id BIGINT NOT NULL REFERENCES facilities(id),
  clinician_id BIGINT NOT NULL REFERENCES clinicians(id),
  reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  PRIMARY KEY (facility_id, clinician_id)
);

CREATE TABLE facility_do_not_return (
  facility_id BIGINT NOT NULL REFERENCES facilities(id),
  clinician_id BIGINT NOT NULL REFERENCES clinicians(id),
  reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  PRIMARY KEY (facility_id, clinician_id)
);

-- Confirmed exclusion-list matches (OIG LEIE, SAM; cred.md §5), written by screening.
CREATE TABLE clinician_exclusions (
  clinician_id BIGINT NOT NULL REFERENCES clinicians(id),
  source TEXT NOT NULL,
  confirmed_at BIGINT NOT NULL,
  PRIMARY KEY (clinician_id, source)
);
