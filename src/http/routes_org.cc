// Routes of the organization module: facilities, units and the clinician roster.
// Each handler decodes, calls the domain, encodes; the access policy already ran.
#include "http/internal.h"
#include "http/json_io.h"

namespace openmso::http {
namespace {

json::object FacilityJson(const org::Facility& f) {
  json::object o{{"id", f.id.value},
                 {"name", f.name},
                 {"type", f.type},
                 {"address", {{"line1", f.address.line1}, {"city", f.address.city}, {"state", f.address.state},
                              {"postal_code", f.address.postal_code}}},
                 {"location", {{"latitude", f.location.latitude}, {"longitude", f.location.longitude}}},
                 {"time_zone", f.time_zone},
                 {"state", f.address.state},
                 {"monthly_fee_cents", f.monthly_fee.cents()},
                 {"unit_count", f.unit_count}};
  o["go_live_date"] = f.go_live_date ? json::value(f.go_live_date->ToString()) : json::value(nullptr);
  return o;
}

json::object UnitJson(const org::Unit& u) {
  return {{"id", u.id.value}, {"facility_id", u.facility_id.value}, {"name", u.name}, {"kind", u.kind}};
}

json::object ClinicianJson(const org::Clinician& c) {
  json::object o{{"id", c.id.value},
                 {"first_name", c.first_name},
                 {"last_name", c.last_name},
                 {"email", c.email},
                 {"discipline", c.discipline},
                 {"employment_type", c.employment_type},
                 {"home", {{"latitude", c.home.latitude}, {"longitude", c.home.longitude}}},
                 {"travel_radius_km", c.travel_radius_km},
                 {"status", c.status}};
  o["home_facility_id"] = c.home_facility_id ? json::value(c.home_facility_id->value) : json::value(nullptr);
  return o;
}

Result<org::FacilityDraft> DecodeFacility(const Request& req) {
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  BodyReader r(body);
  org::FacilityDraft d;
  d.name = r.RequiredString("name", 200);
  d.type = r.RequiredString("type", 50);
  BodyReader addr = r.RequiredObject("address");
  d.address.line1 = addr.RequiredString("line1", 200);
  d.address.city = addr.RequiredString("city", 100);
  d.address.state = addr.RequiredString("state", 2);
  d.address.postal_code = addr.RequiredString("postal_code", 10);
  addr.CheckUnknown();
  BodyReader loc = r.RequiredObject("location");
  d.location.latitude = loc.RequiredNumber("latitude");
  d.location.longitude = loc.RequiredNumber("longitude");
  loc.CheckUnknown();
  d.time_zone = r.RequiredTimeZone("time_zone");
  d.monthly_fee = r.OptionalMoney("monthly_fee_cents").value_or(Money());
  d.go_live_date = r.OptionalDate("go_live_date");
  OPENMSO_TRY(r.Finish());
  OPENMSO_TRY(org::Validate(d));
  return d;
}

Result<Response> ListFacilities(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<org::Facility>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlOrgRepository(s).ListFacilities(ctx.who().mso_id, identity::FacilityScope(ctx.who()));
  }));
  json::array items;
  for (const auto& f : list) items.push_back(FacilityJson(f));
  return Json(json::object{{"items", items}});
}

Result<Response> GetFacility(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto f, storage::ReadValue<org::Facility>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlOrgRepository(s).GetFacility(FacilityId(id));
  }));
  return Json(FacilityJson(f));
}

Result<Response> CreateFacility(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto draft, DecodeFacility(ctx.req));
  OPENMSO_ASSIGN_OR_RETURN(auto f, storage::WriteValue<org::Facility>(ctx.app.db, [&](storage::Session& s) -> Result<org::Facility> {
    storage::SqlOrgRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(FacilityId id, repo.CreateFacility(ctx.who().mso_id, draft, ctx.app.clock.Now()));
    OPENMSO_TRY(ctx.Audit(s, "facility", std::to_string(id.value), id));
    return repo.GetFacility(id);
  }));
  ctx.app.events.Publish({ctx.who().mso_id, f.id, std::nullopt,
                          json::serialize(json::object{{"type", "facility.created"}, {"facility_id", f.id.value},
                                                       {"at", FormatInstant(ctx.app.clock.Now())}})});
  Response r = JsonResponse(201, FacilityJson(f));
  r.headers.emplace_back("Location", "/api/v1/facilities/" + std::to_string(f.id.value));
  return r;
}

Result<Response> UpdateFacility(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto draft, DecodeFacility(ctx.req));
  OPENMSO_ASSIGN_OR_RETURN(auto f, storage::WriteValue<org::Facility>(ctx.app.db, [&](storage::Session& s) -> Result<org::Facility> {
    storage::SqlOrgRepository repo(s);
    OPENMSO_TRY(repo.UpdateFacility(FacilityId(id), draft, ctx.app.clock.Now()));
    OPENMSO_TRY(ctx.Audit(s, "facility", std::to_string(id), FacilityId(id)));
    return repo.GetFacility(FacilityId(id));
  }));
  ctx.app.events.Publish({ctx.who().mso_id, f.id, std::nullopt,
                          json::serialize(json::object{{"type", "facility.updated"}, {"facility_id", f.id.value},
                                                       {"at", FormatInstant(ctx.app.clock.Now())}})});
  return Json(FacilityJson(f));
}

Result<Response> ListUnits(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<org::Unit>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlOrgRepository(s).ListUnits(FacilityId(id));
  }));
  json::array items;
  for (const auto& u : list) items.push_back(UnitJson(u));
  return Json(json::object{{"items", items}});
}

Result<Response> CreateUnit(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  std::string name = r.RequiredString("name", 100);
  std::string kind = r.RequiredString("kind", 50);
  OPENMSO_TRY(r.Finish());
  OPENMSO_TRY(org::ValidateUnit(name, kind));
  OPENMSO_ASSIGN_OR_RETURN(auto unit, storage::WriteValue<org::Unit>(ctx.app.db, [&](storage::Session& s) -> Result<org::Unit> {
    storage::SqlOrgRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(UnitId id, repo.CreateUnit(FacilityId(fid), name, kind, ctx.app.clock.Now()));
    OPENMSO_TRY(ctx.Audit(s, "unit", std::to_string(id.value), FacilityId(fid)));
    return repo.GetUnit(id);
  }));
  return JsonResponse(201, UnitJson(unit));
}

Result<Response> GetUnit(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "unit_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto u, storage::ReadValue<org::Unit>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlOrgRepository(s).GetUnit(UnitId(id));
  }));
  return Json(UnitJson(u));
}

Result<Response> ListFacilityClinicians(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<org::Clinician>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlOrgRepository(s).ListClinicians(ctx.who().mso_id, std::vector<FacilityId>{FacilityId(fid)});
  }));
  json::array items;
  for (const auto& c : list) items.push_back(ClinicianJson(c));
  ctx.audit_entity_type = "clinician";
  ctx.audit_entity_id = "*";
  ctx.audit_facility = FacilityId(fid);
  return Json(json::object{{"items", items}});
}

Result<Response> GetClinician(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "clinician_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto c, storage::ReadValue<org::Clinician>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlOrgRepository(s).GetClinician(ClinicianId(id));
  }));
  ctx.audit_entity_type = "clinician";
  ctx.audit_entity_id = std::to_string(id);
  ctx.audit_facility = c.home_facility_id;
  return Json(ClinicianJson(c));
}

}  // namespace

void AddOrgRoutes(Router& r) {
  using identity::Permission;
  r.Add({"GET", "/api/v1/facilities", "listFacilities", {Auth::kSession, Permission::kFacilityRead}, "", ListFacilities});
  r.Add({"POST", "/api/v1/facilities", "createFacility", {Auth::kSession, Permission::kFacilityWrite}, "facility.create", CreateFacility});
  r.Add({"GET", "/api/v1/facilities/{facility_id}", "getFacility", {Auth::kSession, Permission::kFacilityRead}, "", GetFacility});
  r.Add({"PUT", "/api/v1/facilities/{facility_id}", "updateFacility", {Auth::kSession, Permission::kFacilityWrite}, "facility.update", UpdateFacility});
  r.Add({"GET", "/api/v1/facilities/{facility_id}/units", "listUnits", {Auth::kSession, Permission::kFacilityRead}, "", ListUnits});
  r.Add({"POST", "/api/v1/facilities/{facility_id}/units", "createUnit", {Auth::kSession, Permission::kFacilityWrite}, "unit.create", CreateUnit});
  r.Add({"GET", "/api/v1/units/{unit_id}", "getUnit", {Auth::kSession, Permission::kFacilityRead}, "", GetUnit});
  r.Add({"GET", "/api/v1/facilities/{facility_id}/clinicians", "listFacilityClinicians", {Auth::kSession, Permission::kClinicianRead}, "clinician.list", ListFacilityClinicians});
  r.Add({"GET", "/api/v1/clinicians/{clinician_id}", "getClinician", {Auth::kSession, Permission::kClinicianRead}, "clinician.read", GetClinician});
}

}  // namespace openmso::http
