// The payroll rules engine: pays one employee for one pay period from their worked shifts
// under the overtime law of the work state (federal weekly 40, hospital 8/80, California,
// Alaska, Nevada, Colorado), with differentials, bonuses, punch rounding and meal breaks.
// Pure functions over plain values: no storage, no HTTP. Rules follow
// ../shared/domain/payroll-rules.md (cited as §n) and issue 5 part 3; ids are in docs/rules.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace openmso::payroll {

// ---- Overtime laws and the jurisdiction table (PAY-LAW-BY-STATE) ---------------------------
enum class OvertimeLaw { kFlsaWeekly, kFlsa880, kCalifornia, kAlaska, kNevada, kColorado };
// "flsa_weekly", "flsa_8_80", "california", "alaska", "nevada", "colorado".
std::string_view OvertimeLawName(OvertimeLaw law);
std::optional<OvertimeLaw> ParseOvertimeLaw(std::string_view name);

// One dated version of one law's thresholds and multipliers (§4.5: thresholds are versioned
// data, not constants in code). The engine reads only these fields; a law is "a row plus the
// small generic strategy in payroll.cc". Minutes are elapsed minutes (PAY-DST-ELAPSED).
struct OvertimeRule {
  std::string_view id = {};        // the row's rule id: "PAY-OT-CA"
  OvertimeLaw law = OvertimeLaw::kFlsaWeekly;
  Date effective_from;             // inclusive, a local date of the work
  std::optional<Date> effective_to = std::nullopt;  // exclusive; nullopt = still in effect
  // Counting unit: the 7-day workweek, or the 14-day work period of 8/80 (§3).
  int unit_days = 7;
  int unit_threshold_minutes = 0;  // straight minutes over this in the unit are overtime (2400; 4800 for 8/80)
  // Daily rules on the workday (a fixed 24 h from PayPolicy::workday_start_minute), or with
  // rolling_day on the 24 h that start when work starts (Nevada, §4.3). 0 = no such rule.
  int daily_ot_minutes = 0;        // over this in a day: 1.5x (480; CO 720)
  int daily_dt_minutes = 0;        // over this in a day: 2x (CA 720)
  bool rolling_day = false;
  // Daily overtime only for shifts whose base rate is below minimum_wage x this factor
  // (Nevada: 1.5 x the state minimum wage). 0 = unconditional.
  int daily_rate_condition_bp = 0;
  Money minimum_wage = {};         // the dated minimum wage the condition refers to
  // California's seventh consecutive workday of the workweek (§4.1): its first
  // seventh_day_dt_minutes at 1.5x, beyond at 2x.
  bool seventh_day = false;
  int seventh_day_dt_minutes = 0;
  // Colorado: over this many consecutive minutes of work, wherever the workday starts
  // (duty-free meals neither count nor break the run). 0 = no such rule.
  int consecutive_ot_minutes = 0;
  // California: flat-sum bonuses enter the overtime rate over straight hours only, at the
  // full 1.5x / 2x (Alvarado v. Dave & Buster's, 2018; §4.1) (PAY-RR-CA-FLAT-SUM).
  bool flat_sum_bonus_on_straight_hours = false;
  int ot_multiplier_bp = 15000;    // 1.5x
  int dt_multiplier_bp = 20000;    // 2x
  // The ids that pay lines cite for each sub-rule ("" when the row has no such rule).
  std::string_view unit_rule_id = {};      // "PAY-OT-CA-WEEKLY", "PAY-OT-880-PERIOD", ...
  std::string_view daily_rule_id = {};     // "PAY-OT-CA-DAILY", ...
  std::string_view seventh_day_rule_id = {};
  std::string_view consecutive_rule_id = {};
  std::string_view source = {};    // statute / order, for the reader
};

// Every row, grouped by law, oldest first. Static data; thread-safe.
std::span<const OvertimeRule> OvertimeRules();
// The row of `law` in effect on `on`, or nullptr when the table has none for that date.
const OvertimeRule* FindOvertimeRule(OvertimeLaw law, Date on);
// "PAY-OT-CA-DAILY@2000-01-01": a sub-rule id with the version (effective_from) of its row.
std::string RuleVersion(std::string_view id, const OvertimeRule& row);

// Which law governs work in a state (two-letter USPS code) on a date, also dated data.
struct StateLaw {
  std::string_view state;
  OvertimeLaw law;
  Date effective_from;
  std::optional<Date> effective_to;
};
std::span<const StateLaw> StateLaws();
// PAY-LAW-BY-STATE: CA -> california, AK -> alaska, NV -> nevada, CO -> colorado, any other
// state -> flsa_weekly. 8/80 is never chosen by state: it is the employee's opt-in
// (PayPolicy::law = kFlsa880 with PayPolicy::agreement_880_date).
OvertimeLaw LawForState(std::string_view state, Date on);

// ---- Policy ----------------------------------------------------------------------------------
enum class Rounding { kNone, kQuarterHour7Min };
std::string_view RoundingName(Rounding r);  // "none", "quarter_7min"
std::optional<Rounding> ParseRounding(std::string_view name);

// A shift differential, as data (§5). Stacking: every differential that applies to a minute
// adds to that minute's rate (PAY-DIFF-STACK). Differentials enter the regular rate
// (PAY-RR-INCLUDES), except a weekend or holiday premium worth at least the overtime
// multiplier (percent >= 50 %, or flat >= half the shift's base rate): that one is an
// overtime-type premium, left out of the regular rate and credited against the overtime
// premium of its workweek (29 CFR 778.203, 778.219; PAY-DIFF-OT-CREDIT).
struct Differential {
  std::string code;  // "NIGHT", "WEEKEND", "HOLIDAY", ...; unique within a policy; line code "DIFF:<code>"
  enum class Kind { kDailyWindow, kWeekend, kHoliday } kind = Kind::kDailyWindow;
  // kDailyWindow: local minutes of day [start, end) in the facility's zone; wraps midnight
  // when end <= start (19:00-07:00 is 1140, 420); start == end means all day.
  int window_start_minute = 0, window_end_minute = 0;
  enum class Amount { kFlatPerHour, kPercentBasisPoints } amount_type = Amount::kFlatPerHour;
  int64_t amount = 0;  // cents per hour, or basis points of the shift's base rate (1000 = 10 %)
  // kHoursInWindow: the minutes inside the window. kWholeShiftIfMajority: every minute of a
  // shift with more than half of its paid minutes inside. kShiftStart: every minute of a
  // shift whose (rounded) start is inside ("shifts starting on Saturday or Sunday").
  enum class Match { kHoursInWindow, kWholeShiftIfMajority, kShiftStart } match = Match::kHoursInWindow;
  // kWeekend: from weekday/minute to weekday/minute, local (0 = Sunday). Default Fri 19:00 -
  // Mon 07:00.
  int weekend_start_weekday = 5, weekend_start_minute = 19 * 60;
  int weekend_end_weekday = 1, weekend_end_minute = 7 * 60;
  // kHoliday: each listed date from 00:00 to 24:00 local, shifted by this many minutes
  // (-300: 19:00 on the eve to 19:00 on the day).
  int holiday_offset_minutes = 0;
};
inline constexpr int kMaxDifferentials = 32;

struct PayPolicy {
  OvertimeLaw law = OvertimeLaw::kFlsaWeekly;  // from LawForState, or kFlsa880 by opt-in
  std::string zone;                // IANA zone of the workday/workweek/work-period boundaries
  int workweek_start_weekday = 0;  // 0 = Sunday .. 6 = Saturday, local
  int workweek_start_minute = 0;   // local minute of day
  int workday_start_minute = 0;    // local minute of day (CA/AK/CO/8-80 workday)
  Date period_anchor;              // kFlsa880: the first day of some 14-day work period
  // kFlsa880 only: the date the employee agreed to 8/80; it must precede the work (§3).
  std::optional<Date> agreement_880_date;
  std::vector<Differential> differentials;
  std::vector<Date> holidays;      // facility holidays (local dates) for Kind::kHoliday
  Rounding rounding = Rounding::kNone;
  // PAY-MEAL-AUTO: a shift of at least auto_meal_after_minutes with no meal recorded gets
  // an unpaid auto_meal_minutes meal centred on its midpoint. Recording any meal (an
  // interrupted one included) replaces the proposal.
  bool auto_meal_deduction = false;
  int auto_meal_after_minutes = 360;
  int auto_meal_minutes = 30;
};

// ---- Worked time ------------------------------------------------------------------------------
// A duty-free meal break. `interrupted` (attested by the clinician) makes it hours worked
// (PAY-MEAL-INTERRUPTED). Meals are never rounded (PAY-MEAL-NO-ROUNDING) and one shorter
// than kMinUnpaidMealMinutes is a paid rest break (29 CFR 785.18; PAY-MEAL-SHORT).
struct Meal {
  Instant start, end;
  bool interrupted = false;
};
inline constexpr int kMinUnpaidMealMinutes = 20;
inline constexpr int kMaxShiftMinutes = 24 * 60;  // a longer "shift" is a missed punch
inline constexpr Money kMaxRate = Money::Cents(100'000);        // $1,000/h
inline constexpr Money kMaxAmount = Money::Cents(100'000'000);  // $1,000,000 per incentive/extra

// One approved timesheet.
struct WorkedShift {
  int64_t ref = 0;             // the timesheet id (> 0, unique); every pay line of it cites it
  int64_t facility_id = 0;     // > 0
  std::string work_state;      // "CA", "IL", ... (two capital letters)
  std::string zone;            // the facility's IANA zone (differential windows, rounding)
  Instant start, end;          // raw punches; rounding is derived, raw never changes
  std::vector<Meal> meals;     // unpaid duty-free meals
  Money base_rate;             // per hour, > 0
  Money incentive;             // non-discretionary per-shift bonus (>= 0), in the regular rate
};

enum class ExtraKind { kNonDiscretionaryBonus, kDiscretionaryBonus, kCancellationPay, kInstantPayAdvance };
// A money-only item. Non-discretionary bonuses enter the regular rate of the workweek that
// contains `at` (which must lie in the period); discretionary bonuses and cancellation pay
// are paid but are neither hours worked nor in the regular rate; advances (instant pay
// already sent) are subtracted from net_due.
struct Extra {
  int64_t ref = 0;   // > 0, unique among extras
  ExtraKind kind = ExtraKind::kNonDiscretionaryBonus;
  Money amount;      // > 0
  Instant at;
};

// The punches after rounding and the paid intervals of one shift, as the timesheet UI
// shows them.
struct PaidInterval {
  Instant start, end;
};
struct PaidTime {
  Instant start, end;                    // rounded punches (PAY-ROUND-*)
  std::vector<PaidInterval> intervals;   // [start, end) minus unpaid meals, in order
  int64_t paid_minutes = 0;
  int64_t meal_minutes = 0;              // deducted
  bool auto_meal = false;                // PAY-MEAL-AUTO applied
};

// PAY-ROUND-NONE: truncates to the whole minute (start and end alike, neutral on average).
// PAY-ROUND-7MIN: to the nearest local quarter hour, 1-7 minutes past it down, 8-14 up
// (06:53 -> 07:00, 07:07 -> 07:00, 07:08 -> 07:15, 18:52 -> 18:45; §7).
// Errors: kInvalidArgument (zone:invalid_time_zone).
Result<Instant> RoundPunch(Instant t, std::string_view zone, Rounding rounding);

// The paid time of one shift under `policy` (rounding, meals, auto meal). Validates the
// shift like ComputePay does, with field names under "shift." and the policy's rounding and
// meal fields. Errors: kInvalidArgument naming the field.
Result<PaidTime> ComputePaidTime(const PayPolicy& policy, const WorkedShift& shift);

// ---- Pay statement ----------------------------------------------------------------------------
struct PayLine {
  int64_t ref = 0;             // timesheet or extra ref; 0 for a workweek-level premium line
  std::string code;            // see ComputePay
  std::string rule_id;         // rule id + table version: "PAY-OT-FLSA-WEEKLY@2009-07-24"
  int64_t minutes = 0;         // 0 for money-only lines
  Money rate;                  // per hour where meaningful (rounded to the cent for display)
  Money amount;
  std::string explanation;     // which rule produced which hours, in a sentence
  Instant week_start;          // the workweek (8/80: the work period) the line belongs to
};

// One workweek (8/80: one 14-day work period) of the statement.
struct WorkweekSummary {
  Instant start, end;
  std::string rule_id;         // the law's row with its version: "PAY-OT-CA@2000-01-01"
  int64_t worked_minutes = 0, regular_minutes = 0, overtime_minutes = 0, double_time_minutes = 0;
  Money straight_time;         // rounded once for the week (PAY-ROUND-CENTS)
  Money regular_rate;          // per hour, rounded to the cent for display; the premiums use it exactly
  Money overtime_premium, double_time_premium, holiday_premium;
  Money premium_credit;        // OT-type holiday/weekend premium credited against the premiums
};

// INVARIANTS: regular + overtime + double_time minutes == worked_minutes;
// gross == straight_time + overtime_premium + double_time_premium + holiday_premium
//          + discretionary_bonuses + cancellation_pay;
// net_due == gross - advances == the sum of every line's amount.
struct Statement {
  int64_t worked_minutes = 0, regular_minutes = 0, overtime_minutes = 0, double_time_minutes = 0;
  Money straight_time;         // hours x (base + differentials) + incentives + non-discretionary bonuses
  Money differentials;         // the differential part of straight_time
  Money bonuses;               // the incentive and non-discretionary bonus part of straight_time
  Money overtime_premium, double_time_premium;
  Money holiday_premium;       // OT-type weekend/holiday premiums (outside the regular rate)
  Money discretionary_bonuses;
  Money cancellation_pay;
  Money gross, advances, net_due;
  std::vector<PayLine> lines;
  std::vector<WorkweekSummary> weeks;
  std::vector<int64_t> refs;   // every input shift's ref, ascending (pay/bill traceability)
  // The overtime laws that classified its minutes, in enum order: one, or several when the
  // employee worked in states under different laws (PAY-LAW-MIXED); the policy's law when
  // there is no shift.
  std::vector<OvertimeLaw> laws;
};

// Pays one employee for the pay period [period_start, period_end): weekly or biweekly, made
// of whole workweeks of the policy (whole 14-day work periods for 8/80; PAY-PERIOD-ALIGN).
// All the employee's shifts that intersect the period are passed at once, whatever the
// facility: hours for the same employer add up (§2.1, PAY-HOURS-AGGREGATE). Only the minutes
// inside the period are paid; minutes of those shifts before it still count toward the daily
// and consecutive-hours rules. A shift crossing a workweek boundary is split at the boundary
// instant (§6.1, PAY-WEEK-SPLIT). Hours are differences of instants (PAY-DST-ELAPSED).
//
// The law (PAY-LAW-MIXED): each shift's minutes follow the daily-type rules (daily, rolling
// 24 h, seventh day, consecutive hours) of its work state's law (LawForState on the workweek's
// start day); every minute of the employee counts toward every day and week, whatever the
// state (hours for one employer add up). A workweek worked under one law uses that law's
// weekly rule; a workweek worked under several laws uses the federal weekly 40 h over the
// straight minutes (daily overtime is not counted again, 29 CFR 778.202(c)) and the federal
// regular rate (no California flat-sum method). policy.law is the law of workweeks with no
// work. An 8/80 employee (policy.law = kFlsa880) may work only in flsa_weekly states, else
// shifts[i].work_state:law_mismatch.
// State rules apply on top of the FLSA, each minute once at its highest level (PAY-NO-PYRAMID).
//
// Line codes, in order per workweek and per shift (chronological): "REG", "OT", "DT" (the
// shift's minutes at each level, paid at the base rate; the premium is on the week's line),
// "DIFF:<code>" (differential minutes), "PREMIUM:<code>" (OT-type weekend/holiday premium),
// "INCENTIVE"; then the week's "BONUS" extras and its ref-0 "OT_PREMIUM" / "DT_PREMIUM"
// (multiplier - 1) x regular rate x minutes, exact, rounded half-up once per workweek
// (§10, PAY-OT-PREMIUM); last the period's "BONUS_DISCRETIONARY", "CANCEL" and "ADVANCE"
// (amount negative). Straight-time lines of a week are rounded together: their cents add
// up to the week's exactly rounded straight time (PAY-ROUND-CENTS).
//
// Errors (kInvalidArgument, every bad field at once; field:code): law:unknown,
// law:no_rule_in_effect, zone:invalid_time_zone, workweek_start_weekday:out_of_range,
// workweek_start_minute:out_of_range, workday_start_minute:out_of_range, rounding:unknown,
// auto_meal_minutes:out_of_range, auto_meal_after_minutes:out_of_range,
// agreement_880_date:required|after_period_start, period_anchor:invalid_date,
// differentials:too_many, differentials[k].code:required|duplicate,
// differentials[k].{kind,amount_type,match}:unknown, differentials[k].amount:out_of_range,
// differentials[k].window_*_minute / weekend_* / holiday_offset_minutes:out_of_range,
// holidays[k]:invalid_date, period_end:before_start|too_long,
// period_start|period_end:not_workweek_start (8/80: not_work_period_start),
// shifts[i].ref:not_positive|duplicate, shifts[i].facility_id:not_positive,
// shifts[i].work_state:invalid|law_mismatch, shifts[i].zone:invalid_time_zone,
// shifts[i].end:before_start|too_long, shifts[i]:outside_period,
// shifts[i].base_rate:not_positive|too_large, shifts[i].incentive:negative|too_large,
// shifts[i].meals[j].end:before_start, shifts[i].meals[j]:outside_shift,
// shifts[i].meals:overlap, shifts:overlap, extras[i].ref:not_positive|duplicate,
// extras[i].kind:unknown, extras[i].amount:not_positive|too_large, extras[i].at:outside_period.
//
// Thread-safe (each thread keeps its own cache of time-zone offsets); the result does not
// depend on the order of `shifts` or `extras`.
Result<Statement> ComputePay(const PayPolicy& policy, std::span<const WorkedShift> shifts,
                             std::span<const Extra> extras, Instant period_start, Instant period_end);

// The same, refilling `out` in place: a pay run that computes many statements one after the
// other reuses one Statement, and its lines keep their memory (about a third faster). On an
// error `out` is left unspecified.
Result<void> ComputePay(const PayPolicy& policy, std::span<const WorkedShift> shifts, std::span<const Extra> extras,
                        Instant period_start, Instant period_end, Statement& out);

}  // namespace openmso::payroll
