// Authentication of requests and the one access policy the router consults for every
// route. Scope resolvers map a path parameter to the facility (and MSO) it belongs to;
// a module that adds routes with a new kind of id adds its resolver here.
#include <charconv>

#include "finance/finance.h"
#include "http/internal.h"
#include "storage/repo_screening.h"

namespace openmso::http {

Result<int64_t> PathId(const Request& req, std::string_view name) {
  auto it = req.path_params.find(std::string(name));
  if (it == req.path_params.end()) return Error::NotFound("The resource");
  int64_t v = 0;
  auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc() || p != it->second.data() + it->second.size() || v <= 0)
    return Error::NotFound("The resource");
  return v;
}

Result<std::optional<int64_t>> QueryInt(const Request& req, std::string_view name, int64_t min, int64_t max) {
  auto v = req.Query(name);
  if (!v) return std::optional<int64_t>();
  int64_t out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size() || out < min || out > max)
    return Error::Invalid(std::string(name), "invalid_value",
                          "Must be an integer from " + std::to_string(min) + " to " + std::to_string(max) + ".");
  return std::optional(out);
}

Result<Instant> QueryInstant(const Request& req, std::string_view name, Instant fallback) {
  auto v = req.Query(name);
  if (!v) return fallback;
  auto t = ParseInstant(*v);
  if (!t) return Error::Invalid(std::string(name), "invalid_instant", "An RFC 3339 instant, e.g. 2026-11-01T00:00:00Z.");
  return *t;
}

Result<Authenticated> Authenticate(AppContext& app, const Request& req) {
  std::string token;
  bool via_cookie = false;
  std::string_view auth = req.Header("authorization");
  if (auth.size() > 7 && (auth.substr(0, 7) == "Bearer " || auth.substr(0, 7) == "bearer ")) {
    token = std::string(auth.substr(7));
  } else if (auto c = req.Cookie(kSessionCookie)) {
    token = *c;
    via_cookie = true;
  }
  auto unauth = [](std::string type, std::string msg) {
    return Error::Make(ErrorCode::kUnauthenticated, std::move(type), std::move(msg));
  };
  if (token.empty() || token.size() > 200) return unauth("unauthenticated", "Sign in to continue.");
  std::string hash = identity::Sha256Hex(token);
  Instant now = app.clock.Now();
  std::optional<identity::SessionRecord> session;
  std::optional<identity::User> user;
  OPENMSO_TRY(app.db.Read([&](storage::Session& s) -> Result<void> {
    storage::SqlIdentityRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(session, repo.FindSession(hash));
    if (!session) return Ok();
    auto u = repo.GetUser(session->user_id);
    if (u.ok()) user = std::move(u).value();
    return Ok();
  }));
  if (!session || !user) return unauth("unauthenticated", "Sign in to continue.");
  if (!identity::SessionLive(*session, app.settings.session, now) || !user->active)
    return unauth("session-expired", "Your session has expired. Sign in again.");
  // Slide the idle window at most every 30 s so that reads do not all become writes.
  if (now - session->last_seen_at > std::chrono::seconds(30)) {
    OPENMSO_TRY(app.db.Write([&](storage::Session& s) -> Result<void> {
      return storage::SqlIdentityRepository(s).TouchSession(session->id, now);
    }));
  }
  Authenticated a;
  a.via_cookie = via_cookie;
  a.principal = identity::Principal{user->id, user->mso_id, user->role, user->facility_ids,
                                    user->clinician_id, session->id, session->csrf_token};
  return a;
}

namespace {

struct Scope {
  MsoId mso;
  std::optional<FacilityId> facility;
  std::optional<ClinicianId> clinician;  // the entity belongs to this clinician's file
  bool marketplace = false;  // a posted shift: every clinician of the MSO may reach it (MKT-ACCESS)
};

// Resolvers: path parameter name -> the scope of the entity it names.
Result<Scope> ResolveScope(storage::Session& s, std::string_view param, int64_t id) {
  storage::SqlOrgRepository org(s);
  if (param == "facility_id") {
    OPENMSO_ASSIGN_OR_RETURN(auto f, org.GetFacility(FacilityId(id)));
    return Scope{f.mso_id, f.id};
  }
  if (param == "unit_id") {
    OPENMSO_ASSIGN_OR_RETURN(auto u, org.GetUnit(UnitId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto f, org.GetFacility(u.facility_id));
    return Scope{f.mso_id, f.id};
  }
  if (param == "user_id") {
    OPENMSO_ASSIGN_OR_RETURN(auto u, storage::SqlIdentityRepository(s).GetUser(UserId(id)));
    return Scope{u.mso_id, std::nullopt};
  }
  if (param == "clinician_id") {
    OPENMSO_ASSIGN_OR_RETURN(auto c, org.GetClinician(ClinicianId(id)));
    return Scope{c.mso_id, c.home_facility_id, c.id};
  }
  if (param == "result_id") {  // a screening result: its clinician's MSO (credentialing staff only)
    OPENMSO_ASSIGN_OR_RETURN(auto r, storage::GetScreeningResult(s, id));
    return Scope{r.mso_id, std::nullopt};
  }
  if (param == "credential_id" || param == "document_id") {
    storage::SqlCredentialingRepository cred(s);
    CredentialId cid(id);
    if (param == "document_id") {
      OPENMSO_ASSIGN_OR_RETURN(auto d, cred.GetDocument(DocumentId(id)));
      cid = d.credential_id;
    }
    OPENMSO_ASSIGN_OR_RETURN(auto k, cred.GetCredential(cid));
    OPENMSO_ASSIGN_OR_RETURN(auto c, org.GetClinician(k.clinician_id));
    return Scope{c.mso_id, c.home_facility_id, c.id};
  }
  if (param == "shift_id") {
    OPENMSO_ASSIGN_OR_RETURN(auto sh, storage::SqlMarketplaceRepository(s).GetShift(ShiftId(id)));
    Scope scope{sh.mso_id, sh.facility_id, std::nullopt};
    scope.marketplace = true;
    return scope;
  }
  if (param == "claim_id") {
    storage::SqlMarketplaceRepository mkt(s);
    OPENMSO_ASSIGN_OR_RETURN(auto claim, mkt.GetClaim(ClaimId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto sh, mkt.GetShift(claim.shift_id));
    return Scope{sh.mso_id, sh.facility_id, claim.clinician_id};  // the claimant, or the shift's facility
  }
  if (param == "timesheet_id") {
    OPENMSO_ASSIGN_OR_RETURN(auto t, storage::SqlTimekeepingRepository(s).Get(TimesheetId(id)));
    return Scope{t.mso_id, t.facility_id, t.clinician_id};  // the clinician's own, or the facility's
  }
  if (param == "pay_run_id") {
    OPENMSO_ASSIGN_OR_RETURN(auto run, finance::GetPayRun(s, PayRunId(id)));
    return Scope{run.mso_id, std::nullopt};  // MSO-wide; the route's permission decides
  }
  if (param == "pay_statement_id") {
    OPENMSO_ASSIGN_OR_RETURN(auto st, finance::GetStatement(s, PayStatementId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto c, org.GetClinician(st.clinician_id));
    return Scope{c.mso_id, c.home_facility_id, c.id};  // the clinician's own, or finance staff (handler)
  }
  if (param == "invoice_id") {
    OPENMSO_ASSIGN_OR_RETURN(auto inv, finance::GetInvoice(s, InvoiceId(id), false));
    return Scope{inv.mso_id, inv.invoice.facility_id};
  }
  return Error::Internal("no scope resolver for path parameter " + std::string(param));
}

}  // namespace

Result<void> Authorize(AppContext& app, const Route& route, const identity::Principal& p,
                       const std::unordered_map<std::string, std::string>& params) {
  if (!identity::RoleHas(p.role, route.access.permission)) return Error::Forbidden();
  if (params.empty()) return Ok();
  return app.db.Read([&](storage::Session& s) -> Result<void> {
    for (const auto& [name, raw] : params) {
      int64_t id = 0;
      auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
      if (ec != std::errc() || ptr != raw.data() + raw.size() || id <= 0) return Error::NotFound("The resource");
      OPENMSO_ASSIGN_OR_RETURN(Scope scope, ResolveScope(s, name, id));
      if (scope.mso != p.mso_id) return Error::NotFound("The resource");
      // MKT-ACCESS: shifts are offered MSO-wide; the handler decides what a clinician may
      // see or do with one (eligibility), never another facility's manager.
      if (scope.marketplace && p.role == identity::Role::kClinician) continue;
      if (scope.clinician) {
        // A clinician may reach only their own file; others need a facility in scope,
        // or a role that sees every facility.
        if (p.role == identity::Role::kClinician) {
          if (!p.clinician_id || *p.clinician_id != *scope.clinician) return Error::NotFound("The resource");
          continue;
        }
        if (identity::SeesAllFacilities(p.role)) continue;
        if (!scope.facility || !identity::CanAccessFacility(p, *scope.facility, scope.mso))
          return Error::NotFound("The resource");
        continue;
      }
      if (scope.facility && !identity::CanAccessFacility(p, *scope.facility, scope.mso))
        return Error::NotFound("The resource");
    }
    return Ok();
  });
}

std::string SessionCookie(std::string_view token, bool secure, int64_t max_age) {
  return std::string(kSessionCookie) + "=" + std::string(token) + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age) + (secure ? "; Secure" : "");
}

std::string CsrfCookie(std::string_view csrf, bool secure, int64_t max_age) {
  return std::string(kCsrfCookie) + "=" + std::string(csrf) + "; Path=/; SameSite=Strict; Max-Age=" +
         std::to_string(max_age) + (secure ? "; Secure" : "");
}

}  // namespace openmso::http
