// Internal to the solver: exact (or beam-limited) dynamic program that re-optimises one
// employee's row over a window of days with everyone else fixed. Cover costs are priced as
// marginal costs given the other employees; hard rules inside the window are enforced,
// rules that reach outside it (runs crossing the window edges, whole-horizon minutes,
// weekends and shift counts) are priced as violation units, so the result is the row
// with the fewest violation units and, among those, the lowest objective.
#pragma once

#include <cstdint>
#include <vector>

#include "solver/search_state.h"

namespace openmso::solver::internal {

struct RowDpLimits {
  int max_labels = 20000;       // states kept per day; above it the cheapest are kept (beam)
  int max_tracked_types = 4;    // shift types whose limits are tracked exactly in the state
  // When set, replaces the request plus marginal cover cost of value v on day first + i by
  // cost[i * (S + 1) + v + 1] (column-generation pricing: request costs minus cover duals,
  // scaled to integers). d_objective is then measured in these costs. Not owned.
  const int64_t* cost = nullptr;
};

struct RowDpOutcome {
  bool found = false;       // some row satisfies the in-window rules
  bool exact = false;       // no state was dropped by the beam and every tight shift limit was tracked
  std::vector<int8_t> row;  // new values of days [first, last]
  int64_t d_objective = 0;  // objective change if `row` replaces the current window
  int64_t violation = 0;    // violation units of the result as the DP sees them (edge and horizon rules)
  int64_t work = 0;         // state transitions examined (a machine-independent measure of effort)
};

// Re-optimises employee `e` on days [first, last] of `state` (0 <= first <= last < H).
// Thread-compatible: uses only its own scratch memory.
RowDpOutcome OptimizeRow(const SearchState& state, int e, int first, int last, const RowDpLimits& limits = {});

}  // namespace openmso::solver::internal
