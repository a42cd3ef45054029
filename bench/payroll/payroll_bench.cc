// Benchmark of the payroll rules engine (issue 5, "Performance"): a biweekly period for
// 100,000 clinicians with about ten shifts each (mixed laws, zones, differentials, rounding,
// meals, a DST change inside the period), timing ComputePay alone on one thread.
// Prints one JSON object per figure on stdout (bench/run.sh convention), a summary on stderr.
//   payroll_bench [--clinicians N] [--shifts-per-clinician N] [--seed N] [--repeat N] [--only reuse|fresh] [--tiny]
// With --repeat N (default 3) the whole pay run is computed N times and the fastest run is
// reported (the machine is shared; the slower runs are printed on stderr too). Two ways of
// calling are timed: a pay run that refills one Statement (ComputePay(..., Statement&), the
// figure payroll_rules_shifts_per_s) and one that gets a new Statement per employee
// (Result<Statement> ComputePay(...), payroll_rules_fresh_shifts_per_s). Wall-clock and the
// thread's CPU time are both reported; on a shared machine the CPU time is the steadier one.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "domain/payroll/payroll.h"

using namespace openmso;
using namespace openmso::payroll;

namespace {

struct Setup {
  OvertimeLaw law;
  const char* state;
  const char* zone;
  int weight;
};
constexpr Setup kSetups[] = {
    {OvertimeLaw::kFlsaWeekly, "IL", "America/Chicago", 25}, {OvertimeLaw::kFlsaWeekly, "NY", "America/New_York", 20},
    {OvertimeLaw::kCalifornia, "CA", "America/Los_Angeles", 20}, {OvertimeLaw::kFlsa880, "TX", "America/Chicago", 10},
    {OvertimeLaw::kColorado, "CO", "America/Denver", 8},      {OvertimeLaw::kNevada, "NV", "America/Los_Angeles", 7},
    {OvertimeLaw::kAlaska, "AK", "America/Anchorage", 5},     {OvertimeLaw::kFlsaWeekly, "AZ", "America/Phoenix", 5},
};

struct Clinician {
  int setup = 0;
  int policy = 0;
  std::vector<WorkedShift> shifts;
  std::vector<Extra> extras;
};

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

Instant Local(int year, unsigned month, unsigned day, int minute, const char* zone) {
  int64_t d = Date{year, month, day}.DaysSinceEpoch() + minute / 1440;
  return ToInstant(LocalDateTime{Date::FromDaysSinceEpoch(d), minute % 1440}, zone).value();
}

}  // namespace

int main(int argc, char** argv) {
  int64_t clinicians = 100000, per = 10, repeat = 3;
  uint64_t seed = 1;
  bool tiny = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) { std::fprintf(stderr, "payroll_bench: %s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--clinicians") clinicians = std::atoll(next());
    else if (a == "--shifts-per-clinician") per = std::atoll(next());
    else if (a == "--seed") seed = std::strtoull(next(), nullptr, 10);
    else if (a == "--repeat") repeat = std::atoll(next());
    else if (a == "--tiny") tiny = true;
    else if (a == "--only") only = next();
    else { std::fprintf(stderr, "payroll_bench: unknown argument %s\n", a.c_str()); return 2; }
  }
  if (tiny) clinicians = 1000, repeat = 1;
  if (repeat <= 0) repeat = 1;
  if (clinicians <= 0 || per <= 0 || per > 14) { std::fprintf(stderr, "payroll_bench: bad sizes\n"); return 2; }

  // One policy per setup and rounding (clinicians on the same terms share it, as a pay run would).
  std::vector<PayPolicy> policies;
  std::vector<std::pair<Instant, Instant>> periods;
  for (const Setup& s : kSetups) {
    for (Rounding r : {Rounding::kNone, Rounding::kQuarterHour7Min}) {
      PayPolicy p;
      p.law = s.law;
      p.zone = s.zone;
      p.workweek_start_weekday = 1;  // Monday 00:00
      p.rounding = r;
      p.auto_meal_deduction = r == Rounding::kNone;
      if (s.law == OvertimeLaw::kFlsa880) {
        p.period_anchor = Date{2025, 10, 27};
        p.agreement_880_date = Date{2025, 1, 2};
      }
      Differential night;
      night.code = "NIGHT";
      night.window_start_minute = 19 * 60;
      night.window_end_minute = 7 * 60;
      night.amount = 400;
      Differential weekend;
      weekend.code = "WEEKEND";
      weekend.kind = Differential::Kind::kWeekend;
      weekend.amount_type = Differential::Amount::kPercentBasisPoints;
      weekend.amount = 1000;
      Differential holiday;
      holiday.code = "HOLIDAY";
      holiday.kind = Differential::Kind::kHoliday;
      holiday.amount_type = Differential::Amount::kPercentBasisPoints;
      holiday.amount = 5000;
      p.differentials = {night, weekend, holiday};
      p.holidays = {Date{2025, 11, 1}, Date{2025, 11, 11}, Date{2025, 11, 27}};
      policies.push_back(p);
      // 2025-10-27 .. 2025-11-10: the US fall-back (2025-11-02) is inside.
      periods.push_back({Local(2025, 10, 27, 0, s.zone), Local(2025, 11, 10, 0, s.zone)});
    }
  }

  // Generation (not timed).
  std::mt19937_64 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  int total_weight = 0;
  for (const Setup& s : kSetups) total_weight += s.weight;
  std::vector<Clinician> people(static_cast<size_t>(clinicians));
  int64_t shifts_total = 0, ref = 1, extra_ref = 1;
  for (Clinician& c : people) {
    int w = pick(total_weight), k = 0;
    while (w >= kSetups[k].weight) w -= kSetups[k++].weight;
    c.setup = k;
    c.policy = 2 * k + pick(2);
    const Setup& s = kSetups[k];
    int64_t rate = 1600 + pick(8000);
    int days[14];
    for (int d = 0; d < 14; ++d) days[d] = d;
    for (int d = 0; d < per; ++d) std::swap(days[d], days[d + pick(14 - d)]);
    std::sort(days, days + per);
    for (int j = 0; j < per; ++j) {
      int kind = pick(10);  // 4 day 12 h, 3 night 12 h, 2 day 8 h, 1 evening 8.5 h
      int start = kind < 4 ? 7 * 60 : kind < 7 ? 19 * 60 : kind < 9 ? 7 * 60 : 15 * 60;
      int len = kind < 7 ? 12 * 60 : kind < 9 ? 8 * 60 : 8 * 60 + 30;
      // A night shift the day before an early shift would overlap: start the early one later.
      if (j > 0 && days[j] == days[j - 1] + 1 && c.shifts.back().end > Local(2025, 10, 27 + days[j], start - 10, s.zone))
        start = 15 * 60;
      WorkedShift w;
      w.ref = ref++;
      w.facility_id = 1 + pick(3);
      w.work_state = s.state;
      w.zone = s.zone;
      int jitter_in = pick(17) - 8, jitter_out = pick(17) - 8;
      w.start = Local(2025, 10, 27 + days[j], start + jitter_in, s.zone) + std::chrono::seconds(pick(60));
      w.end = Local(2025, 10, 27 + days[j], start + len + jitter_out, s.zone) + std::chrono::seconds(pick(60));
      if (len >= 12 * 60 && pick(2)) {
        Instant m = w.start + std::chrono::minutes(300 + pick(120));
        w.meals.push_back({m, m + std::chrono::minutes(30), pick(10) == 0});
      }
      w.base_rate = Money::Cents(rate);
      if (pick(10) == 0) w.incentive = Money::Cents(5000 + pick(20000));
      c.shifts.push_back(std::move(w));
    }
    if (pick(20) == 0)
      c.extras.push_back({extra_ref++, ExtraKind::kNonDiscretionaryBonus, Money::Cents(10000), c.shifts.back().start});
    if (pick(50) == 0)
      c.extras.push_back({extra_ref++, ExtraKind::kInstantPayAdvance, Money::Cents(20000), c.shifts.front().end});
    shifts_total += per;
  }

  // Warm-up: the per-thread zone caches are filled once, as in a long-running server.
  for (size_t i = 0; i < policies.size(); ++i)
    (void)ComputePay(policies[i], {}, {}, periods[i].first, periods[i].second);

  struct Timing {
    double wall = 1e100, cpu = 1e100;
    int64_t errors = 0, lines = 0, ot_minutes = 0, gross = 0;
  };
  auto measure = [&](bool fresh) {
    Timing t;
    Statement reused;
    for (int64_t run = 0; run < repeat; ++run) {
      t.errors = t.lines = t.ot_minutes = t.gross = 0;
      auto t0 = std::chrono::steady_clock::now();
      double c0 = ThreadCpuSeconds();
      for (const Clinician& c : people) {
        const PayPolicy& p = policies[c.policy];
        const auto& [from, to] = periods[c.policy];
        Result<Statement> made = fresh ? ComputePay(p, c.shifts, c.extras, from, to) : Result<Statement>(Statement{});
        Result<void> done = fresh ? Result<void>() : ComputePay(p, c.shifts, c.extras, from, to, reused);
        const Error* err = !made.ok() ? &made.error() : !done.ok() ? &done.error() : nullptr;
        if (err) {
          if (t.errors++ < 3)
            std::fprintf(stderr, "payroll_bench: %s:%s\n", err->fields.empty() ? "" : err->fields[0].field.c_str(),
                         err->fields.empty() ? err->message.c_str() : err->fields[0].code.c_str());
          continue;
        }
        const Statement& st = fresh ? made.value() : reused;
        t.gross += st.gross.cents();
        t.lines += static_cast<int64_t>(st.lines.size());
        t.ot_minutes += st.overtime_minutes + st.double_time_minutes;
      }
      double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      double cpu = ThreadCpuSeconds() - c0;
      std::fprintf(stderr, "payroll_bench: %s run %lld: %.3f s wall, %.3f s thread CPU\n", fresh ? "fresh" : "reuse",
                   static_cast<long long>(run + 1), wall, cpu);
      t.wall = std::min(t.wall, wall);
      t.cpu = std::min(t.cpu, cpu);
    }
    return t;
  };
  if (!only.empty()) {  // profiling aid: one way of calling, no figures
    Timing t = measure(only == "fresh");
    std::fprintf(stderr, "payroll_bench: %s: %.0f shifts/CPU-s\n", only.c_str(), static_cast<double>(shifts_total) / t.cpu);
    return t.errors ? 1 : 0;
  }
  Timing reuse = measure(false);
  Timing fresh = measure(true);
  if (reuse.errors || fresh.errors) {
    std::fprintf(stderr, "payroll_bench: %lld statements failed\n", static_cast<long long>(reuse.errors + fresh.errors));
    return 1;
  }
  if (reuse.gross != fresh.gross || reuse.lines != fresh.lines) {
    std::fprintf(stderr, "payroll_bench: the two ways of calling disagree\n");
    return 1;
  }
  auto n = static_cast<double>(shifts_total);
  std::fprintf(stderr,
               "payroll_bench: %lld clinicians, %lld shifts, one thread, fastest of %lld runs: reusing a Statement %.3f s "
               "wall (%.0f shifts/s), %.3f s CPU (%.0f shifts/CPU-s); a new Statement each %.3f s wall (%.0f shifts/s), "
               "%.3f s CPU (%.0f shifts/CPU-s); %lld pay lines, %lld OT/DT minutes, gross $%lld\n",
               static_cast<long long>(clinicians), static_cast<long long>(shifts_total), static_cast<long long>(repeat),
               reuse.wall, n / reuse.wall, reuse.cpu, n / reuse.cpu, fresh.wall, n / fresh.wall, fresh.cpu, n / fresh.cpu,
               static_cast<long long>(reuse.lines), static_cast<long long>(reuse.ot_minutes),
               static_cast<long long>(reuse.gross / 100));
  const std::string prefix = tiny ? "payroll_rules_tiny" : "payroll_rules";
  auto figure = [&](const std::string& name, double value, const char* unit, bool target) {
    std::printf("{\"figure\": \"%s\", \"name\": \"%s\", \"value\": %.0f, \"unit\": \"%s\"", name.c_str(), name.c_str(),
                value, unit);
    if (target) std::printf(", \"reference\": \"1000000 (issue 5 target, one core)\", \"ratio\": %.2f", value / 1e6);
    std::printf("}\n");
  };
  figure(prefix + "_shifts_per_s", n / reuse.wall, "shifts/s", true);
  figure(prefix + "_shifts_per_cpu_s", n / reuse.cpu, "shifts/CPU-s", true);
  figure(prefix + "_fresh_shifts_per_s", n / fresh.wall, "shifts/s", true);
  figure(prefix + "_fresh_shifts_per_cpu_s", n / fresh.cpu, "shifts/CPU-s", true);
  figure(prefix + "_clinicians", static_cast<double>(clinicians), "statements", false);
  return 0;
}
