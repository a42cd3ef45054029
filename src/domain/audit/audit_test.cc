// Tests of the audit chain against an in-memory repository: append, then tamper in each
// way (edit, delete, reorder) and check that Verify names the first broken event.
#include <gtest/gtest.h>

#include <algorithm>

#include "domain/audit/audit.h"

namespace openmso::audit {
namespace {

class FakeAuditRepository : public AuditRepository {
 public:
  std::vector<Event> rows;
  Result<void> LockChain() override { return Ok(); }
  Result<std::optional<Event>> Last() override {
    if (rows.empty()) return std::optional<Event>();
    return std::optional<Event>(rows.back());
  }
  Result<void> Insert(const Event& e) override { rows.push_back(e); return Ok(); }
  Result<std::vector<Event>> Page(const Filter& f) override {
    std::vector<Event> out(rows.rbegin(), rows.rend());
    return out;
  }
  Result<void> Scan(const std::function<bool(const Event&)>& fn) override {
    for (const auto& e : rows) if (!fn(e)) break;
    return Ok();
  }
};

FakeAuditRepository Chain(int n) {
  FakeAuditRepository repo;
  for (int i = 0; i < n; ++i) {
    Event e;
    e.at = FromUnixMillis(1'800'000'000'000 + i);
    e.actor_user_id = UserId(7);
    e.actor_role = "mso_admin";
    e.action = "facility.update";
    e.entity_type = "facility";
    e.entity_id = std::to_string(i);
    e.request_id = "req-" + std::to_string(i);
    e.client_ip = "127.0.0.1";
    e.outcome = "success";
    EXPECT_TRUE(Append(repo, e).ok());
  }
  return repo;
}

TEST(Audit, IntactChainVerifies) {
  auto repo = Chain(10);
  auto r = Verify(repo);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok);
  EXPECT_EQ(r->events_checked, 10);
  EXPECT_EQ(repo.rows[3].prev_hash, repo.rows[2].hash);
}

TEST(Audit, TamperingIsDetectedAtTheRightRow) {
  struct Row { const char* name; std::function<void(std::vector<Event>&)> tamper; int64_t broken_seq; } rows[] = {
      {"edit outcome", [](auto& v) { v[4].outcome = "denied"; }, 5},
      {"edit actor", [](auto& v) { v[0].actor_user_id = UserId(8); }, 1},
      {"delete middle", [](auto& v) { v.erase(v.begin() + 6); }, 8},
      {"delete first", [](auto& v) { v.erase(v.begin()); }, 2},
      {"swap two", [](auto& v) { std::swap(v[2], v[3]); }, 4},
      {"swap and renumber", [](auto& v) { std::swap(v[2], v[3]); std::swap(v[2].seq, v[3].seq); }, 3},
  };
  for (const auto& r : rows) {
    auto repo = Chain(10);
    r.tamper(repo.rows);
    auto rep = Verify(repo);
    ASSERT_TRUE(rep.ok()) << r.name;
    EXPECT_FALSE(rep->ok) << r.name;
    ASSERT_TRUE(rep->first_broken_seq) << r.name;
    EXPECT_EQ(*rep->first_broken_seq, r.broken_seq) << r.name << ": " << rep->reason;
  }
}

TEST(Audit, CanonicalFormIsUnambiguous) {
  Event a, b;
  a.action = "ab";
  a.entity_type = "c";
  b.action = "a";
  b.entity_type = "bc";
  EXPECT_NE(CanonicalForm(a), CanonicalForm(b));
}

}  // namespace
}  // namespace openmso::audit
