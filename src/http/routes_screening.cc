// Routes of exclusion screening and bulk onboarding (issue 3 parts 7 and 9): LEIE imports
// (text/csv or multipart, within the body limit; the full file goes through the CLI),
// screening runs, results with the list row beside the clinician, reviewers' decisions on
// possible matches, and the onboarding CSV. The pure work is src/domain/screening; the
// writes and their audit events share one transaction.
#include "http/internal.h"
#include "http/json_io.h"
#include "storage/repo_screening.h"
#include "storage/storage.h"

namespace openmso::http {
namespace {

json::value OptDate(const std::optional<Date>& d) { return d ? json::value(d->ToString()) : json::value(nullptr); }

json::object RunJson(const storage::ScreeningRunRow& r) {
  json::object o{{"id", r.id},
                 {"trigger", r.trigger},
                 {"list_sha256", r.list_sha256},
                 {"started_at", FormatInstant(r.started_at)},
                 {"clinicians", r.clinicians},
                 {"confirmed", r.confirmed},
                 {"possible", r.possible},
                 {"lifted", r.lifted}};
  o["list_id"] = r.list_id ? json::value(*r.list_id) : json::value(nullptr);
  return o;
}

json::object ResultJson(const storage::ScreeningResultRow& r) {
  json::object clinician{{"first_name", r.first_name}, {"last_name", r.last_name}, {"primary_state", r.primary_state}};
  clinician["date_of_birth"] = OptDate(r.date_of_birth);
  clinician["npi"] = r.npi ? json::value(*r.npi) : json::value(nullptr);
  boost::system::error_code ec;
  json::value entry = json::parse(r.entry_json, ec);
  json::object o{{"id", r.id},
                 {"run_id", r.run_id},
                 {"clinician_id", r.clinician_id.value},
                 {"match", r.match},
                 {"status", r.status},
                 {"reason", r.reason},
                 {"created_at", FormatInstant(r.created_at)},
                 {"clinician", clinician},
                 {"entry", ec ? json::value(json::object{}) : entry}};
  o["decided_by"] = r.decided_by ? json::value(r.decided_by->value) : json::value(nullptr);
  o["decided_at"] = r.decided_at ? json::value(FormatInstant(*r.decided_at)) : json::value(nullptr);
  return o;
}

// The CSV text of an upload: a text/csv body, or the first file part of a
// multipart/form-data body (RFC 7578). Errors: kUnsupportedMedia for any other type;
// kInvalidArgument for an empty body or a multipart body without a part.
Result<std::string> CsvBody(const Request& req) {
  std::string_view type = req.Header("content-type");
  auto lower = [](std::string_view s) {
    std::string o(s);
    for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return o;
  };
  std::string t = lower(type);
  if (req.body.empty()) return Error::Invalid("body", "required", "Send the CSV file as the request body.");
  if (t.starts_with("text/csv") || t.starts_with("text/plain")) return req.body;
  if (t.starts_with("multipart/form-data")) {
    size_t b = t.find("boundary=");
    if (b == std::string::npos) return Error::Invalid("body", "invalid_multipart", "The multipart body has no boundary.");
    std::string boundary(type.substr(b + 9));
    if (auto semi = boundary.find(';'); semi != std::string::npos) boundary.resize(semi);
    if (boundary.size() >= 2 && boundary.front() == '"') boundary = boundary.substr(1, boundary.size() - 2);
    const std::string delim = "--" + boundary;
    const std::string& body = req.body;
    size_t start = body.find(delim);
    if (start == std::string::npos) return Error::Invalid("body", "invalid_multipart", "The multipart body has no part.");
    size_t headers = start + delim.size();
    if (body.compare(headers, 2, "\r\n") == 0) headers += 2;
    size_t data = body.find("\r\n\r\n", headers);
    if (data == std::string::npos) return Error::Invalid("body", "invalid_multipart", "The multipart part has no headers end.");
    data += 4;
    size_t end = body.find("\r\n" + delim, data);
    if (end == std::string::npos) return Error::Invalid("body", "invalid_multipart", "The multipart part is not closed.");
    return body.substr(data, end - data);
  }
  return Error::Make(ErrorCode::kUnsupportedMedia, "unsupported-media-type",
                     "Send the file as text/csv or multipart/form-data.");
}

Result<Response> ImportList(RouteContext& ctx) {
  std::string kind_name = ctx.req.Query("kind").value_or("full");
  auto kind = screening::ParseLeieKind(kind_name);
  if (!kind) return Error::Invalid("kind", "invalid_value", "kind must be full, exclusions or reinstatements.");
  OPENMSO_ASSIGN_OR_RETURN(std::string csv, CsvBody(ctx.req));
  OPENMSO_ASSIGN_OR_RETURN(auto entries, screening::ParseLeie(csv, *kind));
  std::string sha = identity::Sha256Hex(csv);
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::WriteValue<storage::ExclusionImportRow>(ctx.app.db, [&](storage::Session& s)
                                                                                          -> Result<storage::ExclusionImportRow> {
    OPENMSO_ASSIGN_OR_RETURN(auto r, storage::ImportExclusions(s, *kind, entries, sha, ctx.who().user_id, ctx.app.clock.Now()));
    OPENMSO_TRY(ctx.Audit(s, "exclusion_list", std::to_string(r.list_id), std::nullopt));
    return r;
  }));
  return JsonResponse(201, json::object{{"list_id", out.list_id},
                                        {"kind", out.kind},
                                        {"sha256", out.sha256},
                                        {"rows", out.rows},
                                        {"active_entries", out.active_entries},
                                        {"run", RunJson(out.run)}});
}

Result<Response> RunNow(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto run, storage::WriteValue<storage::ScreeningRunRow>(ctx.app.db, [&](storage::Session& s)
                                                                                       -> Result<storage::ScreeningRunRow> {
    storage::ScreeningScope scope;
    scope.mso = ctx.who().mso_id;
    OPENMSO_ASSIGN_OR_RETURN(auto r, storage::ScreenClinicians(s, scope, "manual", ctx.who().user_id, ctx.app.clock.Now()));
    OPENMSO_TRY(ctx.Audit(s, "screening_run", std::to_string(r.id), std::nullopt));
    return r;
  }));
  return JsonResponse(201, RunJson(run));
}

Result<Response> ListRuns(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto limit, QueryInt(ctx.req, "limit", 1, 500));
  OPENMSO_ASSIGN_OR_RETURN(auto runs, storage::ReadValue<std::vector<storage::ScreeningRunRow>>(ctx.app.db, [&](storage::Session& s) {
    return storage::ListScreeningRuns(s, ctx.who().mso_id, static_cast<int>(limit.value_or(50)));
  }));
  json::array items;
  for (const auto& r : runs) items.push_back(RunJson(r));
  return Json(json::object{{"items", items}});
}

Result<Response> ListResults(RouteContext& ctx) {
  std::string status = ctx.req.Query("status").value_or("");
  if (!status.empty() && status != "possible" && status != "confirmed" && status != "dismissed" && status != "lifted")
    return Error::Invalid("status", "invalid_value", "status must be possible, confirmed, dismissed or lifted.");
  OPENMSO_ASSIGN_OR_RETURN(auto limit, QueryInt(ctx.req, "limit", 1, 500));
  OPENMSO_ASSIGN_OR_RETURN(auto clinician, QueryInt(ctx.req, "clinician_id", 1, INT64_MAX));
  std::optional<ClinicianId> cid;
  if (clinician) cid = ClinicianId(*clinician);
  OPENMSO_ASSIGN_OR_RETURN(auto rows, storage::ReadValue<std::vector<storage::ScreeningResultRow>>(ctx.app.db, [&](storage::Session& s) {
    return storage::ListScreeningResults(s, ctx.who().mso_id, status, cid, static_cast<int>(limit.value_or(100)));
  }));
  json::array items;
  for (const auto& r : rows) items.push_back(ResultJson(r));
  // Reading match details is a read of personal data (compliance.md §4).
  ctx.audit_entity_type = "screening_result";
  ctx.audit_entity_id = cid ? "clinician:" + std::to_string(cid->value) : "*";
  return Json(json::object{{"items", items}});
}

Result<Response> Decide(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "result_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  std::string decision = r.RequiredString("decision", 20);
  std::string reason = r.RequiredString("reason", 1000);
  if (!decision.empty() && decision != "confirm" && decision != "dismiss")
    r.AddError("decision", "invalid_value", "decision must be confirm or dismiss.");
  OPENMSO_TRY(r.Finish());
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::WriteValue<storage::ScreeningResultRow>(ctx.app.db, [&](storage::Session& s)
                                                                                         -> Result<storage::ScreeningResultRow> {
    OPENMSO_ASSIGN_OR_RETURN(auto res, storage::DecideScreeningResult(s, id, decision == "confirm", reason,
                                                                     ctx.who().user_id, ctx.app.clock.Now()));
    OPENMSO_TRY(ctx.Audit(s, "screening_result", std::to_string(id), std::nullopt));
    return res;
  }));
  return Json(ResultJson(out));
}

// ---- Bulk onboarding (issue 3 part 9) ---------------------------------------------------------

Result<Response> ImportClinicians(RouteContext& ctx) {
  std::string valid_only_text = ctx.req.Query("valid_only").value_or("false");
  if (valid_only_text != "true" && valid_only_text != "false")
    return Error::Invalid("valid_only", "invalid_value", "valid_only must be true or false.");
  OPENMSO_ASSIGN_OR_RETURN(std::string csv, CsvBody(ctx.req));
  const Date today = Date::FromDaysSinceEpoch(ToUnixMillis(ctx.app.clock.Now()) / 86'400'000);
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::WriteValue<storage::OnboardingImportRow>(ctx.app.db, [&](storage::Session& s)
                                                                                          -> Result<storage::OnboardingImportRow> {
    OPENMSO_ASSIGN_OR_RETURN(auto known, storage::SqlCredentialingRepository(s).ListDisciplines());
    OPENMSO_ASSIGN_OR_RETURN(auto file, screening::ParseOnboarding(csv, known, today));
    OPENMSO_ASSIGN_OR_RETURN(auto r, storage::ImportOnboarding(s, ctx.who().mso_id, file, valid_only_text == "true",
                                                               ctx.app.clock.Now()));
    for (ClinicianId c : r.clinician_ids) OPENMSO_TRY(ctx.Audit(s, "clinician", std::to_string(c.value), std::nullopt));
    return r;
  }));
  json::array ids, errors;
  for (ClinicianId c : out.clinician_ids) ids.push_back(json::value(c.value));
  for (const auto& e : out.errors) errors.push_back(json::object{{"field", e.field}, {"code", e.code}, {"message", e.message}});
  json::object o{{"clinicians_created", static_cast<int64_t>(out.clinician_ids.size())},
                 {"credentials_created", out.credentials_created},
                 {"clinician_ids", ids},
                 {"errors", errors}};
  o["screening"] = out.screening ? json::value(RunJson(*out.screening)) : json::value(nullptr);
  return JsonResponse(201, o);
}

}  // namespace

// SCREEN-MONTHLY: screens every clinician once per UTC calendar month when a list is
// loaded; returns the run's new confirmed + possible matches, or -1 when not due.
Result<int> RunMonthlyScreening(AppContext& app) {
  return storage::WriteValue<int>(app.db, [&](storage::Session& s) -> Result<int> {
    Instant now = app.clock.Now();
    OPENMSO_ASSIGN_OR_RETURN(bool due, storage::MonthlyScreeningDue(s, now));
    if (!due) return -1;
    OPENMSO_ASSIGN_OR_RETURN(auto run, storage::ScreenClinicians(s, storage::ScreeningScope{}, "monthly", std::nullopt, now));
    OPENMSO_TRY(AuditSystem(s, now, "screening.monthly", "screening_run", std::to_string(run.id), std::nullopt));
    return static_cast<int>(run.confirmed + run.possible);
  });
}

void AddScreeningRoutes(Router& r) {
  using identity::Permission;
  const Access staff{Auth::kSession, Permission::kCredentialing};
  r.Add({"POST", "/api/v1/screening/imports", "importExclusionList", staff, "screening.import", ImportList});
  r.Add({"GET", "/api/v1/screening/runs", "listScreeningRuns", staff, "", ListRuns});
  r.Add({"POST", "/api/v1/screening/runs", "runScreening", staff, "screening.run", RunNow});
  r.Add({"GET", "/api/v1/screening/results", "listScreeningResults", staff, "screening.results.read", ListResults});
  r.Add({"POST", "/api/v1/screening/results/{result_id}/decision", "decideScreeningResult", staff, "screening.decide", Decide});
  r.Add({"POST", "/api/v1/clinicians/import", "importClinicians", staff, "clinician.import", ImportClinicians});
}

}  // namespace openmso::http
