// The identity module: users and roles, who may see which facility (the access policy),
// password hashing, sessions with idle and absolute expiry, and login throttling.
// Everything here is pure or works through IdentityRepository; nothing knows of HTTP.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "domain/org/org.h"

namespace openmso::identity {

enum class Role { kMsoAdmin, kFacilityManager, kCredentialing, kBilling, kClinician, kAuditor };

std::string_view RoleName(Role role);                    // "mso_admin", ...
std::optional<Role> ParseRole(std::string_view name);
inline constexpr Role kAllRoles[] = {Role::kMsoAdmin,  Role::kFacilityManager, Role::kCredentialing,
                                     Role::kBilling,   Role::kClinician,       Role::kAuditor};

struct User {
  UserId id;
  MsoId mso_id;
  std::string email;
  std::string display_name;
  Role role = Role::kClinician;
  std::vector<FacilityId> facility_ids;  // for facility managers: their facilities
  bool active = true;
  std::optional<ClinicianId> clinician_id;  // for clinicians: their roster record
};

// The authenticated caller of a request.
struct Principal {
  UserId user_id;
  MsoId mso_id;
  Role role = Role::kClinician;
  std::vector<FacilityId> facility_ids;
  std::optional<ClinicianId> clinician_id;
  int64_t session_id = 0;
  std::string csrf_token;
};

// ---- Access policy (ACCESS-*) ------------------------------------------------------
// What each role may do, decided here and only here; the HTTP router consults it for
// every route (src/http/policy.cc). Source: shared/DESIGN.md "Who uses it (roles)".
enum class Permission {
  kFacilityRead,     // see facilities and units                     ACCESS-FACILITY-READ
  kFacilityWrite,    // create/edit facilities and units              ACCESS-FACILITY-WRITE
  kUserRead,         // list users and read their records            ACCESS-USER-READ
  kUserWrite,        // create users, assign roles and facilities    ACCESS-USER-WRITE
  kAuditRead,        // read the audit trail and verify it           ACCESS-AUDIT-READ
  kClinicianRead,    // read clinician records (personal data)       ACCESS-CLINICIAN-READ
  kClinicianWrite,   // edit a clinician's profile and credentials   ACCESS-CLINICIAN-WRITE
                     // (clinicians: only their own, by the scope rule)
  kCredentialing,    // verify credentials, change clinician status,  ACCESS-CREDENTIALING
                     // requirement profiles, expiry lists
  kShiftManage,      // post and cancel shifts, see their candidates  ACCESS-SHIFT-MANAGE
                     // (facility managers: their facilities, by the scope rule)
  kShiftClaim,       // claim an open shift for oneself; clock in/out ACCESS-SHIFT-CLAIM
  kTimesheetApprove, // approve/dispute timesheets and corrections    ACCESS-TIMESHEET-APPROVE
                     // (facility managers: their facilities, by the scope rule)
  kPayroll,          // compute, review and finalize pay runs; exports ACCESS-PAYROLL
  kBilling,          // service agreements, invoices, payments        ACCESS-BILLING
  kFinanceRead,      // read pay runs, invoices, A/R aging            ACCESS-FINANCE-READ
  kSelf,             // every signed-in user: their own account      ACCESS-SELF
};

bool RoleHas(Role role, Permission permission);
// True when the role sees every facility of its MSO (ACCESS-ALL-FACILITIES): MSO admin,
// credentialing, billing, auditor. Facility managers see only their assigned facilities;
// clinicians see none through the facility routes.
bool SeesAllFacilities(Role role);
// True when `p` may act on facility `f` (which belongs to MSO `f_mso`).
bool CanAccessFacility(const Principal& p, FacilityId f, MsoId f_mso);
// The facility filter for list queries: nullopt = all of the MSO, else exactly these.
std::optional<std::vector<FacilityId>> FacilityScope(const Principal& p);

// ---- Passwords -------------------------------------------------------------------
// Password rule (IDENT-PASSWORD): 12 to 256 characters (NIST SP 800-63B: length over
// composition rules).
Result<void> ValidatePassword(std::string_view password);
// argon2id via libsodium at the "interactive" limits (about 140 ms, 64 MiB here). At most
// `SetHashConcurrency` hashes run at once in the process (default 2); callers block.
// Thread-safe. Must not run on I/O threads.
std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view password, std::string_view hash);
void SetHashConcurrency(int n);

// ---- Tokens ----------------------------------------------------------------------
// A new opaque 256-bit random token, base64url without padding.
std::string NewToken();
// Lower-case hex SHA-256; sessions store only the hash of their token.
std::string Sha256Hex(std::string_view data);
// Constant-time comparison.
bool SecureEquals(std::string_view a, std::string_view b);

// ---- Sessions and throttling (IDENT-SESSION-*) ----------------------------------------
struct SessionPolicy {
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(15);  // HIPAA automatic log-off
  std::chrono::milliseconds absolute_lifetime = std::chrono::hours(12);
  int max_failed_logins = 5;                                          // then locked out
  std::chrono::milliseconds lockout = std::chrono::minutes(15);
};

struct SessionRecord {
  int64_t id = 0;
  UserId user_id;
  std::string csrf_token;
  Instant created_at, last_seen_at, expires_at;
  std::optional<Instant> revoked_at;
};

// Whether a stored session is usable at `now` (IDENT-SESSION-IDLE, IDENT-SESSION-ABSOLUTE).
bool SessionLive(const SessionRecord& s, const SessionPolicy& policy, Instant now);
Instant IdleExpiry(const SessionRecord& s, const SessionPolicy& policy);

struct UserCredentials {
  User user;
  std::string password_hash;
  int64_t failed_logins = 0;
  Instant locked_until;
};

class IdentityRepository {
 public:
  virtual ~IdentityRepository() = default;
  virtual Result<std::optional<UserCredentials>> FindByEmail(std::string_view email) = 0;
  // Errors: kNotFound.
  virtual Result<User> GetUser(UserId id) = 0;
  virtual Result<std::vector<User>> ListUsers(MsoId mso) = 0;
  // Errors: kConflict ("user-exists") when the email is taken.
  virtual Result<UserId> CreateUser(const User& user, std::string_view password_hash, Instant now) = 0;
  // Sets the failure counter and lock-out instant (0 failures clears the lock).
  virtual Result<void> SetLoginFailures(UserId id, int64_t failed, Instant locked_until) = 0;
  virtual Result<int64_t> CreateSession(UserId user, std::string_view token_hash, std::string_view csrf,
                                        Instant now, Instant expires_at) = 0;
  virtual Result<std::optional<SessionRecord>> FindSession(std::string_view token_hash) = 0;
  virtual Result<void> TouchSession(int64_t session_id, Instant now) = 0;
  virtual Result<void> RevokeSession(int64_t session_id, Instant now) = 0;
};

// Normalizes an email for lookup (trim, lower-case). Returns nullopt when it is not a
// plausible address (one '@', non-empty parts, no spaces, at most 254 characters).
std::optional<std::string> NormalizeEmail(std::string_view email);

// Validates a new user: email, display name, password rule, and that a facility manager
// has at least one facility and others none. Field names are the API's.
Result<void> ValidateNewUser(const User& user, std::string_view password);

}  // namespace openmso::identity
