-- Exclusion screening (issue 3 part 7; cred.md §5): every LEIE file imported (its SHA-256
-- and kind), the active list rows (one shared public list, replaced by a full file and
-- amended by monthly supplements), screening runs and their results with the reviewer's
-- decisions. A confirmed result writes clinician_exclusions (0004), which the marketplace
-- eligibility reads (MKT-ELIG-EXCLUDED). Also: one NPI per clinician (CRED-NPI-UNIQUE).

CREATE TABLE exclusion_lists (
  id @ID@,
  source TEXT NOT NULL,
  kind TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  row_count BIGINT NOT NULL,
  imported_by BIGINT REFERENCES users(id),
  imported_at BIGINT NOT NULL
);

CREATE TABLE exclusion_entries (
  id @ID@,
  source TEXT NOT NULL,
  entry_key TEXT NOT NULL,
  list_id BIGINT NOT NULL,
  last_name TEXT NOT NULL,
  first_name TEXT NOT NULL,
  mid_name TEXT NOT NULL,
  bus_name TEXT NOT NULL,
  general TEXT NOT NULL,
  specialty TEXT NOT NULL,
  upin TEXT NOT NULL,
  npi TEXT,
  dob TEXT,
  address TEXT NOT NULL,
  city TEXT NOT NULL,
  state TEXT NOT NULL,
  zip TEXT NOT NULL,
  excl_type TEXT NOT NULL,
  excl_date TEXT,
  rein_date TEXT,
  waiver_date TEXT,
  waiver_state TEXT NOT NULL
);
-- A reinstatement supplement removes rows by key.
CREATE INDEX exclusion_entries_key ON exclusion_entries(source, entry_key);

CREATE TABLE screening_runs (
  id @ID@,
  mso_id BIGINT REFERENCES msos(id),
  trigger_kind TEXT NOT NULL,
  list_id BIGINT,
  list_sha256 TEXT NOT NULL DEFAULT '',
  clinicians BIGINT NOT NULL DEFAULT 0,
  confirmed BIGINT NOT NULL DEFAULT 0,
  possible BIGINT NOT NULL DEFAULT 0,
  lifted BIGINT NOT NULL DEFAULT 0,
  started_by BIGINT REFERENCES users(id),
  started_at BIGINT NOT NULL
);
CREATE INDEX screening_runs_mso ON screening_runs(mso_id, id);
CREATE INDEX screening_runs_trigger ON screening_runs(trigger_kind, started_at);

-- One row per (clinician, list row); its status moves possible -> confirmed | dismissed
-- by a reviewer, and to lifted when the row leaves the active list (reinstatement).
-- entry_json keeps the LEIE row as published, for evidence.
CREATE TABLE screening_results (
  id @ID@,
  run_id BIGINT NOT NULL REFERENCES screening_runs(id),
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  clinician_id BIGINT NOT NULL REFERENCES clinicians(id),
  source TEXT NOT NULL,
  entry_key TEXT NOT NULL,
  entry_json TEXT NOT NULL,
  match_kind TEXT NOT NULL,
  status TEXT NOT NULL,
  decided_by BIGINT REFERENCES users(id),
  decided_at BIGINT,
  reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX screening_results_pair ON screening_results(clinician_id, source, entry_key);
CREATE INDEX screening_results_mso_status ON screening_results(mso_id, status, id);

-- CRED-NPI-UNIQUE: two clinicians cannot share an NPI (NULL = none; many allowed).
CREATE UNIQUE INDEX clinicians_npi ON clinicians(npi);
