// The public header of src/http: plain request/response types, the router with its
// per-route access rule, the request pipeline (Api) and the Beast server entry point.
// Only server.cc includes Boost.Beast; everything else here sees plain types.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/core.h"
#include "domain/identity/identity.h"
#include "storage/storage.h"

namespace openmso::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw target, "/api/v1/facilities?x=1"
  std::string path;    // decoded path, "/api/v1/facilities"
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string client_ip;
  bool tls = false;         // the client connection is TLS (directly or via a trusted proxy)
  std::string request_id;   // assigned by the server
  std::unordered_map<std::string, std::string> path_params;  // filled by the router

  std::string_view Header(std::string_view name) const;  // lower-case name; "" when absent
  std::optional<std::string> Query(std::string_view name) const;
  std::optional<std::string> Cookie(std::string_view name) const;
};

// Splits req.target into the percent-decoded path and query parameters.
void ParseTarget(Request& req);
std::string PercentDecode(std::string_view s, bool plus_is_space);

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// RFC 9457 problem details. The HTTP status is decided here, in one exhaustive switch
// over ErrorCode. `type` is "https://openmso.org/problems/<error.type>".
Response ProblemResponse(const Error& error, std::string_view instance = {});
int StatusFor(ErrorCode code);
inline constexpr std::string_view kProblemTypeBase = "https://openmso.org/problems/";

// Live events for WebSocket clients. Audience: users of `mso_id` who may see
// `facility_id` (all facilities' viewers when unset), or exactly `user_id` when set.
struct LiveEvent {
  MsoId mso_id;
  std::optional<FacilityId> facility_id;
  std::optional<UserId> user_id;
  std::string json;  // a JSON object with at least "type"
};

// Fans out live events to subscribers (the WebSocket sessions of this process, and via
// the database's NOTIFY to other processes). Thread-safe.
class EventHub {
 public:
  using Sink = std::function<void(const LiveEvent&)>;
  // `sink` receives exactly the events `who` may receive (MayReceive); it is called from any
  // thread and must not call back into the hub.
  int64_t Subscribe(identity::Principal who, Sink sink);
  void Unsubscribe(int64_t id);
  // Delivers to local subscribers only. An event addressed to one user reaches that user's
  // sessions through an index (no walk over every connection: a release to thousands of
  // clinicians is thousands of lookups, LIVE-FANOUT); others are filtered per subscriber.
  void Deliver(const LiveEvent& e);
  // Publishes: with a PostgreSQL database attached, through NOTIFY so that every server
  // process (this one included) delivers it; otherwise straight to local subscribers.
  void Publish(const LiveEvent& e);
  // Publishes several at once: on PostgreSQL one transaction carries all their NOTIFYs (a
  // release to thousands of clinicians is one commit, not thousands).
  void Publish(std::span<const LiveEvent> events);
  void AttachDatabase(storage::Database* db);
  static bool MayReceive(const identity::Principal& p, const LiveEvent& e);

 private:
  struct Subscriber {
    identity::Principal who;
    std::shared_ptr<const Sink> sink;
  };
  std::mutex mu_;
  int64_t next_id_ = 1;
  std::map<int64_t, Subscriber> sinks_;
  std::multimap<int64_t, int64_t> by_user_;  // user id -> subscription id
  storage::Database* db_ = nullptr;
};

struct Metrics;  // request counters and latency histograms (metrics.cc)

// Notification delivery (routes_notify.cc); the keys and defaults are in app/config.h.
struct NotifySettings {
  std::string email_url = "file:var/outbox.log";   // smtp://, smtps://, file:PATH, none
  std::string sms_url = "file:var/outbox.log";     // http(s):// webhook, file:PATH, none
  std::string from = "OpenMSO <noreply@localhost>";
  std::string sms_token;                           // webhook Bearer token ("" = none)
  std::string public_url = "http://localhost:8080";  // links in messages
  int max_attempts = 8;
  std::chrono::milliseconds backoff = std::chrono::minutes(1);
};

struct Settings {
  identity::SessionPolicy session;
  std::string static_dir;        // built web UI; empty = none
  bool trust_proxy = false;      // honour X-Forwarded-For / X-Forwarded-Proto
  size_t body_limit_bytes = 1 << 20;
  int ip_login_attempts_per_minute = 30;
  std::string data_dir;          // uploaded documents (content-addressed); empty = uploads off
  NotifySettings notify;
};

// Everything a handler may use. Owned by app/; outlives the server.
struct AppContext {
  storage::Database& db;
  const Clock& clock;
  EventHub& events;
  Settings settings;
  std::string version;
  std::shared_ptr<Metrics> metrics;
};

// The authenticated caller plus the request, handed to handlers.
struct RouteContext {
  const Request& req;
  AppContext& app;
  std::optional<identity::Principal> principal;  // set on every kSession route
  std::string audit_action;                        // the route's audit action name
  bool audited = false;                            // the handler wrote its own audit event
  // What a read of personal data touched; audited after the handler returns.
  std::string audit_entity_type = "request";
  std::string audit_entity_id;
  std::optional<FacilityId> audit_facility;

  const identity::Principal& who() const { return *principal; }
  // Appends an audit event with outcome "success" in the caller's transaction.
  Result<void> Audit(storage::Session& s, std::string_view entity_type, std::string_view entity_id,
                     std::optional<FacilityId> facility);
};

using Handler = std::function<Result<Response>(RouteContext&)>;

// kPublic: no session. A public route that has its own credential (the calendar feed's
// secret token in its URL) checks it in the handler, answers 404 to a wrong one, and
// audits each access itself.
enum class Auth { kPublic, kSession };

// The access rule of a route, consulted by Api for every request before the handler runs
// (rule ACCESS-ROUTE): authentication, the role permission, and the facility scope that
// follows from the path parameters (see policy.cc for the resolvers).
struct Access {
  Auth auth = Auth::kSession;
  identity::Permission permission = identity::Permission::kSelf;
};

struct Route {
  std::string method;
  std::string pattern;        // "/api/v1/facilities/{facility_id}/units"
  std::string operation_id;   // matches docs/openapi.yaml
  Access access;
  std::string audit_action;   // "facility.create"; empty = reads of non-personal data
  Handler handler;
};

class Router {
 public:
  void Add(Route route);
  struct Match {
    const Route* route = nullptr;
    std::unordered_map<std::string, std::string> params;
    std::vector<std::string> allowed_methods;  // when the path matched but not the method
  };
  Match Find(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // each route's pattern, split once
};

// The route table of every module (routes_*.cc).
void AddSystemRoutes(Router& r);
void AddAuthRoutes(Router& r);
void AddOrgRoutes(Router& r);
void AddUserRoutes(Router& r);
void AddAuditRoutes(Router& r);
void AddCredentialingRoutes(Router& r);
void AddScreeningRoutes(Router& r);  // added by AddCredentialingRoutes: LEIE screening, bulk onboarding
void AddMarketplaceRoutes(Router& r);
void AddCalendarRoutes(Router& r);  // added by AddMarketplaceRoutes
void AddTimekeepingRoutes(Router& r);
void AddFinanceRoutes(Router& r);
void AddNotifyRoutes(Router& r);  // notification preferences
void AddSignupRoutes(Router& r);  // self sign-up

// Background jobs (run by `openmso serve` every jobs interval, and by `openmso jobs run`).
// TIME-AUTO-APPROVE: approves submitted timesheets past their facility deadline; returns
// how many. Safe to run on several servers at once.
Result<int> RunAutoApprovals(AppContext& app, int limit = 500);
// SCREEN-MONTHLY: screens every clinician against the loaded exclusion list once per UTC
// calendar month; returns the new confirmed + possible matches, or -1 when not due.
Result<int> RunMonthlyScreening(AppContext& app);
// MKT-CLAIM-TIMEOUT: answers pending claims past their facility's approval timeout (or
// whose shift started) with the facility's default, approve (every rule and the openings
// re-checked; declined with the reason when they no longer allow it) or decline; returns
// how many. Safe to run on several servers at once.
Result<int> RunClaimTimeouts(AppContext& app, int limit = 500);
// MKT-TIER-RELEASE: releases open future shifts to their next tier when its time has come,
// telling exactly the newly offered clinicians (outbox row and live event each); returns
// how many releases. Safe to run on several servers at once (each release happens once).
Result<int> RunShiftReleases(AppContext& app, int limit = 500);
// Notifications (issue 3 part 8): once per UTC day, queues expiry alerts at 60/30/7 days
// (NOTIFY-EXPIRY-THRESHOLDS, NOTIFY-EXPIRY-ONCE); then delivers due outbox rows through
// the configured senders with retries and backoff (NOTIFY-CLAIM, NOTIFY-BACKOFF); returns
// how many rows reached sent, skipped or dead. Safe to run on several servers at once.
Result<int> RunNotificationJobs(AppContext& app, int limit = 500);
Router BuildRouter();

// The request pipeline: route match (404/405), authentication (cookie or Bearer),
// CSRF for cookie-authenticated state changes, the access policy, the handler, audit of
// denied and failed changes, metrics; static files and SPA fallback outside /api.
// Thread-safe; runs on the worker pool, never on I/O threads.
class Api {
 public:
  Api(AppContext& app, Router router);
  Response Handle(Request& req);
  // Authenticates a WebSocket upgrade request; nullopt when not signed in.
  std::optional<identity::Principal> AuthenticateUpgrade(const Request& req);
  AppContext& app() { return app_; }
  const Router& router() const { return router_; }
  // True for requests whose handling never blocks (GET /healthz): the server may run them
  // on an I/O thread instead of the worker pool.
  static bool RunsInline(const Request& req) { return req.method == "GET" && req.path == "/healthz"; }
  // Counts a response produced by the server itself (413, 400 on parse errors).
  void CountServerResponse(int status);

 private:
  Response Dispatch(Request& req, std::string& route_label);
  Response ServeStatic(const Request& req);
  AppContext& app_;
  Router router_;
};

struct ServerOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;
  int io_threads = 2;
  int worker_threads = 4;
  size_t body_limit_bytes = 1 << 20;
  int header_timeout_seconds = 10;
  int idle_timeout_seconds = 60;
  int shutdown_grace_seconds = 20;
  std::string tls_cert_file;  // PEM; with tls_key_file, serve HTTPS directly
  std::string tls_key_file;
};

// Runs the HTTP/WebSocket server until SIGTERM/SIGINT, then stops accepting, finishes
// in-flight requests (up to the grace period) and returns. Prints the listening address
// on stdout once bound. Errors: kUnavailable when the port cannot be bound.
Result<void> Serve(const ServerOptions& options, Api& api);

}  // namespace openmso::http
