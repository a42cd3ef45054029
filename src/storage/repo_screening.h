// Exclusion screening in the database (repo_screening.cc): the active OIG LEIE rows, imports
// of the full file and monthly supplements, screening runs over the clinicians with the
// pure matcher of src/domain/screening, results with reviewers' decisions, and the
// clinician_exclusions rows the marketplace eligibility reads (MKT-ELIG-EXCLUDED).
// Every function runs in the caller's transaction (Session): an import and its screening
// commit together or not at all. Not thread-safe (a Session is not).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/screening/screening.h"
#include "storage/database.h"

namespace openmso::storage {

// One screening run: which list it used and what it found that was new.
struct ScreeningRunRow {
  int64_t id = 0;
  std::string trigger;  // import, onboarding, monthly, manual
  std::optional<int64_t> list_id;
  std::string list_sha256;
  int64_t clinicians = 0;  // screened
  int64_t confirmed = 0;   // new confirmed matches
  int64_t possible = 0;    // new possible matches
  int64_t lifted = 0;      // matches whose list row left the active list
  Instant started_at;
};

struct ExclusionImportRow {
  int64_t list_id = 0;
  std::string kind;
  std::string sha256;
  int64_t rows = 0;            // rows in the file
  int64_t active_entries = 0;  // rows of the active list after the import
  ScreeningRunRow run;         // the screening it started
};

// One (clinician, list row) match with the clinician's and the row's data side by side.
struct ScreeningResultRow {
  int64_t id = 0;
  int64_t run_id = 0;
  MsoId mso_id;
  ClinicianId clinician_id;
  std::string match;   // npi, name_dob, name
  std::string status;  // confirmed, possible, dismissed, lifted
  std::optional<UserId> decided_by;
  std::optional<Instant> decided_at;
  std::string reason;
  Instant created_at;
  std::string entry_json;  // the LEIE row as published (a JSON object)
  std::string first_name, last_name, primary_state;
  std::optional<Date> date_of_birth;
  std::optional<std::string> npi;
};

// Which clinicians a run screens: all of the database (default), one MSO's, or a list.
struct ScreeningScope {
  std::optional<MsoId> mso;
  std::optional<std::vector<ClinicianId>> clinicians;
};

// (phase, done, total), for a progress bar.
using ScreeningProgress = std::function<void(std::string_view, int64_t, int64_t)>;

// Records an imported LEIE file (kind and SHA-256) and applies it to the active list: a
// full file replaces it, an exclusions supplement adds (or replaces) its rows, a
// reinstatements supplement removes the rows with the same key (screening::EntryKey);
// then screens every clinician (SCREEN-AT-IMPORT). REQUIRES: `entries` came from
// screening::ParseLeie with the same kind.
Result<ExclusionImportRow> ImportExclusions(Session& s, screening::LeieKind kind,
                                            const std::vector<screening::ExclusionEntry>& entries,
                                            std::string_view sha256, std::optional<UserId> by, Instant now,
                                            const ScreeningProgress& progress = {});

// Screens the clinicians of `scope` against the active list on today's UTC date
// (SCREEN-MATCH): a new NPI or name+DOB match is stored as confirmed, excludes the
// clinician at once (clinician_exclusions) and queues "screening.exclusion_confirmed" in
// the notification outbox for each active credentialing user and MSO admin of the
// clinician's MSO; a name-only match is stored as possible for review. A match already
// recorded keeps its status (a dismissed possible is not raised again) unless the
// evidence is now stronger; results whose row left the list become "lifted" and the
// exclusion ends when no confirmed result remains. Errors: kConflict
// ("no-exclusion-list") before any list was imported.
Result<ScreeningRunRow> ScreenClinicians(Session& s, const ScreeningScope& scope, std::string_view trigger,
                                         std::optional<UserId> by, Instant now, const ScreeningProgress& progress = {});

// Sets clinician_exclusions (source LEIE) from the clinician's confirmed results.
Result<void> SyncExclusion(Session& s, ClinicianId c, Instant now);

// Results of the MSO, newest first; `status` "" for all.
Result<std::vector<ScreeningResultRow>> ListScreeningResults(Session& s, MsoId mso, std::string_view status,
                                                             std::optional<ClinicianId> clinician, int limit);
// Errors: kNotFound.
Result<ScreeningResultRow> GetScreeningResult(Session& s, int64_t id);
// SCREEN-REVIEW: confirms or dismisses a possible match. Confirming excludes the clinician
// at once and alerts the MSO. Errors: kNotFound; kConflict ("screening-result-decided")
// when the result is not a possible.
Result<ScreeningResultRow> DecideScreeningResult(Session& s, int64_t id, bool confirm, std::string_view reason,
                                                 UserId by, Instant now);
// Runs of the MSO and runs over every clinician, newest first.
Result<std::vector<ScreeningRunRow>> ListScreeningRuns(Session& s, MsoId mso, int limit);
// Errors: kNotFound.
Result<ScreeningRunRow> GetScreeningRun(Session& s, int64_t id);
// SCREEN-MONTHLY: true when a list is loaded and no run over every clinician started in
// the current UTC calendar month.
Result<bool> MonthlyScreeningDue(Session& s, Instant now);

// ---- Bulk onboarding (ONBOARD-CSV, issue 3 part 9) ---------------------------------------------
struct OnboardingImportRow {
  std::vector<ClinicianId> clinician_ids;  // created, in file order
  int64_t credentials_created = 0;
  std::vector<FieldError> errors;          // rows left out (valid_only) or none
  std::optional<ScreeningRunRow> screening;  // the new clinicians' screening, when a list is loaded
};

// Creates the file's clinicians in `mso` (status "verifying": their credentials await
// verification) with their profiles and credentials (pending verification), then screens
// them (SCREEN-AT-ONBOARDING) when an exclusion list is loaded. Adds the database's
// objections to the file's: an email already registered, an NPI another clinician holds
// (CRED-NPI-UNIQUE). ONBOARD-ALL-OR-NOTHING: unless `valid_only`, any error refuses the
// whole file (kInvalidArgument, type "onboarding-rejected", every error listed) and
// nothing is written; with `valid_only` the clean clinicians are imported and the errors
// returned beside them.
Result<OnboardingImportRow> ImportOnboarding(Session& s, MsoId mso, const screening::OnboardingFile& file, bool valid_only,
                                             Instant now);

}  // namespace openmso::storage
