// Column generation for the Curtois & Qu model: restricted master LP in CLP, pricing by the
// per-employee row DP on dual-adjusted costs, Lagrangian lower bound, CBC on the columns.
#include "solver/colgen.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_map>

#include "solver/row_dp.h"
#include "solver/search_state.h"

#ifdef OPENMSO_HAVE_CBC
#include <coin/Cbc_C_Interface.h>
#include <coin/ClpSimplex.hpp>
#endif

namespace openmso::solver::internal {

#ifndef OPENMSO_HAVE_CBC

struct ColumnGeneration::Impl {};
ColumnGeneration::ColumnGeneration(const Instance&) {}
ColumnGeneration::~ColumnGeneration() = default;
bool ColumnGeneration::Available() { return false; }
int ColumnGeneration::AddRoster(const Roster&) { return 0; }
ColumnGenerationStats ColumnGeneration::SolveLp(const ColumnGenerationLimits&) { return {}; }
bool ColumnGeneration::SolveMip(double, const Roster*, Roster&, bool&) { return false; }
int ColumnGeneration::columns() const { return 0; }

#else

namespace {

using Clock = std::chrono::steady_clock;

// Pricing costs are scaled to integers for the DP; each day's cost is off by at most 1/2,
// which the bound accounts for.
constexpr double kScale = 10000.0;
// Cost of the per-employee artificial column that keeps the first LPs feasible.
constexpr double kArtificial = 1e6;

struct Column {
  int employee = 0;
  int64_t cost = 0;  // request costs of the row
  std::vector<int8_t> row;
};

struct RowHash {
  size_t operator()(const std::vector<int8_t>& r) const {
    uint64_t h = 1469598103934665603ULL;
    for (int8_t v : r) h = (h ^ static_cast<uint8_t>(v)) * 1099511628211ULL;
    return static_cast<size_t>(h);
  }
};

}  // namespace

struct ColumnGeneration::Impl {
  explicit Impl(const Instance& in)
      : in(in), H(in.horizon), S(in.num_shifts()), E(in.num_employees()), check(in), price(in),
        seen(in.num_employees()) {
    lp.setLogLevel(0);
    const int rows = E + H * S;
    std::vector<double> row_lb(rows), row_ub(rows);
    for (int e = 0; e < E; ++e) row_lb[e] = row_ub[e] = 1;
    for (int d = 0; d < H; ++d)
      for (int s = 0; s < S; ++s) row_lb[E + d * S + s] = row_ub[E + d * S + s] = in.CoverAt(d, s).requirement;
    // Columns: under and over slack per cover row, one artificial per employee.
    std::vector<int> starts, index;
    std::vector<double> value, col_lb, col_ub, obj;
    for (int d = 0; d < H; ++d)
      for (int s = 0; s < S; ++s) {
        const Cover& c = in.CoverAt(d, s);
        for (int k = 0; k < 2; ++k) {
          starts.push_back(static_cast<int>(index.size()));
          index.push_back(E + d * S + s);
          value.push_back(k == 0 ? 1.0 : -1.0);
          col_lb.push_back(0);
          col_ub.push_back(COIN_DBL_MAX);
          obj.push_back(k == 0 ? c.weight_under : c.weight_over);
        }
      }
    for (int e = 0; e < E; ++e) {
      starts.push_back(static_cast<int>(index.size()));
      index.push_back(e);
      value.push_back(1.0);
      col_lb.push_back(0);
      col_ub.push_back(COIN_DBL_MAX);
      obj.push_back(kArtificial);
    }
    starts.push_back(static_cast<int>(index.size()));
    fixed_columns = static_cast<int>(obj.size());
    lp.loadProblem(fixed_columns, rows, starts.data(), index.data(), value.data(), col_lb.data(), col_ub.data(),
                   obj.data(), row_lb.data(), row_ub.data());
  }

  // Adds a row of employee e as a column unless it is known or breaks a hard rule.
  bool Add(int e, const std::vector<int8_t>& row) {
    if (seen[e].count(row)) return false;
    for (int d = 0; d < H; ++d)
      if (!check.Allowed(e, d, row[d])) return false;
    RowChange c{e, 0, H, row.data()};
    check.Apply(&c, 1);
    bool ok = check.RecomputeEmployeeViolation(e) == 0;
    std::vector<int8_t> off(H, static_cast<int8_t>(kOff));
    RowChange back{e, 0, H, off.data()};
    check.Apply(&back, 1);
    if (!ok) return false;
    Column col;
    col.employee = e;
    col.row = row;
    for (int d = 0; d < H; ++d) col.cost += check.RequestCost(e, d, row[d]);
    std::vector<int> idx{e};
    std::vector<double> val{1.0};
    for (int d = 0; d < H; ++d)
      if (row[d] != kOff) {
        idx.push_back(E + d * S + row[d]);
        val.push_back(1.0);
      }
    int start[2] = {0, static_cast<int>(idx.size())};
    double lo = 0, hi = COIN_DBL_MAX, obj = static_cast<double>(col.cost);
    lp.addColumns(1, &lo, &hi, &obj, start, idx.data(), val.data());
    seen[e].emplace(row, static_cast<int>(cols.size()));
    cols.push_back(std::move(col));
    return true;
  }

  const Instance& in;
  int H, S, E;
  SearchState check;  // all-off roster used to check single rows
  SearchState price;  // all-off roster handed to the pricing DP (its costs are overridden)
  ClpSimplex lp;
  int fixed_columns = 0;
  std::vector<Column> cols;
  std::vector<std::unordered_map<std::vector<int8_t>, int, RowHash>> seen;
};

ColumnGeneration::ColumnGeneration(const Instance& instance) : impl_(std::make_unique<Impl>(instance)) {}
ColumnGeneration::~ColumnGeneration() = default;
bool ColumnGeneration::Available() { return true; }
int ColumnGeneration::columns() const { return static_cast<int>(impl_->cols.size()); }

int ColumnGeneration::AddRoster(const Roster& roster) {
  Impl& m = *impl_;
  if (roster.employees != m.E || roster.days != m.H) return 0;
  int added = 0;
  for (int e = 0; e < m.E; ++e) {
    std::vector<int8_t> row(m.H);
    for (int d = 0; d < m.H; ++d) row[d] = static_cast<int8_t>(roster.at(e, d));
    added += m.Add(e, row);
  }
  return added;
}

ColumnGenerationStats ColumnGeneration::SolveLp(const ColumnGenerationLimits& limits) {
  Impl& m = *impl_;
  ColumnGenerationStats stats;
  const auto start = Clock::now();
  const int H = m.H, S = m.S, E = m.E;
  std::vector<int64_t> cost(static_cast<size_t>(H) * (S + 1));
  RowDpLimits dp;
  dp.max_labels = limits.max_labels;
  dp.cost = cost.data();
  const bool debug = std::getenv("OPENMSO_SOLVER_DEBUG") != nullptr;
  for (int round = 0; round < limits.max_rounds; ++round) {
    if (limits.stop && limits.stop->load(std::memory_order_relaxed)) break;
    if (std::chrono::duration<double>(Clock::now() - start).count() >= limits.lp_seconds) break;
    m.lp.primal();  // warm start from the previous basis
    if (m.lp.status() != 0) break;
    const double z = m.lp.objectiveValue();
    const double* y = m.lp.dualRowSolution();
    stats.lp_value = z;
    ++stats.rounds;
    bool exact = true;
    double lagrange = z;
    int added = 0;
    for (int e = 0; e < E; ++e) {
      for (int d = 0; d < H; ++d)
        for (int v = -1; v < S; ++v) {
          double c = m.price.RequestCost(e, d, v);
          if (v != kOff) c -= y[E + d * S + v];
          cost[static_cast<size_t>(d) * (S + 1) + v + 1] = std::llround(c * kScale);
        }
      RowDpOutcome out = OptimizeRow(m.price, e, 0, H - 1, dp);
      if (!out.found || !out.exact || out.violation > 0) {
        exact = false;
        if (!out.found || out.violation > 0) continue;
      }
      int64_t scaled = 0;
      double true_cost = 0;
      for (int d = 0; d < H; ++d) {
        scaled += cost[static_cast<size_t>(d) * (S + 1) + out.row[d] + 1];
        true_cost += m.price.RequestCost(e, d, out.row[d]) - (out.row[d] != kOff ? y[E + d * S + out.row[d]] : 0.0);
      }
      const double rc = true_cost - y[e];
      // Every row's true cost is at least its scaled cost minus H/2 scale units.
      const double rc_bound = (static_cast<double>(scaled) - 0.5 * H) / kScale - y[e];
      lagrange += std::min(0.0, rc_bound);
      if (rc < -1e-6) {
        if (m.Add(e, out.row)) ++added;
        else if (debug) std::fprintf(stderr, "cg: employee %d row with rc %.3f rejected\n", e, rc);
      }
    }
    if (exact) {
      stats.lower_bound = stats.has_bound ? std::max(stats.lower_bound, lagrange) : lagrange;
      stats.has_bound = true;
      best_bound_ = std::max<int64_t>(best_bound_, static_cast<int64_t>(std::ceil(lagrange - 1e-6)));
    }
    stats.exact_pricing = exact;
    if (debug)
      std::fprintf(stderr, "cg round %d z=%.3f lagrange=%.3f exact=%d added=%d cols=%zu t=%.2f\n", round, z, lagrange,
                   exact, added, m.cols.size(), std::chrono::duration<double>(Clock::now() - start).count());
    if (added == 0) {
      stats.converged = exact;
      break;
    }
    // The LP can only fall towards the bound: once their ceilings agree, more rounds
    // cannot raise the integer bound.
    if (exact && std::ceil(lagrange - 1e-6) >= std::ceil(z - 1e-6)) break;
  }
  stats.columns = static_cast<int>(m.cols.size());
  return stats;
}

bool ColumnGeneration::SolveMip(double seconds, const Roster* start_roster, Roster& out, bool& proven) {
  Impl& m = *impl_;
  proven = false;
  const int H = m.H, S = m.S, E = m.E;
  std::vector<int> per_emp(E, 0);
  for (const Column& c : m.cols) ++per_emp[c.employee];
  for (int e = 0; e < E; ++e)
    if (per_emp[e] == 0) return false;
  const int n = static_cast<int>(m.cols.size());
  const int rows = E + H * S;
  std::vector<CoinBigIndex> starts;
  std::vector<int> index;
  std::vector<double> value, lb, ub, obj, row_lb(rows), row_ub(rows);
  for (int e = 0; e < E; ++e) row_lb[e] = row_ub[e] = 1;
  for (int d = 0; d < H; ++d)
    for (int s = 0; s < S; ++s) row_lb[E + d * S + s] = row_ub[E + d * S + s] = m.in.CoverAt(d, s).requirement;
  for (const Column& c : m.cols) {
    starts.push_back(static_cast<CoinBigIndex>(index.size()));
    index.push_back(c.employee);
    value.push_back(1);
    for (int d = 0; d < H; ++d)
      if (c.row[d] != kOff) {
        index.push_back(E + d * S + c.row[d]);
        value.push_back(1);
      }
    lb.push_back(0);
    ub.push_back(1);
    obj.push_back(static_cast<double>(c.cost));
  }
  for (int d = 0; d < H; ++d)
    for (int s = 0; s < S; ++s)
      for (int k = 0; k < 2; ++k) {
        starts.push_back(static_cast<CoinBigIndex>(index.size()));
        index.push_back(E + d * S + s);
        value.push_back(k == 0 ? 1 : -1);
        lb.push_back(0);
        ub.push_back(COIN_DBL_MAX);
        obj.push_back(k == 0 ? m.in.CoverAt(d, s).weight_under : m.in.CoverAt(d, s).weight_over);
      }
  starts.push_back(static_cast<CoinBigIndex>(index.size()));
  const int total = static_cast<int>(obj.size());
  Cbc_Model* model = Cbc_newModel();
  Cbc_setLogLevel(model, 0);
  Cbc_loadProblem(model, total, rows, starts.data(), index.data(), value.data(), lb.data(), ub.data(), obj.data(),
                  row_lb.data(), row_ub.data());
  for (int j = 0; j < n; ++j) Cbc_setInteger(model, j);
  if (start_roster != nullptr && start_roster->employees == E && start_roster->days == H) {
    std::vector<int> idx;
    std::vector<double> val;
    bool complete = true;
    for (int e = 0; e < E && complete; ++e) {
      std::vector<int8_t> row(H);
      for (int d = 0; d < H; ++d) row[d] = static_cast<int8_t>(start_roster->at(e, d));
      auto it = m.seen[e].find(row);
      if (it == m.seen[e].end()) complete = false;
      else idx.push_back(it->second);
    }
    if (complete) {
      std::vector<double> ones(idx.size(), 1.0);
      Cbc_setMIPStartI(model, static_cast<int>(idx.size()), idx.data(), ones.data());
    }
  }
  Cbc_setAllowableGap(model, 0.999);  // objectives are integers
  Cbc_setMaximumSeconds(model, std::max(0.05, seconds));
  Cbc_solve(model);
  const double* sol = Cbc_bestSolution(model);
  bool found = false;
  if (sol != nullptr) {
    out = Roster::AllOff(m.in);
    std::vector<int> chosen(E, 0);
    for (int j = 0; j < n; ++j)
      if (sol[j] > 0.5) {
        const Column& c = m.cols[j];
        ++chosen[c.employee];
        for (int d = 0; d < H; ++d) out.set(c.employee, d, c.row[d]);
      }
    found = std::all_of(chosen.begin(), chosen.end(), [](int k) { return k == 1; });
    proven = found && Cbc_isProvenOptimal(model) != 0;
  }
  Cbc_deleteModel(model);
  return found;
}

#endif

}  // namespace openmso::solver::internal
