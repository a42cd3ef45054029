// The payroll rules engine (payroll.h): worked minutes are cut into pieces at every boundary
// that matters (workweek, workday, differential windows), classified regular / overtime /
// double time by the law's table row, and priced per workweek with exact rationals.
#include "domain/payroll/payroll.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include "domain/payroll/zone_offsets.h"

namespace openmso::payroll {
namespace {

using namespace std::string_view_literals;

using internal::FindZoneOffsets;
using internal::ZoneOffsets;
using i128 = __int128;

constexpr int64_t kDay = 1440;
// Money is computed in units of 1/600,000 cent: a rate in 1/10,000 cent per hour times a
// number of minutes. Every amount the engine forms is an integer in this unit, so sums are
// exact and each workweek rounds once (PAY-ROUND-CENTS).
constexpr int64_t kU = 600000;
constexpr int64_t kRateScale = 10000;  // rates in 1/10,000 cent per hour
constexpr size_t kMaxShifts = 5000, kMaxExtras = 5000;
constexpr int kMaxUnitsWeekly = 6, kMaxUnits880 = 3;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }
int64_t ToMin(Instant t) { return FloorDiv(ToUnixMillis(t), 60000); }
Instant FromMin(int64_t m) { return FromUnixMillis(m * 60000); }
int Weekday(int64_t day) { return static_cast<int>(FloorMod(day + 4, 7)); }  // 1970-01-01 was a Thursday; 0 = Sunday
// Howard Hinnant's days_from_civil inverse, inline: formatting runs once per pay line.
Date CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(static_cast<int64_t>(yoe) + era * 400 + (m <= 2)), m, d};
}
int64_t DaysFromCivil(const Date& date) {
  const int64_t y = static_cast<int64_t>(date.year) - (date.month <= 2);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned m = date.month;
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + date.day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}
bool ValidDate(const Date& d) {
  return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31 && d.year >= 1900 && d.year <= 9999 &&
         CivilFromDays(DaysFromCivil(d)) == d;
}
i128 RoundHalfUp(i128 num, i128 den) {  // REQUIRES: num >= 0, den > 0
  i128 q = num / den, r = num % den;
  return 2 * r >= den ? q + 1 : q;
}
int64_t RoundHalfUp64(int64_t num, int64_t den) {  // REQUIRES: num >= 0, den > 0
  int64_t q = num / den, r = num % den;
  return 2 * r >= den ? q + 1 : q;
}

// ---- Text for explanations ------------------------------------------------------------------
// A bounded writer on the stack: explanations are built once per pay line, so they are
// written without reallocation and copied into their string once. Text past kCap is dropped
// (explanations stay well under it).
class Text {
 public:
  [[gnu::always_inline]] Text& operator+=(std::string_view v) {
    size_t n = std::min(v.size(), kCap - n_);
    std::memcpy(buf_ + n_, v.data(), n);
    n_ += n;
    return *this;
  }
  [[gnu::always_inline]] Text& operator+=(char c) {
    if (n_ < kCap) buf_[n_++] = c;
    return *this;
  }
  void clear() { n_ = 0; }
  std::string_view view() const { return {buf_, n_}; }

 private:
  static constexpr size_t kCap = 768;
  char buf_[kCap];
  size_t n_ = 0;
};

void AppendInt(Text& s, int64_t v) {
  char buf[24];
  char* p = buf + sizeof buf;
  bool neg = v < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do { *--p = static_cast<char>('0' + u % 10); u /= 10; } while (u);
  if (neg) *--p = '-';
  s += std::string_view(p, static_cast<size_t>(buf + sizeof buf - p));
}
void Append2(Text& s, int64_t v) {
  s += static_cast<char>('0' + v / 10);
  s += static_cast<char>('0' + v % 10);
}
void AppendDuration(Text& s, int64_t minutes) {  // "12 h 30 min"
  if (minutes >= 60 || minutes == 0) {
    AppendInt(s, minutes / 60);
    s += " h"sv;
    if (minutes % 60) s += ' ';
  }
  if (minutes % 60) {
    AppendInt(s, minutes % 60);
    s += " min"sv;
  }
}
void AppendClock(Text& s, int64_t minutes) {  // "40:00" (elapsed hours:minutes)
  AppendInt(s, minutes / 60);
  s += ':';
  Append2(s, minutes % 60);
}
void AppendMoney(Text& s, int64_t cents) {  // "$2232.50", "-$3.07"
  if (cents < 0) {
    s += '-';
    cents = -cents;
  }
  s += '$';
  AppendInt(s, cents / 100);
  s += '.';
  s += static_cast<char>('0' + cents % 100 / 10);
  s += static_cast<char>('0' + cents % 10);
}
void AppendRate(Text& s, int64_t rate_x) {  // 1/10,000 cent per hour -> "$45.00/h"
  AppendMoney(s, RoundHalfUp64(rate_x, kRateScale));
  s += "/h"sv;
}
void AppendMinuteOfDay(Text& s, int64_t m) {
  Append2(s, m / 60);
  s += ':';
  Append2(s, m % 60);
}
constexpr const char* kWeekdayNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
void AppendLocal(Text& s, int64_t local) {  // "Mon 2025-10-27 00:00"
  int64_t day = FloorDiv(local, kDay);
  s += kWeekdayNames[Weekday(day)];
  s += ' ';
  Date d = CivilFromDays(day);
  Append2(s, d.year / 100);
  Append2(s, d.year % 100);
  s += '-';
  Append2(s, d.month);
  s += '-';
  Append2(s, d.day);
  s += ' ';
  AppendMinuteOfDay(s, FloorMod(local, kDay));
}
void AppendHours(Text& s, int64_t from, int64_t to) {  // "hours 41-48" / "from 40:00 to 48:30"
  if (from % 60 == 0 && to % 60 == 0) {
    s += to / 60 == from / 60 + 1 ? "hour "sv : "hours "sv;
    AppendInt(s, from / 60 + 1);
    if (to / 60 != from / 60 + 1) {
      s += '-';
      AppendInt(s, to / 60);
    }
  } else {
    s += "from "sv;
    AppendClock(s, from);
    s += " to "sv;
    AppendClock(s, to);
  }
}

// ---- Rounding and meals (PAY-ROUND-*, PAY-MEAL-*) -----------------------------------------
int64_t RoundMinute(ZoneOffsets* z, Instant t, Rounding r) {
  int64_t m = ToMin(t);  // PAY-ROUND-NONE: the minute of the punch
  if (r != Rounding::kQuarterHour7Min) return m;
  // PAY-ROUND-7MIN: on the local clock (a zone offset need not be a whole quarter hour).
  int off = z->OffsetAt(m);
  int64_t l = m + off, q = FloorMod(l, 15);
  l = q <= 7 ? l - q : l + 15 - q;
  return l - off;
}

struct Span {
  int64_t s, e;
};

struct ShiftTimes {
  int64_t s = 0, e = 0;  // rounded punches
  int64_t meal_minutes = 0;
  bool auto_meal = false;
};

// Appends the paid intervals of `sh` to `out`: the rounded punches minus the unpaid meals
// (PAY-MEAL-UNPAID). REQUIRES: the shift and policy validated.
ShiftTimes PaidIntervals(const PayPolicy& p, const WorkedShift& sh, ZoneOffsets* z, std::vector<Span>& out) {
  ShiftTimes t;
  t.s = RoundMinute(z, sh.start, p.rounding);
  t.e = std::max(t.s, RoundMinute(z, sh.end, p.rounding));
  std::array<Span, 8> small;
  std::vector<Span> big;
  Span* meals = small.data();
  size_t n = 0;
  if (sh.meals.size() > small.size()) {
    big.resize(sh.meals.size());
    meals = big.data();
  }
  for (const Meal& m : sh.meals) {
    if (m.interrupted) continue;                        // PAY-MEAL-INTERRUPTED: hours worked
    int64_t a = ToMin(m.start), b = ToMin(m.end);       // PAY-MEAL-NO-ROUNDING
    if (b - a < kMinUnpaidMealMinutes) continue;        // PAY-MEAL-SHORT: a paid rest break
    a = std::max(a, t.s);
    b = std::min(b, t.e);
    if (a < b) meals[n++] = {a, b};
  }
  if (p.auto_meal_deduction && sh.meals.empty() && t.e - t.s >= p.auto_meal_after_minutes) {
    int64_t a = t.s + (t.e - t.s) / 2 - p.auto_meal_minutes / 2;  // PAY-MEAL-AUTO
    a = std::max(a, t.s);
    int64_t b = std::min(a + p.auto_meal_minutes, t.e);
    if (a < b) {
      meals[n++] = {a, b};
      t.auto_meal = true;
    }
  }
  std::sort(meals, meals + n, [](const Span& x, const Span& y) { return x.s < y.s; });
  int64_t cur = t.s, paid = 0;
  for (size_t i = 0; i < n; ++i) {
    if (meals[i].s > cur) {
      out.push_back({cur, meals[i].s});
      paid += meals[i].s - cur;
    }
    cur = std::max(cur, meals[i].e);
  }
  if (cur < t.e) {
    out.push_back({cur, t.e});
    paid += t.e - cur;
  }
  t.meal_minutes = (t.e - t.s) - paid;
  return t;
}

// ---- Validation (PAY-INPUT-VALID) ------------------------------------------------------------
std::string Indexed(std::string_view base, size_t i) {
  std::string f(base);
  f += '[';
  f += std::to_string(i);
  f += ']';
  return f;
}

void ValidatePaidTimePolicy(const PayPolicy& p, FieldErrors& errs) {
  if (p.rounding != Rounding::kNone && p.rounding != Rounding::kQuarterHour7Min)
    errs.Add("rounding", "unknown", "Unknown rounding policy.");
  if (p.auto_meal_deduction) {
    if (p.auto_meal_minutes < kMinUnpaidMealMinutes || p.auto_meal_minutes > 120)
      errs.Add("auto_meal_minutes", "out_of_range", "The automatic meal lasts 20 to 120 minutes.");
    if (p.auto_meal_after_minutes < 0 || p.auto_meal_after_minutes > kMaxShiftMinutes)
      errs.Add("auto_meal_after_minutes", "out_of_range", "The automatic meal threshold is 0 to 1440 minutes.");
  }
}

// Validates one shift; returns its zone (nullptr when invalid). Field names are built only
// for errors ("shifts[3].end", or "shift.end" when index is npos).
constexpr size_t kMaxMealsPerShift = 16;
ZoneOffsets* ValidateShift(std::string_view base, size_t index, const WorkedShift& sh, FieldErrors& errs) {
  auto field = [&](std::string_view name) {
    std::string f = index == std::string_view::npos ? std::string(base) : Indexed(base, index);
    if (!name.empty()) {
      if (name[0] != '[') f += '.';
      f += name;
    }
    return f;
  };
  if (sh.ref <= 0) errs.Add(field("ref"), "not_positive", "The timesheet reference must be positive.");
  if (sh.facility_id <= 0) errs.Add(field("facility_id"), "not_positive", "The facility id must be positive.");
  if (sh.work_state.size() != 2 || sh.work_state[0] < 'A' || sh.work_state[0] > 'Z' || sh.work_state[1] < 'A' ||
      sh.work_state[1] > 'Z')
    errs.Add(field("work_state"), "invalid", "The work state is a two-letter code such as CA.");
  ZoneOffsets* z = FindZoneOffsets(sh.zone);
  if (!z) errs.Add(field("zone"), "invalid_time_zone", "Unknown IANA time zone.");
  if (sh.end <= sh.start)
    errs.Add(field("end"), "before_start", "The clock-out is not after the clock-in.");
  else if (sh.end - sh.start > std::chrono::minutes(kMaxShiftMinutes))
    errs.Add(field("end"), "too_long", "A shift lasts at most 24 hours; a longer one is a missed punch.");
  if (sh.base_rate.cents() <= 0)
    errs.Add(field("base_rate"), "not_positive", "The pay rate must be positive.");
  else if (sh.base_rate > kMaxRate)
    errs.Add(field("base_rate"), "too_large", "The pay rate is above $1,000 per hour.");
  if (sh.incentive.negative())
    errs.Add(field("incentive"), "negative", "The incentive cannot be negative.");
  else if (sh.incentive > kMaxAmount)
    errs.Add(field("incentive"), "too_large", "The incentive is above $1,000,000.");
  if (sh.meals.size() > kMaxMealsPerShift) {
    errs.Add(field("meals"), "too_many", "At most 16 meals per shift.");
    return z;
  }
  bool meals_ok = true;
  for (size_t j = 0; j < sh.meals.size(); ++j) {
    const Meal& m = sh.meals[j];
    if (m.end <= m.start) {
      errs.Add(Indexed(field("meals"), j) + ".end", "before_start", "The meal ends before it starts.");
      meals_ok = false;
    } else if (m.start < sh.start || m.end > sh.end) {
      errs.Add(Indexed(field("meals"), j), "outside_shift", "The meal is not inside the shift.");
      meals_ok = false;
    }
  }
  if (meals_ok) {
    for (size_t j = 0; j < sh.meals.size(); ++j)
      for (size_t k = j + 1; k < sh.meals.size(); ++k)
        if (sh.meals[j].start < sh.meals[k].end && sh.meals[k].start < sh.meals[j].end) {
          errs.Add(field("meals"), "overlap", "Two meals overlap.");
          return z;
        }
  }
  return z;
}

void ValidatePolicy(const PayPolicy& p, FieldErrors& errs) {
  int law = static_cast<int>(p.law);
  if (law < 0 || law > static_cast<int>(OvertimeLaw::kColorado)) errs.Add("law", "unknown", "Unknown overtime law.");
  if (!FindZoneOffsets(p.zone)) errs.Add("zone", "invalid_time_zone", "Unknown IANA time zone.");
  if (p.workweek_start_weekday < 0 || p.workweek_start_weekday > 6)
    errs.Add("workweek_start_weekday", "out_of_range", "The workweek starts on a weekday 0 (Sunday) to 6.");
  if (p.workweek_start_minute < 0 || p.workweek_start_minute >= kDay)
    errs.Add("workweek_start_minute", "out_of_range", "A minute of the day is 0 to 1439.");
  if (p.workday_start_minute < 0 || p.workday_start_minute >= kDay)
    errs.Add("workday_start_minute", "out_of_range", "A minute of the day is 0 to 1439.");
  ValidatePaidTimePolicy(p, errs);
  if (p.law == OvertimeLaw::kFlsa880) {
    if (!ValidDate(p.period_anchor)) errs.Add("period_anchor", "invalid_date", "The work period anchor is not a date.");
    if (!p.agreement_880_date)  // PAY-880-AGREEMENT
      errs.Add("agreement_880_date", "required", "8/80 needs the date of the employee's agreement.");
    else if (!ValidDate(*p.agreement_880_date))
      errs.Add("agreement_880_date", "invalid_date", "The agreement date is not a date.");
  }
  if (p.differentials.size() > static_cast<size_t>(kMaxDifferentials))
    errs.Add("differentials", "too_many", "At most 32 differentials.");
  for (size_t k = 0; k < p.differentials.size() && k < static_cast<size_t>(kMaxDifferentials); ++k) {
    const Differential& d = p.differentials[k];
    std::string f = Indexed("differentials", k);
    if (d.code.empty() || d.code.size() > 32)
      errs.Add(f + ".code", "required", "A differential needs a code of 1 to 32 characters.");
    for (size_t j = 0; j < k; ++j)
      if (!d.code.empty() && p.differentials[j].code == d.code) {
        errs.Add(f + ".code", "duplicate", "Two differentials have the same code.");
        break;
      }
    int kind = static_cast<int>(d.kind), type = static_cast<int>(d.amount_type), match = static_cast<int>(d.match);
    if (kind < 0 || kind > 2) errs.Add(f + ".kind", "unknown", "Unknown differential kind.");
    if (type < 0 || type > 1) errs.Add(f + ".amount_type", "unknown", "Unknown differential amount type.");
    if (match < 0 || match > 2) errs.Add(f + ".match", "unknown", "Unknown differential match.");
    bool percent = d.amount_type == Differential::Amount::kPercentBasisPoints;
    if (d.amount <= 0 || d.amount > (percent ? 20000 : kMaxRate.cents()))
      errs.Add(f + ".amount", "out_of_range", "A differential is 1 cent to $1,000 per hour, or 0.01 % to 200 %.");
    auto minute = [&](int v, const char* name) {
      if (v < 0 || v >= kDay) errs.Add(f + "." + name, "out_of_range", "A minute of the day is 0 to 1439.");
    };
    auto weekday = [&](int v, const char* name) {
      if (v < 0 || v > 6) errs.Add(f + "." + name, "out_of_range", "A weekday is 0 (Sunday) to 6.");
    };
    if (d.kind == Differential::Kind::kDailyWindow) {
      minute(d.window_start_minute, "window_start_minute");
      minute(d.window_end_minute, "window_end_minute");
    } else if (d.kind == Differential::Kind::kWeekend) {
      weekday(d.weekend_start_weekday, "weekend_start_weekday");
      weekday(d.weekend_end_weekday, "weekend_end_weekday");
      minute(d.weekend_start_minute, "weekend_start_minute");
      minute(d.weekend_end_minute, "weekend_end_minute");
    } else if (d.holiday_offset_minutes < -kDay || d.holiday_offset_minutes > kDay) {
      errs.Add(f + ".holiday_offset_minutes", "out_of_range", "The holiday window moves by at most a day.");
    }
  }
  for (size_t k = 0; k < p.holidays.size(); ++k)
    if (!ValidDate(p.holidays[k])) errs.Add(Indexed("holidays", k), "invalid_date", "Not a date.");
}

// ---- The engine -------------------------------------------------------------------------------
enum RuleKind : uint8_t { kRegular, kUnitRule, kDailyRule, kSeventhRule, kConsecutiveRule };

struct ShiftCtx {
  const WorkedShift* in;
  OvertimeLaw law;       // of its work state (PAY-LAW-MIXED); kFlsa880 for an 8/80 employee
  ZoneOffsets* zone;
  int64_t raw_s, raw_e;  // epoch milliseconds
  ShiftTimes times;
  int iv_begin, iv_end;  // its paid intervals in Scratch::intervals
  int64_t base_x;        // base rate, 1/10,000 cent per hour
  int diff_begin;        // its differential rates in Scratch::diff_x
  uint32_t ot_type_mask; // differentials that are overtime-type premiums for this shift
  bool daily_condition;  // the row's rate condition for daily overtime holds (Nevada)
  int incentive_unit;    // the unit that pays the incentive, or -1
  int seg_begin, seg_end;
};

struct Piece {
  int64_t s, e;
  int32_t shift, unit, workday;
  uint32_t mask;
};

struct Seg {
  int64_t s, e;
  int32_t shift, unit;
  uint32_t mask;
  uint8_t level;        // 0 regular, 1 overtime, 2 double time
  RuleKind rule;
  int64_t scope_start;  // the start of the counted scope (workday, 24 h window, run, unit)
  int64_t pos;          // minutes of the scope counted before this segment
};

// The exact amount of a pay line before its cents are known, in units of 1/600,000 cent;
// group 0 is straight time, 1 OT-type premiums, -1 lines priced already.
struct LineMoney {
  int64_t exact;
  int group;
  int part = 0;  // of straight time: 1 differential, 2 incentive or bonus
};

struct Scratch {
  std::vector<ShiftCtx> shifts;
  std::vector<size_t> order;
  std::vector<Span> intervals;
  std::vector<int64_t> unit_bounds, unit_days, unit_threshold, workday_bounds;
  std::vector<const OvertimeRule*> unit_rows;
  // law_rows[law * units + unit]: each law's row in effect for each unit, for the laws of the
  // statement's shifts and the federal weekly row (PAY-LAW-MIXED); unit_mixed[u]: the unit
  // holds work under more than one law.
  std::vector<const OvertimeRule*> law_rows;
  std::vector<uint8_t> unit_mixed;
  std::vector<int> unit_law;
  std::vector<Piece> pieces;
  std::vector<Seg> segs, segs2;
  std::vector<int64_t> diff_x, cuts;
  std::vector<uint8_t> workday_worked, seventh;
  std::vector<int64_t> holiday_days;
  std::vector<LineMoney> money;
  // Differential windows per facility zone, computed once per statement over its whole range
  // (zone_windows[z].windows[begin[d] .. begin[d + 1]) for differential d, by start).
  struct ZoneWindows {
    ZoneOffsets* zone;
    std::vector<Span> windows;
    std::vector<int> begin;
  };
  std::vector<ZoneWindows> zone_windows;
  size_t zone_windows_used = 0;
  std::vector<std::pair<int64_t, size_t>> refs;
  std::vector<size_t> extra_order;
  std::vector<std::string> unit_desc;
  struct LevelLine {
    uint8_t level;
    uint8_t rule;
    int64_t scope_start, from, to;
  };
  std::vector<LevelLine> level_lines;
};

// The unit (workweek, or 8/80 work period) that starts at or before `t`, as its start
// instant and local start day.
struct UnitStart {
  int64_t utc, day;
};
UnitStart UnitAtOrBefore(const PayPolicy& p, ZoneOffsets* z, int64_t t) {
  bool p880 = p.law == OvertimeLaw::kFlsa880;
  int64_t minute = p880 ? p.workday_start_minute : p.workweek_start_minute;
  int64_t step = p880 ? 14 : 7;
  int64_t d = FloorDiv(z->ToLocal(t) - minute, kDay);
  if (p880)
    d = DaysFromCivil(p.period_anchor) + FloorDiv(d - DaysFromCivil(p.period_anchor), 14) * 14;
  else
    d -= FloorMod(Weekday(d) - p.workweek_start_weekday, 7);
  int64_t u = z->LocalToUtc(d * kDay + minute);
  if (u > t) {
    d -= step;
    u = z->LocalToUtc(d * kDay + minute);
  }
  return {u, d};
}

// Windows of differential `d` (instants) that touch [s, e), appended to `out` in order of
// start. REQUIRES: `holidays` sorted and unique.
void AppendWindows(const Differential& d, ZoneOffsets* z, int64_t s, int64_t e, const std::vector<int64_t>& holidays,
                   std::vector<Span>& out) {
  int64_t ds = FloorDiv(z->ToLocal(s), kDay), de = FloorDiv(z->ToLocal(e), kDay);
  auto push = [&](int64_t ls, int64_t le) {
    int64_t a = z->LocalToUtc(ls), b = z->LocalToUtc(le);
    if (a < e && b > s && a < b) out.push_back({a, b});
  };
  switch (d.kind) {
    case Differential::Kind::kDailyWindow: {  // PAY-DIFF-WINDOW
      int64_t len = d.window_end_minute - d.window_start_minute;
      if (len <= 0) len += kDay;
      for (int64_t day = ds - 1; day <= de; ++day) push(day * kDay + d.window_start_minute, day * kDay + d.window_start_minute + len);
      break;
    }
    case Differential::Kind::kWeekend: {  // PAY-DIFF-WEEKEND
      int64_t len = FloorMod(d.weekend_end_weekday - d.weekend_start_weekday, 7) * kDay + d.weekend_end_minute -
                    d.weekend_start_minute;
      if (len <= 0) len += 7 * kDay;
      int64_t d0 = de - FloorMod(Weekday(de) - d.weekend_start_weekday, 7);
      int64_t first = d0 - ((d0 - (ds - 7)) / 7) * 7;  // the earliest start that can still reach s
      for (int64_t day = first; day <= d0; day += 7)
        push(day * kDay + d.weekend_start_minute, day * kDay + d.weekend_start_minute + len);
      break;
    }
    case Differential::Kind::kHoliday: {  // PAY-DIFF-HOLIDAY
      for (int64_t h : holidays)
        if (h >= ds - 2 && h <= de + 2) push(h * kDay + d.holiday_offset_minutes, (h + 1) * kDay + d.holiday_offset_minutes);
      break;
    }
  }
}

bool InWindows(const Span* w, int n, int64_t t) {
  for (int i = 0; i < n; ++i)
    if (w[i].s <= t && t < w[i].e) return true;
  return false;
}

// Step 1 for one piece: the daily-type rules (workday or rolling 24 h, seventh day,
// consecutive hours), each minute at the highest level any of them gives (PAY-NO-PYRAMID).
void EmitDaily(const Piece& p, const OvertimeRule& row, int64_t c1, int64_t c2, bool seventh, bool daily, int64_t day_start,
               int64_t run_start, std::vector<Seg>& out) {
  int64_t n = p.e - p.s;
  auto level_d = [&](int64_t pos) -> int {
    if (seventh) return pos < row.seventh_day_dt_minutes ? 1 : 2;
    if (!daily || row.daily_ot_minutes <= 0 || pos < row.daily_ot_minutes) return 0;
    return row.daily_dt_minutes > 0 && pos >= row.daily_dt_minutes ? 2 : 1;
  };
  auto level_c = [&](int64_t pos) -> int { return row.consecutive_ot_minutes > 0 && pos >= row.consecutive_ot_minutes; };
  std::array<int64_t, 6> cuts;
  size_t nc = 0;
  cuts[nc++] = 0;
  auto add = [&](int64_t x) {
    if (x > 0 && x < n) cuts[nc++] = x;
  };
  if (seventh) {
    add(row.seventh_day_dt_minutes - c1);
  } else if (daily && row.daily_ot_minutes > 0) {
    add(row.daily_ot_minutes - c1);
    if (row.daily_dt_minutes > 0) add(row.daily_dt_minutes - c1);
  }
  if (row.consecutive_ot_minutes > 0) add(row.consecutive_ot_minutes - c2);
  for (size_t i = 1; i < nc; ++i)  // insertion sort of at most five cuts
    for (size_t j = i; j > 0 && cuts[j - 1] > cuts[j]; --j) std::swap(cuts[j - 1], cuts[j]);
  cuts[nc] = n;
  for (size_t i = 0; i < nc; ++i) {
    int64_t x = cuts[i], y = cuts[i + 1];
    if (x >= y) continue;
    int ld = level_d(c1 + x), lc = level_c(c2 + x);
    Seg seg{p.s + x, p.s + y, p.shift, p.unit, p.mask, 0, kRegular, day_start, c1 + x};
    if (ld >= lc && ld > 0) {
      seg.level = static_cast<uint8_t>(ld);
      seg.rule = seventh ? kSeventhRule : kDailyRule;
    } else if (lc > ld) {
      seg.level = static_cast<uint8_t>(lc);
      seg.rule = kConsecutiveRule;
      seg.scope_start = run_start;
      seg.pos = c2 + x;
    }
    Seg* last = out.empty() ? nullptr : &out.back();
    if (last && last->e == seg.s && last->shift == seg.shift && last->unit == seg.unit && last->mask == seg.mask &&
        last->level == seg.level && last->rule == seg.rule && last->scope_start == seg.scope_start &&
        (seg.level == 0 || last->pos + (last->e - last->s) == seg.pos)) {
      last->e = seg.e;
    } else {
      out.push_back(seg);
    }
  }
}

// The versioned ids a row's lines cite, formatted once per thread and row.
struct RowIds {
  std::string row, unit, daily, seventh, consecutive, premium;
};
const RowIds& IdsOf(const OvertimeRule& row) {
  thread_local std::vector<std::pair<const OvertimeRule*, std::unique_ptr<RowIds>>> cache;
  for (const auto& [r, ids] : cache)
    if (r == &row) return *ids;
  auto ids = std::make_unique<RowIds>(RowIds{RuleVersion(row.id, row), RuleVersion(row.unit_rule_id, row),
                                             RuleVersion(row.daily_rule_id, row), RuleVersion(row.seventh_day_rule_id, row),
                                             RuleVersion(row.consecutive_rule_id, row), RuleVersion("PAY-OT-PREMIUM", row)});
  cache.emplace_back(&row, std::move(ids));
  return *cache.back().second;
}

// Hands out `total` cents over the lines of `group` so that each gets its exact amount
// rounded down or up and the rounded amounts add up to `total` (largest remainder; ties to
// the earlier line) (PAY-ROUND-CENTS).
void Apportion(std::vector<PayLine>& lines, const std::vector<LineMoney>& money, size_t from, int group, int64_t total) {
  struct Rem {
    int64_t rem;
    size_t line;
  };
  Rem small[64];  // uninitialized on purpose: this runs twice per workweek
  std::vector<Rem> big;
  size_t n = 0;
  for (size_t i = from; i < money.size(); ++i) {
    if (money[i].group != group) continue;
    int64_t fl = money[i].exact / kU;
    lines[i].amount = Money::Cents(fl);
    total -= fl;
    int64_t rem = money[i].exact % kU;
    if (rem == 0) continue;
    if (n < 64) {
      small[n++] = {rem, i};
    } else {
      if (big.empty()) big.assign(small, small + 64);
      big.push_back({rem, i});
      ++n;
    }
  }
  Rem* items = big.empty() ? small : big.data();
  if (total <= 0) return;
  if (static_cast<size_t>(total) < n) {
    auto by_remainder = [](const Rem& a, const Rem& b) { return a.rem != b.rem ? a.rem > b.rem : a.line < b.line; };
    std::nth_element(items, items + total, items + n, by_remainder);
    n = static_cast<size_t>(total);
  }
  for (size_t k = 0; k < n; ++k) lines[items[k].line].amount += Money::Cents(1);
}

// Rule ids of lines outside the jurisdiction table, as strings built once.
const std::string kRrIncludes = "PAY-RR-INCLUDES", kDiffWindow = "PAY-DIFF-WINDOW", kDiffWeekend = "PAY-DIFF-WEEKEND",
                  kDiffHoliday = "PAY-DIFF-HOLIDAY", kDiffOtCredit = "PAY-DIFF-OT-CREDIT";

// A unit's overtime threshold: the row's, and for a workweek never more than the federal
// weekly 40 h in effect that day (state law on top of the FLSA, PAY-NO-PYRAMID).
int64_t UnitThreshold(const OvertimeRule& row, Date on) {
  int64_t w = row.unit_threshold_minutes;
  if (row.unit_days == 7)
    if (const OvertimeRule* f = FindOvertimeRule(OvertimeLaw::kFlsaWeekly, on)) w = std::min<int64_t>(w, f->unit_threshold_minutes);
  return w;
}

struct Engine {
  const PayPolicy& p;
  ZoneOffsets* pz;  // the policy's zone
  Scratch& x;
  int64_t ps, pe;   // the period, epoch minutes
  size_t ndiff;
  std::vector<std::string>& unit_desc;  // "the workweek starting Mon 2025-10-27 00:00 (America/Chicago)"

  // The row of a unit; minutes before (-1) or after the period use the nearest unit's row.
  const OvertimeRule& RowOf(int unit) const {
    return *x.unit_rows[std::clamp(unit, 0, static_cast<int>(x.unit_rows.size()) - 1)];
  }
  // The row of a shift's own law for a unit: its daily-type rules apply to its minutes
  // (PAY-LAW-MIXED). Equal to RowOf(unit) when the whole statement is under one law.
  const OvertimeRule& ShiftRow(const ShiftCtx& c, int unit) const { return LawRow(c.law, unit); }
  // The row of `law` for a unit (one of the statement's laws or the federal weekly rule).
  const OvertimeRule& LawRow(OvertimeLaw law, int unit) const {
    int u = std::clamp(unit, 0, Units() - 1);
    return *x.law_rows[static_cast<size_t>(law) * static_cast<size_t>(Units()) + static_cast<size_t>(u)];
  }
  int UnitOf(int64_t t) const {
    auto it = std::upper_bound(x.unit_bounds.begin(), x.unit_bounds.end(), t);
    return static_cast<int>(it - x.unit_bounds.begin()) - 1;  // -1 before, units() at/after the end
  }
  int Units() const { return static_cast<int>(x.unit_bounds.size()) - 1; }
};

}  // namespace

Result<Instant> RoundPunch(Instant t, std::string_view zone, Rounding rounding) {
  ZoneOffsets* z = FindZoneOffsets(zone);
  if (!z) return Error::Invalid("zone", "invalid_time_zone", "Unknown IANA time zone.");
  if (rounding != Rounding::kNone && rounding != Rounding::kQuarterHour7Min)
    return Error::Invalid("rounding", "unknown", "Unknown rounding policy.");
  return FromMin(RoundMinute(z, t, rounding));
}

Result<PaidTime> ComputePaidTime(const PayPolicy& policy, const WorkedShift& shift) {
  FieldErrors errs;
  ValidatePaidTimePolicy(policy, errs);
  ZoneOffsets* z = ValidateShift("shift", std::string_view::npos, shift, errs);
  if (!errs.empty()) return errs.ToError();
  std::vector<Span> iv;
  ShiftTimes t = PaidIntervals(policy, shift, z, iv);
  PaidTime out;
  out.start = FromMin(t.s);
  out.end = FromMin(t.e);
  for (const Span& s : iv) {
    out.intervals.push_back({FromMin(s.s), FromMin(s.e)});
    out.paid_minutes += s.e - s.s;
  }
  out.meal_minutes = t.meal_minutes;
  out.auto_meal = t.auto_meal;
  return out;
}

Result<Statement> ComputePay(const PayPolicy& policy, std::span<const WorkedShift> shifts,
                             std::span<const Extra> extras, Instant period_start, Instant period_end) {
  Statement st;
  OPENMSO_TRY(ComputePay(policy, shifts, extras, period_start, period_end, st));
  return st;
}

Result<void> ComputePay(const PayPolicy& policy, std::span<const WorkedShift> shifts, std::span<const Extra> extras,
                        Instant period_start, Instant period_end, Statement& out) {
  thread_local Scratch scratch;
  Scratch& x = scratch;
  const PayPolicy& p = policy;
  FieldErrors errs;

  // ---- Validation (PAY-INPUT-VALID) ----
  ValidatePolicy(p, errs);
  if (period_end <= period_start) errs.Add("period_end", "before_start", "The period ends before it starts.");
  else if (period_end - period_start > std::chrono::hours(24 * 43))
    errs.Add("period_end", "too_long", "A pay period is at most six workweeks.");
  if (shifts.size() > kMaxShifts) errs.Add("shifts", "too_many", "At most 5,000 shifts per statement.");
  if (extras.size() > kMaxExtras) errs.Add("extras", "too_many", "At most 5,000 extras per statement.");
  if (!errs.empty()) return errs.ToError();

  x.shifts.clear();
  x.shifts.reserve(shifts.size());
  for (size_t i = 0; i < shifts.size(); ++i) {
    const WorkedShift& sh = shifts[i];
    ZoneOffsets* z = ValidateShift("shifts", i, sh, errs);
    if (sh.end <= period_start || sh.start >= period_end)
      errs.Add(Indexed("shifts", i), "outside_period", "The shift does not intersect the pay period.");
    ShiftCtx c{};
    c.in = &sh;
    c.zone = z;
    c.raw_s = ToUnixMillis(sh.start);
    c.raw_e = ToUnixMillis(sh.end);
    x.shifts.push_back(c);
  }
  for (size_t i = 0; i < extras.size(); ++i) {
    const Extra& e = extras[i];
    auto f = [&]() { return Indexed("extras", i); };
    if (e.ref <= 0) errs.Add(f() + ".ref", "not_positive", "The extra's reference must be positive.");
    int kind = static_cast<int>(e.kind);
    if (kind < 0 || kind > static_cast<int>(ExtraKind::kInstantPayAdvance))
      errs.Add(f() + ".kind", "unknown", "Unknown kind of extra.");
    if (e.amount.cents() <= 0) errs.Add(f() + ".amount", "not_positive", "The amount must be positive.");
    else if (e.amount > kMaxAmount) errs.Add(f() + ".amount", "too_large", "The amount is above $1,000,000.");
    if (e.kind == ExtraKind::kNonDiscretionaryBonus && (e.at < period_start || e.at >= period_end))
      errs.Add(f() + ".at", "outside_period", "A non-discretionary bonus belongs to a workweek of the period.");
  }
  // Duplicate refs (sorted copies: order-independent and O(n log n)).
  {
    std::vector<std::pair<int64_t, size_t>>& refs = x.refs;
    refs.clear();
    for (size_t i = 0; i < shifts.size(); ++i) refs.push_back({shifts[i].ref, i});
    std::sort(refs.begin(), refs.end());
    for (size_t k = 1; k < refs.size(); ++k)
      if (refs[k].first == refs[k - 1].first && refs[k].first > 0)
        errs.Add(Indexed("shifts", refs[k].second) + ".ref", "duplicate", "Two shifts have the same timesheet reference.");
    refs.clear();
    for (size_t i = 0; i < extras.size(); ++i) refs.push_back({extras[i].ref, i});
    std::sort(refs.begin(), refs.end());
    for (size_t k = 1; k < refs.size(); ++k)
      if (refs[k].first == refs[k - 1].first && refs[k].first > 0)
        errs.Add(Indexed("extras", refs[k].second) + ".ref", "duplicate", "Two extras have the same reference.");
  }
  if (!errs.empty()) return errs.ToError();

  // Chronological order (ties impossible once overlaps are excluded; ref for determinism).
  x.order.resize(shifts.size());
  for (size_t i = 0; i < shifts.size(); ++i) x.order[i] = i;
  std::sort(x.order.begin(), x.order.end(), [&](size_t a, size_t b) {
    return x.shifts[a].raw_s != x.shifts[b].raw_s ? x.shifts[a].raw_s < x.shifts[b].raw_s
                                                  : shifts[a].ref < shifts[b].ref;
  });
  for (size_t k = 1; k < x.order.size(); ++k) {
    const ShiftCtx& a = x.shifts[x.order[k - 1]];
    const ShiftCtx& b = x.shifts[x.order[k]];
    if (a.raw_e > b.raw_s) {
      std::string msg = Indexed("shifts", x.order[k - 1]) + " and " + Indexed("shifts", x.order[k]) + " overlap.";
      return Error::Invalid("shifts", "overlap", msg);
    }
  }

  ZoneOffsets* pz = FindZoneOffsets(p.zone);
  int64_t ps = ToMin(period_start), pe = ToMin(period_end);

  // ---- Units: workweeks (8/80: work periods) of the period (PAY-PERIOD-ALIGN) ----
  x.unit_bounds.clear();
  x.unit_days.clear();
  x.unit_rows.clear();
  x.unit_threshold.clear();
  {
    bool p880 = p.law == OvertimeLaw::kFlsa880;
    const char* code = p880 ? "not_work_period_start" : "not_workweek_start";
    UnitStart u = UnitAtOrBefore(p, pz, ps);
    if (u.utc != ps || ToUnixMillis(period_start) % 60000 != 0)
      return Error::Invalid("period_start", code, "The pay period must start where a workweek (8/80: a work period) starts.");
    if (p880 && *p.agreement_880_date > CivilFromDays(u.day))  // PAY-880-AGREEMENT
      return Error::Invalid("agreement_880_date", "after_period_start", "The 8/80 agreement must precede the work.");
    int64_t minute = p880 ? p.workday_start_minute : p.workweek_start_minute;
    int step = p880 ? 14 : 7;
    int max_units = p880 ? kMaxUnits880 : kMaxUnitsWeekly;
    int64_t t = u.utc, day = u.day;
    while (t < pe && static_cast<int>(x.unit_days.size()) <= max_units) {
      x.unit_bounds.push_back(t);
      x.unit_days.push_back(day);
      day += step;
      t = pz->LocalToUtc(day * kDay + minute);
    }
    if (static_cast<int>(x.unit_days.size()) > max_units)
      return Error::Invalid("period_end", "too_long", "A pay period is at most six workweeks (three 8/80 periods).");
    if (t != pe || ToUnixMillis(period_end) % 60000 != 0)
      return Error::Invalid("period_end", code, "The pay period must end where a workweek (8/80: a work period) starts.");
    x.unit_bounds.push_back(pe);
    for (int64_t d : x.unit_days) {
      Date on = CivilFromDays(d);
      const OvertimeRule* row = FindOvertimeRule(p.law, on);
      if (!row) return Error::Invalid("law", "no_rule_in_effect", "No overtime rule of this law is in effect on " + on.ToString() + ".");
      x.unit_rows.push_back(row);
      x.unit_threshold.push_back(UnitThreshold(*row, on));
    }
  }

  // ---- Law of each shift's state (PAY-LAW-BY-STATE) ----
  // The law of a state is the same on every date of the statement unless one of the state's
  // rows starts or ends within it; the common case is answered once per state.
  const Date first_day = CivilFromDays(FloorDiv(pz->ToLocal(ps), kDay) - 2);
  const Date last_day = CivilFromDays(FloorDiv(pz->ToLocal(pe), kDay) + 2);
  std::string_view known_state;
  OvertimeLaw known_law = OvertimeLaw::kFlsaWeekly;
  for (size_t i = 0; i < shifts.size(); ++i) {
    ShiftCtx& c = x.shifts[i];
    OvertimeLaw law;
    if (!known_state.empty() && shifts[i].work_state == known_state) {
      law = known_law;
    } else {
      Date on = CivilFromDays(FloorDiv(c.zone->ToLocal(ToMin(shifts[i].start)), kDay));
      law = LawForState(shifts[i].work_state, on);
      bool steady = LawForState(shifts[i].work_state, first_day) == law && on >= first_day && on <= last_day;
      for (const StateLaw& row : StateLaws())
        if (row.state == shifts[i].work_state)
          steady = steady && !(row.effective_from > first_day && row.effective_from <= last_day) &&
                   !(row.effective_to && *row.effective_to > first_day && *row.effective_to <= last_day);
      if (steady) {
        known_state = shifts[i].work_state;
        known_law = law;
      }
    }
    // PAY-LAW-MIXED: a workweek may hold work under several states' laws; 8/80 is an opt-in
    // that replaces the federal weekly rule, so it covers work in flsa_weekly states only.
    if (p.law == OvertimeLaw::kFlsa880) {
      if (law != OvertimeLaw::kFlsaWeekly)
        errs.Add(Indexed("shifts", i) + ".work_state", "law_mismatch",
                 "An 8/80 employee's work must be in a state under the federal weekly rule, not " +
                     std::string(OvertimeLawName(law)) + ".");
      law = OvertimeLaw::kFlsa880;
    }
    c.law = law;
  }
  if (!errs.empty()) return errs.ToError();
  // Each used law's row per unit (the policy's law is the unit rows already).
  {
    const size_t nu = x.unit_rows.size();
    constexpr size_t kLaws = static_cast<size_t>(OvertimeLaw::kColorado) + 1;
    x.law_rows.assign(kLaws * nu, nullptr);
    uint32_t used = 1u << static_cast<int>(OvertimeLaw::kFlsaWeekly);
    for (const ShiftCtx& c : x.shifts) used |= 1u << static_cast<int>(c.law);
    for (size_t l = 0; l < kLaws; ++l) {
      if (!(used >> l & 1u) && l != static_cast<size_t>(p.law)) continue;
      for (size_t u = 0; u < nu; ++u) {
        const OvertimeRule* row = l == static_cast<size_t>(p.law)
                                      ? x.unit_rows[u]
                                      : FindOvertimeRule(static_cast<OvertimeLaw>(l), CivilFromDays(x.unit_days[u]));
        if (!row)
          return Error::Invalid("shifts", "no_rule_in_effect",
                                "No " + std::string(OvertimeLawName(static_cast<OvertimeLaw>(l))) +
                                    " overtime rule is in effect on " + CivilFromDays(x.unit_days[u]).ToString() + ".");
        x.law_rows[l * nu + u] = row;
      }
    }
  }

  Engine eng{p, pz, x, ps, pe, std::min<size_t>(p.differentials.size(), kMaxDifferentials), x.unit_desc};
  const size_t ndiff = eng.ndiff;
  const int units = eng.Units();
  x.holiday_days.clear();
  for (const Date& d : p.holidays) x.holiday_days.push_back(DaysFromCivil(d));
  std::sort(x.holiday_days.begin(), x.holiday_days.end());
  x.holiday_days.erase(std::unique(x.holiday_days.begin(), x.holiday_days.end()), x.holiday_days.end());
  x.zone_windows_used = 0;

  // ---- Paid intervals, rates ----
  x.intervals.clear();
  x.diff_x.clear();
  int64_t lo = ps, hi = pe;
  for (size_t k = 0; k < x.order.size(); ++k) {
    ShiftCtx& c = x.shifts[x.order[k]];
    const WorkedShift& sh = *c.in;
    c.iv_begin = static_cast<int>(x.intervals.size());
    c.times = PaidIntervals(p, sh, c.zone, x.intervals);
    c.iv_end = static_cast<int>(x.intervals.size());
    lo = std::min(lo, c.times.s);
    hi = std::max(hi, c.times.e);
    c.base_x = sh.base_rate.cents() * kRateScale;
    c.diff_begin = static_cast<int>(x.diff_x.size());
    c.ot_type_mask = 0;
    int unit = eng.UnitOf(c.iv_begin < c.iv_end ? x.intervals[c.iv_begin].s : c.times.s);
    const OvertimeRule& row = eng.ShiftRow(c, unit);
    for (size_t d = 0; d < ndiff; ++d) {
      const Differential& df = p.differentials[d];
      int64_t dx = df.amount_type == Differential::Amount::kPercentBasisPoints ? sh.base_rate.cents() * df.amount
                                                                              : df.amount * kRateScale;
      x.diff_x.push_back(dx);
      // PAY-DIFF-OT-CREDIT: a weekend/holiday premium of at least (multiplier - 1) x base.
      if (df.kind != Differential::Kind::kDailyWindow && dx >= sh.base_rate.cents() * (row.ot_multiplier_bp - 10000))
        c.ot_type_mask |= 1u << d;
    }
    c.incentive_unit = (unit >= 0 && unit < units && sh.incentive.cents() > 0) ? unit : -1;
    c.daily_condition = true;
    if (row.daily_rate_condition_bp > 0) {  // Nevada: the row of the shift's own date
      Date on = CivilFromDays(FloorDiv(c.zone->ToLocal(c.times.s), kDay));
      const OvertimeRule* r = FindOvertimeRule(c.law, on);
      if (!r) r = &row;
      c.daily_condition = static_cast<i128>(sh.base_rate.cents()) * 10000 <
                          static_cast<i128>(r->minimum_wage.cents()) * r->daily_rate_condition_bp;
    }
  }

  // ---- Workday boundaries (policy zone), covering every shift ----
  x.workday_bounds.clear();
  {
    int64_t wm = p.workday_start_minute;
    int64_t d = FloorDiv(pz->ToLocal(lo) - wm, kDay);
    if (pz->LocalToUtc(d * kDay + wm) > lo) --d;
    for (;; ++d) {
      int64_t t = pz->LocalToUtc(d * kDay + wm);
      if (x.workday_bounds.empty() || t > x.workday_bounds.back()) x.workday_bounds.push_back(t);
      if (t > hi) break;
    }
  }

  // ---- Pieces: paid intervals cut at every boundary (PAY-WEEK-SPLIT, PAY-DST-BOUNDARY) ----
  x.pieces.clear();
  int unit_cursor = 0;  // the last unit starting at or before the current piece (units = after the period)
  int32_t wd_cursor = 0;  // the last workday starting at or before it (workday_bounds[0] <= every shift)
  for (size_t k = 0; k < x.order.size(); ++k) {
    int si = static_cast<int>(x.order[k]);
    ShiftCtx& c = x.shifts[si];
    int64_t s = c.times.s, e = c.times.e;
    x.cuts.clear();
    for (int64_t b : x.unit_bounds)
      if (b > s && b < e) x.cuts.push_back(b);
    auto wb = std::upper_bound(x.workday_bounds.begin(), x.workday_bounds.end(), s);
    for (; wb != x.workday_bounds.end() && *wb < e; ++wb) x.cuts.push_back(*wb);
    // This shift's windows: a slice of its zone's list per differential.
    Scratch::ZoneWindows* zw = nullptr;
    for (size_t z = 0; z < x.zone_windows_used; ++z)
      if (x.zone_windows[z].zone == c.zone) zw = &x.zone_windows[z];
    if (!zw && ndiff > 0) {
      if (x.zone_windows.size() == x.zone_windows_used) x.zone_windows.emplace_back();
      zw = &x.zone_windows[x.zone_windows_used++];
      zw->zone = c.zone;
      zw->windows.clear();
      zw->begin.assign(ndiff + 1, 0);
      for (size_t d = 0; d < ndiff; ++d) {
        zw->begin[d] = static_cast<int>(zw->windows.size());
        AppendWindows(p.differentials[d], c.zone, lo, hi, x.holiday_days, zw->windows);
      }
      zw->begin[ndiff] = static_cast<int>(zw->windows.size());
    }
    std::array<const Span*, kMaxDifferentials> win;
    std::array<int, kMaxDifferentials> nwin;
    for (size_t d = 0; d < ndiff; ++d) {
      const Span* w0 = zw->windows.data() + zw->begin[d];
      const Span* w1 = zw->windows.data() + zw->begin[d + 1];
      // Windows last at most a week: skip those that start more than a week before s.
      const Span* a = std::lower_bound(w0, w1, s - 7 * kDay - 1, [](const Span& w, int64_t t) { return w.s < t; });
      while (a < w1 && a->e <= s) ++a;
      const Span* b = a;
      while (b < w1 && b->s < e) ++b;
      win[d] = a;
      nwin[d] = static_cast<int>(b - a);
      for (const Span* w = a; w < b; ++w) {
        if (w->s > s && w->s < e) x.cuts.push_back(w->s);
        if (w->e > s && w->e < e) x.cuts.push_back(w->e);
      }
    }
    std::sort(x.cuts.begin(), x.cuts.end());
    size_t first_piece = x.pieces.size();
    for (int iv = c.iv_begin; iv < c.iv_end; ++iv) {
      int64_t a = x.intervals[iv].s, b = x.intervals[iv].e;
      auto it = std::upper_bound(x.cuts.begin(), x.cuts.end(), a);
      while (a < b) {
        int64_t m = (it != x.cuts.end() && *it < b) ? *it++ : b;
        if (m > a) {
          // Pieces come in time order: the unit and workday cursors only move forward.
          while (unit_cursor < units && x.unit_bounds[unit_cursor + 1] <= a) ++unit_cursor;
          while (wd_cursor + 1 < static_cast<int>(x.workday_bounds.size()) && x.workday_bounds[wd_cursor + 1] <= a) ++wd_cursor;
          int unit = a < x.unit_bounds[0] ? -1 : unit_cursor;
          if (unit < units)  // minutes after the period belong to the next statement
            x.pieces.push_back({a, m, si, unit, wd_cursor, 0});
        }
        a = m;
      }
    }
    // Differential membership (PAY-DIFF-*); stacking: every one that applies (PAY-DIFF-STACK).
    int64_t paid = 0;
    for (int iv = c.iv_begin; iv < c.iv_end; ++iv) paid += x.intervals[iv].e - x.intervals[iv].s;
    for (size_t d = 0; d < ndiff; ++d) {
      const Span* w = win[d];
      int nw = nwin[d];
      if (nw == 0) continue;
      uint32_t bit = 1u << d;
      switch (p.differentials[d].match) {
        case Differential::Match::kHoursInWindow:
          for (size_t q = first_piece; q < x.pieces.size(); ++q)
            if (InWindows(w, nw, x.pieces[q].s)) x.pieces[q].mask |= bit;
          break;
        case Differential::Match::kWholeShiftIfMajority: {
          // Majority over the whole shift's paid minutes (those of other periods included).
          int64_t in = 0;
          for (int iv = c.iv_begin; iv < c.iv_end; ++iv)
            for (int j = 0; j < nw; ++j)
              in += std::max<int64_t>(0, std::min(x.intervals[iv].e, w[j].e) - std::max(x.intervals[iv].s, w[j].s));
          if (2 * in > paid)
            for (size_t q = first_piece; q < x.pieces.size(); ++q) x.pieces[q].mask |= bit;
          break;
        }
        case Differential::Match::kShiftStart:
          if (InWindows(w, nw, s))
            for (size_t q = first_piece; q < x.pieces.size(); ++q) x.pieces[q].mask |= bit;
          break;
      }
    }
  }

  // ---- The law of each unit (PAY-LAW-MIXED) ----
  // A unit worked under one law keeps that law's row; a unit with work under several laws
  // is counted by the federal weekly rule (every weekly threshold is 40 h, and straight
  // minutes over it are overtime whatever the state: daily overtime is not counted again,
  // 29 CFR 778.202(c)), while each minute keeps its own state's daily-type rules.
  x.unit_mixed.assign(units, 0);
  x.unit_law.assign(units, -1);
  for (const Piece& q : x.pieces) {
    if (q.unit < 0) continue;
    int l = static_cast<int>(x.shifts[q.shift].law);
    int& ul = x.unit_law[q.unit];
    ul = ul == -1 || ul == l ? l : -2;
  }
  for (int u = 0; u < units; ++u) {
    int ul = x.unit_law[u];
    if (ul == -1 || ul == static_cast<int>(p.law)) continue;
    if (ul == -2) x.unit_mixed[u] = 1;
    OvertimeLaw l = ul == -2 ? OvertimeLaw::kFlsaWeekly : static_cast<OvertimeLaw>(ul);
    const OvertimeRule& row = eng.LawRow(l, u);
    x.unit_rows[u] = &row;
    x.unit_threshold[u] = UnitThreshold(row, CivilFromDays(x.unit_days[u]));
  }
  bool any_rolling = false;
  for (const ShiftCtx& c : x.shifts) any_rolling = any_rolling || eng.ShiftRow(c, 0).rolling_day;

  // ---- Seventh consecutive workday of each workweek (PAY-OT-CA-SEVENTH-DAY) ----
  // Marked when every workday of the week was worked (under any law); only the minutes of a
  // law with the rule get its levels.
  x.seventh.assign(x.workday_bounds.size(), 0);
  {
    x.workday_worked.assign(x.workday_bounds.size(), 0);
    for (const Piece& q : x.pieces) x.workday_worked[q.workday] = 1;
    for (int u = 0; u < units; ++u) {
      bool has_rule = false;
      for (const ShiftCtx& c : x.shifts) has_rule = has_rule || eng.ShiftRow(c, u).seventh_day;
      if (!has_rule) continue;
      auto b = std::lower_bound(x.workday_bounds.begin(), x.workday_bounds.end(), x.unit_bounds[u]) - x.workday_bounds.begin();
      auto e = std::lower_bound(x.workday_bounds.begin(), x.workday_bounds.end(), x.unit_bounds[u + 1]) - x.workday_bounds.begin();
      if (e - b != 7) continue;
      bool all = true;
      for (auto w = b; w < e; ++w) all = all && x.workday_worked[w];
      if (all) x.seventh[e - 1] = 1;
    }
  }

  // ---- Step 1: daily-type rules, chronologically (context minutes count, are not paid) ----
  // Every minute counts toward every day-type scope (hours for one employer add up); each
  // minute is classified by the rules of its own shift's law (PAY-LAW-MIXED).
  x.segs.clear();
  {
    int32_t cur_wd = -1;
    int64_t c_wd = 0, c_roll = 0, win_start = 0, win_end = INT64_MIN, run = 0, run_start = 0, last_end = INT64_MIN;
    int32_t last_shift = -1;
    for (const Piece& q : x.pieces) {
      const OvertimeRule& row = eng.ShiftRow(x.shifts[q.shift], q.unit);
      // PAY-OT-CO-CONSECUTIVE: a run continues over a meal of the same shift or a shift that
      // starts where the previous one ended; meal minutes are not counted.
      if (!(q.s == last_end || q.shift == last_shift)) {
        run = 0;
        run_start = q.s;
      }
      last_end = q.e;
      last_shift = q.shift;
      if (q.workday != cur_wd) {
        cur_wd = q.workday;
        c_wd = 0;
      }
      bool daily = x.shifts[q.shift].daily_condition;
      bool seventh = x.seventh[q.workday] && q.unit >= 0 && row.seventh_day;
      std::vector<Seg>& out = x.segs;
      size_t before = out.size();
      if (any_rolling) {  // PAY-OT-NV-DAILY: the 24 h that begin when work begins
        int64_t a = q.s;
        while (a < q.e) {
          if (a >= win_end) {
            win_start = a;
            win_end = a + kDay;
            c_roll = 0;
          }
          int64_t b = std::min(q.e, win_end);
          Piece part = q;
          part.s = a;
          part.e = b;
          if (row.rolling_day) EmitDaily(part, row, c_roll, run, false, daily, win_start, run_start, out);
          else EmitDaily(part, row, c_wd, run, seventh, daily, x.workday_bounds[q.workday], run_start, out);
          c_roll += b - a;
          c_wd += b - a;
          run += b - a;
          a = b;
        }
      } else {
        EmitDaily(q, row, c_wd, run, seventh, daily, x.workday_bounds[q.workday], run_start, out);
        c_wd += q.e - q.s;
        run += q.e - q.s;
      }
      if (q.unit < 0) out.resize(before);  // before the period: counted above, paid elsewhere
    }
  }

  // ---- Step 2: straight minutes over the unit threshold (weekly 40 / 8-80 period 80) ----
  x.segs2.clear();
  {
    int cur = -1;
    int64_t c = 0, w = 0;
    for (const Seg& g : x.segs) {
      if (g.unit != cur) {
        cur = g.unit;
        c = 0;
        w = x.unit_threshold[cur];
      }
      if (g.level != 0) {
        x.segs2.push_back(g);
        continue;
      }
      int64_t n = g.e - g.s, cut = std::clamp<int64_t>(w - c, 0, n);
      if (cut > 0) {
        Seg a = g;
        a.e = g.s + cut;
        x.segs2.push_back(a);
      }
      if (cut < n) {
        Seg b = g;
        b.s = g.s + cut;
        b.level = 1;
        b.rule = kUnitRule;
        b.scope_start = x.unit_bounds[cur];
        b.pos = c + cut;
        Seg* last = x.segs2.empty() ? nullptr : &x.segs2.back();
        if (last && last->rule == kUnitRule && last->e == b.s && last->shift == b.shift && last->mask == b.mask &&
            last->unit == b.unit)
          last->e = b.e;
        else
          x.segs2.push_back(b);
      }
      c += n;
    }
  }
  for (ShiftCtx& c : x.shifts) c.seg_begin = c.seg_end = 0;
  for (size_t k = 0; k < x.segs2.size(); ++k) {
    ShiftCtx& c = x.shifts[x.segs2[k].shift];
    if (c.seg_begin == c.seg_end) c.seg_begin = static_cast<int>(k);
    c.seg_end = static_cast<int>(k) + 1;
  }

  // ---- Pricing and lines, one unit at a time ----
  // `out` is refilled in place: its lines and their strings keep their memory from the last
  // statement (a pay run reuses one Statement for every employee).
  Statement& st = out;
  std::vector<PayLine>& lines = st.lines;
  size_t nlines = 0;
  auto new_line = [&]() -> PayLine& {  // every string is assigned by the caller; numbers start at 0
    PayLine& l = nlines < lines.size() ? lines[nlines] : lines.emplace_back();
    ++nlines;
    l.ref = l.minutes = 0;
    l.rate = l.amount = Money();
    return l;
  };
  st.worked_minutes = st.regular_minutes = st.overtime_minutes = st.double_time_minutes = 0;
  st.straight_time = st.differentials = st.bonuses = st.overtime_premium = st.double_time_premium = Money();
  st.holiday_premium = st.discretionary_bonuses = st.cancellation_pay = st.gross = st.advances = st.net_due = Money();
  size_t nweeks = 0;
  st.refs.clear();
  for (const WorkedShift& sh : shifts) st.refs.push_back(sh.ref);
  std::sort(st.refs.begin(), st.refs.end());
  // The laws whose rules classified the minutes (PAY-LAW-MIXED), in enum order.
  st.laws.clear();
  {
    uint32_t used = 0;
    for (const ShiftCtx& c : x.shifts) used |= 1u << static_cast<int>(c.law);
    if (used == 0) used = 1u << static_cast<int>(p.law);
    for (int l = 0; l <= static_cast<int>(OvertimeLaw::kColorado); ++l)
      if (used >> l & 1u) st.laws.push_back(static_cast<OvertimeLaw>(l));
  }
  std::vector<size_t>& extra_order = x.extra_order;
  extra_order.resize(extras.size());
  for (size_t i = 0; i < extras.size(); ++i) extra_order[i] = i;
  std::sort(extra_order.begin(), extra_order.end(), [&](size_t a, size_t b) {
    return extras[a].at != extras[b].at ? extras[a].at < extras[b].at : extras[a].ref < extras[b].ref;
  });

  std::vector<LineMoney>& money = x.money;
  money.clear();
  // About three lines per shift; growing a fresh statement's vector step by step costs more.
  lines.reserve(x.shifts.size() * 4 + extras.size() + 2 * static_cast<size_t>(units));
  st.weeks.reserve(static_cast<size_t>(units));
  eng.unit_desc.resize(units);
  bool p880 = p.law == OvertimeLaw::kFlsa880;
  for (int u = 0; u < units; ++u) {
    Text d;
    d += p880 ? "the 14-day work period starting "sv : "the workweek starting "sv;
    AppendLocal(d, x.unit_days[u] * kDay + (p880 ? p.workday_start_minute : p.workweek_start_minute));
    d += " ("sv;
    d += p.zone;
    d += ')';
    eng.unit_desc[u].assign(d.view());
  }

  std::array<int64_t, kMaxDifferentials> diff_min;
  using LevelLine = Scratch::LevelLine;
  std::vector<LevelLine>& level_lines = x.level_lines;

  for (int u = 0; u < units; ++u) {
    const OvertimeRule& row = *x.unit_rows[u];
    const RowIds& ids = IdsOf(row);
    const Instant week_start = FromMin(x.unit_bounds[u]);
    const std::string& udesc = eng.unit_desc[u];
    const size_t unit_first = nlines;
    int64_t T = 0, reg_total = 0, ot_total = 0, dt_total = 0;
    i128 s_hours = 0, s_bonus = 0, h_total = 0;

    auto add_line = [&](int64_t ref, std::string_view code, std::string_view code_suffix, const std::string& rule_id,
                        int64_t minutes, int64_t rate_x, int64_t exact, int group, const Text& expl, int part = 0) {
      PayLine& l = new_line();
      l.ref = ref;
      l.code.assign(code);
      l.code.append(code_suffix);
      l.rule_id = rule_id;
      l.minutes = minutes;
      l.rate = Money::Cents(RoundHalfUp64(rate_x, kRateScale));
      l.explanation.assign(expl.view());
      l.week_start = week_start;
      money.push_back({exact, group, part});
    };

    for (size_t k = 0; k < x.order.size(); ++k) {
      int si = static_cast<int>(x.order[k]);
      ShiftCtx& c = x.shifts[si];
      const WorkedShift& sh = *c.in;
      // This shift's segments in unit u (contiguous: chronological, units ascending).
      int b = c.seg_begin, e = c.seg_end;
      while (b < e && x.segs2[b].unit < u) ++b;
      int f = b;
      while (f < e && x.segs2[f].unit == u) ++f;
      bool empty_here = b == f;
      bool zero_shift = c.seg_begin == c.seg_end && eng.UnitOf(c.times.s) == u;  // no paid minute in the period
      if (empty_here && c.incentive_unit != u && !zero_shift) continue;
      // The shift's own law cites its daily-type lines (PAY-LAW-MIXED); the unit's row, the
      // weekly ones.
      const OvertimeRule& srow = eng.ShiftRow(c, u);
      const RowIds& sids = IdsOf(srow);

      int64_t reg = 0;
      level_lines.clear();
      std::fill(diff_min.begin(), diff_min.begin() + ndiff, 0);
      for (int g = b; g < f; ++g) {
        const Seg& sg = x.segs2[g];
        int64_t n = sg.e - sg.s;
        if (sg.level == 0) {
          reg += n;
        } else {
          LevelLine* ll = nullptr;
          for (LevelLine& l : level_lines)
            if (l.level == sg.level && l.rule == sg.rule && l.scope_start == sg.scope_start && l.to == sg.pos) ll = &l;
          if (ll) ll->to += n;
          else level_lines.push_back({sg.level, sg.rule, sg.scope_start, sg.pos, sg.pos + n});
        }
        for (uint32_t m = sg.mask; m; m &= m - 1) diff_min[__builtin_ctz(m)] += n;
      }
      // REG: the minutes within every threshold of the law.
      if (reg > 0 || (empty_here && zero_shift)) {
        Text ex;
        AppendDuration(ex, reg);
        ex += " regular at "sv;
        AppendRate(ex, c.base_x);
        ex += " in "sv;
        ex += udesc;
        if (empty_here) {
          ex.clear();
          ex += "no paid minutes in the period after rounding and meals (PAY-ROUND-*, PAY-MEAL-*)"sv;
        }
        add_line(sh.ref, "REG"sv, {}, sids.row, reg, c.base_x, reg * c.base_x, 0, ex);
        s_hours += static_cast<i128>(reg) * c.base_x;
        reg_total += reg;
        T += reg;
      }
      // OT / DT: which rule produced which hours.
      for (const LevelLine& l : level_lines) {
        int64_t n = l.to - l.from;
        const std::string* rid = &sids.row;
        Text ex;
        AppendDuration(ex, n);
        ex += l.level == 2 ? " double time (2x): "sv : " overtime (1.5x): "sv;
        switch (static_cast<RuleKind>(l.rule)) {
          case kUnitRule:
            rid = &ids.unit;
            AppendHours(ex, l.from, l.to);
            ex += row.unit_days == 14 ? " of " : (row.daily_ot_minutes > 0 || row.consecutive_ot_minutes > 0 || x.unit_mixed[u] ? " of the straight hours of " : " of ");
            ex += udesc;
            ex += ", over "sv;
            AppendInt(ex, x.unit_threshold[u] / 60);
            ex += " h"sv;
            if (row.daily_ot_minutes > 0) ex += " (daily overtime not counted again)"sv;
            if (x.unit_mixed[u]) ex += " (work under several states' laws; state daily overtime not counted again: PAY-LAW-MIXED)"sv;
            break;
          case kDailyRule:
            rid = &sids.daily;
            AppendHours(ex, l.from, l.to);
            ex += srow.rolling_day ? " of the 24 hours from the start of work at "sv : " of the workday starting "sv;
            AppendLocal(ex, pz->ToLocal(l.scope_start));
            ex += ", over "sv;
            AppendInt(ex, (l.level == 2 ? srow.daily_dt_minutes : srow.daily_ot_minutes) / 60);
            ex += " h"sv;
            if (srow.daily_rate_condition_bp > 0) {
              ex += " (base rate below 1.5 x the minimum wage "sv;
              AppendMoney(ex, srow.minimum_wage.cents());
              ex += ')';
            }
            break;
          case kSeventhRule:
            rid = &sids.seventh;
            AppendHours(ex, l.from, l.to);
            ex += " of the seventh consecutive workday of "sv;
            ex += udesc;
            ex += " (workday starting "sv;
            AppendLocal(ex, pz->ToLocal(l.scope_start));
            ex += l.level == 2 ? "), beyond its first "sv : "), within its first "sv;
            AppendInt(ex, srow.seventh_day_dt_minutes / 60);
            ex += " h"sv;
            break;
          case kConsecutiveRule:
            rid = &sids.consecutive;
            AppendHours(ex, l.from, l.to);
            ex += " of consecutive work starting "sv;
            AppendLocal(ex, pz->ToLocal(l.scope_start));
            ex += ", over "sv;
            AppendInt(ex, srow.consecutive_ot_minutes / 60);
            ex += " consecutive hours"sv;
            break;
          case kRegular:
            break;
        }
        ex += "; paid here at the straight rate "sv;
        AppendRate(ex, c.base_x);
        ex += l.level == 2 ? ", the premium is on DT_PREMIUM"sv : ", the premium is on OT_PREMIUM"sv;
        add_line(sh.ref, l.level == 2 ? "DT"sv : "OT"sv, {}, *rid, n, c.base_x, n * c.base_x, 0, ex);
        s_hours += static_cast<i128>(n) * c.base_x;
        T += n;
        (l.level == 2 ? dt_total : ot_total) += n;
      }
      // Differentials: in the regular rate, or an OT-type premium outside it.
      for (int pass = 0; pass < 2; ++pass) {
        for (size_t d = 0; d < ndiff; ++d) {
          if (diff_min[d] == 0) continue;
          bool ot_type = c.ot_type_mask >> d & 1u;
          if (ot_type != (pass == 1)) continue;
          const Differential& df = p.differentials[d];
          int64_t dx = x.diff_x[c.diff_begin + d];
          Text ex;
          AppendDuration(ex, diff_min[d]);
          switch (df.kind) {
            case Differential::Kind::kDailyWindow:
              ex += " in the "sv;
              AppendMinuteOfDay(ex, df.window_start_minute);
              ex += '-';
              AppendMinuteOfDay(ex, df.window_end_minute);
              ex += " window"sv;
              break;
            case Differential::Kind::kWeekend:
              ex += " in the weekend "sv;
              ex += kWeekdayNames[df.weekend_start_weekday];
              ex += ' ';
              AppendMinuteOfDay(ex, df.weekend_start_minute);
              ex += " - "sv;
              ex += kWeekdayNames[df.weekend_end_weekday];
              ex += ' ';
              AppendMinuteOfDay(ex, df.weekend_end_minute);
              break;
            case Differential::Kind::kHoliday:
              ex += " on a facility holiday"sv;
              break;
          }
          if (df.match == Differential::Match::kWholeShiftIfMajority) ex += " (whole shift: most of it inside)"sv;
          if (df.match == Differential::Match::kShiftStart) ex += " (whole shift: it starts inside)"sv;
          ex += " at +"sv;
          if (df.amount_type == Differential::Amount::kPercentBasisPoints) {
            AppendInt(ex, df.amount / 100);
            ex += '.';
            Append2(ex, df.amount % 100);
            ex += " % of "sv;
            AppendRate(ex, c.base_x);
            ex += " = "sv;
          }
          AppendRate(ex, dx);
          ex += ot_type ? "; at least 1.5x, so an overtime-type premium: outside the regular rate and credited against "
                          "the week's overtime premium (PAY-DIFF-OT-CREDIT)"
                        : "; in the regular rate (PAY-RR-INCLUDES)";
          const std::string& rid = ot_type                                         ? kDiffOtCredit
                                   : df.kind == Differential::Kind::kDailyWindow ? kDiffWindow
                                   : df.kind == Differential::Kind::kWeekend     ? kDiffWeekend
                                                                                 : kDiffHoliday;
          int64_t exact = diff_min[d] * dx;
          add_line(sh.ref, ot_type ? "PREMIUM:"sv : "DIFF:"sv, df.code, rid, diff_min[d], dx, exact, ot_type ? 1 : 0, ex,
                   ot_type ? 0 : 1);
          if (ot_type) h_total += exact;
          else s_hours += exact;
        }
      }
      if (c.incentive_unit == u) {
        Text ex;
        ex += "per-shift incentive (non-discretionary): in the regular rate of "sv;
        ex += udesc;
        ex += row.flat_sum_bonus_on_straight_hours ? " (flat sum: PAY-RR-CA-FLAT-SUM)"sv : " (PAY-RR-INCLUDES)"sv;
        int64_t exact = sh.incentive.cents() * kU;
        add_line(sh.ref, "INCENTIVE"sv, {}, kRrIncludes, 0, 0, exact, 0, ex, 2);
        s_bonus += exact;
      }
    }
    for (size_t i : extra_order) {
      const Extra& e = extras[i];
      if (e.kind != ExtraKind::kNonDiscretionaryBonus || eng.UnitOf(ToMin(e.at)) != u) continue;
      Text ex;
      ex += "non-discretionary bonus: in the regular rate of "sv;
      ex += udesc;
      ex += row.flat_sum_bonus_on_straight_hours ? " (flat sum: PAY-RR-CA-FLAT-SUM)"sv : " (PAY-RR-INCLUDES)"sv;
      int64_t exact = e.amount.cents() * kU;
      add_line(e.ref, "BONUS"sv, {}, kRrIncludes, 0, 0, exact, 0, ex, 2);
      s_bonus += exact;
    }

    // Regular rate and premiums (PAY-RR-INCLUDES, PAY-OT-PREMIUM): exact rationals in cents,
    // rounded half-up once per unit.
    WorkweekSummary ws;
    ws.start = week_start;
    ws.end = FromMin(x.unit_bounds[u + 1]);
    ws.rule_id = ids.row;
    ws.worked_minutes = T;
    ws.regular_minutes = reg_total;
    ws.overtime_minutes = ot_total;
    ws.double_time_minutes = dt_total;
    i128 S = s_hours + s_bonus;
    int64_t straight_cents = static_cast<int64_t>(RoundHalfUp(S, kU));
    int64_t holiday_cents = static_cast<int64_t>(RoundHalfUp(h_total, kU));
    Apportion(lines, money, unit_first, 0, straight_cents);
    if (h_total > 0) Apportion(lines, money, unit_first, 1, holiday_cents);
    // Every premium amount is a numerator over one denominator (cents = n / den), so that the
    // credit and the rounding stay exact without growing fractions.
    const bool flat_sum = row.flat_sum_bonus_on_straight_hours && s_bonus > 0 && reg_total > 0;
    i128 den = 1, ot_n = 0, dt_n = 0;
    if (T > 0) {
      den = static_cast<i128>(T) * 10000 * kU * (flat_sum ? reg_total : 1);
      i128 hours_part = flat_sum ? s_hours * reg_total : S;
      ot_n = hours_part * ot_total * (row.ot_multiplier_bp - 10000);
      dt_n = hours_part * dt_total * (row.dt_multiplier_bp - 10000);
      if (flat_sum) {  // PAY-RR-CA-FLAT-SUM: bonus / straight hours x the full multiplier
        ot_n += s_bonus * T * ot_total * row.ot_multiplier_bp;
        dt_n += s_bonus * T * dt_total * row.dt_multiplier_bp;
      }
      ws.regular_rate = Money::Cents(static_cast<int64_t>(RoundHalfUp(S, static_cast<i128>(T) * kRateScale)));
    }
    // PAY-DIFF-OT-CREDIT: OT-type premiums paid this unit are credited against its premiums,
    // overtime first.
    const i128 credit = h_total * (den / kU);  // den is a multiple of kU (or T == 0 and nothing is due)
    const i128 ot_due = std::max<i128>(0, ot_n - credit);
    const i128 dt_due = std::max<i128>(0, dt_n - std::max<i128>(0, credit - ot_n));
    ws.overtime_premium = Money::Cents(static_cast<int64_t>(RoundHalfUp(ot_due, den)));
    ws.double_time_premium = Money::Cents(static_cast<int64_t>(RoundHalfUp(dt_due, den)));
    ws.holiday_premium = Money::Cents(holiday_cents);
    ws.premium_credit = Money::Cents(static_cast<int64_t>(RoundHalfUp((ot_n - ot_due) + (dt_n - dt_due), den)));
    ws.straight_time = Money::Cents(straight_cents);
    for (int level = 1; level <= 2; ++level) {
      int64_t minutes = level == 1 ? ot_total : dt_total;
      if (minutes == 0) continue;
      int mult = level == 1 ? row.ot_multiplier_bp : row.dt_multiplier_bp;
      int64_t exact = static_cast<int64_t>(RoundHalfUp(level == 1 ? ot_n : dt_n, den));
      Money due = level == 1 ? ws.overtime_premium : ws.double_time_premium;
      Text ex;
      AppendInt(ex, (mult - 10000) / 10000);
      ex += '.';
      Append2(ex, (mult - 10000) % 10000 / 100);
      ex += " x regular rate x "sv;
      AppendDuration(ex, minutes);
      ex += level == 1 ? " of overtime in "sv : " of double time in "sv;
      ex += udesc;
      ex += ": regular rate "sv;
      // Four decimals for the reader; the premium uses the exact rational.
      i128 rr4 = RoundHalfUp(S * 100, static_cast<i128>(T) * kU / 60);  // 1/10,000 dollar per hour
      ex += '$';
      AppendInt(ex, static_cast<int64_t>(rr4 / 10000));
      ex += '.';
      Append2(ex, static_cast<int64_t>(rr4 % 10000 / 100));
      Append2(ex, static_cast<int64_t>(rr4 % 100));
      ex += "/h = straight time "sv;
      AppendMoney(ex, straight_cents);
      ex += " / "sv;
      AppendDuration(ex, T);
      ex += " worked (differentials, incentives and non-discretionary bonuses included, PAY-RR-INCLUDES)"sv;
      if (flat_sum) {
        ex += "; flat-sum bonuses "sv;
        AppendMoney(ex, static_cast<int64_t>(RoundHalfUp(s_bonus, kU)));
        ex += " over "sv;
        AppendDuration(ex, reg_total);
        ex += " of straight hours at the full multiplier (PAY-RR-CA-FLAT-SUM)"sv;
      }
      ex += "; computed exactly and rounded half-up once for the "sv;
      ex += row.unit_days == 14 ? "work period: "sv : "workweek: "sv;
      AppendMoney(ex, exact);
      if (exact != due.cents()) {
        ex += ", less OT-type premiums credited (PAY-DIFF-OT-CREDIT): "sv;
        AppendMoney(ex, due.cents());
      }
      ex += " (PAY-OT-PREMIUM)"sv;
      PayLine& pl = new_line();
      pl.ref = 0;
      pl.code = level == 1 ? "OT_PREMIUM" : "DT_PREMIUM";
      pl.rule_id = ids.premium;
      pl.minutes = minutes;
      pl.rate = Money::Cents(static_cast<int64_t>(RoundHalfUp(S * (mult - 10000), static_cast<i128>(T) * kRateScale * 10000)));
      pl.amount = due;
      pl.explanation.assign(ex.view());
      pl.week_start = week_start;
      money.push_back({0, -1});
    }
    // Totals of the unit.
    for (size_t i = unit_first; i < nlines; ++i) {
      const PayLine& l = lines[i];
      if (money[i].group != 0) continue;
      if (money[i].part == 1) st.differentials += l.amount;
      else if (money[i].part == 2) st.bonuses += l.amount;
    }
    st.worked_minutes += T;
    st.regular_minutes += reg_total;
    st.overtime_minutes += ot_total;
    st.double_time_minutes += dt_total;
    st.straight_time += ws.straight_time;
    st.overtime_premium += ws.overtime_premium;
    st.double_time_premium += ws.double_time_premium;
    st.holiday_premium += ws.holiday_premium;
    if (nweeks < st.weeks.size()) st.weeks[nweeks] = std::move(ws);
    else st.weeks.push_back(std::move(ws));
    ++nweeks;
  }

  // Money-only extras outside the regular rate.
  for (int pass = 0; pass < 3; ++pass) {
    ExtraKind kind = pass == 0 ? ExtraKind::kDiscretionaryBonus : pass == 1 ? ExtraKind::kCancellationPay : ExtraKind::kInstantPayAdvance;
    for (size_t i : extra_order) {
      const Extra& e = extras[i];
      if (e.kind != kind) continue;
      PayLine& l = new_line();
      l.ref = e.ref;
      int unit = eng.UnitOf(ToMin(e.at));
      l.week_start = FromMin(x.unit_bounds[std::clamp(unit, 0, units - 1)]);
      money.push_back({0, -1});
      if (kind == ExtraKind::kDiscretionaryBonus) {
        l.code = "BONUS_DISCRETIONARY";
        l.rule_id = "PAY-BONUS-DISCRETIONARY";
        l.amount = e.amount;
        l.explanation = "discretionary bonus: paid, outside the regular rate (29 CFR 778.211)";
        st.discretionary_bonuses += e.amount;
      } else if (kind == ExtraKind::kCancellationPay) {
        l.code = "CANCEL";
        l.rule_id = "PAY-CANCEL";
        l.amount = e.amount;
        l.explanation = "cancellation pay: not hours worked, outside the regular rate (29 CFR 778.218)";
        st.cancellation_pay += e.amount;
      } else {
        l.code = "ADVANCE";
        l.rule_id = "PAY-ADVANCE";
        l.amount = -e.amount;
        Text ex;
        ex += "instant pay already sent on "sv;
        AppendLocal(ex, pz->ToLocal(ToMin(e.at)));
        ex += ": subtracted from the net due"sv;
        l.explanation.assign(ex.view());
        st.advances += e.amount;
      }
    }
  }
  st.gross = st.straight_time + st.overtime_premium + st.double_time_premium + st.holiday_premium +
             st.discretionary_bonuses + st.cancellation_pay;
  st.net_due = st.gross - st.advances;
  lines.resize(nlines);
  st.weeks.resize(nweeks);
  return Ok();
}

}  // namespace openmso::payroll
