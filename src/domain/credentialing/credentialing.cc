// Rules of the credentialing module: NPI check digit, status flow, profile and credential
// validation, the Nurse Licensure Compact table, and the compliance evaluation. All pure.
#include "domain/credentialing/credentialing.h"

#include <algorithm>
#include <map>

namespace openmso::credentialing {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

template <typename Range>
bool OneOf(const Range& r, std::string_view v) {
  return std::find(std::begin(r), std::end(r), v) != std::end(r);
}

const Discipline* FindDiscipline(const std::vector<Discipline>& known, std::string_view code) {
  for (const auto& d : known)
    if (d.code == code) return &d;
  return nullptr;
}

}  // namespace

// CRED-NPI-LUHN (cred.md §4): Luhn over "80840" + NPI; the prefix contributes 24.
int NpiCheckDigit(std::string_view first9) {
  int total = 24;
  for (size_t i = 0; i < first9.size(); ++i) {
    int d = first9[i] - '0';
    if ((first9.size() - 1 - i) % 2 == 0) {  // rightmost of the nine, then every second leftwards
      d *= 2;
      d = d / 10 + d % 10;
    }
    total += d;
  }
  return (10 - total % 10) % 10;
}

bool IsValidNpi(std::string_view npi) {
  if (npi.size() != 10 || !AllDigits(npi) || (npi[0] != '1' && npi[0] != '2')) return false;
  return NpiCheckDigit(npi.substr(0, 9)) == npi[9] - '0';
}

// ---- Status ---------------------------------------------------------------------------

std::string_view StatusName(ClinicianStatus s) {
  switch (s) {
    case ClinicianStatus::kApplied: return "applied";
    case ClinicianStatus::kVerifying: return "verifying";
    case ClinicianStatus::kActive: return "active";
    case ClinicianStatus::kRejected: return "rejected";
    case ClinicianStatus::kSuspended: return "suspended";
  }
  return "applied";
}

std::optional<ClinicianStatus> ParseStatus(std::string_view n) {
  for (auto s : {ClinicianStatus::kApplied, ClinicianStatus::kVerifying, ClinicianStatus::kActive,
                 ClinicianStatus::kRejected, ClinicianStatus::kSuspended})
    if (StatusName(s) == n) return s;
  return std::nullopt;
}

// CRED-STATUS-FLOW (issue 3, part 1).
bool TransitionAllowed(ClinicianStatus from, ClinicianStatus to) {
  using S = ClinicianStatus;
  switch (from) {
    case S::kApplied: return to == S::kVerifying || to == S::kRejected;
    case S::kVerifying: return to == S::kActive || to == S::kRejected;
    case S::kActive: return to == S::kSuspended;
    case S::kRejected: return to == S::kVerifying;
    case S::kSuspended: return to == S::kActive || to == S::kVerifying;
  }
  return false;
}

Result<void> CheckTransition(ClinicianStatus from, ClinicianStatus to, std::string_view reason) {
  if (!TransitionAllowed(from, to))
    return Error::Conflict("invalid-status-transition", "A clinician cannot move from " + std::string(StatusName(from)) +
                                                            " to " + std::string(StatusName(to)) + ".");
  if ((to == ClinicianStatus::kRejected || to == ClinicianStatus::kSuspended) &&
      (reason.empty() || reason.size() > 1000))
    return Error::Invalid("reason", "required", "A reason of 1 to 1000 characters is required.");
  return Ok();
}

// ---- Profile ------------------------------------------------------------------------------

Result<void> ValidateProfile(const ProfileDraft& d, const std::vector<Discipline>& known, Date today) {
  FieldErrors errs;
  if (d.first_name.empty() || d.first_name.size() > 100) errs.Add("first_name", "invalid_length", "First name must be 1 to 100 characters.");
  if (d.last_name.empty() || d.last_name.size() > 100) errs.Add("last_name", "invalid_length", "Last name must be 1 to 100 characters.");
  if (d.phone.size() > 40) errs.Add("phone", "invalid_length", "Phone must be at most 40 characters.");
  if (d.date_of_birth) {
    int64_t age_days = today.DaysSinceEpoch() - d.date_of_birth->DaysSinceEpoch();
    if (age_days < 16 * 365 || age_days > 100 * 366)
      errs.Add("date_of_birth", "out_of_range", "Date of birth must make the clinician 16 to 100 years old.");
  }
  if (!(d.home.latitude >= -90 && d.home.latitude <= 90)) errs.Add("home.latitude", "out_of_range", "Latitude must be between -90 and 90.");
  if (!(d.home.longitude >= -180 && d.home.longitude <= 180)) errs.Add("home.longitude", "out_of_range", "Longitude must be between -180 and 180.");
  if (d.travel_radius_km < 0 || d.travel_radius_km > 500) errs.Add("travel_radius_km", "out_of_range", "Travel radius must be 0 to 500 km.");
  if (d.disciplines.empty() || d.disciplines.size() > 10) errs.Add("disciplines", "invalid_length", "List 1 to 10 disciplines.");
  for (size_t i = 0; i < d.disciplines.size(); ++i)
    if (!FindDiscipline(known, d.disciplines[i]))
      errs.Add("disciplines." + std::to_string(i), "unknown_discipline", "Unknown discipline.");
  if (d.specialties.size() > 20) errs.Add("specialties", "invalid_length", "List at most 20 specialties.");
  for (size_t i = 0; i < d.specialties.size(); ++i)
    if (d.specialties[i].empty() || d.specialties[i].size() > 60)
      errs.Add("specialties." + std::to_string(i), "invalid_length", "A specialty must be 1 to 60 characters.");
  if (!OneOf(kEmploymentTypes, d.employment_type)) errs.Add("employment_type", "invalid_value", "Unknown employment type.");
  if (!OneOf(kEmploymentClasses, d.employment_class)) errs.Add("employment_class", "invalid_value", "Employment class must be w2 or 1099.");
  // CRED-NPI-LUHN: a wrong check digit is a field error, not a silent accept.
  if (d.npi && !IsValidNpi(*d.npi)) errs.Add("npi", "invalid_npi", "NPI must be 10 digits starting with 1 or 2 with a valid check digit.");
  if (!d.primary_state.empty() && !org::IsUsStateCode(d.primary_state))
    errs.Add("primary_state", "invalid_value", "State must be a two-letter USPS code.");
  if (!errs.empty()) return errs.ToError();
  return Ok();
}

// ---- Credentials -----------------------------------------------------------------------

std::string_view KindName(CredentialKind k) {
  switch (k) {
    case CredentialKind::kLicense: return "license";
    case CredentialKind::kCertification: return "certification";
    case CredentialKind::kHealth: return "health";
    case CredentialKind::kBackgroundCheck: return "background_check";
  }
  return "license";
}

std::optional<CredentialKind> ParseKind(std::string_view n) {
  for (auto k : {CredentialKind::kLicense, CredentialKind::kCertification, CredentialKind::kHealth,
                 CredentialKind::kBackgroundCheck})
    if (KindName(k) == n) return k;
  return std::nullopt;
}

std::string_view VerificationName(Verification v) {
  switch (v) {
    case Verification::kPending: return "pending";
    case Verification::kVerified: return "verified";
    case Verification::kRejected: return "rejected";
  }
  return "pending";
}

std::optional<Verification> ParseVerification(std::string_view n) {
  for (auto v : {Verification::kPending, Verification::kVerified, Verification::kRejected})
    if (VerificationName(v) == n) return v;
  return std::nullopt;
}

// CRED-CRED-VALID (issue 3, "Bad input": expiry before issue, unknown state code).
Result<void> ValidateCredential(const CredentialDraft& d, const std::vector<Discipline>& known, Date today) {
  FieldErrors errs;
  bool type_ok = !d.type_code.empty() && d.type_code.size() <= 20 &&
                 std::all_of(d.type_code.begin(), d.type_code.end(), [](char c) {
                   return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
                 });
  if (!type_ok) errs.Add("type_code", "invalid_value", "Type code must be 1 to 20 upper-case letters, digits, '_' or '-'.");
  if (d.kind == CredentialKind::kLicense) {
    if (type_ok && !FindDiscipline(known, d.type_code))
      errs.Add("type_code", "unknown_discipline", "A license's type code must be a known discipline.");
    if (!org::IsUsStateCode(d.jurisdiction)) errs.Add("jurisdiction", "invalid_value", "State must be a two-letter USPS code.");
    if (d.number.empty()) errs.Add("number", "required", "A license number is required.");
    if (!d.expires_on) errs.Add("expires_on", "required", "A license has an expiry date.");
  } else {
    if (!d.jurisdiction.empty() && !org::IsUsStateCode(d.jurisdiction))
      errs.Add("jurisdiction", "invalid_value", "State must be a two-letter USPS code.");
    if (d.multistate) errs.Add("multistate", "invalid_value", "Only a license can be multistate.");
  }
  if (d.number.size() > 60) errs.Add("number", "invalid_length", "Number must be at most 60 characters.");
  if (d.issuer.size() > 200) errs.Add("issuer", "invalid_length", "Issuer must be at most 200 characters.");
  if (d.issued_on && *d.issued_on > today) errs.Add("issued_on", "in_future", "Issue date must not be in the future.");
  if (d.issued_on && d.expires_on && *d.expires_on < *d.issued_on)
    errs.Add("expires_on", "before_issue", "Expiry date must not be before the issue date.");
  if ((d.kind == CredentialKind::kHealth || d.kind == CredentialKind::kBackgroundCheck) && !d.issued_on)
    errs.Add("issued_on", "required", "The date of the test or check is required.");
  if (!errs.empty()) return errs.ToError();
  return Ok();
}

// ---- Nurse Licensure Compact -----------------------------------------------------------

// CRED-NLC-DATED (cred.md §2, "Membership ... keep it as a dated table"): the membership
// list as dated data, each row saying where its date comes from. The reference
// (../shared/domain/credentialing.md §2, "As of 2025-2026 public summaries") gives:
//   - Connecticut: "since 1 Oct 2025"                        -> 2025-10-01, stated
//   - Pennsylvania: "multistate licenses since July 2025"    -> month only: honoured from
//     2025-08-01, the first day the reference vouches for the whole month (fail closed)
//   - Guam: partial, accepts privileges, issues none          -> issues_multistate false
//   - every other fully implemented state: NO join or implementation date in the
//     reference -> not_stated, honoured from 2025-01-01 (the start of the summary's
//     period); before it the engine claims nothing (a single-state license is needed).
//   - Massachusetts, U.S. Virgin Islands: enacted, awaiting implementation, no date -> absent.
// Operators load the official dated table from nlc.gov with CompactTable::Parse.
constexpr std::string_view kDefaultCompact =
    "state,effective_from,effective_until,issues_multistate,date_basis\n"
    "# cred.md §2 states no date for these fully implemented members:\n"
    "AL,2025-01-01,,true,not_stated\nAZ,2025-01-01,,true,not_stated\nAR,2025-01-01,,true,not_stated\n"
    "CO,2025-01-01,,true,not_stated\nDE,2025-01-01,,true,not_stated\nFL,2025-01-01,,true,not_stated\n"
    "GA,2025-01-01,,true,not_stated\nID,2025-01-01,,true,not_stated\nIN,2025-01-01,,true,not_stated\n"
    "IA,2025-01-01,,true,not_stated\nKS,2025-01-01,,true,not_stated\nKY,2025-01-01,,true,not_stated\n"
    "LA,2025-01-01,,true,not_stated\nME,2025-01-01,,true,not_stated\nMD,2025-01-01,,true,not_stated\n"
    "MS,2025-01-01,,true,not_stated\nMO,2025-01-01,,true,not_stated\nMT,2025-01-01,,true,not_stated\n"
    "NE,2025-01-01,,true,not_stated\nNH,2025-01-01,,true,not_stated\nNJ,2025-01-01,,true,not_stated\n"
    "NM,2025-01-01,,true,not_stated\nNC,2025-01-01,,true,not_stated\nND,2025-01-01,,true,not_stated\n"
    "OH,2025-01-01,,true,not_stated\nOK,2025-01-01,,true,not_stated\nRI,2025-01-01,,true,not_stated\n"
    "SC,2025-01-01,,true,not_stated\nSD,2025-01-01,,true,not_stated\nTN,2025-01-01,,true,not_stated\n"
    "TX,2025-01-01,,true,not_stated\nUT,2025-01-01,,true,not_stated\nVT,2025-01-01,,true,not_stated\n"
    "VA,2025-01-01,,true,not_stated\nWA,2025-01-01,,true,not_stated\nWV,2025-01-01,,true,not_stated\n"
    "WI,2025-01-01,,true,not_stated\nWY,2025-01-01,,true,not_stated\n"
    "# cred.md §2: Connecticut \"since 1 Oct 2025\"\n"
    "CT,2025-10-01,,true,stated\n"
    "# cred.md §2: Pennsylvania \"multistate licenses since July 2025\" (no day given)\n"
    "PA,2025-08-01,,true,month_only\n"
    "# cred.md §2: Guam accepts multistate privileges but does not issue multistate licenses; no date\n"
    "GU,2025-01-01,,false,not_stated\n"
    "# cred.md §2: Massachusetts and the U.S. Virgin Islands enacted, awaiting implementation: absent\n";

std::string_view DateBasisName(DateBasis b) {
  switch (b) {
    case DateBasis::kStated: return "stated";
    case DateBasis::kMonthOnly: return "month_only";
    case DateBasis::kNotStated: return "not_stated";
  }
  return "stated";
}

const CompactTable& CompactTable::Default() {
  static const CompactTable t = [] {
    auto r = Parse(kDefaultCompact);
    return r.ok() ? std::move(r).value() : CompactTable({});
  }();
  return t;
}

Result<CompactTable> CompactTable::Parse(std::string_view text) {
  std::vector<CompactMembership> rows;
  int line_no = 0;
  bool header = true;
  bool with_basis = false;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      if (line != "state,effective_from,effective_until,issues_multistate" &&
          line != "state,effective_from,effective_until,issues_multistate,date_basis")
        return Error::Invalid("line 1", "bad_header",
                              "Header must be state,effective_from,effective_until,issues_multistate[,date_basis].");
      with_basis = line.ends_with(",date_basis");
      header = false;
      continue;
    }
    std::vector<std::string_view> cols;
    size_t start = 0;
    for (size_t i = 0; i <= line.size(); ++i)
      if (i == line.size() || line[i] == ',') { cols.push_back(line.substr(start, i - start)); start = i + 1; }
    std::string where = "line " + std::to_string(line_no);
    if (cols.size() != (with_basis ? 5u : 4u))
      return Error::Invalid(where, "column_count", with_basis ? "Expected 5 columns." : "Expected 4 columns.");
    CompactMembership m;
    m.state = std::string(cols[0]);
    if (!org::IsUsStateCode(m.state)) return Error::Invalid(where, "invalid_state", "Unknown state code.");
    auto from = Date::Parse(cols[1]);
    if (!from) return Error::Invalid(where, "invalid_date", "effective_from must be YYYY-MM-DD.");
    m.effective_from = *from;
    if (!cols[2].empty()) {
      m.effective_until = Date::Parse(cols[2]);
      if (!m.effective_until || *m.effective_until < m.effective_from)
        return Error::Invalid(where, "invalid_date", "effective_until must be a date on or after effective_from.");
    }
    if (cols[3] != "true" && cols[3] != "false") return Error::Invalid(where, "invalid_value", "issues_multistate must be true or false.");
    m.issues_multistate = cols[3] == "true";
    if (with_basis) {
      bool known = false;
      for (auto b : {DateBasis::kStated, DateBasis::kMonthOnly, DateBasis::kNotStated})
        if (DateBasisName(b) == cols[4]) { m.date_basis = b; known = true; }
      if (!known) return Error::Invalid(where, "invalid_value", "date_basis must be stated, month_only or not_stated.");
    }
    rows.push_back(std::move(m));
  }
  return CompactTable(std::move(rows));
}

const CompactMembership* CompactTable::Find(std::string_view state, Date on) const {
  for (const auto& r : rows_)
    if (r.state == state && r.effective_from <= on && (!r.effective_until || on <= *r.effective_until)) return &r;
  return nullptr;
}

bool CompactTable::IsMember(std::string_view state, Date on) const { return Find(state, on) != nullptr; }

bool CompactTable::Issues(std::string_view state, Date on) const {
  auto* r = Find(state, on);
  return r && r->issues_multistate;
}

// CRED-NLC-MULTISTATE (cred.md §2, "Engine rule of thumb"): valid where issued; or a
// multistate RN/LPN license issued by the primary state of residence, both states being
// implemented members on the date. CRED-NLC-SCOPE: APRN authority is not covered.
bool LicenseValidIn(const CredentialDraft& l, const Discipline& discipline, std::string_view primary_state,
                    std::string_view state, Date on, const CompactTable& compact) {
  if (l.jurisdiction == state) return true;
  if (!l.multistate || !discipline.nlc_eligible) return false;
  if (primary_state.empty() || primary_state != l.jurisdiction) return false;  // CRED-NLC-PSOR
  return compact.Issues(l.jurisdiction, on) && compact.IsMember(state, on);
}

// ---- Requirements ----------------------------------------------------------------------

Result<void> ValidateRequirements(const std::vector<RequirementItem>& items) {
  FieldErrors errs;
  if (items.size() > 50) errs.Add("items", "invalid_length", "At most 50 requirement items.");
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& it = items[i];
    std::string p = "items." + std::to_string(i);
    if (it.type_code.empty() || it.type_code.size() > 20) errs.Add(p + ".type_code", "invalid_length", "Type code must be 1 to 20 characters.");
    if (it.max_age_days && (*it.max_age_days < 1 || *it.max_age_days > 3660))
      errs.Add(p + ".max_age_days", "out_of_range", "Maximum age must be 1 to 3660 days.");
    for (size_t j = 0; j < i; ++j)
      if (items[j].kind == it.kind && items[j].type_code == it.type_code)
        errs.Add(p, "duplicate", "The same requirement is listed twice.");
  }
  if (!errs.empty()) return errs.ToError();
  return Ok();
}

// ---- Compliance ------------------------------------------------------------------------

std::string_view ComplianceName(ComplianceStatus s) {
  switch (s) {
    case ComplianceStatus::kCompliant: return "compliant";
    case ComplianceStatus::kExpiring: return "expiring";
    case ComplianceStatus::kNonCompliant: return "non_compliant";
  }
  return "non_compliant";
}

namespace {

std::string RequirementLabel(const RequirementItem& it) {
  return std::string(KindName(it.kind)) + ":" + it.type_code;
}

// How well one credential meets one requirement on a date; lower rank is better.
struct Fit {
  int rank = 99;  // 0 ok; 1 unverified; 2 not yet valid; 3 expired; 4 stale; 5 wrong state
  std::string code;
  std::string message;
};

Fit Assess(const Credential& c, const RequirementItem& req, const ComplianceInput& in, const CompactTable& compact) {
  const CredentialDraft& d = c.draft;
  if (req.kind == CredentialKind::kLicense) {
    // CRED-NLC-MULTISTATE; the license's own discipline decides the Compact scope.
    const Discipline* disc = d.type_code == in.discipline->code ? in.discipline
                             : in.known ? FindDiscipline(*in.known, d.type_code) : nullptr;
    Discipline none;
    if (!LicenseValidIn(d, disc ? *disc : none, in.primary_state, in.facility_state, in.on, compact))
      return {5, "license_not_valid_in_state", "The license does not authorize practice in the facility's state on this date."};
  } else if (req.in_facility_state && d.jurisdiction != in.facility_state) {
    return {5, "credential_wrong_state", "The credential must be issued by the facility's state."};
  }
  // CRED-EXPIRY-INCLUSIVE: valid through the expiry date, in the facility's time zone.
  if (d.expires_on && *d.expires_on < in.on) return {3, "credential_expired", "The credential has expired."};
  if (d.issued_on && in.on < *d.issued_on) return {2, "credential_not_yet_valid", "The credential is not valid yet on this date."};
  // CRED-HEALTH-RECENCY (cred.md §3: TB screening usually annual).
  if (req.max_age_days && d.issued_on &&
      in.on.DaysSinceEpoch() - d.issued_on->DaysSinceEpoch() > *req.max_age_days)
    return {4, "health_record_stale", "The record is older than the facility allows (" + std::to_string(*req.max_age_days) + " days)."};
  // CRED-VERIFIED-ONLY (cred.md §8): only primary-source verified credentials count.
  if (c.verification != Verification::kVerified)
    return {1, "credential_unverified", "The credential is awaiting verification."};
  return {0, "", ""};
}

// The last day a credential satisfies a requirement (expiry, or issue + max age).
std::optional<Date> LastGoodDay(const Credential& c, const RequirementItem& req) {
  std::optional<Date> last = c.draft.expires_on;
  if (req.max_age_days && c.draft.issued_on) {
    Date by_age = Date::FromDaysSinceEpoch(c.draft.issued_on->DaysSinceEpoch() + *req.max_age_days);
    if (!last || by_age < *last) last = by_age;
  }
  return last;
}

}  // namespace

// CRED-COMPLIANCE (cred.md §3 and §9): a pure function of clinician, credentials,
// requirements, exclusion result and compact table, as of a date.
ComplianceResult EvaluateCompliance(const ComplianceInput& in) {
  const CompactTable& compact = in.compact ? *in.compact : CompactTable::Default();
  ComplianceResult out;
  auto add = [&](std::string code, std::string requirement, std::string message,
                 std::optional<CredentialId> id = std::nullopt, std::optional<Date> exp = std::nullopt) {
    out.reasons.push_back({std::move(code), std::move(requirement), std::move(message), id, exp});
  };
  if (in.clinician_status != ClinicianStatus::kActive)
    add("clinician_not_active", "status", "The clinician's status is " + std::string(StatusName(in.clinician_status)) + ", not active.");
  if (in.excluded)
    add("excluded", "exclusion", "The clinician matches an exclusion list entry; federal programs may not pay for their services.");
  if (std::find(in.clinician_disciplines.begin(), in.clinician_disciplines.end(), in.discipline->code) ==
      in.clinician_disciplines.end())
    add("discipline_not_held", "discipline:" + in.discipline->code, "The clinician does not practise this discipline.");

  // CRED-REQ-DISCIPLINE-IMPLIED: the credential proving the discipline is always needed.
  std::vector<RequirementItem> items;
  if (in.requirements) items = in.requirements->items;
  bool has_proof = std::any_of(items.begin(), items.end(), [&](const RequirementItem& it) {
    return it.kind == in.discipline->proof && it.type_code == in.discipline->code;
  });
  if (!has_proof)
    items.insert(items.begin(), RequirementItem{in.discipline->proof, in.discipline->code,
                                                in.discipline->proof != CredentialKind::kLicense, std::nullopt});

  std::optional<Date> until;
  for (const auto& req : items) {
    const Credential* best = nullptr;
    Fit best_fit;
    std::optional<Date> best_last;
    for (const auto& c : *in.credentials) {
      if (c.draft.kind != req.kind || c.draft.type_code != req.type_code) continue;
      if (c.verification == Verification::kRejected) continue;
      Fit f = Assess(c, req, in, compact);
      auto last = LastGoodDay(c, req);
      bool better = f.rank < best_fit.rank ||
                    (f.rank == best_fit.rank && f.rank == 0 && (!last || (best_last && *best_last < *last)));
      if (!best || better) { best = &c; best_fit = f; best_last = last; }
    }
    std::string label = RequirementLabel(req);
    if (!best) {
      add("requirement_missing", label, "No " + std::string(KindName(req.kind)) + " " + req.type_code + " is on file.");
      continue;
    }
    if (best_fit.rank != 0) {
      add(best_fit.code, label, best_fit.message, best->id, best->draft.expires_on);
      continue;
    }
    if (best_last) {
      if (!until || *best_last < *until) until = best_last;
      // Expiring: still good today, but not through the window.
      if (best_last->DaysSinceEpoch() - in.on.DaysSinceEpoch() < in.window_days)
        add("credential_expiring", label, "Expires within " + std::to_string(in.window_days) + " days.", best->id, best_last);
    }
  }
  bool hard = std::any_of(out.reasons.begin(), out.reasons.end(), [](const Reason& r) { return r.code != "credential_expiring"; });
  out.status = hard ? ComplianceStatus::kNonCompliant
               : out.reasons.empty() ? ComplianceStatus::kCompliant
                                     : ComplianceStatus::kExpiring;
  if (!hard) out.compliant_until = until;
  return out;
}

// CRED-DOC-SNIFF (issue 3, part 3: type sniffed from the content, not the name).
std::optional<std::string> SniffDocumentType(std::string_view b) {
  if (b.size() >= 5 && b.substr(0, 5) == "%PDF-") return "application/pdf";
  if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8 &&
      static_cast<unsigned char>(b[2]) == 0xFF)
    return "image/jpeg";
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "image/png";
  return std::nullopt;
}

// CRED-EXPIRY-ALERT (cred.md §3: warn before expirations).
std::vector<Credential> ExpiringWithin(const std::vector<Credential>& credentials, Date on, int window_days) {
  std::vector<Credential> out;
  Date last = Date::FromDaysSinceEpoch(on.DaysSinceEpoch() + window_days);
  for (const auto& c : credentials)
    if (c.verification == Verification::kVerified && c.draft.expires_on && on <= *c.draft.expires_on &&
        *c.draft.expires_on <= last)
      out.push_back(c);
  std::stable_sort(out.begin(), out.end(), [](const Credential& a, const Credential& b) {
    return *a.draft.expires_on < *b.draft.expires_on;
  });
  return out;
}

}  // namespace openmso::credentialing
