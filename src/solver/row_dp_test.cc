// Tests the per-employee dynamic program against the incremental state and the
// independent evaluator: its predicted objective change is exact, its rows keep the
// in-window rules, and it never returns a row worse than the employee's current one.
#include <gtest/gtest.h>

#include "solver/row_dp.h"
#include "solver/search_state.h"
#include "solver/test_util.h"

namespace openmso::solver {
namespace {

using internal::OptimizeRow;
using internal::RowChange;
using internal::RowDpLimits;
using internal::SearchState;

// Applies the DP to employee e on [first, last]; checks the predicted objective change
// against SearchState::Delta and Evaluate(). Returns false when no row was found.
bool ApplyAndCheck(const Instance& in, SearchState& st, int e, int first, int last, const RowDpLimits& lim,
                   bool check_not_worse) {
  auto out = OptimizeRow(st, e, first, last, lim);
  if (!out.found) return false;
  EXPECT_EQ(static_cast<int>(out.row.size()), last - first + 1);
  for (int i = 0; i <= last - first; ++i) EXPECT_TRUE(st.Allowed(e, first + i, out.row[i]));
  const int64_t emp_viol_before = st.employee_violation(e);
  const int64_t eval_before = Evaluate(in, st.ToRoster()).objective;
  RowChange c{e, first, last - first + 1, out.row.data()};
  int64_t d_obj = 0, d_viol = 0;
  st.Delta(&c, 1, d_obj, d_viol);
  EXPECT_EQ(out.d_objective, d_obj) << in.name << " e=" << e << " [" << first << "," << last << "]";
  st.Apply(&c, 1);
  EXPECT_EQ(Evaluate(in, st.ToRoster()).objective - eval_before, out.d_objective) << in.name << " e=" << e;
  if (check_not_worse && out.exact && emp_viol_before == 0) {
    // The current row was a candidate: the DP's row is feasible and no dearer.
    EXPECT_EQ(st.employee_violation(e), 0) << in.name << " e=" << e;
    EXPECT_EQ(out.violation, 0);
    EXPECT_LE(out.d_objective, 0) << in.name << " e=" << e;
  }
  return true;
}

void RunRandomChecks(const Instance& in, uint64_t seed, int rounds) {
  SearchState st(in);
  internal::Rng rng(seed);
  const int E = in.num_employees(), H = in.horizon, S = in.num_shifts();
  RowDpLimits exact_limits;
  exact_limits.max_labels = 1 << 22;
  // Build rows employee by employee over the whole horizon (repairs the all-off roster).
  for (int e = 0; e < E; ++e) ApplyAndCheck(in, st, e, 0, H - 1, exact_limits, false);
  int exact_checks = 0;
  for (int r = 0; r < rounds; ++r) {
    // Perturb a few random cells, then re-optimise a random employee on a random window.
    for (int k = 0; k < 3; ++k) {
      int e = rng.Below(E), d = rng.Below(H), v = rng.Below(S + 1) - 1;
      if (!st.Allowed(e, d, v)) continue;
      int8_t val = static_cast<int8_t>(v);
      RowChange c{e, d, 1, &val};
      st.Apply(&c, 1);
    }
    int e = rng.Below(E);
    int len = 1 + rng.Below(std::min(H, 21));
    int first = rng.Below(H - len + 1);
    auto before = OptimizeRow(st, e, first, first + len - 1, exact_limits);
    if (before.found && before.exact) ++exact_checks;
    ApplyAndCheck(in, st, e, first, first + len - 1, exact_limits, true);
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(exact_checks, rounds / 4) << in.name;
}

TEST(RowDp, TinyInstanceMatchesEvaluator) {
  auto in = ParseInstance(testing::kTinyInstance);
  ASSERT_TRUE(in.ok());
  RunRandomChecks(*in, 7, 300);
}

TEST(RowDp, BenchmarkInstancesMatchEvaluator) {
  for (const char* name : {"Instance1", "Instance3", "Instance5", "Instance8", "Instance12", "Instance16"}) {
    auto in = testing::LoadBenchmark(name);
    if (!in.ok()) GTEST_SKIP() << "benchmark files not available";
    RunRandomChecks(*in, 11, 60);
  }
}

TEST(RowDp, FullRowsOnInstance1AreFeasible) {
  auto in = testing::LoadBenchmark("Instance1");
  if (!in.ok()) GTEST_SKIP() << "benchmark files not available";
  SearchState st(*in);
  for (int pass = 0; pass < 3; ++pass)
    for (int e = 0; e < in->num_employees(); ++e) {
      auto out = OptimizeRow(st, e, 0, in->horizon - 1);
      ASSERT_TRUE(out.found);
      RowChange c{e, 0, in->horizon, out.row.data()};
      st.Apply(&c, 1);
    }
  Evaluation ev = Evaluate(*in, st.ToRoster());
  EXPECT_TRUE(ev.feasible()) << FormatEvaluation(*in, ev);
  EXPECT_EQ(ev.objective, st.objective());
}

}  // namespace
}  // namespace openmso::solver
