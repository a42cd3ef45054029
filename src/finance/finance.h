// The finance module (issue 5, parts 3-6): pay runs and facility invoices computed from
// approved timesheets, read from and written to the database in bulk. It joins storage
// (the rows) with the pure engines (domain/payroll, domain/billing) and the file formats
// (src/formats), so the HTTP routes, the CLI and the benchmarks share one implementation.
// Every function writes in one transaction: a run or an invoice exists completely or not
// at all, also if the process is killed mid-way (PAY-RUN-ATOMIC).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/core.h"
#include "domain/billing/billing.h"
#include "domain/payroll/payroll.h"
#include "domain/timekeeping/timekeeping.h"
#include "storage/database.h"

namespace openmso {
using PayRunId = Id<struct PayRunTag>;
using PayStatementId = Id<struct PayStatementTag>;
}  // namespace openmso

namespace openmso::finance {

// Reports long work: done of total in a phase ("load", "compute", "write").
using Progress = std::function<void(std::string_view phase, int64_t done, int64_t total)>;
// Writes the audit event of the operation in its transaction.
using AuditFn = std::function<Result<void>(storage::Session&, std::string_view entity_id)>;

// ---- Pay settings (per MSO) --------------------------------------------------------------------
struct PaySettings {
  std::string frequency = "biweekly";  // weekly | biweekly
  Date period_anchor{2026, 1, 4};      // the first day of some pay period (a Sunday by default)
  std::string time_zone = "America/Chicago";
  int workweek_start_weekday = 0;      // 0 = Sunday
  int workweek_start_minute = 0;
  int workday_start_minute = 0;
  payroll::Rounding rounding = payroll::Rounding::kNone;
  bool auto_meal_deduction = false;
  std::vector<payroll::Differential> differentials;
  Money instant_pay_fee = Money::Cents(0);
  std::string odfi_routing = "123456780", odfi_name = "OPENMSO DEMO BANK";
  std::string company_name = "OPENMSO MSO", company_id = "1123456789";
};
// PAY-SETTINGS: frequency, a valid zone, weekday 0..6, minutes 0..1439, the anchor on the
// workweek's start day, at most 32 valid differentials, a fee 0..$100, a valid ODFI routing
// number (3-7-1), a 10-character company id. Every bad field at once.
Result<void> ValidateSettings(const PaySettings& s);
Result<PaySettings> GetPaySettings(storage::Session& s, MsoId mso);  // the defaults when none stored
Result<void> PutPaySettings(storage::Session& s, MsoId mso, const PaySettings& p, Instant now);
// Differentials as JSON (the API's and the stored form) and back; errors name
// "differentials.N.field".
std::string DifferentialsToJson(const std::vector<payroll::Differential>& d);
Result<std::vector<payroll::Differential>> DifferentialsFromJson(std::string_view json);

// The pay period containing local date `on` and the one starting on `start` (which must be
// a period start: else kInvalidArgument "period_start:not_period_start").
struct Period {
  Date start, end;              // local dates, end exclusive
  Instant start_at, end_at;     // at the workweek start minute in the settings' zone
};
Period PeriodContaining(const PaySettings& s, Date on);
Result<Period> PeriodStarting(const PaySettings& s, Date start);

// ---- Pay runs ----------------------------------------------------------------------------------
struct PayRunSummary {
  PayRunId id;
  MsoId mso_id;
  std::string kind;    // regular | adjustment
  Period period;
  std::string status;  // draft | finalized | discarded
  int64_t statements = 0, timesheets = 0;
  Money gross, net_due;
  std::string exceptions_json;  // [{"clinician_id":..,"errors":[{"field","code","message"}]}]
  std::optional<UserId> created_by, finalized_by;
  Instant created_at;
  std::optional<Instant> finalized_at;
};

// PAY-RUN-DRAFT: computes a draft for everyone with approved, not yet paid timesheet minutes
// in the period (a timesheet crossing the period's edge is paid for the minutes inside each
// period), plus instant-pay advances not yet settled. A clinician whose statement cannot be
// computed (e.g. work under two overtime laws) is listed in the exceptions and left unpaid.
// Errors: kInvalidArgument period_start:not_period_start; kConflict "nothing-to-pay".
Result<PayRunSummary> CreatePayRun(storage::Database& db, MsoId mso, Date period_start, std::string_view kind,
                                   std::optional<UserId> by, Instant now, const Progress& progress, const AuditFn& audit);
// PAY-RUN-FINALIZE: draft -> finalized in one transaction; records every paid timesheet
// period (PAY-EXACTLY-ONCE) and settles the advances. Errors: kConflict "already-finalized",
// "run-discarded", "already-paid" (another run finalized some of its minutes first).
Result<PayRunSummary> FinalizePayRun(storage::Database& db, PayRunId id, std::optional<UserId> by, Instant now,
                                     const AuditFn& audit);
// A draft can be discarded (it is replaced by a new draft); finalized runs are immutable.
Result<PayRunSummary> DiscardPayRun(storage::Database& db, PayRunId id, Instant now, const AuditFn& audit);

Result<PayRunSummary> GetPayRun(storage::Session& s, PayRunId id);
Result<std::vector<PayRunSummary>> ListPayRuns(storage::Session& s, MsoId mso, int limit);

struct StatementRow {
  PayStatementId id;
  PayRunId run_id;
  ClinicianId clinician_id;
  std::string clinician_name, worker_type, overtime_law;
  Date period_start, period_end;  // the run's pay period (end exclusive)
  std::string run_status;         // draft | finalized | discarded
  int64_t worked_minutes = 0, regular_minutes = 0, overtime_minutes = 0, double_time_minutes = 0;
  Money straight_time, differentials, bonuses, overtime_premium, double_time_premium, holiday_premium,
      cancellation, gross, advances, net_due;
  std::vector<payroll::PayLine> lines;  // filled by GetStatement only
};
Result<std::vector<StatementRow>> ListStatements(storage::Session& s, PayRunId run);
Result<StatementRow> GetStatement(storage::Session& s, PayStatementId id);
// The finalized statements of one clinician, newest first.
Result<std::vector<StatementRow>> StatementsOf(storage::Session& s, ClinicianId c, int limit);

// ---- Exports (PAY-EXPORT-*) ------------------------------------------------------------------
// The payroll register (one row per statement) as CSV or XLSX bytes; W-2 only, 1099 only or all.
Result<std::string> RegisterCsv(storage::Session& s, PayRunId run, std::string_view worker_type);
Result<std::string> RegisterXlsx(storage::Session& s, PayRunId run, std::string_view worker_type);
// The NACHA PPD file paying the run's 1099 contractors (net due > 0) by direct deposit.
// Errors: kConflict "not-finalized"; kInvalidArgument naming a clinician without a valid
// bank account ("clinicians.N.bank_routing:check_digit").
Result<std::string> ContractorNacha(storage::Session& s, PayRunId run, Instant now);
// The pay statement as a PDF.
Result<std::string> StatementPdf(storage::Session& s, PayStatementId id);

// ---- Instant pay (PAY-INSTANT) -------------------------------------------------------------------
struct InstantPayment {
  int64_t id = 0;
  TimesheetId timesheet_id;
  ClinicianId clinician_id;
  Money gross, fee, paid;
  std::string trace_number, nacha;
  Instant created_at;
};
// Pays one approved timesheet of a 1099 contractor now: its straight-time pay (base rate,
// differentials and incentive; overtime is settled by the pay run) minus the MSO's fee, as a
// same-day ACH file. Errors: kConflict "not-approved", "not-contractor", "already-paid",
// "already-advanced"; kInvalidArgument for a missing or invalid bank account.
Result<InstantPayment> PayInstantly(storage::Database& db, TimesheetId t, ClinicianId who, Instant now,
                                    const AuditFn& audit);

// ---- Clinician pay terms ---------------------------------------------------------------------------
struct ClinicianPay {
  std::optional<payroll::OvertimeLaw> overtime_law;  // nullopt: the work state's law
  std::optional<Date> agreement_880_date;
  std::string bank_routing, bank_account, bank_account_type = "checking";
};
// Routing number (3-7-1), account 4..17 characters [0-9A-Za-z-], type checking|savings,
// 8/80 needs its agreement date. Every bad field at once.
Result<void> ValidateClinicianPay(const ClinicianPay& p);
Result<ClinicianPay> GetClinicianPay(storage::Session& s, ClinicianId c);
Result<void> PutClinicianPay(storage::Session& s, ClinicianId c, const ClinicianPay& p, Instant now);

}  // namespace openmso::finance

// ---- Facility billing (issue 5, part 6; BILL-*) -----------------------------------------------------

namespace openmso::finance {

// Service agreements as the API and the database hold them (JSON of the rate card and holidays).
std::string RateCardToJson(const std::vector<billing::RateCardEntry>& card);
Result<std::vector<billing::RateCardEntry>> RateCardFromJson(std::string_view json);
Result<std::vector<billing::ServiceAgreement>> ListAgreements(storage::Session& s, FacilityId f);
// Adds an agreement; an open-ended one in force on its effective_from day is closed the day
// before. Validates all of the facility's agreements together (no overlap, BILL-AGREEMENT-*)
// and keeps the marketplace's rate_cards (the default bill rate of a posting) in step.
Result<billing::ServiceAgreement> AddAgreement(storage::Session& s, MsoId mso, billing::ServiceAgreement a,
                                               std::optional<UserId> by, Instant now);

struct InvoiceRow {
  InvoiceId id;
  MsoId mso_id;
  std::string facility_name;
  std::string stored_status;    // draft | finalized | discarded
  std::string status;           // draft | finalized | partially_paid | paid | discarded
  billing::Invoice invoice;     // lines only from GetInvoice(with_lines)
  Money credits, payments, balance;
  int64_t timesheets = 0;
  Instant created_at;
  std::optional<Instant> finalized_at;
  std::vector<billing::CreditMemo> credit_memos;  // GetInvoice(with_lines)
  std::vector<billing::Payment> payment_list;      // GetInvoice(with_lines)
};

// BILL-RUN: invoices of the period [from, to) (local dates) for every facility of the MSO
// with approved, not yet billed timesheets whose shift starts in it (or only `facility`),
// each computed from the facility's agreements and the thresholds carried from its last
// finalized invoice; all written in one transaction, finalized there too when `finalize`.
// Errors: kConflict "nothing-to-bill"; kInvalidArgument naming a facility's problem
// ("facilities.<id>.agreements:none_in_force", "...shifts[i].discipline:not_on_rate_card").
Result<std::vector<InvoiceRow>> GenerateInvoices(storage::Database& db, MsoId mso, Date from, Date to,
                                                 std::optional<FacilityId> facility, bool finalize,
                                                 std::optional<UserId> by, Instant now, const Progress& progress,
                                                 const AuditFn& audit);
// Draft -> finalized with the next gap-free number (BILL-NUMBER) and the billed-timesheet
// ledger (BILL-EXACTLY-ONCE). Errors: kConflict "invoice-finalized", "invoice-discarded",
// "already-billed".
Result<InvoiceRow> FinalizeInvoice(storage::Database& db, InvoiceId id, Instant now, const AuditFn& audit);
Result<InvoiceRow> DiscardInvoice(storage::Database& db, InvoiceId id, const AuditFn& audit);
Result<InvoiceRow> GetInvoice(storage::Session& s, InvoiceId id, bool with_lines);
Result<std::vector<InvoiceRow>> ListInvoices(storage::Session& s, MsoId mso,
                                             const std::optional<std::vector<FacilityId>>& scope,
                                             std::optional<FacilityId> facility, int limit);
Result<InvoiceRow> RecordPayment(storage::Database& db, InvoiceId id, const billing::PaymentInput& p,
                                 std::optional<UserId> by, Instant now, const AuditFn& audit);
Result<billing::CreditMemo> AddCreditMemo(storage::Database& db, InvoiceId id, billing::Dispute d,
                                          std::optional<UserId> by, Instant now, const AuditFn& audit);
Result<billing::AgingReport> ArAging(storage::Session& s, MsoId mso, Date as_of,
                                     const std::optional<std::vector<FacilityId>>& scope);
Result<std::string> InvoicePdf(storage::Session& s, InvoiceId id);

}  // namespace openmso::finance
