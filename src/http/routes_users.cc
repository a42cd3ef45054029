// Routes of user administration: MSO admins create users and assign roles and facilities;
// reads of user records are audited as personal-data access.
#include "http/internal.h"
#include "http/json_io.h"

namespace openmso::http {
namespace {

Result<Response> ListUsers(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto users, storage::ReadValue<std::vector<identity::User>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlIdentityRepository(s).ListUsers(ctx.who().mso_id);
  }));
  json::array items;
  for (const auto& u : users) items.push_back(json::parse(UserJson(u)));
  ctx.audit_entity_type = "user";
  ctx.audit_entity_id = "*";
  return Json(json::object{{"items", items}});
}

Result<Response> GetUser(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "user_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto u, storage::ReadValue<identity::User>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlIdentityRepository(s).GetUser(UserId(id));
  }));
  ctx.audit_entity_type = "user";
  ctx.audit_entity_id = std::to_string(id);
  return Json(json::parse(UserJson(u)));
}

Result<Response> CreateUser(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  identity::User u;
  u.mso_id = ctx.who().mso_id;
  u.email = r.RequiredString("email", 254);
  u.display_name = r.RequiredString("display_name", 200);
  std::string role = r.RequiredString("role", 40);
  std::string password = r.RequiredString("password", 256);
  for (int64_t f : r.OptionalIntArray("facility_ids")) u.facility_ids.push_back(FacilityId(f));
  if (auto c = r.OptionalInt("clinician_id")) u.clinician_id = ClinicianId(*c);
  if (auto parsed = identity::ParseRole(role)) u.role = *parsed;
  else if (!role.empty()) r.AddError("role", "invalid_value", "Unknown role.");
  OPENMSO_TRY(r.Finish());
  OPENMSO_TRY(identity::ValidateNewUser(u, password));
  if (auto n = identity::NormalizeEmail(u.email)) u.email = *n;
  std::string hash = identity::HashPassword(password);  // worker pool, bounded concurrency
  OPENMSO_ASSIGN_OR_RETURN(auto created, storage::WriteValue<identity::User>(ctx.app.db, [&](storage::Session& s) -> Result<identity::User> {
    storage::SqlOrgRepository org(s);
    for (FacilityId f : u.facility_ids) {
      auto fac = org.GetFacility(f);
      if (!fac.ok() || fac->mso_id != u.mso_id)
        return Error::Invalid("facility_ids", "unknown_facility", "No such facility: " + std::to_string(f.value) + ".");
    }
    if (u.clinician_id) {
      auto c = org.GetClinician(*u.clinician_id);
      if (!c.ok() || c->mso_id != u.mso_id) return Error::Invalid("clinician_id", "unknown_clinician", "No such clinician.");
    }
    storage::SqlIdentityRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(UserId id, repo.CreateUser(u, hash, ctx.app.clock.Now()));
    OPENMSO_TRY(ctx.Audit(s, "user", std::to_string(id.value), std::nullopt));
    return repo.GetUser(id);
  }));
  Response resp = JsonResponse(201, json::parse(UserJson(created)));
  resp.headers.emplace_back("Location", "/api/v1/users/" + std::to_string(created.id.value));
  return resp;
}

}  // namespace

void AddUserRoutes(Router& r) {
  using identity::Permission;
  r.Add({"GET", "/api/v1/users", "listUsers", {Auth::kSession, Permission::kUserRead}, "user.list", ListUsers});
  r.Add({"POST", "/api/v1/users", "createUser", {Auth::kSession, Permission::kUserWrite}, "user.create", CreateUser});
  r.Add({"GET", "/api/v1/users/{user_id}", "getUser", {Auth::kSession, Permission::kUserRead}, "user.read", GetUser});
}

}  // namespace openmso::http
