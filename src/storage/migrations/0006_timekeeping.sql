-- Time and attendance (issue 5, parts 1-2): one timesheet per worked shift and clinician,
-- the raw punches (immutable, with the device location and the distance from the facility),
-- every applied correction with the original value (timesheet_revisions), and per-facility
-- timekeeping settings. Instants BIGINT ms UTC; breaks as "start/end,start/end" RFC 3339.

CREATE TABLE timesheets (
  id @ID@,
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  facility_id BIGINT NOT NULL REFERENCES facilities(id),
  shift_id BIGINT NOT NULL REFERENCES shifts(id),
  clinician_id BIGINT NOT NULL REFERENCES clinicians(id),
  time_zone TEXT NOT NULL,
  scheduled_start BIGINT NOT NULL,
  scheduled_end BIGINT NOT NULL,
  clock_in BIGINT,
  clock_out BIGINT,
  in_distance_m BIGINT,
  out_distance_m BIGINT,
  breaks TEXT NOT NULL DEFAULT '',
  flags BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  correction_clock_in BIGINT,
  correction_clock_out BIGINT,
  correction_breaks TEXT,
  correction_reason TEXT,
  correction_at BIGINT,
  submitted_at BIGINT,
  decided_at BIGINT,
  decided_by BIGINT REFERENCES users(id),
  auto_approve_at BIGINT,
  dispute_reason TEXT NOT NULL DEFAULT '',
  worked_minutes BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (shift_id, clinician_id),
  CHECK (clock_out IS NULL OR clock_in IS NULL OR clock_out > clock_in)
);
CREATE INDEX timesheets_facility_status ON timesheets(facility_id, status, scheduled_start);
CREATE INDEX timesheets_clinician ON timesheets(clinician_id, scheduled_start);
CREATE INDEX timesheets_due ON timesheets(status, auto_approve_at);
CREATE INDEX timesheets_mso_status ON timesheets(mso_id, status, scheduled_start);

CREATE TABLE timesheet_punches (
  id @ID@,
  timesheet_id BIGINT NOT NULL REFERENCES timesheets(id),
  kind TEXT NOT NULL,
  at BIGINT NOT NULL,
  recorded_at BIGINT NOT NULL,
  latitude_e6 BIGINT,
  longitude_e6 BIGINT,
  accuracy_m BIGINT,
  distance_m BIGINT
);
CREATE INDEX timesheet_punches_ts ON timesheet_punches(timesheet_id, id);

CREATE TABLE timesheet_revisions (
  id @ID@,
  timesheet_id BIGINT NOT NULL REFERENCES timesheets(id),
  field TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  reason TEXT NOT NULL,
  by_user BIGINT REFERENCES users(id),
  at BIGINT NOT NULL
);
CREATE INDEX timesheet_revisions_ts ON timesheet_revisions(timesheet_id, id);

CREATE TABLE timekeeping_settings (
  facility_id BIGINT PRIMARY KEY REFERENCES facilities(id),
  geofence_radius_m BIGINT NOT NULL,
  clock_in_opens_minutes BIGINT NOT NULL,
  early_tolerance_minutes BIGINT NOT NULL,
  late_tolerance_minutes BIGINT NOT NULL,
  auto_approve_hours BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
