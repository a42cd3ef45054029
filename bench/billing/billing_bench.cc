// Benchmark of the pure facility-billing engine (issue 5, part 6 and "Performance"): 100,000
// approved timesheets over two weeks for three facilities become three invoice drafts. Times
// ComputeInvoice alone (the integrator measures the database around it) and checks every
// draft (each timesheet billed once, line minutes = worked minutes, totals add up).
// Prints JSON lines {"figure": ..., "value": ..., "unit": ...} on stdout (bench/run.sh).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/billing/billing.h"

namespace {

using namespace openmso;
using namespace openmso::billing;

constexpr const char* kUsage =
    "usage: billing_bench [--timesheets N] [--iterations K] [--seed S]\n"
    "Builds N approved timesheets (default 100000) over the two weeks 2026-10-25..2026-11-07\n"
    "(with the autumn DST change) for three facilities, then times K runs (default 5) of the\n"
    "three ComputeInvoice calls and prints the median.\n";

struct Facility {
  int64_t id;
  const char* zone;
};
constexpr Facility kFacilities[] = {{1, "America/Chicago"}, {2, "America/New_York"}, {3, "America/Los_Angeles"}};

ServiceAgreement AgreementFor(int64_t facility) {
  ServiceAgreement a;
  a.id = ServiceAgreementId(facility);
  a.facility_id = FacilityId(facility);
  a.effective_from = *Date::Parse("2026-01-01");
  a.rate_card = {{"RN", Money::Cents(7800 + 100 * facility)}, {"LPN", Money::Cents(5525)}, {"CNA", Money::Cents(3001)}};
  a.overtime_multiplier_bp = 15'000;
  a.holiday_multiplier_bp = 20'000;
  a.overtime.kind = facility == 3 ? OvertimeKind::kDaily : OvertimeKind::kWeekly;  // LA bills daily OT
  a.overtime.daily_threshold_hours = 8;
  a.holidays = {*Date::Parse("2026-11-03")};  // a facility holiday (election day) in the period
  a.fee = {1250, Money::Cents(150'000), Money::Cents(2'500)};
  a.payment_terms_days = 30;
  return a;
}

// Shift patterns (local start minute, length minutes, unpaid break): day, night, 8 h day, evening.
struct Pattern {
  int start_minute, length, break_minutes;
};
constexpr Pattern kPatterns[] = {{7 * 60, 12 * 60, 30}, {19 * 60, 12 * 60, 30}, {7 * 60, 8 * 60, 30}, {15 * 60, 8 * 60, 0}};

std::vector<InvoiceInput> Generate(int64_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  const Date from = *Date::Parse("2026-10-25"), to = *Date::Parse("2026-11-08");
  const char* disciplines[] = {"RN", "RN", "LPN", "CNA"};
  std::vector<InvoiceInput> inputs;
  for (const auto& f : kFacilities) {
    InvoiceInput in;
    in.facility = {FacilityId(f.id), f.zone, Weekday::kSunday};
    in.agreements = {AgreementFor(f.id)};
    in.period_from = from;
    in.period_to = to;
    in.issue_date = to;
    inputs.push_back(std::move(in));
  }
  int64_t made = 0, clinician = 0;
  while (made < count) {
    ++clinician;
    InvoiceInput& in = inputs[static_cast<size_t>(clinician % 3)];
    const char* discipline = disciplines[rng() % 4];
    // About ten shifts in the fortnight, at most one starting per day: some weeks past 40 h.
    for (int day = 0; day < 14 && made < count; ++day) {
      if (rng() % 100 >= 72) continue;
      const Pattern& p = kPatterns[rng() % 4];
      Date d = Date::FromDaysSinceEpoch(from.DaysSinceEpoch() + day);
      auto start = ToInstant(LocalDateTime{d, p.start_minute}, in.facility.time_zone);
      if (!start.ok()) continue;
      auto end_local = LocalDateTime{Date::FromDaysSinceEpoch(d.DaysSinceEpoch() + (p.start_minute + p.length) / 1440),
                                     (p.start_minute + p.length) % 1440};
      auto end = ToInstant(end_local, in.facility.time_zone);
      if (!end.ok()) continue;
      // Shifts that would overlap the previous one (a night then a day) are skipped.
      if (!in.shifts.empty() && in.shifts.back().clinician_id == ClinicianId(clinician) && in.shifts.back().end > *start)
        continue;
      BillableShift s;
      ++made;
      s.timesheet_id = TimesheetId(made);
      s.shift_id = ShiftId(made);
      s.clinician_id = ClinicianId(clinician);
      s.discipline = discipline;
      s.start = *start;
      s.end = *end;
      s.time_zone = in.facility.time_zone;
      s.unpaid_break_minutes = p.break_minutes;
      if (rng() % 20 == 0) s.bill_rate_override = Money::Cents(9500);
      in.shifts.push_back(std::move(s));
    }
  }
  // The database hands them over in no particular order.
  for (auto& in : inputs) std::shuffle(in.shifts.begin(), in.shifts.end(), rng);
  return inputs;
}

// The self-check: every timesheet billed once, with its worked minutes; totals add up.
bool Verify(const InvoiceInput& in, const InvoiceDraft& d) {
  if (!CheckTotals(d.invoice).ok()) {
    std::cerr << "billing_bench: totals do not add up\n";
    return false;
  }
  std::unordered_map<int64_t, int64_t> minutes;
  for (const auto& l : d.invoice.lines)
    if (IsLabor(l.kind)) minutes[l.timesheet_id.value] += l.minutes;
  if (minutes.size() != in.shifts.size()) {
    std::cerr << "billing_bench: " << minutes.size() << " timesheets billed of " << in.shifts.size() << "\n";
    return false;
  }
  for (const auto& s : in.shifts) {
    auto it = minutes.find(s.timesheet_id.value);
    if (it == minutes.end() || it->second != WorkedMinutes(s)) {
      std::cerr << "billing_bench: timesheet " << s.timesheet_id.value << " billed wrongly\n";
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t timesheets = 100'000;
  int iterations = 5;
  uint32_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc || (a != "--timesheets" && a != "--iterations" && a != "--seed")) {
      std::cerr << kUsage;
      return 2;
    }
    long long v = std::atoll(argv[++i]);
    if (v <= 0) {
      std::cerr << "billing_bench: " << a << " must be positive\n" << kUsage;
      return 2;
    }
    if (a == "--timesheets") timesheets = v;
    if (a == "--iterations") iterations = static_cast<int>(v);
    if (a == "--seed") seed = static_cast<uint32_t>(v);
  }
  auto inputs = Generate(timesheets, seed);
  std::vector<double> seconds;
  int64_t lines = 0, worked_minutes = 0;
  Money total;
  for (int it = 0; it < iterations; ++it) {
    std::vector<InvoiceDraft> drafts;
    auto t0 = std::chrono::steady_clock::now();
    for (const auto& in : inputs) {
      auto r = ComputeInvoice(in);
      if (!r.ok()) {
        std::cerr << "billing_bench: ComputeInvoice failed: " << r.error().message;
        for (const auto& f : r.error().fields) std::cerr << " " << f.field << ":" << f.code;
        std::cerr << "\n";
        return 1;
      }
      drafts.push_back(std::move(r).value());
    }
    auto t1 = std::chrono::steady_clock::now();
    seconds.push_back(std::chrono::duration<double>(t1 - t0).count());
    lines = 0, worked_minutes = 0, total = Money();
    for (size_t f = 0; f < inputs.size(); ++f) {
      if (!Verify(inputs[f], drafts[f])) return 1;
      lines += static_cast<int64_t>(drafts[f].invoice.lines.size());
      worked_minutes += drafts[f].invoice.labor_minutes;
      total += drafts[f].invoice.total;
    }
  }
  std::sort(seconds.begin(), seconds.end());
  double median = seconds[seconds.size() / 2];
  std::fprintf(stderr, "billing_bench: %lld timesheets, 3 invoices, %lld lines, %.1f h billed, total $%s; median %.1f ms of %d runs\n",
               static_cast<long long>(timesheets), static_cast<long long>(lines), worked_minutes / 60.0,
               total.ToDecimalString().c_str(), median * 1e3, iterations);
  std::printf("{\"figure\": \"billing_invoice_%lld_timesheets_ms\", \"value\": %.2f, \"unit\": \"ms\"}\n",
              static_cast<long long>(timesheets), median * 1e3);
  std::printf("{\"figure\": \"billing_invoice_timesheets_per_s\", \"value\": %.0f, \"unit\": \"timesheets/s\"}\n",
              static_cast<double>(timesheets) / median);
  std::printf("{\"figure\": \"billing_invoice_lines_per_s\", \"value\": %.0f, \"unit\": \"lines/s\"}\n",
              static_cast<double>(lines) / median);
  return 0;
}
