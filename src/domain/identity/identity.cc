// Roles and the access policy table, argon2id hashing with bounded concurrency, tokens,
// and the session expiry rules.
#include "domain/identity/identity.h"

#include <sodium.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace openmso::identity {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kMsoAdmin: return "mso_admin";
    case Role::kFacilityManager: return "facility_manager";
    case Role::kCredentialing: return "credentialing";
    case Role::kBilling: return "billing";
    case Role::kClinician: return "clinician";
    case Role::kAuditor: return "auditor";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : kAllRoles)
    if (RoleName(r) == name) return r;
  return std::nullopt;
}

bool RoleHas(Role role, Permission p) {
  // The role/permission matrix. Auditors read everything, change nothing.
  switch (p) {
    case Permission::kSelf: return true;
    case Permission::kFacilityRead:
      return role != Role::kClinician;
    case Permission::kFacilityWrite:
      return role == Role::kMsoAdmin;
    case Permission::kUserRead:
      return role == Role::kMsoAdmin || role == Role::kAuditor;
    case Permission::kUserWrite:
      return role == Role::kMsoAdmin;
    case Permission::kAuditRead:
      return role == Role::kMsoAdmin || role == Role::kAuditor;
    case Permission::kClinicianRead:
      return role != Role::kBilling;
    case Permission::kClinicianWrite:
      return role == Role::kClinician || role == Role::kCredentialing || role == Role::kMsoAdmin;
    case Permission::kCredentialing:
      return role == Role::kCredentialing || role == Role::kMsoAdmin;
    case Permission::kShiftManage:
      return role == Role::kMsoAdmin || role == Role::kFacilityManager;
    case Permission::kShiftClaim:
      return role == Role::kClinician;
    case Permission::kTimesheetApprove:
      return role == Role::kMsoAdmin || role == Role::kFacilityManager;
    case Permission::kPayroll:
    case Permission::kBilling:
      return role == Role::kMsoAdmin || role == Role::kBilling;
    case Permission::kFinanceRead:
      return role == Role::kMsoAdmin || role == Role::kBilling || role == Role::kAuditor;
  }
  return false;
}

bool SeesAllFacilities(Role role) {
  return role == Role::kMsoAdmin || role == Role::kCredentialing || role == Role::kBilling ||
         role == Role::kAuditor;
}

bool CanAccessFacility(const Principal& p, FacilityId f, MsoId f_mso) {
  if (p.mso_id != f_mso) return false;
  if (SeesAllFacilities(p.role)) return true;
  if (p.role == Role::kFacilityManager)
    return std::find(p.facility_ids.begin(), p.facility_ids.end(), f) != p.facility_ids.end();
  return false;
}

std::optional<std::vector<FacilityId>> FacilityScope(const Principal& p) {
  if (SeesAllFacilities(p.role)) return std::nullopt;
  if (p.role == Role::kFacilityManager) return p.facility_ids;
  return std::vector<FacilityId>{};
}

namespace {

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium failed to initialize");
}

class HashGate {
 public:
  void Acquire() {
    std::unique_lock l(mu_);
    cv_.wait(l, [&] { return in_use_ < limit_; });
    ++in_use_;
  }
  void Release() {
    { std::lock_guard l(mu_); --in_use_; }
    cv_.notify_one();
  }
  void SetLimit(int n) {
    { std::lock_guard l(mu_); limit_ = std::max(1, n); }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int in_use_ = 0;
  int limit_ = 2;
};

HashGate& Gate() {
  static HashGate gate;
  return gate;
}

struct GateHold {
  GateHold() { Gate().Acquire(); }
  ~GateHold() { Gate().Release(); }
};

}  // namespace

Result<void> ValidatePassword(std::string_view pw) {
  if (pw.size() < 12 || pw.size() > 256)
    return Error::Invalid("password", "invalid_length", "Password must be 12 to 256 characters.");
  return Ok();
}

void SetHashConcurrency(int n) { Gate().SetLimit(n); }

std::string HashPassword(std::string_view password) {
  EnsureSodium();
  GateHold hold;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("argon2id hashing ran out of memory");
  return out;
}

bool VerifyPassword(std::string_view password, std::string_view hash) {
  EnsureSodium();
  GateHold hold;
  std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string NewToken() {
  EnsureSodium();
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string Sha256Hex(std::string_view data) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool SecureEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool SessionLive(const SessionRecord& s, const SessionPolicy& policy, Instant now) {
  if (s.revoked_at) return false;
  if (now >= s.expires_at) return false;
  return now < IdleExpiry(s, policy);
}

Instant IdleExpiry(const SessionRecord& s, const SessionPolicy& policy) {
  return std::min(s.last_seen_at + policy.idle_timeout, s.expires_at);
}

std::optional<std::string> NormalizeEmail(std::string_view e) {
  while (!e.empty() && (e.front() == ' ' || e.front() == '\t')) e.remove_prefix(1);
  while (!e.empty() && (e.back() == ' ' || e.back() == '\t')) e.remove_suffix(1);
  if (e.empty() || e.size() > 254) return std::nullopt;
  auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= e.size() || e.find('@', at + 1) != std::string_view::npos)
    return std::nullopt;
  std::string out;
  for (char c : e) {
    if (c == ' ' || static_cast<unsigned char>(c) < 0x21) return std::nullopt;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (out.find('.', at) == std::string::npos) return std::nullopt;
  return out;
}

Result<void> ValidateNewUser(const User& u, std::string_view password) {
  FieldErrors errs;
  if (!NormalizeEmail(u.email)) errs.Add("email", "invalid_email", "Not a valid email address.");
  if (u.display_name.empty() || u.display_name.size() > 200)
    errs.Add("display_name", "invalid_length", "Display name must be 1 to 200 characters.");
  if (auto p = ValidatePassword(password); !p.ok()) errs.Add("password", "invalid_length", p.error().fields[0].message);
  if (u.role == Role::kFacilityManager && u.facility_ids.empty())
    errs.Add("facility_ids", "required", "A facility manager needs at least one facility.");
  if (u.role != Role::kFacilityManager && !u.facility_ids.empty())
    errs.Add("facility_ids", "not_allowed", "Only facility managers are assigned to facilities.");
  if (!errs.empty()) return errs.ToError();
  return Ok();
}

}  // namespace openmso::identity
