// Sign-in, sign-out and the current session. Login verifies argon2id hashes on the
// worker pool (never on I/O threads), throttles per client address and locks an account
// for a while after repeated failures (IDENT-LOCKOUT).
#include <deque>

#include "domain/audit/audit.h"
#include "http/internal.h"
#include "http/json_io.h"

namespace openmso::http {
namespace {

// Per-address sliding window of login attempts (IDENT-THROTTLE-IP).
class IpThrottle {
 public:
  bool Allow(const std::string& ip, Instant now, int per_minute) {
    std::lock_guard l(mu_);
    auto& q = hits_[ip];
    while (!q.empty() && now - q.front() > std::chrono::minutes(1)) q.pop_front();
    if (static_cast<int>(q.size()) >= per_minute) return false;
    q.push_back(now);
    if (hits_.size() > 100000) hits_.clear();  // bound memory under a spray of addresses
    return true;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::deque<Instant>> hits_;
};

IpThrottle& Throttle() {
  static IpThrottle t;
  return t;
}

// Spent on unknown emails so that response time does not reveal which emails exist.
const std::string& DummyHash() {
  static const std::string h = identity::HashPassword(identity::NewToken());
  return h;
}

Result<void> AppendAudit(storage::Session& s, RouteContext& ctx, std::optional<UserId> user,
                         std::string_view role, std::string_view outcome, std::string_view entity_id) {
  audit::Event e = RequestEvent(ctx.app, ctx.req, user, role, "auth.login", outcome);
  e.entity_type = "session";
  e.entity_id = std::string(entity_id);
  storage::SqlAuditRepository repo(s);
  OPENMSO_TRY(audit::Append(repo, std::move(e)));
  ctx.audited = true;
  return Ok();
}

json::object SessionJson(const identity::User& u, const identity::SessionRecord& s, const identity::SessionPolicy& p) {
  return json::object{{"csrf_token", s.csrf_token},
                      {"expires_at", FormatInstant(s.expires_at)},
                      {"idle_expires_at", FormatInstant(identity::IdleExpiry(s, p))},
                      {"user", json::parse(UserJson(u))}};
}

Result<Response> Login(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  std::string email_raw = r.RequiredString("email", 254);
  std::string password = r.RequiredString("password", 256);
  OPENMSO_TRY(r.Finish());
  AppContext& app = ctx.app;
  Instant now = app.clock.Now();
  auto too_many = Error::Make(ErrorCode::kRateLimited, "too-many-attempts",
                              "Too many sign-in attempts. Wait a few minutes and try again.");
  if (!Throttle().Allow(ctx.req.client_ip, now, app.settings.ip_login_attempts_per_minute)) return too_many;
  auto invalid = Error::Make(ErrorCode::kUnauthenticated, "invalid-credentials", "Wrong email or password.");
  auto email = identity::NormalizeEmail(email_raw);
  std::optional<identity::UserCredentials> creds;
  if (email) {
    OPENMSO_TRY(app.db.Read([&](storage::Session& s) -> Result<void> {
      OPENMSO_ASSIGN_OR_RETURN(creds, storage::SqlIdentityRepository(s).FindByEmail(*email));
      return Ok();
    }));
  }
  if (!creds) {
    identity::VerifyPassword(password, DummyHash());
    OPENMSO_TRY(app.db.Write([&](storage::Session& s) { return AppendAudit(s, ctx, std::nullopt, "anonymous", "failure", "-"); }));
    return invalid;
  }
  const auto& policy = app.settings.session;
  std::string role(identity::RoleName(creds->user.role));
  if (creds->locked_until > now) {
    OPENMSO_TRY(app.db.Write([&](storage::Session& s) { return AppendAudit(s, ctx, creds->user.id, role, "locked", "-"); }));
    return too_many;
  }
  bool good = identity::VerifyPassword(password, creds->password_hash) && creds->user.active;
  if (!good) {
    OPENMSO_TRY(app.db.Write([&](storage::Session& s) -> Result<void> {
      // Re-read the counter inside the write so concurrent failures all count.
      storage::SqlIdentityRepository repo(s);
      OPENMSO_ASSIGN_OR_RETURN(auto fresh, repo.FindByEmail(*email));
      int64_t failed = (fresh ? fresh->failed_logins : creds->failed_logins) + 1;
      Instant locked = failed >= policy.max_failed_logins ? now + policy.lockout : Instant();
      OPENMSO_TRY(repo.SetLoginFailures(creds->user.id, failed >= policy.max_failed_logins ? 0 : failed, locked));
      return AppendAudit(s, ctx, creds->user.id, role, failed >= policy.max_failed_logins ? "locked" : "failure", "-");
    }));
    return invalid;
  }
  std::string token = identity::NewToken();
  identity::SessionRecord session;
  session.user_id = creds->user.id;
  session.csrf_token = identity::NewToken();
  session.created_at = session.last_seen_at = now;
  session.expires_at = now + policy.absolute_lifetime;
  OPENMSO_TRY(app.db.Write([&](storage::Session& s) -> Result<void> {
    storage::SqlIdentityRepository repo(s);
    OPENMSO_TRY(repo.SetLoginFailures(creds->user.id, 0, Instant()));
    OPENMSO_ASSIGN_OR_RETURN(session.id, repo.CreateSession(creds->user.id, identity::Sha256Hex(token),
                                                            session.csrf_token, now, session.expires_at));
    return AppendAudit(s, ctx, creds->user.id, role, "success", std::to_string(session.id));
  }));
  json::object out = SessionJson(creds->user, session, policy);
  out["token"] = token;
  Response resp = Json(out);
  int64_t max_age = std::chrono::duration_cast<std::chrono::seconds>(policy.absolute_lifetime).count();
  resp.headers.emplace_back("Set-Cookie", SessionCookie(token, ctx.req.tls, max_age));
  resp.headers.emplace_back("Set-Cookie", CsrfCookie(session.csrf_token, ctx.req.tls, max_age));
  return resp;
}

Result<Response> Logout(RouteContext& ctx) {
  Instant now = ctx.app.clock.Now();
  OPENMSO_TRY(ctx.app.db.Write([&](storage::Session& s) -> Result<void> {
    OPENMSO_TRY(storage::SqlIdentityRepository(s).RevokeSession(ctx.who().session_id, now));
    return ctx.Audit(s, "session", std::to_string(ctx.who().session_id), std::nullopt);
  }));
  Response r = NoContent();
  r.headers.emplace_back("Set-Cookie", SessionCookie("", ctx.req.tls, 0));
  r.headers.emplace_back("Set-Cookie", CsrfCookie("", ctx.req.tls, 0));
  return r;
}

Result<Response> CurrentSession(RouteContext& ctx) {
  // The pipeline has just validated this session; report its user and windows.
  static constexpr storage::Statement kById{"auth.session_by_id",
                                            "SELECT expires_at, last_seen_at FROM sessions WHERE id = ?"};
  identity::User user;
  identity::SessionRecord rec;
  rec.csrf_token = ctx.who().csrf_token;
  OPENMSO_TRY(ctx.app.db.Read([&](storage::Session& s) -> Result<void> {
    OPENMSO_ASSIGN_OR_RETURN(user, storage::SqlIdentityRepository(s).GetUser(ctx.who().user_id));
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kById, {ctx.who().session_id}));
    Instant now = ctx.app.clock.Now();
    rec.expires_at = row ? FromUnixMillis(row->Int(0)) : now + ctx.app.settings.session.absolute_lifetime;
    rec.last_seen_at = row ? FromUnixMillis(row->Int(1)) : now;
    return Ok();
  }));
  return Json(SessionJson(user, rec, ctx.app.settings.session));
}

Result<Response> Me(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto user, storage::ReadValue<identity::User>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlIdentityRepository(s).GetUser(ctx.who().user_id);
  }));
  ctx.audit_entity_type = "user";
  ctx.audit_entity_id = std::to_string(user.id.value);
  return Json(json::parse(UserJson(user)));
}

}  // namespace

bool AllowAnonymousAttempt(const Request& req, const AppContext& app) {
  return Throttle().Allow(req.client_ip, app.clock.Now(), app.settings.ip_login_attempts_per_minute);
}

std::string UserJson(const identity::User& u) {
  json::array facilities;
  for (auto f : u.facility_ids) facilities.push_back(f.value);
  json::object o{{"id", u.id.value},       {"email", u.email},
                 {"display_name", u.display_name}, {"role", identity::RoleName(u.role)},
                 {"facility_ids", facilities}, {"active", u.active}};
  o["clinician_id"] = u.clinician_id ? json::value(u.clinician_id->value) : json::value(nullptr);
  return json::serialize(o);
}

void AddAuthRoutes(Router& r) {
  using identity::Permission;
  r.Add({"POST", "/api/v1/auth/login", "login", {Auth::kPublic, Permission::kSelf}, "", Login});
  r.Add({"POST", "/api/v1/auth/logout", "logout", {Auth::kSession, Permission::kSelf}, "auth.logout", Logout});
  r.Add({"GET", "/api/v1/auth/session", "getSession", {Auth::kSession, Permission::kSelf}, "", CurrentSession});
  r.Add({"GET", "/api/v1/me", "getMe", {Auth::kSession, Permission::kSelf}, "user.read", Me});
}

}  // namespace openmso::http
