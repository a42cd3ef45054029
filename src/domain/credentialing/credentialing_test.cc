// Rules of the credentialing module, table-driven; rows cite the rule ids and the worked
// examples of ../shared/domain/credentialing.md.
#include <gtest/gtest.h>

#include <functional>

#include "domain/credentialing/credentialing.h"

namespace openmso::credentialing {
namespace {

// CRED-NPI-LUHN: the test set of credentialing.md §4, row for row.
TEST(Npi, WorkedExamplesOfTheDomainNotes) {
  struct Row { const char* npi; bool valid; const char* why; } rows[] = {
      {"1234567893", true, "CMS example base, check digit 3"},
      {"1047298561", true, ""},
      {"1987054321", true, ""},
      {"1600000115", true, ""},
      {"2718281829", true, "starts with 2"},
      {"1234567890", false, "wrong check digit (should be 3)"},
      {"1047298562", false, "check digit off by one"},
      {"1987504321", false, "adjacent digits transposed"},
      {"1600000119", false, "passes plain Luhn but fails the 80840/+24 rule"},
      {"3234567899", false, "first digit must be 1 or 2"},
      {"123456789", false, "only 9 digits"},
      {"12345678a3", false, "not all digits"},
      {"", false, "empty"},
  };
  for (const auto& r : rows) EXPECT_EQ(IsValidNpi(r.npi), r.valid) << r.npi << " (" << r.why << ")";
  EXPECT_EQ(NpiCheckDigit("123456789"), 3);  // 24 + 23 + 20 = 67 -> 3
}

// CRED-STATUS-FLOW
TEST(Status, AllowedTransitions) {
  using S = ClinicianStatus;
  struct Row { S from, to; bool ok; } rows[] = {
      {S::kApplied, S::kVerifying, true},   {S::kApplied, S::kActive, false},
      {S::kVerifying, S::kActive, true},    {S::kVerifying, S::kRejected, true},
      {S::kActive, S::kSuspended, true},    {S::kActive, S::kApplied, false},
      {S::kSuspended, S::kActive, true},    {S::kRejected, S::kActive, false},
      {S::kRejected, S::kVerifying, true},  {S::kActive, S::kRejected, false},
  };
  for (const auto& r : rows)
    EXPECT_EQ(TransitionAllowed(r.from, r.to), r.ok) << StatusName(r.from) << " -> " << StatusName(r.to);
  auto no_reason = CheckTransition(S::kVerifying, S::kRejected, "");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().fields.at(0).field, "reason");
  auto bad = CheckTransition(S::kApplied, S::kActive, "x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().type, "invalid-status-transition");
  EXPECT_TRUE(CheckTransition(S::kActive, S::kSuspended, "Lapsed license").ok());
  for (auto s : {S::kApplied, S::kVerifying, S::kActive, S::kRejected, S::kSuspended})
    EXPECT_EQ(ParseStatus(StatusName(s)), s);
}

std::vector<Discipline> Known() {
  return {{"RN", "Registered Nurse", true, CredentialKind::kLicense},
          {"LPN", "Licensed Practical Nurse", true, CredentialKind::kLicense},
          {"NP", "Nurse Practitioner", false, CredentialKind::kLicense},
          {"CNA", "Certified Nursing Assistant", false, CredentialKind::kCertification}};
}

constexpr Date kToday{2026, 3, 1};

ProfileDraft GoodProfile() {
  ProfileDraft d;
  d.first_name = "Riley";
  d.last_name = "Nguyen";
  d.date_of_birth = Date{1990, 5, 17};
  d.home = {41.9, -87.6};
  d.travel_radius_km = 40;
  d.disciplines = {"RN"};
  d.specialties = {"geriatrics"};
  d.employment_type = "per_diem";
  d.employment_class = "1099";
  d.npi = "1234567893";
  d.primary_state = "IL";
  return d;
}

TEST(Profile, EachBadFieldIsNamed) {
  ASSERT_TRUE(ValidateProfile(GoodProfile(), Known(), kToday).ok());
  struct Row { const char* field; const char* code; std::function<void(ProfileDraft&)> edit; } rows[] = {
      {"first_name", "invalid_length", [](ProfileDraft& d) { d.first_name = ""; }},
      {"npi", "invalid_npi", [](ProfileDraft& d) { d.npi = "1234567890"; }},        // CRED-NPI-LUHN
      {"npi", "invalid_npi", [](ProfileDraft& d) { d.npi = "1600000119"; }},        // plain Luhn only
      {"disciplines.0", "unknown_discipline", [](ProfileDraft& d) { d.disciplines = {"WIZARD"}; }},
      {"disciplines", "invalid_length", [](ProfileDraft& d) { d.disciplines.clear(); }},
      {"employment_class", "invalid_value", [](ProfileDraft& d) { d.employment_class = "w4"; }},
      {"employment_type", "invalid_value", [](ProfileDraft& d) { d.employment_type = "gig"; }},
      {"primary_state", "invalid_value", [](ProfileDraft& d) { d.primary_state = "XX"; }},
      {"date_of_birth", "out_of_range", [](ProfileDraft& d) { d.date_of_birth = Date{2020, 1, 1}; }},
      {"travel_radius_km", "out_of_range", [](ProfileDraft& d) { d.travel_radius_km = -1; }},
      {"home.latitude", "out_of_range", [](ProfileDraft& d) { d.home.latitude = 95; }},
  };
  for (const auto& r : rows) {
    ProfileDraft d = GoodProfile();
    r.edit(d);
    auto res = ValidateProfile(d, Known(), kToday);
    ASSERT_FALSE(res.ok()) << "row " << r.field << "/" << r.code;
    ASSERT_EQ(res.error().fields.size(), 1u) << "row " << r.field;
    EXPECT_EQ(res.error().fields[0].field, r.field);
    EXPECT_EQ(res.error().fields[0].code, r.code) << "row " << r.field;
  }
}

CredentialDraft License(std::string code, std::string state, bool multistate, Date expires) {
  CredentialDraft d;
  d.kind = CredentialKind::kLicense;
  d.type_code = std::move(code);
  d.jurisdiction = std::move(state);
  d.number = "L-1";
  d.multistate = multistate;
  d.issued_on = Date{2024, 1, 1};
  d.expires_on = expires;
  return d;
}

// CRED-CRED-VALID ("Bad input": expiry before issue, unknown state code).
TEST(Credential, EachBadFieldIsNamed) {
  ASSERT_TRUE(ValidateCredential(License("RN", "IL", false, {2027, 1, 31}), Known(), kToday).ok());
  struct Row { const char* field; const char* code; std::function<void(CredentialDraft&)> edit; } rows[] = {
      {"expires_on", "before_issue", [](CredentialDraft& d) { d.expires_on = Date{2023, 12, 31}; }},
      {"jurisdiction", "invalid_value", [](CredentialDraft& d) { d.jurisdiction = "ZZ"; }},
      {"type_code", "unknown_discipline", [](CredentialDraft& d) { d.type_code = "DRUID"; }},
      {"type_code", "invalid_value", [](CredentialDraft& d) { d.type_code = "rn lower"; }},
      {"number", "required", [](CredentialDraft& d) { d.number = ""; }},
      {"issued_on", "in_future", [](CredentialDraft& d) { d.issued_on = Date{2026, 3, 2}; d.expires_on = Date{2028, 1, 1}; }},
      {"multistate", "invalid_value", [](CredentialDraft& d) { d.kind = CredentialKind::kCertification; d.type_code = "BLS"; }},
  };
  for (const auto& r : rows) {
    CredentialDraft d = License("RN", "IL", true, {2027, 1, 31});
    if (std::string(r.field) != "multistate") d.multistate = false;
    r.edit(d);
    auto res = ValidateCredential(d, Known(), kToday);
    ASSERT_FALSE(res.ok()) << "row " << r.field << "/" << r.code;
    ASSERT_EQ(res.error().fields.size(), 1u) << "row " << r.field << ": " << res.error().fields[0].field;
    EXPECT_EQ(res.error().fields[0].field, r.field);
    EXPECT_EQ(res.error().fields[0].code, r.code) << "row " << r.field;
  }
}

// CRED-NLC-MULTISTATE / CRED-NLC-DATED / CRED-NLC-PSOR / CRED-NLC-SCOPE (cred.md §2).
TEST(Compact, MultistateLicenseFollowsTheDatedTable) {
  const CompactTable& t = CompactTable::Default();
  EXPECT_TRUE(t.IsMember("TX", {2026, 1, 1}));
  EXPECT_FALSE(t.IsMember("CA", {2026, 1, 1}));       // not a member
  EXPECT_FALSE(t.IsMember("MA", {2026, 1, 1}));       // enacted, awaiting implementation
  EXPECT_FALSE(t.IsMember("CT", {2025, 9, 30}));      // since 1 Oct 2025
  EXPECT_TRUE(t.IsMember("CT", {2025, 10, 1}));
  EXPECT_TRUE(t.IsMember("GU", {2026, 1, 1}));        // accepts privileges...
  EXPECT_FALSE(t.Issues("GU", {2026, 1, 1}));         // ...but does not issue multistate licenses
  Discipline rn{"RN", "Registered Nurse", true, CredentialKind::kLicense};
  Discipline np{"NP", "Nurse Practitioner", false, CredentialKind::kLicense};
  struct Row { const char* name; CredentialDraft l; const Discipline* d; const char* psor; const char* state; Date on; bool ok; } rows[] = {
      {"issued by the state", License("RN", "CA", false, {2027, 1, 1}), &rn, "CA", "CA", {2026, 3, 1}, true},
      {"single-state elsewhere", License("RN", "TX", false, {2027, 1, 1}), &rn, "TX", "AZ", {2026, 3, 1}, false},
      {"multistate TX in AZ", License("RN", "TX", true, {2027, 1, 1}), &rn, "TX", "AZ", {2026, 3, 1}, true},
      {"multistate TX in CA (non-member)", License("RN", "TX", true, {2027, 1, 1}), &rn, "TX", "CA", {2026, 3, 1}, false},
      {"multistate TX in CT before joining", License("RN", "TX", true, {2027, 1, 1}), &rn, "TX", "CT", {2025, 9, 30}, false},
      {"multistate TX in CT after joining", License("RN", "TX", true, {2027, 1, 1}), &rn, "TX", "CT", {2025, 10, 1}, true},
      {"multistate but PSOR elsewhere", License("RN", "TX", true, {2027, 1, 1}), &rn, "CA", "AZ", {2026, 3, 1}, false},
      {"multistate, PSOR unknown", License("RN", "TX", true, {2027, 1, 1}), &rn, "", "AZ", {2026, 3, 1}, false},
      {"APRN not covered", License("NP", "TX", true, {2027, 1, 1}), &np, "TX", "AZ", {2026, 3, 1}, false},
      {"Guam issues none", License("RN", "GU", true, {2027, 1, 1}), &rn, "GU", "TX", {2026, 3, 1}, false},
      {"valid in Guam", License("RN", "TX", true, {2027, 1, 1}), &rn, "TX", "GU", {2026, 3, 1}, true},
  };
  for (const auto& r : rows)
    EXPECT_EQ(LicenseValidIn(r.l, *r.d, r.psor, r.state, r.on, t), r.ok) << r.name;
}

// CRED-NLC-DATED: the shipped table uses only the reference's dates and says where each
// comes from; no row claims a date the reference does not give.
TEST(Compact, ShippedTableCitesItsDates) {
  const CompactTable& t = CompactTable::Default();
  ASSERT_EQ(t.rows().size(), 41u);  // 40 fully implemented + Guam (cred.md §2)
  for (const auto& r : t.rows()) {
    if (r.state == "CT") {
      EXPECT_EQ(r.date_basis, DateBasis::kStated);
      EXPECT_EQ(r.effective_from, (Date{2025, 10, 1}));
    } else if (r.state == "PA") {
      EXPECT_EQ(r.date_basis, DateBasis::kMonthOnly);  // "since July 2025": the day is not given
      EXPECT_EQ(r.effective_from, (Date{2025, 8, 1}));
    } else {
      EXPECT_EQ(r.date_basis, DateBasis::kNotStated) << r.state;
      EXPECT_EQ(r.effective_from, (Date{2025, 1, 1})) << r.state;
    }
    EXPECT_NE(r.state, "MA");  // enacted, awaiting implementation
    EXPECT_NE(r.state, "VI");
  }
  EXPECT_FALSE(t.IsMember("PA", {2025, 7, 31}));
  EXPECT_TRUE(t.IsMember("PA", {2025, 8, 1}));
  EXPECT_FALSE(t.IsMember("TX", {2024, 12, 31}));  // nothing claimed before the reference's summary
  auto bad = CompactTable::Parse("state,effective_from,effective_until,issues_multistate,date_basis\nTX,2018-01-19,,true,guess\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at(0).code, "invalid_value");
}

TEST(Compact, ParseNamesTheBadLine) {
  auto ok = CompactTable::Parse("state,effective_from,effective_until,issues_multistate\nTX,2018-01-19,,true\nXX,2020-01-01,2019-01-01,true\n");
  ASSERT_FALSE(ok.ok());
  EXPECT_EQ(ok.error().fields.at(0).field, "line 3");
  auto bad_header = CompactTable::Parse("state,from\nTX,2018-01-19\n");
  ASSERT_FALSE(bad_header.ok());
  EXPECT_EQ(bad_header.error().fields.at(0).code, "bad_header");
  auto good = CompactTable::Parse("state,effective_from,effective_until,issues_multistate\n# old member\nTX,2018-01-19,2020-12-31,true\n");
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good->IsMember("TX", {2020, 12, 31}));
  EXPECT_FALSE(good->IsMember("TX", {2021, 1, 1}));
}

// ---- Compliance (CRED-COMPLIANCE) -----------------------------------------------------

Credential Verified(int64_t id, CredentialDraft d) {
  Credential c;
  c.id = CredentialId(id);
  c.clinician_id = ClinicianId(1);
  c.draft = std::move(d);
  c.verification = Verification::kVerified;
  return c;
}

CredentialDraft Cert(std::string code, Date issued, std::optional<Date> expires, CredentialKind kind = CredentialKind::kCertification,
                     std::string state = "") {
  CredentialDraft d;
  d.kind = kind;
  d.type_code = std::move(code);
  d.jurisdiction = std::move(state);
  d.issued_on = issued;
  d.expires_on = expires;
  return d;
}

// The issue's example profile: a nursing-home CNA needs a CNA certification valid in
// the state, BLS, and a TB test within 12 months (CRED-REQ-PROFILE, CRED-HEALTH-RECENCY).
RequirementProfile NursingHomeCna() {
  return {FacilityId(1), "CNA",
          {{CredentialKind::kCertification, "CNA", true, std::nullopt},
           {CredentialKind::kCertification, "BLS", false, std::nullopt},
           {CredentialKind::kHealth, "TB", false, 365}}};
}

std::vector<std::string> Codes(const ComplianceResult& r) {
  std::vector<std::string> out;
  for (const auto& x : r.reasons) out.push_back(x.code);
  return out;
}

TEST(Compliance, NursingHomeCnaRows) {
  auto known = Known();
  const Discipline& cna = known[3];
  auto profile = NursingHomeCna();
  auto base = [] {
    return std::vector<Credential>{
        Verified(1, Cert("CNA", {2024, 2, 1}, Date{2027, 2, 1}, CredentialKind::kCertification, "IL")),
        Verified(2, Cert("BLS", {2024, 6, 1}, Date{2026, 6, 30})),
        Verified(3, Cert("TB", {2025, 9, 1}, std::nullopt, CredentialKind::kHealth)),
    };
  };
  struct Row {
    const char* name;
    std::function<void(std::vector<Credential>&, ComplianceInput&)> edit;
    ComplianceStatus status;
    std::vector<std::string> codes;
  } rows[] = {
      {"all current", [](auto&, auto&) {}, ComplianceStatus::kCompliant, {}},
      {"BLS expires within 30 days", [](auto&, auto& in) { in.on = Date{2026, 6, 5}; }, ComplianceStatus::kExpiring, {"credential_expiring"}},
      // CRED-EXPIRY-INCLUSIVE: valid through the expiry date, expired the day after.
      {"BLS last valid day", [](auto&, auto& in) { in.on = Date{2026, 6, 30}; in.window_days = 0; }, ComplianceStatus::kCompliant, {}},
      {"BLS expired the day after", [](auto&, auto& in) { in.on = Date{2026, 7, 1}; }, ComplianceStatus::kNonCompliant, {"credential_expired"}},
      {"TB older than 12 months", [](auto&, auto& in) { in.on = Date{2026, 9, 2}; in.window_days = 0; }, ComplianceStatus::kNonCompliant, {"credential_expired", "health_record_stale"}},
      {"TB stale soon", [](auto&, auto& in) { in.on = Date{2026, 8, 20}; in.window_days = 15; }, ComplianceStatus::kNonCompliant, {"credential_expired", "credential_expiring"}},
      {"CNA from another state", [](auto& c, auto&) { c[0].draft.jurisdiction = "IN"; }, ComplianceStatus::kNonCompliant, {"credential_wrong_state"}},
      {"BLS pending verification", [](auto& c, auto&) { c[1].verification = Verification::kPending; }, ComplianceStatus::kNonCompliant, {"credential_unverified"}},
      {"BLS rejected counts as missing", [](auto& c, auto&) { c[1].verification = Verification::kRejected; }, ComplianceStatus::kNonCompliant, {"requirement_missing"}},
      {"no TB", [](auto& c, auto&) { c.pop_back(); }, ComplianceStatus::kNonCompliant, {"requirement_missing"}},
      {"a newer BLS wins", [](auto& c, auto& in) { in.on = Date{2026, 7, 1}; c.push_back(Verified(9, Cert("BLS", {2026, 6, 20}, Date{2028, 6, 30}))); }, ComplianceStatus::kCompliant, {}},
      {"suspended clinician", [](auto&, auto& in) { in.clinician_status = ClinicianStatus::kSuspended; }, ComplianceStatus::kNonCompliant, {"clinician_not_active"}},
      {"excluded", [](auto&, auto& in) { in.excluded = true; }, ComplianceStatus::kNonCompliant, {"excluded"}},
      {"discipline not held", [](auto&, auto& in) { in.clinician_disciplines = {"RN"}; }, ComplianceStatus::kNonCompliant, {"discipline_not_held"}},
  };
  for (const auto& r : rows) {
    auto creds = base();
    ComplianceInput in;
    in.clinician_disciplines = {"CNA"};
    in.primary_state = "IL";
    in.discipline = &cna;
    in.known = &known;
    in.facility_state = "IL";
    in.on = Date{2026, 3, 1};
    in.requirements = &profile;
    r.edit(creds, in);
    in.credentials = &creds;
    auto res = EvaluateCompliance(in);
    EXPECT_EQ(res.status, r.status) << r.name << ": got " << ComplianceName(res.status);
    EXPECT_EQ(Codes(res), r.codes) << r.name;
  }
}

// CRED-EXPIRY-INCLUSIVE with the clock (issue 3 part 8): an expired BLS makes the
// clinician non-compliant at midnight of the facility's zone, without anyone acting. The
// routes and the marketplace take "today" as ToLocal(now or shift start, facility zone).
TEST(Compliance, ExpiredBlsFlipsAtMidnightInTheFacilitysZone) {
  auto known = Known();
  const Discipline& cna = known[3];
  auto profile = NursingHomeCna();
  std::vector<Credential> creds{
      Verified(1, Cert("CNA", {2024, 2, 1}, Date{2027, 2, 1}, CredentialKind::kCertification, "CA")),
      Verified(2, Cert("BLS", {2024, 6, 1}, Date{2026, 6, 30})),
      Verified(3, Cert("TB", {2025, 9, 1}, std::nullopt, CredentialKind::kHealth)),
  };
  auto at = [&](const char* instant) {
    ComplianceInput in;
    in.clinician_disciplines = {"CNA"};
    in.primary_state = "CA";
    in.discipline = &cna;
    in.known = &known;
    in.facility_state = "CA";
    in.on = ToLocal(*ParseInstant(instant), "America/Los_Angeles").date;
    in.window_days = 0;
    in.requirements = &profile;
    in.credentials = &creds;
    return EvaluateCompliance(in);
  };
  struct Row { const char* instant; ComplianceStatus status; std::vector<std::string> codes; } rows[] = {
      // Already July 1 in UTC, still June 30 in Los Angeles (PDT, UTC-7): still compliant.
      {"2026-07-01T03:00:00Z", ComplianceStatus::kCompliant, {}},
      {"2026-07-01T06:59:59Z", ComplianceStatus::kCompliant, {}},
      {"2026-07-01T07:00:00Z", ComplianceStatus::kNonCompliant, {"credential_expired"}},
  };
  for (const auto& r : rows) {
    auto res = at(r.instant);
    EXPECT_EQ(res.status, r.status) << r.instant << ": got " << ComplianceName(res.status);
    EXPECT_EQ(Codes(res), r.codes) << r.instant;
  }
}

TEST(Compliance, RnLicenseImpliedAndCompactApplies) {
  auto known = Known();
  const Discipline& rn = known[0];
  struct Row { const char* name; std::vector<Credential> creds; const char* facility_state; std::vector<std::string> codes; } rows[] = {
      {"no license at all", {}, "AZ", {"requirement_missing"}},
      {"multistate TX license in AZ", {Verified(1, License("RN", "TX", true, {2027, 1, 31}))}, "AZ", {}},
      {"multistate TX license in CA", {Verified(1, License("RN", "TX", true, {2027, 1, 31}))}, "CA", {"license_not_valid_in_state"}},
      {"CA license in CA", {Verified(1, License("RN", "CA", false, {2027, 1, 31}))}, "CA", {}},
      {"two licenses, the valid one counts", {Verified(1, License("RN", "CA", false, {2027, 1, 31})), Verified(2, License("RN", "TX", true, {2027, 1, 31}))}, "AZ", {}},
  };
  for (const auto& r : rows) {
    ComplianceInput in;
    in.clinician_disciplines = {"RN"};
    in.primary_state = "TX";
    in.discipline = &rn;
    in.known = &known;
    in.facility_state = r.facility_state;
    in.on = Date{2026, 3, 1};
    in.credentials = &r.creds;
    auto res = EvaluateCompliance(in);
    EXPECT_EQ(Codes(res), r.codes) << r.name;
    if (r.codes.empty()) EXPECT_EQ(res.compliant_until, (Date{2027, 1, 31})) << r.name;
  }
}

// CRED-EXPIRY-ALERT
TEST(Expiry, ListsVerifiedCredentialsInTheWindowSoonestFirst) {
  std::vector<Credential> creds = {
      Verified(1, Cert("BLS", {2024, 1, 1}, Date{2026, 3, 20})),
      Verified(2, Cert("ACLS", {2024, 1, 1}, Date{2026, 3, 5})),
      Verified(3, Cert("PALS", {2024, 1, 1}, Date{2026, 5, 5})),   // outside 30 days
      Verified(4, Cert("NRP", {2024, 1, 1}, Date{2026, 2, 28})),   // already expired
  };
  creds.push_back(Verified(5, Cert("TNCC", {2024, 1, 1}, Date{2026, 3, 10})));
  creds.back().verification = Verification::kPending;
  auto out = ExpiringWithin(creds, {2026, 3, 1}, 30);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].id, CredentialId(2));
  EXPECT_EQ(out[1].id, CredentialId(1));
}

// CRED-DOC-SNIFF
TEST(Documents, SniffedFromMagicBytesOnly) {
  using namespace std::string_literals;
  struct Row { const char* name; std::string bytes; std::optional<std::string> type; } rows[] = {
      {"pdf", "%PDF-1.7\n%..."s, "application/pdf"},
      {"jpeg", "\xFF\xD8\xFF\xE0\x00\x10JFIF"s, "image/jpeg"},
      {"png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s, "image/png"},
      {"claims pdf, is text", "hello, I am a PDF"s, std::nullopt},
      {"gif", "GIF89a"s, std::nullopt},
      {"truncated png", "\x89PNG"s, std::nullopt},
      {"empty", ""s, std::nullopt},
      {"pdf not at start", " %PDF-1.4"s, std::nullopt},
  };
  for (const auto& r : rows) EXPECT_EQ(SniffDocumentType(r.bytes), r.type) << r.name;
}

TEST(Requirements, DuplicatesAndRangesNamed) {
  auto res = ValidateRequirements({{CredentialKind::kCertification, "BLS", false, std::nullopt},
                                   {CredentialKind::kCertification, "BLS", false, std::nullopt},
                                   {CredentialKind::kHealth, "TB", false, 0}});
  ASSERT_FALSE(res.ok());
  ASSERT_EQ(res.error().fields.size(), 2u);
  EXPECT_EQ(res.error().fields[0].field, "items.1");
  EXPECT_EQ(res.error().fields[1].field, "items.2.max_age_days");
}

}  // namespace
}  // namespace openmso::credentialing
