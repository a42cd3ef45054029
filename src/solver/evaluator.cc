// The independent roster evaluator: scores a roster by the objective of FORMAT.md and
// lists every hard-constraint violation. Deliberately plain (full scans, no caching) so
// that it can serve as the reference the solver's incremental costs are tested against.
#include <algorithm>
#include <sstream>

#include "solver/solver.h"

namespace openmso::solver {

std::string_view ConstraintName(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::kShiftRotation: return "shift rotation";
    case ConstraintKind::kMaxShifts: return "maximum shifts of a type";
    case ConstraintKind::kMaxMinutes: return "maximum total minutes";
    case ConstraintKind::kMinMinutes: return "minimum total minutes";
    case ConstraintKind::kMaxConsecutive: return "maximum consecutive shifts";
    case ConstraintKind::kMinConsecutive: return "minimum consecutive shifts";
    case ConstraintKind::kMinConsecutiveOff: return "minimum consecutive days off";
    case ConstraintKind::kMaxWeekends: return "maximum weekends";
    case ConstraintKind::kDayOff: return "fixed day off";
    case ConstraintKind::kUnknownValue: return "roster does not fit instance";
  }
  return "?";
}

Evaluation Evaluate(const Instance& in, const Roster& roster) {
  Evaluation ev;
  const int H = in.horizon;
  const int S = in.num_shifts();
  const int E = in.num_employees();
  if (roster.employees != E || roster.days != H ||
      roster.cells.size() != static_cast<size_t>(E) * H) {
    ev.violations.push_back({ConstraintKind::kUnknownValue, -1, -1, 0,
                             "roster size does not match the instance"});
    return ev;
  }
  for (int e = 0; e < E; ++e)
    for (int d = 0; d < H; ++d) {
      int v = roster.at(e, d);
      if (v != kOff && (v < 0 || v >= S)) {
        ev.violations.push_back({ConstraintKind::kUnknownValue, e, d, 1, "invalid shift index"});
        return ev;
      }
    }

  auto add = [&](ConstraintKind k, int e, int d, int amount, std::string msg) {
    ev.violations.push_back({k, e, d, amount, in.employees[e].id + ": " + msg});
  };

  for (int e = 0; e < E; ++e) {
    const Employee& emp = in.employees[e];
    // NRP-ROTATION
    for (int d = 0; d + 1 < H; ++d) {
      int s = roster.at(e, d), t = roster.at(e, d + 1);
      if (s == kOff || t == kOff) continue;
      const auto& fn = in.shifts[s].forbidden_next;
      if (std::find(fn.begin(), fn.end(), t) != fn.end())
        add(ConstraintKind::kShiftRotation, e, d, 1,
            in.shifts[t].id + " on day " + std::to_string(d + 1) + " may not follow " +
                in.shifts[s].id + " on day " + std::to_string(d));
    }
    // NRP-MAX-SHIFTS, NRP-MAX-MINUTES, NRP-MIN-MINUTES
    std::vector<int> count(S, 0);
    long minutes = 0;
    for (int d = 0; d < H; ++d) {
      int s = roster.at(e, d);
      if (s == kOff) continue;
      ++count[s];
      minutes += in.shifts[s].minutes;
    }
    for (int s = 0; s < S; ++s)
      if (count[s] > emp.max_shifts[s])
        add(ConstraintKind::kMaxShifts, e, -1, count[s] - emp.max_shifts[s],
            std::to_string(count[s]) + " " + in.shifts[s].id + " shifts, at most " +
                std::to_string(emp.max_shifts[s]) + " allowed");
    if (minutes > emp.max_minutes)
      add(ConstraintKind::kMaxMinutes, e, -1, static_cast<int>(minutes - emp.max_minutes),
          std::to_string(minutes) + " minutes, at most " + std::to_string(emp.max_minutes));
    if (minutes < emp.min_minutes)
      add(ConstraintKind::kMinMinutes, e, -1, static_cast<int>(emp.min_minutes - minutes),
          std::to_string(minutes) + " minutes, at least " + std::to_string(emp.min_minutes));
    // NRP-MAX-CONSECUTIVE, NRP-MIN-CONSECUTIVE, NRP-MIN-DAYS-OFF: maximal runs.
    int start = 0;
    while (start < H) {
      bool working = roster.at(e, start) != kOff;
      int end = start;
      while (end + 1 < H && (roster.at(e, end + 1) != kOff) == working) ++end;
      int len = end - start + 1;
      bool inner = start > 0 && end < H - 1;
      if (working && len > emp.max_consecutive)
        add(ConstraintKind::kMaxConsecutive, e, start, len - emp.max_consecutive,
            std::to_string(len) + " consecutive shifts from day " + std::to_string(start) +
                ", at most " + std::to_string(emp.max_consecutive));
      if (working && inner && len < emp.min_consecutive)
        add(ConstraintKind::kMinConsecutive, e, start, emp.min_consecutive - len,
            std::to_string(len) + " consecutive shifts from day " + std::to_string(start) +
                ", at least " + std::to_string(emp.min_consecutive));
      if (!working && inner && len < emp.min_consecutive_off)
        add(ConstraintKind::kMinConsecutiveOff, e, start, emp.min_consecutive_off - len,
            std::to_string(len) + " consecutive days off from day " + std::to_string(start) +
                ", at least " + std::to_string(emp.min_consecutive_off));
      start = end + 1;
    }
    // NRP-MAX-WEEKENDS
    int weekends = 0;
    for (int k = 0; k < H / 7; ++k)
      if (roster.at(e, 7 * k + 5) != kOff || roster.at(e, 7 * k + 6) != kOff) ++weekends;
    if (weekends > emp.max_weekends)
      add(ConstraintKind::kMaxWeekends, e, -1, weekends - emp.max_weekends,
          std::to_string(weekends) + " weekends worked, at most " + std::to_string(emp.max_weekends));
    // NRP-DAY-OFF
    for (int d : emp.days_off)
      if (roster.at(e, d) != kOff)
        add(ConstraintKind::kDayOff, e, d, 1, "works on fixed day off " + std::to_string(d));
  }

  // Soft terms.
  for (const ShiftRequest& r : in.on_requests)
    if (roster.at(r.employee, r.day) != r.shift) ev.shift_on_cost += r.weight;
  for (const ShiftRequest& r : in.off_requests)
    if (roster.at(r.employee, r.day) == r.shift) ev.shift_off_cost += r.weight;
  for (int d = 0; d < H; ++d)
    for (int s = 0; s < S; ++s) {
      int n = 0;
      for (int e = 0; e < E; ++e) n += roster.at(e, d) == s;
      const Cover& c = in.CoverAt(d, s);
      if (n < c.requirement) {
        ev.under_cover_units += c.requirement - n;
        ev.under_cover_cost += static_cast<int64_t>(c.weight_under) * (c.requirement - n);
      } else {
        ev.over_cover_units += n - c.requirement;
        ev.over_cover_cost += static_cast<int64_t>(c.weight_over) * (n - c.requirement);
      }
    }
  ev.objective = ev.shift_on_cost + ev.shift_off_cost + ev.under_cover_cost + ev.over_cover_cost;
  return ev;
}

std::string FormatEvaluation(const Instance& in, const Evaluation& ev) {
  std::ostringstream os;
  os << "objective: " << ev.objective << "\n"
     << "  shift-on requests not met:  " << ev.shift_on_cost << "\n"
     << "  shift-off requests not met: " << ev.shift_off_cost << "\n"
     << "  under-cover: " << ev.under_cover_cost << " (" << ev.under_cover_units << " missing)\n"
     << "  over-cover:  " << ev.over_cover_cost << " (" << ev.over_cover_units << " surplus)\n"
     << "feasible: " << (ev.feasible() ? "yes" : "no");
  if (!ev.feasible()) os << " (" << ev.violations.size() << " hard-constraint violations)";
  os << "\n";
  for (const Violation& v : ev.violations)
    os << "  violation [" << ConstraintName(v.kind) << "] " << v.message << "\n";
  return os.str();
}

}  // namespace openmso::solver
