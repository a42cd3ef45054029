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

Result<int64_t> QueryLimit(const Request& req, int64_t fallback, int64_t max) {
  auto v = req.Query("limit");
  if (!v) return fallback;
  int64_t n = 0;
  try { size_t used = 0; n = std::stoll(*v, &used); if (used != v->size()) n = 0; } catch (...) { n = 0; }
  if (n < 1 || n > max) return Error::Invalid("limit", "out_of_range", "limit is 1.." + std::to_string(max) + ".");
  return n;
}

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
  OPENMSO_ASSIGN_OR_RETURN(int64_t limit, QueryLimit(ctx.req, 50, 500));
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
}

}  // namespace openmso::http
