// Tests of column generation: its lower bound never exceeds the proven optima of
// Instances 1-3 (607, 828, 1001), every roster it returns scores under Evaluate() what the
// master says, and when that equals the bound the roster is the proven optimum.
#include <gtest/gtest.h>

#include "solver/colgen.h"
#include "solver/test_util.h"

namespace openmso::solver {
namespace {

using internal::ColumnGeneration;
using internal::ColumnGenerationLimits;

TEST(ColumnGeneration, BoundNeverExceedsKnownOptimumAndProvesIt) {
  if (!ColumnGeneration::Available()) GTEST_SKIP() << "built without CBC";
  struct Case {
    const char* name;
    int64_t optimum;
  };
  for (Case c : {Case{"Instance1", 607}, Case{"Instance2", 828}, Case{"Instance3", 1001}}) {
    auto in = testing::LoadBenchmark(c.name);
    if (!in.ok()) GTEST_SKIP() << in.error().message;
    ColumnGeneration cg(*in);
    ColumnGenerationLimits lim;
    lim.lp_seconds = 20;
    auto stats = cg.SolveLp(lim);
    ASSERT_TRUE(stats.has_bound) << c.name;
    EXPECT_LE(stats.lower_bound, c.optimum + 1e-6) << c.name;
    EXPECT_LE(cg.IntegerLowerBound(), c.optimum) << c.name;
    EXPECT_GE(stats.lp_value, stats.lower_bound - 1e-6) << c.name;
    Roster r;
    bool proven = false;
    ASSERT_TRUE(cg.SolveMip(20, nullptr, r, proven)) << c.name;
    Evaluation ev = Evaluate(*in, r);
    ASSERT_TRUE(ev.feasible()) << c.name << "\n" << FormatEvaluation(*in, ev);
    EXPECT_GE(ev.objective, c.optimum) << c.name;
    if (ev.objective <= cg.IntegerLowerBound()) {
      EXPECT_EQ(ev.objective, c.optimum) << c.name;
    }
  }
}

// Branch-and-price from no incumbent: the finished tree's roster is Instance1's proven
// optimum 607, and Evaluate() scores it so.
TEST(ColumnGeneration, BranchAndPriceProvesInstance1) {
  if (!ColumnGeneration::Available()) GTEST_SKIP() << "built without CBC";
  auto in = testing::LoadBenchmark("Instance1");
  if (!in.ok()) GTEST_SKIP() << in.error().message;
  ColumnGeneration cg(*in);
  auto stats = cg.SolveLp({});
  ASSERT_TRUE(stats.converged);
  EXPECT_LE(cg.IntegerLowerBound(), 607);
  int64_t incumbent = INT64_MAX;
  Roster best;
  internal::TreeStatus status;
  for (int slice = 0; slice < 100 && !status.finished; ++slice) {
    Roster r;
    bool found = false;
    status = cg.ExploreTree(int64_t{1} << 40, 30, incumbent, r, found);
    if (found) best = r;
  }
  ASSERT_TRUE(status.finished);
  EXPECT_TRUE(status.exact);
  EXPECT_EQ(incumbent, 607);
  Evaluation ev = Evaluate(*in, best);
  EXPECT_TRUE(ev.feasible()) << FormatEvaluation(*in, ev);
  EXPECT_EQ(ev.objective, 607);
}

TEST(ColumnGeneration, RejectsRowsThatBreakAHardRule) {
  if (!ColumnGeneration::Available()) GTEST_SKIP() << "built without CBC";
  auto in = ParseInstance(testing::kTinyInstance);
  ASSERT_TRUE(in.ok());
  ColumnGeneration cg(*in);
  Roster r = Roster::AllOff(*in);  // every employee but C is below the minimum minutes
  EXPECT_EQ(cg.AddRoster(r), 1);
  EXPECT_EQ(cg.AddRoster(r), 0);  // duplicates are ignored
  EXPECT_EQ(cg.columns(), 1);
}

TEST(ColumnGeneration, SolveReportsABoundAndStopsAtAProvenOptimum) {
  auto in = testing::LoadBenchmark("Instance2");
  if (!in.ok()) GTEST_SKIP() << in.error().message;
  if (!ColumnGeneration::Available()) GTEST_SKIP() << "built without CBC";
  SolveOptions opt;
  opt.time_limit_seconds = 20;
  SolveResult r = Solve(*in, opt);
  ASSERT_TRUE(r.evaluation.feasible());
  ASSERT_GE(r.lower_bound, 0);
  EXPECT_LE(r.lower_bound, 828);
  EXPECT_GE(r.evaluation.objective, r.lower_bound);
  if (r.proven_optimal()) {
    EXPECT_EQ(r.evaluation.objective, 828);
  }
}

}  // namespace
}  // namespace openmso::solver
