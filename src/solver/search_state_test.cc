// Tests that the solver's incremental costs agree with full recomputation and with the
// independent evaluator, over long sequences of random moves on benchmark instances.
#include <gtest/gtest.h>

#include "solver/search_state.h"
#include "solver/test_util.h"

namespace openmso::solver {
namespace {

using internal::RowChange;
using internal::SearchState;

void CheckRandomMoves(const Instance& in, uint64_t seed, int moves) {
  SearchState st(in);
  internal::Rng rng(seed);
  const int E = in.num_employees(), H = in.horizon, S = in.num_shifts();
  int8_t buf1[32], buf2[32];
  for (int m = 0; m < moves; ++m) {
    RowChange c[2];
    int n = 1;
    int kind = rng.Below(3);
    int e1 = rng.Below(E);
    int a = rng.Below(H);
    int len = std::min(1 + rng.Below(10), H - a);
    bool ok = true;
    if (kind == 0 || E < 2) {  // random values on a block
      for (int k = 0; k < len; ++k) {
        int v = rng.Below(S + 1) - 1;
        if (!st.Allowed(e1, a + k, v)) v = kOff;
        buf1[k] = static_cast<int8_t>(v);
      }
      c[0] = {e1, a, len, buf1};
    } else {  // swap a block between two employees (skipping disallowed cells)
      int e2 = (e1 + 1 + rng.Below(E - 1)) % E;
      for (int k = 0; k < len; ++k) {
        int v1 = st.value(e1, a + k), v2 = st.value(e2, a + k);
        if (!st.Allowed(e1, a + k, v2) || !st.Allowed(e2, a + k, v1)) ok = false;
        buf1[k] = static_cast<int8_t>(v2);
        buf2[k] = static_cast<int8_t>(v1);
      }
      c[0] = {e1, a, len, buf1};
      c[1] = {e2, a, len, buf2};
      n = 2;
    }
    if (!ok) continue;
    int64_t d_obj = 0, d_viol = 0;
    const int64_t obj0 = st.objective(), viol0 = st.violation();
    st.Delta(c, n, d_obj, d_viol);
    st.Apply(c, n);
    ASSERT_EQ(st.objective(), obj0 + d_obj) << "move " << m;
    ASSERT_EQ(st.violation(), viol0 + d_viol) << "move " << m;
    ASSERT_EQ(st.objective(), st.RecomputeObjective()) << "move " << m;
    int64_t viol = 0;
    for (int e = 0; e < E; ++e) {
      ASSERT_EQ(st.employee_violation(e), st.RecomputeEmployeeViolation(e)) << "move " << m << " employee " << e;
      viol += st.employee_violation(e);
    }
    ASSERT_EQ(viol, st.violation());
    if (m % 50 == 0) {
      Evaluation ev = Evaluate(in, st.ToRoster());
      ASSERT_EQ(ev.objective, st.objective()) << "move " << m;
      ASSERT_EQ(ev.feasible(), st.violation() == 0) << "move " << m << "\n" << FormatEvaluation(in, ev);
    }
  }
}

TEST(SearchState, IncrementalCostsMatchFullEvaluationTiny) {
  auto in = ParseInstance(testing::kTinyInstance);
  ASSERT_TRUE(in.ok());
  CheckRandomMoves(*in, 1, 5000);
}

TEST(SearchState, IncrementalCostsMatchFullEvaluationBenchmarks) {
  for (const char* name : {"Instance1", "Instance3", "Instance7", "Instance12", "Instance18"}) {
    auto in = testing::LoadBenchmark(name);
    if (!in.ok()) GTEST_SKIP() << in.error().message;
    SCOPED_TRACE(name);
    CheckRandomMoves(*in, 7, 1500);
  }
}

TEST(SearchState, ZeroViolationMeansEvaluatorFeasible) {
  // Rosters the evaluator accepts must carry no violation units, and vice versa.
  auto in = ParseInstance(testing::kTinyInstance);
  ASSERT_TRUE(in.ok());
  SearchState st(*in);
  Roster r = Roster::AllOff(*in);
  for (int d = 1; d <= 4; ++d) r.set(0, d, 0);
  for (int d = 7; d <= 10; ++d) r.set(1, d, 0);
  st.Load(r);
  EXPECT_EQ(st.violation(), 0);
  EXPECT_EQ(st.objective(), 803);
  r.set(1, 10, kOff);  // B below minimum minutes
  st.Load(r);
  EXPECT_GT(st.violation(), 0);
}

}  // namespace
}  // namespace openmso::solver
