// SQL of the notification outbox's delivery (claims, outcomes), per-user channel
// preferences, once-only expiry alerts, daily job markers and self sign-ups.
// Claims are one conditional UPDATE, safe with several servers on one database.
#include <algorithm>

#include "storage/storage.h"

namespace openmso::storage {
namespace {

constexpr Statement kQueue{"notify.queue",
    "INSERT INTO notification_outbox (mso_id, user_id, clinician_id, template, payload, status, attempts, "
    "next_attempt_at, created_at, to_address) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) RETURNING id"};
// The outer status/time test is re-evaluated on PostgreSQL against a row another server
// updated meanwhile (READ COMMITTED), so a row is claimed by one UPDATE only.
constexpr Statement kClaim{"notify.claim",
    "UPDATE notification_outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ? "
    "WHERE status IN ('pending', 'sending') AND next_attempt_at <= ? AND id IN ("
    "SELECT id FROM notification_outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= ? "
    "ORDER BY next_attempt_at, id LIMIT ?) RETURNING id"};
constexpr Statement kClaimed{"notify.claimed",
    "SELECT o.id, o.mso_id, o.user_id, o.clinician_id, o.template, o.payload, o.attempts, "
    "CASE WHEN o.to_address <> '' THEN o.to_address ELSE COALESCE(u.email, c.email, '') END, "
    "COALESCE(c.phone, ''), p.channel "
    "FROM notification_outbox o LEFT JOIN users u ON u.id = o.user_id "
    "LEFT JOIN clinicians c ON c.id = COALESCE(u.clinician_id, o.clinician_id) "
    "LEFT JOIN notification_preferences p ON p.user_id = o.user_id AND p.kind = o.template WHERE o.id = ?"};
constexpr Statement kMarkSent{"notify.mark_sent",
    "UPDATE notification_outbox SET status = 'sent', channel = ?, sent_at = ?, last_error = '' "
    "WHERE id = ? AND status = 'sending' AND attempts = ?"};
constexpr Statement kMarkSkipped{"notify.mark_skipped",
    "UPDATE notification_outbox SET status = 'skipped', channel = 'none', sent_at = ? "
    "WHERE id = ? AND status = 'sending' AND attempts = ?"};
constexpr Statement kMarkRetry{"notify.mark_retry",
    "UPDATE notification_outbox SET status = 'pending', next_attempt_at = ?, last_error = ? "
    "WHERE id = ? AND status = 'sending' AND attempts = ?"};
constexpr Statement kMarkDead{"notify.mark_dead",
    "UPDATE notification_outbox SET status = 'dead', last_error = ? WHERE id = ? AND status = 'sending' AND attempts = ?"};
#define OPENMSO_OUTBOX_COLUMNS \
  "id, user_id, clinician_id, template, status, channel, last_error, attempts, created_at, next_attempt_at, sent_at"
constexpr Statement kList{"notify.list",
    "SELECT " OPENMSO_OUTBOX_COLUMNS " FROM notification_outbox WHERE mso_id = ? ORDER BY id DESC LIMIT ?"};
constexpr Statement kListByStatus{"notify.list_by_status",
    "SELECT " OPENMSO_OUTBOX_COLUMNS " FROM notification_outbox WHERE mso_id = ? AND status = ? ORDER BY id DESC LIMIT ?"};
#undef OPENMSO_OUTBOX_COLUMNS
constexpr Statement kPreferences{"notify.preferences",
    "SELECT kind, channel FROM notification_preferences WHERE user_id = ? ORDER BY kind"};
constexpr Statement kPutPreference{"notify.put_preference",
    "INSERT INTO notification_preferences (user_id, kind, channel, updated_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (user_id, kind) DO UPDATE SET channel = excluded.channel, updated_at = excluded.updated_at"};
constexpr Statement kHasPhone{"notify.has_phone",
    "SELECT c.phone FROM users u JOIN clinicians c ON c.id = u.clinician_id WHERE u.id = ?"};
constexpr Statement kClaimDay{"notify.claim_day",
    "INSERT INTO daily_job_runs (name, last_day, ran_at) VALUES (?, ?, ?) "
    "ON CONFLICT (name) DO UPDATE SET last_day = excluded.last_day, ran_at = excluded.ran_at "
    "WHERE daily_job_runs.last_day < excluded.last_day RETURNING name"};
constexpr Statement kExpiryAlert{"notify.expiry_alert",
    "INSERT INTO credential_expiry_alerts (credential_id, expires_on, threshold_days, queued_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (credential_id, expires_on, threshold_days) DO NOTHING RETURNING credential_id"};
constexpr Statement kListMsos{"notify.list_msos", "SELECT id FROM msos ORDER BY id"};
constexpr Statement kUsersWithRole{"notify.users_with_role",
    "SELECT id FROM users WHERE mso_id = ? AND role = ? AND active = 1 ORDER BY id"};

#define OPENMSO_SIGNUP_COLUMNS                                                                              \
  "id, mso_id, email, first_name, last_name, phone, discipline, home_latitude_e6, home_longitude_e6, "  \
  "travel_radius_km, password_hash, expires_at, created_at, confirmed_at"
constexpr Statement kInsertSignup{"notify.insert_signup",
    "INSERT INTO signups (mso_id, email, first_name, last_name, phone, discipline, home_latitude_e6, home_longitude_e6, "
    "travel_radius_km, password_hash, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "RETURNING id"};
constexpr Statement kGetSignup{"notify.get_signup", "SELECT " OPENMSO_SIGNUP_COLUMNS " FROM signups WHERE id = ?"};
constexpr Statement kFindSignup{"notify.find_signup",
    "SELECT " OPENMSO_SIGNUP_COLUMNS " FROM signups WHERE token_hash = ? AND confirmed_at IS NULL"};
#undef OPENMSO_SIGNUP_COLUMNS
constexpr Statement kSetSignupToken{"notify.set_signup_token",
    "UPDATE signups SET token_hash = ?, expires_at = ? WHERE id = ? AND confirmed_at IS NULL"};
constexpr Statement kConfirmSignup{"notify.confirm_signup",
    "UPDATE signups SET confirmed_at = ?, user_id = ? WHERE id = ? AND confirmed_at IS NULL"};

Signup SignupFromRow(const Row& r) {
  Signup s;
  s.id = r.Int(0);
  s.mso_id = MsoId(r.Int(1));
  s.email = r.Text(2);
  s.first_name = r.Text(3);
  s.last_name = r.Text(4);
  s.phone = r.Text(5);
  s.discipline = r.Text(6);
  s.home_latitude_e6 = r.Int(7);
  s.home_longitude_e6 = r.Int(8);
  s.travel_radius_km = r.Int(9);
  s.password_hash = r.Text(10);
  s.expires_at = FromUnixMillis(r.Int(11));
  s.created_at = FromUnixMillis(r.Int(12));
  if (!r.IsNull(13)) s.confirmed_at = FromUnixMillis(r.Int(13));
  return s;
}

}  // namespace

Result<int64_t> SqlNotifyRepository::Queue(MsoId mso, std::optional<UserId> user, std::optional<ClinicianId> clinician,
                                           std::string_view template_name, std::string_view payload_json,
                                           std::string_view to_address, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kQueue, {mso.value, user ? Value(user->value) : Null(),
                                                        clinician ? Value(clinician->value) : Null(),
                                                        std::string(template_name), std::string(payload_json),
                                                        ToUnixMillis(now), ToUnixMillis(now), std::string(to_address)}));
  return rows.at(0).Int(0);
}

Result<std::vector<OutboxMessage>> SqlNotifyRepository::ClaimDue(Instant now, std::chrono::milliseconds lease, int limit) {
  OPENMSO_ASSIGN_OR_RETURN(auto ids, s_.Query(kClaim, {ToUnixMillis(now + lease), ToUnixMillis(now), ToUnixMillis(now),
                                                       int64_t{limit}}));
  std::vector<int64_t> sorted;
  for (const auto& r : ids) sorted.push_back(r.Int(0));
  std::sort(sorted.begin(), sorted.end());
  std::vector<OutboxMessage> out;
  for (int64_t id : sorted) {
    OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kClaimed, {id}));
    if (!row) continue;
    const Row& r = *row;
    OutboxMessage m;
    m.id = r.Int(0);
    m.mso_id = MsoId(r.Int(1));
    if (!r.IsNull(2)) m.user_id = UserId(r.Int(2));
    if (!r.IsNull(3)) m.clinician_id = ClinicianId(r.Int(3));
    m.template_name = r.Text(4);
    m.payload = r.Text(5);
    m.attempts = r.Int(6);
    m.email = r.Text(7);
    m.phone = r.Text(8);
    m.preference = r.OptText(9);
    out.push_back(std::move(m));
  }
  return out;
}

Result<bool> SqlNotifyRepository::MarkSent(int64_t id, int64_t attempts, std::string_view channel, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto n, s_.Exec(kMarkSent, {std::string(channel), ToUnixMillis(now), id, attempts}));
  return n == 1;
}

Result<bool> SqlNotifyRepository::MarkSkipped(int64_t id, int64_t attempts, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto n, s_.Exec(kMarkSkipped, {ToUnixMillis(now), id, attempts}));
  return n == 1;
}

Result<bool> SqlNotifyRepository::MarkFailed(int64_t id, int64_t attempts, std::string_view error,
                                             std::optional<Instant> retry_at) {
  std::string e(error.substr(0, 500));
  OPENMSO_ASSIGN_OR_RETURN(auto n, retry_at ? s_.Exec(kMarkRetry, {ToUnixMillis(*retry_at), e, id, attempts})
                                            : s_.Exec(kMarkDead, {e, id, attempts}));
  return n == 1;
}

Result<std::vector<SqlNotifyRepository::OutboxRow>> SqlNotifyRepository::List(MsoId mso, const std::optional<std::string>& status,
                                                                        int limit) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, status ? s_.Query(kListByStatus, {mso.value, *status, int64_t{limit}})
                                             : s_.Query(kList, {mso.value, int64_t{limit}}));
  std::vector<OutboxRow> out;
  for (const auto& r : rows) {
    OutboxRow x;
    x.id = r.Int(0);
    if (!r.IsNull(1)) x.user_id = UserId(r.Int(1));
    if (!r.IsNull(2)) x.clinician_id = ClinicianId(r.Int(2));
    x.template_name = r.Text(3);
    x.status = r.Text(4);
    x.channel = r.Text(5);
    x.last_error = r.Text(6);
    x.attempts = r.Int(7);
    x.created_at = FromUnixMillis(r.Int(8));
    x.next_attempt_at = FromUnixMillis(r.Int(9));
    if (!r.IsNull(10)) x.sent_at = FromUnixMillis(r.Int(10));
    out.push_back(std::move(x));
  }
  return out;
}

Result<std::map<std::string, std::string>> SqlNotifyRepository::Preferences(UserId user) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kPreferences, {user.value}));
  std::map<std::string, std::string> out;
  for (const auto& r : rows) out[r.Text(0)] = r.Text(1);
  return out;
}

Result<void> SqlNotifyRepository::PutPreference(UserId user, std::string_view kind, std::string_view channel, Instant now) {
  OPENMSO_TRY(s_.Exec(kPutPreference, {user.value, std::string(kind), std::string(channel), ToUnixMillis(now)}));
  return Ok();
}

Result<bool> SqlNotifyRepository::HasPhone(UserId user) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kHasPhone, {user.value}));
  return row && !row->Text(0).empty();
}

Result<bool> SqlNotifyRepository::ClaimDay(std::string_view name, std::string_view day, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kClaimDay, {std::string(name), std::string(day), ToUnixMillis(now)}));
  return !rows.empty();
}

Result<bool> SqlNotifyRepository::RecordExpiryAlert(CredentialId credential, Date expires_on, int threshold_days,
                                                     Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kExpiryAlert, {credential.value, expires_on.ToString(),
                                                              int64_t{threshold_days}, ToUnixMillis(now)}));
  return !rows.empty();
}

Result<std::vector<MsoId>> SqlNotifyRepository::ListMsos() {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListMsos));
  std::vector<MsoId> out;
  for (const auto& r : rows) out.push_back(MsoId(r.Int(0)));
  return out;
}

Result<std::vector<UserId>> SqlNotifyRepository::UsersWithRole(MsoId mso, identity::Role role) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kUsersWithRole, {mso.value, std::string(identity::RoleName(role))}));
  std::vector<UserId> out;
  for (const auto& r : rows) out.push_back(UserId(r.Int(0)));
  return out;
}

Result<int64_t> SqlNotifyRepository::InsertSignup(const Signup& s, std::string_view token_hash) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kInsertSignup, {s.mso_id.value, s.email, s.first_name, s.last_name, s.phone,
                                                               s.discipline, s.home_latitude_e6, s.home_longitude_e6,
                                                               s.travel_radius_km, s.password_hash, std::string(token_hash),
                                                               ToUnixMillis(s.expires_at), ToUnixMillis(s.created_at)}));
  return rows.at(0).Int(0);
}

Result<std::optional<Signup>> SqlNotifyRepository::GetSignup(int64_t id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kGetSignup, {id}));
  if (!row) return std::optional<Signup>();
  return std::optional<Signup>(SignupFromRow(*row));
}

Result<std::optional<Signup>> SqlNotifyRepository::FindSignupByToken(std::string_view token_hash) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kFindSignup, {std::string(token_hash)}));
  if (!row) return std::optional<Signup>();
  return std::optional<Signup>(SignupFromRow(*row));
}

Result<bool> SqlNotifyRepository::SetSignupToken(int64_t id, std::string_view token_hash, Instant expires_at) {
  OPENMSO_ASSIGN_OR_RETURN(auto n, s_.Exec(kSetSignupToken, {std::string(token_hash), ToUnixMillis(expires_at), id}));
  return n == 1;
}

Result<bool> SqlNotifyRepository::ConfirmSignup(int64_t id, UserId user, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto n, s_.Exec(kConfirmSignup, {ToUnixMillis(now), user.value, id}));
  return n == 1;
}

}  // namespace openmso::storage
