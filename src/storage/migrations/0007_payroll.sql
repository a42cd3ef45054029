-- Payroll (issue 5, parts 3-5): the MSO's pay settings (pay period, workweek, rounding,
-- differentials as JSON data, instant-pay fee, the ODFI for NACHA files), per-clinician pay
-- terms (overtime-law override, 8/80 agreement, direct-deposit account), pay runs with their
-- statements and line-by-line explanations, the exactly-once ledger of paid timesheet
-- periods, and instant payments. Money BIGINT cents; instants BIGINT ms; dates TEXT ISO.

CREATE TABLE pay_settings (
  mso_id BIGINT PRIMARY KEY REFERENCES msos(id),
  frequency TEXT NOT NULL,               -- weekly | biweekly
  period_anchor TEXT NOT NULL,           -- the first day of some pay period (a workweek start)
  time_zone TEXT NOT NULL,               -- workweek and pay period boundaries
  workweek_start_weekday BIGINT NOT NULL,
  workweek_start_minute BIGINT NOT NULL,
  workday_start_minute BIGINT NOT NULL,
  rounding TEXT NOT NULL,
  auto_meal_deduction BIGINT NOT NULL,
  differentials TEXT NOT NULL,           -- JSON array (payroll::Differential as data)
  instant_pay_fee_cents BIGINT NOT NULL,
  odfi_routing TEXT NOT NULL,
  odfi_name TEXT NOT NULL,
  company_name TEXT NOT NULL,
  company_id TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE clinician_pay (
  clinician_id BIGINT PRIMARY KEY REFERENCES clinicians(id),
  overtime_law TEXT,                     -- NULL: the work state's law (LawForState)
  agreement_880_date TEXT,
  bank_routing TEXT NOT NULL DEFAULT '',
  bank_account TEXT NOT NULL DEFAULT '',
  bank_account_type TEXT NOT NULL DEFAULT 'checking',
  updated_at BIGINT NOT NULL
);

CREATE TABLE pay_runs (
  id @ID@,
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  kind TEXT NOT NULL,                    -- regular | adjustment
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,              -- exclusive
  status TEXT NOT NULL,                  -- draft | finalized | discarded
  statements BIGINT NOT NULL,
  timesheets BIGINT NOT NULL,
  exceptions TEXT NOT NULL,              -- JSON array of clinicians not computed, with the reason
  gross_cents BIGINT NOT NULL,
  net_due_cents BIGINT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  finalized_by BIGINT REFERENCES users(id),
  finalized_at BIGINT
);
CREATE INDEX pay_runs_mso ON pay_runs(mso_id, period_start);

CREATE TABLE pay_statements (
  id @ID@,
  run_id BIGINT NOT NULL REFERENCES pay_runs(id),
  clinician_id BIGINT NOT NULL REFERENCES clinicians(id),
  worker_type TEXT NOT NULL,
  overtime_law TEXT NOT NULL,
  worked_minutes BIGINT NOT NULL,
  regular_minutes BIGINT NOT NULL,
  overtime_minutes BIGINT NOT NULL,
  double_time_minutes BIGINT NOT NULL,
  straight_time_cents BIGINT NOT NULL,
  differentials_cents BIGINT NOT NULL,
  bonuses_cents BIGINT NOT NULL,
  overtime_premium_cents BIGINT NOT NULL,
  double_time_premium_cents BIGINT NOT NULL,
  holiday_premium_cents BIGINT NOT NULL,
  cancellation_cents BIGINT NOT NULL,
  gross_cents BIGINT NOT NULL,
  advances_cents BIGINT NOT NULL,
  net_due_cents BIGINT NOT NULL,
  UNIQUE (run_id, clinician_id)
);

-- Keyed by run and clinician (not the statement id) so that a run's statements and lines
-- are both written with one bulk insert each.
CREATE TABLE pay_lines (
  run_id BIGINT NOT NULL REFERENCES pay_runs(id),
  clinician_id BIGINT NOT NULL REFERENCES clinicians(id),
  seq BIGINT NOT NULL,
  ref BIGINT NOT NULL,                   -- timesheet id (or instant payment id for ADVANCE), 0 for a week line
  code TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  minutes BIGINT NOT NULL,
  rate_cents BIGINT NOT NULL,
  amount_cents BIGINT NOT NULL,
  week_start BIGINT NOT NULL,
  explanation TEXT NOT NULL,
  PRIMARY KEY (run_id, clinician_id, seq)
);

-- Which run's statement covers which timesheet (drafts too).
CREATE TABLE pay_run_timesheets (
  run_id BIGINT NOT NULL REFERENCES pay_runs(id),
  timesheet_id BIGINT NOT NULL REFERENCES timesheets(id),
  PRIMARY KEY (run_id, timesheet_id)
);
CREATE INDEX pay_run_timesheets_ts ON pay_run_timesheets(timesheet_id);

-- PAY-EXACTLY-ONCE: a timesheet's minutes inside one pay period are paid by one finalized
-- run only. Finalizing inserts here; a second run for the same minutes fails the key.
CREATE TABLE paid_timesheet_periods (
  timesheet_id BIGINT NOT NULL REFERENCES timesheets(id),
  period_start TEXT NOT NULL,
  run_id BIGINT NOT NULL REFERENCES pay_runs(id),
  PRIMARY KEY (timesheet_id, period_start)
);

-- Instant pay (same-day ACH) for an approved timesheet of a contractor; the pay run
-- subtracts it as an advance (ADVANCE line) from the period's net pay.
CREATE TABLE instant_payments (
  id @ID@,
  timesheet_id BIGINT NOT NULL UNIQUE REFERENCES timesheets(id),
  clinician_id BIGINT NOT NULL REFERENCES clinicians(id),
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  gross_cents BIGINT NOT NULL,           -- credited against the period's pay
  fee_cents BIGINT NOT NULL,
  paid_cents BIGINT NOT NULL,            -- sent: gross - fee
  trace_number TEXT NOT NULL,
  nacha TEXT NOT NULL,                   -- the same-day file as sent
  created_at BIGINT NOT NULL,
  settled_run_id BIGINT REFERENCES pay_runs(id)
);
CREATE INDEX instant_payments_clinician ON instant_payments(clinician_id, created_at);
