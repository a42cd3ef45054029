// The public header of src/storage: the Database (SQLite or PostgreSQL) and the SQL
// repositories that implement the domain modules' repository interfaces.
// A repository is bound to one Session, i.e. one transaction; construct it inside the
// Read/Write callback and let it die there.
#pragma once

#include <map>

#include "domain/audit/audit.h"
#include "domain/credentialing/credentialing.h"
#include "domain/identity/identity.h"
#include "domain/marketplace/marketplace.h"
#include "domain/org/org.h"
#include "domain/timekeeping/timekeeping.h"
#include "storage/database.h"

namespace openmso::storage {

class SqlOrgRepository final : public org::OrgRepository {
 public:
  explicit SqlOrgRepository(Session& s) : s_(s) {}
  Result<std::vector<org::Facility>> ListFacilities(MsoId mso, const std::optional<std::vector<FacilityId>>& only) override;
  Result<org::Facility> GetFacility(FacilityId id) override;
  Result<FacilityId> CreateFacility(MsoId mso, const org::FacilityDraft& d, Instant now) override;
  Result<void> UpdateFacility(FacilityId id, const org::FacilityDraft& d, Instant now) override;
  Result<std::vector<org::Unit>> ListUnits(FacilityId facility) override;
  Result<org::Unit> GetUnit(UnitId id) override;
  Result<UnitId> CreateUnit(FacilityId facility, std::string_view name, std::string_view kind, Instant now) override;
  Result<MsoId> CreateMso(std::string_view name, Instant now) override;
  Result<ClinicianId> CreateClinician(const org::Clinician& c, Instant now) override;
  Result<std::vector<org::Clinician>> ListClinicians(MsoId mso, const std::optional<std::vector<FacilityId>>& home_facilities) override;
  Result<org::Clinician> GetClinician(ClinicianId id) override;

 private:
  Session& s_;
};

class SqlIdentityRepository final : public identity::IdentityRepository {
 public:
  explicit SqlIdentityRepository(Session& s) : s_(s) {}
  Result<std::optional<identity::UserCredentials>> FindByEmail(std::string_view email) override;
  Result<identity::User> GetUser(UserId id) override;
  Result<std::vector<identity::User>> ListUsers(MsoId mso) override;
  Result<UserId> CreateUser(const identity::User& user, std::string_view password_hash, Instant now) override;
  Result<void> SetLoginFailures(UserId id, int64_t failed, Instant locked_until) override;
  Result<int64_t> CreateSession(UserId user, std::string_view token_hash, std::string_view csrf, Instant now,
                                Instant expires_at) override;
  Result<std::optional<identity::SessionRecord>> FindSession(std::string_view token_hash) override;
  Result<void> TouchSession(int64_t session_id, Instant now) override;
  Result<void> RevokeSession(int64_t session_id, Instant now) override;

 private:
  Result<std::vector<FacilityId>> FacilitiesOf(UserId id);
  Session& s_;
};

class SqlAuditRepository final : public audit::AuditRepository {
 public:
  explicit SqlAuditRepository(Session& s) : s_(s) {}
  Result<void> LockChain() override;
  Result<std::optional<audit::Event>> Last() override;
  Result<void> Insert(const audit::Event& e) override;
  Result<std::vector<audit::Event>> Page(const audit::Filter& f) override;
  Result<void> Scan(const std::function<bool(const audit::Event&)>& fn) override;

 private:
  Session& s_;
};

class SqlCredentialingRepository final : public credentialing::CredentialingRepository {
 public:
  explicit SqlCredentialingRepository(Session& s) : s_(s) {}
  Result<std::vector<credentialing::Discipline>> ListDisciplines() override;
  Result<credentialing::Profile> GetProfile(ClinicianId id) override;
  Result<void> UpdateProfile(ClinicianId id, const credentialing::ProfileDraft& d, Instant now) override;
  Result<void> SetStatus(ClinicianId id, credentialing::ClinicianStatus s, std::string_view reason, Instant now) override;
  Result<std::vector<credentialing::Credential>> ListCredentials(ClinicianId id) override;
  Result<credentialing::Credential> GetCredential(CredentialId id) override;
  Result<CredentialId> CreateCredential(ClinicianId c, const credentialing::CredentialDraft& d, Instant now) override;
  Result<void> UpdateCredential(CredentialId id, const credentialing::CredentialDraft& d, Instant now) override;
  Result<void> DeleteCredential(CredentialId id) override;
  Result<std::vector<credentialing::Credential>> ListPending(MsoId mso, int limit) override;
  Result<void> RecordVerification(CredentialId id, credentialing::Verification v, std::string_view reason,
                                  std::string_view source, UserId by, Instant at) override;
  Result<std::vector<credentialing::Credential>> ListExpiring(MsoId mso, Date from, Date to, int limit) override;
  Result<std::optional<credentialing::RequirementProfile>> GetRequirements(FacilityId f, std::string_view discipline) override;
  Result<std::vector<credentialing::RequirementProfile>> ListRequirements(FacilityId f) override;
  Result<void> ReplaceRequirements(const credentialing::RequirementProfile& p, Instant now) override;
  Result<std::optional<UserId>> UserOfClinician(ClinicianId id) override;
  Result<int64_t> QueueNotification(MsoId mso, std::optional<UserId> user, std::optional<ClinicianId> clinician,
                                    std::string_view template_name, std::string_view payload_json, Instant now) override;
  Result<DocumentId> InsertDocument(const credentialing::CredentialDocument& d) override;
  Result<std::vector<credentialing::CredentialDocument>> ListDocuments(CredentialId id) override;
  Result<credentialing::CredentialDocument> GetDocument(DocumentId id) override;
  // Batch reads for facility-wide views (GET /facilities/{id}/compliance), one query per
  // table instead of one per clinician: the MSO's active clinicians (profiles with their
  // discipline lists; specialties left empty), their credentials, and those of them with a
  // confirmed exclusion-list match.
  Result<std::vector<credentialing::Profile>> ListActiveProfiles(MsoId mso);
  Result<std::vector<credentialing::Credential>> ListActiveCredentials(MsoId mso);
  Result<std::vector<ClinicianId>> ListActiveExcluded(MsoId mso);

 private:
  Session& s_;
};

class SqlMarketplaceRepository final : public marketplace::MarketplaceRepository {
 public:
  explicit SqlMarketplaceRepository(Session& s) : s_(s) {}
  Result<ShiftId> CreateShift(const marketplace::Shift& s) override;
  Result<marketplace::Shift> GetShift(ShiftId id) override;
  Result<std::vector<marketplace::Shift>> ListShifts(FacilityId f, Instant from, Instant to) override;
  Result<std::optional<Money>> RateCard(FacilityId f, std::string_view discipline) override;
  Result<void> LockClinician(ClinicianId c) override;
  Result<std::vector<marketplace::BookedShift>> BookedShifts(ClinicianId c, Instant from, Instant to) override;
  Result<bool> TakeOpening(ShiftId id, Instant now) override;
  Result<ClaimId> InsertClaim(ShiftId s, ClinicianId c, marketplace::ClaimStatus status, Instant now) override;
  Result<std::vector<marketplace::Claim>> ListClaims(ShiftId s) override;
  Result<marketplace::Claim> GetClaim(ClaimId id) override;
  Result<std::optional<marketplace::Claim>> FindClaim(ShiftId s, ClinicianId c) override;
  Result<bool> SetClaimStatus(ClaimId id, marketplace::ClaimStatus from, marketplace::ClaimStatus to, Instant now) override;
  Result<bool> ReleaseOpening(ShiftId id, Instant now) override;
  Result<marketplace::MarketplaceSettings> GetSettings(FacilityId f) override;
  Result<void> PutSettings(FacilityId f, const marketplace::MarketplaceSettings& s, Instant now) override;
  Result<bool> CancelShift(ShiftId id, std::string_view reason, Instant now) override;
  Result<int64_t> RecordCancellationPay(const marketplace::CancellationPayOwed& row) override;
  Result<bool> IsExcluded(ClinicianId c) override;
  Result<bool> IsDoNotReturn(FacilityId f, ClinicianId c) override;
  Result<bool> IsFavorite(FacilityId f, ClinicianId c) override;
  Result<std::vector<marketplace::Shift>> ListOpenShifts(MsoId mso, Instant from, int limit) override;
  Result<std::vector<marketplace::Claim>> PendingClaimsDue(Instant now, int limit) override;
  Result<std::vector<marketplace::Claim>> ListClaimsOf(ClinicianId c, Instant from) override;
  Result<bool> MarkNoShow(ClaimId id, Instant now) override;
  Result<bool> InsertRating(const marketplace::Rating& r) override;
  Result<marketplace::Reliability> ReliabilityOf(ClinicianId c, Instant now) override;
  Result<std::vector<ClinicianId>> ClinicianPool(MsoId mso, std::string_view discipline, GeoPoint near) override;
  Result<void> PutCalendarToken(ClinicianId c, std::string_view token_sha256, Instant now) override;
  Result<bool> DeleteCalendarToken(ClinicianId c) override;
  Result<std::optional<ClinicianId>> FindCalendarToken(std::string_view token_sha256) override;
  Result<bool> UpdateShift(const marketplace::Shift& s, UserId by, std::string_view reason,
                           std::string_view changes_json, Instant now) override;
  Result<bool> RecordRelease(ShiftId id, int from_tier, int tier, Instant now) override;
  Result<std::vector<marketplace::Shift>> ReleasesDue(Instant now, int limit) override;
  Result<std::vector<marketplace::FillSample>> FillSamples(FacilityId f, Instant from, Instant to) override;

 private:
  Session& s_;
};

class SqlTimekeepingRepository final : public timekeeping::TimekeepingRepository {
 public:
  explicit SqlTimekeepingRepository(Session& s) : s_(s) {}
  Result<TimesheetId> Insert(const timekeeping::Timesheet& t) override;
  Result<void> Update(timekeeping::Timesheet& t, Instant now) override;
  Result<timekeeping::Timesheet> Get(TimesheetId id) override;
  Result<std::optional<timekeeping::Timesheet>> FindByShift(ShiftId s, ClinicianId c) override;
  Result<std::vector<timekeeping::Timesheet>> OpenOf(ClinicianId c) override;
  Result<std::vector<timekeeping::Timesheet>> ListOf(ClinicianId c, int limit) override;
  Result<std::vector<timekeeping::Timesheet>> ListOfFacility(FacilityId f, std::optional<timekeeping::Status> status,
                                                             Instant from, Instant to, int limit) override;
  Result<std::vector<timekeeping::Timesheet>> DueForAutoApproval(Instant now, int limit) override;
  Result<void> AddPunch(TimesheetId t, const timekeeping::PunchRecord& p) override;
  Result<std::vector<timekeeping::PunchRecord>> Punches(TimesheetId t) override;
  Result<void> AddRevision(TimesheetId t, const timekeeping::RevisionRecord& r) override;
  Result<std::vector<timekeeping::RevisionRecord>> Revisions(TimesheetId t) override;
  Result<timekeeping::Settings> GetSettings(FacilityId f) override;
  Result<void> PutSettings(FacilityId f, const timekeeping::Settings& s, Instant now) override;

 private:
  Session& s_;
};

// ---- Notification outbox, preferences, expiry alerts, sign-ups (repo_notify.cc) ----------
// One outbox row claimed for delivery, with its recipient resolved: the row's to_address,
// else its user's email (else its clinician's); the phone of the user's clinician record.
struct OutboxMessage {
  int64_t id = 0;
  MsoId mso_id;
  std::optional<UserId> user_id;
  std::optional<ClinicianId> clinician_id;
  std::string template_name;
  std::string payload;               // JSON object
  int64_t attempts = 0;              // including this one
  std::string email;                 // "" when none is known
  std::string phone;                 // "" when none is known
  std::optional<std::string> preference;  // the user's channel for this template, if set
};

// A self sign-up waiting for its emailed confirmation (only the token's hash is kept).
struct Signup {
  int64_t id = 0;
  MsoId mso_id;
  std::string email, first_name, last_name, phone, discipline;
  int64_t home_latitude_e6 = 0, home_longitude_e6 = 0, travel_radius_km = 0;
  std::string password_hash;
  Instant expires_at, created_at;
  std::optional<Instant> confirmed_at;
};

class SqlNotifyRepository {
 public:
  explicit SqlNotifyRepository(Session& s) : s_(s) {}
  // Queues a message; `to_address` only for a recipient without an account (else "").
  Result<int64_t> Queue(MsoId mso, std::optional<UserId> user, std::optional<ClinicianId> clinician,
                        std::string_view template_name, std::string_view payload_json, std::string_view to_address,
                        Instant now);
  // NOTIFY-CLAIM: marks up to `limit` due rows (pending, or sending with a lapsed lease)
  // as sending until now + lease, counting the attempt, in one conditional UPDATE, so two
  // servers never claim the same row; returns them oldest first.
  Result<std::vector<OutboxMessage>> ClaimDue(Instant now, std::chrono::milliseconds lease, int limit);
  // Outcomes of a claimed row (attempt `attempts`; a row reclaimed since is left alone).
  // Returns false when the row was no longer this claim's.
  Result<bool> MarkSent(int64_t id, int64_t attempts, std::string_view channel, Instant now);
  Result<bool> MarkSkipped(int64_t id, int64_t attempts, Instant now);  // the user chose "none"
  // Back to pending at `retry_at`, or dead when nullopt; `error` holds no personal data.
  Result<bool> MarkFailed(int64_t id, int64_t attempts, std::string_view error, std::optional<Instant> retry_at);
  // The MSO's outbox rows, newest first, optionally of one status (payload not read).
  struct OutboxRow {
    int64_t id = 0;
    std::optional<UserId> user_id;
    std::optional<ClinicianId> clinician_id;
    std::string template_name, status, channel, last_error;
    int64_t attempts = 0;
    Instant created_at, next_attempt_at;
    std::optional<Instant> sent_at;
  };
  Result<std::vector<OutboxRow>> List(MsoId mso, const std::optional<std::string>& status, int limit);
  // The user's stored channel per kind.
  Result<std::map<std::string, std::string>> Preferences(UserId user);
  Result<void> PutPreference(UserId user, std::string_view kind, std::string_view channel, Instant now);
  // Whether the user's clinician record has a phone number.
  Result<bool> HasPhone(UserId user);
  // Claims `day` (YYYY-MM-DD) for daily job `name`: true for the first caller of the day.
  Result<bool> ClaimDay(std::string_view name, std::string_view day, Instant now);
  // NOTIFY-EXPIRY-ONCE: records that (credential, expiry, threshold) was alerted; false
  // when it already was.
  Result<bool> RecordExpiryAlert(CredentialId credential, Date expires_on, int threshold_days, Instant now);
  Result<std::vector<MsoId>> ListMsos();
  // Active users of the MSO with `role`, by id.
  Result<std::vector<UserId>> UsersWithRole(MsoId mso, identity::Role role);
  Result<int64_t> InsertSignup(const Signup& s, std::string_view token_hash);
  Result<std::optional<Signup>> GetSignup(int64_t id);
  // An unconfirmed sign-up by the hash of its token (expired ones too: the caller checks).
  Result<std::optional<Signup>> FindSignupByToken(std::string_view token_hash);
  // Replaces the token of an unconfirmed sign-up; false when confirmed meanwhile.
  Result<bool> SetSignupToken(int64_t id, std::string_view token_hash, Instant expires_at);
  // Marks it confirmed by `user` unless it already was (single use): true for the winner.
  Result<bool> ConfirmSignup(int64_t id, UserId user, Instant now);

 private:
  Session& s_;
};

// JOB-LEASE: takes or renews the lease of background job `name` for `holder` until
// now + ttl, unless another holder's lease is still running. True when `holder` holds it.
// Runs in the caller's write transaction; one statement, safe across servers.
Result<bool> TryJobLease(Session& s, std::string_view name, std::string_view holder, Instant now,
                         std::chrono::milliseconds ttl);

// Content-addressed files (credential documents) under a directory, outside the
// database: DIR/sha256/ab/<64 hex>. A write goes to a temp file, is fsynced, then renamed,
// so a reader never sees a partial file. Thread-safe (no shared state).
class BlobStore {
 public:
  explicit BlobStore(std::string dir) : dir_(std::move(dir)) {}
  // Stores `bytes`; returns their lower-case hex SHA-256. Idempotent. Errors: kUnavailable
  // when no directory is configured or it cannot be written.
  Result<std::string> Put(std::string_view bytes) const;
  // The bytes stored under `sha256`. Errors: kNotFound when absent; kInternal when the
  // file no longer matches its hash (tampering or corruption).
  Result<std::string> Get(std::string_view sha256) const;

 private:
  std::string PathOf(std::string_view sha256) const;
  std::string dir_;
};

// Microdegrees, the storage form of coordinates (exact, portable integers).
inline int64_t ToE6(double degrees) { return static_cast<int64_t>(degrees * 1e6 + (degrees < 0 ? -0.5 : 0.5)); }
inline double FromE6(int64_t e6) { return static_cast<double>(e6) / 1e6; }

}  // namespace openmso::storage
