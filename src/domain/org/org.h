// The organization module: the MSO (tenant), its client facilities and their units, and
// the clinicians on its roster. Pure model, validation and the repository interface.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace openmso::org {

// Facility types as the MSO's contracts name them.
inline constexpr std::string_view kFacilityTypes[] = {
    "nursing_home", "assisted_living", "clinic", "physician_group", "hospital", "home_health"};

struct Address {
  std::string line1;
  std::string city;
  std::string state;        // USPS two-letter code, e.g. "IL"
  std::string postal_code;  // 5-digit ZIP or ZIP+4
};

struct Facility {
  FacilityId id;
  MsoId mso_id;
  std::string name;
  std::string type;  // one of kFacilityTypes
  Address address;
  GeoPoint location;
  std::string time_zone;  // IANA zone, e.g. "America/Chicago"
  Money monthly_fee;      // the MSO's management fee under the service agreement
  std::optional<Date> go_live_date;
  int64_t unit_count = 0;
};

// Input of CreateFacility / the full replacement of UpdateFacility.
struct FacilityDraft {
  std::string name;
  std::string type;
  Address address;
  GeoPoint location;
  std::string time_zone;
  Money monthly_fee;
  std::optional<Date> go_live_date;
};

struct Unit {
  UnitId id;
  FacilityId facility_id;
  std::string name;
  std::string kind;  // e.g. "skilled_nursing", "memory_care", "med_surg", "icu", "clinic"
};

struct Clinician {
  ClinicianId id;
  MsoId mso_id;
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string discipline;       // "RN", "LPN", "CNA", ... (data, not a frozen enum)
  std::string employment_type;  // "facility_staff", "float_pool", "per_diem"
  std::optional<FacilityId> home_facility_id;
  GeoPoint home;
  int64_t travel_radius_km = 0;
  std::string status;  // "active", ...
};

// True for the 50 states, DC and the inhabited territories.
bool IsUsStateCode(std::string_view code);

// Checks every field of a draft; returns all offending fields at once (kInvalidArgument,
// type "validation-error"). Field names are the API's JSON names.
Result<void> Validate(const FacilityDraft& draft);
Result<void> ValidateUnit(std::string_view name, std::string_view kind);

// Storage of facilities, units and clinicians. Implementations run inside the caller's
// transaction; they are not thread-safe and live only as long as that transaction.
class OrgRepository {
 public:
  virtual ~OrgRepository() = default;
  // Facilities of `mso`, ordered by name; when `only` is set, just those ids.
  virtual Result<std::vector<Facility>> ListFacilities(MsoId mso, const std::optional<std::vector<FacilityId>>& only) = 0;
  // Errors: kNotFound.
  virtual Result<Facility> GetFacility(FacilityId id) = 0;
  // Errors: kConflict ("facility-exists") when the name is taken in the MSO.
  virtual Result<FacilityId> CreateFacility(MsoId mso, const FacilityDraft& draft, Instant now) = 0;
  virtual Result<void> UpdateFacility(FacilityId id, const FacilityDraft& draft, Instant now) = 0;
  virtual Result<std::vector<Unit>> ListUnits(FacilityId facility) = 0;
  // Errors: kNotFound.
  virtual Result<Unit> GetUnit(UnitId id) = 0;
  // Errors: kConflict ("unit-exists") when the name is taken in the facility.
  virtual Result<UnitId> CreateUnit(FacilityId facility, std::string_view name, std::string_view kind, Instant now) = 0;
  virtual Result<MsoId> CreateMso(std::string_view name, Instant now) = 0;
  virtual Result<ClinicianId> CreateClinician(const Clinician& c, Instant now) = 0;
  // Clinicians of `mso`; when `home_facilities` is set, only staff of those facilities.
  virtual Result<std::vector<Clinician>> ListClinicians(MsoId mso, const std::optional<std::vector<FacilityId>>& home_facilities) = 0;
  virtual Result<Clinician> GetClinician(ClinicianId id) = 0;
};

}  // namespace openmso::org
