// The demo MSO: realistic but fictional facilities, units, clinicians and users.
#include "app/seed.h"

#include "finance/finance.h"

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

Date AddDays(Date d, int64_t n) { return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() + n); }

// Demo credentials (issue 3): every clinician gets the proof of their discipline, BLS and
// a TB test, verified; a few expire soon, one BLS has expired, one ACLS waits in the
// verification queue. Facilities get requirement profiles per discipline.
Result<void> SeedCredentials(storage::Session& s, const std::vector<ClinicianId>& clinicians,
                             const std::vector<FacilityId>& facilities, const std::vector<std::string>& states,
                             UserId verifier, Instant now) {
  using namespace credentialing;
  storage::SqlCredentialingRepository cred(s);
  storage::SqlOrgRepository org(s);
  Date today = Date::FromDaysSinceEpoch(ToUnixMillis(now) / 86'400'000);
  // Requirement profiles (CRED-REQ-PROFILE): the nursing home's CNA needs a CNA
  // certification of the state, BLS and a TB test within 12 months.
  RequirementItem bls{CredentialKind::kCertification, "BLS", false, std::nullopt};
  RequirementItem acls{CredentialKind::kCertification, "ACLS", false, std::nullopt};
  RequirementItem tb{CredentialKind::kHealth, "TB", false, 365};
  RequirementItem cna{CredentialKind::kCertification, "CNA", true, std::nullopt};
  std::vector<RequirementProfile> profiles = {
      {facilities[0], "CNA", {cna, bls, tb}}, {facilities[0], "LPN", {bls, tb}}, {facilities[0], "RN", {bls, tb}},
      {facilities[1], "RN", {bls}},           {facilities[1], "LPN", {bls}},     {facilities[1], "CNA", {cna, bls}},
      {facilities[2], "RN", {bls, acls, tb}}, {facilities[2], "LPN", {bls, tb}}, {facilities[2], "CNA", {cna, bls, tb}},
  };
  for (const auto& p : profiles) OPENMSO_TRY(cred.ReplaceRequirements(p, now));
  for (size_t i = 0; i < clinicians.size(); ++i) {
    OPENMSO_ASSIGN_OR_RETURN(auto c, org.GetClinician(clinicians[i]));
    OPENMSO_ASSIGN_OR_RETURN(auto p, cred.GetProfile(clinicians[i]));
    const std::string& state = states[i % states.size()];
    ProfileDraft d = p.draft;
    d.phone = "+1 555 010 " + std::to_string(1000 + i);
    d.date_of_birth = Date{1970 + static_cast<int>(i % 30), static_cast<unsigned>(1 + i % 12), static_cast<unsigned>(1 + i % 28)};
    d.employment_class = c.employment_type == "per_diem" ? "1099" : "w2";
    d.primary_state = state;
    d.specialties = {i % 2 ? "geriatrics" : "med_surg"};
    if (c.discipline == "RN") {
      std::string first9 = "1" + std::to_string(30000000 + i * 7919);
      d.npi = first9 + std::to_string(NpiCheckDigit(first9));  // CRED-NPI-LUHN
    }
    OPENMSO_TRY(cred.UpdateProfile(clinicians[i], d, now));
    auto add = [&](CredentialDraft draft, bool verify, std::string source) -> Result<void> {
      OPENMSO_ASSIGN_OR_RETURN(CredentialId id, cred.CreateCredential(clinicians[i], draft, now));
      if (verify) OPENMSO_TRY(cred.RecordVerification(id, Verification::kVerified, "", source, verifier, now));
      return Ok();
    };
    CredentialDraft proof;
    proof.type_code = c.discipline;
    proof.jurisdiction = state;
    proof.number = c.discipline + "-" + state + "-" + std::to_string(100000 + i * 37);
    proof.issued_on = AddDays(today, -700 + static_cast<int64_t>(i) * 3);
    proof.expires_on = AddDays(today, 400 + static_cast<int64_t>(i) * 5);
    if (c.discipline == "CNA") {
      proof.kind = CredentialKind::kCertification;
      proof.issuer = state + " nurse aide registry";
    } else {
      proof.kind = CredentialKind::kLicense;
      proof.multistate = CompactTable::Default().Issues(state, today) && i % 2 == 0;  // CRED-NLC-MULTISTATE
      proof.issuer = state + " board of nursing";
    }
    OPENMSO_TRY(add(proof, true, c.discipline == "CNA" ? "state registry" : "Nursys"));
    CredentialDraft b;
    b.kind = CredentialKind::kCertification;
    b.type_code = "BLS";
    b.issuer = "American Heart Association";
    b.number = "AHA-" + std::to_string(500000 + i);
    // Expiring soon: a few within 30 days; one expired three days ago.
    int64_t bls_days = i == 0 ? 20 : i == 1 ? -3 : i % 7 == 3 ? 10 + static_cast<int64_t>(i) % 15 : 200 + static_cast<int64_t>(i) * 9;
    b.expires_on = AddDays(today, bls_days);
    b.issued_on = AddDays(*b.expires_on, -730);
    OPENMSO_TRY(add(b, true, "AHA eCard"));
    CredentialDraft t;
    t.kind = CredentialKind::kHealth;
    t.type_code = "TB";
    t.issuer = "Employee health clinic";
    t.issued_on = AddDays(today, -30 - static_cast<int64_t>(i) * 4);
    OPENMSO_TRY(add(t, true, "clinic record"));
    if (i == 0 || c.discipline == "RN") {
      CredentialDraft a;
      a.kind = CredentialKind::kCertification;
      a.type_code = "ACLS";
      a.issuer = "American Heart Association";
      a.issued_on = AddDays(today, -10);
      a.expires_on = AddDays(today, 720);
      OPENMSO_TRY(add(a, i != 0, "AHA eCard"));  // Riley's waits in the verification queue
    }
  }
  return Ok();
}

// Worked history (issue 5): the last two pay periods before the current one, four 12-hour
// shifts a day at each facility, worked and approved, so that the demo has a pay run and
// invoices to compute; and the current period's past days at Lakeside, submitted and
// waiting in the manager's approval queue. Each clinician works every third day (no
// overlap, no rest problem); punches are a few minutes off the schedule and each shift has
// a 30-minute meal.
Result<void> SeedHistory(storage::Session& s, MsoId mso, const std::vector<FacilityId>& facilities,
                         const std::vector<ClinicianId>& clinicians, UserId manager, Instant now) {
  storage::SqlOrgRepository org(s);
  storage::SqlMarketplaceRepository mkt(s);
  storage::SqlTimekeepingRepository tk(s);
  // The pay period of the default pay settings that holds today (UTC date), and the two before it.
  int64_t today = ToUnixMillis(now) / 86'400'000;
  int64_t period_start =
      finance::PeriodContaining(finance::PaySettings{}, Date::FromDaysSinceEpoch(today)).start.DaysSinceEpoch();
  std::vector<org::Facility> fs;
  for (FacilityId f : facilities) {
    OPENMSO_ASSIGN_OR_RETURN(auto facility, org.GetFacility(f));
    fs.push_back(std::move(facility));
  }
  std::vector<std::vector<org::Unit>> units;
  for (FacilityId f : facilities) {
    OPENMSO_ASSIGN_OR_RETURN(auto u, org.ListUnits(f));
    units.push_back(std::move(u));
  }
  for (int64_t day = period_start - 28; day < today; ++day) {
    bool current = day >= period_start;
    for (size_t fi = 0; fi < fs.size(); ++fi) {
      if (current && fi != 0) continue;
      for (int k = 0; k < 4; ++k) {
        size_t idx = static_cast<size_t>((day * 12 + static_cast<int64_t>(fi) * 4 + k) % 36);
        OPENMSO_ASSIGN_OR_RETURN(auto c, org.GetClinician(clinicians[idx]));
        Date date = Date::FromDaysSinceEpoch(day);
        int start_minute = k < 2 ? 7 * 60 : 19 * 60;
        OPENMSO_ASSIGN_OR_RETURN(Instant start, ToInstant(LocalDateTime{date, start_minute}, fs[fi].time_zone));
        OPENMSO_ASSIGN_OR_RETURN(Instant end, ToInstant(LocalDateTime{AddDays(date, k < 2 ? 0 : 1), k < 2 ? 19 * 60 : 7 * 60},
                                                        fs[fi].time_zone));
        if (end > now) continue;
        marketplace::Shift sh;
        sh.mso_id = mso;
        sh.facility_id = fs[fi].id;
        sh.unit_id = units[fi][static_cast<size_t>(k) % units[fi].size()].id;
        sh.discipline = c.discipline;
        sh.start = start;
        sh.end = end;
        sh.time_zone = fs[fi].time_zone;
        sh.break_minutes = 30;
        int64_t pay = c.discipline == "RN" ? 5200 : c.discipline == "LPN" ? 3600 : 2400;
        sh.pay_rate = Money::Cents(pay);
        sh.bill_rate = Money::Cents(pay * 145 / 100);
        sh.created_at = start - std::chrono::hours(72);
        OPENMSO_ASSIGN_OR_RETURN(sh.id, mkt.CreateShift(sh));
        OPENMSO_TRY(mkt.TakeOpening(sh.id, sh.created_at));
        OPENMSO_TRY(mkt.InsertClaim(sh.id, c.id, marketplace::ClaimStatus::kConfirmed, sh.created_at));
        timekeeping::Timesheet t;
        t.mso_id = mso;
        t.facility_id = sh.facility_id;
        t.shift_id = sh.id;
        t.clinician_id = c.id;
        t.time_zone = sh.time_zone;
        t.scheduled_start = start;
        t.scheduled_end = end;
        t.clock_in = start + std::chrono::minutes(static_cast<int64_t>((idx * 7) % 11) - 5);
        t.clock_out = end + std::chrono::minutes(static_cast<int64_t>((idx * 5) % 9) - 4);
        t.in_distance_m = static_cast<int64_t>((idx * 13) % 120);
        t.out_distance_m = static_cast<int64_t>((idx * 17) % 150);
        t.breaks = {{start + std::chrono::hours(6), start + std::chrono::hours(6) + std::chrono::minutes(30)}};
        t.created_at = *t.clock_in;
        t.status = current ? timekeeping::Status::kSubmitted : timekeeping::Status::kApproved;
        t.submitted_at = end + std::chrono::minutes(10);
        if (current) {
          t.auto_approve_at = *t.submitted_at + std::chrono::hours(24 * 30);  // demo: waits for the manager
        } else {
          t.decided_at = end + std::chrono::hours(20);
          t.decided_by = manager;
        }
        OPENMSO_TRY(tk.Insert(t));
      }
    }
  }
  return Ok();
}

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
    std::vector<ClinicianId> clinicians;
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
      clinicians.push_back(cid);
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
    UserId verifier, manager;
    for (const auto& u : users) {
      identity::User user;
      user.mso_id = mso;
      user.email = u.email;
      user.display_name = u.name;
      user.role = u.role;
      if (u.role == identity::Role::kFacilityManager) user.facility_ids = {facilities[0]};
      if (u.role == identity::Role::kClinician) user.clinician_id = first_clinician;
      OPENMSO_ASSIGN_OR_RETURN(UserId uid, ids.CreateUser(user, hash, now));
      if (u.role == identity::Role::kCredentialing) verifier = uid;
      if (u.role == identity::Role::kFacilityManager) manager = uid;
    }
    std::vector<std::string> states;
    for (const auto& f : Facilities()) states.push_back(f.draft.address.state);
    OPENMSO_TRY(SeedCredentials(s, clinicians, facilities, states, verifier, now));
    OPENMSO_TRY(SeedHistory(s, mso, facilities, clinicians, manager, now));
    return Ok();
  });
}

}  // namespace openmso::app
