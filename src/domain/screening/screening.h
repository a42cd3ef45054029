// The screening module: the CSV imports of credentialing. Exclusion screening against the
// OIG LEIE (its published 18-column layout, monthly supplements, name folding, the pure
// matcher indexed by NPI and by (last, first) name) and bulk onboarding of clinicians and
// their credentials. No SQL, no HTTP: the storage layer and the routes call these.
// Rules cite ../shared/domain/credentialing.md ("cred.md") §5 and issue 3 parts 7 and 9.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/core.h"
#include "domain/credentialing/credentialing.h"

namespace openmso::screening {

// ---- CSV (SCREEN-CSV) -------------------------------------------------------------------
// One record of a CSV file and the line on which it starts (1-based).
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
  bool bad_utf8 = false;  // the record's bytes are not valid UTF-8 (fields kept as given)
};

// Reads RFC 4180 CSV: comma-separated, fields optionally double-quoted ("" is a quote;
// a quoted field may span lines), LF or CRLF line ends; a UTF-8 byte-order mark is skipped;
// blank lines are skipped. Invalid UTF-8 marks its record (every bad record can then be
// reported). Errors: kInvalidArgument naming "line N" for a quote left open at the end of
// the file or text after a closing quote. Thread-safe (pure).
Result<std::vector<CsvRecord>> ReadCsv(std::string_view text);

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view s);

// ---- The OIG LEIE file (SCREEN-LEIE-LAYOUT, cred.md §5) ------------------------------------
inline constexpr std::string_view kLeieColumns[18] = {
    "LASTNAME", "FIRSTNAME", "MIDNAME", "BUSNAME", "GENERAL",  "SPECIALTY",  "UPIN",       "NPI",     "DOB",
    "ADDRESS",  "CITY",      "STATE",   "ZIP",     "EXCLTYPE", "EXCLDATE",   "REINDATE",   "WAIVERDATE", "WVRSTATE"};

// Which file: UPDATED.csv (the full active list, a replacement) or a monthly supplement
// (new exclusions, or reinstatements whose rows leave the active list).
enum class LeieKind { kFull, kExclusions, kReinstatements };
std::string_view LeieKindName(LeieKind k);  // "full", "exclusions", "reinstatements"
std::optional<LeieKind> ParseLeieKind(std::string_view name);

// One row, normalized: "0000000000" NPI and "00000000" dates become empty (cred.md §5:
// never join on a zero NPI). `raw` keeps the row as published, for evidence.
struct ExclusionEntry {
  std::string last_name, first_name, mid_name, bus_name, general, specialty, upin;
  std::optional<std::string> npi;
  std::optional<Date> dob;
  std::string address, city, state, zip, excl_type;
  std::optional<Date> excl_date, rein_date, waiver_date;
  std::string waiver_state;
  int line = 0;
};

// Parses a LEIE file. The header must be the 18 published columns in order; every value
// is checked: NPI empty, "0000000000" or 10 digits; DOB/EXCLDATE/REINDATE/WAIVERDATE empty,
// "00000000" or a real YYYYMMDD date; EXCLDATE required; an individual (LASTNAME and
// FIRSTNAME) or a business (BUSNAME); REINDATE required in a reinstatements file and
// absent from the others. Errors (kInvalidArgument, type "leie-format"): a changed header
// names the column ("header, column 9 (DOB)"); bad rows each name "line N, column NAME"
// (at most 100 listed). Nothing is returned unless the whole file is valid.
Result<std::vector<ExclusionEntry>> ParseLeie(std::string_view text, LeieKind kind);

// The identity of a list row across monthly files (a reinstatement removes the row with
// the same key): folded names, business name, NPI, DOB and exclusion date.
std::string EntryKey(const ExclusionEntry& e);

// SCREEN-ACTIVE (cred.md §5): an entry excludes on `on` unless reinstated on or before it.
bool IsActive(const ExclusionEntry& e, Date on);

// ---- Name folding (SCREEN-NAME-FOLD, cred.md §5) --------------------------------------------
// The comparison key of a name as a person would read it alike: Latin diacritics stripped
// (José = JOSE, Nuñez = NUNEZ, ß = SS, Æ = AE), case folded, and every character that is
// not a letter or digit dropped, so white space, hyphens and both apostrophes vanish:
// "O'Brien", "O’Brien" and "OBrien" agree, and so do "Smith-Jones" and "Smith Jones"
// (both readings of a hyphen at once). Other scripts are kept byte for byte.
std::string FoldName(std::string_view name);

// ---- Matching (SCREEN-MATCH) -------------------------------------------------------------
// A clinician as the matcher sees them.
struct Person {
  int64_t id = 0;
  std::string first_name;
  std::string last_name;
  std::optional<Date> dob;
  std::optional<std::string> npi;
};

// How a person matches a list row, strongest first. kNpi and kNameDob are confirmed
// exclusions at once; kName is a "possible" for human review, never an automatic
// exclusion (issue 3 part 7).
enum class MatchKind { kNpi, kNameDob, kName };
std::string_view MatchKindName(MatchKind k);  // "npi", "name_dob", "name"
std::optional<MatchKind> ParseMatchKind(std::string_view name);
inline bool IsConfirmedKind(MatchKind k) { return k != MatchKind::kName; }

struct Match {
  uint32_t person = 0;  // index into the screened persons
  uint32_t entry = 0;   // index into the index's entries
  MatchKind kind = MatchKind::kName;
};

// The active entries of a list on a date, indexed by NPI and by folded (last, first) name,
// so that screening a person costs two hash lookups, never a scan of the list.
// Thread-safe for concurrent Screen calls after construction; `entries` must outlive it.
class ExclusionIndex {
 public:
  ExclusionIndex(const std::vector<ExclusionEntry>& entries, Date on);
  // Appends the person's matches, one per entry, the strongest kind:
  //   SCREEN-NPI       same real NPI on both sides
  //   SCREEN-NAME-DOB  same folded last and first name and the same date of birth
  //   SCREEN-NAME-ONLY same folded last and first name, the birth dates unknown on either
  //                    side or different (a typo is possible: a human decides)
  //   SCREEN-NPI-CONFLICT a name match where both sides carry different real NPIs is at
  //                    most a possible
  // Middle names are ignored (middle-initial tolerance); businesses never match by name.
  void Screen(const Person& p, uint32_t person_index, std::vector<Match>& out) const;
  size_t active_entries() const { return active_; }
  const std::vector<ExclusionEntry>& entries() const { return entries_; }

 private:
  const std::vector<ExclusionEntry>& entries_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_npi_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_name_;
  size_t active_ = 0;
};

// Screens every person; matches in person order.
std::vector<Match> ScreenAll(const ExclusionIndex& index, const std::vector<Person>& persons);

// ---- Synthetic data (for tests and bench/screening_bench) -----------------------------------
// A deterministic LEIE file (header + `rows` rows, in the published layout; about a third
// with a real NPI, most with a DOB, a few businesses) from `seed`.
std::string SyntheticLeie(int rows, uint64_t seed);
// `count` deterministic clinicians from `seed` (valid NPIs on about half); none is meant to
// match a SyntheticLeie row except by coincidence of common names.
std::vector<Person> SyntheticPersons(int count, uint64_t seed);

// ---- Bulk onboarding (ONBOARD-CSV, issue 3 part 9; layout in docs/onboarding.md) ----------------
inline constexpr std::string_view kOnboardingColumns[] = {
    "email",           "first_name",       "last_name",      "date_of_birth", "phone",
    "npi",             "primary_state",    "disciplines",    "employment_type", "employment_class",
    "home_latitude",   "home_longitude",   "travel_radius_km", "credential_kind", "credential_type",
    "jurisdiction",    "number",           "multistate",     "issued_on",     "expires_on",
    "issuer"};

// One clinician of the file: the profile (from their first row) and a credential per row
// that names one.
struct OnboardingClinician {
  int line = 0;  // the clinician's first row
  std::string email;
  credentialing::ProfileDraft profile;
  std::vector<std::pair<int, credentialing::CredentialDraft>> credentials;  // (line, draft)
};

struct OnboardingFile {
  std::vector<OnboardingClinician> clinicians;  // those whose rows are all valid
  std::vector<FieldError> errors;               // every bad row: "line N, column C"
  int rows = 0;
};

// Parses and validates an onboarding file. A row is one credential of a clinician (the
// credential columns may be empty); rows with the same email belong to one clinician and
// must repeat the same profile. Dates are YYYY-MM-DD or MM/DD/YYYY (real dates only:
// 13/45/2026 is refused). Each row is checked with credentialing::ValidateProfile and
// ValidateCredential (unknown discipline, state code, expiry before issue, bad NPI...),
// plus column count, UTF-8, and an NPI or email used by two clinicians of the file.
// Errors: kInvalidArgument only for a file that cannot be read at all (a changed header
// naming the column, an open quote); row errors are in `errors`. Thread-safe (pure).
Result<OnboardingFile> ParseOnboarding(std::string_view text, const std::vector<credentialing::Discipline>& known,
                                       Date today);

// Reads a date as YYYY-MM-DD or MM/DD/YYYY; nullopt for anything else or an impossible date.
std::optional<Date> ParseFlexibleDate(std::string_view s);

}  // namespace openmso::screening
