// Internal to the solver: column generation for the Curtois & Qu model. The master chooses
// one row (a whole-horizon schedule) per employee and covers each (day, shift) with under-
// and over-cover slacks; the pricing problem is the per-employee row DP with the cover
// costs replaced by the LP duals. Gives a lower bound on the optimum and, by solving the
// restricted master as a MIP with CBC (price-and-branch), good and often optimal rosters.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "solver/solver.h"

namespace openmso::solver::internal {

struct ColumnGenerationLimits {
  double lp_seconds = 20;          // wall clock for the pricing rounds
  int max_rounds = 1000;           // pricing rounds (a deterministic cap)
  int expected_rounds = 20;        // stop after round 2 when this many rounds would not fit in lp_seconds
  int max_labels = 200000;         // DP beam for pricing; a truncated DP gives no bound
  const std::atomic<bool>* stop = nullptr;  // not owned; set to stop early
};

struct ColumnGenerationStats {
  int rounds = 0;
  int columns = 0;
  bool converged = false;    // no column with negative reduced cost is left, or the bound's
                             // ceiling equals the LP's (more rounds cannot raise it)
  bool exact_pricing = false;  // the last round's pricing was exact for every employee
  double lp_value = 0;       // restricted master LP value after the last round
  double lower_bound = 0;    // valid lower bound when has_bound
  bool has_bound = false;
};

// A branching decision: employee works `value` (kOff = is off) on `day` (must) or not.
struct Decision {
  int employee = 0;
  int day = 0;
  int value = 0;
  bool must = false;
};

struct TreeStatus {
  bool finished = false;  // no open node is left
  bool exact = true;      // every pruned node was pruned by an exact bound
  int64_t nodes = 0;      // explored so far
  int open = 0;
};

// Invariants: every column is a row that breaks no hard rule of its employee (checked with
// the same rules as Evaluate when added); the master has one convexity row per employee.
// Not thread-safe; one instance per thread.
class ColumnGeneration {
 public:
  explicit ColumnGeneration(const Instance& instance);
  ~ColumnGeneration();
  ColumnGeneration(const ColumnGeneration&) = delete;
  ColumnGeneration& operator=(const ColumnGeneration&) = delete;

  // True when this build has COIN-OR CLP/CBC; otherwise every call below does nothing.
  static bool Available();

  // Adds the rows of `roster` whose employee keeps every hard rule as columns (duplicates
  // are ignored). Returns how many were new.
  int AddRoster(const Roster& roster);

  // Runs pricing rounds until no negative reduced cost column is left, the Lagrangian
  // bound proves the LP ceiling, or a limit hits. Returns the statistics; `lower_bound`
  // is valid (never above the optimum) when `has_bound`.
  ColumnGenerationStats SolveLp(const ColumnGenerationLimits& limits);

  // Solves the restricted master (generated columns only) as a MIP with CBC, started from
  // `start` when its rows are columns. Returns true and the roster when CBC found one;
  // `proven` says CBC proved it optimal over the generated columns (not the full problem).
  bool SolveMip(double seconds, const Roster* start, Roster& out, bool& proven);

  // Branch-and-price, depth first, branching on one employee's value on one day, resumed
  // where the previous call stopped. Explores nodes until the DP work or the seconds run
  // out. `incumbent` is the objective of the best known feasible roster (INT64_MAX when
  // none); a node is pruned when its bound cannot beat it. A better roster found at an
  // integral node replaces `improved`, lowers `incumbent` and sets `found`. When the result
  // says finished and exact, `incumbent` is the optimum.
  TreeStatus ExploreTree(int64_t work_budget, double seconds, int64_t& incumbent, Roster& improved, bool& found);

  // The best bound found so far (ceil(bound - eps) is a bound on the integer optimum), or -1.
  int64_t IntegerLowerBound() const { return best_bound_; }
  int columns() const;

 private:
  // Rounds an LP solution (each employee's heaviest column) and polishes it with the row
  // DP; true with the roster when it beats `incumbent` (which it then lowers).
  bool RoundAndPolish(const double* sol, int64_t& incumbent, Roster& improved, int64_t& work);

  struct Impl;
  std::unique_ptr<Impl> impl_;
  int64_t best_bound_ = -1;
  bool tree_started_ = false;
  bool tree_exact_ = true;
  int64_t nodes_ = 0;
};

}  // namespace openmso::solver::internal
