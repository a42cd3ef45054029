// The jurisdiction table of the payroll engine: which overtime law governs a state on a date
// and each law's dated thresholds, as data (payroll-rules.md §4.5, PAY-LAW-BY-STATE).
// A new threshold or minimum wage is a new row with its effective date, never an edit.
#include "domain/payroll/payroll.h"

#include <array>

namespace openmso::payroll {
namespace {

// The table starts on 2009-07-24 (the federal minimum wage of $7.25): rows carry that date
// as their version unless a later change is recorded. Work before a row's date has no rule.
constexpr Date kTableStart{2009, 7, 24};

const std::array<OvertimeRule, 7> kRules = {{
    // PAY-OT-FLSA-WEEKLY: 1.5x the regular rate over 40 h in the workweek (29 U.S.C. 207(a)).
    {.id = "PAY-OT-FLSA-WEEKLY", .law = OvertimeLaw::kFlsaWeekly, .effective_from = kTableStart,
     .unit_days = 7, .unit_threshold_minutes = 40 * 60, .minimum_wage = Money::Cents(725),
     .unit_rule_id = "PAY-OT-FLSA-WEEKLY",
     .source = "FLSA 29 U.S.C. 207(a)(1); 29 CFR 778.103-778.105; payroll-rules.md §2"},
    // PAY-OT-880: hospitals/residential care by agreement: over 8 h in a workday and over 80 h
    // (not counting daily overtime again) in a fixed 14-day work period (29 U.S.C. 207(j)).
    {.id = "PAY-OT-880", .law = OvertimeLaw::kFlsa880, .effective_from = kTableStart, .unit_days = 14,
     .unit_threshold_minutes = 80 * 60, .daily_ot_minutes = 8 * 60, .minimum_wage = Money::Cents(725),
     .unit_rule_id = "PAY-OT-880-PERIOD", .daily_rule_id = "PAY-OT-880-DAILY",
     .source = "FLSA 29 U.S.C. 207(j); 29 CFR 778.601; payroll-rules.md §3"},
    // PAY-OT-CA: over 8 h a workday 1.5x, over 12 h 2x; straight hours over 40 a workweek
    // 1.5x; seventh consecutive workday: first 8 h 1.5x, beyond 2x (Labor Code 510, AB 60).
    {.id = "PAY-OT-CA", .law = OvertimeLaw::kCalifornia, .effective_from = Date{2000, 1, 1}, .unit_days = 7,
     .unit_threshold_minutes = 40 * 60, .daily_ot_minutes = 8 * 60, .daily_dt_minutes = 12 * 60,
     .seventh_day = true, .seventh_day_dt_minutes = 8 * 60, .flat_sum_bonus_on_straight_hours = true,
     .unit_rule_id = "PAY-OT-CA-WEEKLY", .daily_rule_id = "PAY-OT-CA-DAILY",
     .seventh_day_rule_id = "PAY-OT-CA-SEVENTH-DAY",
     .source = "Cal. Labor Code 500, 510 (AB 60, from 2000-01-01); IWC Wage Order 5; payroll-rules.md §4.1"},
    // PAY-OT-AK: over 8 h a day and straight hours over 40 a week, 1.5x (AS 23.10.060).
    {.id = "PAY-OT-AK", .law = OvertimeLaw::kAlaska, .effective_from = kTableStart, .unit_days = 7,
     .unit_threshold_minutes = 40 * 60, .daily_ot_minutes = 8 * 60, .unit_rule_id = "PAY-OT-AK-WEEKLY",
     .daily_rule_id = "PAY-OT-AK-DAILY", .source = "Alaska Stat. 23.10.060; payroll-rules.md §4.2"},
    // PAY-OT-NV: over 40 h a week; over 8 h in the 24 h from the start of work, only below
    // 1.5x the Nevada minimum wage (NRS 608.018). Minimum wage: the tier without qualifying
    // health benefits, then the single rate from 2024-07-01 (NRS 608.250, AB 456).
    {.id = "PAY-OT-NV", .law = OvertimeLaw::kNevada, .effective_from = Date{2023, 7, 1},
     .effective_to = Date{2024, 7, 1}, .unit_days = 7, .unit_threshold_minutes = 40 * 60,
     .daily_ot_minutes = 8 * 60, .rolling_day = true, .daily_rate_condition_bp = 15000,
     .minimum_wage = Money::Cents(1125), .unit_rule_id = "PAY-OT-NV-WEEKLY", .daily_rule_id = "PAY-OT-NV-DAILY",
     .source = "NRS 608.018, 608.250; minimum wage $11.25 from 2023-07-01; payroll-rules.md §4.3"},
    {.id = "PAY-OT-NV", .law = OvertimeLaw::kNevada, .effective_from = Date{2024, 7, 1}, .unit_days = 7,
     .unit_threshold_minutes = 40 * 60, .daily_ot_minutes = 8 * 60, .rolling_day = true,
     .daily_rate_condition_bp = 15000, .minimum_wage = Money::Cents(1200), .unit_rule_id = "PAY-OT-NV-WEEKLY",
     .daily_rule_id = "PAY-OT-NV-DAILY",
     .source = "NRS 608.018, 608.250; minimum wage $12.00 from 2024-07-01; payroll-rules.md §4.3"},
    // PAY-OT-CO: over 40 h a workweek, over 12 h a workday, or over 12 consecutive hours,
    // whichever pays more, never stacked (COMPS Order, Rule 4.1.1).
    {.id = "PAY-OT-CO", .law = OvertimeLaw::kColorado, .effective_from = kTableStart, .unit_days = 7,
     .unit_threshold_minutes = 40 * 60, .daily_ot_minutes = 12 * 60, .consecutive_ot_minutes = 12 * 60,
     .unit_rule_id = "PAY-OT-CO-WEEKLY", .daily_rule_id = "PAY-OT-CO-WORKDAY",
     .consecutive_rule_id = "PAY-OT-CO-CONSECUTIVE",
     .source = "Colorado COMPS Order (renumbered yearly), Rule 4.1.1; payroll-rules.md §4.4"},
}};

const std::array<StateLaw, 4> kStateLaws = {{
    {"CA", OvertimeLaw::kCalifornia, Date{2000, 1, 1}, std::nullopt},
    {"AK", OvertimeLaw::kAlaska, kTableStart, std::nullopt},
    {"NV", OvertimeLaw::kNevada, kTableStart, std::nullopt},
    {"CO", OvertimeLaw::kColorado, kTableStart, std::nullopt},
}};

constexpr std::array<std::string_view, 6> kLawNames = {"flsa_weekly", "flsa_8_80", "california",
                                                       "alaska",      "nevada",    "colorado"};

bool InEffect(Date from, const std::optional<Date>& to, Date on) { return from <= on && (!to || on < *to); }

}  // namespace

std::string_view OvertimeLawName(OvertimeLaw law) {
  auto i = static_cast<size_t>(law);
  return i < kLawNames.size() ? kLawNames[i] : std::string_view("unknown");
}

std::optional<OvertimeLaw> ParseOvertimeLaw(std::string_view name) {
  for (size_t i = 0; i < kLawNames.size(); ++i)
    if (kLawNames[i] == name) return static_cast<OvertimeLaw>(i);
  return std::nullopt;
}

std::span<const OvertimeRule> OvertimeRules() { return kRules; }

const OvertimeRule* FindOvertimeRule(OvertimeLaw law, Date on) {
  for (const OvertimeRule& r : kRules)
    if (r.law == law && InEffect(r.effective_from, r.effective_to, on)) return &r;
  return nullptr;
}

std::string RuleVersion(std::string_view id, const OvertimeRule& row) {
  std::string out(id);
  out += '@';
  out += row.effective_from.ToString();
  return out;
}

std::span<const StateLaw> StateLaws() { return kStateLaws; }

OvertimeLaw LawForState(std::string_view state, Date on) {
  for (const StateLaw& s : kStateLaws)
    if (s.state == state && InEffect(s.effective_from, s.effective_to, on)) return s.law;
  return OvertimeLaw::kFlsaWeekly;
}

std::string_view RoundingName(Rounding r) {
  switch (r) {
    case Rounding::kNone: return "none";
    case Rounding::kQuarterHour7Min: return "quarter_7min";
  }
  return "unknown";
}

std::optional<Rounding> ParseRounding(std::string_view name) {
  if (name == "none") return Rounding::kNone;
  if (name == "quarter_7min") return Rounding::kQuarterHour7Min;
  return std::nullopt;
}

}  // namespace openmso::payroll
