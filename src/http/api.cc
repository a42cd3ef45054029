// The request pipeline every request goes through, in order: route match, authentication,
// CSRF, the access policy, the handler, audit of denied/failed attempts, metrics.
// Static files of the web UI are served for paths outside /api.
#include <chrono>
#include <fstream>
#include <sstream>

#include "domain/audit/audit.h"
#include "http/internal.h"
#include "http/metrics.h"

namespace openmso::http {

audit::Event RequestEvent(const AppContext& app, const Request& req, std::optional<UserId> actor,
                          std::string_view role, std::string_view action, std::string_view outcome) {
  audit::Event e;
  e.at = app.clock.Now();
  e.actor_user_id = actor;
  e.actor_role = std::string(role);
  e.action = std::string(action);
  e.request_id = req.request_id;
  e.client_ip = req.client_ip;
  e.outcome = std::string(outcome);
  return e;
}

audit::Event RequestEvent(const AppContext& app, const Request& req,
                          const std::optional<identity::Principal>& who, std::string_view action,
                          std::string_view outcome) {
  if (!who) return RequestEvent(app, req, std::nullopt, "anonymous", action, outcome);
  return RequestEvent(app, req, who->user_id, identity::RoleName(who->role), action, outcome);
}

Result<void> AuditSystem(storage::Session& s, Instant at, std::string_view action, std::string_view entity_type,
                         std::string_view entity_id, std::optional<FacilityId> facility) {
  audit::Event e;
  e.at = at;
  e.actor_role = "system";
  e.action = std::string(action);
  e.entity_type = std::string(entity_type);
  e.entity_id = std::string(entity_id);
  e.facility_id = facility;
  e.outcome = "success";
  storage::SqlAuditRepository repo(s);
  OPENMSO_TRY(audit::Append(repo, std::move(e)));
  return Ok();
}

Result<void> RouteContext::Audit(storage::Session& s, std::string_view entity_type, std::string_view entity_id,
                                 std::optional<FacilityId> facility) {
  audit::Event e = RequestEvent(app, req, principal, audit_action, "success");
  e.entity_type = std::string(entity_type);
  e.entity_id = std::string(entity_id);
  e.facility_id = facility;
  storage::SqlAuditRepository repo(s);
  OPENMSO_TRY(audit::Append(repo, std::move(e)));
  audited = true;
  return Ok();
}

Api::Api(AppContext& app, Router router) : app_(app), router_(std::move(router)) {
  if (!app_.metrics) app_.metrics = std::make_shared<Metrics>();
}

namespace {

bool IsStateChanging(std::string_view m) { return m != "GET" && m != "HEAD" && m != "OPTIONS"; }

std::string OutcomeFor(int status) {
  if (status == 401 || status == 403) return "denied";
  if (status >= 500) return "error";
  if (status >= 400) return "invalid";
  return "success";
}

// Records an attempt that did not succeed, in its own transaction (the failed
// change itself was rolled back).
void AuditAttempt(AppContext& app, const Request& req, const std::optional<identity::Principal>& p,
                  std::string_view action, int status, const RouteContext* ctx = nullptr) {
  audit::Event e = RequestEvent(app, req, p, action, OutcomeFor(status));
  e.entity_type = "request";
  e.entity_id = req.method + " " + req.path;
  if (e.entity_id.size() > 200) e.entity_id.resize(200);
  if (ctx && !ctx->audit_entity_id.empty()) {
    e.entity_type = ctx->audit_entity_type;
    e.entity_id = ctx->audit_entity_id;
    e.facility_id = ctx->audit_facility;
  }
  auto r = app.db.Write([&](storage::Session& s) -> Result<void> {
    storage::SqlAuditRepository repo(s);
    OPENMSO_TRY(audit::Append(repo, e));
    return Ok();
  });
  if (!r.ok()) log::Error("audit append failed", {{"request_id", req.request_id}, {"detail", r.error().log_detail}});
}

void AddSecurityHeaders(Response& r, bool api) {
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (api) {
    r.headers.emplace_back("Cache-Control", "no-store");
  } else if (r.content_type.rfind("text/html", 0) == 0) {  // the policy matters for documents only
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                           "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
  }
}

}  // namespace

void Api::CountServerResponse(int status) { app_.metrics->Observe("server", "-", status, 0); }

Response Api::Handle(Request& req) {
  auto t0 = std::chrono::steady_clock::now();
  std::string label = "unmatched";
  Response resp;
  try {
    resp = Dispatch(req, label);
  } catch (const std::exception& ex) {
    log::Error("unhandled exception", {{"request_id", req.request_id}, {"what", ex.what()}});
    resp = ProblemResponse(Error::Internal(ex.what()), req.request_id);
  }
  resp.headers.emplace_back("X-Request-Id", req.request_id);
  AddSecurityHeaders(resp, req.path.rfind("/api/", 0) == 0);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  app_.metrics->Observe(label, req.method, resp.status, secs);
  if (resp.status >= 500) log::Error("request failed", {{"request_id", req.request_id}, {"route", label}, {"status", std::to_string(resp.status)}});
  return resp;
}

Response Api::Dispatch(Request& req, std::string& label) {
  bool is_api = req.path.rfind("/api/", 0) == 0 || req.path == "/healthz" || req.path == "/readyz" || req.path == "/metrics";
  auto match = router_.Find(req.method == "HEAD" ? "GET" : req.method, req.path);
  if (!match.route) {
    if (!is_api && (req.method == "GET" || req.method == "HEAD")) {
      label = "static";
      return ServeStatic(req);
    }
    if (!match.allowed_methods.empty()) {
      std::string allow;
      for (auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
      auto r = ProblemResponse(Error::Make(ErrorCode::kMethodNotAllowed, "method-not-allowed",
                                           "This resource does not support " + req.method + "."),
                               req.request_id);
      r.headers.emplace_back("Allow", allow);
      return r;
    }
    return ProblemResponse(Error::Make(ErrorCode::kNotFound, "not-found", "No such resource."), req.request_id);
  }
  const Route& route = *match.route;
  label = route.pattern;
  req.path_params = std::move(match.params);
  RouteContext ctx{req, app_, std::nullopt, route.audit_action};

  auto fail = [&](const Error& e) {
    Response r = ProblemResponse(e, req.request_id);
    bool denied = r.status == 401 || r.status == 403;
    // Failed changes and denied access by a signed-in user are audited; failed logins
    // audit themselves. Anonymous 401s are not: anyone could grow the trail without limit.
    if (!ctx.audited && route.access.auth == Auth::kSession && ctx.principal &&
        (denied || (IsStateChanging(req.method) && !route.audit_action.empty())))
      AuditAttempt(app_, req, ctx.principal, route.audit_action.empty() ? "access" : route.audit_action, r.status);
    if (e.code == ErrorCode::kInternal)
      log::Error("internal error", {{"request_id", req.request_id}, {"route", label}, {"detail", e.log_detail}});
    return r;
  };

  if (route.access.auth == Auth::kSession) {
    auto a = Authenticate(app_, req);
    if (!a.ok()) return fail(a.error());
    ctx.principal = a->principal;
    if (a->via_cookie && IsStateChanging(req.method)) {
      std::string_view sent = req.Header("x-csrf-token");
      if (sent.empty() || !identity::SecureEquals(sent, a->principal.csrf_token))
        return fail(Error::Make(ErrorCode::kPermissionDenied, "csrf-failed",
                                "Missing or wrong X-CSRF-Token header."));
    }
    if (auto z = Authorize(app_, route, *ctx.principal, req.path_params); !z.ok()) return fail(z.error());
  }

  Result<Response> out = route.handler(ctx);
  if (!out.ok()) return fail(out.error());
  // A successful change or personal-data read that the handler did not audit in its own
  // transaction is audited now (reads have no transaction to share).
  if (!route.audit_action.empty() && !ctx.audited) AuditAttempt(app_, req, ctx.principal, route.audit_action, out->status, &ctx);
  return std::move(out).value();
}

std::optional<identity::Principal> Api::AuthenticateUpgrade(const Request& req) {
  auto a = Authenticate(app_, req);
  if (!a.ok()) return std::nullopt;
  return a->principal;
}

namespace {
std::string_view MimeFor(std::string_view path) {
  auto dot = path.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "yaml") return "application/yaml";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

Response Api::ServeStatic(const Request& req) {
  const std::string& root = app_.settings.static_dir;
  auto not_found = [&] {
    return ProblemResponse(Error::Make(ErrorCode::kNotFound, "not-found", "No such resource."), req.request_id);
  };
  if (root.empty()) return not_found();
  std::string rel = req.path;
  if (rel.find("..") != std::string::npos || rel.find('\0') != std::string::npos) return not_found();
  if (rel.empty() || rel.back() == '/') rel += "index.html";
  std::optional<std::string> body;
  std::string served = rel;
  if (rel.find('.') != std::string::npos) body = ReadFile(root + rel);
  if (!body) {
    // SPA fallback: client-side routes get index.html; missing assets stay 404.
    if (rel.rfind("/assets/", 0) == 0) return not_found();
    served = "/index.html";
    body = ReadFile(root + served);
    if (!body) return not_found();
  }
  Response r;
  r.content_type = std::string(MimeFor(served));
  r.body = req.method == "HEAD" ? std::string() : std::move(*body);
  r.headers.emplace_back("Cache-Control", served.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace openmso::http
