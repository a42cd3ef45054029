// The live-event hub: local fan-out to WebSocket sessions, and cross-process delivery
// through the database's LISTEN/NOTIFY channel "openmso_events".
#include <boost/json.hpp>

#include <algorithm>

#include "http/http.h"

namespace openmso::http {
namespace {
constexpr std::string_view kChannel = "openmso_events";
}

int64_t EventHub::Subscribe(Sink sink) {
  std::lock_guard l(mu_);
  int64_t id = next_id_++;
  sinks_.emplace(id, std::move(sink));
  return id;
}

void EventHub::Unsubscribe(int64_t id) {
  std::lock_guard l(mu_);
  sinks_.erase(id);
}

void EventHub::Deliver(const LiveEvent& e) {
  std::vector<Sink> sinks;
  {
    std::lock_guard l(mu_);
    for (auto& [id, s] : sinks_) sinks.push_back(s);
  }
  for (auto& s : sinks) s(e);
}

void EventHub::Publish(const LiveEvent& e) {
  storage::Database* db = nullptr;
  {
    std::lock_guard l(mu_);
    db = db_;
  }
  // SQLite serves one process: its NOTIFY would only loop back here, at the price of a write
  // transaction. PostgreSQL's reaches every server process, this one included.
  if (!db || db->backend() != storage::Backend::kPostgres) return Deliver(e);
  boost::json::object o{{"mso_id", e.mso_id.value}, {"json", e.json}};
  o["facility_id"] = e.facility_id ? boost::json::value(e.facility_id->value) : boost::json::value(nullptr);
  o["user_id"] = e.user_id ? boost::json::value(e.user_id->value) : boost::json::value(nullptr);
  std::string payload = boost::json::serialize(o);
  auto r = db->Write([&](storage::Session& s) -> Result<void> {
    s.Notify(kChannel, payload);
    return Ok();
  });
  if (!r.ok()) Deliver(e);  // degrade to this process rather than drop
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
