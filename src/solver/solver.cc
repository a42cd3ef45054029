// The roster solver: simulated annealing with reheating cycles over change, swap and
// block moves on the incremental SearchState, run by one or more threads sharing the best roster.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <memory>
#include <mutex>
#include <thread>

#include "solver/colgen.h"
#include "solver/row_dp.h"
#include "solver/search_state.h"
#include "solver/subproblem.h"
#include "solver/solver.h"

namespace openmso::solver {
namespace {

using internal::kUnit;
using internal::Rng;
using internal::RowChange;
using internal::SearchState;
using Clock = std::chrono::steady_clock;

constexpr int kMaxBlock = 14;

// The best roster seen by any thread. Feasible beats infeasible; then lower cost.
struct SharedBest {
  std::mutex mu;
  bool have = false;
  bool feasible = false;
  int64_t objective = 0;
  int64_t violation = 0;
  Roster roster;
  double seconds = 0;
  int64_t iterations = 0;  // total over threads
  // Read without the lock by Stopped(): a proven lower bound and the best feasible objective.
  std::atomic<int64_t> lower_bound{-1};
  std::atomic<int64_t> best_feasible{INT64_MAX};

  static bool Better(bool f1, int64_t o1, int64_t v1, bool f2, int64_t o2, int64_t v2) {
    if (f1 != f2) return f1;
    if (f1) return o1 < o2;
    return v1 < v2 || (v1 == v2 && o1 < o2);
  }
  // Returns true when the offered roster became the best.
  bool Offer(const SearchState& st, double seconds) {
    std::lock_guard<std::mutex> lock(mu);
    bool f = st.violation() == 0;
    if (have && !Better(f, st.objective(), st.violation(), feasible, objective, violation)) return false;
    have = true;
    feasible = f;
    objective = st.objective();
    violation = st.violation();
    roster = st.ToRoster();
    this->seconds = seconds;
    if (f) best_feasible.store(objective);
    return true;
  }
};

class Annealer {
 public:
  Annealer(const Instance& in, const SolveOptions& opt, SharedBest& best, uint64_t seed, int thread_index,
           Clock::time_point start)
      : in_(in), opt_(opt), best_(best), st_(in), rng_(seed), thread_(thread_index), start_(start) {
    H_ = in.horizon;
    E_ = in.num_employees();
    S_ = in.num_shifts();
    const int64_t per_cell = 10000;  // moves per roster cell in the first cycle (tuned on Instances 4-14)
    cycle_length_ = std::max<int64_t>(200000, static_cast<int64_t>(E_) * H_ * per_cell);
    // Large instances: let the first cycle fit about a quarter of the limit at an assumed
    // 4M moves/s (a function of the arguments, not of the machine, to stay deterministic).
    if (opt.time_limit_seconds > 0)
      cycle_length_ = std::min<int64_t>(cycle_length_, std::max<int64_t>(200000, static_cast<int64_t>(opt.time_limit_seconds * 1e6)));
  }

  void Run() {
    limit_ = opt_.time_limit_seconds;
    next_progress_ = opt_.progress_interval_seconds;
    const bool lns = thread_ == 0 && internal::HaveSubproblemSolver();
    if (thread_ == 0 && opt_.column_generation && internal::ColumnGeneration::Available() &&
        static_cast<int64_t>(H_) * E_ <= cg_max_cells_ && H_ <= cg_max_horizon_)
      ColumnGenerationPhase();
    for (int cycle = 0; !Stopped(); ++cycle) {
      // Each cycle restarts from the best roster known to any thread.
      if (cycle > 0) LoadSharedBest();
      if (cycle > 0 && lns) {
        RefreshViolating();
        if (!violating_.empty()) lns_size_ = 1;  // repair one employee at a time
        Lns(st_.violation() > 0 ? std::min<int>(40, 4 * static_cast<int>(violating_.size())) : lns_improve_rounds_);
        if (Stopped()) return;
      }
      // Cycles double in length (up to 32x), so longer runs anneal more slowly.
      Anneal(cycle == 0 ? 30.0 : t_restart_, 0.15, cycle_length_ << std::min(cycle, 5));
      // Polish the cycle's final roster: repair its violating employees, then descend.
      if (!Stopped()) {
        DpRepair();
        DpDescent();
        DpLns(dp_lns_rounds_);
      }
      if (cg_ && !Stopped()) TreeSlice(cycle == 0 ? cg_first_tree_share_ : cg_tree_share_);
    }
  }

  int64_t iterations() const { return iterations_; }

 private:
  // A slice of branch-and-price from where the last one stopped, pruning with the best
  // feasible roster known; a better integral roster is taken over, and a finished exact
  // tree proves the best roster optimal (every thread then stops).
  void TreeSlice(double share) {
    if (tree_done_) return;
    {
      std::lock_guard<std::mutex> lock(best_.mu);
      if (best_.have && best_.feasible) cg_->AddRoster(best_.roster);
    }
    int64_t incumbent = best_.best_feasible.load();
    const int64_t before = incumbent;
    Roster r;
    bool found = false;
    const double limit = opt_.time_limit_seconds > 0 ? opt_.time_limit_seconds : 60.0;
    const double seconds = std::max(0.0, std::min(2 * share * limit, limit_ - Seconds()));
    auto status = cg_->ExploreTree(DpBudget(share), seconds, incumbent, r, found);
    iterations_ += 1000;
    if (found) {
      st_.Load(r);
      NoteState();
    }
    // CBC over every row generated so far (the tree's, the rounded ones and the best
    // roster's), started from the best roster: recombines rows the tree never put together.
    const double mip_seconds = std::min(cg_mip_share_ * limit, limit_ - Seconds());
    if (!status.finished && mip_seconds > 0.05) {
      Roster start, mip;
      bool have_start = false, proven = false;
      {
        std::lock_guard<std::mutex> lock(best_.mu);
        if (best_.have && best_.feasible) {
          start = best_.roster;
          have_start = true;
        }
      }
      if (cg_->SolveMip(mip_seconds, have_start ? &start : nullptr, mip, proven)) {
        SearchState s(in_);
        s.Load(mip);
        if (s.violation() == 0 && s.objective() < best_.best_feasible.load()) {
          st_.Load(mip);
          NoteState();
        }
        if (std::getenv("OPENMSO_SOLVER_DEBUG"))
          std::fprintf(stderr, "mip t=%.2f obj %lld cols %d\n", Seconds(), static_cast<long long>(s.objective()),
                       cg_->columns());
      }
    }
    if (status.finished) {
      tree_done_ = true;
      if (status.exact && incumbent < INT64_MAX && best_.best_feasible.load() <= incumbent)
        best_.lower_bound.store(std::max(best_.lower_bound.load(), incumbent));
    }
    if (std::getenv("OPENMSO_SOLVER_DEBUG"))
      std::fprintf(stderr, "tree t=%.2f nodes=%lld open=%d finished=%d exact=%d incumbent %lld -> %lld\n", Seconds(),
                   static_cast<long long>(status.nodes), status.open, status.finished, status.exact,
                   static_cast<long long>(before), static_cast<long long>(incumbent));
  }

  // Column generation: the LP bound (shared, so that every thread stops at a proven
  // optimum) and CBC over the generated rows, whose roster becomes the starting point.
  void ColumnGenerationPhase() {
    const double limit = opt_.time_limit_seconds > 0 ? opt_.time_limit_seconds : 60.0;
    cg_ = std::make_unique<internal::ColumnGeneration>(in_);
    internal::ColumnGenerationLimits lim;
    lim.lp_seconds = std::max(0.0, std::min(cg_lp_share_ * limit, limit_ - Seconds()));
    lim.stop = opt_.cancel;
    auto stats = cg_->SolveLp(lim);
    iterations_ += 1000 * stats.rounds;
    if (cg_->IntegerLowerBound() >= 0) best_.lower_bound.store(cg_->IntegerLowerBound());
    // Too slow here (the root is far from converged): the annealing gets the time. A root
    // whose bound is within half a point of its LP is kept: the tree finishes it.
    if (!stats.converged && !(stats.has_bound && stats.lp_value - stats.lower_bound < 0.5)) cg_.reset();
    if (std::getenv("OPENMSO_SOLVER_DEBUG"))
      std::fprintf(stderr, "cg t=%.2f rounds=%d cols=%d lp=%.2f converged=%d bound=%lld\n", Seconds(), stats.rounds,
                   stats.columns, stats.lp_value, stats.converged, static_cast<long long>(best_.lower_bound.load()));
  }

  bool Stopped() {
    if (stopped_) return true;
    double now = Seconds();
    if (now >= limit_ || (opt_.cancel && opt_.cancel->load(std::memory_order_relaxed)) ||
        (opt_.max_iterations > 0 && iterations_ >= opt_.max_iterations) ||
        (opt_.target_objective >= 0 && my_best_obj_ <= opt_.target_objective) ||
        best_.best_feasible.load(std::memory_order_relaxed) <= best_.lower_bound.load(std::memory_order_relaxed)) {
      stopped_ = true;
      return true;
    }
    if (thread_ == 0 && opt_.on_progress && now >= next_progress_) {
      next_progress_ = now + opt_.progress_interval_seconds;
      SolveProgress p;
      p.elapsed_seconds = now;
      p.time_limit_seconds = limit_;
      {
        std::lock_guard<std::mutex> lock(best_.mu);
        p.best_feasible = best_.feasible;
        p.best_objective = best_.feasible ? best_.objective : -1;
      }
      p.iterations = iterations_;
      opt_.on_progress(p);
    }
    return false;
  }

  void LoadSharedBest() {
    std::lock_guard<std::mutex> lock(best_.mu);
    if (best_.have && SharedBest::Better(best_.feasible, best_.objective, best_.violation,
                                         st_.violation() == 0, st_.objective(), st_.violation()))
      st_.Load(best_.roster);
  }

  void NoteState() {
    if (st_.violation() == 0) {
      if (st_.objective() < my_best_obj_) {
        my_best_obj_ = st_.objective();
        best_.Offer(st_, Seconds());
      }
    } else if (my_best_obj_ == INT64_MAX && (iterations_ & 4095) == 0) {
      best_.Offer(st_, Seconds());
    }
  }

  // Simulated annealing, geometric cooling from t0 to t1 over n moves.
  void Anneal(double t0, double t1, int64_t n) {
    const double alpha = std::pow(t1 / t0, 1.0 / static_cast<double>(n));
    double temp = t0;
    bool cycle_feasible = false;
    for (int64_t it = 0; it < n; ++it) {
      if ((iterations_ & 1023) == 0 && Stopped()) return;
      ++iterations_;
      temp *= alpha;
      Step(temp);
      if (st_.violation() == 0) cycle_feasible = true;
      NoteState();
    }
    // Make hard constraints dearer when a cycle ends infeasible, cheaper when it ends feasible.
    (void)cycle_feasible;
    if (std::getenv("OPENMSO_SOLVER_DEBUG"))
      std::fprintf(stderr, "cycle end t=%.2f hw=%lld obj=%lld viol=%lld best=%lld\n", Seconds(),
                   static_cast<long long>(hard_weight_), static_cast<long long>(st_.objective()),
                   static_cast<long long>(st_.violation()), static_cast<long long>(my_best_obj_));
    if (st_.violation() > 0) hard_weight_ = std::min<int64_t>(hard_weight_ * 2, max_hard_weight_);
    else hard_weight_ = std::max<int64_t>(hard_weight_ * 4 / 5, 100);
  }

  // DP effort (state transitions) worth `share` of the time limit at an assumed rate:
  // a function of the arguments, not of the clock, so that runs stay deterministic.
  int64_t DpBudget(double share) const {
    const double limit = opt_.time_limit_seconds > 0 ? opt_.time_limit_seconds : 60.0;
    return static_cast<int64_t>(share * limit * kDpWorkPerSecond);
  }

  // A window for the per-employee DP: the whole horizon on short instances, otherwise
  // a random block of days.
  void DpWindow(int& first, int& last) {
    if (H_ <= dp_full_horizon_) {
      first = 0;
      last = H_ - 1;
      return;
    }
    int len = std::min(H_, dp_window_ + rng_.Below(dp_window_ / 2 + 1));
    first = rng_.Below(H_ - len + 1);
    last = first + len - 1;
  }

  // Re-optimises one employee's row on [first, last] with the DP; applies the result when
  // `accept` says so. Returns true when applied.
  template <class AcceptFn>
  bool DpMove(int e, int first, int last, AcceptFn accept) {
    auto out = internal::OptimizeRow(st_, e, first, last, dp_limits_);
    ++dp_calls_;
    dp_work_ += out.work;
    if (!out.found) return false;
    RowChange c{e, first, last - first + 1, out.row.data()};
    int64_t d_obj = 0, d_viol = 0;
    st_.Delta(&c, 1, d_obj, d_viol);
    if (d_obj == 0 && d_viol == 0) return false;
    if (!accept(d_obj, d_viol)) return false;
    st_.Apply(&c, 1);
    NoteState();
    return true;
  }

  // Re-optimises each employee that breaks a hard constraint (several windows each)
  // accepting any change that lowers the violation units.
  void DpRepair() {
    double t0 = Seconds();
    int64_t viol0 = st_.violation();
    auto improves = [](int64_t d_obj, int64_t d_viol) { return d_viol < 0 || (d_viol == 0 && d_obj < 0); };
    // More effort while no feasible roster is known at all.
    const int64_t budget_end = dp_work_ + DpBudget((my_best_obj_ == INT64_MAX ? 2.5 : 1.0) * dp_repair_share_);
    for (int round = 0; round < 3 && st_.violation() > 0 && !Stopped() && dp_work_ < budget_end; ++round) {
      RefreshViolating();
      for (int e : violating_) {
        if (Stopped() || dp_work_ >= budget_end) break;
        // Windows of up to 13 weeks around the violations (the whole row when shorter).
        for (int t = 0; t < 6 && st_.employee_violation(e) > 0 && !Stopped(); ++t) {
          int d = ViolationDay(e);
          int len = std::min(H_, dp_repair_window_);
          int first = d < 0 ? rng_.Below(H_ - len + 1) : std::clamp(d - len / 2 + rng_.Below(7) - 3, 0, H_ - len);
          DpMove(e, first, first + len - 1, improves);
          iterations_ += 100;
        }
      }
    }
    if (st_.violation() > 0) best_.Offer(st_, Seconds());  // keeps the repaired roster if it has fewer violations
    if (std::getenv("OPENMSO_SOLVER_DEBUG"))
      std::fprintf(stderr, "dp repair %.3fs viol %lld -> %lld obj %lld\n", Seconds() - t0, static_cast<long long>(viol0),
                   static_cast<long long>(st_.violation()), static_cast<long long>(st_.objective()));
  }

  // A random day on which a run or rotation rule of employee e is broken, or -1.
  int ViolationDay(int e) {
    const Employee& emp = in_.employees[e];
    const int8_t* r = st_.row(e);
    int found = -1, n = 0;
    auto note = [&](int d) {
      if (rng_.Below(++n) == 0) found = d;
    };
    for (int d = 0; d < H_;) {
      bool work = r[d] != kOff;
      int end = d;
      while (end + 1 < H_ && (r[end + 1] != kOff) == work) ++end;
      int length = end - d + 1;
      bool inner = d > 0 && end < H_ - 1;
      if (work) {
        if (length > emp.max_consecutive || (inner && length < emp.min_consecutive)) note(d);
        for (int k = d; k < end; ++k) {
          const auto& f = in_.shifts[r[k]].forbidden_next;
          if (std::find(f.begin(), f.end(), r[k + 1]) != f.end()) note(k);
        }
      } else if (inner && length < emp.min_consecutive_off) {
        note(d);
      }
      d = end + 1;
    }
    return found;
  }

  // Ruin and recreate with the DP: k employees' windows are cleared, then rebuilt one
  // employee at a time (two passes, random order); the change is kept unless it raises the
  // violation units or the objective.
  void DpLns(int rounds) {
    double t0 = Seconds();
    int64_t obj0 = st_.objective();
    int accepted = 0;
    std::vector<int> emps;
    std::vector<std::vector<int8_t>> saved;
    std::vector<int8_t> offs(H_, static_cast<int8_t>(kOff));
    for (int round = 0; round < rounds && !Stopped(); ++round) {
      int k = std::min(E_, dp_lns_min_ + rng_.Below(dp_lns_max_ - dp_lns_min_ + 1));
      emps.clear();
      while (static_cast<int>(emps.size()) < k) {
        int e = PickEmployee();
        if (std::find(emps.begin(), emps.end(), e) == emps.end()) emps.push_back(e);
      }
      int first, last;
      DpWindow(first, last);
      const int len = last - first + 1;
      const int64_t before_obj = st_.objective(), before_viol = st_.violation();
      saved.resize(k);
      saved_emps_ = emps;
      for (int j = 0; j < k; ++j) {
        saved[j].assign(st_.row(emps[j]) + first, st_.row(emps[j]) + first + len);
        RowChange c{emps[j], first, len, offs.data()};
        st_.Apply(&c, 1);
      }
      for (int pass = 0; pass < 2; ++pass) {
        for (int i = k - 1; i > 0; --i) std::swap(emps[i], emps[rng_.Below(i + 1)]);
        for (int e : emps) {
          auto out = internal::OptimizeRow(st_, e, first, last, dp_limits_);
          if (!out.found) continue;
          RowChange c{e, first, len, out.row.data()};
          st_.Apply(&c, 1);
        }
      }
      iterations_ += 100 * k;
      if (st_.violation() < before_viol || (st_.violation() == before_viol && st_.objective() <= before_obj)) {
        accepted += st_.objective() < before_obj;
        NoteState();
        continue;
      }
      RestoreRows(saved_emps_, saved, first, len);
    }
    if (std::getenv("OPENMSO_SOLVER_DEBUG"))
      std::fprintf(stderr, "dp lns %.3fs obj %lld -> %lld (%d improving)\n", Seconds() - t0, static_cast<long long>(obj0),
                   static_cast<long long>(st_.objective()), accepted);
  }

  void RestoreRows(const std::vector<int>& emps, std::vector<std::vector<int8_t>>& rows, int first, int len) {
    for (size_t j = 0; j < emps.size(); ++j) {
      RowChange c{emps[j], first, len, rows[j].data()};
      st_.Apply(&c, 1);
    }
  }

  // Steepest per-employee descent: every employee in random order re-optimised by the DP
  // until a whole pass brings no improvement (or a pass limit).
  void DpDescent() {
    std::vector<int> order(E_);
    for (int e = 0; e < E_; ++e) order[e] = e;
    double t0 = Seconds();
    int64_t obj0 = st_.objective(), viol0 = st_.violation();
    const int64_t budget_end = dp_work_ + DpBudget(dp_descent_share_);
    for (int pass = 0; pass < dp_passes_ && !Stopped() && dp_work_ < budget_end; ++pass) {
      for (int i = E_ - 1; i > 0; --i) std::swap(order[i], order[rng_.Below(i + 1)]);
      bool improved = false;
      for (int e : order) {
        if (Stopped() || dp_work_ >= budget_end) break;
        int first, last;
        DpWindow(first, last);
        improved |= DpMove(e, first, last, [](int64_t d_obj, int64_t d_viol) {
          return d_viol < 0 || (d_viol == 0 && d_obj < 0);
        });
        iterations_ += 100;
      }
      if (!improved && H_ <= dp_full_horizon_) break;
    }
    if (st_.violation() > 0) best_.Offer(st_, Seconds());
    if (std::getenv("OPENMSO_SOLVER_DEBUG"))
      std::fprintf(stderr, "dp descent %.3fs obj %lld/%lld -> %lld/%lld\n", Seconds() - t0,
                   static_cast<long long>(obj0), static_cast<long long>(viol0),
                   static_cast<long long>(st_.objective()), static_cast<long long>(st_.violation()));
  }

  // Large-neighbourhood search: re-optimise a group of employees (one that breaks a
  // hard constraint first, if any) over a window of days exactly with CBC, growing the
  // group while CBC proves its sub-rosters optimal within the node limit.
  void Lns(int rounds) {
    const int window = std::min(H_, 28);
    const int max_group = std::clamp(500 / std::max(1, window * S_), 1, E_);
    std::vector<int> emps;
    std::vector<RowChange> changes;
    std::vector<int> perm(E_);
    for (int round = 0; round < rounds && !Stopped(); ++round) {
      RefreshViolating();
      int k = std::clamp(lns_size_, 1, max_group);
      for (int e = 0; e < E_; ++e) perm[e] = e;
      if (!violating_.empty()) std::swap(perm[0], perm[violating_[rng_.Below(static_cast<int>(violating_.size()))]]);
      emps.clear();
      for (int j = 0; j < k; ++j) {
        int pick = (j == 0 && !violating_.empty()) ? 0 : j + rng_.Below(E_ - j);
        std::swap(perm[j], perm[pick]);
        emps.push_back(perm[j]);
      }
      int first = H_ == window ? 0 : rng_.Below(H_ - window + 1);
      int last = first + window - 1;
      internal::SubproblemLimits lim;
      lim.max_nodes = 100;
      lim.max_seconds = std::max(0.05, std::min(2.0, limit_ - Seconds()));
      double t_before = Seconds();
      auto out = internal::SolveSubproblem(st_, emps, first, last, lim);
      if (std::getenv("OPENMSO_SOLVER_DEBUG")) std::fprintf(stderr, "cbc %.3f\n", Seconds() - t_before);
      iterations_ += 1000;  // a sub-roster counts as 1000 moves for max_iterations
      if (out.optimal) lns_size_ = std::min(max_group, lns_size_ + 1);
      else lns_size_ = std::max(1, lns_size_ - 1);
      if (std::getenv("OPENMSO_SOLVER_DEBUG"))
        std::fprintf(stderr, "lns t=%.2f k=%d solved=%d opt=%d obj=%lld viol=%lld\n", Seconds(), k, out.solved,
                     out.optimal, static_cast<long long>(st_.objective()), static_cast<long long>(st_.violation()));
      if (!out.solved) continue;
      changes.clear();
      for (int j = 0; j < k; ++j) changes.push_back({emps[j], first, window, out.rows[j].data()});
      int64_t d_obj = 0, d_viol = 0;
      st_.Delta(changes.data(), k, d_obj, d_viol);
      if (d_viol < 0 || (d_viol == 0 && d_obj <= 0)) {
        st_.Apply(changes.data(), k);
        NoteState();
      }
    }
  }

  double Seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  bool Accept(int64_t d_obj, int64_t d_viol, double temp) {
    int64_t delta = d_obj * kUnit + d_viol * hard_weight_;
    if (delta <= 0) return true;
    double x = static_cast<double>(delta) / (temp * kUnit);
    if (x > 30) return false;
    return rng_.Uniform() < std::exp(-x);
  }

  int RandomValue(int e, int d) {
    // A value different from the current one that is allowed; kOff is always allowed.
    int cur = st_.value(e, d);
    for (int tries = 0; tries < 4; ++tries) {
      int v = rng_.Below(S_ + 1) - 1;
      if (v != cur && st_.Allowed(e, d, v)) return v;
    }
    return cur;
  }

  // A random employee; half of the time one that breaks a hard constraint, if any.
  int PickEmployee() {
    if (!violating_.empty() && rng_.Below(2) == 0) return violating_[rng_.Below(static_cast<int>(violating_.size()))];
    return rng_.Below(E_);
  }

  void RefreshViolating() {
    violating_.clear();
    if (st_.violation() == 0) return;
    for (int e = 0; e < E_; ++e)
      if (st_.employee_violation(e) > 0) violating_.push_back(e);
  }

  void Step(double temp) {
    if ((iterations_ & 255) == 0) RefreshViolating();
    if (dp_every_ > 0 && iterations_ % dp_every_ == 0) {
      int e = PickEmployee(), first, last;
      DpWindow(first, last);
      DpMove(e, first, last, [&](int64_t d_obj, int64_t d_viol) { return Accept(d_obj, d_viol, temp); });
      return;
    }
    int r = rng_.Below(100);
    int64_t d_obj = 0, d_viol = 0;
    if (r < 35) {  // change one day
      int e = PickEmployee(), d = rng_.Below(H_);
      int v = RandomValue(e, d);
      if (v == st_.value(e, d)) return;
      buf1_[0] = static_cast<int8_t>(v);
      RowChange c{e, d, 1, buf1_};
      st_.Delta(&c, 1, d_obj, d_viol);
      if (Accept(d_obj, d_viol, temp)) st_.Apply(&c, 1);
    } else if (r < 75) {  // swap a block of days between two employees
      if (E_ < 2) return;
      int e1 = PickEmployee(), e2 = rng_.Below(E_ - 1);
      if (e2 >= e1) ++e2;
      int len = 1 + (r < 50 ? 0 : rng_.Below(kMaxBlock));
      int a = rng_.Below(H_);
      if (r >= 68 && H_ >= 7) {  // a weekend, or a whole week
        int week = rng_.Below(H_ / 7);
        a = 7 * week + (r < 72 ? 0 : 5);
        len = r < 72 ? 7 : 2;
      }
      len = std::min(len, H_ - a);
      bool differ = false;
      for (int k = 0; k < len; ++k) {
        int v1 = st_.value(e1, a + k), v2 = st_.value(e2, a + k);
        if (!st_.Allowed(e1, a + k, v2) || !st_.Allowed(e2, a + k, v1)) return;
        buf1_[k] = static_cast<int8_t>(v2);
        buf2_[k] = static_cast<int8_t>(v1);
        differ |= v1 != v2;
      }
      if (!differ) return;
      RowChange c[2] = {{e1, a, len, buf1_}, {e2, a, len, buf2_}};
      st_.Delta(c, 2, d_obj, d_viol);
      if (Accept(d_obj, d_viol, temp)) st_.Apply(c, 2);
    } else if (r < 90) {  // set a block of days to one value
      int e = PickEmployee();
      int a = rng_.Below(H_);
      int len = std::min(1 + rng_.Below(7), H_ - a);
      int v = rng_.Below(S_ + 1) - 1;
      bool differ = false;
      for (int k = 0; k < len; ++k) {
        if (!st_.Allowed(e, a + k, v)) return;
        buf1_[k] = static_cast<int8_t>(v);
        differ |= st_.value(e, a + k) != v;
      }
      if (!differ) return;
      RowChange c{e, a, len, buf1_};
      st_.Delta(&c, 1, d_obj, d_viol);
      if (Accept(d_obj, d_viol, temp)) st_.Apply(&c, 1);
    } else {  // exchange two days of one employee
      int e = PickEmployee();
      int d1 = rng_.Below(H_);
      int d2 = d1 + 1 + rng_.Below(kMaxBlock - 1);
      if (d2 >= H_) return;
      int v1 = st_.value(e, d1), v2 = st_.value(e, d2);
      if (v1 == v2 || !st_.Allowed(e, d1, v2) || !st_.Allowed(e, d2, v1)) return;
      int len = d2 - d1 + 1;
      for (int k = 0; k < len; ++k) buf1_[k] = static_cast<int8_t>(st_.value(e, d1 + k));
      buf1_[0] = static_cast<int8_t>(v2);
      buf1_[len - 1] = static_cast<int8_t>(v1);
      RowChange c{e, d1, len, buf1_};
      st_.Delta(&c, 1, d_obj, d_viol);
      if (Accept(d_obj, d_viol, temp)) st_.Apply(&c, 1);
    }
  }

  const Instance& in_;
  const SolveOptions& opt_;
  SharedBest& best_;
  SearchState st_;
  Rng rng_;
  int thread_;
  Clock::time_point start_;
  int H_ = 0, E_ = 0, S_ = 0;
  int64_t cycle_length_ = 0;
  int64_t iterations_ = 0;
  int64_t hard_weight_ = 200;
  int64_t my_best_obj_ = INT64_MAX;
  double limit_ = 0;
  double next_progress_ = 0;
  bool stopped_ = false;
  int lns_size_ = 2;
  double t_restart_ = 5.0;
  int64_t max_hard_weight_ = 100000;
  int lns_improve_rounds_ = 0;  // measured: annealing time beats CBC improvement rounds
  int lns_rounds_ = 200;
  std::vector<int> violating_;
  // Per-employee DP neighbourhood.
  internal::RowDpLimits dp_limits_;
  int dp_full_horizon_ = 28;  // whole-row DP up to this horizon, windows beyond
  int dp_window_ = 28;
  int dp_repair_window_ = 56;
  double dp_descent_share_ = 0.03;  // at most this share of the time limit per descent
  double dp_repair_share_ = 0.15;   // ... per repair
  int dp_passes_ = 3;
  int64_t dp_every_ = 0;  // one DP move per this many annealing moves (0 = never)
  int64_t dp_calls_ = 0;
  int64_t dp_work_ = 0;
  // State transitions per second measured on the benchmark machine: 40M (Instance5, small
  // rows, call overhead dominates) to 110M (Instance13) and 160-190M (Instance22).
  static constexpr double kDpWorkPerSecond = 120e6;
  int dp_lns_min_ = 2, dp_lns_max_ = 4;
  int dp_lns_rounds_ = 0;
  std::vector<int> saved_emps_;
  // Column generation (thread 0): instance size limits and shares of the time limit.
  std::unique_ptr<internal::ColumnGeneration> cg_;
  int64_t cg_max_cells_ = 1500;  // employees x days; measured: Instance12 (1680) does better without
  int cg_max_horizon_ = 84;  // longer rows price too slowly (Instance20: 182 days)
  double cg_lp_share_ = 0.25;         // root LP, wall clock
  double cg_first_tree_share_ = 0.2;  // branch-and-price DP work after the first annealing cycle
  double cg_tree_share_ = 0.15;       // ... after each cycle
  double cg_mip_share_ = 0.05;        // CBC over the generated rows after each tree slice
  bool tree_done_ = false;
  int8_t buf1_[kMaxBlock + 1] = {};
  int8_t buf2_[kMaxBlock + 1] = {};
};

}  // namespace

SolveResult Solve(const Instance& instance, const SolveOptions& options) {
  const auto start = Clock::now();
  SharedBest best;
  int threads = std::max(1, options.threads);
  std::vector<int64_t> iterations(threads, 0);
  auto run = [&](int t) {
    Annealer a(instance, options, best, options.seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(t) + 1, t, start);
    a.Run();
    iterations[t] = a.iterations();
  };
  if (threads == 1) {
    run(0);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(run, t);
    for (auto& th : pool) th.join();
  }
  SolveResult result;
  result.roster = best.have ? best.roster : Roster::AllOff(instance);
  result.evaluation = Evaluate(instance, result.roster);
  result.seconds_to_best = best.seconds;
  result.seconds_total = std::chrono::duration<double>(Clock::now() - start).count();
  result.lower_bound = best.lower_bound.load();
  for (int64_t n : iterations) result.iterations += n;
  return result;
}

}  // namespace openmso::solver
