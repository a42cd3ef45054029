// Routes of the credentialing module: clinician profiles, credentials, the verification
// queue, requirement profiles, compliance status, expiry lists and credential documents.
// Each handler decodes, calls the domain, encodes; the access policy already ran (a
// clinician reaches only their own records, a manager only their facilities' staff).
#include <algorithm>
#include <charconv>
#include <map>

#include "http/internal.h"
#include "http/json_io.h"
#include "storage/repo_screening.h"

namespace openmso::http {
namespace {

using namespace credentialing;

json::value DateJson(const std::optional<Date>& d) { return d ? json::value(d->ToString()) : json::value(nullptr); }

json::object ProfileJson(const Profile& p) {
  json::array disciplines, specialties;
  for (const auto& d : p.draft.disciplines) disciplines.push_back(json::value(d));
  for (const auto& s : p.draft.specialties) specialties.push_back(json::value(s));
  json::object o{{"id", p.id.value},
                 {"email", p.email},
                 {"first_name", p.draft.first_name},
                 {"last_name", p.draft.last_name},
                 {"phone", p.draft.phone},
                 {"date_of_birth", DateJson(p.draft.date_of_birth)},
                 {"home", {{"latitude", p.draft.home.latitude}, {"longitude", p.draft.home.longitude}}},
                 {"travel_radius_km", p.draft.travel_radius_km},
                 {"disciplines", disciplines},
                 {"specialties", specialties},
                 {"employment_type", p.draft.employment_type},
                 {"employment_class", p.draft.employment_class},
                 {"primary_state", p.draft.primary_state},
                 {"status", StatusName(p.status)},
                 {"status_reason", p.status_reason}};
  o["npi"] = p.draft.npi ? json::value(*p.draft.npi) : json::value(nullptr);
  o["home_facility_id"] = p.home_facility_id ? json::value(p.home_facility_id->value) : json::value(nullptr);
  return o;
}

json::object CredentialJson(const Credential& c) {
  const CredentialDraft& d = c.draft;
  json::object o{{"id", c.id.value},
                 {"clinician_id", c.clinician_id.value},
                 {"kind", KindName(d.kind)},
                 {"type_code", d.type_code},
                 {"jurisdiction", d.jurisdiction},
                 {"number", d.number},
                 {"multistate", d.multistate},
                 {"issued_on", DateJson(d.issued_on)},
                 {"expires_on", DateJson(d.expires_on)},
                 {"issuer", d.issuer},
                 {"verification", VerificationName(c.verification)},
                 {"verification_reason", c.verification_reason},
                 {"verification_source", c.verification_source}};
  o["verified_by"] = c.verified_by ? json::value(c.verified_by->value) : json::value(nullptr);
  o["verified_at"] = c.verified_at ? json::value(FormatInstant(*c.verified_at)) : json::value(nullptr);
  return o;
}

json::object DocumentJson(const CredentialDocument& d) {
  json::object o{{"id", d.id.value},
                 {"credential_id", d.credential_id.value},
                 {"sha256", d.sha256},
                 {"content_type", d.content_type},
                 {"size_bytes", d.size_bytes},
                 {"file_name", d.file_name},
                 {"uploaded_at", FormatInstant(d.uploaded_at)}};
  o["uploaded_by"] = d.uploaded_by ? json::value(d.uploaded_by->value) : json::value(nullptr);
  return o;
}

json::object RequirementsJson(const RequirementProfile& p) {
  json::array items;
  for (const auto& it : p.items) {
    json::object o{{"kind", KindName(it.kind)}, {"type_code", it.type_code}, {"in_facility_state", it.in_facility_state}};
    o["max_age_days"] = it.max_age_days ? json::value(*it.max_age_days) : json::value(nullptr);
    items.push_back(o);
  }
  return {{"facility_id", p.facility_id.value}, {"discipline", p.discipline}, {"items", items}};
}

// The current UTC date (validation and MSO-wide lists; compliance uses the facility's zone).
Date Today(RouteContext& ctx) { return Date::FromDaysSinceEpoch(ToUnixMillis(ctx.app.clock.Now()) / 86'400'000); }

// ---- Profile ------------------------------------------------------------------------------

Result<Response> ListDisciplines(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<Discipline>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlCredentialingRepository(s).ListDisciplines();
  }));
  json::array items;
  for (const auto& d : list)
    items.push_back(json::object{{"code", d.code}, {"name", d.name}, {"nlc_eligible", d.nlc_eligible}, {"proof", KindName(d.proof)}});
  return Json(json::object{{"items", items}});
}

void AuditPersonalRead(RouteContext& ctx, std::string_view type, int64_t id, std::optional<FacilityId> f) {
  ctx.audit_entity_type = std::string(type);
  ctx.audit_entity_id = std::to_string(id);
  ctx.audit_facility = f;
}

Result<Response> GetProfile(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "clinician_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto p, storage::ReadValue<Profile>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlCredentialingRepository(s).GetProfile(ClinicianId(id));
  }));
  AuditPersonalRead(ctx, "clinician", id, p.home_facility_id);
  return Json(ProfileJson(p));
}

Result<Response> UpdateProfile(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "clinician_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  ProfileDraft d;
  d.first_name = r.RequiredString("first_name", 100);
  d.last_name = r.RequiredString("last_name", 100);
  d.phone = r.OptionalString("phone", 40).value_or("");
  d.date_of_birth = r.OptionalDate("date_of_birth");
  BodyReader home = r.RequiredObject("home");
  d.home.latitude = home.RequiredNumber("latitude");
  d.home.longitude = home.RequiredNumber("longitude");
  home.CheckUnknown();
  d.travel_radius_km = r.RequiredInt("travel_radius_km");
  d.disciplines = r.OptionalStringArray("disciplines", 20);
  d.specialties = r.OptionalStringArray("specialties", 60);
  d.employment_type = r.RequiredString("employment_type", 30);
  d.employment_class = r.RequiredString("employment_class", 10);
  d.npi = r.OptionalString("npi", 10);
  d.primary_state = r.OptionalString("primary_state", 2).value_or("");
  OPENMSO_TRY(r.Finish());
  OPENMSO_ASSIGN_OR_RETURN(auto p, storage::WriteValue<Profile>(ctx.app.db, [&](storage::Session& s) -> Result<Profile> {
    storage::SqlCredentialingRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(auto known, repo.ListDisciplines());
    OPENMSO_TRY(ValidateProfile(d, known, Today(ctx)));
    OPENMSO_ASSIGN_OR_RETURN(auto before, repo.GetProfile(ClinicianId(id)));
    // ACCESS-CLINICIAN-WRITE: employment terms are the MSO's to set, not the clinician's.
    if (ctx.who().role == identity::Role::kClinician) {
      FieldErrors errs;
      if (d.employment_type != before.draft.employment_type)
        errs.Add("employment_type", "read_only", "Only credentialing staff can change the employment type.");
      if (d.employment_class != before.draft.employment_class)
        errs.Add("employment_class", "read_only", "Only credentialing staff can change the employment class.");
      if (!errs.empty()) return errs.ToError();
    }
    OPENMSO_TRY(repo.UpdateProfile(ClinicianId(id), d, ctx.app.clock.Now()));
    OPENMSO_TRY(ctx.Audit(s, "clinician", std::to_string(id), before.home_facility_id));
    // SCREEN-AT-ONBOARDING: a new or changed NPI, name or date of birth is screened at
    // once against the loaded exclusion list (none loaded yet: nothing to screen against).
    if (d.npi != before.draft.npi || d.first_name != before.draft.first_name || d.last_name != before.draft.last_name ||
        d.date_of_birth != before.draft.date_of_birth) {
      storage::ScreeningScope scope;
      scope.clinicians = std::vector<ClinicianId>{ClinicianId(id)};
      auto run = storage::ScreenClinicians(s, scope, "onboarding", ctx.who().user_id, ctx.app.clock.Now());
      if (!run.ok() && run.error().type != "no-exclusion-list") return run.error();
    }
    return repo.GetProfile(ClinicianId(id));
  }));
  return Json(ProfileJson(p));
}

std::string NotificationPayload(const json::object& o) { return json::serialize(o); }

Result<Response> ChangeStatus(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "clinician_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  std::string status = r.RequiredString("status", 20);
  std::string reason = r.OptionalString("reason", 1000).value_or("");
  auto to = ParseStatus(status);
  if (!status.empty() && !to) r.AddError("status", "invalid_value", "Unknown status.");
  OPENMSO_TRY(r.Finish());
  OPENMSO_ASSIGN_OR_RETURN(auto p, storage::WriteValue<Profile>(ctx.app.db, [&](storage::Session& s) -> Result<Profile> {
    storage::SqlCredentialingRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(auto before, repo.GetProfile(ClinicianId(id)));
    OPENMSO_TRY(CheckTransition(before.status, *to, reason));
    Instant now = ctx.app.clock.Now();
    OPENMSO_TRY(repo.SetStatus(ClinicianId(id), *to, reason, now));
    OPENMSO_ASSIGN_OR_RETURN(auto user, repo.UserOfClinician(ClinicianId(id)));
    OPENMSO_TRY(repo.QueueNotification(before.mso_id, user, ClinicianId(id), "clinician.status_changed",
                                       NotificationPayload({{"status", status}, {"reason", reason}}), now));
    OPENMSO_TRY(ctx.Audit(s, "clinician", std::to_string(id), before.home_facility_id));
    return repo.GetProfile(ClinicianId(id));
  }));
  return Json(ProfileJson(p));
}

// ---- Credentials ----------------------------------------------------------------------

Result<CredentialDraft> DecodeCredential(const Request& req) {
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  BodyReader r(body);
  CredentialDraft d;
  std::string kind = r.RequiredString("kind", 30);
  if (auto k = ParseKind(kind)) d.kind = *k;
  else if (!kind.empty()) r.AddError("kind", "invalid_value", "Kind must be license, certification, health or background_check.");
  d.type_code = r.RequiredString("type_code", 20);
  d.jurisdiction = r.OptionalString("jurisdiction", 2).value_or("");
  d.number = r.OptionalString("number", 60).value_or("");
  d.multistate = r.OptionalBool("multistate", false);
  d.issued_on = r.OptionalDate("issued_on");
  d.expires_on = r.OptionalDate("expires_on");
  d.issuer = r.OptionalString("issuer", 200).value_or("");
  OPENMSO_TRY(r.Finish());
  return d;
}

// CRED-HEALTH-SEPARATE (cred.md §3, compliance.md §1): health records (TB tests,
// vaccinations) are confidential employment medical records, kept as their own kind and
// shown only to the clinician and to credentialing staff and MSO admins; a facility
// manager or an auditor sees the compliance summary ("compliant until"), not the records.
bool SeesHealthRecords(const identity::Principal& p) {
  return p.role == identity::Role::kClinician || p.role == identity::Role::kCredentialing ||
         p.role == identity::Role::kMsoAdmin;
}

Result<void> CheckHealthAccess(RouteContext& ctx, const Credential& c) {
  if (c.draft.kind == CredentialKind::kHealth && !SeesHealthRecords(ctx.who())) return Error::NotFound("The credential");
  return Ok();
}

Result<Response> ListCredentials(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "clinician_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<Credential>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlCredentialingRepository(s).ListCredentials(ClinicianId(id));
  }));
  json::array items;
  for (const auto& c : list)
    if (CheckHealthAccess(ctx, c).ok()) items.push_back(CredentialJson(c));
  AuditPersonalRead(ctx, "clinician", id, std::nullopt);
  return Json(json::object{{"items", items}});
}

Result<Response> CreateCredential(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "clinician_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto d, DecodeCredential(ctx.req));
  OPENMSO_ASSIGN_OR_RETURN(auto c, storage::WriteValue<Credential>(ctx.app.db, [&](storage::Session& s) -> Result<Credential> {
    storage::SqlCredentialingRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(auto known, repo.ListDisciplines());
    OPENMSO_TRY(ValidateCredential(d, known, Today(ctx)));
    OPENMSO_ASSIGN_OR_RETURN(CredentialId cid, repo.CreateCredential(ClinicianId(id), d, ctx.app.clock.Now()));
    OPENMSO_TRY(ctx.Audit(s, "credential", std::to_string(cid.value), std::nullopt));
    return repo.GetCredential(cid);
  }));
  Response r = JsonResponse(201, CredentialJson(c));
  r.headers.emplace_back("Location", "/api/v1/credentials/" + std::to_string(c.id.value));
  return r;
}

Result<Response> GetCredential(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "credential_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto c, storage::ReadValue<Credential>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlCredentialingRepository(s).GetCredential(CredentialId(id));
  }));
  OPENMSO_TRY(CheckHealthAccess(ctx, c));
  AuditPersonalRead(ctx, "credential", id, std::nullopt);
  return Json(CredentialJson(c));
}

Result<Response> UpdateCredential(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "credential_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto d, DecodeCredential(ctx.req));
  OPENMSO_ASSIGN_OR_RETURN(auto c, storage::WriteValue<Credential>(ctx.app.db, [&](storage::Session& s) -> Result<Credential> {
    storage::SqlCredentialingRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(auto known, repo.ListDisciplines());
    OPENMSO_TRY(ValidateCredential(d, known, Today(ctx)));
    // An edited credential goes back to the verification queue (CRED-VERIFIED-ONLY).
    OPENMSO_TRY(repo.UpdateCredential(CredentialId(id), d, ctx.app.clock.Now()));
    OPENMSO_TRY(ctx.Audit(s, "credential", std::to_string(id), std::nullopt));
    return repo.GetCredential(CredentialId(id));
  }));
  return Json(CredentialJson(c));
}

Result<Response> DeleteCredential(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "credential_id"));
  OPENMSO_TRY(ctx.app.db.Write([&](storage::Session& s) -> Result<void> {
    OPENMSO_TRY(storage::SqlCredentialingRepository(s).DeleteCredential(CredentialId(id)));
    return ctx.Audit(s, "credential", std::to_string(id), std::nullopt);
  }));
  return NoContent();
}

// ---- Verification queue (issue 3, part 6) ------------------------------------------------

Result<Response> VerificationQueue(RouteContext& ctx) {
  int limit = 100;
  if (auto l = ctx.req.Query("limit")) {
    try { limit = std::stoi(*l); } catch (...) { limit = 0; }
    if (limit < 1 || limit > 500) return Error::Invalid("limit", "out_of_range", "limit must be 1 to 500.");
  }
  OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<Credential>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlCredentialingRepository(s).ListPending(ctx.who().mso_id, limit);
  }));
  json::array items;
  for (const auto& c : list) items.push_back(CredentialJson(c));
  ctx.audit_entity_type = "credential";
  ctx.audit_entity_id = "*";
  return Json(json::object{{"items", items}});
}

Result<Response> DecideVerification(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "credential_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  std::string decision = r.RequiredString("decision", 20);
  std::string reason = r.OptionalString("reason", 1000).value_or("");
  std::string source = r.OptionalString("source", 200).value_or("");
  if (!decision.empty() && decision != "approve" && decision != "reject")
    r.AddError("decision", "invalid_value", "Decision must be approve or reject.");
  if (decision == "reject" && reason.empty()) r.AddError("reason", "required", "A rejection needs a reason the clinician can read.");
  if (decision == "approve" && source.empty()) r.AddError("source", "required", "Name the primary source (e.g. Nursys).");
  OPENMSO_TRY(r.Finish());
  Verification v = decision == "approve" ? Verification::kVerified : Verification::kRejected;
  OPENMSO_ASSIGN_OR_RETURN(auto c, storage::WriteValue<Credential>(ctx.app.db, [&](storage::Session& s) -> Result<Credential> {
    storage::SqlCredentialingRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(auto before, repo.GetCredential(CredentialId(id)));
    if (before.verification != Verification::kPending)
      return Error::Conflict("already-decided", "This credential was already " + std::string(VerificationName(before.verification)) + ".");
    Instant now = ctx.app.clock.Now();
    OPENMSO_TRY(repo.RecordVerification(CredentialId(id), v, reason, source, ctx.who().user_id, now));
    OPENMSO_ASSIGN_OR_RETURN(auto profile, repo.GetProfile(before.clinician_id));
    OPENMSO_ASSIGN_OR_RETURN(auto user, repo.UserOfClinician(before.clinician_id));
    OPENMSO_TRY(repo.QueueNotification(profile.mso_id, user, before.clinician_id, "credential.verification_decided",
                                       NotificationPayload({{"credential_id", id},
                                                            {"type_code", before.draft.type_code},
                                                            {"decision", VerificationName(v)},
                                                            {"reason", reason}}),
                                       now));
    OPENMSO_TRY(ctx.Audit(s, "credential", std::to_string(id), profile.home_facility_id));
    return repo.GetCredential(CredentialId(id));
  }));
  return Json(CredentialJson(c));
}

// ---- Requirements ----------------------------------------------------------------------

Result<Response> ListRequirements(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<RequirementProfile>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlCredentialingRepository(s).ListRequirements(FacilityId(fid));
  }));
  json::array items;
  for (const auto& p : list) items.push_back(RequirementsJson(p));
  return Json(json::object{{"items", items}});
}

Result<Response> ReplaceRequirements(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  RequirementProfile p{FacilityId(fid), r.RequiredString("discipline", 20), {}};
  for (auto& item : r.RequiredObjectArray("items", 50)) {
    RequirementItem it;
    std::string kind = item.RequiredString("kind", 30);
    if (auto k = ParseKind(kind)) it.kind = *k;
    else if (!kind.empty()) item.AddError("kind", "invalid_value", "Kind must be license, certification, health or background_check.");
    it.type_code = item.RequiredString("type_code", 20);
    it.in_facility_state = item.OptionalBool("in_facility_state", false);
    if (auto age = item.OptionalInt("max_age_days")) it.max_age_days = static_cast<int>(std::clamp<int64_t>(*age, -1, 100000));
    item.CheckUnknown();
    p.items.push_back(std::move(it));
  }
  OPENMSO_TRY(r.Finish());
  OPENMSO_TRY(ValidateRequirements(p.items));
  OPENMSO_TRY(ctx.app.db.Write([&](storage::Session& s) -> Result<void> {
    storage::SqlCredentialingRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(auto known, repo.ListDisciplines());
    bool found = std::any_of(known.begin(), known.end(), [&](const Discipline& d) { return d.code == p.discipline; });
    if (!found) return Error::Invalid("discipline", "unknown_discipline", "Unknown discipline.");
    OPENMSO_TRY(repo.ReplaceRequirements(p, ctx.app.clock.Now()));
    return ctx.Audit(s, "requirements", std::to_string(fid) + ":" + p.discipline, FacilityId(fid));
  }));
  return Json(RequirementsJson(p));
}

// ---- Compliance (CRED-COMPLIANCE) ----------------------------------------------------------

Result<int64_t> QueryId(const Request& req, std::string_view name) {
  auto v = req.Query(name);
  if (!v) return Error::Invalid(std::string(name), "required", "This query parameter is required.");
  try {
    size_t used = 0;
    long long x = std::stoll(*v, &used);
    if (used == v->size() && x > 0) return static_cast<int64_t>(x);
  } catch (...) {
  }
  return Error::Invalid(std::string(name), "invalid_value", "Must be a positive integer.");
}

Result<Response> GetCompliance(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "clinician_id"));
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, QueryId(ctx.req, "facility_id"));
  std::optional<Date> on;
  if (auto d = ctx.req.Query("date")) {
    on = Date::Parse(*d);
    if (!on) return Error::Invalid("date", "invalid_date", "Must be a real calendar date, YYYY-MM-DD.");
  }
  int window = 30;
  if (auto w = ctx.req.Query("window_days")) {
    try { window = std::stoi(*w); } catch (...) { window = -1; }
    if (window < 0 || window > 365) return Error::Invalid("window_days", "out_of_range", "window_days must be 0 to 365.");
  }
  std::optional<std::string> discipline_code = ctx.req.Query("discipline");
  struct Out { ComplianceResult result; std::string discipline; Date on; FacilityId facility; std::optional<FacilityId> home; };
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::ReadValue<Out>(ctx.app.db, [&](storage::Session& s) -> Result<Out> {
    storage::SqlCredentialingRepository repo(s);
    storage::SqlOrgRepository org(s);
    // The facility asked about must be one the caller may see; a clinician may ask about
    // any facility of their MSO (ACCESS-FACILITY-SCOPE).
    auto f = org.GetFacility(FacilityId(fid));
    if (!f.ok() || f->mso_id != ctx.who().mso_id ||
        (ctx.who().role != identity::Role::kClinician && !identity::CanAccessFacility(ctx.who(), f->id, f->mso_id)))
      return Error::NotFound("The facility");
    OPENMSO_ASSIGN_OR_RETURN(auto profile, repo.GetProfile(ClinicianId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto known, repo.ListDisciplines());
    std::string code = discipline_code.value_or(profile.draft.disciplines.empty() ? "" : profile.draft.disciplines[0]);
    auto disc = std::find_if(known.begin(), known.end(), [&](const Discipline& d) { return d.code == code; });
    if (disc == known.end()) return Error::Invalid("discipline", "unknown_discipline", "Unknown discipline.");
    OPENMSO_ASSIGN_OR_RETURN(auto creds, repo.ListCredentials(ClinicianId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto reqs, repo.GetRequirements(FacilityId(fid), code));
    ComplianceInput in;
    in.clinician_status = profile.status;
    in.clinician_disciplines = profile.draft.disciplines;
    in.primary_state = profile.draft.primary_state;
    in.discipline = &*disc;
    in.known = &known;
    in.facility_state = f->address.state;
    // CRED-EXPIRY-INCLUSIVE: "today" is the facility's local date.
    in.on = on.value_or(ToLocal(ctx.app.clock.Now(), f->time_zone).date);
    in.window_days = window;
    in.credentials = &creds;
    in.requirements = reqs ? &*reqs : nullptr;
    // MKT-ELIG-EXCLUDED / CRED-COMPLIANCE: a confirmed exclusion-list match.
    OPENMSO_ASSIGN_OR_RETURN(in.excluded, storage::SqlMarketplaceRepository(s).IsExcluded(ClinicianId(id)));
    return Out{EvaluateCompliance(in), code, in.on, f->id, profile.home_facility_id};
  }));
  json::array reasons;
  for (const auto& r : out.result.reasons) {
    json::object o{{"code", r.code}, {"requirement", r.requirement}, {"message", r.message}};
    o["credential_id"] = r.credential_id ? json::value(r.credential_id->value) : json::value(nullptr);
    o["expires_on"] = DateJson(r.expires_on);
    reasons.push_back(o);
  }
  AuditPersonalRead(ctx, "clinician", id, out.facility);
  return Json(json::object{{"clinician_id", id},
                           {"facility_id", out.facility.value},
                           {"discipline", out.discipline},
                           {"date", out.on.ToString()},
                           {"window_days", window},
                           {"status", ComplianceName(out.result.status)},
                           {"compliant_until", DateJson(out.result.compliant_until)},
                           {"reasons", reasons}});
}

// ---- Facility compliance summary (CRED-COMPLIANCE) ---------------------------------
// Who could work at a facility (issue 3 part 10): its own staff, the float pool, and per-diem
// clinicians whose travel radius reaches it (the distance rule of MKT-ELIG-DISTANCE).
bool CouldWorkAt(const Profile& p, const org::Facility& f) {
  if (p.home_facility_id == f.id) return true;
  if (p.draft.employment_type == "float_pool") return true;
  if (p.draft.employment_type == "per_diem" && p.draft.home.valid())
    return DistanceMeters(p.draft.home, f.location) / 1000.0 <= static_cast<double>(p.draft.travel_radius_km);
  return false;
}

Result<int> QueryWindowDays(const Request& req) {
  auto w = req.Query("window_days");
  if (!w) return 30;
  int x = 0;
  auto [ptr, ec] = std::from_chars(w->data(), w->data() + w->size(), x);
  if (ec != std::errc() || ptr != w->data() + w->size() || x < 0 || x > 365)
    return Error::Invalid("window_days", "out_of_range", "window_days must be an integer from 0 to 365.");
  return x;
}

// GET /facilities/{facility_id}/compliance: every active clinician of the MSO who could work
// at the facility and one of whose disciplines (the first in their list) has a requirement
// profile there, with EvaluateCompliance's verdict for that discipline on the facility's
// local date. One read per table (profiles, discipline lists, credentials, exclusions).
Result<Response> GetFacilityCompliance(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  std::optional<Date> on;
  if (auto d = ctx.req.Query("date")) {
    on = Date::Parse(*d);
    if (!on) return Error::Invalid("date", "invalid_date", "Must be a real calendar date, YYYY-MM-DD.");
  }
  OPENMSO_ASSIGN_OR_RETURN(int window, QueryWindowDays(ctx.req));
  struct Item { Profile profile; std::string discipline; ComplianceResult result; };
  struct Out { Date on; std::vector<Item> items; };
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::ReadValue<Out>(ctx.app.db, [&](storage::Session& s) -> Result<Out> {
    storage::SqlCredentialingRepository repo(s);
    // The router's policy already checked the facility's scope (ACCESS-FACILITY-SCOPE).
    OPENMSO_ASSIGN_OR_RETURN(auto f, storage::SqlOrgRepository(s).GetFacility(FacilityId(fid)));
    OPENMSO_ASSIGN_OR_RETURN(auto known, repo.ListDisciplines());
    OPENMSO_ASSIGN_OR_RETURN(auto profiles, repo.ListRequirements(f.id));
    OPENMSO_ASSIGN_OR_RETURN(auto clinicians, repo.ListActiveProfiles(f.mso_id));
    OPENMSO_ASSIGN_OR_RETURN(auto creds, repo.ListActiveCredentials(f.mso_id));
    OPENMSO_ASSIGN_OR_RETURN(auto excluded, repo.ListActiveExcluded(f.mso_id));
    Out o;
    // CRED-EXPIRY-INCLUSIVE: "today" is the facility's local date.
    o.on = on.value_or(ToLocal(ctx.app.clock.Now(), f.time_zone).date);
    std::map<int64_t, std::vector<Credential>> by_clinician;
    for (auto& c : creds) by_clinician[c.clinician_id.value].push_back(std::move(c));
    const std::vector<Credential> none;
    for (auto& p : clinicians) {
      if (!CouldWorkAt(p, f)) continue;
      const RequirementProfile* req = nullptr;
      for (const auto& code : p.draft.disciplines) {
        auto it = std::find_if(profiles.begin(), profiles.end(), [&](const RequirementProfile& r) { return r.discipline == code; });
        if (it != profiles.end()) { req = &*it; break; }
      }
      if (!req) continue;
      auto disc = std::find_if(known.begin(), known.end(), [&](const Discipline& d) { return d.code == req->discipline; });
      if (disc == known.end()) continue;
      auto mine = by_clinician.find(p.id.value);
      ComplianceInput in;
      in.clinician_status = p.status;
      in.clinician_disciplines = p.draft.disciplines;
      in.primary_state = p.draft.primary_state;
      in.discipline = &*disc;
      in.known = &known;
      in.facility_state = f.address.state;
      in.on = o.on;
      in.window_days = window;
      in.credentials = mine == by_clinician.end() ? &none : &mine->second;
      in.requirements = req;
      in.excluded = std::find(excluded.begin(), excluded.end(), p.id) != excluded.end();
      ComplianceResult result = EvaluateCompliance(in);
      o.items.push_back({std::move(p), req->discipline, std::move(result)});
    }
    return o;
  }));
  int64_t counts[3] = {0, 0, 0};
  json::array items;
  for (const auto& it : out.items) {
    ++counts[static_cast<int>(it.result.status)];
    json::array reasons;
    for (const auto& r : it.result.reasons) {
      json::object o{{"code", r.code}, {"requirement", r.requirement}, {"message", r.message}};
      o["credential_id"] = r.credential_id ? json::value(r.credential_id->value) : json::value(nullptr);
      o["expires_on"] = DateJson(r.expires_on);
      reasons.push_back(o);
    }
    items.push_back(json::object{{"clinician_id", it.profile.id.value},
                                 {"name", it.profile.draft.first_name + " " + it.profile.draft.last_name},
                                 {"discipline", it.discipline},
                                 {"employment_type", it.profile.draft.employment_type},
                                 {"status", ComplianceName(it.result.status)},
                                 {"compliant_until", DateJson(it.result.compliant_until)},
                                 {"reasons", reasons}});
  }
  // One audit event for the read of the facility's clinicians' compliance (personal data).
  AuditPersonalRead(ctx, "facility", fid, FacilityId(fid));
  return Json(json::object{{"facility_id", fid},
                           {"date", out.on.ToString()},
                           {"window_days", window},
                           {"counts", json::object{{"compliant", counts[static_cast<int>(ComplianceStatus::kCompliant)]},
                                                   {"expiring", counts[static_cast<int>(ComplianceStatus::kExpiring)]},
                                                   {"non_compliant", counts[static_cast<int>(ComplianceStatus::kNonCompliant)]}}},
                           {"items", items}});
}

// ---- Expiry list (CRED-EXPIRY-ALERT) -------------------------------------------------------

Result<Response> ListExpiring(RouteContext& ctx) {
  int within = 30;
  if (auto w = ctx.req.Query("within_days")) {
    try { within = std::stoi(*w); } catch (...) { within = -1; }
    if (within < 0 || within > 365) return Error::Invalid("within_days", "out_of_range", "within_days must be 0 to 365.");
  }
  Date today = Today(ctx);
  Date to = Date::FromDaysSinceEpoch(today.DaysSinceEpoch() + within);
  OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<Credential>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlCredentialingRepository(s).ListExpiring(ctx.who().mso_id, today, to, 1000);
  }));
  json::array items;
  for (const auto& c : list) {
    json::object o = CredentialJson(c);
    o["days_left"] = c.draft.expires_on->DaysSinceEpoch() - today.DaysSinceEpoch();
    items.push_back(o);
  }
  ctx.audit_entity_type = "credential";
  ctx.audit_entity_id = "*";
  return Json(json::object{{"from", today.ToString()}, {"to", to.ToString()}, {"items", items}});
}

// ---- Documents (issue 3, part 3; CRED-DOC-SNIFF) ------------------------------------------

// The upload is the raw request body (no multipart), at most the server's body limit
// (1 MiB by default; larger bodies get 413 before the handler runs). The media type is
// sniffed from the bytes; the Content-Type header and file name are never trusted.
Result<Response> UploadDocument(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "credential_id"));
  const std::string& bytes = ctx.req.body;
  if (bytes.empty()) return Error::Make(ErrorCode::kInvalidArgument, "empty-document", "The request body is empty; send the file's bytes.");
  if (bytes.size() > ctx.app.settings.body_limit_bytes)
    return Error::Make(ErrorCode::kPayloadTooLarge, "document-too-large",
                       "Documents may be at most " + std::to_string(ctx.app.settings.body_limit_bytes) + " bytes.");
  auto type = SniffDocumentType(bytes);
  if (!type)
    return Error::Make(ErrorCode::kUnsupportedMedia, "unsupported-document-type",
                       "Only PDF, JPEG and PNG files are accepted; the content is none of these.");
  std::string name = ctx.req.Query("file_name").value_or("");
  if (name.size() > 200 || name.find_first_of(std::string("/\\\0", 3)) != std::string::npos)
    return Error::Invalid("file_name", "invalid_value", "A file name of at most 200 characters without path separators.");
  OPENMSO_ASSIGN_OR_RETURN(std::string sha, storage::BlobStore(ctx.app.settings.data_dir).Put(bytes));
  CredentialDocument d;
  d.credential_id = CredentialId(id);
  d.sha256 = sha;
  d.content_type = *type;
  d.size_bytes = static_cast<int64_t>(bytes.size());
  d.file_name = name;
  d.uploaded_by = ctx.who().user_id;
  d.uploaded_at = ctx.app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(auto doc, storage::WriteValue<CredentialDocument>(ctx.app.db, [&](storage::Session& s) -> Result<CredentialDocument> {
    storage::SqlCredentialingRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(DocumentId did, repo.InsertDocument(d));
    OPENMSO_TRY(ctx.Audit(s, "document", std::to_string(did.value), std::nullopt));
    return repo.GetDocument(did);
  }));
  Response r = JsonResponse(201, DocumentJson(doc));
  r.headers.emplace_back("Location", "/api/v1/documents/" + std::to_string(doc.id.value));
  return r;
}

Result<Response> ListDocuments(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "credential_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<CredentialDocument>>(ctx.app.db, [&](storage::Session& s)
                                                                                            -> Result<std::vector<CredentialDocument>> {
    storage::SqlCredentialingRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(auto c, repo.GetCredential(CredentialId(id)));
    OPENMSO_TRY(CheckHealthAccess(ctx, c));  // CRED-HEALTH-SEPARATE
    return repo.ListDocuments(CredentialId(id));
  }));
  json::array items;
  for (const auto& d : list) items.push_back(DocumentJson(d));
  return Json(json::object{{"items", items}});
}

// Downloads are audited (compliance.md §4: downloads of credential files).
Result<Response> DownloadDocument(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "document_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto d, storage::ReadValue<CredentialDocument>(ctx.app.db, [&](storage::Session& s) -> Result<CredentialDocument> {
    storage::SqlCredentialingRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(auto doc, repo.GetDocument(DocumentId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto c, repo.GetCredential(doc.credential_id));
    OPENMSO_TRY(CheckHealthAccess(ctx, c));  // CRED-HEALTH-SEPARATE
    return doc;
  }));
  OPENMSO_ASSIGN_OR_RETURN(std::string bytes, storage::BlobStore(ctx.app.settings.data_dir).Get(d.sha256));
  AuditPersonalRead(ctx, "document", id, std::nullopt);
  Response r;
  r.content_type = d.content_type;
  r.body = std::move(bytes);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"document-" + std::to_string(id) +
                                                    (d.content_type == "application/pdf" ? ".pdf" : d.content_type == "image/png" ? ".png" : ".jpg") + "\"");
  return r;
}

}  // namespace

void AddCredentialingRoutes(Router& r) {
  using identity::Permission;
  const Access read{Auth::kSession, Permission::kClinicianRead};
  const Access write{Auth::kSession, Permission::kClinicianWrite};
  const Access staff{Auth::kSession, Permission::kCredentialing};
  r.Add({"GET", "/api/v1/disciplines", "listDisciplines", {Auth::kSession, Permission::kSelf}, "", ListDisciplines});
  r.Add({"GET", "/api/v1/clinicians/{clinician_id}/profile", "getClinicianProfile", read, "clinician.profile.read", GetProfile});
  r.Add({"PUT", "/api/v1/clinicians/{clinician_id}/profile", "updateClinicianProfile", write, "clinician.profile.update", UpdateProfile});
  r.Add({"POST", "/api/v1/clinicians/{clinician_id}/status", "changeClinicianStatus", staff, "clinician.status.change", ChangeStatus});
  r.Add({"GET", "/api/v1/clinicians/{clinician_id}/credentials", "listCredentials", read, "credential.list", ListCredentials});
  r.Add({"POST", "/api/v1/clinicians/{clinician_id}/credentials", "createCredential", write, "credential.create", CreateCredential});
  r.Add({"GET", "/api/v1/clinicians/{clinician_id}/compliance", "getClinicianCompliance", read, "clinician.compliance.read", GetCompliance});
  r.Add({"GET", "/api/v1/facilities/{facility_id}/compliance", "getFacilityCompliance", read, "facility.compliance.read", GetFacilityCompliance});
  r.Add({"GET", "/api/v1/credentials/{credential_id}", "getCredential", read, "credential.read", GetCredential});
  r.Add({"PUT", "/api/v1/credentials/{credential_id}", "updateCredential", write, "credential.update", UpdateCredential});
  r.Add({"DELETE", "/api/v1/credentials/{credential_id}", "deleteCredential", write, "credential.delete", DeleteCredential});
  r.Add({"POST", "/api/v1/credentials/{credential_id}/verification", "decideCredentialVerification", staff, "credential.verify", DecideVerification});
  r.Add({"POST", "/api/v1/credentials/{credential_id}/documents", "uploadCredentialDocument", write, "document.upload", UploadDocument});
  r.Add({"GET", "/api/v1/credentials/{credential_id}/documents", "listCredentialDocuments", read, "", ListDocuments});
  r.Add({"GET", "/api/v1/documents/{document_id}", "downloadDocument", read, "document.download", DownloadDocument});
  r.Add({"GET", "/api/v1/verification-queue", "listVerificationQueue", staff, "credential.queue.read", VerificationQueue});
  r.Add({"GET", "/api/v1/credential-expiries", "listExpiringCredentials", staff, "credential.expiries.read", ListExpiring});
  r.Add({"GET", "/api/v1/facilities/{facility_id}/requirements", "listFacilityRequirements", {Auth::kSession, Permission::kFacilityRead}, "", ListRequirements});
  r.Add({"PUT", "/api/v1/facilities/{facility_id}/requirements", "replaceFacilityRequirements", staff, "requirements.update", ReplaceRequirements});
  AddScreeningRoutes(r);
}

}  // namespace openmso::http
