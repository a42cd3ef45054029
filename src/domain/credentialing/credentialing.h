// The credentialing module: who may legally work where. Clinician profiles beyond the
// roster record, credentials (licenses, certifications, health records, background
// checks), the Nurse Licensure Compact as dated data, requirement profiles per facility
// and discipline, and the pure compliance function the marketplace calls.
// Rules cite ../shared/domain/credentialing.md ("cred.md" below) by section.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "domain/identity/identity.h"
#include "domain/org/org.h"

namespace openmso {
using CredentialId = Id<struct CredentialTag>;
using DocumentId = Id<struct DocumentTag>;
}  // namespace openmso

namespace openmso::credentialing {

// ---- NPI (CRED-NPI-LUHN, cred.md §4) -------------------------------------------------
// The check digit of the first nine digits: Luhn over "80840" + the nine digits, i.e.
// the doubled-and-reduced odd positions from the right plus the constant 24.
// REQUIRES: first9 is exactly nine ASCII digits.
int NpiCheckDigit(std::string_view first9);
// True for ten digits, first digit 1 or 2 (current issuance), correct check digit.
bool IsValidNpi(std::string_view npi);

// ---- Disciplines (data, not a frozen enum) -----------------------------------------
enum class CredentialKind { kLicense, kCertification, kHealth, kBackgroundCheck };

struct Discipline {
  std::string code;   // "RN", "LPN", "CNA", "NP", ...
  std::string name;
  bool nlc_eligible = false;  // CRED-NLC-SCOPE: the Compact covers RN and LPN/VN only
  // What proves the discipline (CRED-REQ-DISCIPLINE-IMPLIED): a license (RN, LPN, NP...),
  // or a certification listed on the state's registry (CNA, cred.md §1), which must then
  // be issued by the facility's state.
  CredentialKind proof = CredentialKind::kLicense;
};

// ---- Clinician status (CRED-STATUS-FLOW) ---------------------------------------------
// applied -> verifying -> active; verifying -> rejected; active <-> suspended;
// rejected -> verifying (re-application); suspended -> verifying. Only active clinicians
// can be offered shifts (issue 3, part 1).
enum class ClinicianStatus { kApplied, kVerifying, kActive, kRejected, kSuspended };
std::string_view StatusName(ClinicianStatus s);
std::optional<ClinicianStatus> ParseStatus(std::string_view name);
bool TransitionAllowed(ClinicianStatus from, ClinicianStatus to);
// Checks a status change. Errors: kConflict ("invalid-status-transition") for a move the
// flow does not allow; kInvalidArgument (field "reason") when moving to rejected or
// suspended without a reason (the clinician reads it).
Result<void> CheckTransition(ClinicianStatus from, ClinicianStatus to, std::string_view reason);

// ---- Profile --------------------------------------------------------------------------
inline constexpr std::string_view kEmploymentTypes[] = {"facility_staff", "float_pool", "per_diem"};
inline constexpr std::string_view kEmploymentClasses[] = {"w2", "1099"};

// The editable part of a clinician's profile (the full replacement of PUT .../profile).
struct ProfileDraft {
  std::string first_name;
  std::string last_name;
  std::string phone;                     // free text, e.g. "+1 312 555 0100"; may be empty
  std::optional<Date> date_of_birth;
  GeoPoint home;
  int64_t travel_radius_km = 0;          // 0..500
  std::vector<std::string> disciplines;  // codes of known disciplines; first is primary
  std::vector<std::string> specialties;  // free text tags, e.g. "geriatrics"
  std::string employment_type;           // one of kEmploymentTypes
  std::string employment_class;          // one of kEmploymentClasses
  std::optional<std::string> npi;        // CRED-NPI-LUHN
  std::string primary_state;             // primary state of residence (CRED-NLC-PSOR); "" = unknown
};

struct Profile {
  ClinicianId id;
  MsoId mso_id;
  std::string email;
  std::optional<FacilityId> home_facility_id;
  ClinicianStatus status = ClinicianStatus::kApplied;
  std::string status_reason;  // why rejected/suspended; shown to the clinician
  ProfileDraft draft;
};

// Checks every field; reports all offending fields at once (kInvalidArgument). Field names
// are the API's JSON names. `known` lists the disciplines on file.
Result<void> ValidateProfile(const ProfileDraft& d, const std::vector<Discipline>& known, Date today);

// ---- Credentials ----------------------------------------------------------------------
std::string_view KindName(CredentialKind k);  // "license", "certification", "health", "background_check"
std::optional<CredentialKind> ParseKind(std::string_view name);

enum class Verification { kPending, kVerified, kRejected };
std::string_view VerificationName(Verification v);  // "pending", "verified", "rejected"
std::optional<Verification> ParseVerification(std::string_view name);

// What the clinician (or staff) enters; verification fields are set only by the queue.
struct CredentialDraft {
  CredentialKind kind = CredentialKind::kLicense;
  // license: the discipline code ("RN"); certification: "BLS", "ACLS", "PALS", "CNA",
  // ...; health: "TB", "MMR", "HEPB", "FLU", ...; background check: "BACKGROUND", "DRUG".
  std::string type_code;
  std::string jurisdiction;  // issuing state (USPS code); required for licenses
  std::string number;        // license/card number; required for licenses
  bool multistate = false;   // licenses only (CRED-NLC-MULTISTATE)
  std::optional<Date> issued_on;
  std::optional<Date> expires_on;  // valid through this date, inclusive (CRED-EXPIRY-INCLUSIVE)
  std::string issuer;              // "AHA", "Illinois IDFPR", ...
};

struct Credential {
  CredentialId id;
  ClinicianId clinician_id;
  CredentialDraft draft;
  Verification verification = Verification::kPending;
  std::string verification_reason;  // why rejected
  std::string verification_source;  // "Nursys", "AHA eCard", "state registry", ...
  std::optional<UserId> verified_by;
  std::optional<Instant> verified_at;
};

// Checks a draft (CRED-CRED-VALID): known kind, type code 1..20 characters, a license has
// a known discipline, a US state and a number; a multistate flag only on a license;
// expiry not before issue; issue not in the future. Reports every field at once.
Result<void> ValidateCredential(const CredentialDraft& d, const std::vector<Discipline>& known, Date today);

// ---- Nurse Licensure Compact (CRED-NLC-DATED, cred.md §2) -----------------------------
// Where a row's effective_from comes from (CRED-NLC-DATED): the reference states the day;
// it states only the month (the row then starts the day after that month, failing
// closed); or it states no date at all (the row starts on the date of the reference's
// membership summary, 2025-01-01, and nothing is claimed before it).
enum class DateBasis { kStated, kMonthOnly, kNotStated };
std::string_view DateBasisName(DateBasis b);  // "stated", "month_only", "not_stated"

// One row of the dated membership table.
struct CompactMembership {
  std::string state;                     // USPS code
  Date effective_from;                   // multistate privileges honoured from this date
  std::optional<Date> effective_until;   // last day, when a state leaves
  bool issues_multistate = true;         // Guam accepts privileges but does not issue (cred.md §2)
  DateBasis date_basis = DateBasis::kStated;
};

class CompactTable {
 public:
  explicit CompactTable(std::vector<CompactMembership> rows) : rows_(std::move(rows)) {}
  // The table shipped with OpenMSO (see credentialing.cc for its sources).
  static const CompactTable& Default();
  // Parses "state,effective_from,effective_until,issues_multistate[,date_basis]" lines
  // (header line first, naming the same columns; '#' comments; date_basis defaults to
  // "stated"). Errors: kInvalidArgument naming the line.
  static Result<CompactTable> Parse(std::string_view text);
  // Whether `state` honours multistate privileges on `on`.
  bool IsMember(std::string_view state, Date on) const;
  // Whether `state` issues multistate licenses on `on`.
  bool Issues(std::string_view state, Date on) const;
  const std::vector<CompactMembership>& rows() const { return rows_; }

 private:
  const CompactMembership* Find(std::string_view state, Date on) const;
  std::vector<CompactMembership> rows_;
};

// CRED-NLC-MULTISTATE: whether license `l` (assumed active and verified) authorizes
// practice in `state` on `on`: issued by that state, or a multistate license of an
// NLC-eligible discipline issued by the clinician's primary state of residence while both
// that state and `state` are implemented members.
bool LicenseValidIn(const CredentialDraft& l, const Discipline& discipline, std::string_view primary_state,
                    std::string_view state, Date on, const CompactTable& compact);

// ---- Requirements (CRED-REQ-PROFILE, cred.md §3) --------------------------------------
struct RequirementItem {
  CredentialKind kind = CredentialKind::kCertification;
  std::string type_code;             // "BLS", "TB", "CNA", ...; for a license, the discipline
  bool in_facility_state = false;    // must be issued by the facility's state (e.g. CNA registry)
  std::optional<int> max_age_days;   // issued within this many days (TB within 12 months: 365)
};

// What a facility demands of one discipline. The credential proving the discipline itself
// is always required, profile or not (CRED-REQ-DISCIPLINE-IMPLIED).
struct RequirementProfile {
  FacilityId facility_id;
  std::string discipline;
  std::vector<RequirementItem> items;
};

Result<void> ValidateRequirements(const std::vector<RequirementItem>& items);

// ---- Compliance (CRED-COMPLIANCE) --------------------------------------------------------
enum class ComplianceStatus { kCompliant, kExpiring, kNonCompliant };
std::string_view ComplianceName(ComplianceStatus s);  // "compliant", "expiring", "non_compliant"

// One reason, with a stable code the UI and the marketplace key on:
//   clinician_not_active, discipline_not_held, excluded,
//   requirement_missing, credential_unverified, credential_expired, credential_not_yet_valid,
//   license_not_valid_in_state, credential_wrong_state, health_record_stale,
//   credential_expiring (the only code of status "expiring").
struct Reason {
  std::string code;
  std::string requirement;  // e.g. "license:RN", "certification:BLS"
  std::string message;      // safe to show; no personal data
  std::optional<CredentialId> credential_id;
  std::optional<Date> expires_on;
};

struct ComplianceResult {
  ComplianceStatus status = ComplianceStatus::kCompliant;
  std::vector<Reason> reasons;
  std::optional<Date> compliant_until;  // earliest expiry of the credentials relied upon
};

struct ComplianceInput {
  ClinicianStatus clinician_status = ClinicianStatus::kActive;
  std::vector<std::string> clinician_disciplines;
  std::string primary_state;
  const Discipline* discipline = nullptr;  // the discipline asked about; REQUIRES non-null
  const std::vector<Discipline>* known = nullptr;  // for licenses of other disciplines (NLC scope)
  std::string facility_state;
  Date on;                  // the date in the facility's time zone
  int window_days = 30;     // "expiring" window (issue 3, part 5)
  const std::vector<Credential>* credentials = nullptr;  // this clinician's; REQUIRES non-null
  const RequirementProfile* requirements = nullptr;      // may be null: license only
  const CompactTable* compact = nullptr;                 // null = CompactTable::Default()
  bool excluded = false;    // a confirmed exclusion-list match (cred.md §5)
};

// Pure: status and every reason, as of `in.on`. Non-compliant when any reason other than
// credential_expiring is present; expiring when only those; else compliant. For each
// requirement the best credential is used (verified, valid on the date, latest expiry).
ComplianceResult EvaluateCompliance(const ComplianceInput& in);

// ---- Expiry alerts (CRED-EXPIRY-ALERT) -------------------------------------------------
// Verified credentials whose expiry falls in [on, on + window_days], soonest first.
std::vector<Credential> ExpiringWithin(const std::vector<Credential>& credentials, Date on, int window_days);

// ---- Documents (CRED-DOC-SNIFF) ----------------------------------------------------------
// Evidence files for a credential, stored content-addressed (SHA-256) outside the
// database; this is their metadata.
struct CredentialDocument {
  DocumentId id;
  CredentialId credential_id;
  std::string sha256;        // lower-case hex of the content
  std::string content_type;  // as sniffed: application/pdf, image/jpeg, image/png
  int64_t size_bytes = 0;
  std::string file_name;     // as the uploader named it (display only; never trusted)
  std::optional<UserId> uploaded_by;
  Instant uploaded_at;
};

// The media type of `bytes` from their magic numbers (PDF "%PDF-", JPEG FF D8 FF, PNG
// 89 50 4E 47 0D 0A 1A 0A), never from a name or a declared Content-Type; nullopt for
// anything else.
std::optional<std::string> SniffDocumentType(std::string_view bytes);

// ---- Repository ------------------------------------------------------------------------
// Storage of profiles, credentials, requirement profiles and the notification outbox.
// Implementations run inside the caller's transaction and are not thread-safe.
class CredentialingRepository {
 public:
  virtual ~CredentialingRepository() = default;
  virtual Result<std::vector<Discipline>> ListDisciplines() = 0;
  // Errors: kNotFound.
  virtual Result<Profile> GetProfile(ClinicianId id) = 0;
  virtual Result<void> UpdateProfile(ClinicianId id, const ProfileDraft& d, Instant now) = 0;
  virtual Result<void> SetStatus(ClinicianId id, ClinicianStatus s, std::string_view reason, Instant now) = 0;
  // This clinician's credentials, by index (never a scan of all clinicians).
  virtual Result<std::vector<Credential>> ListCredentials(ClinicianId id) = 0;
  // Errors: kNotFound.
  virtual Result<Credential> GetCredential(CredentialId id) = 0;
  virtual Result<CredentialId> CreateCredential(ClinicianId c, const CredentialDraft& d, Instant now) = 0;
  // Replaces the draft and resets verification to pending. Errors: kNotFound.
  virtual Result<void> UpdateCredential(CredentialId id, const CredentialDraft& d, Instant now) = 0;
  virtual Result<void> DeleteCredential(CredentialId id) = 0;
  // Pending credentials of the MSO, oldest first, at most `limit`.
  virtual Result<std::vector<Credential>> ListPending(MsoId mso, int limit) = 0;
  virtual Result<void> RecordVerification(CredentialId id, Verification v, std::string_view reason,
                                          std::string_view source, UserId by, Instant at) = 0;
  // Verified credentials of the MSO expiring in [from, to], soonest first.
  virtual Result<std::vector<Credential>> ListExpiring(MsoId mso, Date from, Date to, int limit) = 0;
  // Nullopt when the facility has no profile for the discipline.
  virtual Result<std::optional<RequirementProfile>> GetRequirements(FacilityId f, std::string_view discipline) = 0;
  virtual Result<std::vector<RequirementProfile>> ListRequirements(FacilityId f) = 0;
  virtual Result<void> ReplaceRequirements(const RequirementProfile& p, Instant now) = 0;
  // The user account of a clinician (to address notifications), if any.
  virtual Result<std::optional<UserId>> UserOfClinician(ClinicianId id) = 0;
  // Queues a message in the notification outbox (delivered by the outbox sender).
  virtual Result<int64_t> QueueNotification(MsoId mso, std::optional<UserId> user, std::optional<ClinicianId> clinician,
                                            std::string_view template_name, std::string_view payload_json,
                                            Instant now) = 0;
  virtual Result<DocumentId> InsertDocument(const CredentialDocument& d) = 0;
  virtual Result<std::vector<CredentialDocument>> ListDocuments(CredentialId id) = 0;
  // Errors: kNotFound.
  virtual Result<CredentialDocument> GetDocument(DocumentId id) = 0;
};

}  // namespace openmso::credentialing
