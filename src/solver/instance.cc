// Parser for the Curtois & Qu benchmark text format (FORMAT.md), producing a checked
// Instance. Every error names the 1-based line it was found on; bad input never throws.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "solver/solver.h"

namespace openmso::solver {
namespace {

Error LineError(int line, const std::string& what) {
  std::string msg = line > 0 ? "line " + std::to_string(line) + ": " + what : what;
  return Error::Make(ErrorCode::kInvalidArgument, "malformed-instance", msg);
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Parses a non-negative integer no larger than `max`.
bool ParseInt(std::string_view s, int max, int& out) {
  s = Trim(s);
  if (s.empty()) return false;
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 0 || v > max) return false;
  out = v;
  return true;
}

constexpr int kMaxHorizon = 10000;
constexpr int kMaxValue = 100000000;

struct Line {
  int number;
  std::string_view text;
};

}  // namespace

int Instance::ShiftIndex(std::string_view id) const {
  for (size_t i = 0; i < shifts.size(); ++i)
    if (shifts[i].id == id) return static_cast<int>(i);
  return -1;
}

int Instance::EmployeeIndex(std::string_view id) const {
  for (size_t i = 0; i < employees.size(); ++i)
    if (employees[i].id == id) return static_cast<int>(i);
  return -1;
}

Result<Instance> ParseInstance(std::string_view text) {
  // Split into numbered, trimmed, non-comment lines; blank lines are kept out too.
  std::vector<Line> lines;
  int last_line = 0;
  {
    int number = 0;
    size_t start = 0;
    while (start <= text.size()) {
      size_t pos = text.find('\n', start);
      std::string_view raw = text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start);
      ++number;
      std::string_view t = Trim(raw);
      if (!t.empty() && t.front() != '#') lines.push_back({number, t});
      if (pos == std::string_view::npos) break;
      start = pos + 1;
    }
    last_line = number;
  }

  static const char* kSections[] = {"SECTION_HORIZON",          "SECTION_SHIFTS",
                                    "SECTION_STAFF",            "SECTION_DAYS_OFF",
                                    "SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS",
                                    "SECTION_COVER"};
  // Group lines by section, requiring the fixed order.
  std::vector<std::vector<Line>> body(7);
  int current = -1;
  for (const Line& l : lines) {
    if (l.text.rfind("SECTION_", 0) == 0) {
      int idx = -1;
      for (int i = 0; i < 7; ++i)
        if (l.text == kSections[i]) idx = i;
      if (idx < 0) return LineError(l.number, "unknown section '" + std::string(l.text) + "'");
      if (idx != current + 1) {
        return LineError(l.number, std::string("expected ") +
                                       (current + 1 < 7 ? kSections[current + 1] : "end of file") +
                                       ", found " + std::string(l.text));
      }
      current = idx;
      continue;
    }
    if (current < 0) return LineError(l.number, "data before SECTION_HORIZON");
    body[current].push_back(l);
  }
  if (current < 6) {
    return LineError(last_line, std::string("unexpected end of file: missing ") + kSections[current + 1]);
  }

  Instance in;
  // SECTION_HORIZON
  if (body[0].size() != 1) {
    int n = body[0].empty() ? last_line : body[0][1].number;
    return LineError(n, "SECTION_HORIZON must hold exactly one number");
  }
  if (!ParseInt(body[0][0].text, kMaxHorizon, in.horizon) || in.horizon < 1)
    return LineError(body[0][0].number, "horizon must be an integer in 1.." + std::to_string(kMaxHorizon));

  // SECTION_SHIFTS (two passes: ids first, then forbidden successions).
  if (body[1].empty()) return LineError(last_line, "SECTION_SHIFTS is empty");
  std::vector<std::vector<std::string_view>> shift_fields;
  for (const Line& l : body[1]) {
    auto f = Split(l.text, ',');
    if (f.size() != 3) return LineError(l.number, "shift line needs 3 fields (ID,Minutes,ForbiddenNext), got " + std::to_string(f.size()));
    ShiftType s;
    s.id = std::string(Trim(f[0]));
    if (s.id.empty()) return LineError(l.number, "empty shift id");
    if (in.ShiftIndex(s.id) >= 0) return LineError(l.number, "duplicate shift id '" + s.id + "'");
    if (!ParseInt(f[1], 24 * 60 * 7, s.minutes) || s.minutes == 0)
      return LineError(l.number, "shift length must be a positive integer number of minutes");
    in.shifts.push_back(std::move(s));
    shift_fields.push_back(f);
  }
  for (size_t i = 0; i < body[1].size(); ++i) {
    std::string_view next = Trim(shift_fields[i][2]);
    if (next.empty()) continue;
    for (std::string_view id : Split(next, '|')) {
      int t = in.ShiftIndex(Trim(id));
      if (t < 0) return LineError(body[1][i].number, "unknown shift id '" + std::string(id) + "' in forbidden successions");
      auto& fn = in.shifts[i].forbidden_next;
      if (std::find(fn.begin(), fn.end(), t) == fn.end()) fn.push_back(t);
    }
  }
  const int S = in.num_shifts();

  // SECTION_STAFF
  if (body[2].empty()) return LineError(last_line, "SECTION_STAFF is empty");
  for (const Line& l : body[2]) {
    auto f = Split(l.text, ',');
    if (f.size() != 8) return LineError(l.number, "staff line needs 8 fields, got " + std::to_string(f.size()));
    Employee e;
    e.id = std::string(Trim(f[0]));
    if (e.id.empty()) return LineError(l.number, "empty employee id");
    if (in.EmployeeIndex(e.id) >= 0) return LineError(l.number, "duplicate employee id '" + e.id + "'");
    e.max_shifts.assign(S, 0);
    std::vector<bool> seen(S, false);
    if (!Trim(f[1]).empty()) {
      for (std::string_view pair : Split(f[1], '|')) {
        auto kv = Split(pair, '=');
        if (kv.size() != 2) return LineError(l.number, "MaxShifts entries must look like ShiftID=limit");
        int s = in.ShiftIndex(Trim(kv[0]));
        if (s < 0) return LineError(l.number, "unknown shift id '" + std::string(kv[0]) + "' in MaxShifts");
        if (!ParseInt(kv[1], kMaxValue, e.max_shifts[s])) return LineError(l.number, "MaxShifts limit must be a non-negative integer");
        seen[s] = true;
      }
    }
    for (int s = 0; s < S; ++s)
      if (!seen[s]) e.max_shifts[s] = in.horizon;  // not listed: no limit of its own
    int* targets[] = {&e.max_minutes, &e.min_minutes, &e.max_consecutive, &e.min_consecutive,
                      &e.min_consecutive_off, &e.max_weekends};
    static const char* names[] = {"MaxTotalMinutes", "MinTotalMinutes", "MaxConsecutiveShifts",
                                  "MinConsecutiveShifts", "MinConsecutiveDaysOff", "MaxWeekends"};
    for (int k = 0; k < 6; ++k)
      if (!ParseInt(f[2 + k], kMaxValue, *targets[k]))
        return LineError(l.number, std::string(names[k]) + " must be a non-negative integer");
    in.employees.push_back(std::move(e));
  }
  std::unordered_map<std::string_view, int> emp_index;
  for (int i = 0; i < in.num_employees(); ++i) emp_index[in.employees[i].id] = i;
  auto find_emp = [&](std::string_view id) {
    auto it = emp_index.find(Trim(id));
    return it == emp_index.end() ? -1 : it->second;
  };

  // SECTION_DAYS_OFF
  for (const Line& l : body[3]) {
    auto f = Split(l.text, ',');
    int e = find_emp(f[0]);
    if (e < 0) return LineError(l.number, "unknown employee id '" + std::string(f[0]) + "'");
    for (size_t k = 1; k < f.size(); ++k) {
      if (Trim(f[k]).empty()) continue;
      int d = 0;
      if (!ParseInt(f[k], in.horizon - 1, d)) return LineError(l.number, "day off must be an integer in 0.." + std::to_string(in.horizon - 1));
      in.employees[e].days_off.push_back(d);
    }
  }
  for (auto& e : in.employees) {
    std::sort(e.days_off.begin(), e.days_off.end());
    e.days_off.erase(std::unique(e.days_off.begin(), e.days_off.end()), e.days_off.end());
  }

  // SECTION_SHIFT_ON_REQUESTS / SECTION_SHIFT_OFF_REQUESTS
  for (int sec = 4; sec <= 5; ++sec) {
    for (const Line& l : body[sec]) {
      auto f = Split(l.text, ',');
      if (f.size() != 4) return LineError(l.number, "request line needs 4 fields (EmployeeID,Day,ShiftID,Weight), got " + std::to_string(f.size()));
      ShiftRequest r;
      r.employee = find_emp(f[0]);
      if (r.employee < 0) return LineError(l.number, "unknown employee id '" + std::string(f[0]) + "'");
      if (!ParseInt(f[1], in.horizon - 1, r.day)) return LineError(l.number, "day must be an integer in 0.." + std::to_string(in.horizon - 1));
      r.shift = in.ShiftIndex(Trim(f[2]));
      if (r.shift < 0) return LineError(l.number, "unknown shift id '" + std::string(f[2]) + "'");
      if (!ParseInt(f[3], kMaxValue, r.weight)) return LineError(l.number, "weight must be a non-negative integer");
      (sec == 4 ? in.on_requests : in.off_requests).push_back(r);
    }
  }

  // SECTION_COVER
  in.cover.assign(static_cast<size_t>(in.horizon) * S, Cover{});
  std::vector<bool> have(in.cover.size(), false);
  for (const Line& l : body[6]) {
    auto f = Split(l.text, ',');
    if (f.size() != 5) return LineError(l.number, "cover line needs 5 fields (Day,ShiftID,Requirement,WeightUnder,WeightOver), got " + std::to_string(f.size()));
    int d = 0;
    if (!ParseInt(f[0], in.horizon - 1, d)) return LineError(l.number, "day must be an integer in 0.." + std::to_string(in.horizon - 1));
    int s = in.ShiftIndex(Trim(f[1]));
    if (s < 0) return LineError(l.number, "unknown shift id '" + std::string(f[1]) + "'");
    Cover c;
    if (!ParseInt(f[2], kMaxValue, c.requirement) || !ParseInt(f[3], kMaxValue, c.weight_under) ||
        !ParseInt(f[4], kMaxValue, c.weight_over))
      return LineError(l.number, "requirement and weights must be non-negative integers");
    size_t idx = static_cast<size_t>(d) * S + s;
    if (have[idx]) return LineError(l.number, "second cover line for day " + std::to_string(d) + " shift " + in.shifts[s].id);
    have[idx] = true;
    in.cover[idx] = c;
  }
  for (size_t idx = 0; idx < have.size(); ++idx) {
    if (!have[idx]) {
      return LineError(last_line, "unexpected end of cover: no line for day " + std::to_string(idx / S) +
                                      " shift " + in.shifts[idx % S].id);
    }
  }
  return in;
}

Result<Instance> LoadInstance(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Error::Make(ErrorCode::kNotFound, "not-found", "cannot read instance file " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  auto r = ParseInstance(ss.str());
  if (!r.ok()) {
    Error e = r.error();
    e.message = path + ": " + e.message;
    return e;
  }
  std::string name = path;
  if (auto slash = name.find_last_of('/'); slash != std::string::npos) name = name.substr(slash + 1);
  if (auto dot = name.find_last_of('.'); dot != std::string::npos && dot > 0) name = name.substr(0, dot);
  r->name = name;
  return r;
}

Roster Roster::AllOff(const Instance& instance) {
  Roster r;
  r.employees = instance.num_employees();
  r.days = instance.horizon;
  r.cells.assign(static_cast<size_t>(r.employees) * r.days, kOff);
  return r;
}

}  // namespace openmso::solver
