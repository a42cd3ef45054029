// Internal helpers shared by the files of src/http (not part of the module's public
// header): the access policy, authentication, cookies.
#pragma once

#include "domain/audit/audit.h"
#include "http/http.h"

namespace openmso::http {

inline constexpr std::string_view kSessionCookie = "openmso_session";
inline constexpr std::string_view kCsrfCookie = "openmso_csrf";

struct Authenticated {
  identity::Principal principal;
  bool via_cookie = false;
};

// Resolves the caller from "Authorization: Bearer" or the session cookie, enforcing the
// idle and absolute expiry, and slides the idle window. Errors: kUnauthenticated.
Result<Authenticated> Authenticate(AppContext& app, const Request& req);

// The access policy for one matched route (ACCESS-ROUTE): the role must hold the route's
// permission, and every scoped path parameter must name an entity of a facility the
// caller may access (ACCESS-FACILITY-SCOPE). Unknown or out-of-scope entities are 404,
// so that a manager cannot even learn that another facility's record exists.
Result<void> Authorize(AppContext& app, const Route& route, const identity::Principal& p,
                       const std::unordered_map<std::string, std::string>& params);

// Parses a positive integer id path parameter. Errors: kNotFound.
Result<int64_t> PathId(const Request& req, std::string_view name);
// An integer query parameter within [min, max]; nullopt when absent.
// Errors: kInvalidArgument naming the parameter ("invalid_value").
Result<std::optional<int64_t>> QueryInt(const Request& req, std::string_view name, int64_t min, int64_t max);
// An RFC 3339 instant query parameter, or `fallback` when absent.
// Errors: kInvalidArgument naming the parameter ("invalid_instant").
Result<Instant> QueryInstant(const Request& req, std::string_view name, Instant fallback);

std::string SessionCookie(std::string_view token, bool secure, int64_t max_age_seconds);
std::string CsrfCookie(std::string_view csrf, bool secure, int64_t max_age_seconds);

// The audit event of this request: actor (a user id and role name; "anonymous" without a
// user), time, request id, client address, action and outcome. The caller sets the entity;
// audit::Append fills seq and the hashes.
audit::Event RequestEvent(const AppContext& app, const Request& req, std::optional<UserId> actor,
                          std::string_view role, std::string_view action, std::string_view outcome);
audit::Event RequestEvent(const AppContext& app, const Request& req,
                          const std::optional<identity::Principal>& who, std::string_view action,
                          std::string_view outcome);

// Appends a successful audit event with actor "system" (background jobs) in the caller's
// transaction.
Result<void> AuditSystem(storage::Session& s, Instant at, std::string_view action, std::string_view entity_type,
                         std::string_view entity_id, std::optional<FacilityId> facility);

// IDENT-THROTTLE-IP: one per-address budget of anonymous credential attempts per minute
// (sign-in, sign-up, sign-up confirmation); false when this request is over it.
bool AllowAnonymousAttempt(const Request& req, const AppContext& app);

// JSON of a user as the API shows it.
std::string UserJson(const identity::User& u);

}  // namespace openmso::http
