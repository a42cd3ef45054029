// Incremental evaluation of roster changes: cover counts, request costs and per-employee
// hard-constraint violation units are updated from the changed days and their neighbouring runs only.
#include "solver/search_state.h"

#include <algorithm>
#include <cassert>

namespace openmso::solver::internal {

Rng::Rng(uint64_t seed) {
  uint64_t z = seed;
  for (auto& s : s_) {  // splitmix64
    z += 0x9e3779b97f4a7c15ULL;
    uint64_t t = z;
    t = (t ^ (t >> 30)) * 0xbf58476d1ce4e5b9ULL;
    t = (t ^ (t >> 27)) * 0x94d049bb133111ebULL;
    s = t ^ (t >> 31);
  }
}

uint64_t Rng::Next() {
  auto rotl = [](uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
  uint64_t result = rotl(s_[1] * 5, 7) * 9;
  uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

SearchState::SearchState(const Instance& in)
    : in_(in), H_(in.horizon), S_(in.num_shifts()), E_(in.num_employees()), W_(in.horizon / 7) {
  forbidden_.assign(S_ * S_, 0);
  for (int s = 0; s < S_; ++s)
    for (int t : in.shifts[s].forbidden_next) forbidden_[s * S_ + t] = 1;
  size_t cells = static_cast<size_t>(E_) * H_;
  allowed_.assign(cells * (S_ + 1), 1);
  request_cost_.assign(cells * (S_ + 1), 0);
  for (int e = 0; e < E_; ++e) {
    for (int d = 0; d < H_; ++d)
      for (int s = 0; s < S_; ++s)
        if (in.employees[e].max_shifts[s] == 0) allowed_[Cell(e, d) * (S_ + 1) + s + 1] = 0;
    for (int d : in.employees[e].days_off)
      for (int s = 0; s < S_; ++s) allowed_[Cell(e, d) * (S_ + 1) + s + 1] = 0;
  }
  for (const ShiftRequest& r : in.on_requests)
    for (int v = -1; v < S_; ++v)
      if (v != r.shift) request_cost_[Cell(r.employee, r.day) * (S_ + 1) + v + 1] += r.weight;
  for (const ShiftRequest& r : in.off_requests)
    request_cost_[Cell(r.employee, r.day) * (S_ + 1) + r.shift + 1] += r.weight;
  cover_delta_.assign(static_cast<size_t>(H_) * S_, 0);
  count_delta_.assign(S_, 0);
  Load(Roster::AllOff(in));
}

void SearchState::Load(const Roster& roster) {
  x_.assign(roster.cells.begin(), roster.cells.end());
  cover_count_.assign(static_cast<size_t>(H_) * S_, 0);
  minutes_.assign(E_, 0);
  shift_count_.assign(static_cast<size_t>(E_) * S_, 0);
  weekend_days_.assign(static_cast<size_t>(E_) * W_, 0);
  weekends_.assign(E_, 0);
  emp_violation_.assign(E_, 0);
  objective_ = 0;
  violation_ = 0;
  for (int e = 0; e < E_; ++e) {
    for (int d = 0; d < H_; ++d) {
      int v = x_[Cell(e, d)];
      assert(Allowed(e, d, v));
      objective_ += RequestCost(e, d, v);
      if (v == kOff) continue;
      ++cover_count_[d * S_ + v];
      minutes_[e] += in_.shifts[v].minutes;
      ++shift_count_[e * S_ + v];
      if (d % 7 >= 5 && d / 7 < W_) ++weekend_days_[e * W_ + d / 7];
    }
    for (int k = 0; k < W_; ++k) weekends_[e] += weekend_days_[e * W_ + k] > 0;
    emp_violation_[e] = RecomputeEmployeeViolation(e);
    violation_ += emp_violation_[e];
  }
  for (int d = 0; d < H_; ++d)
    for (int s = 0; s < S_; ++s) objective_ += CoverCost(d, s, cover_count_[d * S_ + s]);
}

Roster SearchState::ToRoster() const {
  Roster r = Roster::AllOff(in_);
  for (size_t i = 0; i < x_.size(); ++i) r.cells[i] = x_[i];
  return r;
}

int64_t SearchState::CountPenalty(int e, int s, int count) const {
  int over = count - in_.employees[e].max_shifts[s];
  return over > 0 ? kUnit * over : 0;
}

int64_t SearchState::MinutesPenalty(int e, int minutes) const {
  const Employee& emp = in_.employees[e];
  int64_t p = 0;
  if (minutes > emp.max_minutes) p += (minutes - emp.max_minutes + 7) / 8;
  if (minutes < emp.min_minutes) p += (emp.min_minutes - minutes + 7) / 8;
  return p;
}

int64_t SearchState::RecomputeObjective() const {
  int64_t obj = 0;
  std::vector<int> count(static_cast<size_t>(H_) * S_, 0);
  for (int e = 0; e < E_; ++e)
    for (int d = 0; d < H_; ++d) {
      int v = x_[Cell(e, d)];
      obj += RequestCost(e, d, v);
      if (v != kOff) ++count[d * S_ + v];
    }
  for (int d = 0; d < H_; ++d)
    for (int s = 0; s < S_; ++s) obj += CoverCost(d, s, count[d * S_ + s]);
  return obj;
}

int64_t SearchState::RecomputeEmployeeViolation(int e) const {
  const Employee& emp = in_.employees[e];
  const int8_t* r = &x_[Cell(e, 0)];
  int64_t p = 0;
  std::vector<int> count(S_, 0);
  int minutes = 0;
  for (int d = 0; d < H_; ++d) {
    if (r[d] == kOff) continue;
    ++count[r[d]];
    minutes += in_.shifts[r[d]].minutes;
    if (d + 1 < H_ && r[d + 1] != kOff && forbidden_[r[d] * S_ + r[d + 1]]) p += kUnit;
  }
  for (int s = 0; s < S_; ++s) p += CountPenalty(e, s, count[s]);
  p += MinutesPenalty(e, minutes);
  int weekends = 0;
  for (int k = 0; k < W_; ++k) weekends += (r[7 * k + 5] != kOff || r[7 * k + 6] != kOff);
  if (weekends > emp.max_weekends) p += kUnit * (weekends - emp.max_weekends);
  p += RunPenalty(e, 0, H_ - 1, 0, 0, nullptr);
  return p;
}

// Penalty of the maximal runs inside [from, to], reading the row with days
// [first, first+len) replaced by vals. REQUIRES: from and to are run boundaries.
int64_t SearchState::RunPenalty(int e, int from, int to, int first, int len, const int8_t* vals) const {
  const Employee& emp = in_.employees[e];
  const int8_t* r = &x_[Cell(e, 0)];
  auto work = [&](int d) {
    return (d >= first && d < first + len ? vals[d - first] : r[d]) != kOff;
  };
  int64_t p = 0;
  int start = from;
  bool st = work(start);
  for (int d = from + 1; d <= to + 1; ++d) {
    bool w = d <= to ? work(d) : !st;
    if (w == st) continue;
    int end = d - 1;
    int length = end - start + 1;
    bool inner = start > 0 && end < H_ - 1;
    if (st) {
      if (length > emp.max_consecutive) p += kUnit * (length - emp.max_consecutive);
      if (inner && length < emp.min_consecutive) p += kUnit * (emp.min_consecutive - length);
    } else if (inner && length < emp.min_consecutive_off) {
      p += kUnit * (emp.min_consecutive_off - length);
    }
    start = d;
    st = w;
  }
  return p;
}

int64_t SearchState::RowViolationDelta(int e, int first, int len, const int8_t* vals) {
  const Employee& emp = in_.employees[e];
  const int8_t* r = &x_[Cell(e, 0)];
  const int last = first + len - 1;
  auto nv = [&](int d) -> int { return d >= first && d <= last ? vals[d - first] : r[d]; };
  int64_t delta = 0;
  bool status_changed = false;
  int minutes = minutes_[e];
  for (int d = first; d <= last; ++d) {
    int o = r[d], n = vals[d - first];
    if (o == n) continue;
    if ((o == kOff) != (n == kOff)) status_changed = true;
    if (o != kOff) {
      --count_delta_[o];
      minutes -= in_.shifts[o].minutes;
    }
    if (n != kOff) {
      ++count_delta_[n];
      minutes += in_.shifts[n].minutes;
    }
  }
  for (int d = first; d <= last; ++d) {
    for (int v : {static_cast<int>(r[d]), static_cast<int>(vals[d - first])}) {
      if (v == kOff || count_delta_[v] == 0) continue;
      int c = shift_count_[e * S_ + v];
      delta += CountPenalty(e, v, c + count_delta_[v]) - CountPenalty(e, v, c);
      count_delta_[v] = 0;
    }
  }
  delta += MinutesPenalty(e, minutes) - MinutesPenalty(e, minutes_[e]);
  if (!status_changed) {
    // Rotation only.
    for (int d = std::max(0, first - 1); d <= std::min(H_ - 2, last); ++d) {
      int o1 = r[d], o2 = r[d + 1], n1 = nv(d), n2 = nv(d + 1);
      if (o1 != kOff && o2 != kOff && forbidden_[o1 * S_ + o2]) delta -= kUnit;
      if (n1 != kOff && n2 != kOff && forbidden_[n1 * S_ + n2]) delta += kUnit;
    }
    return delta;
  }
  for (int d = std::max(0, first - 1); d <= std::min(H_ - 2, last); ++d) {
    int o1 = r[d], o2 = r[d + 1], n1 = nv(d), n2 = nv(d + 1);
    if (o1 != kOff && o2 != kOff && forbidden_[o1 * S_ + o2]) delta -= kUnit;
    if (n1 != kOff && n2 != kOff && forbidden_[n1 * S_ + n2]) delta += kUnit;
  }
  // Weekends.
  int weekends = weekends_[e];
  for (int k = std::max(0, (first - 6 + 6) / 7 - 1); k < W_ && 7 * k + 5 <= last; ++k) {
    int sat = 7 * k + 5, sun = 7 * k + 6;
    if (sun < first) continue;
    bool was = weekend_days_[e * W_ + k] > 0;
    bool now = nv(sat) != kOff || nv(sun) != kOff;
    weekends += static_cast<int>(now) - static_cast<int>(was);
  }
  if (weekends != weekends_[e]) {
    delta += kUnit * (std::max(0, weekends - emp.max_weekends) -
                      std::max(0, weekends_[e] - emp.max_weekends));
  }
  // Runs around the changed block.
  int from = first, to = last;
  if (first > 0) {
    bool st = r[first - 1] != kOff;
    from = first - 1;
    while (from > 0 && (r[from - 1] != kOff) == st) --from;
  }
  if (last < H_ - 1) {
    bool st = r[last + 1] != kOff;
    to = last + 1;
    while (to < H_ - 1 && (r[to + 1] != kOff) == st) ++to;
  }
  delta += RunPenalty(e, from, to, first, len, vals) - RunPenalty(e, from, to, 0, 0, nullptr);
  return delta;
}

void SearchState::Delta(const RowChange* changes, int n, int64_t& d_objective, int64_t& d_violation) {
  d_objective = 0;
  d_violation = 0;
  touched_.clear();
  for (int i = 0; i < n; ++i) {
    const RowChange& c = changes[i];
    const int8_t* r = &x_[Cell(c.employee, 0)];
    bool any = false;
    for (int k = 0; k < c.len; ++k) {
      int d = c.first + k;
      int o = r[d], v = c.vals[k];
      if (o == v) continue;
      any = true;
      d_objective += RequestCost(c.employee, d, v) - RequestCost(c.employee, d, o);
      if (o != kOff) {
        int idx = d * S_ + o;
        if (cover_delta_[idx] == 0) touched_.push_back(idx);
        --cover_delta_[idx];
      }
      if (v != kOff) {
        int idx = d * S_ + v;
        if (cover_delta_[idx] == 0) touched_.push_back(idx);
        ++cover_delta_[idx];
      }
    }
    if (any) d_violation += RowViolationDelta(c.employee, c.first, c.len, c.vals);
  }
  for (int idx : touched_) {
    int dl = cover_delta_[idx];
    if (dl != 0) {
      int d = idx / S_, s = idx % S_;
      d_objective += CoverCost(d, s, cover_count_[idx] + dl) - CoverCost(d, s, cover_count_[idx]);
      cover_delta_[idx] = 0;
    }
  }
}

void SearchState::Apply(const RowChange* changes, int n) {
  for (int i = 0; i < n; ++i) {
    const RowChange& c = changes[i];
    const int e = c.employee;
    int64_t dv = RowViolationDelta(e, c.first, c.len, c.vals);
    emp_violation_[e] += dv;
    violation_ += dv;
    int8_t* r = &x_[Cell(e, 0)];
    for (int k = 0; k < c.len; ++k) {
      int d = c.first + k;
      int o = r[d], v = c.vals[k];
      if (o == v) continue;
      objective_ += RequestCost(e, d, v) - RequestCost(e, d, o);
      if (o != kOff) {
        int idx = d * S_ + o;
        objective_ += CoverCost(d, o, cover_count_[idx] - 1) - CoverCost(d, o, cover_count_[idx]);
        --cover_count_[idx];
        minutes_[e] -= in_.shifts[o].minutes;
        --shift_count_[e * S_ + o];
      }
      if (v != kOff) {
        int idx = d * S_ + v;
        objective_ += CoverCost(d, v, cover_count_[idx] + 1) - CoverCost(d, v, cover_count_[idx]);
        ++cover_count_[idx];
        minutes_[e] += in_.shifts[v].minutes;
        ++shift_count_[e * S_ + v];
      }
      if (d % 7 >= 5 && d / 7 < W_ && ((o == kOff) != (v == kOff))) {
        uint8_t& wd = weekend_days_[e * W_ + d / 7];
        bool was = wd > 0;
        wd = static_cast<uint8_t>(wd + (v != kOff ? 1 : -1));
        weekends_[e] += static_cast<int>(wd > 0) - static_cast<int>(was);
      }
      r[d] = static_cast<int8_t>(v);
    }
  }
}

}  // namespace openmso::solver::internal
