// Hash chaining and verification of the audit trail (rule AUDIT-CHAIN).
#include "domain/audit/audit.h"

#include "domain/identity/identity.h"

namespace openmso::audit {
namespace {
void Put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}
}  // namespace

std::string CanonicalForm(const Event& e) {
  std::string out;
  Put(out, std::to_string(e.seq));
  Put(out, std::to_string(ToUnixMillis(e.at)));
  Put(out, e.actor_user_id ? std::to_string(e.actor_user_id->value) : "");
  Put(out, e.actor_role);
  Put(out, e.action);
  Put(out, e.entity_type);
  Put(out, e.entity_id);
  Put(out, e.facility_id ? std::to_string(e.facility_id->value) : "");
  Put(out, e.request_id);
  Put(out, e.client_ip);
  Put(out, e.outcome);
  Put(out, e.prev_hash);
  return out;
}

std::string ComputeHash(const Event& e) { return identity::Sha256Hex(CanonicalForm(e)); }

Result<Event> Append(AuditRepository& repo, Event e) {
  OPENMSO_TRY(repo.LockChain());
  OPENMSO_ASSIGN_OR_RETURN(auto last, repo.Last());
  e.seq = last ? last->seq + 1 : 1;
  e.prev_hash = last ? last->hash : "";
  e.hash = ComputeHash(e);
  OPENMSO_TRY(repo.Insert(e));
  return e;
}

Result<VerifyReport> Verify(AuditRepository& repo) {
  VerifyReport report;
  int64_t expected_seq = 1;
  std::string prev_hash;
  auto scan = repo.Scan([&](const Event& e) {
    ++report.events_checked;
    std::string reason;
    if (e.seq != expected_seq) reason = "sequence gap: expected " + std::to_string(expected_seq);
    else if (e.prev_hash != prev_hash) reason = "prev_hash does not link to the previous event";
    else if (ComputeHash(e) != e.hash) reason = "hash mismatch: the row was altered";
    if (!reason.empty()) {
      report.ok = false;
      report.first_broken_seq = e.seq;
      report.reason = reason;
      return false;
    }
    prev_hash = e.hash;
    ++expected_seq;
    return true;
  });
  if (!scan.ok()) return scan.error();
  return report;
}

}  // namespace openmso::audit
