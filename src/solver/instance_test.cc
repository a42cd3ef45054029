// Tests of the benchmark text parser: the real instances, each error with its line number,
// and a fuzz-style pass feeding truncated and garbled copies that must give errors, never crashes.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "solver/search_state.h"
#include "solver/test_util.h"

namespace openmso::solver {
namespace {

using testing::kTinyInstance;

TEST(ParseInstance, TinyInstance) {
  auto in = ParseInstance(kTinyInstance);
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_EQ(in->horizon, 14);
  ASSERT_EQ(in->num_shifts(), 2);
  EXPECT_EQ(in->shifts[1].id, "N");
  EXPECT_EQ(in->shifts[1].minutes, 600);
  ASSERT_EQ(in->shifts[1].forbidden_next.size(), 1u);
  EXPECT_EQ(in->shifts[1].forbidden_next[0], 0);
  ASSERT_EQ(in->num_employees(), 3);
  EXPECT_EQ(in->employees[0].max_shifts[1], 3);
  EXPECT_EQ(in->employees[1].max_shifts[1], 0);
  EXPECT_EQ(in->employees[2].max_weekends, 2);
  EXPECT_EQ(in->employees[1].days_off, std::vector<int>{13});
  ASSERT_EQ(in->on_requests.size(), 2u);
  EXPECT_EQ(in->on_requests[1].weight, 3);
  ASSERT_EQ(in->off_requests.size(), 1u);
  EXPECT_EQ(in->CoverAt(3, 1).requirement, 1);
  EXPECT_EQ(in->CoverAt(2, 0).requirement, 2);
}

TEST(ParseInstance, AllBenchmarkFilesMatchFormatNote) {
  // Row counts from the table in FORMAT.md.
  struct Row { int k, days, employees, shifts, on, off; } rows[] = {
      {1, 14, 8, 1, 21, 5},      {2, 14, 14, 2, 50, 12},     {3, 14, 20, 3, 39, 25},
      {4, 28, 10, 2, 52, 19},    {8, 28, 30, 4, 139, 86},    {13, 28, 120, 18, 589, 252},
      {20, 182, 50, 6, 1665, 653}, {24, 364, 150, 32, 9540, 4269},
  };
  for (const Row& r : rows) {
    auto in = testing::LoadBenchmark("Instance" + std::to_string(r.k));
    if (!in.ok()) GTEST_SKIP() << "benchmark files not available: " << in.error().message;
    EXPECT_EQ(in->name, "Instance" + std::to_string(r.k));
    EXPECT_EQ(in->horizon, r.days) << "Instance" << r.k;
    EXPECT_EQ(in->num_employees(), r.employees) << "Instance" << r.k;
    EXPECT_EQ(in->num_shifts(), r.shifts) << "Instance" << r.k;
    EXPECT_EQ(static_cast<int>(in->on_requests.size()), r.on) << "Instance" << r.k;
    EXPECT_EQ(static_cast<int>(in->off_requests.size()), r.off) << "Instance" << r.k;
  }
}

TEST(ParseInstance, ErrorsNameTheLine) {
  auto replace = [](std::string text, const std::string& from, const std::string& to) {
    auto pos = text.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    return text.replace(pos, from.size(), to);
  };
  const std::string base = kTinyInstance;
  struct Row { std::string text; std::string expect; } rows[] = {
      {replace(base, "14\r\n", "x\r\n"), "line 3: horizon"},
      {replace(base, "N,600,D", "N,600,Q"), "line 7: unknown shift id 'Q'"},
      {replace(base, "N,600,D", "N,-5,D"), "line 7: shift length"},
      {replace(base, "B,D=14|N=0,5000,1920,5,2,2,1", "B,D=14|N=0,5000"), "line 11: staff line needs 8 fields"},
      {replace(base, "A,0\r\n", "Z,0\r\n"), "line 15: unknown employee id 'Z'"},
      {replace(base, "B,13\r\n", "B,14\r\n"), "line 16: day off must be"},
      {replace(base, "C,3,N,3", "C,3,X,3"), "line 20: unknown shift id 'X'"},
      {replace(base, "B,4,D,1", "B,4,D"), "line 23: request line needs 4 fields"},
      {replace(base, "SECTION_DAYS_OFF", "SECTION_COVER"), "line 14: expected SECTION_DAYS_OFF"},
      {replace(base, "0,D,1,100,1", "0,D,1,100,1\r\n0,D,2,100,1"), "second cover line"},
      {replace(base, "13,N,0,100,1\r\n", ""), "no line for day 13 shift N"},
      {base.substr(0, base.find("SECTION_COVER")), "missing SECTION_COVER"},
      {"", "missing SECTION_HORIZON"},
  };
  for (const Row& r : rows) {
    auto in = ParseInstance(r.text);
    ASSERT_FALSE(in.ok()) << "expected error containing: " << r.expect;
    EXPECT_NE(in.error().message.find(r.expect), std::string::npos)
        << "got: " << in.error().message << "\nexpected: " << r.expect;
    EXPECT_EQ(in.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(ParseInstance, MissingFileIsNotFound) {
  auto in = LoadInstance("/nonexistent/Instance99.txt");
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.error().code, ErrorCode::kNotFound);
}

// Fuzz-style robustness: every truncation at a line boundary of a real instance is an
// error (never a crash), and random byte edits give either an error or a valid instance.
TEST(ParseInstanceFuzz, TruncatedAndGarbledCopies) {
  std::ifstream f(testing::BenchmarkPath("Instance2"), std::ios::binary);
  std::string text = kTinyInstance;
  if (f) {
    std::stringstream ss;
    ss << f.rdbuf();
    text = ss.str();
  }
  ASSERT_TRUE(ParseInstance(text).ok());
  int errors = 0;
  for (size_t cut = 0; cut + 1 < text.size(); cut += 7) {
    auto r = ParseInstance(std::string_view(text).substr(0, cut));
    // A cut can only parse when it falls inside the last cover line's weights.
    if (r.ok()) {
      EXPECT_GT(cut, text.rfind("SECTION_COVER"));
    } else {
      ++errors;
      EXPECT_EQ(r.error().message.rfind("line ", 0), 0u) << r.error().message;
    }
  }
  EXPECT_GT(errors, 0);
  internal::Rng rng(42);
  const char kNoise[] = {',', '|', '=', '#', '\n', '\r', '-', '9', 'x', '\0', ' ', 'S'};
  for (int round = 0; round < 3000; ++round) {
    std::string g = text;
    int edits = 1 + rng.Below(4);
    for (int k = 0; k < edits; ++k) {
      size_t pos = static_cast<size_t>(rng.Below(static_cast<int>(g.size())));
      switch (rng.Below(3)) {
        case 0: g[pos] = kNoise[rng.Below(sizeof kNoise)]; break;
        case 1: g.erase(pos, 1 + rng.Below(20)); break;
        case 2: g.insert(pos, 1, kNoise[rng.Below(sizeof kNoise)]); break;
      }
    }
    auto r = ParseInstance(g);
    if (r.ok()) {
      // Whatever parses must satisfy the Instance invariants.
      EXPECT_EQ(r->cover.size(), static_cast<size_t>(r->horizon) * r->num_shifts());
      for (const auto& e : r->employees) EXPECT_EQ(e.max_shifts.size(), r->shifts.size());
      for (const auto& q : r->on_requests) {
        EXPECT_LT(q.day, r->horizon);
        EXPECT_LT(q.shift, r->num_shifts());
      }
    } else {
      EXPECT_FALSE(r.error().message.empty());
    }
  }
}

}  // namespace
}  // namespace openmso::solver
