// Tests of the access policy matrix, password hashing, tokens and session expiry.
#include <gtest/gtest.h>

#include "domain/identity/identity.h"

namespace openmso::identity {
namespace {

TEST(Identity, RoleNamesRoundTrip) {
  for (Role r : kAllRoles) EXPECT_EQ(ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("root"));
}

TEST(Identity, PermissionMatrix) {
  using P = Permission;
  struct Row { Role role; P perm; bool allowed; } rows[] = {
      {Role::kMsoAdmin, P::kFacilityWrite, true},    {Role::kFacilityManager, P::kFacilityWrite, false},
      {Role::kAuditor, P::kFacilityWrite, false},    {Role::kAuditor, P::kAuditRead, true},
      {Role::kFacilityManager, P::kAuditRead, false}, {Role::kClinician, P::kFacilityRead, false},
      {Role::kBilling, P::kUserRead, false},         {Role::kClinician, P::kSelf, true},
      {Role::kBilling, P::kClinicianRead, false},     {Role::kCredentialing, P::kClinicianRead, true},
      {Role::kClinician, P::kClinicianWrite, true},   {Role::kFacilityManager, P::kClinicianWrite, false},
      {Role::kAuditor, P::kClinicianWrite, false},    {Role::kCredentialing, P::kCredentialing, true},
      {Role::kClinician, P::kCredentialing, false},   {Role::kFacilityManager, P::kCredentialing, false},
      {Role::kFacilityManager, P::kShiftManage, true}, {Role::kMsoAdmin, P::kShiftManage, true},
      {Role::kClinician, P::kShiftManage, false},     {Role::kAuditor, P::kShiftManage, false},
      {Role::kClinician, P::kShiftClaim, true},       {Role::kFacilityManager, P::kShiftClaim, false},
      {Role::kFacilityManager, P::kTimesheetApprove, true}, {Role::kClinician, P::kTimesheetApprove, false},
      {Role::kBilling, P::kTimesheetApprove, false},  {Role::kBilling, P::kPayroll, true},
      {Role::kFacilityManager, P::kPayroll, false},   {Role::kAuditor, P::kPayroll, false},
      {Role::kBilling, P::kBilling, true},            {Role::kCredentialing, P::kBilling, false},
      {Role::kAuditor, P::kFinanceRead, true},        {Role::kFacilityManager, P::kFinanceRead, false},
      {Role::kClinician, P::kFinanceRead, false},
  };
  for (const auto& r : rows)
    EXPECT_EQ(RoleHas(r.role, r.perm), r.allowed) << RoleName(r.role) << " perm " << static_cast<int>(r.perm);
}

TEST(Identity, FacilityScoping) {
  Principal manager{UserId(1), MsoId(1), Role::kFacilityManager, {FacilityId(10)}, {}, 0, ""};
  EXPECT_TRUE(CanAccessFacility(manager, FacilityId(10), MsoId(1)));
  EXPECT_FALSE(CanAccessFacility(manager, FacilityId(11), MsoId(1)));
  Principal admin{UserId(2), MsoId(1), Role::kMsoAdmin, {}, {}, 0, ""};
  EXPECT_TRUE(CanAccessFacility(admin, FacilityId(11), MsoId(1)));
  EXPECT_FALSE(CanAccessFacility(admin, FacilityId(11), MsoId(2)));  // other tenant
  Principal clinician{UserId(3), MsoId(1), Role::kClinician, {}, {}, 0, ""};
  EXPECT_FALSE(CanAccessFacility(clinician, FacilityId(10), MsoId(1)));
  EXPECT_FALSE(FacilityScope(admin).has_value());
  EXPECT_EQ(FacilityScope(manager)->size(), 1u);
  EXPECT_TRUE(FacilityScope(clinician)->empty());
}

TEST(Identity, PasswordHashVerifies) {
  std::string h = HashPassword("correct horse battery");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("correct horse battery", h));
  EXPECT_FALSE(VerifyPassword("correct horse batterz", h));
  EXPECT_FALSE(ValidatePassword("short").ok());
}

TEST(Identity, TokensAreRandomAndHashed) {
  auto a = NewToken(), b = NewToken();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(SecureEquals("x1", "x1"));
  EXPECT_FALSE(SecureEquals("x1", "x2"));
}

TEST(Identity, SessionIdleAndAbsoluteExpiry) {
  SessionPolicy policy;
  Instant t0 = FromUnixMillis(1'800'000'000'000);
  SessionRecord s{1, UserId(1), "c", t0, t0, t0 + std::chrono::hours(12), std::nullopt};
  EXPECT_TRUE(SessionLive(s, policy, t0 + std::chrono::minutes(14)));
  EXPECT_FALSE(SessionLive(s, policy, t0 + std::chrono::minutes(15)));  // IDENT-SESSION-IDLE
  s.last_seen_at = t0 + std::chrono::hours(11) + std::chrono::minutes(59);
  EXPECT_FALSE(SessionLive(s, policy, t0 + std::chrono::hours(12)));    // IDENT-SESSION-ABSOLUTE
  s.last_seen_at = t0;
  s.revoked_at = t0;
  EXPECT_FALSE(SessionLive(s, policy, t0));
}

TEST(Identity, EmailNormalization) {
  EXPECT_EQ(NormalizeEmail("  Admin@Demo.OpenMSO.org "), "admin@demo.openmso.org");
  EXPECT_FALSE(NormalizeEmail("no-at-sign"));
  EXPECT_FALSE(NormalizeEmail("a@@b.c"));
  EXPECT_FALSE(NormalizeEmail("a b@c.d"));
  EXPECT_FALSE(NormalizeEmail("a@nodot"));
}

}  // namespace
}  // namespace openmso::identity
