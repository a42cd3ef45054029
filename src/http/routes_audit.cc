// Routes of the audit trail: paging and filtering events, and verifying the chain.
// Reading the trail is itself audited (it names people's actions).
#include <charconv>

#include "domain/audit/audit.h"
#include "http/internal.h"
#include "http/json_io.h"

namespace openmso::http {
namespace {

json::object EventJson(const audit::Event& e) {
  json::object o{{"seq", e.seq},          {"at", FormatInstant(e.at)},     {"actor_role", e.actor_role},
                 {"action", e.action},    {"entity_type", e.entity_type}, {"entity_id", e.entity_id},
                 {"request_id", e.request_id}, {"client_ip", e.client_ip}, {"outcome", e.outcome},
                 {"hash", e.hash}};
  o["actor_user_id"] = e.actor_user_id ? json::value(e.actor_user_id->value) : json::value(nullptr);
  o["facility_id"] = e.facility_id ? json::value(e.facility_id->value) : json::value(nullptr);
  return o;
}

Result<Response> ListEvents(RouteContext& ctx) {
  static const std::set<std::string> kKnown = {"limit", "before", "action", "actor_user_id", "facility_id"};
  for (const auto& [k, v] : ctx.req.query)
    if (!kKnown.count(k)) return Error::Invalid(k, "unknown_field", "Unknown query parameter.");
  audit::Filter f;
  OPENMSO_ASSIGN_OR_RETURN(auto limit, QueryInt(ctx.req, "limit", 1, 500));
  OPENMSO_ASSIGN_OR_RETURN(f.before_seq, QueryInt(ctx.req, "before", 1, INT64_MAX));
  OPENMSO_ASSIGN_OR_RETURN(auto actor, QueryInt(ctx.req, "actor_user_id", 1, INT64_MAX));
  OPENMSO_ASSIGN_OR_RETURN(auto facility, QueryInt(ctx.req, "facility_id", 1, INT64_MAX));
  f.limit = static_cast<int>(limit.value_or(50));
  if (actor) f.actor_user_id = UserId(*actor);
  if (facility) f.facility_id = FacilityId(*facility);
  if (auto a = ctx.req.Query("action"); a && !a->empty()) {
    if (a->size() > 100) return Error::Invalid("action", "too_long", "At most 100 characters.");
    f.action = *a;
  }
  OPENMSO_ASSIGN_OR_RETURN(auto events, storage::ReadValue<std::vector<audit::Event>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlAuditRepository(s).Page(f);
  }));
  json::array items;
  for (const auto& e : events) items.push_back(EventJson(e));
  json::object out{{"items", items}};
  out["next_before"] = (static_cast<int>(events.size()) == f.limit && !events.empty()) ? json::value(events.back().seq)
                                                                                      : json::value(nullptr);
  ctx.audit_entity_type = "audit_event";
  ctx.audit_entity_id = "*";
  return Json(out);
}

Result<Response> VerifyChain(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto rep, storage::ReadValue<audit::VerifyReport>(ctx.app.db, [&](storage::Session& s) {
    storage::SqlAuditRepository repo(s);
    return audit::Verify(repo);
  }));
  json::object out{{"ok", rep.ok}, {"events_checked", rep.events_checked}, {"reason", rep.reason}};
  out["first_broken_seq"] = ToJson(rep.first_broken_seq);
  return Json(out);
}

}  // namespace

void AddAuditRoutes(Router& r) {
  using identity::Permission;
  r.Add({"GET", "/api/v1/audit/events", "listAuditEvents", {Auth::kSession, Permission::kAuditRead}, "audit.list", ListEvents});
  r.Add({"GET", "/api/v1/audit/verify", "verifyAuditChain", {Auth::kSession, Permission::kAuditRead}, "audit.verify", VerifyChain});
}

}  // namespace openmso::http
