// Tests of the payroll rules engine: the worked examples E1-E6 of payroll-rules.md §10 and its
// mini-examples as exact-cent rows, rounding/meal/DST/differential rules by id, bad input,
// and a seeded property test against a minute-by-minute reference model.
#include "domain/payroll/payroll.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>

#include <date/tz.h>

namespace openmso::payroll {
namespace {

using namespace std::chrono_literals;

constexpr const char* kChicago = "America/Chicago";
constexpr const char* kLosAngeles = "America/Los_Angeles";

Instant At(const char* local, const char* zone = kChicago) {
  auto l = LocalDateTime::Parse(local);
  EXPECT_TRUE(l.has_value()) << local;
  auto r = ToInstant(*l, zone);
  EXPECT_TRUE(r.ok()) << local;
  return r.value();
}
Instant Utc(const char* s) { return *ParseInstant(s); }

WorkedShift Shift(int64_t ref, const char* start, const char* end, int64_t rate_cents, const char* state = "IL",
                  const char* zone = kChicago) {
  WorkedShift s;
  s.ref = ref;
  s.facility_id = 1;
  s.work_state = state;
  s.zone = zone;
  s.start = At(start, zone);
  s.end = At(end, zone);
  s.base_rate = Money::Cents(rate_cents);
  return s;
}

PayPolicy Policy(OvertimeLaw law, const char* zone = kChicago, int week_start_weekday = 1) {
  PayPolicy p;
  p.law = law;
  p.zone = zone;
  p.workweek_start_weekday = week_start_weekday;
  return p;
}

Differential Night(int64_t cents_per_hour, int start = 19 * 60, int end = 7 * 60) {
  Differential d;
  d.code = "NIGHT";
  d.kind = Differential::Kind::kDailyWindow;
  d.window_start_minute = start;
  d.window_end_minute = end;
  d.amount_type = Differential::Amount::kFlatPerHour;
  d.amount = cents_per_hour;
  return d;
}

Statement Pay(const PayPolicy& p, const std::vector<WorkedShift>& shifts, const char* from, const char* to,
              const std::vector<Extra>& extras = {}) {
  auto r = ComputePay(p, shifts, extras, At(from, p.zone.c_str()), At(to, p.zone.c_str()));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().fields.empty() ? r.error().message
                                                                  : r.error().fields[0].field + ":" + r.error().fields[0].code);
  return r.ok() ? r.value() : Statement{};
}

int64_t SumLines(const Statement& st, std::string_view code) {
  int64_t c = 0;
  for (const PayLine& l : st.lines)
    if (l.code == code) c += l.amount.cents();
  return c;
}
int64_t MinutesOf(const Statement& st, std::string_view code) {
  int64_t m = 0;
  for (const PayLine& l : st.lines)
    if (l.code == code) m += l.minutes;
  return m;
}
const PayLine* FindLine(const Statement& st, std::string_view code) {
  for (const PayLine& l : st.lines)
    if (l.code == code) return &l;
  return nullptr;
}

// ---- §10 worked examples ------------------------------------------------------------------------
struct ExampleRow {
  const char* id;
  Statement st;
  int64_t worked, reg, ot, dt, gross;
  int64_t wrong_gross;  // the wrong answer the example guards against (0 = none)
};

std::vector<ExampleRow> Examples() {
  std::vector<ExampleRow> rows;
  {  // E1: FLSA, the night differential raises the overtime rate (PAY-RR-INCLUDES).
    PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly);
    p.differentials.push_back(Night(300));
    std::vector<WorkedShift> s = {Shift(1, "2025-10-27T07:00", "2025-10-27T19:00", 4000),
                                  Shift(2, "2025-10-28T07:00", "2025-10-28T19:00", 4000),
                                  Shift(3, "2025-10-29T19:00", "2025-10-30T07:00", 4000),
                                  Shift(4, "2025-10-30T19:00", "2025-10-31T07:00", 4000)};
    rows.push_back({"E1", Pay(p, s, "2025-10-27T00:00", "2025-11-03T00:00"), 2880, 2400, 480, 0, 215800, 215200});
  }
  {  // E2: FLSA with a non-discretionary bonus in the regular rate.
    PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly);
    std::vector<WorkedShift> s = {Shift(1, "2025-10-27T07:00", "2025-10-27T17:00", 2800),
                                  Shift(2, "2025-10-28T07:00", "2025-10-28T17:00", 2800),
                                  Shift(3, "2025-10-29T07:00", "2025-10-29T17:00", 2800),
                                  Shift(4, "2025-10-30T07:00", "2025-10-30T17:00", 2800),
                                  Shift(5, "2025-10-31T07:00", "2025-10-31T13:00", 2800)};
    std::vector<Extra> e = {{900, ExtraKind::kNonDiscretionaryBonus, Money::Cents(9200), At("2025-10-31T13:00")}};
    rows.push_back({"E2", Pay(p, s, "2025-10-27T00:00", "2025-11-03T00:00", e), 2760, 2400, 360, 0, 147000, 146400});
  }
  {  // E3: 8 and 80 over a 14-day work period (PAY-OT-880-DAILY, PAY-OT-880-PERIOD).
    PayPolicy p = Policy(OvertimeLaw::kFlsa880);
    p.period_anchor = Date{2025, 10, 6};
    p.agreement_880_date = Date{2025, 9, 30};
    std::vector<WorkedShift> s;
    char a[32], b[32];
    for (int d = 6; d <= 15; ++d) {
      std::snprintf(a, sizeof a, "2025-10-%02dT07:00", d);
      std::snprintf(b, sizeof b, "2025-10-%02dT15:00", d);
      s.push_back(Shift(d, a, b, 2000));
    }
    s.push_back(Shift(16, "2025-10-16T07:00", "2025-10-16T19:00", 2000));
    rows.push_back({"E3", Pay(p, s, "2025-10-06T00:00", "2025-10-20T00:00"), 5520, 4800, 720, 0, 196000, 200000});
  }
  {  // E4: California daily overtime and double time (PAY-OT-CA-DAILY).
    PayPolicy p = Policy(OvertimeLaw::kCalifornia, kLosAngeles, 0);
    std::vector<WorkedShift> s = {Shift(1, "2025-10-05T06:00", "2025-10-05T20:00", 6000, "CA", kLosAngeles),
                                  Shift(2, "2025-10-06T08:00", "2025-10-06T16:00", 6000, "CA", kLosAngeles),
                                  Shift(3, "2025-10-07T08:00", "2025-10-07T16:00", 6000, "CA", kLosAngeles),
                                  Shift(4, "2025-10-08T08:00", "2025-10-08T16:00", 6000, "CA", kLosAngeles)};
    rows.push_back({"E4", Pay(p, s, "2025-10-05T00:00", "2025-10-12T00:00"), 2280, 1920, 240, 120, 252000, 228000});
  }
  {  // E5: California seventh consecutive day (PAY-OT-CA-SEVENTH-DAY, PAY-OT-CA-WEEKLY).
    PayPolicy p = Policy(OvertimeLaw::kCalifornia, kLosAngeles, 0);
    const int hours[7] = {8, 8, 8, 8, 8, 6, 9};
    std::vector<WorkedShift> s;
    char a[32], b[32];
    for (int d = 0; d < 7; ++d) {
      std::snprintf(a, sizeof a, "2025-10-%02dT06:00", 5 + d);
      std::snprintf(b, sizeof b, "2025-10-%02dT%02d:00", 5 + d, 6 + hours[d]);
      s.push_back(Shift(d + 1, a, b, 2200, "CA", kLosAngeles));
    }
    rows.push_back({"E5", Pay(p, s, "2025-10-05T00:00", "2025-10-12T00:00"), 3300, 2400, 840, 60, 138600, 137500});
  }
  {  // E6: overnight shift across the 2025-11-02 fall-back, 7-minute rounding, a meal.
    PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly);
    p.rounding = Rounding::kQuarterHour7Min;
    p.differentials.push_back(Night(400));
    std::vector<WorkedShift> s = {Shift(1, "2025-10-27T06:55", "2025-10-27T19:04", 4500),
                                  Shift(2, "2025-10-28T07:05", "2025-10-28T18:57", 4500),
                                  Shift(3, "2025-10-29T06:59", "2025-10-29T19:07", 4500)};
    WorkedShift night = Shift(4, "2025-11-01T18:53", "2025-11-02T07:06", 4500);  // 18:53 CDT -> 07:06 CST
    night.meals.push_back({At("2025-11-01T23:00"), At("2025-11-01T23:30")});
    s.push_back(night);
    rows.push_back({"E6", Pay(p, s, "2025-10-27T00:00", "2025-11-03T00:00"), 2910, 2400, 510, 0, 242813, 0});
  }
  return rows;
}

TEST(WorkedExamples, ExactCentsAndMinutes) {  // payroll-rules.md §10 test vectors
  for (const ExampleRow& r : Examples()) {
    SCOPED_TRACE(r.id);
    EXPECT_EQ(r.st.worked_minutes, r.worked);
    EXPECT_EQ(r.st.regular_minutes, r.reg);
    EXPECT_EQ(r.st.overtime_minutes, r.ot);
    EXPECT_EQ(r.st.double_time_minutes, r.dt);
    EXPECT_EQ(r.st.gross.cents(), r.gross);
    EXPECT_EQ(r.st.net_due.cents(), r.gross);
    if (r.wrong_gross) {
      EXPECT_NE(r.st.gross.cents(), r.wrong_gross);
    }
  }
}

TEST(WorkedExamples, E1PremiumIsOnTheRegularRateNotTheBase) {  // PAY-RR-INCLUDES
  Statement st = Examples()[0].st;
  EXPECT_EQ(st.straight_time.cents(), 199200);
  EXPECT_EQ(st.differentials.cents(), 7200);
  EXPECT_EQ(st.overtime_premium.cents(), 16600);
  ASSERT_EQ(st.weeks.size(), 1u);
  EXPECT_EQ(st.weeks[0].regular_rate.cents(), 4150);
  const PayLine* ot = FindLine(st, "OT_PREMIUM");
  ASSERT_NE(ot, nullptr);
  EXPECT_EQ(ot->ref, 0);
  EXPECT_EQ(ot->rate.cents(), 2075);  // 0.5 x $41.50
  EXPECT_EQ(ot->rule_id, "PAY-OT-PREMIUM@2009-07-24");
  // The OT hours are the last 8 of the week: the fourth shift's hours 41-48.
  const PayLine* hours = FindLine(st, "OT");
  ASSERT_NE(hours, nullptr);
  EXPECT_EQ(hours->ref, 4);
  EXPECT_EQ(hours->rule_id, "PAY-OT-FLSA-WEEKLY@2009-07-24");
  EXPECT_NE(hours->explanation.find("hours 41-48 of the workweek starting Mon 2025-10-27 00:00"), std::string::npos)
      << hours->explanation;
}

TEST(WorkedExamples, E2BonusLine) {
  Statement st = Examples()[1].st;
  EXPECT_EQ(st.bonuses.cents(), 9200);
  EXPECT_EQ(st.straight_time.cents(), 138000);
  EXPECT_EQ(SumLines(st, "BONUS"), 9200);
  EXPECT_EQ(st.overtime_premium.cents(), 9000);
}

TEST(WorkedExamples, E3DailyAndPeriodOvertimeAndTheWeeklyComparison) {  // PAY-OT-880-*
  Statement st = Examples()[2].st;
  int64_t daily = 0, period = 0;
  for (const PayLine& l : st.lines) {
    if (l.code != "OT") continue;
    if (l.rule_id.starts_with("PAY-OT-880-DAILY@")) daily += l.minutes;
    if (l.rule_id.starts_with("PAY-OT-880-PERIOD@")) period += l.minutes;
  }
  EXPECT_EQ(daily, 240);
  EXPECT_EQ(period, 480);
  ASSERT_EQ(st.weeks.size(), 1u);  // one 14-day period, one regular rate
  EXPECT_EQ(st.weeks[0].regular_rate.cents(), 2000);
  // The same hours on the 40-hour workweek: 16 OT hours in week one, none in week two.
  PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly);
  std::vector<WorkedShift> s;
  char a[32], b[32];
  for (int d = 6; d <= 15; ++d) {
    std::snprintf(a, sizeof a, "2025-10-%02dT07:00", d);
    std::snprintf(b, sizeof b, "2025-10-%02dT15:00", d);
    s.push_back(Shift(d, a, b, 2000));
  }
  s.push_back(Shift(16, "2025-10-16T07:00", "2025-10-16T19:00", 2000));
  Statement w = Pay(p, s, "2025-10-06T00:00", "2025-10-20T00:00");
  EXPECT_EQ(w.overtime_minutes, 960);
  EXPECT_EQ(w.gross.cents(), 200000);
  ASSERT_EQ(w.weeks.size(), 2u);
  EXPECT_EQ(w.weeks[0].overtime_minutes, 960);
  EXPECT_EQ(w.weeks[1].overtime_minutes, 0);
}

TEST(WorkedExamples, E4AndE5UnderTheFlsaAlone) {  // the state pays more: state law on top of FLSA
  for (int which : {3, 4}) {
    Statement ca = Examples()[which].st;
    PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly, kLosAngeles, 0);
    std::vector<WorkedShift> s;
    if (which == 3) {
      s = {Shift(1, "2025-10-05T06:00", "2025-10-05T20:00", 6000, "IL", kLosAngeles),
           Shift(2, "2025-10-06T08:00", "2025-10-06T16:00", 6000, "IL", kLosAngeles),
           Shift(3, "2025-10-07T08:00", "2025-10-07T16:00", 6000, "IL", kLosAngeles),
           Shift(4, "2025-10-08T08:00", "2025-10-08T16:00", 6000, "IL", kLosAngeles)};
    } else {
      const int hours[7] = {8, 8, 8, 8, 8, 6, 9};
      char a[32], b[32];
      for (int d = 0; d < 7; ++d) {
        std::snprintf(a, sizeof a, "2025-10-%02dT06:00", 5 + d);
        std::snprintf(b, sizeof b, "2025-10-%02dT%02d:00", 5 + d, 6 + hours[d]);
        s.push_back(Shift(d + 1, a, b, 2200, "IL", kLosAngeles));
      }
    }
    Statement f = Pay(p, s, "2025-10-05T00:00", "2025-10-12T00:00");
    EXPECT_EQ(f.gross.cents(), which == 3 ? 228000 : 137500);
    EXPECT_GT(ca.gross, f.gross);
  }
}

TEST(WorkedExamples, E4SundaySplitCitesTheDailyRule) {  // PAY-OT-CA-DAILY
  Statement st = Examples()[3].st;
  const PayLine* ot = FindLine(st, "OT");
  const PayLine* dt = FindLine(st, "DT");
  ASSERT_TRUE(ot && dt);
  EXPECT_EQ(ot->minutes, 240);
  EXPECT_EQ(dt->minutes, 120);
  EXPECT_EQ(ot->rule_id, "PAY-OT-CA-DAILY@2000-01-01");
  EXPECT_NE(ot->explanation.find("hours 9-12 of the workday starting Sun 2025-10-05 00:00"), std::string::npos)
      << ot->explanation;
  EXPECT_NE(dt->explanation.find("hours 13-14"), std::string::npos) << dt->explanation;
  EXPECT_EQ(st.double_time_premium.cents(), 12000);
}

TEST(WorkedExamples, E5SeventhDayAndWeeklyOnStraightHours) {  // PAY-OT-CA-SEVENTH-DAY, PAY-OT-CA-WEEKLY
  Statement st = Examples()[4].st;
  int64_t weekly = 0, seventh_ot = 0, seventh_dt = 0;
  for (const PayLine& l : st.lines) {
    if (l.rule_id.starts_with("PAY-OT-CA-WEEKLY@")) weekly += l.minutes;
    if (l.rule_id.starts_with("PAY-OT-CA-SEVENTH-DAY@")) (l.code == "DT" ? seventh_dt : seventh_ot) += l.minutes;
  }
  EXPECT_EQ(weekly, 360);
  EXPECT_EQ(seventh_ot, 480);
  EXPECT_EQ(seventh_dt, 60);
}

TEST(WorkedExamples, E6ElapsedTimeNotWallClock) {  // PAY-DST-ELAPSED, PAY-ROUND-7MIN, PAY-MEAL-UNPAID
  PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly);
  p.rounding = Rounding::kQuarterHour7Min;
  WorkedShift night = Shift(4, "2025-11-01T18:53", "2025-11-02T07:06", 4500);
  night.meals.push_back({At("2025-11-01T23:00"), At("2025-11-01T23:30")});
  auto t = ComputePaidTime(p, night);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->start, Utc("2025-11-02T00:00:00Z"));
  EXPECT_EQ(t->end, Utc("2025-11-02T13:00:00Z"));
  EXPECT_EQ(t->paid_minutes, 750);
  EXPECT_EQ(t->meal_minutes, 30);
  ASSERT_EQ(t->intervals.size(), 2u);
  Statement st = Examples()[5].st;
  EXPECT_EQ(st.straight_time.cents(), 223250);
  EXPECT_EQ(st.overtime_premium.cents(), 19563);
  EXPECT_NE(st.worked_minutes, 2850);  // wall-clock subtraction: 12 h - 0.5 h
  EXPECT_EQ(MinutesOf(st, "DIFF:NIGHT"), 750);
}

// ---- Mini-examples of §2-§4 -----------------------------------------------------------------------
TEST(MiniExamples, Alaska99999) {  // PAY-OT-AK-DAILY, PAY-OT-AK-WEEKLY
  PayPolicy p = Policy(OvertimeLaw::kAlaska, "America/Anchorage");
  std::vector<WorkedShift> s;
  char a[32], b[32];
  for (int d = 0; d < 5; ++d) {
    std::snprintf(a, sizeof a, "2025-10-%02dT07:00", 6 + d);
    std::snprintf(b, sizeof b, "2025-10-%02dT16:00", 6 + d);
    s.push_back(Shift(d + 1, a, b, 3000, "AK", "America/Anchorage"));
  }
  Statement st = Pay(p, s, "2025-10-06T00:00", "2025-10-13T00:00");
  EXPECT_EQ(st.overtime_minutes, 300);
  EXPECT_EQ(st.regular_minutes, 2400);
  EXPECT_EQ(st.gross.cents(), 142500);
  for (const PayLine& l : st.lines)
    if (l.code == "OT") {
      EXPECT_TRUE(l.rule_id.starts_with("PAY-OT-AK-DAILY@")) << l.rule_id;
    }
}

TEST(MiniExamples, ColoradoTwelveConsecutiveHoursOverTwoWorkdays) {  // PAY-OT-CO-CONSECUTIVE
  PayPolicy p = Policy(OvertimeLaw::kColorado, "America/Denver");
  std::vector<WorkedShift> s = {Shift(1, "2025-10-07T20:00", "2025-10-08T09:00", 3000, "CO", "America/Denver")};
  Statement st = Pay(p, s, "2025-10-06T00:00", "2025-10-13T00:00");
  EXPECT_EQ(st.worked_minutes, 780);
  EXPECT_EQ(st.overtime_minutes, 60);
  EXPECT_EQ(st.gross.cents(), 40500);
  const PayLine* ot = FindLine(st, "OT");
  ASSERT_NE(ot, nullptr);
  EXPECT_TRUE(ot->rule_id.starts_with("PAY-OT-CO-CONSECUTIVE@")) << ot->rule_id;
  // A duty-free meal neither counts nor breaks the run: 20:00-09:30 with a 30-minute meal.
  s[0].end = At("2025-10-08T09:30", "America/Denver");
  s[0].meals.push_back({At("2025-10-08T01:00", "America/Denver"), At("2025-10-08T01:30", "America/Denver")});
  EXPECT_EQ(Pay(p, s, "2025-10-06T00:00", "2025-10-13T00:00").overtime_minutes, 60);
  // Two 7-hour shifts in one workday with a gap: over 12 h in the workday, no consecutive run.
  s = {Shift(1, "2025-10-07T05:00", "2025-10-07T12:00", 3000, "CO", "America/Denver"),
       Shift(2, "2025-10-07T14:00", "2025-10-07T21:00", 3000, "CO", "America/Denver")};
  Statement w = Pay(p, s, "2025-10-06T00:00", "2025-10-13T00:00");
  EXPECT_EQ(w.overtime_minutes, 120);
  EXPECT_TRUE(FindLine(w, "OT")->rule_id.starts_with("PAY-OT-CO-WORKDAY@"));
  // PAY-OT-CO-WEEKLY: 4 x 11 h, no day over 12: the 4 hours over 40 in the week.
  s.clear();
  for (int d = 6; d <= 9; ++d) {
    char a[32], b[32];
    std::snprintf(a, sizeof a, "2025-10-%02dT07:00", d);
    std::snprintf(b, sizeof b, "2025-10-%02dT18:00", d);
    s.push_back(Shift(d, a, b, 3000, "CO", "America/Denver"));
  }
  Statement wk = Pay(p, s, "2025-10-06T00:00", "2025-10-13T00:00");
  EXPECT_EQ(wk.overtime_minutes, 240);
  EXPECT_TRUE(FindLine(wk, "OT")->rule_id.starts_with("PAY-OT-CO-WEEKLY@"));
}

TEST(MiniExamples, NevadaRolling24HoursOnlyBelowOneAndAHalfMinimumWage) {  // PAY-OT-NV-DAILY
  PayPolicy p = Policy(OvertimeLaw::kNevada, kLosAngeles);
  std::vector<WorkedShift> s = {Shift(1, "2025-10-07T15:00", "2025-10-07T23:00", 1700, "NV", kLosAngeles),
                                Shift(2, "2025-10-08T07:00", "2025-10-08T15:00", 1700, "NV", kLosAngeles)};
  Statement st = Pay(p, s, "2025-10-06T00:00", "2025-10-13T00:00");
  EXPECT_EQ(st.overtime_minutes, 480);  // the whole second shift is in the 24 h from 15:00
  EXPECT_EQ(st.gross.cents(), 34000);
  const PayLine* ot = FindLine(st, "OT");
  ASSERT_NE(ot, nullptr);
  EXPECT_EQ(ot->ref, 2);
  EXPECT_EQ(ot->rule_id, "PAY-OT-NV-DAILY@2024-07-01");
  // $18.00 is not below 1.5 x $12.00: no daily overtime.
  for (WorkedShift& w : s) w.base_rate = Money::Cents(1800);
  EXPECT_EQ(Pay(p, s, "2025-10-06T00:00", "2025-10-13T00:00").overtime_minutes, 0);
  // PAY-OT-NV-WEEKLY: 5 x 9 h at $30.00 (no daily overtime at that rate): 5 h over 40.
  std::vector<WorkedShift> week;
  for (int d = 6; d <= 10; ++d) {
    char a[32], b[32];
    std::snprintf(a, sizeof a, "2025-10-%02dT07:00", d);
    std::snprintf(b, sizeof b, "2025-10-%02dT16:00", d);
    week.push_back(Shift(d, a, b, 3000, "NV", kLosAngeles));
  }
  Statement wk = Pay(p, week, "2025-10-06T00:00", "2025-10-13T00:00");
  EXPECT_EQ(wk.overtime_minutes, 300);
  EXPECT_TRUE(FindLine(wk, "OT")->rule_id.starts_with("PAY-OT-NV-WEEKLY@"));
  // Before 2024-07-01 the minimum wage was $11.25: $17.00 is above $16.875.
  std::vector<WorkedShift> old = {Shift(1, "2024-06-04T15:00", "2024-06-04T23:00", 1700, "NV", kLosAngeles),
                                  Shift(2, "2024-06-05T07:00", "2024-06-05T15:00", 1700, "NV", kLosAngeles)};
  Statement o = Pay(p, old, "2024-06-03T00:00", "2024-06-10T00:00");
  EXPECT_EQ(o.overtime_minutes, 0);
  EXPECT_EQ(o.weeks[0].rule_id, "PAY-OT-NV@2023-07-01");
}

TEST(MiniExamples, EachWorkweekStandsAlone30Plus50) {  // PAY-OT-FLSA-WEEKLY (29 CFR 778.104)
  PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly);
  std::vector<WorkedShift> s;
  char a[32], b[32];
  int ref = 1;
  for (int d = 6; d <= 8; ++d) {  // week 1: 3 x 10 h
    std::snprintf(a, sizeof a, "2025-10-%02dT07:00", d);
    std::snprintf(b, sizeof b, "2025-10-%02dT17:00", d);
    s.push_back(Shift(ref++, a, b, 4000));
  }
  for (int d = 13; d <= 17; ++d) {  // week 2: 5 x 10 h
    std::snprintf(a, sizeof a, "2025-10-%02dT07:00", d);
    std::snprintf(b, sizeof b, "2025-10-%02dT17:00", d);
    s.push_back(Shift(ref++, a, b, 4000));
  }
  Statement st = Pay(p, s, "2025-10-06T00:00", "2025-10-20T00:00");
  EXPECT_EQ(st.overtime_minutes, 600);
  EXPECT_EQ(st.gross.cents(), 340000);
  ASSERT_EQ(st.weeks.size(), 2u);
  EXPECT_EQ(st.weeks[0].overtime_minutes, 0);
  EXPECT_EQ(st.weeks[1].overtime_minutes, 600);
}

TEST(MiniExamples, EightEighty48Plus32HasNoOvertime) {  // PAY-OT-880-*
  std::vector<WorkedShift> s;
  char a[32], b[32];
  int days[] = {6, 7, 8, 9, 10, 11, 13, 14, 15, 16};
  for (int d : days) {
    std::snprintf(a, sizeof a, "2025-10-%02dT07:00", d);
    std::snprintf(b, sizeof b, "2025-10-%02dT15:00", d);
    s.push_back(Shift(d, a, b, 2500));
  }
  PayPolicy p = Policy(OvertimeLaw::kFlsa880);
  p.period_anchor = Date{2025, 10, 6};
  p.agreement_880_date = Date{2025, 10, 1};
  EXPECT_EQ(Pay(p, s, "2025-10-06T00:00", "2025-10-20T00:00").overtime_minutes, 0);
  EXPECT_EQ(Pay(Policy(OvertimeLaw::kFlsaWeekly), s, "2025-10-06T00:00", "2025-10-20T00:00").overtime_minutes, 480);
}

// ---- Other rules by id ----------------------------------------------------------------------------
TEST(Rounding, SevenMinuteRuleTable) {  // PAY-ROUND-7MIN, PAY-ROUND-NONE
  struct Row {
    const char* punch;
    Rounding r;
    const char* expect;
  } rows[] = {
      {"2025-10-27T06:53", Rounding::kQuarterHour7Min, "2025-10-27T07:00"},
      {"2025-10-27T07:07", Rounding::kQuarterHour7Min, "2025-10-27T07:00"},
      {"2025-10-27T07:08", Rounding::kQuarterHour7Min, "2025-10-27T07:15"},
      {"2025-10-27T18:52", Rounding::kQuarterHour7Min, "2025-10-27T18:45"},
      {"2025-10-27T07:00", Rounding::kQuarterHour7Min, "2025-10-27T07:00"},
      {"2025-10-27T07:14", Rounding::kQuarterHour7Min, "2025-10-27T07:15"},
      {"2025-10-27T23:53", Rounding::kQuarterHour7Min, "2025-10-28T00:00"},
      {"2025-10-27T07:07", Rounding::kNone, "2025-10-27T07:07"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.punch);
    auto got = RoundPunch(At(r.punch), kChicago, r.r);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, At(r.expect));
  }
  // Seconds: 07:07:59 is 7 minutes past the quarter (down); no rounding truncates to the minute.
  EXPECT_EQ(RoundPunch(At("2025-10-27T07:07") + 59s, kChicago, Rounding::kQuarterHour7Min).value(), At("2025-10-27T07:00"));
  EXPECT_EQ(RoundPunch(At("2025-10-27T07:07") + 59s, kChicago, Rounding::kNone).value(), At("2025-10-27T07:07"));
  // A zone whose offset is not a whole hour rounds on its own clock (Asia/Kathmandu, +05:45).
  EXPECT_EQ(RoundPunch(At("2025-10-27T07:08", "Asia/Kathmandu"), "Asia/Kathmandu", Rounding::kQuarterHour7Min).value(),
            At("2025-10-27T07:15", "Asia/Kathmandu"));
  EXPECT_FALSE(RoundPunch(At("2025-10-27T07:08"), "Mars/Olympus", Rounding::kNone).ok());
  EXPECT_EQ(RoundingName(Rounding::kQuarterHour7Min), "quarter_7min");
  EXPECT_EQ(ParseRounding("none"), Rounding::kNone);
  EXPECT_FALSE(ParseRounding("nearest_5").has_value());
}

TEST(Meals, InterruptedShortAutoAndNeverRounded) {  // PAY-MEAL-*
  PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly);
  p.rounding = Rounding::kQuarterHour7Min;
  WorkedShift s = Shift(1, "2025-10-27T07:00", "2025-10-27T19:00", 4000);
  s.meals.push_back({At("2025-10-27T12:03"), At("2025-10-27T12:36")});  // not rounded: 33 minutes
  EXPECT_EQ(ComputePaidTime(p, s)->paid_minutes, 720 - 33);
  s.meals[0].interrupted = true;  // PAY-MEAL-INTERRUPTED
  EXPECT_EQ(ComputePaidTime(p, s)->paid_minutes, 720);
  s.meals = {{At("2025-10-27T12:00"), At("2025-10-27T12:15")}};  // PAY-MEAL-SHORT: a paid rest break
  EXPECT_EQ(ComputePaidTime(p, s)->paid_minutes, 720);
  s.meals.clear();
  p.auto_meal_deduction = true;  // PAY-MEAL-AUTO
  auto t = ComputePaidTime(p, s);
  EXPECT_TRUE(t->auto_meal);
  EXPECT_EQ(t->paid_minutes, 690);
  ASSERT_EQ(t->intervals.size(), 2u);
  EXPECT_EQ(t->intervals[0].end, At("2025-10-27T12:45"));
  s.meals = {{At("2025-10-27T12:00"), At("2025-10-27T12:30"), true}};  // attested interrupted: no deduction
  EXPECT_EQ(ComputePaidTime(p, s)->paid_minutes, 720);
  WorkedShift short_shift = Shift(2, "2025-10-27T07:00", "2025-10-27T12:52", 4000);  // rounds to 12:45
  EXPECT_FALSE(ComputePaidTime(p, short_shift)->auto_meal);
}

TEST(WeekSplit, SaturdayNightSplitAtTheSundayBoundary) {  // PAY-WEEK-SPLIT (§6.1)
  PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly, kChicago, 0);
  std::vector<WorkedShift> s = {Shift(7, "2025-10-11T19:00", "2025-10-12T07:00", 4000)};
  Statement st = Pay(p, s, "2025-10-05T00:00", "2025-10-19T00:00");
  ASSERT_EQ(st.weeks.size(), 2u);
  EXPECT_EQ(st.weeks[0].worked_minutes, 300);
  EXPECT_EQ(st.weeks[1].worked_minutes, 420);
  int regs = 0;
  for (const PayLine& l : st.lines)
    if (l.code == "REG") {
      ++regs;
      EXPECT_EQ(l.ref, 7);
    }
  EXPECT_EQ(regs, 2);
  // The second week alone: the shift's first 5 h are paid by the previous statement.
  Statement w2 = Pay(p, s, "2025-10-12T00:00", "2025-10-19T00:00");
  EXPECT_EQ(w2.worked_minutes, 420);
  EXPECT_EQ(w2.refs, std::vector<int64_t>{7});
}

TEST(WeekSplit, HoursAtSeveralFacilitiesAddUp) {  // PAY-HOURS-AGGREGATE (§2.1)
  PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly);
  std::vector<WorkedShift> s = {Shift(1, "2025-10-27T07:00", "2025-10-27T19:00", 4000),
                                Shift(2, "2025-10-28T07:00", "2025-10-28T19:00", 4000),
                                Shift(3, "2025-10-29T07:00", "2025-10-29T19:00", 4000, "IN", "America/Indiana/Indianapolis"),
                                Shift(4, "2025-10-30T07:00", "2025-10-30T19:00", 4000, "WI")};
  s[2].facility_id = 2;
  s[3].facility_id = 3;
  Statement st = Pay(p, s, "2025-10-27T00:00", "2025-11-03T00:00");
  EXPECT_EQ(st.overtime_minutes, 480);
}

// PAY-LAW-MIXED: one workweek in California and Illinois. Each day's minutes follow the daily
// rules of the state they were worked in; the week counts straight minutes against 40 h.
TEST(MixedLaws, CaliforniaDayThenIllinoisDays) {
  PayPolicy p = Policy(OvertimeLaw::kCalifornia);  // the law of the first shift's state
  std::vector<WorkedShift> s = {Shift(1, "2025-10-27T07:00", "2025-10-27T19:00", 5000, "CA", kLosAngeles),
                                Shift(2, "2025-10-28T07:00", "2025-10-28T19:00", 5000),
                                Shift(3, "2025-10-29T07:00", "2025-10-29T19:00", 5000)};
  Statement st = Pay(p, s, "2025-10-27T00:00", "2025-11-03T00:00");
  // California alone would give 4 h a day (12 h); the FLSA alone none (36 h); here only
  // Monday's 4 h in California are overtime: 36 x $50 + 4 x $25 = $1,900.00.
  EXPECT_EQ(st.worked_minutes, 36 * 60);
  EXPECT_EQ(st.overtime_minutes, 4 * 60);
  EXPECT_EQ(st.double_time_minutes, 0);
  EXPECT_EQ(st.gross, Money::Cents(190000));
  ASSERT_EQ(st.laws.size(), 2u);
  EXPECT_EQ(st.laws[0], OvertimeLaw::kFlsaWeekly);
  EXPECT_EQ(st.laws[1], OvertimeLaw::kCalifornia);
  int ot_lines = 0;
  for (const PayLine& l : st.lines) {
    if (l.code == "OT") {
      ++ot_lines;
      EXPECT_EQ(l.ref, 1);
      EXPECT_EQ(l.rule_id, "PAY-OT-CA-DAILY@2000-01-01");
    }
    if (l.code == "REG" && l.ref != 1) EXPECT_EQ(l.rule_id, "PAY-OT-FLSA-WEEKLY@2009-07-24");
  }
  EXPECT_EQ(ot_lines, 1);
  ASSERT_EQ(st.weeks.size(), 1u);
  EXPECT_EQ(st.weeks[0].rule_id, "PAY-OT-FLSA-WEEKLY@2009-07-24");
}

// PAY-LAW-MIXED: 12 h a day, Monday-Thursday: two days in Nevada at a low rate, then two in
// Alaska. The week's straight minutes pass 40 h only with the daily overtime left out.
TEST(MixedLaws, DailyOvertimeIsNotCountedAgainByTheWeek) {
  PayPolicy p = Policy(OvertimeLaw::kNevada, kLosAngeles);
  std::vector<WorkedShift> s = {Shift(1, "2025-10-27T06:00", "2025-10-27T18:00", 1500, "NV", kLosAngeles),
                                Shift(2, "2025-10-28T06:00", "2025-10-28T18:00", 1500, "NV", kLosAngeles),
                                Shift(3, "2025-10-29T07:00", "2025-10-29T19:00", 1500, "AK", "America/Anchorage"),
                                Shift(4, "2025-10-30T07:00", "2025-10-30T19:00", 1500, "AK", "America/Anchorage")};
  Statement st = Pay(p, s, "2025-10-27T00:00", "2025-11-03T00:00");
  // Nevada: $15 < 1.5 x $12, so over 8 h in the 24 h from the start of work: 4 h each day.
  // Alaska: over 8 h a day: 4 h each day. Straight: 4 x 8 = 32 h, under 40: 16 h overtime.
  EXPECT_EQ(st.worked_minutes, 48 * 60);
  EXPECT_EQ(st.overtime_minutes, 16 * 60);
  EXPECT_EQ(st.gross, Money::Cents(48 * 1500 + 16 * 750));
}

TEST(Dst, SpringForwardBoundaryInTheGapAndFallBackHours) {  // PAY-DST-ELAPSED, PAY-DST-BOUNDARY
  // The workday starts at 02:30, which does not exist on 2025-03-09 in Los Angeles: that
  // workday starts at the transition instant (03:00 PDT). A 17:00 PST -> 07:00 PDT shift is
  // 13 h elapsed: 9 h in the workday of 03-08 (hour 9 is daily overtime) and 4 h after.
  PayPolicy p = Policy(OvertimeLaw::kCalifornia, kLosAngeles, 0);
  p.workday_start_minute = 150;
  std::vector<WorkedShift> s = {Shift(1, "2025-03-08T17:00", "2025-03-09T07:00", 5000, "CA", kLosAngeles)};
  Statement st = Pay(p, s, "2025-03-02T00:00", "2025-03-16T00:00");
  EXPECT_EQ(st.worked_minutes, 780);
  EXPECT_EQ(st.overtime_minutes, 60);
  ASSERT_EQ(st.weeks.size(), 2u);
  EXPECT_EQ(st.weeks[0].worked_minutes, 420);  // 17:00-24:00 Saturday
  EXPECT_EQ(st.weeks[1].worked_minutes, 360);  // 00:00 PST - 07:00 PDT is 6 h elapsed
  const PayLine* ot = FindLine(st, "OT");
  ASSERT_NE(ot, nullptr);
  EXPECT_NE(ot->explanation.find("hour 9 of the workday starting Sat 2025-03-08 02:30"), std::string::npos) << ot->explanation;
  // A 13-hour fall-back night counts 13 hours toward daily overtime: 8 + 4 OT + 1 DT.
  PayPolicy ca = Policy(OvertimeLaw::kCalifornia, kLosAngeles, 0);
  ca.workday_start_minute = 19 * 60;
  std::vector<WorkedShift> f = {Shift(1, "2025-11-01T19:00", "2025-11-02T07:00", 5000, "CA", kLosAngeles)};
  Statement fb = Pay(ca, f, "2025-10-26T00:00", "2025-11-09T00:00");
  EXPECT_EQ(fb.worked_minutes, 780);
  EXPECT_EQ(fb.overtime_minutes, 240);
  EXPECT_EQ(fb.double_time_minutes, 60);
  // The same local times in spring: 11 h, 8 + 3 OT.
  f = {Shift(1, "2025-03-08T19:00", "2025-03-09T07:00", 5000, "CA", kLosAngeles)};
  Statement sf = Pay(ca, f, "2025-03-02T00:00", "2025-03-16T00:00");
  EXPECT_EQ(sf.worked_minutes, 660);
  EXPECT_EQ(sf.overtime_minutes, 180);
  EXPECT_EQ(sf.double_time_minutes, 0);
}

TEST(Differentials, PercentMajorityShiftStartAndStacking) {  // PAY-DIFF-WINDOW/WEEKEND, PAY-DIFF-STACK
  PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly);
  Differential night = Night(300);
  night.match = Differential::Match::kWholeShiftIfMajority;
  Differential weekend;
  weekend.code = "WEEKEND";
  weekend.kind = Differential::Kind::kWeekend;
  weekend.amount_type = Differential::Amount::kPercentBasisPoints;
  weekend.amount = 1000;  // 10 %
  p.differentials = {night, weekend};
  // 17:00-05:00: 10 of 12 h in 19:00-07:00 -> the whole shift; Friday, so 19:00 on is weekend.
  std::vector<WorkedShift> s = {Shift(1, "2025-10-31T17:00", "2025-11-01T05:00", 4000)};
  Statement st = Pay(p, s, "2025-10-27T00:00", "2025-11-03T00:00");
  EXPECT_EQ(MinutesOf(st, "DIFF:NIGHT"), 720);
  EXPECT_EQ(MinutesOf(st, "DIFF:WEEKEND"), 600);
  EXPECT_EQ(st.differentials.cents(), 12 * 300 + 10 * 400);
  EXPECT_EQ(st.gross.cents(), 12 * 4000 + 12 * 300 + 10 * 400);
  // 15:00-23:00: 4 of 8 h inside is not a majority.
  s = {Shift(1, "2025-10-28T15:00", "2025-10-28T23:00", 4000)};
  EXPECT_EQ(MinutesOf(Pay(p, s, "2025-10-27T00:00", "2025-11-03T00:00"), "DIFF:NIGHT"), 0);
  // "Shifts starting on Saturday or Sunday": a Friday 23:00 start is not one.
  p.differentials = {weekend};
  p.differentials[0].match = Differential::Match::kShiftStart;
  p.differentials[0].weekend_start_weekday = 6;
  p.differentials[0].weekend_start_minute = 0;
  p.differentials[0].weekend_end_weekday = 1;
  p.differentials[0].weekend_end_minute = 0;
  s = {Shift(1, "2025-10-31T23:00", "2025-11-01T07:00", 4000)};
  EXPECT_EQ(MinutesOf(Pay(p, s, "2025-10-27T00:00", "2025-11-03T00:00"), "DIFF:WEEKEND"), 0);
  s = {Shift(1, "2025-11-01T07:00", "2025-11-01T15:00", 4000)};
  EXPECT_EQ(MinutesOf(Pay(p, s, "2025-10-27T00:00", "2025-11-03T00:00"), "DIFF:WEEKEND"), 480);
}

TEST(Differentials, HolidayAtTimeAndAHalfIsCreditedAgainstOvertime) {  // PAY-DIFF-OT-CREDIT, PAY-DIFF-HOLIDAY
  PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly);
  Differential holiday;
  holiday.code = "HOLIDAY";
  holiday.kind = Differential::Kind::kHoliday;
  holiday.amount_type = Differential::Amount::kPercentBasisPoints;
  holiday.amount = 5000;
  p.differentials = {holiday};
  p.holidays = {Date{2025, 12, 25}};
  std::vector<WorkedShift> s = {Shift(1, "2025-12-22T07:00", "2025-12-22T19:00", 4000),
                                Shift(2, "2025-12-23T07:00", "2025-12-23T19:00", 4000),
                                Shift(3, "2025-12-24T07:00", "2025-12-24T19:00", 4000),
                                Shift(4, "2025-12-25T07:00", "2025-12-25T19:00", 4000)};
  Statement st = Pay(p, s, "2025-12-22T00:00", "2025-12-29T00:00");
  EXPECT_EQ(st.straight_time.cents(), 192000);  // the holiday premium is not in the regular rate
  EXPECT_EQ(st.holiday_premium.cents(), 24000);
  EXPECT_EQ(st.overtime_premium.cents(), 0);    // 0.5 x 40 x 8 = 160, less the 240 credited
  EXPECT_EQ(st.weeks[0].premium_credit.cents(), 16000);
  EXPECT_EQ(st.gross.cents(), 216000);
  EXPECT_EQ(MinutesOf(st, "PREMIUM:HOLIDAY"), 720);
  // A holiday worth less than 1.5x is an ordinary differential in the regular rate.
  p.differentials[0].amount = 1000;
  Statement small = Pay(p, s, "2025-12-22T00:00", "2025-12-29T00:00");
  EXPECT_EQ(small.holiday_premium.cents(), 0);
  EXPECT_EQ(small.straight_time.cents(), 192000 + 4800);
  EXPECT_EQ(small.overtime_premium.cents(), 16000 + 400);  // 0.5 x (196800/48) x 8
}

TEST(RegularRate, CaliforniaFlatSumBonusOverStraightHours) {  // PAY-RR-CA-FLAT-SUM
  PayPolicy p = Policy(OvertimeLaw::kCalifornia, kLosAngeles, 0);
  std::vector<WorkedShift> s;
  char a[32], b[32];
  for (int d = 6; d <= 10; ++d) {
    std::snprintf(a, sizeof a, "2025-10-%02dT07:00", d);
    std::snprintf(b, sizeof b, "2025-10-%02dT17:00", d);
    s.push_back(Shift(d, a, b, 2000, "CA", kLosAngeles));
  }
  std::vector<Extra> e = {{1, ExtraKind::kNonDiscretionaryBonus, Money::Cents(10000), At("2025-10-10T17:00", kLosAngeles)}};
  Statement st = Pay(p, s, "2025-10-05T00:00", "2025-10-12T00:00", e);
  EXPECT_EQ(st.overtime_minutes, 600);
  EXPECT_EQ(st.overtime_premium.cents(), 10000 + 3750);  // 0.5 x 20 x 10 + 100 / 40 x 1.5 x 10
  EXPECT_EQ(st.gross.cents(), 123750);
}

TEST(Extras, DiscretionaryCancellationAndAdvances) {  // PAY-BONUS-DISCRETIONARY, PAY-CANCEL, PAY-ADVANCE
  PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly);
  std::vector<WorkedShift> s;
  char a[32], b[32];
  for (int d = 27; d <= 30; ++d) {
    std::snprintf(a, sizeof a, "2025-10-%02dT07:00", d);
    std::snprintf(b, sizeof b, "2025-10-%02dT19:00", d);
    s.push_back(Shift(d, a, b, 4000));
  }
  std::vector<Extra> e = {{1, ExtraKind::kDiscretionaryBonus, Money::Cents(5000), At("2025-10-31T12:00")},
                          {2, ExtraKind::kCancellationPay, Money::Cents(12000), At("2025-10-31T12:00")},
                          {3, ExtraKind::kInstantPayAdvance, Money::Cents(30000), At("2025-11-05T12:00")}};
  Statement st = Pay(p, s, "2025-10-27T00:00", "2025-11-03T00:00", e);
  EXPECT_EQ(st.overtime_premium.cents(), 16000);  // neither bonus nor cancellation in the rate
  EXPECT_EQ(st.gross.cents(), 192000 + 16000 + 5000 + 12000);
  EXPECT_EQ(st.advances.cents(), 30000);
  EXPECT_EQ(st.net_due.cents(), st.gross.cents() - 30000);
  EXPECT_EQ(SumLines(st, "ADVANCE"), -30000);
}

TEST(Jurisdiction, StatesAndDatedRows) {  // PAY-LAW-BY-STATE
  Date today{2025, 10, 1};
  EXPECT_EQ(LawForState("CA", today), OvertimeLaw::kCalifornia);
  EXPECT_EQ(LawForState("AK", today), OvertimeLaw::kAlaska);
  EXPECT_EQ(LawForState("NV", today), OvertimeLaw::kNevada);
  EXPECT_EQ(LawForState("CO", today), OvertimeLaw::kColorado);
  EXPECT_EQ(LawForState("IL", today), OvertimeLaw::kFlsaWeekly);
  EXPECT_EQ(LawForState("TX", today), OvertimeLaw::kFlsaWeekly);
  for (OvertimeLaw law : {OvertimeLaw::kFlsaWeekly, OvertimeLaw::kFlsa880, OvertimeLaw::kCalifornia, OvertimeLaw::kAlaska,
                          OvertimeLaw::kNevada, OvertimeLaw::kColorado}) {
    EXPECT_EQ(ParseOvertimeLaw(OvertimeLawName(law)), law);
    EXPECT_NE(FindOvertimeRule(law, today), nullptr) << OvertimeLawName(law);
  }
  EXPECT_FALSE(ParseOvertimeLaw("texas").has_value());
  EXPECT_EQ(FindOvertimeRule(OvertimeLaw::kNevada, Date{2024, 6, 30})->minimum_wage.cents(), 1125);
  EXPECT_EQ(FindOvertimeRule(OvertimeLaw::kNevada, Date{2024, 7, 1})->minimum_wage.cents(), 1200);
  EXPECT_EQ(FindOvertimeRule(OvertimeLaw::kNevada, Date{2020, 1, 1}), nullptr);
  EXPECT_EQ(RuleVersion("PAY-OT-CA-DAILY", *FindOvertimeRule(OvertimeLaw::kCalifornia, today)), "PAY-OT-CA-DAILY@2000-01-01");
  // Every row's ids are set and rows of one law do not overlap in time.
  for (const OvertimeRule& r : OvertimeRules()) {
    EXPECT_FALSE(r.id.empty());
    EXPECT_FALSE(r.unit_rule_id.empty());
    EXPECT_GT(r.unit_threshold_minutes, 0);
    for (const OvertimeRule& o : OvertimeRules())
      if (&o != &r && o.law == r.law) {
        EXPECT_TRUE((r.effective_to && *r.effective_to <= o.effective_from) ||
                    (o.effective_to && *o.effective_to <= r.effective_from));
      }
  }
}

// ---- Bad input (PAY-INPUT-VALID) ------------------------------------------------------------------
TEST(BadInput, EachNamesItsField) {
  const Instant ps = At("2025-10-27T00:00"), pe = At("2025-11-03T00:00");
  auto good_shift = [] { return Shift(1, "2025-10-27T07:00", "2025-10-27T19:00", 4000); };
  struct Row {
    const char* name;
    std::function<void(PayPolicy&, std::vector<WorkedShift>&, std::vector<Extra>&, Instant&, Instant&)> edit;
    const char* field;
    const char* code;
  } rows[] = {
      {"end before start", [](auto&, auto& s, auto&, auto&, auto&) { s[0].end = s[0].start - 1h; }, "shifts[0].end", "before_start"},
      {"end equals start", [](auto&, auto& s, auto&, auto&, auto&) { s[0].end = s[0].start; }, "shifts[0].end", "before_start"},
      {"zero rate", [](auto&, auto& s, auto&, auto&, auto&) { s[0].base_rate = Money(); }, "shifts[0].base_rate", "not_positive"},
      {"negative rate", [](auto&, auto& s, auto&, auto&, auto&) { s[0].base_rate = Money::Cents(-1); }, "shifts[0].base_rate", "not_positive"},
      {"huge rate", [](auto&, auto& s, auto&, auto&, auto&) { s[0].base_rate = Money::Cents(100'001); }, "shifts[0].base_rate", "too_large"},
      {"unknown law", [](auto& p, auto&, auto&, auto&, auto&) { p.law = static_cast<OvertimeLaw>(42); }, "law", "unknown"},
      {"bad zone", [](auto& p, auto&, auto&, auto&, auto&) { p.zone = "CST"; }, "zone", "invalid_time_zone"},
      {"bad shift zone", [](auto&, auto& s, auto&, auto&, auto&) { s[0].zone = "Nowhere/City"; }, "shifts[0].zone", "invalid_time_zone"},
      {"weekday", [](auto& p, auto&, auto&, auto&, auto&) { p.workweek_start_weekday = 7; }, "workweek_start_weekday", "out_of_range"},
      {"overlap", [](auto&, auto& s, auto&, auto&, auto&) { s.push_back(s[0]); s[1].ref = 2; s[1].start += 1h; s[1].end += 1h; }, "shifts", "overlap"},
      {"duplicate ref", [](auto&, auto& s, auto&, auto&, auto&) { s.push_back(s[0]); s[1].start += 24h; s[1].end += 24h; }, "shifts[1].ref", "duplicate"},
      {"ref", [](auto&, auto& s, auto&, auto&, auto&) { s[0].ref = 0; }, "shifts[0].ref", "not_positive"},
      {"state", [](auto&, auto& s, auto&, auto&, auto&) { s[0].work_state = "Illinois"; }, "shifts[0].work_state", "invalid"},
      {"state law under 8/80",  // PAY-LAW-MIXED: 8/80 replaces the federal weekly rule only
       [](auto& p, auto& s, auto&, auto&, Instant& b) { p.law = OvertimeLaw::kFlsa880; p.period_anchor = Date{2025, 10, 27}; p.agreement_880_date = Date{2025, 1, 1}; b += 168h; s[0].work_state = "CA"; }, "shifts[0].work_state", "law_mismatch"},
      {"too long", [](auto&, auto& s, auto&, auto&, auto&) { s[0].end = s[0].start + 25h; }, "shifts[0].end", "too_long"},
      {"outside", [](auto&, auto& s, auto&, auto&, auto&) { s[0].start -= 240h; s[0].end -= 240h; }, "shifts[0]", "outside_period"},
      {"meal order", [](auto&, auto& s, auto&, auto&, auto&) { s[0].meals = {{s[0].start + 5h, s[0].start + 4h}}; }, "shifts[0].meals[0].end", "before_start"},
      {"meal outside", [](auto&, auto& s, auto&, auto&, auto&) { s[0].meals = {{s[0].end, s[0].end + 30min}}; }, "shifts[0].meals[0]", "outside_shift"},
      {"meals overlap", [](auto&, auto& s, auto&, auto&, auto&) { s[0].meals = {{s[0].start + 4h, s[0].start + 5h}, {s[0].start + 270min, s[0].start + 6h}}; }, "shifts[0].meals", "overlap"},
      {"incentive", [](auto&, auto& s, auto&, auto&, auto&) { s[0].incentive = Money::Cents(-5); }, "shifts[0].incentive", "negative"},
      {"period order", [](auto&, auto&, auto&, Instant& a, Instant& b) { std::swap(a, b); }, "period_end", "before_start"},
      {"period not aligned",  // PAY-PERIOD-ALIGN
       [](auto&, auto&, auto&, Instant& a, auto&) { a += 1h; }, "period_start", "not_workweek_start"},
      {"period end not aligned", [](auto&, auto&, auto&, auto&, Instant& b) { b += 24h; }, "period_end", "not_workweek_start"},
      {"880 without agreement",  // PAY-880-AGREEMENT
       [](auto& p, auto&, auto&, auto&, auto&) { p.law = OvertimeLaw::kFlsa880; p.period_anchor = Date{2025, 10, 27}; }, "agreement_880_date", "required"},
      {"880 agreement late", [](auto& p, auto&, auto&, auto&, auto&) { p.law = OvertimeLaw::kFlsa880; p.period_anchor = Date{2025, 10, 13}; p.agreement_880_date = Date{2025, 10, 28}; }, "agreement_880_date", "after_period_start"},
      {"880 period", [](auto& p, auto&, auto&, auto&, auto&) { p.law = OvertimeLaw::kFlsa880; p.period_anchor = Date{2025, 10, 20}; p.agreement_880_date = Date{2025, 1, 1}; }, "period_start", "not_work_period_start"},
      {"diff amount", [](auto& p, auto&, auto&, auto&, auto&) { p.differentials = {Night(0)}; }, "differentials[0].amount", "out_of_range"},
      {"diff code", [](auto& p, auto&, auto&, auto&, auto&) { p.differentials = {Night(300), Night(200)}; }, "differentials[1].code", "duplicate"},
      {"diff window", [](auto& p, auto&, auto&, auto&, auto&) { p.differentials = {Night(300, 1440, 0)}; }, "differentials[0].window_start_minute", "out_of_range"},
      {"holiday", [](auto& p, auto&, auto&, auto&, auto&) { p.holidays = {Date{2025, 2, 30}}; }, "holidays[0]", "invalid_date"},
      {"rounding", [](auto& p, auto&, auto&, auto&, auto&) { p.rounding = static_cast<Rounding>(9); }, "rounding", "unknown"},
      {"extra amount", [](auto&, auto&, auto& e, auto&, auto&) { e[0].amount = Money(); }, "extras[0].amount", "not_positive"},
      {"extra ref", [](auto&, auto&, auto& e, auto&, auto&) { e.push_back(e[0]); }, "extras[1].ref", "duplicate"},
      {"bonus outside", [](auto&, auto&, auto& e, auto&, auto&) { e[0].at += 240h; }, "extras[0].at", "outside_period"},
      {"extra kind", [](auto&, auto&, auto& e, auto&, auto&) { e[0].kind = static_cast<ExtraKind>(8); }, "extras[0].kind", "unknown"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.name);
    PayPolicy p = Policy(OvertimeLaw::kFlsaWeekly);
    std::vector<WorkedShift> s = {good_shift()};
    std::vector<Extra> e = {{5, ExtraKind::kNonDiscretionaryBonus, Money::Cents(100), At("2025-10-28T12:00")}};
    Instant a = ps, b = pe;
    ASSERT_TRUE(ComputePay(p, s, e, a, b).ok());
    r.edit(p, s, e, a, b);
    auto res = ComputePay(p, s, e, a, b);
    ASSERT_FALSE(res.ok());
    EXPECT_EQ(res.error().code, ErrorCode::kInvalidArgument);
    bool found = false;
    std::string all;
    for (const FieldError& f : res.error().fields) {
      found = found || (f.field == r.field && f.code == r.code);
      all += f.field + ":" + f.code + " ";
    }
    EXPECT_TRUE(found) << "got " << all;
  }
  // ComputePaidTime names its fields under "shift.".
  WorkedShift bad = good_shift();
  bad.end = bad.start;
  auto t = ComputePaidTime(Policy(OvertimeLaw::kFlsaWeekly), bad);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().fields[0].field, "shift.end");
}

// ---- Property test against a minute-by-minute reference model ----------------------------------------
// The reference works on single minutes and local clock times (date/tz directly), with none of the
// engine's interval cutting; it implements the same rules (§2-§4, §10 conventions) independently.
struct RefResult {
  int64_t worked = 0, reg = 0, ot = 0, dt = 0, gross = 0;
  std::string units;  // per unit, for the failure message
};

int64_t LocalMinute(int64_t utc_min, const date::time_zone* tz) {
  auto info = tz->get_info(date::sys_seconds(std::chrono::seconds(utc_min * 60)));
  return utc_min + info.offset.count() / 60;
}
int64_t FloorDivT(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

RefResult Reference(const PayPolicy& p, const std::vector<WorkedShift>& shifts, const std::vector<Extra>& extras,
                    Instant ps_i, Instant pe_i) {
  const date::time_zone* ptz = date::locate_zone(p.zone);
  const int64_t ps = ToUnixMillis(ps_i) / 60000, pe = ToUnixMillis(pe_i) / 60000;
  std::vector<size_t> order(shifts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return shifts[a].start < shifts[b].start; });
  struct M {
    int64_t t;
    size_t shift;
    int64_t rate_x = 0, hol_x = 0;  // 1/10,000 cent per hour
    int level = 0;
  };
  std::vector<M> mins;
  std::map<size_t, int64_t> first_paid;
  for (size_t i : order) {
    const WorkedShift& s = shifts[i];
    auto t = ComputePaidTime(p, s);
    EXPECT_TRUE(t.ok());
    const date::time_zone* stz = date::locate_zone(s.zone);
    std::vector<int64_t> shift_minutes;
    for (const PaidInterval& iv : t->intervals)
      for (int64_t m = ToUnixMillis(iv.start) / 60000; m < ToUnixMillis(iv.end) / 60000; ++m) shift_minutes.push_back(m);
    if (!shift_minutes.empty()) first_paid[i] = shift_minutes.front();
    // Differentials: hours in window, or whole shift by majority.
    std::vector<std::vector<bool>> in(p.differentials.size(), std::vector<bool>(shift_minutes.size()));
    for (size_t d = 0; d < p.differentials.size(); ++d) {
      const Differential& df = p.differentials[d];
      int64_t count = 0;
      for (size_t k = 0; k < shift_minutes.size(); ++k) {
        int64_t l = LocalMinute(shift_minutes[k], stz), mod = ((l % 1440) + 1440) % 1440, day = FloorDivT(l, 1440);
        bool inside = false;
        if (df.kind == Differential::Kind::kDailyWindow) {
          int a = df.window_start_minute, b = df.window_end_minute;
          inside = a < b ? (mod >= a && mod < b) : (mod >= a || mod < b);
        } else if (df.kind == Differential::Kind::kWeekend) {
          int64_t week_min = (((day + 4) % 7 + 7) % 7) * 1440 + mod;  // minute of the week from Sunday 00:00
          int64_t a = df.weekend_start_weekday * 1440 + df.weekend_start_minute;
          int64_t b = df.weekend_end_weekday * 1440 + df.weekend_end_minute;
          inside = a < b ? (week_min >= a && week_min < b) : (week_min >= a || week_min < b);
        } else {
          for (const Date& h : p.holidays) inside = inside || h.DaysSinceEpoch() == day;
        }
        in[d][k] = inside;
        count += inside;
      }
      if (df.match == Differential::Match::kWholeShiftIfMajority) {
        bool all = 2 * count > static_cast<int64_t>(shift_minutes.size());
        std::fill(in[d].begin(), in[d].end(), all);
      }
    }
    for (size_t k = 0; k < shift_minutes.size(); ++k) {
      M m{shift_minutes[k], i};
      m.rate_x = s.base_rate.cents() * 10000;
      for (size_t d = 0; d < p.differentials.size(); ++d) {
        if (!in[d][k]) continue;
        const Differential& df = p.differentials[d];
        int64_t dx = df.amount_type == Differential::Amount::kPercentBasisPoints ? s.base_rate.cents() * df.amount : df.amount * 10000;
        bool ot_type = df.kind != Differential::Kind::kDailyWindow && dx >= s.base_rate.cents() * 5000;
        (ot_type ? m.hol_x : m.rate_x) += dx;
      }
      mins.push_back(m);
    }
  }
  std::sort(mins.begin(), mins.end(), [](const M& a, const M& b) { return a.t < b.t; });
  const Date on = Date::FromDaysSinceEpoch(FloorDivT(LocalMinute(ps, ptz), 1440));
  const OvertimeRule& row = *FindOvertimeRule(p.law, on);
  // PAY-LAW-MIXED: each minute follows the daily-type rules of its own shift's state law.
  auto law_of = [&](size_t shift) {
    return p.law == OvertimeLaw::kFlsa880 ? OvertimeLaw::kFlsa880 : LawForState(shifts[shift].work_state, on);
  };
  auto row_of = [&](size_t shift) -> const OvertimeRule& { return *FindOvertimeRule(law_of(shift), on); };
  auto local_day_of = [&](int64_t t, int start_minute) { return FloorDivT(LocalMinute(t, ptz) - start_minute, 1440); };
  const int unit_minute = p.law == OvertimeLaw::kFlsa880 ? p.workday_start_minute : p.workweek_start_minute;
  const int64_t d0 = local_day_of(ps, unit_minute);
  // The unit (workweek / work period) of a local time, by local clock arithmetic.
  auto unit_of_local = [&](int64_t l) { return FloorDivT(FloorDivT(l - unit_minute, 1440) - d0, row.unit_days); };
  auto unit_of = [&](int64_t t) { return unit_of_local(LocalMinute(t, ptz)); };
  // Seventh day: the seven workdays that start in the week all have work; the last is the seventh.
  std::map<int64_t, std::set<int64_t>> days_of_week;
  for (const M& m : mins) {
    if (m.t >= pe) continue;
    int64_t d = local_day_of(m.t, p.workday_start_minute);
    days_of_week[unit_of_local(d * 1440 + p.workday_start_minute)].insert(d);
  }
  // Daily-type rules, minute by minute.
  int64_t day = INT64_MIN, c_wd = 0, c_roll = 0, win_end = INT64_MIN, run = 0, last_t = INT64_MIN;
  size_t last_shift = SIZE_MAX;
  for (M& m : mins) {
    if (!(m.t == last_t + 1 || m.shift == last_shift)) run = 0;
    last_t = m.t;
    last_shift = m.shift;
    int ld = 0, lc = 0;
    bool daily = true;
    const OvertimeRule& mr = row_of(m.shift);
    if (mr.daily_rate_condition_bp > 0) {
      const WorkedShift& s = shifts[m.shift];
      Date sd = Date::FromDaysSinceEpoch(FloorDivT(LocalMinute(ToUnixMillis(s.start) / 60000, date::locate_zone(s.zone)), 1440));
      const OvertimeRule* r = FindOvertimeRule(law_of(m.shift), sd);
      daily = s.base_rate.cents() * 10000 < r->minimum_wage.cents() * r->daily_rate_condition_bp;
    }
    // Both day scopes count every minute; the minute's law picks which one it is judged on.
    if (m.t >= win_end) {
      win_end = m.t + 1440;
      c_roll = 0;
    }
    int64_t d_wd = local_day_of(m.t, p.workday_start_minute);
    if (d_wd != day) {
      day = d_wd;
      c_wd = 0;
    }
    const int64_t c1 = mr.rolling_day ? c_roll : c_wd;
    bool seventh = false;
    if (mr.seventh_day && m.t >= ps && m.t < pe) {
      int64_t d = local_day_of(m.t, p.workday_start_minute);
      int64_t k = unit_of_local(d * 1440 + p.workday_start_minute);
      const auto& ds = days_of_week[k];
      seventh = k >= 0 && ds.size() == 7 && d == *ds.rbegin();
    }
    if (seventh) ld = c1 < mr.seventh_day_dt_minutes ? 1 : 2;
    else if (daily && mr.daily_ot_minutes > 0 && c1 >= mr.daily_ot_minutes)
      ld = mr.daily_dt_minutes > 0 && c1 >= mr.daily_dt_minutes ? 2 : 1;
    if (mr.consecutive_ot_minutes > 0 && run >= mr.consecutive_ot_minutes) lc = 1;
    m.level = std::max(ld, lc);
    ++c_wd;
    ++c_roll;
    ++run;
  }
  // Unit threshold on straight minutes, then money per unit.
  RefResult r;
  std::map<int64_t, int64_t> straight;
  std::map<int64_t, std::array<int64_t, 6>> u;  // T, reg, ot, dt, S (1/600,000 cent), H
  std::map<int64_t, std::set<OvertimeLaw>> unit_laws;
  for (M& m : mins) {
    if (m.t < ps || m.t >= pe) continue;
    int64_t k = unit_of(m.t);
    unit_laws[k].insert(law_of(m.shift));
    if (m.level == 0 && ++straight[k] > row.unit_threshold_minutes) m.level = 1;
    auto& a = u[k];
    a[0] += 1;
    a[1 + m.level] += 1;
    a[4] += m.rate_x;
    a[5] += m.hol_x;
  }
  std::map<int64_t, int64_t> bonus;  // 1/600,000 cent
  for (const auto& [i, t] : first_paid)
    if (t >= ps && t < pe) bonus[unit_of(t)] += shifts[i].incentive.cents() * 600000;
  for (const Extra& e : extras) {
    if (e.kind == ExtraKind::kNonDiscretionaryBonus) bonus[unit_of(ToUnixMillis(e.at) / 60000)] += e.amount.cents() * 600000;
    if (e.kind == ExtraKind::kDiscretionaryBonus || e.kind == ExtraKind::kCancellationPay) r.gross += e.amount.cents();
  }
  for (auto& [k, b] : bonus) u[k];  // a unit with only a bonus
  for (const auto& [k, a] : u) {
    __int128 T = a[0], reg = a[1], ot = a[2], dt = a[3], Sh = a[4], B = bonus[k], H = a[5], S = Sh + B;
    r.worked += a[0];
    r.reg += a[1];
    r.ot += a[2];
    r.dt += a[3];
    auto round = [](__int128 n, __int128 d) { return static_cast<int64_t>((2 * n + d) / (2 * d)); };
    int64_t straight_cents = round(S, 600000), hol_cents = round(H, 600000);
    // Premiums in 1/(T * reg * 6e9) cent, less the OT-type credit.
    __int128 den = T * 10000 * 600000, otn = 0, dtn = 0;
    if (T > 0) {
      // The California flat-sum method in a workweek worked under California law alone (or
      // with no work, under the policy's law); the federal method otherwise (PAY-LAW-MIXED).
      const auto& laws = unit_laws[k];
      const OvertimeRule& ur = laws.size() == 1 ? *FindOvertimeRule(*laws.begin(), on)
                               : laws.empty()   ? row
                                                : *FindOvertimeRule(OvertimeLaw::kFlsaWeekly, on);
      bool flat = ur.flat_sum_bonus_on_straight_hours && B > 0 && reg > 0;
      if (flat) {
        otn = Sh * ot * 5000 * reg + B * ot * 15000 * T;
        dtn = Sh * dt * 10000 * reg + B * dt * 20000 * T;
        den *= reg;
      } else {
        otn = S * ot * 5000;
        dtn = S * dt * 10000;
      }
    }
    __int128 credit = H * (den / 600000);
    __int128 ot_due = std::max<__int128>(0, otn - credit);
    __int128 left = std::max<__int128>(0, credit - otn);
    __int128 dt_due = std::max<__int128>(0, dtn - left);
    r.gross += straight_cents + hol_cents + round(ot_due, den) + round(dt_due, den);
    r.units += "unit " + std::to_string(k) + ": T " + std::to_string(a[0]) + " reg " + std::to_string(a[1]) + " ot " +
               std::to_string(a[2]) + " dt " + std::to_string(a[3]) + " straight " + std::to_string(straight_cents) +
               " holiday " + std::to_string(hol_cents) + " ot$ " + std::to_string(round(ot_due, den)) + " dt$ " +
               std::to_string(round(dt_due, den)) + "\n";
  }
  return r;
}

struct Case {
  PayPolicy policy;
  std::vector<WorkedShift> shifts;
  std::vector<Extra> extras;
  Instant ps, pe;
};

Case RandomCase(std::mt19937_64& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  struct LawSetup {
    OvertimeLaw law;
    const char* state;
    const char* zone;
  } setups[] = {{OvertimeLaw::kFlsaWeekly, "IL", kChicago},         {OvertimeLaw::kFlsaWeekly, "NY", "America/New_York"},
                {OvertimeLaw::kFlsa880, "TX", kChicago},            {OvertimeLaw::kCalifornia, "CA", kLosAngeles},
                {OvertimeLaw::kAlaska, "AK", "America/Anchorage"},  {OvertimeLaw::kNevada, "NV", kLosAngeles},
                {OvertimeLaw::kColorado, "CO", "America/Denver"},   {OvertimeLaw::kFlsaWeekly, "AZ", "America/Phoenix"}};
  const LawSetup& ls = setups[pick(8)];
  // PAY-LAW-MIXED: a quarter of the weekly-law cases work in two states (the second state's
  // shifts in its own zone).
  const LawSetup* other = nullptr;
  if (ls.law != OvertimeLaw::kFlsa880 && pick(4) == 0) {
    other = &setups[pick(8)];
    if (other->law == OvertimeLaw::kFlsa880) other = nullptr;
  }
  Case c;
  PayPolicy& p = c.policy;
  p.law = ls.law;
  p.zone = ls.zone;
  p.workweek_start_weekday = pick(7);
  p.workday_start_minute = std::array<int, 3>{0, 7 * 60, 19 * 60}[pick(3)];
  p.rounding = pick(2) ? Rounding::kQuarterHour7Min : Rounding::kNone;
  p.auto_meal_deduction = pick(3) == 0;
  // Periods around both 2025 DST changes and ordinary weeks.
  const int64_t base_days[] = {Date{2025, 3, 2}.DaysSinceEpoch(), Date{2025, 10, 26}.DaysSinceEpoch(),
                               Date{2025, 6, 1}.DaysSinceEpoch(), Date{2025, 12, 21}.DaysSinceEpoch()};
  int64_t d0 = base_days[pick(4)] + pick(7);
  if (p.law == OvertimeLaw::kFlsa880) {
    p.workweek_start_weekday = 0;
    p.period_anchor = Date::FromDaysSinceEpoch(d0 - 28);
    p.agreement_880_date = Date{2025, 1, 1};
  } else {
    d0 -= ((d0 + 4) % 7 - p.workweek_start_weekday + 7) % 7;  // back to the workweek's weekday
  }
  int start_minute = p.law == OvertimeLaw::kFlsa880 ? p.workday_start_minute : 0;
  int weeks = p.law == OvertimeLaw::kFlsa880 ? 2 : 1 + pick(2);
  auto local = [&](int64_t day, int64_t minute) {
    return ToInstant(LocalDateTime{Date::FromDaysSinceEpoch(day + minute / 1440), static_cast<int>(minute % 1440)}, p.zone).value();
  };
  c.ps = local(d0, start_minute);
  c.pe = local(d0 + 7 * weeks, start_minute);
  if (pick(2)) {
    Differential n = Night(200 + pick(300), std::array<int, 2>{19 * 60, 23 * 60}[pick(2)], 7 * 60);
    if (pick(3) == 0) n.match = Differential::Match::kWholeShiftIfMajority;
    p.differentials.push_back(n);
  }
  if (pick(2)) {
    Differential w;
    w.code = "WEEKEND";
    w.kind = Differential::Kind::kWeekend;
    w.amount_type = Differential::Amount::kPercentBasisPoints;
    w.amount = 500 + pick(1000);
    p.differentials.push_back(w);
  }
  if (pick(2)) {
    Differential h;
    h.code = "HOLIDAY";
    h.kind = Differential::Kind::kHoliday;
    h.amount_type = pick(2) ? Differential::Amount::kPercentBasisPoints : Differential::Amount::kFlatPerHour;
    h.amount = h.amount_type == Differential::Amount::kFlatPerHour ? 100 + pick(3000) : 2000 + pick(6000);
    p.differentials.push_back(h);
    p.holidays = {Date::FromDaysSinceEpoch(d0 + pick(14)), Date::FromDaysSinceEpoch(d0 + pick(14))};
    if (p.holidays[0] == p.holidays[1]) p.holidays.pop_back();
  }
  // Shifts: walk forward from before the period with random gaps; keep those that touch it.
  int64_t t = ToUnixMillis(c.ps) - (pick(2) ? 12 * 3600000LL : 0);
  const int64_t end = ToUnixMillis(c.pe) + 6 * 3600000LL;
  int64_t ref = 100;
  int64_t rate = 1500 + pick(6000);
  while (true) {
    t += (pick(4) == 0 ? 0 : 60000LL * pick(24 * 60)) + pick(60) * 1000LL;
    int64_t len = 60000LL * (60 + pick(15 * 60)) + pick(60) * 1000LL;
    if (t >= end) break;
    WorkedShift s;
    s.ref = ref++;
    s.facility_id = 1 + pick(3);
    const LawSetup& here = other && pick(2) ? *other : ls;
    s.work_state = here.state;
    s.zone = here.zone;
    s.start = FromUnixMillis(t);
    s.end = FromUnixMillis(t + len);
    s.base_rate = Money::Cents(pick(4) == 0 ? 1500 + pick(6000) : rate);
    if (pick(4) == 0) s.incentive = Money::Cents(1000 + pick(20000));
    int meals = pick(3);
    if (len > 3 * 3600000LL)
      for (int k = 0; k < meals; ++k) {
        int64_t a = t + 3600000LL * (1 + 2 * k) + pick(30) * 60000LL, b = a + (10 + pick(40)) * 60000LL;
        if (b < t + len) s.meals.push_back({FromUnixMillis(a), FromUnixMillis(b), pick(5) == 0});
      }
    t += len;
    if (s.end > c.ps && s.start < c.pe) c.shifts.push_back(s);
  }
  int nx = pick(4);
  for (int k = 0; k < nx; ++k) {
    Extra e;
    e.ref = 1 + k;
    e.kind = static_cast<ExtraKind>(pick(4));
    e.amount = Money::Cents(100 + pick(50000));
    e.at = FromUnixMillis(ToUnixMillis(c.ps) + static_cast<int64_t>(rng() % static_cast<uint64_t>(ToUnixMillis(c.pe) - ToUnixMillis(c.ps))));
    c.extras.push_back(e);
  }
  return c;
}

// PAY-OT-PREMIUM, PAY-ROUND-CENTS (lines add up), PAY-NO-PYRAMID (a state never pays less than the FLSA).
TEST(Property, TotalsTraceabilityOrderAndTheReferenceModel) {
  std::mt19937_64 rng(20251102);
  int checked = 0, with_ot = 0, with_dt = 0;
  std::map<OvertimeLaw, int> per_law;
  Statement reused;  // one Statement refilled for every case, as a pay run does
  for (int iter = 0; iter < 3000; ++iter) {
    Case c = RandomCase(rng);
    SCOPED_TRACE(::testing::Message() << "case " << iter << " law " << OvertimeLawName(c.policy.law));
    auto res = ComputePay(c.policy, c.shifts, c.extras, c.ps, c.pe);
    ASSERT_TRUE(res.ok()) << (res.error().fields.empty() ? res.error().message
                                                         : res.error().fields[0].field + ":" + res.error().fields[0].code);
    const Statement& st = res.value();
    ++checked;
    ++per_law[c.policy.law];
    with_ot += st.overtime_minutes > 0;
    with_dt += st.double_time_minutes > 0;
    // Minutes: regular + OT + DT == worked == the paid minutes inside the period.
    EXPECT_EQ(st.regular_minutes + st.overtime_minutes + st.double_time_minutes, st.worked_minutes);
    int64_t paid_in_period = 0;
    for (const WorkedShift& s : c.shifts) {
      auto t = ComputePaidTime(c.policy, s);
      ASSERT_TRUE(t.ok());
      for (const PaidInterval& iv : t->intervals)
        paid_in_period += std::max<int64_t>(0, (std::min(iv.end, c.pe) - std::max(iv.start, c.ps)) / 1min);
    }
    EXPECT_EQ(st.worked_minutes, paid_in_period);
    EXPECT_EQ(MinutesOf(st, "REG") + MinutesOf(st, "OT") + MinutesOf(st, "DT"), st.worked_minutes);
    EXPECT_EQ(MinutesOf(st, "OT"), st.overtime_minutes);
    // Money: gross is straight time + premiums + the items outside the rate; lines add up.
    EXPECT_EQ(st.gross, st.straight_time + st.overtime_premium + st.double_time_premium + st.holiday_premium +
                            st.discretionary_bonuses + st.cancellation_pay);
    int64_t sum = 0;
    for (const PayLine& l : st.lines) sum += l.amount.cents();
    EXPECT_EQ(sum, st.net_due.cents());
    EXPECT_EQ(SumLines(st, "OT_PREMIUM"), st.overtime_premium.cents());
    EXPECT_EQ(SumLines(st, "DT_PREMIUM"), st.double_time_premium.cents());
    // Traceability: each line cites an input ref or 0; refs are exactly the input shifts.
    std::set<int64_t> shift_refs, extra_refs, line_shift_refs;
    for (const WorkedShift& s : c.shifts) shift_refs.insert(s.ref);
    for (const Extra& e : c.extras) extra_refs.insert(e.ref);
    for (const PayLine& l : st.lines) {
      bool extra_line = l.code == "BONUS" || l.code == "BONUS_DISCRETIONARY" || l.code == "CANCEL" || l.code == "ADVANCE";
      if (extra_line) EXPECT_TRUE(extra_refs.count(l.ref)) << l.code;
      else if (l.ref != 0) {
        EXPECT_TRUE(shift_refs.count(l.ref)) << l.code;
        line_shift_refs.insert(l.ref);
      } else {
        EXPECT_TRUE(l.code == "OT_PREMIUM" || l.code == "DT_PREMIUM") << l.code;
      }
      EXPECT_FALSE(l.rule_id.empty());
      EXPECT_FALSE(l.explanation.empty());
    }
    EXPECT_EQ(std::vector<int64_t>(shift_refs.begin(), shift_refs.end()), st.refs);
    for (const WorkedShift& s : c.shifts) {
      auto t = ComputePaidTime(c.policy, s);
      bool pays_here = false;
      for (const PaidInterval& iv : t->intervals) pays_here = pays_here || (iv.end > c.ps && iv.start < c.pe);
      if (pays_here) {
        EXPECT_TRUE(line_shift_refs.count(s.ref)) << s.ref;
      }
    }
    // The reference model.
    RefResult ref = Reference(c.policy, c.shifts, c.extras, c.ps, c.pe);
    EXPECT_EQ(st.worked_minutes, ref.worked);
    EXPECT_EQ(st.regular_minutes, ref.reg);
    EXPECT_EQ(st.overtime_minutes, ref.ot);
    EXPECT_EQ(st.double_time_minutes, ref.dt);
    EXPECT_EQ(st.gross.cents(), ref.gross);
    if (::testing::Test::HasFailure()) {
      std::string dump = "period " + FormatInstant(c.ps) + " - " + FormatInstant(c.pe) + " zone " + c.policy.zone +
                         " week " + std::to_string(c.policy.workweek_start_weekday) + " workday " +
                         std::to_string(c.policy.workday_start_minute) + " rounding " +
                         std::string(RoundingName(c.policy.rounding)) + " auto_meal " + std::to_string(c.policy.auto_meal_deduction) +
                         " diffs " + std::to_string(c.policy.differentials.size()) + "\n";
      for (const WorkedShift& s : c.shifts)
        dump += "  shift " + std::to_string(s.ref) + " " + FormatInstant(s.start) + " - " + FormatInstant(s.end) + " rate " +
                s.base_rate.ToDecimalString() + " inc " + s.incentive.ToDecimalString() + " meals " + std::to_string(s.meals.size()) + "\n";
      dump += ref.units;
      for (const WorkweekSummary& w : st.weeks)
        dump += "engine week: T " + std::to_string(w.worked_minutes) + " reg " + std::to_string(w.regular_minutes) + " ot " +
                std::to_string(w.overtime_minutes) + " dt " + std::to_string(w.double_time_minutes) + " straight " +
                std::to_string(w.straight_time.cents()) + " holiday " + std::to_string(w.holiday_premium.cents()) + " ot$ " +
                std::to_string(w.overtime_premium.cents()) + " dt$ " + std::to_string(w.double_time_premium.cents()) + "\n";
      for (const PayLine& l : st.lines)
        dump += "  line " + std::to_string(l.ref) + " " + l.code + " " + l.rule_id + " " + std::to_string(l.minutes) + " " +
                l.amount.ToDecimalString() + " | " + l.explanation + "\n";
      ADD_FAILURE() << dump;
    }
    // Order independence.
    Case d = c;
    std::shuffle(d.shifts.begin(), d.shifts.end(), rng);
    std::shuffle(d.extras.begin(), d.extras.end(), rng);
    auto again = ComputePay(d.policy, d.shifts, d.extras, d.ps, d.pe);
    ASSERT_TRUE(again.ok());
    ASSERT_EQ(again->lines.size(), st.lines.size());
    for (size_t k = 0; k < st.lines.size(); ++k) {
      EXPECT_EQ(again->lines[k].ref, st.lines[k].ref);
      EXPECT_EQ(again->lines[k].code, st.lines[k].code);
      EXPECT_EQ(again->lines[k].amount, st.lines[k].amount);
      EXPECT_EQ(again->lines[k].minutes, st.lines[k].minutes);
      EXPECT_EQ(again->lines[k].explanation, st.lines[k].explanation);
    }
    EXPECT_EQ(again->gross, st.gross);
    // Refilling a Statement used for earlier (larger or smaller) cases gives the same result.
    ASSERT_TRUE(ComputePay(c.policy, c.shifts, c.extras, c.ps, c.pe, reused).ok());
    ASSERT_EQ(reused.lines.size(), st.lines.size());
    ASSERT_EQ(reused.weeks.size(), st.weeks.size());
    for (size_t k = 0; k < st.lines.size(); ++k) {
      EXPECT_EQ(reused.lines[k].ref, st.lines[k].ref);
      EXPECT_EQ(reused.lines[k].code, st.lines[k].code);
      EXPECT_EQ(reused.lines[k].rule_id, st.lines[k].rule_id);
      EXPECT_EQ(reused.lines[k].minutes, st.lines[k].minutes);
      EXPECT_EQ(reused.lines[k].rate, st.lines[k].rate);
      EXPECT_EQ(reused.lines[k].amount, st.lines[k].amount);
      EXPECT_EQ(reused.lines[k].explanation, st.lines[k].explanation);
      EXPECT_EQ(reused.lines[k].week_start, st.lines[k].week_start);
    }
    for (size_t k = 0; k < st.weeks.size(); ++k) {
      EXPECT_EQ(reused.weeks[k].overtime_premium, st.weeks[k].overtime_premium);
      EXPECT_EQ(reused.weeks[k].regular_rate, st.weeks[k].regular_rate);
      EXPECT_EQ(reused.weeks[k].worked_minutes, st.weeks[k].worked_minutes);
    }
    EXPECT_EQ(reused.refs, st.refs);
    EXPECT_EQ(reused.gross, st.gross);
    EXPECT_EQ(reused.net_due, st.net_due);
    EXPECT_EQ(reused.bonuses, st.bonuses);
    EXPECT_EQ(reused.differentials, st.differentials);
    EXPECT_EQ(reused.advances, st.advances);
    EXPECT_EQ(reused.worked_minutes, st.worked_minutes);
    // State law on top of the FLSA: never less than the FLSA alone for the same hours.
    if (c.policy.law != OvertimeLaw::kFlsaWeekly && c.policy.law != OvertimeLaw::kFlsa880) {
      Case f = c;
      f.policy.law = OvertimeLaw::kFlsaWeekly;
      for (WorkedShift& s : f.shifts) s.work_state = "IL";
      auto flsa = ComputePay(f.policy, f.shifts, f.extras, f.ps, f.pe);
      ASSERT_TRUE(flsa.ok());
      EXPECT_GE(st.overtime_minutes + st.double_time_minutes, flsa->overtime_minutes);
      EXPECT_GE(st.gross, flsa->gross);
    }
    if (::testing::Test::HasFailure()) break;  // one failing case is enough to read
  }
  EXPECT_EQ(checked, 3000);
  EXPECT_GT(with_ot, 300);  // the generator really exercises overtime...
  EXPECT_GT(with_dt, 20);   // ...and double time
  EXPECT_EQ(per_law.size(), 6u);
}

}  // namespace
}  // namespace openmso::payroll
