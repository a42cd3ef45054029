// SQL implementation of audit::AuditRepository over the append-only audit_events table.
// PostgreSQL appenders are serialized by a transaction-scoped advisory lock.
#include "storage/storage.h"

namespace openmso::storage {
namespace {

constexpr int64_t kAuditLockKey = 0x6f6d736f61756474;  // "omsoaudt"

constexpr Statement kLockPg{"audit.lock", "SELECT pg_advisory_xact_lock(?)"};
constexpr Statement kLast{"audit.last",
    "SELECT seq, at, actor_user_id, actor_role, action, entity_type, entity_id, facility_id, request_id, "
    "client_ip, outcome, prev_hash, hash FROM audit_events ORDER BY seq DESC LIMIT 1"};
constexpr Statement kInsert{"audit.insert",
    "INSERT INTO audit_events (seq, at, actor_user_id, actor_role, action, entity_type, entity_id, facility_id, "
    "request_id, client_ip, outcome, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
// Filters use "? IS NULL OR" so one prepared statement serves every combination.
constexpr Statement kPage{"audit.page",
    "SELECT seq, at, actor_user_id, actor_role, action, entity_type, entity_id, facility_id, request_id, "
    "client_ip, outcome, prev_hash, hash FROM audit_events "
    "WHERE seq < ? AND (CAST(? AS TEXT) IS NULL OR action = ?) AND (CAST(? AS BIGINT) IS NULL OR actor_user_id = ?) "
    "AND (CAST(? AS BIGINT) IS NULL OR facility_id = ?) ORDER BY seq DESC LIMIT ?"};
constexpr Statement kScan{"audit.scan",
    "SELECT seq, at, actor_user_id, actor_role, action, entity_type, entity_id, facility_id, request_id, "
    "client_ip, outcome, prev_hash, hash FROM audit_events WHERE seq > ? ORDER BY seq LIMIT 1000"};

audit::Event FromRow(const Row& r) {
  audit::Event e;
  e.seq = r.Int(0);
  e.at = FromUnixMillis(r.Int(1));
  if (!r.IsNull(2)) e.actor_user_id = UserId(r.Int(2));
  e.actor_role = r.Text(3);
  e.action = r.Text(4);
  e.entity_type = r.Text(5);
  e.entity_id = r.Text(6);
  if (!r.IsNull(7)) e.facility_id = FacilityId(r.Int(7));
  e.request_id = r.Text(8);
  e.client_ip = r.Text(9);
  e.outcome = r.Text(10);
  e.prev_hash = r.Text(11);
  e.hash = r.Text(12);
  return e;
}

}  // namespace

Result<void> SqlAuditRepository::LockChain() {
  if (s_.backend() == Backend::kPostgres) OPENMSO_TRY(s_.Query(kLockPg, {kAuditLockKey}));
  return Ok();
}

Result<std::optional<audit::Event>> SqlAuditRepository::Last() {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kLast));
  if (!row) return std::optional<audit::Event>();
  return std::optional(FromRow(*row));
}

Result<void> SqlAuditRepository::Insert(const audit::Event& e) {
  OPENMSO_TRY(s_.Exec(kInsert, {e.seq, ToUnixMillis(e.at), e.actor_user_id ? Value(e.actor_user_id->value) : Null(),
                                e.actor_role, e.action, e.entity_type, e.entity_id,
                                e.facility_id ? Value(e.facility_id->value) : Null(), e.request_id, e.client_ip,
                                e.outcome, e.prev_hash, e.hash}));
  return Ok();
}

Result<std::vector<audit::Event>> SqlAuditRepository::Page(const audit::Filter& f) {
  Value action = f.action ? Value(*f.action) : Null();
  Value actor = f.actor_user_id ? Value(f.actor_user_id->value) : Null();
  Value facility = f.facility_id ? Value(f.facility_id->value) : Null();
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kPage, {f.before_seq.value_or(INT64_MAX), action, action, actor, actor,
                                                       facility, facility, int64_t{f.limit}}));
  std::vector<audit::Event> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<void> SqlAuditRepository::Scan(const std::function<bool(const audit::Event&)>& fn) {
  int64_t after = 0;
  for (;;) {
    OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kScan, {after}));
    if (rows.empty()) return Ok();
    for (const auto& r : rows) {
      auto e = FromRow(r);
      after = e.seq;
      if (!fn(e)) return Ok();
    }
  }
}

}  // namespace openmso::storage
