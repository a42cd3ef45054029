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
TreeStatus ColumnGeneration::ExploreTree(int64_t, double, int64_t&, Roster&, bool& found) {
  found = false;
  return {};
}
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
// Added to the scaled cost of a value a branching decision excludes.
constexpr int64_t kBan = int64_t{1} << 40;
// DP beam in the tree (pricing must be exact for a node's bound to count).
constexpr int kTreeLabels = 200000;

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
      : in(in), H(in.horizon), S(in.num_shifts()), E(in.num_employees()), check(in), price(in), heur(in),
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

  int PriceRound(const std::vector<Decision>& decisions, int max_labels, double& lagrange, bool& exact,
                 int64_t& work, Clock::time_point deadline);
  // Upper bound 0 on the columns that break a decision, unbounded on the others.
  void ApplyDecisions(const std::vector<Decision>& decisions);

  const Instance& in;
  int H, S, E;
  std::vector<std::vector<Decision>> stack;  // open nodes of the branch-and-price tree
  SearchState check;  // all-off roster used to check single rows
  SearchState price;  // all-off roster handed to the pricing DP (its costs are overridden)
  SearchState heur;   // rounded rosters polished by the DP
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

// One pricing round at the current LP optimum: prices every employee under the node's
// decisions, adds the rows with negative reduced cost and returns how many were added.
// `lagrange` is the Lagrangian bound (valid when `exact`).
int ColumnGeneration::Impl::PriceRound(const std::vector<Decision>& decisions, int max_labels, double& lagrange,
                                       bool& exact, int64_t& work, Clock::time_point deadline) {
  std::vector<int64_t> cost(static_cast<size_t>(H) * (S + 1));
  RowDpLimits dp;
  dp.max_labels = max_labels;
  dp.cost = cost.data();
  const double z = lp.objectiveValue();
  const double* y = lp.dualRowSolution();
  const bool debug = std::getenv("OPENMSO_SOLVER_DEBUG") != nullptr;
  exact = true;
  lagrange = z;
  int added = 0;
  for (int e = 0; e < E; ++e) {
    if (Clock::now() >= deadline) {  // out of time: the round is incomplete, so no bound
      exact = false;
      break;
    }
    for (int d = 0; d < H; ++d)
      for (int v = -1; v < S; ++v) {
        double c = price.RequestCost(e, d, v);
        if (v != kOff) c -= y[E + d * S + v];
        cost[static_cast<size_t>(d) * (S + 1) + v + 1] = std::llround(c * kScale);
      }
    bool banned_any = false;
    for (const Decision& b : decisions) {
      if (b.employee != e) continue;
      banned_any = true;
      for (int v = -1; v < S; ++v)
        if (b.must != (v == b.value)) cost[static_cast<size_t>(b.day) * (S + 1) + v + 1] += kBan;
    }
    RowDpOutcome out = OptimizeRow(price, e, 0, H - 1, dp);
    work += out.work;
    if (!out.found || !out.exact || out.violation > 0) {
      exact = false;
      if (!out.found || out.violation > 0) continue;
    }
    int64_t scaled = 0;
    double true_cost = 0;
    for (int d = 0; d < H; ++d) {
      scaled += cost[static_cast<size_t>(d) * (S + 1) + out.row[d] + 1];
      true_cost += price.RequestCost(e, d, out.row[d]) - (out.row[d] != kOff ? y[E + d * S + out.row[d]] : 0.0);
    }
    // Every row's true cost is at least its scaled cost minus H/2 scale units.
    const double rc_bound = (static_cast<double>(scaled) - 0.5 * H) / kScale - y[e];
    lagrange += std::min(0.0, rc_bound);
    if (banned_any && scaled >= kBan / 2) continue;  // no row keeps the node's decisions
    const double rc = true_cost - y[e];
    if (rc < -1e-6) {
      if (Add(e, out.row)) ++added;
      else if (debug) std::fprintf(stderr, "cg: employee %d row with rc %.3f rejected\n", e, rc);
    }
  }
  return added;
}

ColumnGenerationStats ColumnGeneration::SolveLp(const ColumnGenerationLimits& limits) {
  Impl& m = *impl_;
  ColumnGenerationStats stats;
  const auto start = Clock::now();
  const bool debug = std::getenv("OPENMSO_SOLVER_DEBUG") != nullptr;
  m.ApplyDecisions({});
  for (int round = 0; round < limits.max_rounds; ++round) {
    if (limits.stop && limits.stop->load(std::memory_order_relaxed)) break;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (elapsed >= limits.lp_seconds) break;
    // The root LP needs some tens of rounds: give up early when they cannot fit.
    if (round >= 2 && elapsed / round * limits.expected_rounds > limits.lp_seconds) break;
    m.lp.primal();  // warm start from the previous basis
    if (m.lp.status() != 0) break;
    const double z = m.lp.objectiveValue();
    stats.lp_value = z;
    ++stats.rounds;
    bool exact = true;
    double lagrange = z;
    int64_t work = 0;
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(limits.lp_seconds));
    int added = m.PriceRound({}, limits.max_labels, lagrange, exact, work, deadline);
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
    if (exact && std::ceil(lagrange - 1e-6) >= std::ceil(z - 1e-6)) {
      stats.converged = true;
      break;
    }
  }
  stats.columns = static_cast<int>(m.cols.size());
  return stats;
}

void ColumnGeneration::Impl::ApplyDecisions(const std::vector<Decision>& decisions) {
  for (size_t j = 0; j < cols.size(); ++j) {
    const Column& c = cols[j];
    bool ok = true;
    for (const Decision& b : decisions)
      if (b.employee == c.employee && (c.row[b.day] == b.value) != b.must) {
        ok = false;
        break;
      }
    lp.setColumnUpper(fixed_columns + static_cast<int>(j), ok ? COIN_DBL_MAX : 0.0);
  }
}

bool ColumnGeneration::RoundAndPolish(const double* sol, int64_t& incumbent, Roster& improved, int64_t& work) {
  Impl& m = *impl_;
  const int H = m.H, E = m.E;
  std::vector<int> pick(E, -1);
  std::vector<double> best(E, -1);
  for (size_t j = 0; j < m.cols.size(); ++j) {
    const double lam = sol[m.fixed_columns + static_cast<int>(j)];
    const int e = m.cols[j].employee;
    if (lam > best[e]) {
      best[e] = lam;
      pick[e] = static_cast<int>(j);
    }
  }
  Roster r = Roster::AllOff(m.in);
  for (int e = 0; e < E; ++e) {
    if (pick[e] < 0) return false;
    for (int d = 0; d < H; ++d) r.set(e, d, m.cols[pick[e]].row[d]);
  }
  SearchState& st = m.heur;
  st.Load(r);
  for (int pass = 0; pass < 3; ++pass) {
    bool changed = false;
    for (int e = 0; e < E; ++e) {
      RowDpOutcome out = OptimizeRow(st, e, 0, H - 1);
      work += out.work;
      if (!out.found) continue;
      RowChange c{e, 0, H, out.row.data()};
      int64_t d_obj = 0, d_viol = 0;
      st.Delta(&c, 1, d_obj, d_viol);
      if (d_viol > 0 || (d_viol == 0 && d_obj >= 0)) continue;
      st.Apply(&c, 1);
      changed = true;
    }
    if (!changed) break;
  }
  if (st.violation() != 0) return false;
  Roster polished = st.ToRoster();
  AddRoster(polished);
  if (st.objective() >= incumbent) return false;
  incumbent = st.objective();
  improved = polished;
  return true;
}

TreeStatus ColumnGeneration::ExploreTree(int64_t work_budget, double seconds, int64_t& incumbent, Roster& improved,
                                         bool& found) {
  Impl& m = *impl_;
  const int H = m.H, S = m.S, E = m.E;
  const auto start = Clock::now();
  const bool debug = std::getenv("OPENMSO_SOLVER_DEBUG") != nullptr;
  found = false;
  if (!tree_started_) {
    tree_started_ = true;
    m.stack.push_back({});
  }
  int64_t work = 0;
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<double> x(static_cast<size_t>(E) * H * (S + 1));
  while (!m.stack.empty()) {
    if (work >= work_budget || std::chrono::duration<double>(Clock::now() - start).count() >= seconds) break;
    std::vector<Decision> node = std::move(m.stack.back());
    m.stack.pop_back();
    ++nodes_;
    m.ApplyDecisions(node);
    // Column generation at the node; it is pruned only by an exact Lagrangian bound.
    bool exact = true, pruned = false, lp_failed = false;
    double z = 0;
    for (int round = 0; round < 500; ++round) {
      m.lp.primal();
      if (m.lp.status() != 0) {
        lp_failed = true;
        break;
      }
      z = m.lp.objectiveValue();
      double lagrange = z;
      int added = m.PriceRound(node, kTreeLabels, lagrange, exact, work, deadline);
      if (exact && std::ceil(lagrange - 1e-6) >= static_cast<double>(incumbent)) {
        pruned = true;
        break;
      }
      if (added == 0) break;
    }
    if (pruned) continue;
    if (lp_failed) {
      tree_exact_ = false;  // the node is dropped without a proof
      continue;
    }
    const double* sol = m.lp.primalColumnSolution();
    // Artificial columns in use: no roster keeps the node's decisions (proved when exact).
    bool artificial = false;
    for (int e = 0; e < E; ++e) artificial |= sol[2 * H * S + e] > 1e-6;
    if (artificial) {
      if (!exact) tree_exact_ = false;
      continue;
    }
    std::fill(x.begin(), x.end(), 0.0);
    bool integral = true;
    for (size_t j = 0; j < m.cols.size(); ++j) {
      const double lam = sol[m.fixed_columns + static_cast<int>(j)];
      if (lam < 1e-9) continue;
      if (lam < 1 - 1e-6) integral = false;
      const Column& c = m.cols[j];
      for (int d = 0; d < H; ++d) x[(static_cast<size_t>(c.employee) * H + d) * (S + 1) + c.row[d] + 1] += lam;
    }
    if (integral) {
      Roster r = Roster::AllOff(m.in);
      for (size_t j = 0; j < m.cols.size(); ++j)
        if (sol[m.fixed_columns + static_cast<int>(j)] > 0.5)
          for (int d = 0; d < H; ++d) r.set(m.cols[j].employee, d, m.cols[j].row[d]);
      const int64_t obj = std::llround(z);
      if (obj < incumbent) {
        incumbent = obj;
        improved = r;
        found = true;
        if (debug) std::fprintf(stderr, "bp: node %lld integral %lld\n", static_cast<long long>(nodes_), static_cast<long long>(obj));
      }
      if (!exact) tree_exact_ = false;
      continue;
    }
    // Primal heuristic: each employee's heaviest column (a feasible roster, since cover is
    // soft), polished by the per-employee DP; its rows become columns too.
    if (RoundAndPolish(sol, incumbent, improved, work)) {
      found = true;
      if (debug)
        std::fprintf(stderr, "bp: node %lld rounding %lld\n", static_cast<long long>(nodes_),
                     static_cast<long long>(incumbent));
    }
    // Branch on the most fractional cell.
    int be = -1, bd = -1, bv = 0;
    double best_frac = -1, bx = 0;
    for (int e = 0; e < E; ++e)
      for (int d = 0; d < H; ++d)
        for (int v = -1; v < S; ++v) {
          double xv = x[(static_cast<size_t>(e) * H + d) * (S + 1) + v + 1];
          double frac = std::min(xv, 1 - xv);
          if (frac > best_frac + 1e-9) {
            best_frac = frac;
            be = e;
            bd = d;
            bv = v;
            bx = xv;
          }
        }
    std::vector<Decision> must = node, ban = node;
    must.push_back({be, bd, bv, true});
    ban.push_back({be, bd, bv, false});
    // Depth first; the branch the LP leans to is explored first.
    if (bx >= 0.5) {
      m.stack.push_back(std::move(ban));
      m.stack.push_back(std::move(must));
    } else {
      m.stack.push_back(std::move(must));
      m.stack.push_back(std::move(ban));
    }
  }
  TreeStatus status;
  status.nodes = nodes_;
  status.open = static_cast<int>(m.stack.size());
  status.finished = m.stack.empty();
  status.exact = tree_exact_;
  if (debug)
    std::fprintf(stderr, "bp: %lld nodes, %d open, incumbent %lld, %.2fs\n", static_cast<long long>(nodes_), status.open,
                 static_cast<long long>(incumbent), std::chrono::duration<double>(Clock::now() - start).count());
  return status;
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
