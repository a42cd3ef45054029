-- The marketplace's tiered release, shift edits and fill metrics (issue 4 parts 1, 4, 8).
-- MKT-TIER-RELEASE: a shift opens to tier 2 (float pool) at tier2_at and to everyone at
-- tier3_at; released_tier is the highest tier whose audience was notified, raised by one
-- conditional UPDATE so that with several servers only one notifies; shift_releases keeps
-- (shift, tier, at). Shifts posted before this migration count as released to everyone.
ALTER TABLE shifts ADD COLUMN tier2_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shifts ADD COLUMN tier3_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shifts ADD COLUMN released_tier BIGINT NOT NULL DEFAULT 3;
CREATE INDEX shifts_release_due ON shifts(released_tier, status, tier2_at);
ALTER TABLE marketplace_settings ADD COLUMN tier1_minutes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE marketplace_settings ADD COLUMN tier2_minutes BIGINT NOT NULL DEFAULT 0;

CREATE TABLE shift_releases (
  shift_id BIGINT NOT NULL REFERENCES shifts(id),
  tier BIGINT NOT NULL CHECK (tier BETWEEN 1 AND 3),
  released_at BIGINT NOT NULL,
  PRIMARY KEY (shift_id, tier)
);

-- MKT-SHIFT-EDIT: every edit of a posted shift with its reason and what changed (JSON).
CREATE TABLE shift_edits (
  id @ID@,
  shift_id BIGINT NOT NULL REFERENCES shifts(id),
  edited_by BIGINT REFERENCES users(id),
  reason TEXT NOT NULL,
  changes TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX shift_edits_shift ON shift_edits(shift_id);
