// Internal to the solver: exact re-optimisation of a sub-roster (some employees over a
// window of days, everyone else fixed) as a MIP solved by COIN-OR CBC, for large-neighbourhood search.
#pragma once

#include <cstdint>
#include <vector>

#include "solver/search_state.h"

namespace openmso::solver::internal {

struct SubproblemLimits {
  int max_nodes = 2000;
  double max_seconds = 5;
  bool cuts = false;  // CBC cut generation: off is much faster on small sub-rosters
};

struct SubproblemOutcome {
  bool solved = false;   // CBC returned an integer solution
  bool optimal = false;  // ... and proved it optimal for the sub-roster
  std::vector<std::vector<int8_t>> rows;  // new values of days [first, last] per employee
};

// True when this build has CBC; without it SolveSubproblem always returns solved=false.
bool HaveSubproblemSolver();

// Builds the Curtois & Qu MIP for `employees` (distinct) on days [first, last] with all
// other cells fixed at their values in `state`, starts CBC from the current values and
// returns its best solution. The caller checks the change with SearchState::Delta.
// Thread-safe (CBC calls are serialised).
SubproblemOutcome SolveSubproblem(const SearchState& state, const std::vector<int>& employees,
                                  int first, int last, const SubproblemLimits& limits);

}  // namespace openmso::solver::internal
