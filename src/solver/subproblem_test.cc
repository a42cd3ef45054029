// Tests of the CBC sub-roster MIP: re-optimising every employee of Instance1 at once must
// reach its proven optimum 607 as scored by the independent evaluator, and sub-rosters never break rules.
#include <gtest/gtest.h>

#include "solver/subproblem.h"
#include "solver/test_util.h"

namespace openmso::solver {
namespace {

using internal::RowChange;
using internal::SearchState;

TEST(Subproblem, WholeInstance1IsSolvedToTheProvenOptimum) {
  if (!internal::HaveSubproblemSolver()) GTEST_SKIP() << "built without CBC";
  auto in = testing::LoadBenchmark("Instance1");
  if (!in.ok()) GTEST_SKIP() << in.error().message;
  SearchState st(*in);  // all off: infeasible start, the MIP must still find the optimum
  std::vector<int> all(in->num_employees());
  for (int e = 0; e < in->num_employees(); ++e) all[e] = e;
  internal::SubproblemLimits lim;
  lim.max_nodes = 100000;
  lim.max_seconds = 60;
  lim.cuts = true;
  auto out = internal::SolveSubproblem(st, all, 0, in->horizon - 1, lim);
  ASSERT_TRUE(out.solved);
  EXPECT_TRUE(out.optimal);
  std::vector<RowChange> changes;
  for (int e = 0; e < in->num_employees(); ++e) changes.push_back({e, 0, in->horizon, out.rows[e].data()});
  st.Apply(changes.data(), static_cast<int>(changes.size()));
  Evaluation ev = Evaluate(*in, st.ToRoster());
  EXPECT_TRUE(ev.feasible()) << FormatEvaluation(*in, ev);
  EXPECT_EQ(ev.objective, 607);
}

// A window in the middle of the horizon with fixed cells on both sides: the MIP's
// answer, spliced in, must leave the employees' rows free of violations.
TEST(Subproblem, WindowRespectsFixedNeighbours) {
  if (!internal::HaveSubproblemSolver()) GTEST_SKIP() << "built without CBC";
  auto in = testing::LoadBenchmark("Instance2");
  if (!in.ok()) GTEST_SKIP() << in.error().message;
  SolveOptions opt;
  opt.max_iterations = 300000;
  opt.time_limit_seconds = 30;
  SolveResult r = Solve(*in, opt);
  ASSERT_TRUE(r.evaluation.feasible());
  SearchState st(*in);
  st.Load(r.roster);
  internal::Rng rng(3);
  for (int round = 0; round < 5; ++round) {
    std::vector<int> emps = {rng.Below(in->num_employees())};
    int other = rng.Below(in->num_employees());
    if (other != emps[0]) emps.push_back(other);
    int first = 2 + rng.Below(4), last = first + 6;
    auto out = internal::SolveSubproblem(st, emps, first, last, {});
    ASSERT_TRUE(out.solved) << "round " << round;
    std::vector<RowChange> changes;
    for (size_t j = 0; j < emps.size(); ++j) changes.push_back({emps[j], first, last - first + 1, out.rows[j].data()});
    int64_t d_obj = 0, d_viol = 0;
    st.Delta(changes.data(), static_cast<int>(changes.size()), d_obj, d_viol);
    EXPECT_EQ(d_viol, 0) << "round " << round;
    EXPECT_LE(d_obj, 0) << "round " << round;  // started from the current values
    st.Apply(changes.data(), static_cast<int>(changes.size()));
  }
  EXPECT_TRUE(Evaluate(*in, st.ToRoster()).feasible());
}

}  // namespace
}  // namespace openmso::solver
