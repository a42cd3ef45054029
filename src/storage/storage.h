// The public header of src/storage: the Database (SQLite or PostgreSQL) and the SQL
// repositories that implement the domain modules' repository interfaces.
// A repository is bound to one Session, i.e. one transaction; construct it inside the
// Read/Write callback and let it die there.
#pragma once

#include "domain/audit/audit.h"
#include "domain/identity/identity.h"
#include "domain/org/org.h"
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

// Microdegrees, the storage form of coordinates (exact, portable integers).
inline int64_t ToE6(double degrees) { return static_cast<int64_t>(degrees * 1e6 + (degrees < 0 ? -0.5 : 0.5)); }
inline double FromE6(int64_t e6) { return static_cast<double>(e6) / 1e6; }

}  // namespace openmso::storage
