// The demo MSO: realistic but fictional facilities, units, clinicians and users.
#include "app/seed.h"

namespace openmso::app {
namespace {

struct DemoFacility {
  org::FacilityDraft draft;
  std::vector<std::pair<const char*, const char*>> units;
};

std::vector<DemoFacility> Facilities() {
  return {
      {{"Lakeside Care Center", "nursing_home", {"1200 N Lake Shore Dr", "Chicago", "IL", "60610"},
        {41.9036, -87.6270}, "America/Chicago", Money::Cents(1'250'000), Date{2025, 1, 1}},
       {{"Skilled Nursing East", "skilled_nursing"}, {"Memory Care", "memory_care"}, {"Rehab", "rehab"}}},
      {{"Desert Vista Clinic", "clinic", {"2500 N Central Ave", "Phoenix", "AZ", "85004"}, {33.4756, -112.0740},
        "America/Phoenix", Money::Cents(650'000), Date{2025, 6, 1}},
       {{"Primary Care", "clinic"}, {"Urgent Care", "urgent_care"}}},
      {{"Harbor Point Hospital", "hospital", {"100 Atlantic Ave", "Boston", "MA", "02110"}, {42.3601, -71.0511},
        "America/New_York", Money::Cents(2'400'000), Date{2024, 10, 1}},
       {{"Med-Surg 4", "med_surg"}, {"ICU", "icu"}, {"Emergency", "emergency"}}},
  };
}

constexpr storage::Statement kCountMsos{"seed.count_msos", "SELECT COUNT(*) FROM msos"};

}  // namespace

const std::vector<DemoLogin>& DemoLogins() {
  static const std::vector<DemoLogin> v = {
      {"admin@demo.openmso.org", "mso_admin"},         {"manager@demo.openmso.org", "facility_manager"},
      {"credentialing@demo.openmso.org", "credentialing"}, {"billing@demo.openmso.org", "billing"},
      {"clinician@demo.openmso.org", "clinician"},     {"auditor@demo.openmso.org", "auditor"},
  };
  return v;
}

Result<bool> DatabaseIsEmpty(storage::Database& db) {
  return storage::ReadValue<bool>(db, [](storage::Session& s) -> Result<bool> {
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kCountMsos));
    return !row || row->Int(0) == 0;
  });
}

Result<void> SeedDemo(storage::Database& db, const Clock& clock) {
  // Hash outside the transaction: argon2id is slow on purpose.
  std::string hash = identity::HashPassword(kDemoPassword);
  Instant now = clock.Now();
  return db.Write([&](storage::Session& s) -> Result<void> {
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kCountMsos));
    if (row && row->Int(0) > 0) return Error::Conflict("already-seeded", "The database already has an MSO.");
    storage::SqlOrgRepository org(s);
    storage::SqlIdentityRepository ids(s);
    OPENMSO_ASSIGN_OR_RETURN(MsoId mso, org.CreateMso("Demo Health Partners", now));
    std::vector<FacilityId> facilities;
    std::vector<GeoPoint> where;
    for (const auto& f : Facilities()) {
      OPENMSO_ASSIGN_OR_RETURN(FacilityId id, org.CreateFacility(mso, f.draft, now));
      for (const auto& [name, kind] : f.units) OPENMSO_TRY(org.CreateUnit(id, name, kind, now));
      facilities.push_back(id);
      where.push_back(f.draft.location);
    }
    static constexpr const char* kFirst[] = {"Riley", "Jordan", "Taylor", "Sam", "Priya", "Mateo", "Aisha", "Wei",
                                             "Grace", "Omar", "Lucia", "Ethan"};
    static constexpr const char* kLast[] = {"Nguyen", "Garcia", "Okafor", "Smith", "Patel", "Kowalski",
                                            "Johnson", "Haddad", "Kim"};
    static constexpr const char* kDisciplines[] = {"RN", "LPN", "CNA", "CNA", "RN", "CNA"};
    static constexpr const char* kEmployment[] = {"facility_staff", "per_diem", "float_pool", "per_diem"};
    std::optional<ClinicianId> first_clinician;
    for (int i = 0; i < 36; ++i) {
      org::Clinician c;
      c.mso_id = mso;
      c.first_name = kFirst[i % 12];
      c.last_name = kLast[(i * 5) % 9];
      c.email = i == 0 ? "riley.nguyen@demo.openmso.org" : "clinician" + std::to_string(i) + "@demo.openmso.org";
      c.discipline = kDisciplines[i % 6];
      c.employment_type = kEmployment[i % 4];
      size_t fi = static_cast<size_t>(i) % facilities.size();
      if (c.employment_type == "facility_staff") c.home_facility_id = facilities[fi];
      // Homes scattered within ~30 km of the facility they are nearest to.
      c.home = {where[fi].latitude + ((i * 37) % 50 - 25) / 100.0, where[fi].longitude + ((i * 53) % 50 - 25) / 100.0};
      c.travel_radius_km = 25 + (i % 4) * 15;
      c.status = "active";
      OPENMSO_ASSIGN_OR_RETURN(ClinicianId cid, org.CreateClinician(c, now));
      if (!first_clinician) first_clinician = cid;
    }
    struct U { const char* email; const char* name; identity::Role role; };
    const U users[] = {
        {"admin@demo.openmso.org", "Avery Admin", identity::Role::kMsoAdmin},
        {"manager@demo.openmso.org", "Morgan Manager", identity::Role::kFacilityManager},
        {"credentialing@demo.openmso.org", "Casey Credentialing", identity::Role::kCredentialing},
        {"billing@demo.openmso.org", "Blake Billing", identity::Role::kBilling},
        {"clinician@demo.openmso.org", "Riley Nguyen", identity::Role::kClinician},
        {"auditor@demo.openmso.org", "Alex Auditor", identity::Role::kAuditor},
    };
    for (const auto& u : users) {
      identity::User user;
      user.mso_id = mso;
      user.email = u.email;
      user.display_name = u.name;
      user.role = u.role;
      if (u.role == identity::Role::kFacilityManager) user.facility_ids = {facilities[0]};
      if (u.role == identity::Role::kClinician) user.clinician_id = first_clinician;
      OPENMSO_TRY(ids.CreateUser(user, hash, now));
    }
    return Ok();
  });
}

}  // namespace openmso::app
