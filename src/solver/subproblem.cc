// Exact sub-roster re-optimisation with COIN-OR CBC: the Curtois & Qu model written as a
// MIP over the free cells, with every fixed cell folded into constants, solved from the current roster.
#include "solver/subproblem.h"

#include <cmath>
#include <cstdlib>
#include <string>
#include <mutex>

#ifdef OPENMSO_HAVE_CBC
#include <coin/Cbc_C_Interface.h>
#endif

namespace openmso::solver::internal {

#ifndef OPENMSO_HAVE_CBC

bool HaveSubproblemSolver() { return false; }
SubproblemOutcome SolveSubproblem(const SearchState&, const std::vector<int>&, int, int,
                                  const SubproblemLimits&) {
  return {};
}

#else

bool HaveSubproblemSolver() { return true; }

namespace {

std::mutex cbc_mutex;

// A linear expression over MIP columns plus a constant.
struct Lin {
  std::vector<int> cols;
  std::vector<double> coefs;
  double constant = 0;
  void Clear() {
    cols.clear();
    coefs.clear();
    constant = 0;
  }
};

class Builder {
 public:
  Builder(const SearchState& st, const std::vector<int>& emps, int first, int last)
      : st_(st), in_(st.instance()), emps_(emps), first_(first), last_(last),
        H_(in_.horizon), S_(in_.num_shifts()), len_(last - first + 1) {}

  ~Builder() {
    if (m_) Cbc_deleteModel(m_);
  }

  SubproblemOutcome Run(const SubproblemLimits& limits) {
    SubproblemOutcome out;
    m_ = Cbc_newModel();
    Cbc_setLogLevel(m_, 0);
    const int n = static_cast<int>(emps_.size());
    var_.assign(static_cast<size_t>(n) * len_ * S_, -1);
    // Cell variables.
    for (int i = 0; i < n; ++i) {
      int e = emps_[i];
      for (int d = first_; d <= last_; ++d) {
        int cur = st_.value(e, d);
        for (int s = 0; s < S_; ++s) {
          if (!st_.Allowed(e, d, s)) continue;
          double c = st_.RequestCost(e, d, s) - st_.RequestCost(e, d, kOff);
          Var(i, d, s) = AddCol(0, 1, c, true, cur == s ? 1 : 0);
        }
      }
    }
    // Cover rows with under/over slack columns.
    for (int d = first_; d <= last_; ++d) {
      for (int s = 0; s < S_; ++s) {
        Lin l;
        int fixed = st_.CoverCount(d, s);
        for (int i = 0; i < n; ++i) {
          if (st_.value(emps_[i], d) == s) --fixed;
          if (Var(i, d, s) >= 0) {
            l.cols.push_back(Var(i, d, s));
            l.coefs.push_back(1);
          }
        }
        if (l.cols.empty()) continue;
        const Cover& c = in_.CoverAt(d, s);
        int now = st_.CoverCount(d, s);
        int under = AddCol(0, 1e9, c.weight_under, false, std::max(0, c.requirement - now));
        int over = AddCol(0, 1e9, c.weight_over, false, std::max(0, now - c.requirement));
        l.cols.push_back(under);
        l.coefs.push_back(1);
        l.cols.push_back(over);
        l.coefs.push_back(-1);
        rows_.push_back({l, 'E', static_cast<double>(c.requirement - fixed)});
      }
    }
    for (int i = 0; i < n; ++i)
      if (!EmployeeRows(i)) return out;  // fixed cells alone break a rule
    // Columns first, then rows (Cbc_addRow refers to existing columns).
    for (const auto& r : rows_) {
      Cbc_addRow(m_, "", static_cast<int>(r.lin.cols.size()), r.lin.cols.data(), r.lin.coefs.data(), r.sense,
                 r.rhs - r.lin.constant);
    }
    for (auto [col, ub] : upper_) Cbc_setColUpper(m_, col, ub);
    std::vector<int> idx(start_.size());
    for (size_t k = 0; k < idx.size(); ++k) idx[k] = static_cast<int>(k);
    Cbc_setMIPStartI(m_, static_cast<int>(idx.size()), idx.data(), start_.data());
    if (!limits.cuts) Cbc_setParameter(m_, "cuts", "off");
    Cbc_setMaximumNodes(m_, limits.max_nodes);
    Cbc_setMaximumSeconds(m_, limits.max_seconds);
    Cbc_solve(m_);
    const double* sol = Cbc_bestSolution(m_);
    if (sol == nullptr) return out;
    out.solved = true;
    out.optimal = Cbc_isProvenOptimal(m_) != 0;
    out.rows.assign(n, std::vector<int8_t>(len_, static_cast<int8_t>(kOff)));
    for (int i = 0; i < n; ++i)
      for (int d = first_; d <= last_; ++d)
        for (int s = 0; s < S_; ++s)
          if (Var(i, d, s) >= 0 && sol[Var(i, d, s)] > 0.5) out.rows[i][d - first_] = static_cast<int8_t>(s);
    return out;
  }

 private:
  struct Row {
    Lin lin;
    char sense;
    double rhs;
  };

  int& Var(int i, int d, int s) { return var_[(static_cast<size_t>(i) * len_ + (d - first_)) * S_ + s]; }

  int AddCol(double lb, double ub, double obj, bool integer, double start) {
    Cbc_addCol(m_, "", lb, ub, obj, integer ? 1 : 0, 0, nullptr, nullptr);
    start_.push_back(start);
    return ncols_++;
  }

  // Adds w(e, d) (1 when working) to `l` with coefficient `coef`.
  void AddWork(int i, int d, double coef, Lin& l) {
    if (d >= first_ && d <= last_) {
      for (int s = 0; s < S_; ++s)
        if (Var(i, d, s) >= 0) {
          l.cols.push_back(Var(i, d, s));
          l.coefs.push_back(coef);
        }
    } else if (st_.value(emps_[i], d) != kOff) {
      l.constant += coef;
    }
  }

  // Adds `l sense rhs` unless it has no column; returns false if a constant-only row fails.
  bool AddRow(const Lin& l, char sense, double rhs) {
    if (l.cols.empty()) {
      if (sense == 'L') return l.constant <= rhs + 1e-9;
      if (sense == 'G') return l.constant >= rhs - 1e-9;
      return std::abs(l.constant - rhs) < 1e-9;
    }
    rows_.push_back({l, sense, rhs});
    return true;
  }

  bool EmployeeRows(int i) {
    const int e = emps_[i];
    const Employee& emp = in_.employees[e];
    Lin l;
    // One shift per day.
    for (int d = first_; d <= last_; ++d) {
      l.Clear();
      AddWork(i, d, 1, l);
      if (l.cols.size() > 1) AddRow(l, 'L', 1);
    }
    // NRP-ROTATION.
    for (int d = std::max(0, first_ - 1); d <= std::min(H_ - 2, last_); ++d) {
      for (int s = 0; s < S_; ++s) {
        for (int t : in_.shifts[s].forbidden_next) {
          bool in1 = d >= first_, in2 = d + 1 <= last_;
          if (in1 && in2) {
            if (Var(i, d, s) >= 0 && Var(i, d + 1, t) >= 0) {
              l.Clear();
              l.cols = {Var(i, d, s), Var(i, d + 1, t)};
              l.coefs = {1, 1};
              AddRow(l, 'L', 1);
            }
          } else if (!in1 && st_.value(e, d) == s && Var(i, d + 1, t) >= 0) {
            upper_.push_back({Var(i, d + 1, t), 0});
          } else if (!in2 && st_.value(e, d + 1) == t && Var(i, d, s) >= 0) {
            upper_.push_back({Var(i, d, s), 0});
          }
        }
      }
    }
    // NRP-MAX-SHIFTS and NRP-MIN/MAX-MINUTES.
    std::vector<int> fixed_count(S_, 0);
    int fixed_minutes = 0;
    for (int d = 0; d < H_; ++d) {
      if (d >= first_ && d <= last_) continue;
      int v = st_.value(e, d);
      if (v == kOff) continue;
      ++fixed_count[v];
      fixed_minutes += in_.shifts[v].minutes;
    }
    for (int s = 0; s < S_; ++s) {
      l.Clear();
      for (int d = first_; d <= last_; ++d)
        if (Var(i, d, s) >= 0) {
          l.cols.push_back(Var(i, d, s));
          l.coefs.push_back(1);
        }
      if (!AddRow(l, 'L', emp.max_shifts[s] - fixed_count[s])) return false;
    }
    l.Clear();
    for (int d = first_; d <= last_; ++d)
      for (int s = 0; s < S_; ++s)
        if (Var(i, d, s) >= 0) {
          l.cols.push_back(Var(i, d, s));
          l.coefs.push_back(in_.shifts[s].minutes);
        }
    if (!AddRow(l, 'L', emp.max_minutes - fixed_minutes)) return false;
    if (!AddRow(l, 'G', emp.min_minutes - fixed_minutes)) return false;
    // NRP-MAX-CONSECUTIVE: every max+1 consecutive days hold a day off.
    const int mc = emp.max_consecutive;
    for (int a = std::max(0, first_ - mc); a <= std::min(last_, H_ - 1 - mc); ++a) {
      l.Clear();
      for (int d = a; d <= a + mc; ++d) AddWork(i, d, 1, l);
      if (!AddRow(l, 'L', mc)) return false;
    }
    // NRP-MIN-CONSECUTIVE / NRP-MIN-DAYS-OFF: forbid inner runs of length k < minimum.
    for (int pass = 0; pass < 2; ++pass) {
      const int minimum = pass == 0 ? emp.min_consecutive : emp.min_consecutive_off;
      for (int k = 1; k < minimum; ++k) {
        for (int d = std::max(1, first_ - k); d + k <= H_ - 1 && d - 1 <= last_; ++d) {
          l.Clear();
          double sign = pass == 0 ? 1 : -1;  // work run: 0 1..1 0; off run: 1 0..0 1
          AddWork(i, d - 1, -sign, l);
          for (int j = d; j < d + k; ++j) AddWork(i, j, sign, l);
          AddWork(i, d + k, -sign, l);
          if (!AddRow(l, 'L', pass == 0 ? k - 1 : 1)) return false;
        }
      }
    }
    // NRP-MAX-WEEKENDS.
    l.Clear();
    int fixed_weekends = 0;
    for (int k = 0; k < H_ / 7; ++k) {
      int sat = 7 * k + 5, sun = 7 * k + 6;
      bool touches = (sat >= first_ && sat <= last_) || (sun >= first_ && sun <= last_);
      if (!touches) {
        fixed_weekends += st_.value(e, sat) != kOff || st_.value(e, sun) != kOff;
        continue;
      }
      int y = AddCol(0, 1, 0, false, (st_.value(e, sat) != kOff || st_.value(e, sun) != kOff) ? 1 : 0);
      for (int day : {sat, sun}) {
        Lin c;
        AddWork(i, day, 1, c);
        c.cols.push_back(y);
        c.coefs.push_back(-1);
        AddRow(c, 'L', 0);  // w(day) - y <= 0
      }
      l.cols.push_back(y);
      l.coefs.push_back(1);
    }
    if (!AddRow(l, 'L', emp.max_weekends - fixed_weekends)) return false;
    return true;
  }

  const SearchState& st_;
  const Instance& in_;
  const std::vector<int>& emps_;
  int first_, last_, H_, S_, len_;
  Cbc_Model* m_ = nullptr;
  int ncols_ = 0;
  std::vector<int> var_;
  std::vector<double> start_;
  std::vector<Row> rows_;
  std::vector<std::pair<int, double>> upper_;
};

}  // namespace

SubproblemOutcome SolveSubproblem(const SearchState& state, const std::vector<int>& employees, int first,
                                  int last, const SubproblemLimits& limits) {
  std::lock_guard<std::mutex> lock(cbc_mutex);
  Builder b(state, employees, first, last);
  return b.Run(limits);
}

#endif

}  // namespace openmso::solver::internal
