// Routes of payroll (issue 5, parts 3-5): the MSO's pay settings, clinicians' pay terms,
// pay runs (draft with live progress, review line by line, finalize, discard), exports
// (register CSV/XLSX, NACHA, statement PDF), the clinician's statements and instant pay.
// The work itself is in src/finance; handlers decode, check access, audit and encode.
#include "finance/finance.h"
#include "http/internal.h"
#include "http/json_io.h"

namespace openmso::http {
namespace {

using finance::PayRunSummary;
using finance::StatementRow;

json::object SettingsJson(const finance::PaySettings& p) {
  json::value diffs = json::parse(finance::DifferentialsToJson(p.differentials));
  return {{"frequency", p.frequency},
          {"period_anchor", p.period_anchor.ToString()},
          {"time_zone", p.time_zone},
          {"workweek_start_weekday", p.workweek_start_weekday},
          {"workweek_start_minute", p.workweek_start_minute},
          {"workday_start_minute", p.workday_start_minute},
          {"rounding", payroll::RoundingName(p.rounding)},
          {"auto_meal_deduction", p.auto_meal_deduction},
          {"differentials", diffs},
          {"instant_pay_fee_cents", p.instant_pay_fee.cents()},
          {"odfi_routing", p.odfi_routing},
          {"odfi_name", p.odfi_name},
          {"company_name", p.company_name},
          {"company_id", p.company_id}};
}

json::object RunJson(const PayRunSummary& r) {
  json::value exceptions = json::parse(r.exceptions_json.empty() ? "[]" : r.exceptions_json);
  return {{"id", r.id.value},
          {"kind", r.kind},
          {"status", r.status},
          {"period_start", r.period.start.ToString()},
          {"period_end", r.period.end.ToString()},
          {"period_start_at", FormatInstant(r.period.start_at)},
          {"period_end_at", FormatInstant(r.period.end_at)},
          {"statements", r.statements},
          {"timesheets", r.timesheets},
          {"gross_cents", r.gross.cents()},
          {"net_due_cents", r.net_due.cents()},
          {"exceptions", exceptions},
          {"created_at", FormatInstant(r.created_at)},
          {"created_by", r.created_by ? json::value(r.created_by->value) : json::value()},
          {"finalized_at", r.finalized_at ? json::value(FormatInstant(*r.finalized_at)) : json::value()},
          {"finalized_by", r.finalized_by ? json::value(r.finalized_by->value) : json::value()}};
}

json::object StatementJson(const StatementRow& s) {
  json::object o{{"id", s.id.value},
                 {"pay_run_id", s.run_id.value},
                 {"clinician_id", s.clinician_id.value},
                 {"clinician_name", s.clinician_name},
                 {"period_start", s.period_start.ToString()},
                 {"period_end", s.period_end.ToString()},
                 {"pay_run_status", s.run_status},
                 {"worker_type", s.worker_type},
                 {"overtime_law", s.overtime_law},
                 {"worked_minutes", s.worked_minutes},
                 {"regular_minutes", s.regular_minutes},
                 {"overtime_minutes", s.overtime_minutes},
                 {"double_time_minutes", s.double_time_minutes},
                 {"straight_time_cents", s.straight_time.cents()},
                 {"differentials_cents", s.differentials.cents()},
                 {"bonuses_cents", s.bonuses.cents()},
                 {"overtime_premium_cents", s.overtime_premium.cents()},
                 {"double_time_premium_cents", s.double_time_premium.cents()},
                 {"holiday_premium_cents", s.holiday_premium.cents()},
                 {"cancellation_cents", s.cancellation.cents()},
                 {"gross_cents", s.gross.cents()},
                 {"advances_cents", s.advances.cents()},
                 {"net_due_cents", s.net_due.cents()}};
  if (!s.lines.empty()) {
    json::array lines;
    for (const auto& l : s.lines)
      lines.push_back(json::object{{"ref", l.ref}, {"code", l.code}, {"rule_id", l.rule_id}, {"minutes", l.minutes},
                                   {"rate_cents", l.rate.cents()}, {"amount_cents", l.amount.cents()},
                                   {"week_start", FormatInstant(l.week_start)}, {"explanation", l.explanation}});
    o["lines"] = lines;
  }
  return o;
}

finance::AuditFn AuditWith(RouteContext& ctx, std::string entity_type, std::optional<FacilityId> facility = {}) {
  return [&ctx, entity_type = std::move(entity_type), facility](storage::Session& s, std::string_view id) {
    return ctx.Audit(s, entity_type, id, facility);
  };
}

Response Download(std::string body, std::string content_type, std::string filename) {
  Response r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// ---- Settings and terms ------------------------------------------------------------------------

Result<Response> GetPaySettingsHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto p, storage::ReadValue<finance::PaySettings>(ctx.app.db, [&](storage::Session& s) {
    return finance::GetPaySettings(s, ctx.who().mso_id);
  }));
  return Json(SettingsJson(p));
}

Result<Response> PutPaySettingsHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  finance::PaySettings p;
  p.frequency = r.RequiredString("frequency", 20);
  p.period_anchor = r.OptionalDate("period_anchor").value_or(Date{});
  if (!body.contains("period_anchor")) r.AddError("period_anchor", "required", "This field is required.");
  p.time_zone = r.RequiredTimeZone("time_zone");
  p.workweek_start_weekday = static_cast<int>(std::clamp<int64_t>(r.OptionalInt("workweek_start_weekday").value_or(0), -1, 100));
  p.workweek_start_minute = static_cast<int>(std::clamp<int64_t>(r.OptionalInt("workweek_start_minute").value_or(0), -1, 100000));
  p.workday_start_minute = static_cast<int>(std::clamp<int64_t>(r.OptionalInt("workday_start_minute").value_or(0), -1, 100000));
  std::string rounding = r.OptionalString("rounding", 40).value_or("none");
  if (auto v = payroll::ParseRounding(rounding)) p.rounding = *v;
  else r.AddError("rounding", "unknown", "none or quarter_7min.");
  p.auto_meal_deduction = r.OptionalBool("auto_meal_deduction", false);
  if (const json::value* d = r.OptionalValue("differentials")) {
    auto parsed = finance::DifferentialsFromJson(json::serialize(*d));
    if (parsed.ok()) p.differentials = std::move(parsed).value();
    else for (const auto& f : parsed.error().fields) r.AddError(f.field, f.code, f.message);
  }
  p.instant_pay_fee = r.OptionalMoney("instant_pay_fee_cents").value_or(Money());
  p.odfi_routing = r.RequiredString("odfi_routing", 20);
  p.odfi_name = r.RequiredString("odfi_name", 64);
  p.company_name = r.RequiredString("company_name", 64);
  p.company_id = r.RequiredString("company_id", 20);
  if (auto v = finance::ValidateSettings(p); !v.ok())
    for (const auto& f : v.error().fields) r.AddError(f.field, f.code, f.message);
  OPENMSO_TRY(r.Finish());
  OPENMSO_TRY(ctx.app.db.Write([&](storage::Session& s) -> Result<void> {
    OPENMSO_TRY(finance::PutPaySettings(s, ctx.who().mso_id, p, ctx.app.clock.Now()));
    return ctx.Audit(s, "pay_settings", std::to_string(ctx.who().mso_id.value), std::nullopt);
  }));
  return Json(SettingsJson(p));
}

// A clinician reads and edits their own pay terms (the bank account); payroll staff all.
Result<void> MayTouchPayTerms(const RouteContext& ctx, ClinicianId c, bool write) {
  if (ctx.who().role == identity::Role::kClinician) {
    if (ctx.who().clinician_id == c) return Ok();
    return Error::NotFound("The clinician");
  }
  if (identity::RoleHas(ctx.who().role, write ? identity::Permission::kPayroll : identity::Permission::kFinanceRead))
    return Ok();
  return Error::Forbidden("Pay terms are for payroll staff and the clinician.");
}

json::object PayTermsJson(ClinicianId c, const finance::ClinicianPay& p, bool unmask) {
  std::string account = p.bank_account;
  if (!unmask && account.size() > 4) account = std::string(account.size() - 4, '*') + account.substr(account.size() - 4);
  return {{"clinician_id", c.value},
          {"overtime_law", p.overtime_law ? json::value(payroll::OvertimeLawName(*p.overtime_law)) : json::value()},
          {"agreement_880_date", p.agreement_880_date ? json::value(p.agreement_880_date->ToString()) : json::value()},
          {"bank_routing", p.bank_routing},
          {"bank_account", account},
          {"bank_account_type", p.bank_account_type}};
}

Result<Response> GetPayTerms(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "clinician_id"));
  OPENMSO_TRY(MayTouchPayTerms(ctx, ClinicianId(id), false));
  OPENMSO_ASSIGN_OR_RETURN(auto p, storage::ReadValue<finance::ClinicianPay>(ctx.app.db, [&](storage::Session& s) {
    return finance::GetClinicianPay(s, ClinicianId(id));
  }));
  ctx.audit_entity_type = "clinician_pay";
  ctx.audit_entity_id = std::to_string(id);
  return Json(PayTermsJson(ClinicianId(id), p, false));
}

Result<Response> PutPayTerms(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "clinician_id"));
  OPENMSO_TRY(MayTouchPayTerms(ctx, ClinicianId(id), true));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  finance::ClinicianPay p;
  bool clinician = ctx.who().role == identity::Role::kClinician;
  if (auto law = r.OptionalString("overtime_law", 40)) {
    if (clinician) r.AddError("overtime_law", "forbidden", "Payroll staff set the overtime law.");
    else if (!(p.overtime_law = payroll::ParseOvertimeLaw(*law)))
      r.AddError("overtime_law", "unknown", "flsa_weekly, flsa_8_80, california, alaska, nevada or colorado.");
  }
  p.agreement_880_date = r.OptionalDate("agreement_880_date");
  p.bank_routing = r.OptionalString("bank_routing", 20).value_or("");
  p.bank_account = r.OptionalString("bank_account", 40).value_or("");
  p.bank_account_type = r.OptionalString("bank_account_type", 20).value_or("checking");
  OPENMSO_TRY(r.Finish());
  OPENMSO_TRY(finance::ValidateClinicianPay(p));
  OPENMSO_TRY(ctx.app.db.Write([&](storage::Session& s) -> Result<void> {
    if (clinician) {  // keep the law set by payroll
      OPENMSO_ASSIGN_OR_RETURN(auto old, finance::GetClinicianPay(s, ClinicianId(id)));
      p.overtime_law = old.overtime_law;
      p.agreement_880_date = old.agreement_880_date;
    }
    OPENMSO_TRY(finance::PutClinicianPay(s, ClinicianId(id), p, ctx.app.clock.Now()));
    return ctx.Audit(s, "clinician_pay", std::to_string(id), std::nullopt);
  }));
  return Json(PayTermsJson(ClinicianId(id), p, false));
}

// ---- Pay runs -------------------------------------------------------------------------------------

Result<Response> CreatePayRunHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  auto start = r.OptionalDate("period_start");
  if (!body.contains("period_start")) r.AddError("period_start", "required", "This field is required.");
  std::string kind = r.OptionalString("kind", 20).value_or("regular");
  if (kind != "regular" && kind != "adjustment") r.AddError("kind", "unknown", "regular or adjustment.");
  OPENMSO_TRY(r.Finish());
  Instant now = ctx.app.clock.Now();
  // Live progress to the requester (PAY-RUN-PROGRESS), at most every 2,000 statements.
  auto progress = [&](std::string_view phase, int64_t done, int64_t total) {
    json::object o{{"type", "payrun.progress"}, {"phase", phase}, {"done", done}, {"total", total},
                   {"period_start", start->ToString()}};
    ctx.app.events.Publish({ctx.who().mso_id, std::nullopt, ctx.who().user_id, json::serialize(o)});
  };
  OPENMSO_ASSIGN_OR_RETURN(auto run, finance::CreatePayRun(ctx.app.db, ctx.who().mso_id, *start, kind, ctx.who().user_id,
                                                           now, progress, AuditWith(ctx, "pay_run")));
  Response resp = JsonResponse(201, RunJson(run));
  resp.headers.emplace_back("Location", "/api/v1/pay-runs/" + std::to_string(run.id.value));
  return resp;
}

Result<PayRunSummary> LoadRun(RouteContext& ctx, int64_t id) {
  OPENMSO_ASSIGN_OR_RETURN(auto run, storage::ReadValue<PayRunSummary>(ctx.app.db, [&](storage::Session& s) {
    return finance::GetPayRun(s, PayRunId(id));
  }));
  if (run.mso_id != ctx.who().mso_id) return Error::NotFound("The pay run");
  return run;
}

Result<Response> ListPayRunsHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto limit_param, QueryInt(ctx.req, "limit", 1, 500));
  int64_t limit = limit_param.value_or(50);
  OPENMSO_ASSIGN_OR_RETURN(auto runs, storage::ReadValue<std::vector<PayRunSummary>>(ctx.app.db, [&](storage::Session& s) {
    return finance::ListPayRuns(s, ctx.who().mso_id, static_cast<int>(limit));
  }));
  json::array items;
  for (const auto& r : runs) items.push_back(RunJson(r));
  return Json(json::object{{"items", items}});
}

Result<Response> GetPayRunHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "pay_run_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto run, LoadRun(ctx, id));
  return Json(RunJson(run));
}

Result<Response> ListStatementsHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "pay_run_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto run, LoadRun(ctx, id));
  OPENMSO_ASSIGN_OR_RETURN(auto rows, storage::ReadValue<std::vector<StatementRow>>(ctx.app.db, [&](storage::Session& s) {
    return finance::ListStatements(s, run.id);
  }));
  ctx.audit_entity_type = "pay_run";
  ctx.audit_entity_id = std::to_string(id);
  json::array items;
  for (const auto& s : rows) items.push_back(StatementJson(s));
  return Json(json::object{{"pay_run_id", id}, {"items", items}});
}

Result<Response> FinalizeHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "pay_run_id"));
  OPENMSO_TRY(LoadRun(ctx, id));
  OPENMSO_ASSIGN_OR_RETURN(auto run, finance::FinalizePayRun(ctx.app.db, PayRunId(id), ctx.who().user_id,
                                                             ctx.app.clock.Now(), AuditWith(ctx, "pay_run")));
  json::object o{{"type", "payrun.finalized"}, {"pay_run_id", id}};
  ctx.app.events.Publish({ctx.who().mso_id, std::nullopt, std::nullopt, json::serialize(o)});
  return Json(RunJson(run));
}

Result<Response> DiscardHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "pay_run_id"));
  OPENMSO_TRY(LoadRun(ctx, id));
  OPENMSO_ASSIGN_OR_RETURN(auto run, finance::DiscardPayRun(ctx.app.db, PayRunId(id), ctx.app.clock.Now(),
                                                            AuditWith(ctx, "pay_run")));
  return Json(RunJson(run));
}

Result<Response> ExportHandler(RouteContext& ctx, std::string_view what) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "pay_run_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto run, LoadRun(ctx, id));
  std::string type = ctx.req.Query("worker_type").value_or("all");
  Instant now = ctx.app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(auto bytes, storage::ReadValue<std::string>(ctx.app.db, [&](storage::Session& s) -> Result<std::string> {
    if (what == "csv") return finance::RegisterCsv(s, run.id, type);
    if (what == "xlsx") return finance::RegisterXlsx(s, run.id, type);
    return finance::ContractorNacha(s, run.id, now);
  }));
  ctx.audit_entity_type = "pay_run";
  ctx.audit_entity_id = std::to_string(id);
  std::string base = "pay-run-" + std::to_string(id) + "-" + run.period.start.ToString();
  if (what == "csv") return Download(std::move(bytes), "text/csv; charset=utf-8", base + "-register.csv");
  if (what == "xlsx")
    return Download(std::move(bytes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", base + "-register.xlsx");
  return Download(std::move(bytes), "text/plain; charset=us-ascii", base + "-contractors.ach");
}

// A statement: the clinician's own (finalized runs only), or finance staff.
Result<StatementRow> LoadStatement(RouteContext& ctx, int64_t id) {
  struct Out { StatementRow st; PayRunSummary run; };
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::ReadValue<Out>(ctx.app.db, [&](storage::Session& s) -> Result<Out> {
    OPENMSO_ASSIGN_OR_RETURN(auto st, finance::GetStatement(s, PayStatementId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto run, finance::GetPayRun(s, st.run_id));
    return Out{std::move(st), std::move(run)};
  }));
  if (out.run.mso_id != ctx.who().mso_id) return Error::NotFound("The pay statement");
  if (ctx.who().role == identity::Role::kClinician) {
    if (ctx.who().clinician_id != out.st.clinician_id || out.run.status != "finalized")
      return Error::NotFound("The pay statement");
  } else if (!identity::RoleHas(ctx.who().role, identity::Permission::kFinanceRead)) {
    return Error::Forbidden("Pay statements are for finance staff and the clinician.");
  }
  ctx.audit_entity_type = "pay_statement";
  ctx.audit_entity_id = std::to_string(id);
  return out.st;
}

Result<Response> GetStatementHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "pay_statement_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto st, LoadStatement(ctx, id));
  return Json(StatementJson(st));
}

Result<Response> StatementPdfHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "pay_statement_id"));
  OPENMSO_TRY(LoadStatement(ctx, id));
  OPENMSO_ASSIGN_OR_RETURN(auto pdf, storage::ReadValue<std::string>(ctx.app.db, [&](storage::Session& s) {
    return finance::StatementPdf(s, PayStatementId(id));
  }));
  return Download(std::move(pdf), "application/pdf", "pay-statement-" + std::to_string(id) + ".pdf");
}

Result<Response> MyStatements(RouteContext& ctx) {
  if (!ctx.who().clinician_id) return Error::Forbidden("Only a clinician's own account has pay statements.");
  ClinicianId me = *ctx.who().clinician_id;
  OPENMSO_ASSIGN_OR_RETURN(auto rows, storage::ReadValue<std::vector<StatementRow>>(ctx.app.db, [&](storage::Session& s) {
    return finance::StatementsOf(s, me, 100);
  }));
  json::array items;
  for (const auto& s : rows) items.push_back(StatementJson(s));
  return Json(json::object{{"items", items}});
}

Result<Response> InstantPay(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "timesheet_id"));
  if (!ctx.who().clinician_id) return Error::Forbidden("Only the clinician asks for instant pay.");
  OPENMSO_ASSIGN_OR_RETURN(auto ip, finance::PayInstantly(ctx.app.db, TimesheetId(id), *ctx.who().clinician_id,
                                                          ctx.app.clock.Now(), AuditWith(ctx, "instant_payment")));
  return JsonResponse(201, json::object{{"id", ip.id},
                                        {"timesheet_id", ip.timesheet_id.value},
                                        {"gross_cents", ip.gross.cents()},
                                        {"fee_cents", ip.fee.cents()},
                                        {"paid_cents", ip.paid.cents()},
                                        {"trace_number", ip.trace_number},
                                        {"created_at", FormatInstant(ip.created_at)}});
}

// ---- Facility billing (issue 5, part 6) ------------------------------------------------------------

json::object AgreementJson(const billing::ServiceAgreement& a) {
  json::array card, holidays;
  for (const auto& e : a.rate_card) card.push_back(json::object{{"discipline", e.discipline}, {"bill_rate_cents", e.bill_rate.cents()}});
  for (const auto& d : a.holidays) holidays.push_back(json::value(d.ToString()));
  return {{"id", a.id.value},
          {"facility_id", a.facility_id.value},
          {"effective_from", a.effective_from.ToString()},
          {"effective_to", a.effective_to ? json::value(a.effective_to->ToString()) : json::value()},
          {"rate_card", card},
          {"overtime_multiplier_bp", a.overtime_multiplier_bp},
          {"holiday_multiplier_bp", a.holiday_multiplier_bp},
          {"overtime_rule", billing::OvertimeKindName(a.overtime.kind)},
          {"daily_threshold_hours", a.overtime.daily_threshold_hours},
          {"holidays", holidays},
          {"fee_percent_bp", a.fee.percent_bp},
          {"fee_flat_monthly_cents", a.fee.flat_monthly.cents()},
          {"fee_per_shift_cents", a.fee.per_shift.cents()},
          {"payment_terms_days", a.payment_terms_days}};
}

Result<Response> ListAgreementsHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<billing::ServiceAgreement>>(ctx.app.db, [&](storage::Session& s) {
    return finance::ListAgreements(s, FacilityId(fid));
  }));
  json::array items;
  for (const auto& a : list) items.push_back(AgreementJson(a));
  return Json(json::object{{"items", items}});
}

Result<Response> AddAgreementHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  billing::ServiceAgreement a;
  a.facility_id = FacilityId(fid);
  a.effective_from = r.OptionalDate("effective_from").value_or(Date{});
  if (!body.contains("effective_from")) r.AddError("effective_from", "required", "This field is required.");
  a.effective_to = r.OptionalDate("effective_to");
  if (const json::value* card = r.OptionalValue("rate_card")) {
    auto parsed = finance::RateCardFromJson(json::serialize(*card));
    if (parsed.ok()) a.rate_card = std::move(parsed).value();
    else for (const auto& f : parsed.error().fields) r.AddError(f.field, f.code, f.message);
  } else {
    r.AddError("rate_card", "required", "At least one discipline's bill rate.");
  }
  auto bp = [&](std::string_view k, int fallback) {
    return static_cast<int>(std::clamp<int64_t>(r.OptionalInt(k).value_or(fallback), -1, 1'000'000));
  };
  a.overtime_multiplier_bp = bp("overtime_multiplier_bp", 15000);
  a.holiday_multiplier_bp = bp("holiday_multiplier_bp", 15000);
  std::string rule = r.OptionalString("overtime_rule", 20).value_or("weekly");
  if (auto k = billing::ParseOvertimeKind(rule)) a.overtime.kind = *k;
  else r.AddError("overtime_rule", "unknown", "none, weekly or daily.");
  a.overtime.daily_threshold_hours = bp("daily_threshold_hours", 8);
  for (const auto& h : r.OptionalStringArray("holidays", 10)) {
    if (auto d = Date::Parse(h)) a.holidays.push_back(*d);
    else r.AddError("holidays", "invalid_date", "Holidays are dates, YYYY-MM-DD.");
  }
  a.fee.percent_bp = bp("fee_percent_bp", 0);
  a.fee.flat_monthly = r.OptionalMoney("fee_flat_monthly_cents").value_or(Money());
  a.fee.per_shift = r.OptionalMoney("fee_per_shift_cents").value_or(Money());
  a.payment_terms_days = bp("payment_terms_days", 30);
  if (auto v = billing::ValidateAgreement(a); !v.ok())
    for (const auto& f : v.error().fields) r.AddError(f.field, f.code, f.message);
  OPENMSO_TRY(r.Finish());
  OPENMSO_ASSIGN_OR_RETURN(auto stored, storage::WriteValue<billing::ServiceAgreement>(ctx.app.db, [&](storage::Session& s) -> Result<billing::ServiceAgreement> {
    OPENMSO_ASSIGN_OR_RETURN(auto out, finance::AddAgreement(s, ctx.who().mso_id, a, ctx.who().user_id, ctx.app.clock.Now()));
    OPENMSO_TRY(ctx.Audit(s, "service_agreement", std::to_string(out.id.value), FacilityId(fid)));
    return out;
  }));
  return JsonResponse(201, AgreementJson(stored));
}

json::object InvoiceJson(const finance::InvoiceRow& r) {
  const billing::Invoice& i = r.invoice;
  json::object o{{"id", r.id.value},
                 {"facility_id", i.facility_id.value},
                 {"facility_name", r.facility_name},
                 {"number", i.number.empty() ? json::value() : json::value(i.number)},
                 {"status", r.status},
                 {"period_from", i.period_from.ToString()},
                 {"period_to", i.period_to.ToString()},
                 {"issue_date", i.issue_date.ToString()},
                 {"due_date", i.due_date.ToString()},
                 {"payment_terms_days", i.payment_terms_days},
                 {"timesheets", r.timesheets},
                 {"labor_minutes", i.labor_minutes},
                 {"labor_subtotal_cents", i.labor_subtotal.cents()},
                 {"fee_total_cents", i.fee_total.cents()},
                 {"total_cents", i.total.cents()},
                 {"credits_cents", r.credits.cents()},
                 {"payments_cents", r.payments.cents()},
                 {"balance_cents", r.balance.cents()},
                 {"created_at", FormatInstant(r.created_at)},
                 {"finalized_at", r.finalized_at ? json::value(FormatInstant(*r.finalized_at)) : json::value()}};
  if (!i.lines.empty()) {
    json::array lines;
    for (const auto& l : i.lines)
      lines.push_back(json::object{{"line_no", l.line_no}, {"kind", billing::LineKindName(l.kind)}, {"rule_id", l.rule_id},
                                   {"timesheet_id", l.timesheet_id.value ? json::value(l.timesheet_id.value) : json::value()},
                                   {"clinician_id", l.clinician_id.value ? json::value(l.clinician_id.value) : json::value()},
                                   {"discipline", l.discipline},
                                   {"shift_start", l.timesheet_id.value ? json::value(FormatInstant(l.shift_start)) : json::value()},
                                   {"minutes", l.minutes}, {"quantity", l.quantity}, {"multiplier_bp", l.multiplier_bp},
                                   {"rate_cents", l.rate.cents()}, {"amount_cents", l.amount.cents()}});
    o["lines"] = lines;
    json::array memos, payments;
    for (const auto& m : r.credit_memos)
      memos.push_back(json::object{{"number", m.number}, {"issue_date", m.issue_date.ToString()}, {"reason", m.reason},
                                   {"total_cents", m.total.cents()}});
    for (const auto& p : r.payment_list)
      payments.push_back(json::object{{"received_on", p.received_on.ToString()}, {"amount_cents", p.amount.cents()},
                                      {"reference", p.reference}});
    o["credit_memos"] = memos;
    o["payments"] = payments;
  }
  return o;
}

Result<Response> GenerateInvoicesHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  auto from = r.OptionalDate("period_from");
  auto to = r.OptionalDate("period_to");
  if (!body.contains("period_from")) r.AddError("period_from", "required", "This field is required.");
  if (!body.contains("period_to")) r.AddError("period_to", "required", "This field is required.");
  auto facility = r.OptionalInt("facility_id");
  bool finalize = r.OptionalBool("finalize", false);
  if (from && to && *to <= *from) r.AddError("period_to", "not_after_from", "The period ends after it starts.");
  OPENMSO_TRY(r.Finish());
  std::optional<FacilityId> only;
  if (facility) only = FacilityId(*facility);
  auto progress = [&](std::string_view phase, int64_t done, int64_t total) {
    json::object o{{"type", "invoicing.progress"}, {"phase", phase}, {"done", done}, {"total", total}};
    ctx.app.events.Publish({ctx.who().mso_id, std::nullopt, ctx.who().user_id, json::serialize(o)});
  };
  OPENMSO_ASSIGN_OR_RETURN(auto rows, finance::GenerateInvoices(ctx.app.db, ctx.who().mso_id, *from, *to, only, finalize,
                                                                ctx.who().user_id, ctx.app.clock.Now(), progress,
                                                                AuditWith(ctx, "invoice")));
  json::array items;
  for (const auto& i : rows) items.push_back(InvoiceJson(i));
  return JsonResponse(201, json::object{{"items", items}});
}

Result<finance::InvoiceRow> LoadInvoice(RouteContext& ctx, int64_t id, bool lines) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, storage::ReadValue<finance::InvoiceRow>(ctx.app.db, [&](storage::Session& s) {
    return finance::GetInvoice(s, InvoiceId(id), lines);
  }));
  ctx.audit_entity_type = "invoice";
  ctx.audit_entity_id = std::to_string(id);
  ctx.audit_facility = row.invoice.facility_id;
  return row;
}

Result<Response> ListInvoicesHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto facility_param, QueryInt(ctx.req, "facility_id", 1, INT64_MAX));
  std::optional<FacilityId> facility;
  if (facility_param) facility = FacilityId(*facility_param);
  OPENMSO_ASSIGN_OR_RETURN(auto limit_param, QueryInt(ctx.req, "limit", 1, 1000));
  int64_t limit = limit_param.value_or(100);
  auto scope = identity::FacilityScope(ctx.who());
  OPENMSO_ASSIGN_OR_RETURN(auto rows, storage::ReadValue<std::vector<finance::InvoiceRow>>(ctx.app.db, [&](storage::Session& s) {
    return finance::ListInvoices(s, ctx.who().mso_id, scope, facility, static_cast<int>(limit));
  }));
  json::array items;
  for (const auto& i : rows) items.push_back(InvoiceJson(i));
  return Json(json::object{{"items", items}});
}

Result<Response> GetInvoiceHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "invoice_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto row, LoadInvoice(ctx, id, true));
  return Json(InvoiceJson(row));
}

Result<Response> FinalizeInvoiceHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "invoice_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto row, LoadInvoice(ctx, id, false));
  OPENMSO_ASSIGN_OR_RETURN(auto out, finance::FinalizeInvoice(ctx.app.db, InvoiceId(id), ctx.app.clock.Now(),
                                                              AuditWith(ctx, "invoice", row.invoice.facility_id)));
  return Json(InvoiceJson(out));
}

Result<Response> DiscardInvoiceHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "invoice_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto row, LoadInvoice(ctx, id, false));
  OPENMSO_ASSIGN_OR_RETURN(auto out, finance::DiscardInvoice(ctx.app.db, InvoiceId(id),
                                                             AuditWith(ctx, "invoice", row.invoice.facility_id)));
  return Json(InvoiceJson(out));
}

Result<Response> InvoicePdfHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "invoice_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto row, LoadInvoice(ctx, id, false));
  OPENMSO_ASSIGN_OR_RETURN(auto pdf, storage::ReadValue<std::string>(ctx.app.db, [&](storage::Session& s) {
    return finance::InvoicePdf(s, InvoiceId(id));
  }));
  std::string name = row.invoice.number.empty() ? "invoice-draft-" + std::to_string(id) : row.invoice.number;
  return Download(std::move(pdf), "application/pdf", name + ".pdf");
}

Result<Response> PaymentHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "invoice_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  billing::PaymentInput p;
  auto amount = r.OptionalInt("amount_cents");
  if (!body.contains("amount_cents")) r.AddError("amount_cents", "required", "This field is required.");
  p.amount = Money::Cents(amount.value_or(0));
  p.received_on = r.OptionalDate("received_on").value_or(ToLocal(ctx.app.clock.Now(), "UTC").date);
  p.reference = r.OptionalString("reference", 200).value_or("");
  p.overpayment_credit = r.OptionalBool("overpayment_credit", false);
  OPENMSO_TRY(r.Finish());
  OPENMSO_ASSIGN_OR_RETURN(auto row, LoadInvoice(ctx, id, false));
  OPENMSO_ASSIGN_OR_RETURN(auto out, finance::RecordPayment(ctx.app.db, InvoiceId(id), p, ctx.who().user_id,
                                                            ctx.app.clock.Now(),
                                                            AuditWith(ctx, "invoice", row.invoice.facility_id)));
  return Json(InvoiceJson(out));
}

Result<Response> CreditMemoHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "invoice_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  billing::Dispute d;
  d.reason = r.RequiredString("reason", 2000);
  d.issue_date = ToLocal(ctx.app.clock.Now(), "UTC").date;
  for (auto& item : r.RequiredObjectArray("items", 1000)) {
    billing::DisputeItem it;
    it.line_no = static_cast<int>(std::clamp<int64_t>(item.RequiredInt("line_no"), -1, 1'000'000));
    it.minutes = item.OptionalInt("minutes");
    if (auto a = item.OptionalInt("amount_cents")) it.amount = Money::Cents(*a);
    item.CheckUnknown();
    d.items.push_back(it);
  }
  OPENMSO_TRY(r.Finish());
  OPENMSO_ASSIGN_OR_RETURN(auto row, LoadInvoice(ctx, id, false));
  OPENMSO_ASSIGN_OR_RETURN(auto memo, finance::AddCreditMemo(ctx.app.db, InvoiceId(id), d, ctx.who().user_id,
                                                             ctx.app.clock.Now(),
                                                             AuditWith(ctx, "invoice", row.invoice.facility_id)));
  json::array lines;
  for (const auto& l : memo.lines)
    lines.push_back(json::object{{"credited_line_no", l.credited_line_no}, {"kind", billing::LineKindName(l.kind)},
                                 {"minutes", l.minutes}, {"amount_cents", l.amount.cents()}});
  return JsonResponse(201, json::object{{"number", memo.number}, {"invoice_number", memo.invoice_number},
                                        {"issue_date", memo.issue_date.ToString()}, {"reason", memo.reason},
                                        {"total_cents", memo.total.cents()}, {"lines", lines}});
}

Result<Response> AgingHandler(RouteContext& ctx) {
  Date as_of = ToLocal(ctx.app.clock.Now(), "UTC").date;
  if (auto v = ctx.req.Query("as_of")) {
    auto d = Date::Parse(*v);
    if (!d) return Error::Invalid("as_of", "invalid_date", "A date, YYYY-MM-DD.");
    as_of = *d;
  }
  auto scope = identity::FacilityScope(ctx.who());
  OPENMSO_ASSIGN_OR_RETURN(auto report, storage::ReadValue<billing::AgingReport>(ctx.app.db, [&](storage::Session& s) {
    return finance::ArAging(s, ctx.who().mso_id, as_of, scope);
  }));
  auto buckets = [](const billing::AgingBuckets& b) {
    return json::object{{"current_cents", b.current.cents()}, {"days_31_60_cents", b.days_31_60.cents()},
                        {"days_61_90_cents", b.days_61_90.cents()}, {"over_90_cents", b.over_90.cents()},
                        {"credits_cents", b.credits.cents()}, {"total_cents", b.total().cents()},
                        {"invoices", b.invoices}};
  };
  json::array facilities;
  for (const auto& f : report.facilities) {
    json::object o = buckets(f.buckets);
    o["facility_id"] = f.facility_id.value;
    facilities.push_back(o);
  }
  return Json(json::object{{"as_of", as_of.ToString()}, {"facilities", facilities}, {"totals", buckets(report.totals)}});
}

}  // namespace

void AddFinanceRoutes(Router& r) {
  using identity::Permission;
  const Access read{Auth::kSession, Permission::kFinanceRead};
  const Access payroll{Auth::kSession, Permission::kPayroll};
  const Access self{Auth::kSession, Permission::kSelf};
  r.Add({"GET", "/api/v1/pay-settings", "getPaySettings", read, "", GetPaySettingsHandler});
  r.Add({"PUT", "/api/v1/pay-settings", "putPaySettings", payroll, "pay_settings.update", PutPaySettingsHandler});
  r.Add({"GET", "/api/v1/clinicians/{clinician_id}/pay-terms", "getPayTerms", self, "clinician_pay.read", GetPayTerms});
  r.Add({"PUT", "/api/v1/clinicians/{clinician_id}/pay-terms", "putPayTerms", self, "clinician_pay.update", PutPayTerms});
  r.Add({"POST", "/api/v1/pay-runs", "createPayRun", payroll, "pay_run.create", CreatePayRunHandler});
  r.Add({"GET", "/api/v1/pay-runs", "listPayRuns", read, "", ListPayRunsHandler});
  r.Add({"GET", "/api/v1/pay-runs/{pay_run_id}", "getPayRun", read, "", GetPayRunHandler});
  r.Add({"GET", "/api/v1/pay-runs/{pay_run_id}/statements", "listPayRunStatements", read, "pay_run.statements.read",
         ListStatementsHandler});
  r.Add({"POST", "/api/v1/pay-runs/{pay_run_id}/finalize", "finalizePayRun", payroll, "pay_run.finalize", FinalizeHandler});
  r.Add({"POST", "/api/v1/pay-runs/{pay_run_id}/discard", "discardPayRun", payroll, "pay_run.discard", DiscardHandler});
  r.Add({"GET", "/api/v1/pay-runs/{pay_run_id}/register.csv", "getPayRunRegisterCsv", read, "pay_run.export",
         [](RouteContext& ctx) { return ExportHandler(ctx, "csv"); }});
  r.Add({"GET", "/api/v1/pay-runs/{pay_run_id}/register.xlsx", "getPayRunRegisterXlsx", read, "pay_run.export",
         [](RouteContext& ctx) { return ExportHandler(ctx, "xlsx"); }});
  r.Add({"GET", "/api/v1/pay-runs/{pay_run_id}/nacha", "getPayRunNacha", payroll, "pay_run.export",
         [](RouteContext& ctx) { return ExportHandler(ctx, "nacha"); }});
  r.Add({"GET", "/api/v1/pay-statements/{pay_statement_id}", "getPayStatement", self, "pay_statement.read",
         GetStatementHandler});
  r.Add({"GET", "/api/v1/pay-statements/{pay_statement_id}/pdf", "getPayStatementPdf", self, "pay_statement.read",
         StatementPdfHandler});
  r.Add({"GET", "/api/v1/me/pay-statements", "listMyPayStatements", {Auth::kSession, Permission::kShiftClaim}, "",
         MyStatements});
  r.Add({"POST", "/api/v1/timesheets/{timesheet_id}/instant-pay", "requestInstantPay",
         {Auth::kSession, Permission::kShiftClaim}, "instant_payment.create", InstantPay});
  const Access billing{Auth::kSession, Permission::kBilling};
  r.Add({"GET", "/api/v1/facilities/{facility_id}/service-agreements", "listServiceAgreements", read, "",
         ListAgreementsHandler});
  r.Add({"POST", "/api/v1/facilities/{facility_id}/service-agreements", "addServiceAgreement", billing,
         "service_agreement.create", AddAgreementHandler});
  r.Add({"POST", "/api/v1/invoices/generate", "generateInvoices", billing, "invoice.generate", GenerateInvoicesHandler});
  r.Add({"GET", "/api/v1/invoices", "listInvoices", read, "", ListInvoicesHandler});
  r.Add({"GET", "/api/v1/invoices/{invoice_id}", "getInvoice", read, "", GetInvoiceHandler});
  r.Add({"POST", "/api/v1/invoices/{invoice_id}/finalize", "finalizeInvoice", billing, "invoice.finalize",
         FinalizeInvoiceHandler});
  r.Add({"POST", "/api/v1/invoices/{invoice_id}/discard", "discardInvoice", billing, "invoice.discard",
         DiscardInvoiceHandler});
  r.Add({"GET", "/api/v1/invoices/{invoice_id}/pdf", "getInvoicePdf", read, "", InvoicePdfHandler});
  r.Add({"POST", "/api/v1/invoices/{invoice_id}/payments", "recordInvoicePayment", billing, "invoice.payment",
         PaymentHandler});
  r.Add({"POST", "/api/v1/invoices/{invoice_id}/credit-memos", "createCreditMemo", billing, "invoice.credit_memo",
         CreditMemoHandler});
  r.Add({"GET", "/api/v1/ar-aging", "getArAging", read, "", AgingHandler});
}

}  // namespace openmso::http
