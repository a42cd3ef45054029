// The live-event hub: local fan-out to WebSocket sessions, and cross-process delivery
// through the database's LISTEN/NOTIFY channel "openmso_events".
#include <boost/json.hpp>

#include <algorithm>

#include "http/http.h"

namespace openmso::http {
namespace {
constexpr std::string_view kChannel = "openmso_events";

std::string NotifyPayload(const LiveEvent& e) {
  boost::json::object o{{"mso_id", e.mso_id.value}, {"json", e.json}};
  o["facility_id"] = e.facility_id ? boost::json::value(e.facility_id->value) : boost::json::value(nullptr);
  o["user_id"] = e.user_id ? boost::json::value(e.user_id->value) : boost::json::value(nullptr);
  return boost::json::serialize(o);
}
}

int64_t EventHub::Subscribe(identity::Principal who, Sink sink) {
  std::lock_guard l(mu_);
  int64_t id = next_id_++;
  by_user_.emplace(who.user_id.value, id);
  sinks_.emplace(id, Subscriber{std::move(who), std::make_shared<const Sink>(std::move(sink))});
  return id;
}

void EventHub::Unsubscribe(int64_t id) {
  std::lock_guard l(mu_);
  auto it = sinks_.find(id);
  if (it == sinks_.end()) return;
  auto [b, e] = by_user_.equal_range(it->second.who.user_id.value);
  for (auto u = b; u != e; ++u)
    if (u->second == id) {
      by_user_.erase(u);
      break;
    }
  sinks_.erase(it);
}

void EventHub::Deliver(const LiveEvent& e) {
  // The sinks are chosen under the lock and called outside it (a sink may block briefly).
  thread_local std::vector<std::shared_ptr<const Sink>> chosen;
  chosen.clear();
  {
    std::lock_guard l(mu_);
    if (e.user_id) {  // LIVE-FANOUT: only that user's sessions
      auto [b, end] = by_user_.equal_range(e.user_id->value);
      for (auto u = b; u != end; ++u) {
        const Subscriber& s = sinks_.at(u->second);
        if (MayReceive(s.who, e)) chosen.push_back(s.sink);
      }
    } else {
      for (const auto& [id, s] : sinks_)
        if (MayReceive(s.who, e)) chosen.push_back(s.sink);
    }
  }
  for (const auto& s : chosen) (*s)(e);
  chosen.clear();
}

void EventHub::Publish(const LiveEvent& e) { Publish(std::span<const LiveEvent>(&e, 1)); }

void EventHub::Publish(std::span<const LiveEvent> events) {
  storage::Database* db = nullptr;
  {
    std::lock_guard l(mu_);
    db = db_;
  }
  // SQLite serves one process: its NOTIFY would only loop back here, at the price of a write
  // transaction. PostgreSQL's reaches every server process, this one included.
  if (!db || db->backend() != storage::Backend::kPostgres) {
    for (const LiveEvent& e : events) Deliver(e);
    return;
  }
  auto r = db->Write([&](storage::Session& s) -> Result<void> {
    for (const LiveEvent& e : events) s.Notify(kChannel, NotifyPayload(e));
    return Ok();
  });
  if (!r.ok())
    for (const LiveEvent& e : events) Deliver(e);  // degrade to this process rather than drop
}

void EventHub::AttachDatabase(storage::Database* db) {
  {
    std::lock_guard l(mu_);
    db_ = db;
  }
  if (db->backend() != storage::Backend::kPostgres) return;  // one process: Publish delivers directly
  db->Listen(kChannel, [this](std::string_view payload) {
    boost::system::error_code ec;
    auto v = boost::json::parse(payload, ec);
    if (ec || !v.is_object()) return;
    auto& o = v.as_object();
    LiveEvent e;
    if (auto* m = o.if_contains("mso_id"); m && m->is_int64()) e.mso_id = MsoId(m->as_int64());
    if (auto* f = o.if_contains("facility_id"); f && f->is_int64()) e.facility_id = FacilityId(f->as_int64());
    if (auto* u = o.if_contains("user_id"); u && u->is_int64()) e.user_id = UserId(u->as_int64());
    if (auto* j = o.if_contains("json"); j && j->is_string()) e.json = std::string(j->as_string());
    Deliver(e);
  });
}

bool EventHub::MayReceive(const identity::Principal& p, const LiveEvent& e) {
  if (p.mso_id != e.mso_id) return false;
  if (e.user_id) return *e.user_id == p.user_id;
  if (!e.facility_id) return identity::RoleHas(p.role, identity::Permission::kFacilityRead);
  return identity::CanAccessFacility(p, *e.facility_id, e.mso_id);
}

}  // namespace openmso::http
