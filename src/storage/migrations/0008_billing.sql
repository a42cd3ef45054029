-- Facility billing (issue 5, part 6): effective-dated service agreements (rate card,
-- overtime/holiday multipliers, the facility's billing overtime rule, holidays, the MSO's
-- management fee, payment terms), invoices with lines traceable to their timesheets, the
-- exactly-once ledger of billed timesheets, credit memos, payments, gap-free document
-- numbers, and the thresholds carried from one invoice to the next. Money BIGINT cents.

CREATE TABLE service_agreements (
  id @ID@,
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  facility_id BIGINT NOT NULL REFERENCES facilities(id),
  effective_from TEXT NOT NULL,
  effective_to TEXT,
  rate_card TEXT NOT NULL,                -- JSON [{"discipline","bill_rate_cents"}]
  overtime_multiplier_bp BIGINT NOT NULL,
  holiday_multiplier_bp BIGINT NOT NULL,
  overtime_kind TEXT NOT NULL,            -- none | weekly | daily
  daily_threshold_hours BIGINT NOT NULL,
  holidays TEXT NOT NULL,                 -- JSON ["2026-12-25", ...]
  fee_percent_bp BIGINT NOT NULL,
  fee_flat_monthly_cents BIGINT NOT NULL,
  fee_per_shift_cents BIGINT NOT NULL,
  payment_terms_days BIGINT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX service_agreements_facility ON service_agreements(facility_id, effective_from);

CREATE TABLE invoices (
  id @ID@,
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  facility_id BIGINT NOT NULL REFERENCES facilities(id),
  number TEXT UNIQUE,                     -- NULL while a draft
  status TEXT NOT NULL,                   -- draft | finalized | discarded
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,                -- exclusive
  issue_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  payment_terms_days BIGINT NOT NULL,
  labor_minutes BIGINT NOT NULL,
  labor_subtotal_cents BIGINT NOT NULL,
  fee_total_cents BIGINT NOT NULL,
  total_cents BIGINT NOT NULL,
  carry_forward TEXT NOT NULL,            -- JSON billing::PriorState for the next period
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  finalized_at BIGINT
);
CREATE INDEX invoices_mso_status ON invoices(mso_id, status, period_from);
CREATE INDEX invoices_facility ON invoices(facility_id, period_from);

-- invoice_lines and billed_timesheets are written only in the transaction that writes their
-- invoice (and read from the timesheets in that transaction), so they carry no foreign keys:
-- on PostgreSQL the checks were a third of the time of a 100,000-timesheet invoice run.
CREATE TABLE invoice_lines (
  invoice_id BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  kind TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  agreement_id BIGINT NOT NULL,
  timesheet_id BIGINT NOT NULL,           -- 0 for fee lines
  shift_id BIGINT NOT NULL,
  clinician_id BIGINT NOT NULL,
  discipline TEXT NOT NULL,
  shift_start BIGINT NOT NULL,
  minutes BIGINT NOT NULL,
  quantity BIGINT NOT NULL,
  multiplier_bp BIGINT NOT NULL,
  base_rate_cents BIGINT NOT NULL,
  rate_cents BIGINT NOT NULL,
  basis_cents BIGINT NOT NULL,
  month TEXT,
  amount_cents BIGINT NOT NULL,
  PRIMARY KEY (invoice_id, line_no)
);

-- BILL-EXACTLY-ONCE in storage: a timesheet is billed by one finalized invoice only.
CREATE TABLE billed_timesheets (
  timesheet_id BIGINT PRIMARY KEY,
  invoice_id BIGINT NOT NULL
);

-- The thresholds and flat-fee months carried into the facility's next invoice.
CREATE TABLE billing_state (
  facility_id BIGINT PRIMARY KEY REFERENCES facilities(id),
  prior_state TEXT NOT NULL,
  through_date TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE credit_memos (
  id @ID@,
  invoice_id BIGINT NOT NULL REFERENCES invoices(id),
  number TEXT NOT NULL UNIQUE,
  issue_date TEXT NOT NULL,
  reason TEXT NOT NULL,
  total_cents BIGINT NOT NULL,
  lines TEXT NOT NULL,                    -- JSON of the negative lines
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX credit_memos_invoice ON credit_memos(invoice_id);

CREATE TABLE invoice_payments (
  id @ID@,
  invoice_id BIGINT NOT NULL REFERENCES invoices(id),
  received_on TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  unapplied_cents BIGINT NOT NULL,
  reference TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX invoice_payments_invoice ON invoice_payments(invoice_id);

-- Gap-free document numbers per MSO, series and year (BILL-NUMBER): taken in the
-- transaction that finalizes, so a rollback gives the number back.
CREATE TABLE document_counters (
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  series TEXT NOT NULL,
  year BIGINT NOT NULL,
  last_sequence BIGINT NOT NULL,
  PRIMARY KEY (mso_id, series, year)
);
