// Pay-run exports (payroll register CSV/XLSX, the contractors' NACHA file, pay statement
// PDFs) and instant pay (a same-day ACH entry for one approved timesheet).
#include <map>

#include "finance/finance.h"
#include "formats/formats.h"
#include "storage/storage.h"

namespace openmso::finance {
namespace {

constexpr storage::Statement kBanks{"fin.banks",
    "SELECT st.clinician_id, p.bank_routing, p.bank_account, p.bank_account_type FROM pay_statements st "
    "LEFT JOIN clinician_pay p ON p.clinician_id = st.clinician_id WHERE st.run_id = ?"};
constexpr storage::Statement kInstantSource{"fin.instant_source",
    "SELECT t.id, t.clinician_id, t.facility_id, t.clock_in, t.clock_out, t.breaks, t.status, s.pay_rate_cents, "
    "s.incentive_cents, f.state, f.time_zone, c.employment_class, c.first_name || ' ' || c.last_name, t.mso_id "
    "FROM timesheets t JOIN shifts s ON s.id = t.shift_id JOIN facilities f ON f.id = t.facility_id "
    "JOIN clinicians c ON c.id = t.clinician_id WHERE t.id = ?"};
constexpr storage::Statement kAlreadyPaid{"fin.already_paid",
    "SELECT 1 FROM paid_timesheet_periods WHERE timesheet_id = ? LIMIT 1"};
constexpr storage::Statement kAlreadyAdvanced{"fin.already_advanced",
    "SELECT 1 FROM instant_payments WHERE timesheet_id = ?"};
constexpr storage::Statement kInsertInstant{"fin.insert_instant",
    "INSERT INTO instant_payments (timesheet_id, clinician_id, mso_id, gross_cents, fee_cents, paid_cents, "
    "trace_number, nacha, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr storage::Statement kCountInstantToday{"fin.count_instant_today",
    "SELECT COUNT(*) FROM instant_payments WHERE mso_id = ? AND created_at >= ?"};

formats::Sheet RegisterSheet(const PayRunSummary& run, const std::vector<StatementRow>& rows, std::string_view type) {
  formats::Sheet sheet;
  sheet.name = "Register";
  using formats::ColumnTotal;
  sheet.columns = {{"Clinician ID", 12, ColumnTotal::kNone}, {"Name", 24, ColumnTotal::kNone},
                   {"Worker type", 10, ColumnTotal::kNone},  {"Overtime law", 14, ColumnTotal::kNone},
                   {"Period start", 12, ColumnTotal::kNone}, {"Period end", 12, ColumnTotal::kNone},
                   {"Worked minutes", 10, ColumnTotal::kSum}, {"Regular minutes", 10, ColumnTotal::kSum},
                   {"Overtime minutes", 10, ColumnTotal::kSum}, {"Double-time minutes", 10, ColumnTotal::kSum},
                   {"Straight time", 14, ColumnTotal::kSum}, {"Differentials", 14, ColumnTotal::kSum},
                   {"Bonuses", 12, ColumnTotal::kSum}, {"Overtime premium", 14, ColumnTotal::kSum},
                   {"Double-time premium", 14, ColumnTotal::kSum}, {"Holiday premium", 14, ColumnTotal::kSum},
                   {"Cancellation pay", 14, ColumnTotal::kSum}, {"Gross", 14, ColumnTotal::kSum},
                   {"Advances", 12, ColumnTotal::kSum}, {"Net due", 14, ColumnTotal::kSum}};
  for (const auto& s : rows) {
    if (type != "all" && s.worker_type != type) continue;
    sheet.rows.push_back({formats::IntegerCell(s.clinician_id.value), formats::TextCell(s.clinician_name),
                          formats::TextCell(s.worker_type), formats::TextCell(s.overtime_law),
                          formats::DateCell(run.period.start),
                          formats::DateCell(Date::FromDaysSinceEpoch(run.period.end.DaysSinceEpoch() - 1)),
                          formats::IntegerCell(s.worked_minutes), formats::IntegerCell(s.regular_minutes),
                          formats::IntegerCell(s.overtime_minutes), formats::IntegerCell(s.double_time_minutes),
                          formats::MoneyCell(s.straight_time), formats::MoneyCell(s.differentials),
                          formats::MoneyCell(s.bonuses), formats::MoneyCell(s.overtime_premium),
                          formats::MoneyCell(s.double_time_premium), formats::MoneyCell(s.holiday_premium),
                          formats::MoneyCell(s.cancellation), formats::MoneyCell(s.gross),
                          formats::MoneyCell(s.advances), formats::MoneyCell(s.net_due)});
  }
  sheet.totals = formats::TotalsRow::kFormulas;
  return sheet;
}

Result<void> CheckWorkerType(std::string_view t) {
  if (t != "all" && t != "w2" && t != "1099")
    return Error::Invalid("worker_type", "unknown", "worker_type is w2, 1099 or all.");
  return Ok();
}

formats::NachaFile BaseFile(const PaySettings& p, Instant now) {
  formats::NachaFile f;
  f.bank.immediate_destination = p.odfi_routing;
  f.bank.immediate_origin = p.company_id;
  f.bank.destination_name = p.odfi_name;
  f.bank.origin_name = p.company_name;
  f.created_at = now;
  f.time_zone = p.time_zone;
  return f;
}

formats::NachaBatch BaseBatch(const PaySettings& p, std::string description, Date effective) {
  formats::NachaBatch b;
  b.service_class = formats::ServiceClass::kCreditsOnly;
  b.company_name = p.company_name;
  b.company_id = p.company_id;
  b.sec_code = formats::SecCode::kPpd;
  b.entry_description = std::move(description);
  b.effective_date = effective;
  b.odfi_routing_number = p.odfi_routing;
  return b;
}

// The next banking day after `d` (Monday-Friday; bank holidays are the bank's to refuse).
Date NextBankingDay(Date d) {
  int64_t n = d.DaysSinceEpoch() + 1;
  while (true) {
    int weekday = static_cast<int>((n % 7 + 7 + 4) % 7);  // 0 = Sunday
    if (weekday != 0 && weekday != 6) return Date::FromDaysSinceEpoch(n);
    ++n;
  }
}

}  // namespace

Result<std::string> RegisterCsv(storage::Session& s, PayRunId run, std::string_view worker_type) {
  OPENMSO_TRY(CheckWorkerType(worker_type));
  OPENMSO_ASSIGN_OR_RETURN(auto r, GetPayRun(s, run));
  OPENMSO_ASSIGN_OR_RETURN(auto rows, ListStatements(s, run));
  return formats::WriteCsv(RegisterSheet(r, rows, worker_type));
}

Result<std::string> RegisterXlsx(storage::Session& s, PayRunId run, std::string_view worker_type) {
  OPENMSO_TRY(CheckWorkerType(worker_type));
  OPENMSO_ASSIGN_OR_RETURN(auto r, GetPayRun(s, run));
  OPENMSO_ASSIGN_OR_RETURN(auto rows, ListStatements(s, run));
  formats::Workbook wb;
  wb.sheets.push_back(RegisterSheet(r, rows, worker_type));
  return formats::RenderXlsx(wb);
}

Result<std::string> ContractorNacha(storage::Session& s, PayRunId run, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto r, GetPayRun(s, run));
  if (r.status != "finalized") return Error::Conflict("not-finalized", "Only a finalized run is paid.");
  OPENMSO_ASSIGN_OR_RETURN(auto settings, GetPaySettings(s, r.mso_id));
  OPENMSO_ASSIGN_OR_RETURN(auto rows, ListStatements(s, run));
  OPENMSO_ASSIGN_OR_RETURN(auto banks, s.Query(kBanks, {run.value}));
  std::map<int64_t, const storage::Row*> bank_of;
  for (const auto& b : banks) bank_of[b.Int(0)] = &b;
  formats::NachaFile file = BaseFile(settings, now);
  Date today = ToLocal(now, settings.time_zone).date;
  formats::NachaBatch batch = BaseBatch(settings, "PAYROLL", NextBankingDay(today));
  FieldErrors errs;
  for (size_t i = 0; i < rows.size(); ++i) {
    const StatementRow& st = rows[i];
    if (st.worker_type != "1099" || st.net_due <= Money()) continue;
    const storage::Row* b = bank_of.count(st.clinician_id.value) ? bank_of[st.clinician_id.value] : nullptr;
    std::string routing = b && !b->IsNull(1) ? b->Text(1) : "", account = b && !b->IsNull(2) ? b->Text(2) : "";
    std::string at = "clinicians." + std::to_string(st.clinician_id.value);
    if (routing.empty() || account.empty()) {
      errs.Add(at + ".bank_account", "required", "A contractor paid by direct deposit needs a bank account on file.");
      continue;
    }
    if (auto v = formats::ValidateRoutingNumber(routing); !v.ok()) {
      errs.Add(at + ".bank_routing", v.error().fields.empty() ? "invalid" : v.error().fields[0].code,
               "The routing number on file is not valid.");
      continue;
    }
    formats::NachaEntry e;
    e.transaction_code = b->Text(3) == "savings" ? formats::TransactionCode::kSavingsCredit
                                                 : formats::TransactionCode::kCheckingCredit;
    e.routing_number = routing;
    e.account_number = account;
    e.amount = st.net_due;
    e.individual_id = "C" + std::to_string(st.clinician_id.value);
    e.individual_name = st.clinician_name;
    batch.entries.push_back(std::move(e));
  }
  if (!errs.empty()) return errs.ToError();
  if (batch.entries.empty()) return Error::Conflict("no-contractors", "No 1099 contractor has net pay due in this run.");
  file.batches.push_back(std::move(batch));
  return formats::WriteNacha(file);
}

Result<std::string> StatementPdf(storage::Session& s, PayStatementId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto st, GetStatement(s, id));
  OPENMSO_ASSIGN_OR_RETURN(auto run, GetPayRun(s, st.run_id));
  OPENMSO_ASSIGN_OR_RETURN(auto settings, GetPaySettings(s, run.mso_id));
  formats::PayStatementDoc doc;
  doc.issuer_name = settings.company_name;
  doc.statement_number = "PS-" + std::to_string(id.value) + (run.status == "finalized" ? "" : " (DRAFT)");
  doc.employee_name = st.clinician_name;
  doc.employee_id = "C" + std::to_string(st.clinician_id.value);
  doc.worker_type = st.worker_type == "1099" ? "1099 contractor" : "W-2 employee";
  doc.period_start = run.period.start;
  doc.period_end = Date::FromDaysSinceEpoch(run.period.end.DaysSinceEpoch() - 1);
  doc.pay_date = run.finalized_at ? ToLocal(*run.finalized_at, settings.time_zone).date : run.period.end;
  for (const auto& l : st.lines) {
    if (l.code == "ADVANCE") {
      doc.adjustments.push_back({"Instant pay already sent (" + l.explanation + ")", l.amount});
      continue;
    }
    formats::PayStatementLine line;
    line.code = l.code;
    line.description = l.explanation;
    if (l.minutes > 0) {
      line.hours = std::chrono::minutes(l.minutes);
      line.rate = l.rate;
    }
    line.amount = l.amount;
    doc.lines.push_back(std::move(line));
  }
  doc.footer_note = "Overtime law: " + st.overtime_law + ". Each line cites the rule that produced it; "
                    "gross-to-net is done by the payroll provider for W-2 employees.";
  return formats::RenderPayStatementPdf(doc);
}

Result<InstantPayment> PayInstantly(storage::Database& db, TimesheetId t, ClinicianId who, Instant now,
                                    const AuditFn& audit) {
  return storage::WriteValue<InstantPayment>(db, [&](storage::Session& s) -> Result<InstantPayment> {
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kInstantSource, {t.value}));
    if (!row) return Error::NotFound("The timesheet");
    if (ClinicianId(row->Int(1)) != who) return Error::Forbidden("Only the clinician who worked it asks for instant pay.");
    if (row->Text(6) != "approved") return Error::Conflict("not-approved", "Only an approved timesheet is paid.");
    if (row->Text(11) != "1099")
      return Error::Conflict("not-contractor", "Instant pay is for 1099 contractors; employees are paid by the pay run.");
    OPENMSO_ASSIGN_OR_RETURN(auto paid, s.QueryOne(kAlreadyPaid, {t.value}));
    if (paid) return Error::Conflict("already-paid", "A pay run already paid this timesheet.");
    OPENMSO_ASSIGN_OR_RETURN(auto advanced, s.QueryOne(kAlreadyAdvanced, {t.value}));
    if (advanced) return Error::Conflict("already-advanced", "This timesheet was already paid instantly.");
    MsoId mso(row->Int(13));
    OPENMSO_ASSIGN_OR_RETURN(auto settings, GetPaySettings(s, mso));
    OPENMSO_ASSIGN_OR_RETURN(auto pay, GetClinicianPay(s, who));
    if (pay.bank_routing.empty() || pay.bank_account.empty())
      return Error::Invalid("bank_account", "required", "Add a bank account to your pay settings first.");

    // The shift's own straight-time pay under the MSO's rules (PAY-INSTANT): one shift
    // alone has no weekly overtime; the pay run settles the rest and subtracts this advance.
    payroll::WorkedShift w;
    w.ref = row->Int(0);
    w.facility_id = row->Int(2);
    w.start = FromUnixMillis(row->Int(3));
    w.end = FromUnixMillis(row->Int(4));
    w.base_rate = Money::Cents(row->Int(7));
    w.incentive = Money::Cents(row->Int(8));
    w.work_state = row->Text(9);
    w.zone = row->Text(10);
    payroll::PayPolicy policy;
    policy.zone = settings.time_zone;
    policy.rounding = settings.rounding;
    policy.differentials = settings.differentials;
    policy.auto_meal_deduction = settings.auto_meal_deduction;
    OPENMSO_ASSIGN_OR_RETURN(auto paid_time, payroll::ComputePaidTime(policy, w));
    Money gross;
    {
      // Straight time = minutes x base rate (differentials are settled by the run).
      gross = w.base_rate.MulRatio(paid_time.paid_minutes, 60) + w.incentive;
    }
    Money fee = std::min(settings.instant_pay_fee, gross);
    Money net = gross - fee;
    if (net <= Money()) return Error::Conflict("nothing-to-pay", "The fee is not smaller than the pay.");

    formats::NachaFile file = BaseFile(settings, now);
    OPENMSO_ASSIGN_OR_RETURN(auto today_count, s.QueryOne(kCountInstantToday, {mso.value, ToUnixMillis(now) - 86'400'000}));
    int64_t n = today_count ? today_count->Int(0) : 0;
    file.file_id_modifier = static_cast<char>(n < 26 ? 'A' + n : '0' + (n - 26) % 10);
    formats::NachaBatch batch = BaseBatch(settings, "INSTANTPAY", ToLocal(now, settings.time_zone).date);
    formats::NachaEntry e;
    e.transaction_code = pay.bank_account_type == "savings" ? formats::TransactionCode::kSavingsCredit
                                                            : formats::TransactionCode::kCheckingCredit;
    e.routing_number = pay.bank_routing;
    e.account_number = pay.bank_account;
    e.amount = net;
    e.individual_id = "C" + std::to_string(who.value);
    e.individual_name = row->Text(12);
    batch.entries.push_back(e);
    OPENMSO_ASSIGN_OR_RETURN(batch, formats::MakeSameDayBatch(file, std::move(batch)));
    file.batches.push_back(std::move(batch));
    OPENMSO_ASSIGN_OR_RETURN(std::string nacha, formats::WriteNacha(file));
    OPENMSO_ASSIGN_OR_RETURN(auto parsed, formats::ParseNacha(nacha));
    InstantPayment ip;
    ip.timesheet_id = t;
    ip.clinician_id = who;
    ip.gross = gross;
    ip.fee = fee;
    ip.paid = net;
    ip.trace_number = parsed.entries.at(0).trace_number;
    ip.nacha = std::move(nacha);
    ip.created_at = now;
    OPENMSO_ASSIGN_OR_RETURN(auto ins, s.Query(kInsertInstant, {t.value, who.value, mso.value, gross.cents(), fee.cents(),
                                                                net.cents(), ip.trace_number, ip.nacha, ToUnixMillis(now)}));
    ip.id = ins.at(0).Int(0);
    if (audit) OPENMSO_TRY(audit(s, std::to_string(ip.id)));
    return ip;
  });
}

}  // namespace openmso::finance
