// Internal to the solver: the incremental search state (roster plus cached counters) on
// which the local search evaluates and applies moves; tests check it against Evaluate().
// Hard constraints other than fixed days off and zero shift limits are priced as
// violation units so that the search may pass through infeasible rosters.
#pragma once

#include <cstdint>
#include <vector>

#include "solver/solver.h"

namespace openmso::solver::internal {

// A small deterministic PRNG (xoshiro256**), identical on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t Next();
  // Uniform in [0, n); REQUIRES: n > 0.
  int Below(int n) { return static_cast<int>(((Next() >> 32) * static_cast<uint64_t>(n)) >> 32); }
  double Uniform() { return (Next() >> 11) * (1.0 / 9007199254740992.0); }

 private:
  uint64_t s_[4];
};

// Replace the days [first, first + len) of one employee's row by vals[0..len).
struct RowChange {
  int employee = 0;
  int first = 0;
  int len = 0;
  const int8_t* vals = nullptr;  // not owned
};

// Violation units: one unit of a per-day or per-shift rule weighs kUnit; minutes above
// the maximum or below the minimum weigh ceil(minutes / 8) (480 minutes = kUnit).
inline constexpr int64_t kUnit = 60;

// Invariants: x_ holds kOff or a shift index for each cell; every cell is allowed
// (fixed days off are off, shifts with a zero limit are never worked); the cached
// counters, per-employee violation units and the objective match x_.
class SearchState {
 public:
  explicit SearchState(const Instance& instance);

  // REQUIRES: roster fits the instance and every cell is Allowed().
  void Load(const Roster& roster);
  Roster ToRoster() const;

  int64_t objective() const { return objective_; }
  int64_t violation() const { return violation_; }
  int64_t employee_violation(int e) const { return emp_violation_[e]; }
  int value(int e, int d) const { return x_[e * H_ + d]; }
  const int8_t* row(int e) const { return &x_[e * H_]; }
  bool Allowed(int e, int d, int v) const { return allowed_[Cell(e, d) * (S_ + 1) + v + 1] != 0; }
  int RequestCost(int e, int d, int v) const { return request_cost_[Cell(e, d) * (S_ + 1) + v + 1]; }
  int CoverCount(int d, int s) const { return cover_count_[d * S_ + s]; }
  const Instance& instance() const { return in_; }

  // Changes of objective and violation units if the changes were applied.
  // REQUIRES: the changes concern distinct employees; every new value is Allowed().
  void Delta(const RowChange* changes, int n, int64_t& d_objective, int64_t& d_violation);
  void Apply(const RowChange* changes, int n);

  // Full recomputation from x_ (for tests and checks).
  int64_t RecomputeObjective() const;
  int64_t RecomputeEmployeeViolation(int e) const;

  // Cost of `n` employees on (d, s) under the cover weights.
  int64_t CoverCost(int d, int s, int n) const {
    const Cover& c = in_.CoverAt(d, s);
    return n < c.requirement ? static_cast<int64_t>(c.weight_under) * (c.requirement - n)
                             : static_cast<int64_t>(c.weight_over) * (n - c.requirement);
  }

 private:
  size_t Cell(int e, int d) const { return static_cast<size_t>(e) * H_ + d; }
  int64_t RowViolationDelta(int e, int first, int len, const int8_t* vals);
  int64_t RunPenalty(int e, int from, int to, int first, int len, const int8_t* vals) const;
  int64_t CountPenalty(int e, int s, int count) const;
  int64_t MinutesPenalty(int e, int minutes) const;

  const Instance& in_;
  int H_, S_, E_, W_;
  std::vector<uint8_t> forbidden_;      // s * S + t
  std::vector<uint8_t> allowed_;        // cell * (S+1) + v + 1
  std::vector<int> request_cost_;       // cell * (S+1) + v + 1
  std::vector<int8_t> x_;
  std::vector<int> cover_count_;        // d * S + s
  std::vector<int> minutes_;            // per employee
  std::vector<int> shift_count_;        // e * S + s
  std::vector<uint8_t> weekend_days_;   // e * W + k: worked days in weekend k (0..2)
  std::vector<int> weekends_;           // per employee
  std::vector<int64_t> emp_violation_;  // per employee
  int64_t objective_ = 0;
  int64_t violation_ = 0;
  // Scratch for Delta.
  std::vector<int> cover_delta_;
  std::vector<int> touched_;
  std::vector<int> count_delta_;
};

}  // namespace openmso::solver::internal
