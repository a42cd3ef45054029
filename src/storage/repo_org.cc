// SQL implementation of org::OrgRepository: facilities, units, clinicians, the MSO.
#include "storage/storage.h"

namespace openmso::storage {
namespace {

constexpr Statement kListFacilities{"org.list_facilities",
    "SELECT f.id, f.mso_id, f.name, f.facility_type, f.address_line1, f.city, f.state, f.postal_code, "
    "f.latitude_e6, f.longitude_e6, f.time_zone, f.monthly_fee_cents, f.go_live_date, "
    "(SELECT COUNT(*) FROM units u WHERE u.facility_id = f.id) "
    "FROM facilities f WHERE f.mso_id = ? ORDER BY f.name, f.id"};
constexpr Statement kGetFacility{"org.get_facility",
    "SELECT f.id, f.mso_id, f.name, f.facility_type, f.address_line1, f.city, f.state, f.postal_code, "
    "f.latitude_e6, f.longitude_e6, f.time_zone, f.monthly_fee_cents, f.go_live_date, "
    "(SELECT COUNT(*) FROM units u WHERE u.facility_id = f.id) "
    "FROM facilities f WHERE f.id = ?"};
constexpr Statement kInsertFacility{"org.insert_facility",
    "INSERT INTO facilities (mso_id, name, facility_type, address_line1, city, state, postal_code, "
    "latitude_e6, longitude_e6, time_zone, monthly_fee_cents, go_live_date, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Statement kUpdateFacility{"org.update_facility",
    "UPDATE facilities SET name = ?, facility_type = ?, address_line1 = ?, city = ?, state = ?, "
    "postal_code = ?, latitude_e6 = ?, longitude_e6 = ?, time_zone = ?, monthly_fee_cents = ?, "
    "go_live_date = ?, updated_at = ? WHERE id = ?"};
constexpr Statement kListUnits{"org.list_units",
    "SELECT id, facility_id, name, kind FROM units WHERE facility_id = ? ORDER BY name, id"};
constexpr Statement kGetUnit{"org.get_unit", "SELECT id, facility_id, name, kind FROM units WHERE id = ?"};
constexpr Statement kInsertUnit{"org.insert_unit",
    "INSERT INTO units (facility_id, name, kind, created_at) VALUES (?, ?, ?, ?) RETURNING id"};
constexpr Statement kInsertMso{"org.insert_mso", "INSERT INTO msos (name, created_at) VALUES (?, ?) RETURNING id"};
constexpr Statement kInsertClinician{"org.insert_clinician",
    "INSERT INTO clinicians (mso_id, first_name, last_name, email, discipline, employment_type, "
    "home_facility_id, home_latitude_e6, home_longitude_e6, travel_radius_km, status, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Statement kListClinicians{"org.list_clinicians",
    "SELECT id, mso_id, first_name, last_name, email, discipline, employment_type, home_facility_id, "
    "home_latitude_e6, home_longitude_e6, travel_radius_km, status FROM clinicians WHERE mso_id = ? "
    "ORDER BY last_name, first_name, id"};
constexpr Statement kGetClinician{"org.get_clinician",
    "SELECT id, mso_id, first_name, last_name, email, discipline, employment_type, home_facility_id, "
    "home_latitude_e6, home_longitude_e6, travel_radius_km, status FROM clinicians WHERE id = ?"};

org::Facility FacilityFromRow(const Row& r) {
  org::Facility f;
  f.id = FacilityId(r.Int(0));
  f.mso_id = MsoId(r.Int(1));
  f.name = r.Text(2);
  f.type = r.Text(3);
  f.address = {r.Text(4), r.Text(5), r.Text(6), r.Text(7)};
  f.location = {FromE6(r.Int(8)), FromE6(r.Int(9))};
  f.time_zone = r.Text(10);
  f.monthly_fee = Money::Cents(r.Int(11));
  if (!r.IsNull(12)) f.go_live_date = Date::Parse(r.Text(12));
  f.unit_count = r.Int(13);
  return f;
}

org::Clinician ClinicianFromRow(const Row& r) {
  org::Clinician c;
  c.id = ClinicianId(r.Int(0));
  c.mso_id = MsoId(r.Int(1));
  c.first_name = r.Text(2);
  c.last_name = r.Text(3);
  c.email = r.Text(4);
  c.discipline = r.Text(5);
  c.employment_type = r.Text(6);
  if (!r.IsNull(7)) c.home_facility_id = FacilityId(r.Int(7));
  c.home = {FromE6(r.Int(8)), FromE6(r.Int(9))};
  c.travel_radius_km = r.Int(10);
  c.status = r.Text(11);
  return c;
}

bool Contains(const std::vector<FacilityId>& v, FacilityId id) {
  for (auto x : v) if (x == id) return true;
  return false;
}

Error Renamed(const Error& e, std::string type, std::string message) {
  if (e.code != ErrorCode::kConflict) return e;
  return Error::Conflict(std::move(type), std::move(message));
}

std::vector<Value> DraftParams(const org::FacilityDraft& d) {
  return {d.name, d.type, d.address.line1, d.address.city, d.address.state, d.address.postal_code,
          ToE6(d.location.latitude), ToE6(d.location.longitude), d.time_zone, d.monthly_fee.cents(),
          d.go_live_date ? Value(d.go_live_date->ToString()) : Null()};
}

}  // namespace

Result<std::vector<org::Facility>> SqlOrgRepository::ListFacilities(
    MsoId mso, const std::optional<std::vector<FacilityId>>& only) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListFacilities, {mso.value}));
  std::vector<org::Facility> out;
  for (const auto& r : rows) {
    auto f = FacilityFromRow(r);
    if (!only || Contains(*only, f.id)) out.push_back(std::move(f));
  }
  return out;
}

Result<org::Facility> SqlOrgRepository::GetFacility(FacilityId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kGetFacility, {id.value}));
  if (!row) return Error::NotFound("The facility");
  return FacilityFromRow(*row);
}

Result<FacilityId> SqlOrgRepository::CreateFacility(MsoId mso, const org::FacilityDraft& d, Instant now) {
  auto params = DraftParams(d);
  params.insert(params.begin(), mso.value);
  params.push_back(ToUnixMillis(now));
  params.push_back(ToUnixMillis(now));
  auto rows = s_.Query(kInsertFacility, params);
  if (!rows.ok()) return Renamed(rows.error(), "facility-exists", "A facility with that name already exists.");
  return FacilityId(rows->at(0).Int(0));
}

Result<void> SqlOrgRepository::UpdateFacility(FacilityId id, const org::FacilityDraft& d, Instant now) {
  auto params = DraftParams(d);
  params.push_back(ToUnixMillis(now));
  params.push_back(id.value);
  auto n = s_.Exec(kUpdateFacility, params);
  if (!n.ok()) return Renamed(n.error(), "facility-exists", "A facility with that name already exists.");
  if (*n == 0) return Error::NotFound("The facility");
  return Ok();
}

Result<std::vector<org::Unit>> SqlOrgRepository::ListUnits(FacilityId facility) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListUnits, {facility.value}));
  std::vector<org::Unit> out;
  for (const auto& r : rows) out.push_back({UnitId(r.Int(0)), FacilityId(r.Int(1)), r.Text(2), r.Text(3)});
  return out;
}

Result<org::Unit> SqlOrgRepository::GetUnit(UnitId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kGetUnit, {id.value}));
  if (!row) return Error::NotFound("The unit");
  return org::Unit{UnitId(row->Int(0)), FacilityId(row->Int(1)), row->Text(2), row->Text(3)};
}

Result<UnitId> SqlOrgRepository::CreateUnit(FacilityId facility, std::string_view name, std::string_view kind,
                                            Instant now) {
  auto rows = s_.Query(kInsertUnit, {facility.value, std::string(name), std::string(kind), ToUnixMillis(now)});
  if (!rows.ok()) return Renamed(rows.error(), "unit-exists", "A unit with that name already exists in the facility.");
  return UnitId(rows->at(0).Int(0));
}

Result<MsoId> SqlOrgRepository::CreateMso(std::string_view name, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kInsertMso, {std::string(name), ToUnixMillis(now)}));
  return MsoId(rows.at(0).Int(0));
}

Result<ClinicianId> SqlOrgRepository::CreateClinician(const org::Clinician& c, Instant now) {
  auto rows = s_.Query(kInsertClinician,
                       {c.mso_id.value, c.first_name, c.last_name, c.email, c.discipline, c.employment_type,
                        c.home_facility_id ? Value(c.home_facility_id->value) : Null(), ToE6(c.home.latitude),
                        ToE6(c.home.longitude), c.travel_radius_km, c.status, ToUnixMillis(now)});
  if (!rows.ok()) return Renamed(rows.error(), "clinician-exists", "A clinician with that email already exists.");
  return ClinicianId(rows->at(0).Int(0));
}

Result<std::vector<org::Clinician>> SqlOrgRepository::ListClinicians(
    MsoId mso, const std::optional<std::vector<FacilityId>>& home_facilities) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListClinicians, {mso.value}));
  std::vector<org::Clinician> out;
  for (const auto& r : rows) {
    auto c = ClinicianFromRow(r);
    if (!home_facilities || (c.home_facility_id && Contains(*home_facilities, *c.home_facility_id)))
      out.push_back(std::move(c));
  }
  return out;
}

Result<org::Clinician> SqlOrgRepository::GetClinician(ClinicianId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kGetClinician, {id.value}));
  if (!row) return Error::NotFound("The clinician");
  return ClinicianFromRow(*row);
}

}  // namespace openmso::storage
