// The roster solver: simulated annealing with reheating cycles over change, swap and
// block moves on the incremental SearchState, run by one or more threads sharing the best roster.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#include "solver/search_state.h"
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
    cycle_length_ = std::max<int64_t>(200000, static_cast<int64_t>(E_) * H_ * 400);
  }

  void Run() {
    const double limit = opt_.time_limit_seconds;
    int64_t my_best_obj = INT64_MAX;
    double next_progress = opt_.progress_interval_seconds;
    int cycle = 0;
    while (true) {
      // Each cycle restarts from the best roster known to any thread.
      if (cycle > 0) {
        std::lock_guard<std::mutex> lock(best_.mu);
        if (best_.have && SharedBest::Better(best_.feasible, best_.objective, best_.violation,
                                             st_.violation() == 0, st_.objective(), st_.violation()))
          st_.Load(best_.roster);
      }
      // Geometric cooling from t0 to t1 over one cycle.
      const double t0 = cycle == 0 ? 30.0 : 6.0;
      const double t1 = 0.15;
      const int64_t n = cycle_length_;
      const double alpha = std::pow(t1 / t0, 1.0 / static_cast<double>(n));
      double temp = t0;
      bool cycle_feasible = false;
      for (int64_t it = 0; it < n; ++it) {
        if ((iterations_ & 1023) == 0) {
          double now = Seconds();
          if (now >= limit || (opt_.cancel && opt_.cancel->load(std::memory_order_relaxed))) return;
          if (thread_ == 0 && opt_.on_progress && now >= next_progress) {
            next_progress = now + opt_.progress_interval_seconds;
            SolveProgress p;
            p.elapsed_seconds = now;
            p.time_limit_seconds = limit;
            {
              std::lock_guard<std::mutex> lock(best_.mu);
              p.best_feasible = best_.feasible;
              p.best_objective = best_.feasible ? best_.objective : -1;
              p.iterations = iterations_;
            }
            opt_.on_progress(p);
          }
        }
        if (opt_.max_iterations > 0 && iterations_ >= opt_.max_iterations) return;
        ++iterations_;
        temp *= alpha;
        Step(temp);
        if (st_.violation() == 0) {
          cycle_feasible = true;
          if (st_.objective() < my_best_obj) {
            my_best_obj = st_.objective();
            best_.Offer(st_, Seconds());
            if (opt_.target_objective >= 0 && my_best_obj <= opt_.target_objective) return;
          }
        } else if (my_best_obj == INT64_MAX && (iterations_ & 4095) == 0) {
          best_.Offer(st_, Seconds());
        }
      }
      // Make hard constraints dearer when a cycle never reached feasibility.
      if (!cycle_feasible) hard_weight_ = std::min<int64_t>(hard_weight_ * 2, 1000000);
      ++cycle;
    }
  }

  int64_t iterations() const { return iterations_; }

 private:
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

  void Step(double temp) {
    int r = rng_.Below(100);
    int64_t d_obj = 0, d_viol = 0;
    if (r < 35) {  // change one day
      int e = rng_.Below(E_), d = rng_.Below(H_);
      int v = RandomValue(e, d);
      if (v == st_.value(e, d)) return;
      buf1_[0] = static_cast<int8_t>(v);
      RowChange c{e, d, 1, buf1_};
      st_.Delta(&c, 1, d_obj, d_viol);
      if (Accept(d_obj, d_viol, temp)) st_.Apply(&c, 1);
    } else if (r < 75) {  // swap a block of days between two employees
      int e1 = rng_.Below(E_), e2 = rng_.Below(E_ - 1);
      if (E_ < 2) return;
      if (e2 >= e1) ++e2;
      int len = 1 + (r < 55 ? 0 : rng_.Below(kMaxBlock));
      int a = rng_.Below(H_);
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
      int e = rng_.Below(E_);
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
      int e = rng_.Below(E_);
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
  for (int64_t n : iterations) result.iterations += n;
  return result;
}

}  // namespace openmso::solver
