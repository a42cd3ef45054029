// Pay runs: settings, periods, the draft computed from approved timesheets, finalization
// with the exactly-once ledger, instant pay, and the clinician's pay terms.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include <boost/json.hpp>

#include "finance/finance.h"
#include "formats/formats.h"
#include "storage/storage.h"

namespace openmso::finance {
namespace json = boost::json;
using payroll::Differential;

namespace {

constexpr storage::Statement kGetSettings{"fin.get_pay_settings",
    "SELECT frequency, period_anchor, time_zone, workweek_start_weekday, workweek_start_minute, workday_start_minute, "
    "rounding, auto_meal_deduction, differentials, instant_pay_fee_cents, odfi_routing, odfi_name, company_name, "
    "company_id FROM pay_settings WHERE mso_id = ?"};
constexpr storage::Statement kPutSettings{"fin.put_pay_settings",
    "INSERT INTO pay_settings (mso_id, frequency, period_anchor, time_zone, workweek_start_weekday, "
    "workweek_start_minute, workday_start_minute, rounding, auto_meal_deduction, differentials, instant_pay_fee_cents, "
    "odfi_routing, odfi_name, company_name, company_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (mso_id) DO UPDATE SET frequency = excluded.frequency, period_anchor = excluded.period_anchor, "
    "time_zone = excluded.time_zone, workweek_start_weekday = excluded.workweek_start_weekday, "
    "workweek_start_minute = excluded.workweek_start_minute, workday_start_minute = excluded.workday_start_minute, "
    "rounding = excluded.rounding, auto_meal_deduction = excluded.auto_meal_deduction, "
    "differentials = excluded.differentials, instant_pay_fee_cents = excluded.instant_pay_fee_cents, "
    "odfi_routing = excluded.odfi_routing, odfi_name = excluded.odfi_name, company_name = excluded.company_name, "
    "company_id = excluded.company_id, updated_at = excluded.updated_at"};
constexpr storage::Statement kGetClinicianPay{"fin.get_clinician_pay",
    "SELECT overtime_law, agreement_880_date, bank_routing, bank_account, bank_account_type FROM clinician_pay "
    "WHERE clinician_id = ?"};
constexpr storage::Statement kPutClinicianPay{"fin.put_clinician_pay",
    "INSERT INTO clinician_pay (clinician_id, overtime_law, agreement_880_date, bank_routing, bank_account, "
    "bank_account_type, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (clinician_id) DO UPDATE SET "
    "overtime_law = excluded.overtime_law, agreement_880_date = excluded.agreement_880_date, "
    "bank_routing = excluded.bank_routing, bank_account = excluded.bank_account, "
    "bank_account_type = excluded.bank_account_type, updated_at = excluded.updated_at"};

// Approved timesheets of the MSO with minutes in [from, to) whose minutes of this period
// are not paid yet, with everything the engine needs; by clinician then clock-in.
constexpr storage::Statement kPayable{"fin.payable",
    "SELECT t.id, t.clinician_id, t.facility_id, t.clock_in, t.clock_out, t.breaks, s.pay_rate_cents, "
    "s.incentive_cents, f.state, f.time_zone, c.employment_class, c.first_name || ' ' || c.last_name "
    "FROM timesheets t JOIN shifts s ON s.id = t.shift_id JOIN facilities f ON f.id = t.facility_id "
    "JOIN clinicians c ON c.id = t.clinician_id "
    "WHERE t.mso_id = ? AND t.status = 'approved' AND t.scheduled_start >= ? AND t.scheduled_start < ? "
    "AND t.clock_in < ? AND t.clock_out > ? "
    "AND NOT EXISTS (SELECT 1 FROM paid_timesheet_periods p WHERE p.timesheet_id = t.id AND p.period_start = ?) "
    "ORDER BY t.clinician_id, t.clock_in, t.id"};
constexpr storage::Statement kAllClinicianPay{"fin.all_clinician_pay",
    "SELECT p.clinician_id, p.overtime_law, p.agreement_880_date FROM clinician_pay p JOIN clinicians c "
    "ON c.id = p.clinician_id WHERE c.mso_id = ?"};
constexpr storage::Statement kOpenAdvances{"fin.open_advances",
    "SELECT id, clinician_id, gross_cents, created_at FROM instant_payments WHERE mso_id = ? AND settled_run_id IS NULL "
    "AND created_at < ?"};
// Cancellation pay owed (MKT-CANCEL-PAY), paid by the first run computed after it was
// recorded; its extra refs are offset so they never collide with instant-payment refs.
constexpr int64_t kCancelRefBase = 1'000'000'000'000;
constexpr storage::Statement kOpenCancellations{"fin.open_cancellations",
    "SELECT o.id, o.clinician_id, o.amount_cents, o.created_at, c.employment_class, c.first_name || ' ' || c.last_name "
    "FROM cancellation_pay_owed o JOIN clinicians c ON c.id = o.clinician_id WHERE o.mso_id = ? "
    "AND o.settled_run_id IS NULL AND o.created_at < ? ORDER BY o.id"};
constexpr storage::Statement kSettleCancellations{"fin.settle_cancellations",
    "UPDATE cancellation_pay_owed SET settled_run_id = ? WHERE settled_run_id IS NULL AND id + 1000000000000 IN "
    "(SELECT ref FROM pay_lines WHERE run_id = ? AND code = 'CANCEL')"};
constexpr storage::Statement kCountCancellations{"fin.count_cancellations",
    "SELECT COUNT(*) FROM pay_lines WHERE run_id = ? AND code = 'CANCEL'"};
constexpr storage::Statement kInsertRun{"fin.insert_run",
    "INSERT INTO pay_runs (mso_id, kind, period_start, period_end, status, statements, timesheets, exceptions, "
    "gross_cents, net_due_cents, created_by, created_at) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
#define OPENMSO_RUN_COLUMNS                                                                                        \
  "id, mso_id, kind, period_start, period_end, status, statements, timesheets, exceptions, gross_cents, "          \
  "net_due_cents, created_by, created_at, finalized_by, finalized_at"
constexpr storage::Statement kGetRun{"fin.get_run", "SELECT " OPENMSO_RUN_COLUMNS " FROM pay_runs WHERE id = ?"};
constexpr storage::Statement kListRuns{"fin.list_runs",
    "SELECT " OPENMSO_RUN_COLUMNS " FROM pay_runs WHERE mso_id = ? ORDER BY id DESC LIMIT ?"};
#undef OPENMSO_RUN_COLUMNS
constexpr storage::Statement kFinalize{"fin.finalize",
    "UPDATE pay_runs SET status = 'finalized', finalized_by = ?, finalized_at = ? WHERE id = ? AND status = 'draft'"};
constexpr storage::Statement kDiscard{"fin.discard",
    "UPDATE pay_runs SET status = 'discarded' WHERE id = ? AND status = 'draft'"};
constexpr storage::Statement kLedger{"fin.ledger",
    "INSERT INTO paid_timesheet_periods (timesheet_id, period_start, run_id) "
    "SELECT timesheet_id, ?, run_id FROM pay_run_timesheets WHERE run_id = ?"};
constexpr storage::Statement kSettle{"fin.settle",
    "UPDATE instant_payments SET settled_run_id = ? WHERE settled_run_id IS NULL AND id IN "
    "(SELECT ref FROM pay_lines WHERE run_id = ? AND code = 'ADVANCE')"};
constexpr storage::Statement kCountAdvances{"fin.count_advances",
    "SELECT COUNT(*) FROM pay_lines WHERE run_id = ? AND code = 'ADVANCE'"};
#define OPENMSO_STATEMENT_COLUMNS                                                                                   \
  "st.id, st.run_id, st.clinician_id, c.first_name || ' ' || c.last_name, st.worker_type, st.overtime_law, "        \
  "st.worked_minutes, st.regular_minutes, st.overtime_minutes, st.double_time_minutes, st.straight_time_cents, "   \
  "st.differentials_cents, st.bonuses_cents, st.overtime_premium_cents, st.double_time_premium_cents, "             \
  "st.holiday_premium_cents, st.cancellation_cents, st.gross_cents, st.advances_cents, st.net_due_cents, "          \
  "r.period_start, r.period_end, r.status "
constexpr storage::Statement kListStatements{"fin.list_statements",
    "SELECT " OPENMSO_STATEMENT_COLUMNS "FROM pay_statements st JOIN clinicians c ON c.id = st.clinician_id "
    "JOIN pay_runs r ON r.id = st.run_id WHERE st.run_id = ? ORDER BY c.last_name, c.first_name, st.clinician_id"};
constexpr storage::Statement kGetStatement{"fin.get_statement",
    "SELECT " OPENMSO_STATEMENT_COLUMNS "FROM pay_statements st JOIN clinicians c ON c.id = st.clinician_id "
    "JOIN pay_runs r ON r.id = st.run_id WHERE st.id = ?"};
constexpr storage::Statement kStatementsOf{"fin.statements_of",
    "SELECT " OPENMSO_STATEMENT_COLUMNS "FROM pay_statements st JOIN clinicians c ON c.id = st.clinician_id "
    "JOIN pay_runs r ON r.id = st.run_id WHERE st.clinician_id = ? AND r.status = 'finalized' "
    "ORDER BY r.period_start DESC, st.id DESC LIMIT ?"};
#undef OPENMSO_STATEMENT_COLUMNS
constexpr storage::Statement kLines{"fin.lines",
    "SELECT ref, code, rule_id, minutes, rate_cents, amount_cents, week_start, explanation FROM pay_lines "
    "WHERE run_id = ? AND clinician_id = ? ORDER BY seq"};

// ---- Settings ----------------------------------------------------------------------------------

std::string_view KindName(Differential::Kind k) {
  switch (k) {
    case Differential::Kind::kDailyWindow: return "daily_window";
    case Differential::Kind::kWeekend: return "weekend";
    case Differential::Kind::kHoliday: return "holiday";
  }
  return "daily_window";
}
std::string_view AmountName(Differential::Amount a) {
  return a == Differential::Amount::kFlatPerHour ? "flat_per_hour" : "percent_bp";
}
std::string_view MatchName(Differential::Match m) {
  switch (m) {
    case Differential::Match::kHoursInWindow: return "hours_in_window";
    case Differential::Match::kWholeShiftIfMajority: return "whole_shift_if_majority";
    case Differential::Match::kShiftStart: return "shift_start";
  }
  return "hours_in_window";
}

int DaysOf(const PaySettings& s) { return s.frequency == "weekly" ? 7 : 14; }

Instant StartInstant(const PaySettings& s, Date d) {
  auto t = ToInstant(LocalDateTime{d, s.workweek_start_minute}, s.time_zone);
  if (t.ok()) return *t;
  // A start in a spring-forward gap: the first instant after it.
  auto later = ToInstant(LocalDateTime{d, s.workweek_start_minute + 60 < 1440 ? s.workweek_start_minute + 60 : 1439},
                         s.time_zone);
  return later.ok() ? *later : Instant();
}

Period MakePeriod(const PaySettings& s, Date start) {
  Date end = Date::FromDaysSinceEpoch(start.DaysSinceEpoch() + DaysOf(s));
  return {start, end, StartInstant(s, start), StartInstant(s, end)};
}

std::optional<Date> OptDate(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return Date::Parse(*text);
}

PayRunSummary RunFromRow(const storage::Row& r, const PaySettings& settings) {
  PayRunSummary out;
  out.id = PayRunId(r.Int(0));
  out.mso_id = MsoId(r.Int(1));
  out.kind = r.Text(2);
  Date start = Date::Parse(r.Text(3)).value_or(Date{});
  out.period = MakePeriod(settings, start);
  out.period.end = Date::Parse(r.Text(4)).value_or(out.period.end);
  out.status = r.Text(5);
  out.statements = r.Int(6);
  out.timesheets = r.Int(7);
  out.exceptions_json = r.Text(8);
  out.gross = Money::Cents(r.Int(9));
  out.net_due = Money::Cents(r.Int(10));
  if (auto v = r.OptInt(11)) out.created_by = UserId(*v);
  out.created_at = FromUnixMillis(r.Int(12));
  if (auto v = r.OptInt(13)) out.finalized_by = UserId(*v);
  if (auto v = r.OptInt(14)) out.finalized_at = FromUnixMillis(*v);
  return out;
}

StatementRow StatementFromRow(const storage::Row& r) {
  StatementRow s;
  s.id = PayStatementId(r.Int(0));
  s.run_id = PayRunId(r.Int(1));
  s.clinician_id = ClinicianId(r.Int(2));
  s.clinician_name = r.Text(3);
  s.worker_type = r.Text(4);
  s.overtime_law = r.Text(5);
  s.worked_minutes = r.Int(6);
  s.regular_minutes = r.Int(7);
  s.overtime_minutes = r.Int(8);
  s.double_time_minutes = r.Int(9);
  s.straight_time = Money::Cents(r.Int(10));
  s.differentials = Money::Cents(r.Int(11));
  s.bonuses = Money::Cents(r.Int(12));
  s.overtime_premium = Money::Cents(r.Int(13));
  s.double_time_premium = Money::Cents(r.Int(14));
  s.holiday_premium = Money::Cents(r.Int(15));
  s.cancellation = Money::Cents(r.Int(16));
  s.gross = Money::Cents(r.Int(17));
  s.advances = Money::Cents(r.Int(18));
  s.net_due = Money::Cents(r.Int(19));
  s.period_start = Date::Parse(r.Text(20)).value_or(Date{});
  s.period_end = Date::Parse(r.Text(21)).value_or(Date{});
  s.run_status = r.Text(22);
  return s;
}

// The timesheet's stored breaks as the engine's unpaid meals (finished ones only).
std::vector<payroll::Meal> MealsOf(const std::string& breaks) {
  std::vector<payroll::Meal> out;
  for (const auto& b : timekeeping::ParseBreaks(breaks))
    if (b.end) out.push_back({b.start, *b.end, false});
  return out;
}

std::string ExceptionsJson(const std::vector<std::pair<ClinicianId, Error>>& ex) {
  json::array out;
  for (const auto& [c, e] : ex) {
    json::array errs;
    for (const auto& f : e.fields) errs.push_back(json::object{{"field", f.field}, {"code", f.code}, {"message", f.message}});
    if (errs.empty()) errs.push_back(json::object{{"field", ""}, {"code", e.type}, {"message", e.message}});
    out.push_back(json::object{{"clinician_id", c.value}, {"errors", errs}});
  }
  return json::serialize(out);
}

}  // namespace

// ---- Settings ----------------------------------------------------------------------------------

std::string DifferentialsToJson(const std::vector<Differential>& ds) {
  json::array out;
  for (const auto& d : ds) {
    json::object o{{"code", d.code}, {"kind", KindName(d.kind)}, {"amount_type", AmountName(d.amount_type)},
                   {"amount", d.amount}, {"match", MatchName(d.match)}};
    if (d.kind == Differential::Kind::kDailyWindow) {
      o["window_start_minute"] = d.window_start_minute;
      o["window_end_minute"] = d.window_end_minute;
    } else if (d.kind == Differential::Kind::kWeekend) {
      o["weekend_start_weekday"] = d.weekend_start_weekday;
      o["weekend_start_minute"] = d.weekend_start_minute;
      o["weekend_end_weekday"] = d.weekend_end_weekday;
      o["weekend_end_minute"] = d.weekend_end_minute;
    } else {
      o["holiday_offset_minutes"] = d.holiday_offset_minutes;
    }
    out.push_back(o);
  }
  return json::serialize(out);
}

Result<std::vector<Differential>> DifferentialsFromJson(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return Error::Invalid("differentials", "wrong_type", "An array of differentials.");
  FieldErrors errs;
  std::vector<Differential> out;
  const auto& arr = v.as_array();
  if (arr.size() > payroll::kMaxDifferentials) errs.Add("differentials", "too_many", "At most 32 differentials.");
  for (size_t i = 0; i < arr.size() && i < payroll::kMaxDifferentials; ++i) {
    std::string at = "differentials." + std::to_string(i) + ".";
    if (!arr[i].is_object()) { errs.Add(at.substr(0, at.size() - 1), "wrong_type", "An object."); continue; }
    const auto& o = arr[i].as_object();
    Differential d;
    auto str = [&](std::string_view k) -> std::string {
      auto* p = o.if_contains(k);
      return p && p->is_string() ? std::string(p->as_string()) : std::string();
    };
    auto num = [&](std::string_view k, int64_t fallback) -> int64_t {
      auto* p = o.if_contains(k);
      if (!p) return fallback;
      if (p->is_int64()) return p->as_int64();
      errs.Add(at + std::string(k), "wrong_type", "An integer.");
      return fallback;
    };
    static const std::set<std::string_view> kKeys = {"code", "kind", "amount_type", "amount", "match",
        "window_start_minute", "window_end_minute", "weekend_start_weekday", "weekend_start_minute",
        "weekend_end_weekday", "weekend_end_minute", "holiday_offset_minutes"};
    for (const auto& kv : o)
      if (!kKeys.count(kv.key())) errs.Add(at + std::string(kv.key()), "unknown_field", "Not a field of a differential.");
    d.code = str("code");
    std::string kind = str("kind"), amount_type = str("amount_type"), match = str("match");
    if (kind == "daily_window") d.kind = Differential::Kind::kDailyWindow;
    else if (kind == "weekend") d.kind = Differential::Kind::kWeekend;
    else if (kind == "holiday") d.kind = Differential::Kind::kHoliday;
    else errs.Add(at + "kind", "unknown", "daily_window, weekend or holiday.");
    if (amount_type == "flat_per_hour") d.amount_type = Differential::Amount::kFlatPerHour;
    else if (amount_type == "percent_bp") d.amount_type = Differential::Amount::kPercentBasisPoints;
    else errs.Add(at + "amount_type", "unknown", "flat_per_hour or percent_bp.");
    if (match.empty() || match == "hours_in_window") d.match = Differential::Match::kHoursInWindow;
    else if (match == "whole_shift_if_majority") d.match = Differential::Match::kWholeShiftIfMajority;
    else if (match == "shift_start") d.match = Differential::Match::kShiftStart;
    else errs.Add(at + "match", "unknown", "hours_in_window, whole_shift_if_majority or shift_start.");
    d.amount = num("amount", 0);
    d.window_start_minute = static_cast<int>(num("window_start_minute", 0));
    d.window_end_minute = static_cast<int>(num("window_end_minute", 0));
    d.weekend_start_weekday = static_cast<int>(num("weekend_start_weekday", d.weekend_start_weekday));
    d.weekend_start_minute = static_cast<int>(num("weekend_start_minute", d.weekend_start_minute));
    d.weekend_end_weekday = static_cast<int>(num("weekend_end_weekday", d.weekend_end_weekday));
    d.weekend_end_minute = static_cast<int>(num("weekend_end_minute", d.weekend_end_minute));
    d.holiday_offset_minutes = static_cast<int>(num("holiday_offset_minutes", 0));
    out.push_back(std::move(d));
  }
  if (!errs.empty()) return errs.ToError();
  return out;
}

Result<void> ValidateSettings(const PaySettings& s) {
  FieldErrors errs;
  if (s.frequency != "weekly" && s.frequency != "biweekly")
    errs.Add("frequency", "unknown", "weekly or biweekly.");
  if (!IsValidTimeZone(s.time_zone)) errs.Add("time_zone", "invalid_time_zone", "Unknown IANA time zone.");
  if (s.workweek_start_weekday < 0 || s.workweek_start_weekday > 6)
    errs.Add("workweek_start_weekday", "out_of_range", "0 (Sunday) to 6 (Saturday).");
  if (s.workweek_start_minute < 0 || s.workweek_start_minute > 1439)
    errs.Add("workweek_start_minute", "out_of_range", "A minute of the day, 0..1439.");
  if (s.workday_start_minute < 0 || s.workday_start_minute > 1439)
    errs.Add("workday_start_minute", "out_of_range", "A minute of the day, 0..1439.");
  // 1970-01-01 was a Thursday (weekday 4).
  if ((s.period_anchor.DaysSinceEpoch() % 7 + 7 + 4) % 7 != s.workweek_start_weekday)
    errs.Add("period_anchor", "not_workweek_start", "A pay period starts on the workweek's first day.");
  if (s.instant_pay_fee < Money() || s.instant_pay_fee > Money::Cents(10'000))
    errs.Add("instant_pay_fee_cents", "out_of_range", "The instant-pay fee is $0..$100.");
  if (auto r = formats::ValidateRoutingNumber(s.odfi_routing); !r.ok())
    errs.Add("odfi_routing", r.error().fields.empty() ? "invalid" : r.error().fields[0].code, "A valid ABA routing number.");
  if (s.company_id.empty() || s.company_id.size() > 10) errs.Add("company_id", "invalid", "1-10 characters, usually 1 + EIN.");
  if (s.company_name.empty() || s.company_name.size() > 64) errs.Add("company_name", "required", "1-64 characters.");
  if (s.odfi_name.empty() || s.odfi_name.size() > 64) errs.Add("odfi_name", "required", "1-64 characters.");
  // The differentials are checked by the engine itself on a probe policy.
  payroll::PayPolicy probe;
  probe.zone = IsValidTimeZone(s.time_zone) ? s.time_zone : "UTC";
  probe.differentials = s.differentials;
  if (auto r = payroll::ComputePay(probe, {}, {}, Instant(), Instant() + std::chrono::hours(24 * 7)); !r.ok())
    for (const auto& f : r.error().fields)
      if (f.field.rfind("differentials", 0) == 0) errs.Add(f.field, f.code, f.message);
  if (!errs.empty()) return errs.ToError();
  return Ok();
}

Result<PaySettings> GetPaySettings(storage::Session& s, MsoId mso) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kGetSettings, {mso.value}));
  PaySettings p;
  if (!row) return p;
  p.frequency = row->Text(0);
  p.period_anchor = Date::Parse(row->Text(1)).value_or(p.period_anchor);
  p.time_zone = row->Text(2);
  p.workweek_start_weekday = static_cast<int>(row->Int(3));
  p.workweek_start_minute = static_cast<int>(row->Int(4));
  p.workday_start_minute = static_cast<int>(row->Int(5));
  p.rounding = payroll::ParseRounding(row->Text(6)).value_or(payroll::Rounding::kNone);
  p.auto_meal_deduction = row->Bool(7);
  OPENMSO_ASSIGN_OR_RETURN(p.differentials, DifferentialsFromJson(row->Text(8)));
  p.instant_pay_fee = Money::Cents(row->Int(9));
  p.odfi_routing = row->Text(10);
  p.odfi_name = row->Text(11);
  p.company_name = row->Text(12);
  p.company_id = row->Text(13);
  return p;
}

Result<void> PutPaySettings(storage::Session& s, MsoId mso, const PaySettings& p, Instant now) {
  OPENMSO_TRY(s.Exec(kPutSettings, {mso.value, p.frequency, p.period_anchor.ToString(), p.time_zone,
                                    int64_t{p.workweek_start_weekday}, int64_t{p.workweek_start_minute},
                                    int64_t{p.workday_start_minute}, std::string(payroll::RoundingName(p.rounding)),
                                    int64_t{p.auto_meal_deduction}, DifferentialsToJson(p.differentials),
                                    p.instant_pay_fee.cents(), p.odfi_routing, p.odfi_name, p.company_name,
                                    p.company_id, ToUnixMillis(now)}));
  return Ok();
}

Period PeriodContaining(const PaySettings& s, Date on) {
  int64_t len = DaysOf(s);
  int64_t offset = on.DaysSinceEpoch() - s.period_anchor.DaysSinceEpoch();
  int64_t k = offset >= 0 ? offset / len : -((-offset + len - 1) / len);
  return MakePeriod(s, Date::FromDaysSinceEpoch(s.period_anchor.DaysSinceEpoch() + k * len));
}

Result<Period> PeriodStarting(const PaySettings& s, Date start) {
  Period p = PeriodContaining(s, start);
  if (p.start != start)
    return Error::Invalid("period_start", "not_period_start",
                          "Pay periods start on " + p.start.ToString() + " and every " +
                              std::to_string(DaysOf(s)) + " days from it.");
  return p;
}

// ---- Clinician pay ------------------------------------------------------------------------------

Result<void> ValidateClinicianPay(const ClinicianPay& p) {
  FieldErrors errs;
  if (!p.bank_routing.empty()) {
    if (auto r = formats::ValidateRoutingNumber(p.bank_routing); !r.ok())
      errs.Add("bank_routing", r.error().fields.empty() ? "invalid" : r.error().fields[0].code,
               "A valid 9-digit ABA routing number (3-7-1 check digit).");
  }
  if (!p.bank_account.empty() || !p.bank_routing.empty()) {
    if (auto r = formats::ValidateAccountNumber(p.bank_account); !r.ok() || p.bank_account.size() < 4)
      errs.Add("bank_account", "invalid", "4-17 characters: digits, letters or hyphens.");
  }
  if (p.bank_account_type != "checking" && p.bank_account_type != "savings")
    errs.Add("bank_account_type", "unknown", "checking or savings.");
  if (p.overtime_law == payroll::OvertimeLaw::kFlsa880 && !p.agreement_880_date)
    errs.Add("agreement_880_date", "required", "8/80 needs the date the clinician agreed to it, before the work.");
  if (!errs.empty()) return errs.ToError();
  return Ok();
}

Result<ClinicianPay> GetClinicianPay(storage::Session& s, ClinicianId c) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kGetClinicianPay, {c.value}));
  ClinicianPay p;
  if (!row) return p;
  if (auto law = row->OptText(0)) p.overtime_law = payroll::ParseOvertimeLaw(*law);
  p.agreement_880_date = OptDate(row->OptText(1));
  p.bank_routing = row->Text(2);
  p.bank_account = row->Text(3);
  p.bank_account_type = row->Text(4);
  return p;
}

Result<void> PutClinicianPay(storage::Session& s, ClinicianId c, const ClinicianPay& p, Instant now) {
  OPENMSO_TRY(s.Exec(kPutClinicianPay,
                     {c.value, p.overtime_law ? storage::Value(std::string(payroll::OvertimeLawName(*p.overtime_law))) : storage::Null(),
                      p.agreement_880_date ? storage::Value(p.agreement_880_date->ToString()) : storage::Null(),
                      p.bank_routing, p.bank_account, p.bank_account_type, ToUnixMillis(now)}));
  return Ok();
}

// ---- Pay runs ------------------------------------------------------------------------------------

namespace {

struct Input {
  ClinicianId clinician;
  std::string name, worker_type;
  std::vector<payroll::WorkedShift> shifts;
  std::vector<payroll::Extra> extras;
};

struct Computed {
  ClinicianId clinician;
  std::string worker_type, law;
  payroll::Statement statement;
};

payroll::PayPolicy PolicyFor(const PaySettings& s, const Input& in, const Period& period,
                             const std::map<int64_t, ClinicianPay>& terms) {
  payroll::PayPolicy p;
  p.zone = s.time_zone;
  p.workweek_start_weekday = s.workweek_start_weekday;
  p.workweek_start_minute = s.workweek_start_minute;
  p.workday_start_minute = s.workday_start_minute;
  p.period_anchor = s.period_anchor;
  p.differentials = s.differentials;
  p.rounding = s.rounding;
  p.auto_meal_deduction = s.auto_meal_deduction;
  std::string state = in.shifts.empty() ? "" : in.shifts.front().work_state;
  p.law = payroll::LawForState(state, period.start);
  auto t = terms.find(in.clinician.value);
  if (t != terms.end() && t->second.overtime_law) {
    p.law = *t->second.overtime_law;
    p.agreement_880_date = t->second.agreement_880_date;
  }
  return p;
}

}  // namespace

Result<PayRunSummary> CreatePayRun(storage::Database& db, MsoId mso, Date period_start, std::string_view kind,
                                   std::optional<UserId> by, Instant now, const Progress& progress,
                                   const AuditFn& audit) {
  if (kind != "regular" && kind != "adjustment")
    return Error::Invalid("kind", "unknown", "A pay run is regular or adjustment.");
  auto report = [&](std::string_view phase, int64_t done, int64_t total) { if (progress) progress(phase, done, total); };
  struct Loaded {
    PaySettings settings;
    Period period;
    std::vector<Input> inputs;
    std::map<int64_t, ClinicianPay> terms;
    int64_t timesheets = 0;
  };
  report("load", 0, 1);
  OPENMSO_ASSIGN_OR_RETURN(auto loaded, storage::ReadValue<Loaded>(db, [&](storage::Session& s) -> Result<Loaded> {
    Loaded l;
    OPENMSO_ASSIGN_OR_RETURN(l.settings, GetPaySettings(s, mso));
    OPENMSO_ASSIGN_OR_RETURN(l.period, PeriodStarting(l.settings, period_start));
    // Bounded by the index on scheduled_start: a punch lies within 12 h of its shift
    // (TIME-CORRECTION) and a shift lasts at most a day.
    const int64_t slack = 36LL * 3600 * 1000;
    OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kPayable, {mso.value, ToUnixMillis(l.period.start_at) - slack,
                                                           ToUnixMillis(l.period.end_at) + slack,
                                                           ToUnixMillis(l.period.end_at),
                                                           ToUnixMillis(l.period.start_at), l.period.start.ToString()}));
    l.timesheets = static_cast<int64_t>(rows.size());
    std::unordered_map<int64_t, size_t> index;
    for (const auto& r : rows) {
      int64_t c = r.Int(1);
      auto [it, fresh] = index.emplace(c, l.inputs.size());
      if (fresh) l.inputs.push_back({ClinicianId(c), r.Text(11), r.Text(10), {}, {}});
      payroll::WorkedShift w;
      w.ref = r.Int(0);
      w.facility_id = r.Int(2);
      w.start = FromUnixMillis(r.Int(3));
      w.end = FromUnixMillis(r.Int(4));
      w.meals = MealsOf(r.Text(5));
      w.base_rate = Money::Cents(r.Int(6));
      w.incentive = Money::Cents(r.Int(7));
      w.work_state = r.Text(8);
      w.zone = r.Text(9);
      // An incentive is paid once, in the period where the shift starts.
      if (w.start < l.period.start_at) w.incentive = Money();
      l.inputs[it->second].shifts.push_back(std::move(w));
    }
    OPENMSO_ASSIGN_OR_RETURN(auto adv, s.Query(kOpenAdvances, {mso.value, ToUnixMillis(now)}));
    for (const auto& r : adv) {
      auto it = index.find(r.Int(1));
      if (it == index.end()) continue;  // settled by the run that pays the clinician next
      payroll::Extra e;
      e.ref = r.Int(0);
      e.kind = payroll::ExtraKind::kInstantPayAdvance;
      e.amount = Money::Cents(r.Int(2));
      e.at = std::clamp(FromUnixMillis(r.Int(3)), l.period.start_at, l.period.end_at - std::chrono::milliseconds(1));
      l.inputs[it->second].extras.push_back(e);
    }
    OPENMSO_ASSIGN_OR_RETURN(auto cancels, s.Query(kOpenCancellations, {mso.value, ToUnixMillis(now)}));
    for (const auto& r : cancels) {
      auto [it, fresh] = index.emplace(r.Int(1), l.inputs.size());
      if (fresh) l.inputs.push_back({ClinicianId(r.Int(1)), r.Text(5), r.Text(4), {}, {}});
      payroll::Extra e;
      e.ref = kCancelRefBase + r.Int(0);
      e.kind = payroll::ExtraKind::kCancellationPay;
      e.amount = Money::Cents(r.Int(2));
      e.at = std::clamp(FromUnixMillis(r.Int(3)), l.period.start_at, l.period.end_at - std::chrono::milliseconds(1));
      l.inputs[it->second].extras.push_back(e);
    }
    OPENMSO_ASSIGN_OR_RETURN(auto terms, s.Query(kAllClinicianPay, {mso.value}));
    for (const auto& r : terms) {
      ClinicianPay p;
      if (auto law = r.OptText(1)) p.overtime_law = payroll::ParseOvertimeLaw(*law);
      p.agreement_880_date = OptDate(r.OptText(2));
      l.terms.emplace(r.Int(0), p);
    }
    return l;
  }));
  if (loaded.inputs.empty())
    return Error::Conflict("nothing-to-pay", "No approved, unpaid timesheet has minutes in this pay period.");
  report("load", 1, 1);

  // Compute every statement (the engine is pure and fast; no transaction is held).
  std::vector<Computed> computed;
  std::vector<std::pair<ClinicianId, Error>> exceptions;
  computed.reserve(loaded.inputs.size());
  const int64_t total = static_cast<int64_t>(loaded.inputs.size());
  for (int64_t i = 0; i < total; ++i) {
    const Input& in = loaded.inputs[i];
    payroll::PayPolicy policy = PolicyFor(loaded.settings, in, loaded.period, loaded.terms);
    auto st = payroll::ComputePay(policy, in.shifts, in.extras, loaded.period.start_at, loaded.period.end_at);
    if (st.ok()) {
      // The laws that classified the minutes: "flsa_weekly+california" for work in two
      // states under different laws (PAY-LAW-MIXED).
      std::string laws;
      for (payroll::OvertimeLaw l : st.value().laws) {
        if (!laws.empty()) laws += '+';
        laws += payroll::OvertimeLawName(l);
      }
      computed.push_back({in.clinician, in.worker_type, std::move(laws), std::move(st).value()});
    } else {
      exceptions.emplace_back(in.clinician, st.error());
    }
    if ((i + 1) % 2000 == 0 || i + 1 == total) report("compute", i + 1, total);
  }
  Money gross, net;
  int64_t paid_timesheets = 0;
  for (const auto& c : computed) {
    gross += c.statement.gross;
    net += c.statement.net_due;
    paid_timesheets += static_cast<int64_t>(c.statement.refs.size());
  }

  // Write the whole draft in one transaction (PAY-RUN-ATOMIC).
  report("write", 0, 1);
  OPENMSO_ASSIGN_OR_RETURN(auto id, storage::WriteValue<PayRunId>(db, [&](storage::Session& s) -> Result<PayRunId> {
    OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kInsertRun, {mso.value, std::string(kind), loaded.period.start.ToString(),
                                                             loaded.period.end.ToString(),
                                                             static_cast<int64_t>(computed.size()), paid_timesheets,
                                                             ExceptionsJson(exceptions), gross.cents(), net.cents(),
                                                             by ? storage::Value(by->value) : storage::Null(),
                                                             ToUnixMillis(now)}));
    int64_t run = rows.at(0).Int(0);
    std::vector<std::vector<storage::Value>> statements, lines, links;
    statements.reserve(computed.size());
    links.reserve(static_cast<size_t>(paid_timesheets));
    for (const auto& c : computed) {
      const payroll::Statement& st = c.statement;
      statements.push_back({run, c.clinician.value, c.worker_type, c.law, st.worked_minutes, st.regular_minutes,
                            st.overtime_minutes, st.double_time_minutes, st.straight_time.cents(),
                            st.differentials.cents(), st.bonuses.cents(), st.overtime_premium.cents(),
                            st.double_time_premium.cents(), st.holiday_premium.cents(),
                            st.cancellation_pay.cents(), st.gross.cents(), st.advances.cents(), st.net_due.cents()});
      int64_t seq = 0;
      for (const auto& l : st.lines)
        lines.push_back({run, c.clinician.value, ++seq, l.ref, l.code, l.rule_id, l.minutes, l.rate.cents(),
                         l.amount.cents(), ToUnixMillis(l.week_start), l.explanation});
      for (int64_t ref : st.refs) links.push_back({run, ref});
    }
    OPENMSO_TRY(s.BulkInsert("pay_statements",
                             {"run_id", "clinician_id", "worker_type", "overtime_law", "worked_minutes", "regular_minutes",
                              "overtime_minutes", "double_time_minutes", "straight_time_cents", "differentials_cents",
                              "bonuses_cents", "overtime_premium_cents", "double_time_premium_cents",
                              "holiday_premium_cents", "cancellation_cents", "gross_cents", "advances_cents",
                              "net_due_cents"},
                             statements));
    OPENMSO_TRY(s.BulkInsert("pay_lines",
                             {"run_id", "clinician_id", "seq", "ref", "code", "rule_id", "minutes", "rate_cents",
                              "amount_cents", "week_start", "explanation"},
                             lines));
    OPENMSO_TRY(s.BulkInsert("pay_run_timesheets", {"run_id", "timesheet_id"}, links));
    if (audit) OPENMSO_TRY(audit(s, std::to_string(run)));
    return PayRunId(run);
  }));
  report("write", 1, 1);
  return storage::ReadValue<PayRunSummary>(db, [&](storage::Session& s) { return GetPayRun(s, id); });
}

Result<PayRunSummary> FinalizePayRun(storage::Database& db, PayRunId id, std::optional<UserId> by, Instant now,
                                     const AuditFn& audit) {
  OPENMSO_TRY(db.Write([&](storage::Session& s) -> Result<void> {
    OPENMSO_ASSIGN_OR_RETURN(auto run, GetPayRun(s, id));
    if (run.status == "finalized") return Error::Conflict("already-finalized", "This pay run is already finalized.");
    if (run.status == "discarded") return Error::Conflict("run-discarded", "This draft was discarded.");
    OPENMSO_ASSIGN_OR_RETURN(int64_t changed, s.Exec(kFinalize, {by ? storage::Value(by->value) : storage::Null(),
                                                                 ToUnixMillis(now), id.value}));
    if (changed != 1) return Error::Conflict("already-finalized", "This pay run is already finalized.");
    // PAY-EXACTLY-ONCE: the primary key refuses minutes another finalized run already paid.
    auto ledger = s.Exec(kLedger, {run.period.start.ToString(), id.value});
    if (!ledger.ok()) {
      if (ledger.error().type == "unique-violation")
        return Error::Conflict("already-paid", "Another finalized run already paid some of these timesheets; "
                                               "discard this draft and compute a new one.");
      return ledger.error();
    }
    OPENMSO_ASSIGN_OR_RETURN(auto count, s.QueryOne(kCountAdvances, {id.value}));
    OPENMSO_ASSIGN_OR_RETURN(int64_t settled, s.Exec(kSettle, {id.value, id.value}));
    if (count && settled != count->Int(0))
      return Error::Conflict("already-paid", "An instant payment in this draft was settled by another run.");
    OPENMSO_ASSIGN_OR_RETURN(auto cancels, s.QueryOne(kCountCancellations, {id.value}));
    OPENMSO_ASSIGN_OR_RETURN(int64_t settled_cancels, s.Exec(kSettleCancellations, {id.value, id.value}));
    if (cancels && settled_cancels != cancels->Int(0))
      return Error::Conflict("already-paid", "Cancellation pay in this draft was settled by another run.");
    if (audit) OPENMSO_TRY(audit(s, std::to_string(id.value)));
    return Ok();
  }));
  return storage::ReadValue<PayRunSummary>(db, [&](storage::Session& s) { return GetPayRun(s, id); });
}

Result<PayRunSummary> DiscardPayRun(storage::Database& db, PayRunId id, Instant now, const AuditFn& audit) {
  (void)now;
  OPENMSO_TRY(db.Write([&](storage::Session& s) -> Result<void> {
    OPENMSO_ASSIGN_OR_RETURN(auto run, GetPayRun(s, id));
    if (run.status != "draft") return Error::Conflict("not-draft", "Only a draft can be discarded; this run is " + run.status + ".");
    OPENMSO_TRY(s.Exec(kDiscard, {id.value}));
    if (audit) OPENMSO_TRY(audit(s, std::to_string(id.value)));
    return Ok();
  }));
  return storage::ReadValue<PayRunSummary>(db, [&](storage::Session& s) { return GetPayRun(s, id); });
}

Result<PayRunSummary> GetPayRun(storage::Session& s, PayRunId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kGetRun, {id.value}));
  if (!row) return Error::NotFound("The pay run");
  OPENMSO_ASSIGN_OR_RETURN(auto settings, GetPaySettings(s, MsoId(row->Int(1))));
  return RunFromRow(*row, settings);
}

Result<std::vector<PayRunSummary>> ListPayRuns(storage::Session& s, MsoId mso, int limit) {
  OPENMSO_ASSIGN_OR_RETURN(auto settings, GetPaySettings(s, mso));
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kListRuns, {mso.value, int64_t{limit}}));
  std::vector<PayRunSummary> out;
  for (const auto& r : rows) out.push_back(RunFromRow(r, settings));
  return out;
}

Result<std::vector<StatementRow>> ListStatements(storage::Session& s, PayRunId run) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kListStatements, {run.value}));
  std::vector<StatementRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(StatementFromRow(r));
  return out;
}

Result<StatementRow> GetStatement(storage::Session& s, PayStatementId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kGetStatement, {id.value}));
  if (!row) return Error::NotFound("The pay statement");
  StatementRow st = StatementFromRow(*row);
  OPENMSO_ASSIGN_OR_RETURN(auto lines, s.Query(kLines, {st.run_id.value, st.clinician_id.value}));
  for (const auto& r : lines) {
    payroll::PayLine l;
    l.ref = r.Int(0);
    l.code = r.Text(1);
    l.rule_id = r.Text(2);
    l.minutes = r.Int(3);
    l.rate = Money::Cents(r.Int(4));
    l.amount = Money::Cents(r.Int(5));
    l.week_start = FromUnixMillis(r.Int(6));
    l.explanation = r.Text(7);
    st.lines.push_back(std::move(l));
  }
  return st;
}

Result<std::vector<StatementRow>> StatementsOf(storage::Session& s, ClinicianId c, int limit) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kStatementsOf, {c.value, int64_t{limit}}));
  std::vector<StatementRow> out;
  for (const auto& r : rows) out.push_back(StatementFromRow(r));
  return out;
}

}  // namespace openmso::finance
