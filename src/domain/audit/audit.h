// The audit module: an append-only, SHA-256 hash-chained trail of every change and every
// read of personal data. Verification walks the chain and names the first broken link.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/core.h"

namespace openmso::audit {

// Outcomes (AUDIT-OUTCOME): "success", "denied" (403/401), "invalid" (4xx input),
// "failure" (e.g. wrong password), "error" (5xx).
struct Event {
  int64_t seq = 0;  // 1, 2, 3, ... assigned by Append
  Instant at;
  std::optional<UserId> actor_user_id;
  std::string actor_role;   // role name, or "anonymous" / "system"
  std::string action;       // "facility.create", "user.read", "auth.login", ...
  std::string entity_type;  // "facility", "user", "session", ...
  std::string entity_id;    // the id, or "*" for a list
  std::optional<FacilityId> facility_id;
  std::string request_id;
  std::string client_ip;
  std::string outcome;
  std::string prev_hash;  // hash of event seq-1 ("" for seq 1)
  std::string hash;       // SHA-256 over prev_hash and the canonical form of this event
};

// The canonical byte string that is hashed (AUDIT-CHAIN): every field but `hash`, each
// length-prefixed so that no two different events serialize alike.
std::string CanonicalForm(const Event& e);
// Hex SHA-256 of prev_hash + CanonicalForm(e).
std::string ComputeHash(const Event& e);

struct Filter {
  std::optional<int64_t> before_seq;  // events with seq < before_seq
  std::optional<std::string> action;
  std::optional<UserId> actor_user_id;
  std::optional<FacilityId> facility_id;
  int limit = 50;  // 1..500
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  // Serializes appenders for the rest of the transaction (PostgreSQL: an advisory
  // transaction lock; SQLite: already serialized by BEGIN IMMEDIATE).
  virtual Result<void> LockChain() = 0;
  virtual Result<std::optional<Event>> Last() = 0;
  virtual Result<void> Insert(const Event& e) = 0;
  // Newest first.
  virtual Result<std::vector<Event>> Page(const Filter& f) = 0;
  // Calls fn for each event in seq order, from the start, in batches; stops when fn
  // returns false.
  virtual Result<void> Scan(const std::function<bool(const Event&)>& fn) = 0;
};

// Appends `e` (seq, prev_hash and hash are filled in) in the caller's write transaction,
// so the change and its audit event commit together or not at all.
Result<Event> Append(AuditRepository& repo, Event e);

struct VerifyReport {
  bool ok = true;
  int64_t events_checked = 0;
  std::optional<int64_t> first_broken_seq;  // the row that fails to link
  std::string reason;                       // "hash mismatch", "sequence gap", ...
};

// Walks the whole chain. A row that was edited fails its own hash; a deleted row leaves a
// sequence gap and a prev_hash that does not link; reordered rows fail both.
Result<VerifyReport> Verify(AuditRepository& repo);

}  // namespace openmso::audit
