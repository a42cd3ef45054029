// The public header of the rostering engine: the Curtois & Qu shift-scheduling model,
// its text-format parser, an independent evaluator, the XML "Roster" format, the solver and the CLI.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace openmso::solver {

// The value of a roster cell on a day off.
inline constexpr int kOff = -1;

// A shift type (SECTION_SHIFTS). `forbidden_next` holds shift indexes that may not be
// worked on the day after this shift (rule NRP-ROTATION).
struct ShiftType {
  std::string id;
  int minutes = 0;
  std::vector<int> forbidden_next;
};

// An employee and their contract (SECTION_STAFF, SECTION_DAYS_OFF).
struct Employee {
  std::string id;
  std::vector<int> max_shifts;  // indexed by shift index; 0 = may never work it
  int max_minutes = 0;
  int min_minutes = 0;
  int max_consecutive = 0;
  int min_consecutive = 0;
  int min_consecutive_off = 0;
  int max_weekends = 0;
  std::vector<int> days_off;  // sorted, unique
};

// A shift-on or shift-off request (SECTION_SHIFT_ON_REQUESTS / _OFF_REQUESTS).
struct ShiftRequest {
  int employee = 0;
  int day = 0;
  int shift = 0;
  int weight = 0;
};

// One SECTION_COVER line: preferred number of employees on a shift on a day.
struct Cover {
  int requirement = 0;
  int weight_under = 0;
  int weight_over = 0;
};

// A parsed benchmark instance. Invariants (checked by ParseInstance): horizon >= 1,
// at least one shift and one employee, every index in range, every (day, shift) has
// exactly one cover line, max_shifts has one entry per shift type.
struct Instance {
  std::string name;  // e.g. "Instance1", taken from the file name when loaded from a file
  int horizon = 0;   // days; day 0 is a Monday
  std::vector<ShiftType> shifts;
  std::vector<Employee> employees;
  std::vector<ShiftRequest> on_requests;
  std::vector<ShiftRequest> off_requests;
  std::vector<Cover> cover;  // index day * shifts.size() + shift

  int num_shifts() const { return static_cast<int>(shifts.size()); }
  int num_employees() const { return static_cast<int>(employees.size()); }
  int num_weekends() const { return horizon / 7; }
  const Cover& CoverAt(int day, int shift) const { return cover[day * shifts.size() + shift]; }
  // Index of a shift / employee id, or -1.
  int ShiftIndex(std::string_view id) const;
  int EmployeeIndex(std::string_view id) const;
};

// Parses the benchmark text format described in shared/benchmarks/nrp-curtois/FORMAT.md.
// Returns kInvalidArgument with a message naming the 1-based line ("line 12: ...") when
// the text is malformed, truncated or refers to unknown ids. Never throws on bad input.
Result<Instance> ParseInstance(std::string_view text);
// Reads and parses a file; `name` becomes the file's stem. kNotFound if it cannot be read.
Result<Instance> LoadInstance(const std::string& path);

// A roster: for each employee and day a shift index or kOff.
struct Roster {
  int employees = 0;
  int days = 0;
  std::vector<int> cells;  // index employee * days + day

  static Roster AllOff(const Instance& instance);
  int at(int employee, int day) const { return cells[employee * days + day]; }
  void set(int employee, int day, int shift) { cells[employee * days + day] = shift; }
  bool operator==(const Roster&) const = default;
};

// Hard constraints of the model; the comment names the rule id used in tests and docs.
enum class ConstraintKind {
  kShiftRotation,     // NRP-ROTATION: forbidden successions on consecutive days
  kMaxShifts,         // NRP-MAX-SHIFTS: shifts of one type <= MaxShifts
  kMaxMinutes,        // NRP-MAX-MINUTES
  kMinMinutes,        // NRP-MIN-MINUTES
  kMaxConsecutive,    // NRP-MAX-CONSECUTIVE: every work run <= MaxConsecutiveShifts
  kMinConsecutive,    // NRP-MIN-CONSECUTIVE: inner work runs >= MinConsecutiveShifts
  kMinConsecutiveOff, // NRP-MIN-DAYS-OFF: inner off runs >= MinConsecutiveDaysOff
  kMaxWeekends,       // NRP-MAX-WEEKENDS
  kDayOff,            // NRP-DAY-OFF: fixed days off
  kUnknownValue,      // the roster does not fit the instance (wrong size, bad shift index)
};
std::string_view ConstraintName(ConstraintKind kind);

// One broken hard constraint. `day` is the first day concerned, or -1 when the rule is
// about the whole horizon. `amount` is by how much it is broken (shifts, minutes, days).
struct Violation {
  ConstraintKind kind = ConstraintKind::kUnknownValue;
  int employee = -1;
  int day = -1;
  int amount = 0;
  std::string message;  // human-readable, names employee and shift ids
};

// The score of a roster, with its breakdown (all terms non-negative).
struct Evaluation {
  int64_t objective = 0;  // = shift_on + shift_off + under_cover + over_cover
  int64_t shift_on_cost = 0;
  int64_t shift_off_cost = 0;
  int64_t under_cover_cost = 0;
  int64_t over_cover_cost = 0;
  int64_t under_cover_units = 0;  // missing employee-shifts, summed over (day, shift)
  int64_t over_cover_units = 0;
  std::vector<Violation> violations;
  bool feasible() const { return violations.empty(); }
};

// Scores any roster against the model of FORMAT.md, listing every hard-constraint
// violation. Written independently of the solver's incremental bookkeeping so that the
// two can be checked against each other. Pure; thread-safe.
Evaluation Evaluate(const Instance& instance, const Roster& roster);
// Multi-line human-readable breakdown (objective, terms, violations).
std::string FormatEvaluation(const Instance& instance, const Evaluation& evaluation);

// Optional metadata written into the XML roster.
struct RosterXmlMeta {
  std::string scheduling_period_file;  // e.g. "Instance1.ros"
  int64_t penalty = -1;                // written when >= 0
  double cpu_seconds = -1;             // written when >= 0
  std::string algorithm;
};
// Writes the benchmark's XML "Roster" format (one <Employee> per employee, one <Assign>
// per worked day).
std::string FormatRosterXml(const Instance& instance, const Roster& roster,
                            const RosterXmlMeta& meta = {});
// Reads the XML "Roster" format. Unknown employee or shift ids, days out of range, two
// assignments on the same day and malformed markup are kInvalidArgument errors with a
// line number. Employees absent from the file are off every day.
Result<Roster> ParseRosterXml(const Instance& instance, std::string_view xml);

// A snapshot reported while solving.
struct SolveProgress {
  double elapsed_seconds = 0;
  double time_limit_seconds = 0;
  int64_t best_objective = -1;  // -1 while no feasible roster is known
  bool best_feasible = false;
  int64_t iterations = 0;
};

struct SolveOptions {
  double time_limit_seconds = 60;  // wall clock; the best roster so far is returned
  int threads = 1;                 // independent searches sharing the best roster
  uint64_t seed = 1;
  // Stops each search after this many moves (0 = no limit). With threads == 1 and a
  // limit that is reached before the time limit the result depends on the seed only.
  int64_t max_iterations = 0;
  // Stops early when a feasible roster with objective <= target is found (-1 = never).
  int64_t target_objective = -1;
  // Called from the solving thread about every progress_interval_seconds.
  std::function<void(const SolveProgress&)> on_progress;
  double progress_interval_seconds = 1.0;
  const std::atomic<bool>* cancel = nullptr;  // not owned; set to stop early
  // Column generation (LP lower bound and CBC over the generated rows) on thread 0 before
  // the annealing, for instances small enough; needs CBC in the build.
  bool column_generation = true;
};

struct SolveResult {
  Roster roster;
  Evaluation evaluation;  // by Evaluate(), not by the search's own bookkeeping
  double seconds_to_best = 0;
  double seconds_total = 0;
  int64_t iterations = 0;
  // A lower bound on the optimum from column generation (-1 when none was computed).
  // When evaluation.objective == lower_bound the roster is proven optimal.
  int64_t lower_bound = -1;
  bool proven_optimal() const { return lower_bound >= 0 && evaluation.feasible() && evaluation.objective <= lower_bound; }
};

// Builds a roster: simulated annealing from an empty roster in reheating cycles (each
// twice as long as the last, restarting from the best roster) over change / swap / block
// moves with incremental costs and adaptive hard-constraint penalties; after each cycle
// the offending employees are repaired and every employee re-optimised by an exact
// per-employee dynamic program, and when a cycle ends infeasible, thread 0 also repairs
// the offending employees with CBC sub-rosters. On instances of up to 1500 cells and 84
// days (and with CBC), thread 0 first runs column generation for a lower bound and then,
// after each cycle, a slice of branch-and-price plus CBC over the generated rows; every
// thread stops as soon as the best roster matches a proven bound (lower_bound).
// Anytime: returns the best roster found when the limit hits (feasible ones preferred).
// Deterministic for a seed when threads == 1 and max_iterations stops the search (the
// schedule depends on the seed and the arguments, never on the clock; the time limit
// only cuts it short) and the column-generation phases finish within their wall-clock
// caps (true on Instances 1-4). Thread-safe for distinct calls.
SolveResult Solve(const Instance& instance, const SolveOptions& options);

// `openmso roster ...`: args are what follows "roster" on the command line:
//   solve INSTANCE_FILE [--time-limit S] [--threads N] [--seed S] [--out ROSTER.xml]
//         [--max-iterations N] [--progress]
//   evaluate INSTANCE_FILE ROSTER.xml
//   --help
// Returns 0 on success (evaluate: and the roster is feasible), 1 when the roster is
// infeasible, 2 on bad usage or unreadable / malformed input (message on `err`).
int RosterCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace openmso::solver
