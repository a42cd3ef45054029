// SQL implementation of identity::IdentityRepository: users, facility assignments,
// sessions (token hashes only) and login-failure counters.
#include "storage/storage.h"

namespace openmso::storage {
namespace {

constexpr Statement kFindByEmail{"identity.find_by_email",
    "SELECT id, mso_id, email, display_name, role, active, clinician_id, password_hash, failed_logins, "
    "locked_until FROM users WHERE email = ?"};
constexpr Statement kGetUser{"identity.get_user",
    "SELECT id, mso_id, email, display_name, role, active, clinician_id FROM users WHERE id = ?"};
constexpr Statement kListUsers{"identity.list_users",
    "SELECT id, mso_id, email, display_name, role, active, clinician_id FROM users WHERE mso_id = ? "
    "ORDER BY email"};
constexpr Statement kUserFacilities{"identity.user_facilities",
    "SELECT facility_id FROM user_facilities WHERE user_id = ? ORDER BY facility_id"};
constexpr Statement kInsertUser{"identity.insert_user",
    "INSERT INTO users (mso_id, email, display_name, role, password_hash, active, clinician_id, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Statement kInsertUserFacility{"identity.insert_user_facility",
    "INSERT INTO user_facilities (user_id, facility_id) VALUES (?, ?)"};
constexpr Statement kSetFailures{"identity.set_failures",
    "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?"};
constexpr Statement kInsertSession{"identity.insert_session",
    "INSERT INTO sessions (token_hash, csrf_token, user_id, created_at, last_seen_at, expires_at) "
    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Statement kFindSession{"identity.find_session",
    "SELECT id, user_id, csrf_token, created_at, last_seen_at, expires_at, revoked_at FROM sessions "
    "WHERE token_hash = ?"};
constexpr Statement kTouchSession{"identity.touch_session",
    "UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?"};
constexpr Statement kRevokeSession{"identity.revoke_session",
    "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"};

identity::User UserFromRow(const Row& r) {
  identity::User u;
  u.id = UserId(r.Int(0));
  u.mso_id = MsoId(r.Int(1));
  u.email = r.Text(2);
  u.display_name = r.Text(3);
  u.role = identity::ParseRole(r.Text(4)).value_or(identity::Role::kClinician);
  u.active = r.Bool(5);
  if (!r.IsNull(6)) u.clinician_id = ClinicianId(r.Int(6));
  return u;
}

}  // namespace

Result<std::vector<FacilityId>> SqlIdentityRepository::FacilitiesOf(UserId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kUserFacilities, {id.value}));
  std::vector<FacilityId> out;
  for (const auto& r : rows) out.push_back(FacilityId(r.Int(0)));
  return out;
}

Result<std::optional<identity::UserCredentials>> SqlIdentityRepository::FindByEmail(std::string_view email) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kFindByEmail, {std::string(email)}));
  if (!row) return std::optional<identity::UserCredentials>();
  identity::UserCredentials c;
  c.user = UserFromRow(*row);
  c.password_hash = row->Text(7);
  c.failed_logins = row->Int(8);
  c.locked_until = FromUnixMillis(row->Int(9));
  OPENMSO_ASSIGN_OR_RETURN(c.user.facility_ids, FacilitiesOf(c.user.id));
  return std::optional(std::move(c));
}

Result<identity::User> SqlIdentityRepository::GetUser(UserId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kGetUser, {id.value}));
  if (!row) return Error::NotFound("The user");
  auto u = UserFromRow(*row);
  OPENMSO_ASSIGN_OR_RETURN(u.facility_ids, FacilitiesOf(u.id));
  return u;
}

Result<std::vector<identity::User>> SqlIdentityRepository::ListUsers(MsoId mso) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListUsers, {mso.value}));
  std::vector<identity::User> out;
  for (const auto& r : rows) {
    auto u = UserFromRow(r);
    OPENMSO_ASSIGN_OR_RETURN(u.facility_ids, FacilitiesOf(u.id));
    out.push_back(std::move(u));
  }
  return out;
}

Result<UserId> SqlIdentityRepository::CreateUser(const identity::User& u, std::string_view hash, Instant now) {
  auto rows = s_.Query(kInsertUser, {u.mso_id.value, u.email, u.display_name, std::string(identity::RoleName(u.role)),
                                     std::string(hash), int64_t{u.active ? 1 : 0},
                                     u.clinician_id ? Value(u.clinician_id->value) : Null(), ToUnixMillis(now)});
  if (!rows.ok()) {
    if (rows.error().code == ErrorCode::kConflict)
      return Error::Conflict("user-exists", "A user with that email already exists.");
    return rows.error();
  }
  UserId id(rows->at(0).Int(0));
  for (FacilityId f : u.facility_ids) OPENMSO_TRY(s_.Exec(kInsertUserFacility, {id.value, f.value}));
  return id;
}

Result<void> SqlIdentityRepository::SetLoginFailures(UserId id, int64_t failed, Instant locked_until) {
  OPENMSO_TRY(s_.Exec(kSetFailures, {failed, ToUnixMillis(locked_until), id.value}));
  return Ok();
}

Result<int64_t> SqlIdentityRepository::CreateSession(UserId user, std::string_view token_hash, std::string_view csrf,
                                                     Instant now, Instant expires_at) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kInsertSession, {std::string(token_hash), std::string(csrf), user.value,
                                                                ToUnixMillis(now), ToUnixMillis(now),
                                                                ToUnixMillis(expires_at)}));
  return rows.at(0).Int(0);
}

Result<std::optional<identity::SessionRecord>> SqlIdentityRepository::FindSession(std::string_view token_hash) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kFindSession, {std::string(token_hash)}));
  if (!row) return std::optional<identity::SessionRecord>();
  identity::SessionRecord s;
  s.id = row->Int(0);
  s.user_id = UserId(row->Int(1));
  s.csrf_token = row->Text(2);
  s.created_at = FromUnixMillis(row->Int(3));
  s.last_seen_at = FromUnixMillis(row->Int(4));
  s.expires_at = FromUnixMillis(row->Int(5));
  if (!row->IsNull(6)) s.revoked_at = FromUnixMillis(row->Int(6));
  return std::optional(s);
}

Result<void> SqlIdentityRepository::TouchSession(int64_t session_id, Instant now) {
  OPENMSO_TRY(s_.Exec(kTouchSession, {ToUnixMillis(now), session_id, ToUnixMillis(now)}));
  return Ok();
}

Result<void> SqlIdentityRepository::RevokeSession(int64_t session_id, Instant now) {
  OPENMSO_TRY(s_.Exec(kRevokeSession, {ToUnixMillis(now), session_id}));
  return Ok();
}

}  // namespace openmso::storage
