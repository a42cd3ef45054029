// Facility invoicing over the database: service agreements, invoice runs from approved
// timesheets, finalization with gap-free numbers and the billed-timesheet ledger, credit
// memos, payments, A/R aging and the invoice PDF. The rules are in domain/billing.
#include <algorithm>
#include <map>
#include <unordered_map>

#include <boost/json.hpp>

#include "finance/finance.h"
#include "formats/formats.h"
#include "storage/storage.h"

namespace openmso::finance {
namespace json = boost::json;
using namespace billing;

namespace {

#define OPENMSO_AGREEMENT_COLUMNS                                                                               \
  "id, facility_id, effective_from, effective_to, rate_card, overtime_multiplier_bp, holiday_multiplier_bp, "   \
  "overtime_kind, daily_threshold_hours, holidays, fee_percent_bp, fee_flat_monthly_cents, fee_per_shift_cents, " \
  "payment_terms_days"
constexpr storage::Statement kAgreements{"bill.agreements",
    "SELECT " OPENMSO_AGREEMENT_COLUMNS " FROM service_agreements WHERE facility_id = ? ORDER BY effective_from, id"};
#undef OPENMSO_AGREEMENT_COLUMNS
constexpr storage::Statement kInsertAgreement{"bill.insert_agreement",
    "INSERT INTO service_agreements (mso_id, facility_id, effective_from, effective_to, rate_card, "
    "overtime_multiplier_bp, holiday_multiplier_bp, overtime_kind, daily_threshold_hours, holidays, fee_percent_bp, "
    "fee_flat_monthly_cents, fee_per_shift_cents, payment_terms_days, created_by, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr storage::Statement kCloseAgreement{"bill.close_agreement",
    "UPDATE service_agreements SET effective_to = ? WHERE id = ?"};
constexpr storage::Statement kClearRateCard{"bill.clear_rate_card", "DELETE FROM rate_cards WHERE facility_id = ?"};
constexpr storage::Statement kPutRateCard{"bill.put_rate_card",
    "INSERT INTO rate_cards (facility_id, discipline, bill_rate_cents, updated_at) VALUES (?, ?, ?, ?)"};
constexpr storage::Statement kFacilities{"bill.facilities",
    "SELECT id, name, time_zone FROM facilities WHERE mso_id = ? ORDER BY id"};
// Approved timesheets of a facility whose shift starts in [from, to) and that no
// finalized invoice billed yet.
constexpr storage::Statement kBillable{"bill.billable",
    "SELECT t.id, t.shift_id, t.clinician_id, s.discipline, t.clock_in, t.clock_out, t.breaks, s.bill_rate_cents "
    "FROM timesheets t JOIN shifts s ON s.id = t.shift_id WHERE t.facility_id = ? AND t.status = 'approved' "
    "AND t.scheduled_start >= ? AND t.scheduled_start < ? "
    "AND NOT EXISTS (SELECT 1 FROM billed_timesheets b WHERE b.timesheet_id = t.id) ORDER BY t.id"};
constexpr storage::Statement kState{"bill.state", "SELECT prior_state, through_date FROM billing_state WHERE facility_id = ?"};
constexpr storage::Statement kPutState{"bill.put_state",
    "INSERT INTO billing_state (facility_id, prior_state, through_date, updated_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (facility_id) DO UPDATE SET prior_state = excluded.prior_state, through_date = excluded.through_date, "
    "updated_at = excluded.updated_at"};
constexpr storage::Statement kInsertInvoice{"bill.insert_invoice",
    "INSERT INTO invoices (mso_id, facility_id, status, period_from, period_to, issue_date, due_date, "
    "payment_terms_days, labor_minutes, labor_subtotal_cents, fee_total_cents, total_cents, carry_forward, created_by, "
    "created_at) VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
#define OPENMSO_INVOICE_COLUMNS                                                                                   \
  "i.id, i.mso_id, i.facility_id, f.name, i.number, i.status, i.period_from, i.period_to, i.issue_date, "         \
  "i.due_date, i.payment_terms_days, i.labor_minutes, i.labor_subtotal_cents, i.fee_total_cents, i.total_cents, " \
  "i.created_at, i.finalized_at, i.carry_forward, "                                                               \
  "(SELECT COALESCE(SUM(total_cents), 0) FROM credit_memos m WHERE m.invoice_id = i.id), "                        \
  "(SELECT COALESCE(SUM(amount_cents), 0) FROM invoice_payments p WHERE p.invoice_id = i.id), "                   \
  "(SELECT COUNT(DISTINCT timesheet_id) FROM invoice_lines l WHERE l.invoice_id = i.id AND l.timesheet_id > 0)"
constexpr storage::Statement kGetInvoice{"bill.get_invoice",
    "SELECT " OPENMSO_INVOICE_COLUMNS " FROM invoices i JOIN facilities f ON f.id = i.facility_id WHERE i.id = ?"};
constexpr storage::Statement kListInvoices{"bill.list_invoices",
    "SELECT " OPENMSO_INVOICE_COLUMNS " FROM invoices i JOIN facilities f ON f.id = i.facility_id "
    "WHERE i.mso_id = ? AND i.status <> 'discarded' AND (? = 0 OR i.facility_id = ?) ORDER BY i.id DESC LIMIT ?"};
constexpr storage::Statement kFinalizedOf{"bill.finalized_of",
    "SELECT " OPENMSO_INVOICE_COLUMNS " FROM invoices i JOIN facilities f ON f.id = i.facility_id "
    "WHERE i.mso_id = ? AND i.status = 'finalized'"};
#undef OPENMSO_INVOICE_COLUMNS
constexpr storage::Statement kLines{"bill.lines",
    "SELECT line_no, kind, rule_id, agreement_id, timesheet_id, shift_id, clinician_id, discipline, shift_start, "
    "minutes, quantity, multiplier_bp, base_rate_cents, rate_cents, basis_cents, month, amount_cents "
    "FROM invoice_lines WHERE invoice_id = ? ORDER BY line_no"};
constexpr storage::Statement kFinalizeInvoice{"bill.finalize",
    "UPDATE invoices SET status = 'finalized', number = ?, issue_date = ?, due_date = ?, finalized_at = ? "
    "WHERE id = ? AND status = 'draft'"};
constexpr storage::Statement kDiscardInvoice{"bill.discard",
    "UPDATE invoices SET status = 'discarded' WHERE id = ? AND status = 'draft'"};
constexpr storage::Statement kLedger{"bill.ledger",
    "INSERT INTO billed_timesheets (timesheet_id, invoice_id) SELECT DISTINCT timesheet_id, invoice_id "
    "FROM invoice_lines WHERE invoice_id = ? AND timesheet_id > 0"};
constexpr storage::Statement kCounter{"bill.counter",
    "SELECT last_sequence FROM document_counters WHERE mso_id = ? AND series = ? AND year = ?"};
constexpr storage::Statement kLockCounter{"bill.lock_counter",
    "SELECT last_sequence FROM document_counters WHERE mso_id = ? AND series = ? AND year = ? FOR UPDATE"};
constexpr storage::Statement kPutCounter{"bill.put_counter",
    "INSERT INTO document_counters (mso_id, series, year, last_sequence) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (mso_id, series, year) DO UPDATE SET last_sequence = excluded.last_sequence"};
constexpr storage::Statement kFacilityZone{"bill.facility_zone", "SELECT time_zone FROM facilities WHERE id = ?"};
constexpr storage::Statement kCarryForward{"bill.carry_forward", "SELECT carry_forward FROM invoices WHERE id = ?"};
constexpr storage::Statement kMemos{"bill.memos",
    "SELECT number, issue_date, reason, total_cents, lines FROM credit_memos WHERE invoice_id = ? ORDER BY id"};
constexpr storage::Statement kInsertMemo{"bill.insert_memo",
    "INSERT INTO credit_memos (invoice_id, number, issue_date, reason, total_cents, lines, created_by, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr storage::Statement kPayments{"bill.payments",
    "SELECT received_on, amount_cents, reference FROM invoice_payments WHERE invoice_id = ? ORDER BY id"};
constexpr storage::Statement kInsertPayment{"bill.insert_payment",
    "INSERT INTO invoice_payments (invoice_id, received_on, amount_cents, unapplied_cents, reference, created_by, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"};

Date ParseDateOr(const std::string& text) { return Date::Parse(text).value_or(Date{}); }

// ---- JSON of the stored parts --------------------------------------------------------------------

std::string DatesToJson(const std::vector<Date>& dates) {
  json::array a;
  for (const auto& d : dates) a.push_back(json::value(d.ToString()));
  return json::serialize(a);
}

std::vector<Date> DatesFromJson(std::string_view text) {
  std::vector<Date> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& x : v.as_array())
    if (x.is_string())
      if (auto d = Date::Parse(std::string_view(x.as_string()))) out.push_back(*d);
  return out;
}

std::string PriorToJson(const PriorState& p) {
  auto minutes = [](const std::vector<PriorMinutes>& v) {
    json::array a;
    for (const auto& m : v) a.push_back(json::object{{"c", m.clinician_id.value}, {"d", m.date.ToString()}, {"m", m.minutes}});
    return a;
  };
  json::array months;
  for (const auto& m : p.flat_fee_months) months.push_back(json::value(m.ToString()));
  return json::serialize(json::object{{"day", minutes(p.day_minutes)}, {"week", minutes(p.week_minutes)}, {"months", months}});
}

PriorState PriorFromJson(std::string_view text) {
  PriorState p;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return p;
  auto minutes = [](const json::value* a, std::vector<PriorMinutes>& out) {
    if (!a || !a->is_array()) return;
    for (const auto& x : a->as_array()) {
      const auto& o = x.as_object();
      out.push_back({ClinicianId(o.at("c").as_int64()), ParseDateOr(std::string(o.at("d").as_string())), o.at("m").as_int64()});
    }
  };
  minutes(v.as_object().if_contains("day"), p.day_minutes);
  minutes(v.as_object().if_contains("week"), p.week_minutes);
  if (auto* m = v.as_object().if_contains("months"); m && m->is_array())
    for (const auto& x : m->as_array()) {
      std::string t(x.as_string());
      if (t.size() == 7) p.flat_fee_months.push_back({std::stoi(t.substr(0, 4)), static_cast<unsigned>(std::stoi(t.substr(5, 2)))});
    }
  return p;
}

std::string LinesToJson(const std::vector<InvoiceLine>& lines) {
  json::array a;
  for (const auto& l : lines)
    a.push_back(json::object{{"line_no", l.line_no}, {"kind", LineKindName(l.kind)}, {"rule_id", l.rule_id},
                             {"timesheet_id", l.timesheet_id.value}, {"minutes", l.minutes}, {"quantity", l.quantity},
                             {"rate_cents", l.rate.cents()}, {"amount_cents", l.amount.cents()},
                             {"credited_line_no", l.credited_line_no}});
  return json::serialize(a);
}

std::vector<InvoiceLine> LinesFromJson(std::string_view text) {
  std::vector<InvoiceLine> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& x : v.as_array()) {
    const auto& o = x.as_object();
    InvoiceLine l;
    l.line_no = static_cast<int>(o.at("line_no").as_int64());
    l.kind = ParseLineKind(std::string_view(o.at("kind").as_string())).value_or(LineKind::kRegular);
    l.rule_id = ParseLineRuleId(std::string_view(o.at("rule_id").as_string())).value_or(kRuleRateCard);
    l.timesheet_id = TimesheetId(o.at("timesheet_id").as_int64());
    l.minutes = o.at("minutes").as_int64();
    l.quantity = o.at("quantity").as_int64();
    l.rate = Money::Cents(o.at("rate_cents").as_int64());
    l.amount = Money::Cents(o.at("amount_cents").as_int64());
    l.credited_line_no = static_cast<int>(o.at("credited_line_no").as_int64());
    out.push_back(std::move(l));
  }
  return out;
}

ServiceAgreement AgreementFromRow(const storage::Row& r) {
  ServiceAgreement a;
  a.id = ServiceAgreementId(r.Int(0));
  a.facility_id = FacilityId(r.Int(1));
  a.effective_from = ParseDateOr(r.Text(2));
  if (auto to = r.OptText(3)) a.effective_to = Date::Parse(*to);
  if (auto card = RateCardFromJson(r.Text(4)); card.ok()) a.rate_card = std::move(card).value();
  a.overtime_multiplier_bp = static_cast<int>(r.Int(5));
  a.holiday_multiplier_bp = static_cast<int>(r.Int(6));
  a.overtime.kind = ParseOvertimeKind(r.Text(7)).value_or(OvertimeKind::kNone);
  a.overtime.daily_threshold_hours = static_cast<int>(r.Int(8));
  a.holidays = DatesFromJson(r.Text(9));
  a.fee.percent_bp = static_cast<int>(r.Int(10));
  a.fee.flat_monthly = Money::Cents(r.Int(11));
  a.fee.per_shift = Money::Cents(r.Int(12));
  a.payment_terms_days = static_cast<int>(r.Int(13));
  return a;
}

InvoiceRow InvoiceFromRow(const storage::Row& r) {
  InvoiceRow out;
  out.id = InvoiceId(r.Int(0));
  out.mso_id = MsoId(r.Int(1));
  Invoice& i = out.invoice;
  i.facility_id = FacilityId(r.Int(2));
  out.facility_name = r.Text(3);
  i.number = r.OptText(4).value_or("");
  out.stored_status = r.Text(5);
  i.status = out.stored_status == "finalized" ? InvoiceStatus::kFinalized : InvoiceStatus::kDraft;
  i.period_from = ParseDateOr(r.Text(6));
  i.period_to = ParseDateOr(r.Text(7));
  i.issue_date = ParseDateOr(r.Text(8));
  i.due_date = ParseDateOr(r.Text(9));
  i.payment_terms_days = static_cast<int>(r.Int(10));
  i.labor_minutes = r.Int(11);
  i.labor_subtotal = Money::Cents(r.Int(12));
  i.fee_total = Money::Cents(r.Int(13));
  i.total = Money::Cents(r.Int(14));
  out.created_at = FromUnixMillis(r.Int(15));
  if (auto f = r.OptInt(16)) out.finalized_at = FromUnixMillis(*f);
  out.credits = Money::Cents(r.Int(18));
  out.payments = Money::Cents(r.Int(19));
  out.timesheets = r.Int(20);
  out.balance = out.stored_status == "finalized" ? i.total + out.credits - out.payments : Money();
  if (out.stored_status == "discarded") out.status = "discarded";
  else if (out.stored_status == "draft") out.status = "draft";
  else if (out.balance <= Money()) out.status = "paid";
  else if (out.payments > Money()) out.status = "partially_paid";
  else out.status = "finalized";
  return out;
}

Result<std::vector<InvoiceLine>> LoadLines(storage::Session& s, InvoiceId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kLines, {id.value}));
  std::vector<InvoiceLine> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    InvoiceLine l;
    l.line_no = static_cast<int>(r.Int(0));
    l.kind = ParseLineKind(r.Text(1)).value_or(LineKind::kRegular);
    l.rule_id = ParseLineRuleId(r.Text(2)).value_or(kRuleRateCard);
    l.agreement_id = ServiceAgreementId(r.Int(3));
    l.timesheet_id = TimesheetId(r.Int(4));
    l.shift_id = ShiftId(r.Int(5));
    l.clinician_id = ClinicianId(r.Int(6));
    l.discipline = r.Text(7);
    l.shift_start = FromUnixMillis(r.Int(8));
    l.minutes = r.Int(9);
    l.quantity = r.Int(10);
    l.multiplier_bp = static_cast<int>(r.Int(11));
    l.base_rate = Money::Cents(r.Int(12));
    l.rate = Money::Cents(r.Int(13));
    l.basis = Money::Cents(r.Int(14));
    if (auto m = r.OptText(15); m && m->size() == 7)
      l.month = YearMonth{std::stoi(m->substr(0, 4)), static_cast<unsigned>(std::stoi(m->substr(5, 2)))};
    l.amount = Money::Cents(r.Int(16));
    out.push_back(std::move(l));
  }
  return out;
}

Result<InvoiceAccount> LoadAccount(storage::Session& s, InvoiceRow& row) {
  InvoiceAccount a;
  OPENMSO_ASSIGN_OR_RETURN(row.invoice.lines, LoadLines(s, row.id));
  a.invoice = row.invoice;
  OPENMSO_ASSIGN_OR_RETURN(auto memos, s.Query(kMemos, {row.id.value}));
  for (const auto& m : memos) {
    CreditMemo cm;
    cm.number = m.Text(0);
    cm.invoice_number = row.invoice.number;
    cm.issue_date = ParseDateOr(m.Text(1));
    cm.reason = m.Text(2);
    cm.total = Money::Cents(m.Int(3));
    cm.lines = LinesFromJson(m.Text(4));
    a.credit_memos.push_back(std::move(cm));
  }
  OPENMSO_ASSIGN_OR_RETURN(auto pays, s.Query(kPayments, {row.id.value}));
  for (const auto& p : pays) a.payments.push_back({ParseDateOr(p.Text(0)), Money::Cents(p.Int(1)), p.Text(2)});
  row.credit_memos = a.credit_memos;
  row.payment_list = a.payments;
  return a;
}

// The next gap-free number of a series, taken in the caller's write transaction.
Result<DocumentNumber> TakeNumber(storage::Session& s, MsoId mso, DocumentSeries series, int year) {
  std::string name = series == DocumentSeries::kInvoice ? "INV" : "CM";
  const storage::Statement& q = s.backend() == storage::Backend::kPostgres ? kLockCounter : kCounter;
  OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(q, {mso.value, name, int64_t{year}}));
  std::optional<DocumentNumber> last;
  if (row) last = DocumentNumber{series, year, row->Int(0)};
  OPENMSO_ASSIGN_OR_RETURN(auto next, NextDocumentNumber(series, year, last));
  OPENMSO_TRY(s.Exec(kPutCounter, {mso.value, name, int64_t{year}, next.sequence}));
  return next;
}

int64_t FloorMinuteMs(Instant t) {
  int64_t ms = ToUnixMillis(t);
  return ms - (((ms % 60000) + 60000) % 60000);
}

// The timesheet's finished breaks in whole minutes (as payroll truncates them), and their total.
std::vector<BreakInterval> BreaksOf(const std::string& text, int64_t& total_minutes) {
  std::vector<BreakInterval> out;
  total_minutes = 0;
  for (const auto& b : timekeeping::ParseBreaks(text)) {
    if (!b.end) continue;
    BreakInterval br{FromUnixMillis(FloorMinuteMs(b.start)), FromUnixMillis(FloorMinuteMs(*b.end))};
    if (br.end <= br.start) continue;
    total_minutes += std::chrono::duration_cast<std::chrono::minutes>(br.end - br.start).count();
    out.push_back(br);
  }
  return out;
}

// Field errors of one facility's computation, prefixed so the caller sees which facility.
Error Prefixed(const Error& e, FacilityId f) {
  Error out = e;
  for (auto& field : out.fields) field.field = "facilities." + std::to_string(f.value) + "." + field.field;
  return out;
}

Result<void> FinalizeIn(storage::Session& s, InvoiceRow& row, Instant now, std::string_view zone) {
  if (row.stored_status == "finalized") return Error::Conflict("invoice-finalized", "This invoice is already finalized.");
  if (row.stored_status == "discarded") return Error::Conflict("invoice-discarded", "This draft was discarded.");
  if (row.invoice.lines.empty()) {
    OPENMSO_ASSIGN_OR_RETURN(row.invoice.lines, LoadLines(s, row.id));
  }
  Date issue = ToLocal(now, zone).date;
  OPENMSO_ASSIGN_OR_RETURN(auto number, TakeNumber(s, row.mso_id, DocumentSeries::kInvoice, issue.year));
  OPENMSO_ASSIGN_OR_RETURN(auto fin, billing::Finalize(row.invoice, number, issue));
  OPENMSO_ASSIGN_OR_RETURN(int64_t changed, s.Exec(kFinalizeInvoice, {fin.number, fin.issue_date.ToString(),
                                                                      fin.due_date.ToString(), ToUnixMillis(now),
                                                                      row.id.value}));
  if (changed != 1) return Error::Conflict("invoice-finalized", "This invoice is already finalized.");
  // BILL-EXACTLY-ONCE: the primary key refuses a timesheet another finalized invoice billed.
  auto ledger = s.Exec(kLedger, {row.id.value});
  if (!ledger.ok()) {
    if (ledger.error().type == "unique-violation")
      return Error::Conflict("already-billed", "Another finalized invoice already billed some of these timesheets; "
                                               "discard this draft and generate a new one.");
    return ledger.error();
  }
  OPENMSO_ASSIGN_OR_RETURN(auto carry, s.QueryOne(kCarryForward, {row.id.value}));
  OPENMSO_TRY(s.Exec(kPutState, {row.invoice.facility_id.value, carry ? carry->Text(0) : std::string("{}"),
                                 row.invoice.period_to.ToString(), ToUnixMillis(now)}));
  row.invoice = fin;
  row.stored_status = "finalized";
  row.status = "finalized";
  row.balance = fin.total;
  row.finalized_at = now;
  return Ok();
}

}  // namespace

// ---- Agreements ----------------------------------------------------------------------------------

std::string RateCardToJson(const std::vector<RateCardEntry>& card) {
  json::array a;
  for (const auto& e : card) a.push_back(json::object{{"discipline", e.discipline}, {"bill_rate_cents", e.bill_rate.cents()}});
  return json::serialize(a);
}

Result<std::vector<RateCardEntry>> RateCardFromJson(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return Error::Invalid("rate_card", "wrong_type", "An array of {discipline, bill_rate_cents}.");
  FieldErrors errs;
  std::vector<RateCardEntry> out;
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    const auto& x = v.as_array()[i];
    std::string at = "rate_card." + std::to_string(i);
    if (!x.is_object()) { errs.Add(at, "wrong_type", "An object."); continue; }
    const auto& o = x.as_object();
    RateCardEntry e;
    if (auto* d = o.if_contains("discipline"); d && d->is_string()) e.discipline = std::string(d->as_string());
    else errs.Add(at + ".discipline", "required", "A discipline code.");
    if (auto* r = o.if_contains("bill_rate_cents"); r && r->is_int64()) e.bill_rate = Money::Cents(r->as_int64());
    else errs.Add(at + ".bill_rate_cents", "required", "Integer cents per hour.");
    for (const auto& kv : o)
      if (kv.key() != "discipline" && kv.key() != "bill_rate_cents")
        errs.Add(at + "." + std::string(kv.key()), "unknown_field", "Not a field of a rate card entry.");
    out.push_back(std::move(e));
  }
  if (!errs.empty()) return errs.ToError();
  return out;
}

Result<std::vector<ServiceAgreement>> ListAgreements(storage::Session& s, FacilityId f) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kAgreements, {f.value}));
  std::vector<ServiceAgreement> out;
  for (const auto& r : rows) out.push_back(AgreementFromRow(r));
  return out;
}

Result<ServiceAgreement> AddAgreement(storage::Session& s, MsoId mso, ServiceAgreement a, std::optional<UserId> by,
                                      Instant now) {
  OPENMSO_TRY(ValidateAgreement(a));
  OPENMSO_ASSIGN_OR_RETURN(auto existing, ListAgreements(s, a.facility_id));
  // The open-ended agreement in force on the new one's first day ends the day before.
  for (auto& e : existing)
    if (!e.effective_to && e.effective_from < a.effective_from) {
      e.effective_to = Date::FromDaysSinceEpoch(a.effective_from.DaysSinceEpoch() - 1);
      OPENMSO_TRY(s.Exec(kCloseAgreement, {e.effective_to->ToString(), e.id.value}));
    }
  std::vector<ServiceAgreement> all = existing;
  all.push_back(a);
  if (auto v = ValidateAgreements(all, a.facility_id); !v.ok()) {
    Error e = v.error();
    std::string prefix = "agreements[" + std::to_string(all.size() - 1) + "].";
    for (auto& f : e.fields)
      if (f.field.rfind(prefix, 0) == 0) f.field = f.field.substr(prefix.size());
    return e;
  }
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kInsertAgreement,
      {mso.value, a.facility_id.value, a.effective_from.ToString(),
       a.effective_to ? storage::Value(a.effective_to->ToString()) : storage::Null(), RateCardToJson(a.rate_card),
       int64_t{a.overtime_multiplier_bp}, int64_t{a.holiday_multiplier_bp}, std::string(OvertimeKindName(a.overtime.kind)),
       int64_t{a.overtime.daily_threshold_hours}, DatesToJson(a.holidays), int64_t{a.fee.percent_bp},
       a.fee.flat_monthly.cents(), a.fee.per_shift.cents(), int64_t{a.payment_terms_days},
       by ? storage::Value(by->value) : storage::Null(), ToUnixMillis(now)}));
  a.id = ServiceAgreementId(rows.at(0).Int(0));
  // The marketplace's default bill rate of a posting follows the agreement in force now.
  OPENMSO_TRY(s.Exec(kClearRateCard, {a.facility_id.value}));
  for (const auto& e : a.rate_card)
    OPENMSO_TRY(s.Exec(kPutRateCard, {a.facility_id.value, e.discipline, e.bill_rate.cents(), ToUnixMillis(now)}));
  return a;
}

// ---- Invoice runs --------------------------------------------------------------------------------

Result<std::vector<InvoiceRow>> GenerateInvoices(storage::Database& db, MsoId mso, Date from, Date to,
                                                 std::optional<FacilityId> only, bool finalize,
                                                 std::optional<UserId> by, Instant now, const Progress& progress,
                                                 const AuditFn& audit) {
  auto report = [&](std::string_view phase, int64_t done, int64_t total) { if (progress) progress(phase, done, total); };
  if (to <= from) return Error::Invalid("period_to", "not_after_from", "The period ends after it starts.");
  struct Prepared {
    FacilityId facility;
    std::string zone;
    InvoiceDraft draft;
  };
  report("load", 0, 1);
  OPENMSO_ASSIGN_OR_RETURN(auto prepared, storage::ReadValue<std::vector<Prepared>>(db, [&](storage::Session& s) -> Result<std::vector<Prepared>> {
    OPENMSO_ASSIGN_OR_RETURN(auto settings, GetPaySettings(s, mso));
    OPENMSO_ASSIGN_OR_RETURN(auto facilities, s.Query(kFacilities, {mso.value}));
    std::vector<Prepared> out;
    FieldErrors errs;
    bool found = false;
    for (const auto& f : facilities) {
      FacilityId fid(f.Int(0));
      if (only && *only != fid) continue;
      found = true;
      std::string zone = f.Text(2);
      auto start = ToInstant(LocalDateTime{from, 0}, zone);
      auto end = ToInstant(LocalDateTime{to, 0}, zone);
      if (!start.ok() || !end.ok()) return Error::Internal("facility zone " + zone);
      OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kBillable, {fid.value, ToUnixMillis(*start), ToUnixMillis(*end)}));
      if (rows.empty()) continue;
      InvoiceInput in;
      in.facility = {fid, zone, static_cast<Weekday>(settings.workweek_start_weekday)};
      OPENMSO_ASSIGN_OR_RETURN(in.agreements, ListAgreements(s, fid));
      in.period_from = from;
      in.period_to = to;
      in.issue_date = ToLocal(now, zone).date;
      OPENMSO_ASSIGN_OR_RETURN(auto state, s.QueryOne(kState, {fid.value}));
      // Thresholds carry over only into the period that starts where the last one ended.
      if (state && state->Text(1) == from.ToString()) in.prior = PriorFromJson(state->Text(0));
      in.shifts.reserve(rows.size());
      for (const auto& r : rows) {
        BillableShift b;
        b.timesheet_id = TimesheetId(r.Int(0));
        b.shift_id = ShiftId(r.Int(1));
        b.clinician_id = ClinicianId(r.Int(2));
        b.discipline = r.Text(3);
        // Whole minutes, as payroll pays them (PAY-ROUND-NONE truncates to the minute).
        b.start = FromUnixMillis(FloorMinuteMs(FromUnixMillis(r.Int(4))));
        b.end = FromUnixMillis(FloorMinuteMs(FromUnixMillis(r.Int(5))));
        b.time_zone = zone;
        b.breaks = BreaksOf(r.Text(6), b.unpaid_break_minutes);
        b.bill_rate_override = Money::Cents(r.Int(7));
        in.shifts.push_back(std::move(b));
      }
      auto draft = ComputeInvoice(in);
      if (!draft.ok()) {
        for (const auto& e : Prefixed(draft.error(), fid).fields) errs.Add(e.field, e.code, e.message);
        continue;
      }
      out.push_back({fid, zone, std::move(draft).value()});
    }
    if (only && !found) return Error::NotFound("The facility");
    if (!errs.empty()) return errs.ToError();
    return out;
  }));
  if (prepared.empty())
    return Error::Conflict("nothing-to-bill", "No approved, unbilled timesheet has its shift in this period.");
  report("compute", 1, 1);
  report("write", 0, static_cast<int64_t>(prepared.size()));
  OPENMSO_ASSIGN_OR_RETURN(auto ids, storage::WriteValue<std::vector<InvoiceId>>(db, [&](storage::Session& s) -> Result<std::vector<InvoiceId>> {
    std::vector<InvoiceId> ids;
    for (auto& p : prepared) {
      const Invoice& inv = p.draft.invoice;
      OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kInsertInvoice,
          {mso.value, p.facility.value, inv.period_from.ToString(), inv.period_to.ToString(), inv.issue_date.ToString(),
           inv.due_date.ToString(), int64_t{inv.payment_terms_days}, inv.labor_minutes, inv.labor_subtotal.cents(),
           inv.fee_total.cents(), inv.total.cents(), PriorToJson(p.draft.carry_forward),
           by ? storage::Value(by->value) : storage::Null(), ToUnixMillis(now)}));
      InvoiceId id(rows.at(0).Int(0));
      std::vector<std::vector<storage::Value>> lines;
      lines.reserve(inv.lines.size());
      for (const auto& l : inv.lines)
        lines.push_back({id.value, int64_t{l.line_no}, std::string(LineKindName(l.kind)), std::string(l.rule_id),
                         l.agreement_id.value, l.timesheet_id.value, l.shift_id.value, l.clinician_id.value,
                         l.discipline, ToUnixMillis(l.shift_start), l.minutes, l.quantity, int64_t{l.multiplier_bp},
                         l.base_rate.cents(), l.rate.cents(), l.basis.cents(),
                         l.month ? storage::Value(l.month->ToString()) : storage::Null(), l.amount.cents()});
      OPENMSO_TRY(s.BulkInsert("invoice_lines",
                               {"invoice_id", "line_no", "kind", "rule_id", "agreement_id", "timesheet_id", "shift_id",
                                "clinician_id", "discipline", "shift_start", "minutes", "quantity", "multiplier_bp",
                                "base_rate_cents", "rate_cents", "basis_cents", "month", "amount_cents"},
                               lines));
      if (finalize) {  // from the draft in memory: no read-back of the lines just written
        InvoiceRow r;
        r.id = id;
        r.mso_id = mso;
        r.stored_status = "draft";
        r.invoice = inv;
        OPENMSO_TRY(FinalizeIn(s, r, now, p.zone));
      }
      if (audit) OPENMSO_TRY(audit(s, std::to_string(id.value)));
      ids.push_back(id);
      report("write", static_cast<int64_t>(ids.size()), static_cast<int64_t>(prepared.size()));
    }
    return ids;
  }));
  return storage::ReadValue<std::vector<InvoiceRow>>(db, [&](storage::Session& s) -> Result<std::vector<InvoiceRow>> {
    std::vector<InvoiceRow> out;
    for (InvoiceId id : ids) {
      OPENMSO_ASSIGN_OR_RETURN(auto r, GetInvoice(s, id, false));
      out.push_back(std::move(r));
    }
    return out;
  });
}

Result<InvoiceRow> FinalizeInvoice(storage::Database& db, InvoiceId id, Instant now, const AuditFn& audit) {
  OPENMSO_TRY(db.Write([&](storage::Session& s) -> Result<void> {
    OPENMSO_ASSIGN_OR_RETURN(auto row, GetInvoice(s, id, false));
    OPENMSO_ASSIGN_OR_RETURN(auto zone, s.QueryOne(kFacilityZone, {row.invoice.facility_id.value}));
    OPENMSO_TRY(FinalizeIn(s, row, now, zone ? zone->Text(0) : std::string("UTC")));
    if (audit) OPENMSO_TRY(audit(s, std::to_string(id.value)));
    return Ok();
  }));
  return storage::ReadValue<InvoiceRow>(db, [&](storage::Session& s) { return GetInvoice(s, id, true); });
}

Result<InvoiceRow> DiscardInvoice(storage::Database& db, InvoiceId id, const AuditFn& audit) {
  OPENMSO_TRY(db.Write([&](storage::Session& s) -> Result<void> {
    OPENMSO_ASSIGN_OR_RETURN(int64_t changed, s.Exec(kDiscardInvoice, {id.value}));
    if (changed != 1) {
      OPENMSO_TRY(GetInvoice(s, id, false));  // 404 when missing
      return Error::Conflict("invoice-finalized", "Only a draft can be discarded; a finalized invoice is corrected by a credit memo.");
    }
    if (audit) OPENMSO_TRY(audit(s, std::to_string(id.value)));
    return Ok();
  }));
  return storage::ReadValue<InvoiceRow>(db, [&](storage::Session& s) { return GetInvoice(s, id, false); });
}

Result<InvoiceRow> GetInvoice(storage::Session& s, InvoiceId id, bool with_lines) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kGetInvoice, {id.value}));
  if (!row) return Error::NotFound("The invoice");
  InvoiceRow r = InvoiceFromRow(*row);
  if (with_lines) OPENMSO_TRY(LoadAccount(s, r));
  return r;
}

Result<std::vector<InvoiceRow>> ListInvoices(storage::Session& s, MsoId mso,
                                             const std::optional<std::vector<FacilityId>>& scope,
                                             std::optional<FacilityId> facility, int limit) {
  // The facility filter is in the query, so that the limit counts only its invoices.
  int64_t only = facility ? facility->value : 0;
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kListInvoices, {mso.value, only, only, int64_t{limit}}));
  std::vector<InvoiceRow> out;
  for (const auto& r : rows) {
    InvoiceRow row = InvoiceFromRow(r);
    if (scope && std::find(scope->begin(), scope->end(), row.invoice.facility_id) == scope->end()) continue;
    out.push_back(std::move(row));
  }
  return out;
}

Result<InvoiceRow> RecordPayment(storage::Database& db, InvoiceId id, const PaymentInput& p, std::optional<UserId> by,
                                 Instant now, const AuditFn& audit) {
  OPENMSO_TRY(db.Write([&](storage::Session& s) -> Result<void> {
    OPENMSO_ASSIGN_OR_RETURN(auto row, GetInvoice(s, id, false));
    if (row.stored_status != "finalized")
      return Error::Conflict("invoice-not-finalized", "Payments apply to finalized invoices only.");
    OPENMSO_ASSIGN_OR_RETURN(auto account, LoadAccount(s, row));
    OPENMSO_ASSIGN_OR_RETURN(auto applied, ApplyPayment(account, p));
    OPENMSO_TRY(s.Exec(kInsertPayment, {id.value, applied.applied.received_on.ToString(), applied.applied.amount.cents(),
                                        applied.unapplied.cents(), applied.applied.reference,
                                        by ? storage::Value(by->value) : storage::Null(), ToUnixMillis(now)}));
    if (audit) OPENMSO_TRY(audit(s, std::to_string(id.value)));
    return Ok();
  }));
  return storage::ReadValue<InvoiceRow>(db, [&](storage::Session& s) { return GetInvoice(s, id, true); });
}

Result<CreditMemo> AddCreditMemo(storage::Database& db, InvoiceId id, Dispute d, std::optional<UserId> by, Instant now,
                                 const AuditFn& audit) {
  return storage::WriteValue<CreditMemo>(db, [&](storage::Session& s) -> Result<CreditMemo> {
    OPENMSO_ASSIGN_OR_RETURN(auto row, GetInvoice(s, id, false));
    if (row.stored_status != "finalized")
      return Error::Conflict("invoice-not-finalized", "Only a finalized invoice is credited; edit or discard a draft.");
    OPENMSO_ASSIGN_OR_RETURN(auto account, LoadAccount(s, row));
    // The memo is dated in the facility's zone, as its invoice was.
    OPENMSO_ASSIGN_OR_RETURN(auto zone, s.QueryOne(kFacilityZone, {row.invoice.facility_id.value}));
    if (zone) d.issue_date = ToLocal(now, zone->Text(0)).date;
    OPENMSO_ASSIGN_OR_RETURN(auto number, TakeNumber(s, row.mso_id, DocumentSeries::kCreditMemo, d.issue_date.year));
    OPENMSO_ASSIGN_OR_RETURN(auto memo, CreateCreditMemo(account, d, number));
    OPENMSO_TRY(s.Exec(kInsertMemo, {id.value, memo.number, memo.issue_date.ToString(), memo.reason, memo.total.cents(),
                                     LinesToJson(memo.lines), by ? storage::Value(by->value) : storage::Null(),
                                     ToUnixMillis(now)}));
    if (audit) OPENMSO_TRY(audit(s, std::to_string(id.value)));
    return memo;
  });
}

Result<AgingReport> ArAging(storage::Session& s, MsoId mso, Date as_of, const std::optional<std::vector<FacilityId>>& scope) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kFinalizedOf, {mso.value}));
  std::vector<AgingItem> items;
  for (const auto& r : rows) {
    InvoiceRow row = InvoiceFromRow(r);
    if (scope && std::find(scope->begin(), scope->end(), row.invoice.facility_id) == scope->end()) continue;
    if (row.invoice.issue_date > as_of) continue;
    items.push_back({row.id, row.invoice.facility_id, row.invoice.due_date, row.balance});
  }
  return Aging(items, as_of);
}

Result<std::string> InvoicePdf(storage::Session& s, InvoiceId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, GetInvoice(s, id, true));
  OPENMSO_ASSIGN_OR_RETURN(auto settings, GetPaySettings(s, row.mso_id));
  OPENMSO_ASSIGN_OR_RETURN(auto facility, storage::SqlOrgRepository(s).GetFacility(row.invoice.facility_id));
  static constexpr storage::Statement kNames{"bill.names",
      "SELECT DISTINCT c.id, c.first_name || ' ' || c.last_name FROM invoice_lines l JOIN clinicians c "
      "ON c.id = l.clinician_id WHERE l.invoice_id = ?"};
  OPENMSO_ASSIGN_OR_RETURN(auto names, s.Query(kNames, {id.value}));
  std::unordered_map<int64_t, std::string> name_of;
  for (const auto& n : names) name_of[n.Int(0)] = n.Text(1);
  formats::InvoiceDoc doc;
  doc.issuer_name = settings.company_name;
  doc.invoice_number = row.invoice.number.empty() ? "DRAFT-" + std::to_string(id.value) : row.invoice.number;
  doc.issue_date = row.invoice.issue_date;
  doc.due_date = row.invoice.due_date;
  doc.period_start = row.invoice.period_from;
  doc.period_end = Date::FromDaysSinceEpoch(row.invoice.period_to.DaysSinceEpoch() - 1);
  doc.facility_name = facility.name;
  doc.bill_to = {facility.name, facility.address.line1,
                 facility.address.city + ", " + facility.address.state + " " + facility.address.postal_code};
  for (const auto& l : row.invoice.lines) {
    if (IsLabor(l.kind)) {
      formats::InvoiceLine out;
      out.timesheet_ref = "T" + std::to_string(l.timesheet_id.value) +
                          (l.kind == LineKind::kRegular ? "" : " " + std::string(LineKindName(l.kind)));
      out.work_date = ToLocal(l.shift_start, facility.time_zone).date;
      out.clinician = name_of.count(l.clinician_id.value) ? name_of[l.clinician_id.value] : "";
      out.discipline = l.discipline;
      out.hours = std::chrono::minutes(l.minutes);
      out.rate = l.rate;
      out.amount = l.amount;
      doc.lines.push_back(std::move(out));
    } else {
      std::string what = l.kind == LineKind::kFeePercent ? "Management fee, percent of labor"
                         : l.kind == LineKind::kFeeFlatMonthly ? "Management fee, monthly" + (l.month ? " " + l.month->ToString() : "")
                                                               : "Management fee per filled shift (x" + std::to_string(l.quantity) + ")";
      doc.fees.push_back({what, l.amount});
    }
  }
  for (const auto& m : row.credit_memos) doc.fees.push_back({"Credit memo " + m.number + ": " + m.reason, m.total});
  for (const auto& p : row.payment_list) doc.payments.push_back({p.received_on, p.reference, p.amount});
  doc.terms_note = "Net " + std::to_string(row.invoice.payment_terms_days) + ". Each labor line names its approved timesheet.";
  return formats::RenderInvoicePdf(doc);
}

}  // namespace openmso::finance
