// Operational routes: liveness, readiness (the database answers), Prometheus metrics and
// the OpenAPI document; and BuildRouter, the one place that lists every module's routes.
#include "http/internal.h"
#include "http/json_io.h"
#include "http/metrics.h"

namespace openmso::http {

extern const char* const kOpenApiYaml;  // generated from docs/openapi.yaml at build time

namespace {

Result<Response> Healthz(RouteContext&) {
  Response r;
  r.content_type = "application/json";
  r.body = R"({"status":"ok"})";
  return r;
}

Result<Response> Readyz(RouteContext& ctx) {
  if (auto p = ctx.app.db.Ping(); !p.ok())
    return Error::Make(ErrorCode::kUnavailable, "not-ready", "The database is not reachable.", p.error().log_detail);
  return Json(json::object{{"status", "ready"}, {"version", ctx.app.version}});
}

Result<Response> MetricsText(RouteContext& ctx) {
  Response r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = ctx.app.metrics->Render(ctx.app.db.Stats());
  return r;
}

Result<Response> OpenApi(RouteContext&) {
  Response r;
  r.content_type = "application/yaml";
  r.body = kOpenApiYaml;
  return r;
}

// Reached only by a plain GET: the server upgrades real WebSocket requests before routing.
Result<Response> LiveEventsWithoutUpgrade(RouteContext&) {
  return Error::Make(ErrorCode::kInvalidArgument, "websocket-required",
                     "This endpoint speaks WebSocket; send an Upgrade request.");
}

}  // namespace

void AddSystemRoutes(Router& r) {
  using identity::Permission;
  r.Add({"GET", "/healthz", "healthz", {Auth::kPublic, Permission::kSelf}, "", Healthz});
  r.Add({"GET", "/readyz", "readyz", {Auth::kPublic, Permission::kSelf}, "", Readyz});
  r.Add({"GET", "/metrics", "metrics", {Auth::kPublic, Permission::kSelf}, "", MetricsText});
  r.Add({"GET", "/api/openapi.yaml", "openapi", {Auth::kPublic, Permission::kSelf}, "", OpenApi});
  r.Add({"GET", "/api/v1/events", "liveEvents", {Auth::kSession, Permission::kSelf}, "", LiveEventsWithoutUpgrade});
}

Router BuildRouter() {
  Router r;
  AddSystemRoutes(r);
  AddAuthRoutes(r);
  AddOrgRoutes(r);
  AddUserRoutes(r);
  AddAuditRoutes(r);
  AddCredentialingRoutes(r);
  AddMarketplaceRoutes(r);
  AddTimekeepingRoutes(r);
  AddFinanceRoutes(r);
  AddNotifyRoutes(r);
  AddSignupRoutes(r);
  return r;
}

}  // namespace openmso::http
