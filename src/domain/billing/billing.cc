// Facility billing rules: agreement validation, the invoice computation (rate card,
// overtime and holiday multipliers, management fees), the invoice lifecycle, document
// numbers and A/R aging. Pure functions; rule ids refer to docs/rules.md.
#include "domain/billing/billing.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>

namespace openmso::billing {
namespace {

constexpr int64_t kMsPerMinute = 60'000;
constexpr int64_t kMsPerDay = 86'400'000;

std::string Idx(std::string_view name, size_t i) { return std::string(name) + "[" + std::to_string(i) + "]"; }
std::string Ts(TimesheetId id) { return "Timesheet " + std::to_string(id.value) + ": "; }

Date AddDays(Date d, int64_t days) { return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() + days); }

// Days since the epoch of the first day of the workweek holding `day`.
int64_t WeekStartDay(int64_t day, Weekday start) {
  int64_t weekday = ((day + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday; Sunday = 0
  return day - ((weekday - static_cast<int64_t>(start)) % 7 + 7) % 7;
}

// The first instant of a local day: its midnight, or the end of a daylight-saving gap that
// swallowed midnight (a few zones change clocks at 00:00).
Result<int64_t> DayStartMs(int64_t day, std::string_view zone) {
  Date d = Date::FromDaysSinceEpoch(day);
  for (int m = 0; m <= 180; ++m) {
    auto r = ToInstant(LocalDateTime{d, m}, zone);
    if (r.ok()) return ToUnixMillis(*r);
    if (r.error().fields.empty() || r.error().fields[0].code != "nonexistent_local_time") return r.error();
  }
  return Error::Internal("no existing local time in the first three hours of " + d.ToString());
}

bool InForce(const ServiceAgreement& a, Date d) {
  return a.effective_from <= d && (!a.effective_to || d <= *a.effective_to);
}

const RateCardEntry* FindRate(const ServiceAgreement& a, std::string_view discipline) {
  for (const auto& r : a.rate_card)
    if (r.discipline == discipline) return &r;
  return nullptr;
}

void ValidateAgreementInto(const ServiceAgreement& a, const std::string& p, FieldErrors& errs) {
  if (!a.facility_id.valid()) errs.Add(p + "facility_id", "required", "The agreement must name its facility.");
  if (a.effective_to && *a.effective_to < a.effective_from)
    errs.Add(p + "effective_to", "before_effective_from", "The agreement cannot end before it starts.");
  for (size_t i = 0; i < a.rate_card.size(); ++i) {
    const auto& r = a.rate_card[i];
    if (r.discipline.empty()) {
      errs.Add(p + Idx("rate_card", i) + ".discipline", "required", "Each rate needs a discipline.");
      continue;
    }
    std::string f = p + "rate_card[" + r.discipline + "]";
    bool dup = std::any_of(a.rate_card.begin(), a.rate_card.begin() + static_cast<std::ptrdiff_t>(i),
                           [&](const RateCardEntry& x) { return x.discipline == r.discipline; });
    if (dup) errs.Add(f + ".discipline", "duplicate", "The rate card lists " + r.discipline + " twice.");
    if (r.bill_rate <= Money())
      errs.Add(f + ".bill_rate_cents", "not_positive", "The bill rate for " + r.discipline + " must be more than 0.");
    else if (r.bill_rate > kMaxBillRate)
      errs.Add(f + ".bill_rate_cents", "too_large", "The bill rate for " + r.discipline + " may be at most $1,000 an hour.");
  }
  auto multiplier = [&](int bp, const char* name) {
    if (bp < kMinMultiplierBp)
      errs.Add(p + name, "below_1x", "A multiplier is at least 10000 basis points (1x).");
    else if (bp > kMaxMultiplierBp)
      errs.Add(p + name, "above_3x", "A multiplier is at most 30000 basis points (3x).");
  };
  multiplier(a.overtime_multiplier_bp, "overtime_multiplier_bp");
  multiplier(a.holiday_multiplier_bp, "holiday_multiplier_bp");
  if (a.overtime.kind == OvertimeKind::kDaily && a.overtime.daily_threshold_hours != 8 &&
      a.overtime.daily_threshold_hours != 12)
    errs.Add(p + "overtime.daily_threshold_hours", "not_8_or_12", "Daily overtime starts after 8 or 12 hours.");
  for (size_t i = 0; i < a.holidays.size(); ++i)
    if (std::find(a.holidays.begin(), a.holidays.begin() + static_cast<std::ptrdiff_t>(i), a.holidays[i]) !=
        a.holidays.begin() + static_cast<std::ptrdiff_t>(i))
      errs.Add(p + Idx("holidays", i), "duplicate", "The holiday " + a.holidays[i].ToString() + " is listed twice.");
  if (a.fee.percent_bp < 0 || a.fee.percent_bp > 10'000)
    errs.Add(p + "fee.percent_bp", "out_of_range", "The percentage fee is 0 to 10000 basis points.");
  if (a.fee.flat_monthly.negative()) errs.Add(p + "fee.flat_monthly_cents", "negative", "The monthly fee cannot be negative.");
  if (a.fee.per_shift.negative()) errs.Add(p + "fee.per_shift_cents", "negative", "The per-shift fee cannot be negative.");
  if (a.payment_terms_days < 0 || a.payment_terms_days > kMaxPaymentTermsDays)
    errs.Add(p + "payment_terms_days", "out_of_range", "Payment terms are net 0 to 180 days.");
}

void ValidateAgreementsInto(const std::vector<ServiceAgreement>& list, FacilityId facility, FieldErrors& errs) {
  for (size_t i = 0; i < list.size(); ++i) {
    std::string p = Idx("agreements", i) + ".";
    ValidateAgreementInto(list[i], p, errs);
    if (list[i].facility_id.valid() && list[i].facility_id != facility)
      errs.Add(p + "facility_id", "other_facility", "The agreement belongs to another facility.");
    for (size_t j = 0; j < i; ++j) {
      const auto &a = list[i], &b = list[j];
      bool a_before_b = a.effective_to && *a.effective_to < b.effective_from;
      bool b_before_a = b.effective_to && *b.effective_to < a.effective_from;
      if (!a_before_b && !b_before_a) {
        errs.Add(p + "effective_from", "overlaps",
                 "The agreement's dates overlap those of agreement " + std::to_string(j) + ".");
        break;
      }
    }
  }
}

// Local day starts of the period's days and the two after it.
struct DayTable {
  int64_t first_day = 0;          // days since the epoch of index 0 (period_from)
  std::vector<int64_t> start_ms;  // first instant of local day first_day + k
  // The index of the local day holding t. REQUIRES start_ms[0] <= t < start_ms.back().
  size_t IndexOf(int64_t t) const {
    return static_cast<size_t>(std::upper_bound(start_ms.begin(), start_ms.end(), t) - start_ms.begin()) - 1;
  }
};

// The per-shift working state of ComputeInvoice.
struct Work {
  uint32_t index = 0;   // into InvoiceInput::shifts
  int agreement = -1;   // into the agreements sorted by effective_from
  int64_t start_ms = 0, end_ms = 0;
  Money base;
  bool override_rate = false;
  bool timed = false;   // start and end passed their checks
  int64_t regular = 0, overtime = 0, holiday = 0;
};

using MinutesMap = std::map<std::pair<int64_t, int64_t>, int64_t>;  // (clinician, day) -> minutes

YearMonth MonthOf(Date d) { return YearMonth{d.year, d.month}; }

}  // namespace

// ---- Names ------------------------------------------------------------------------------------

std::optional<std::string_view> ParseLineRuleId(std::string_view text) {
  for (std::string_view r : {kRuleRateCard, kRuleRateOverride, kRuleOtWeekly, kRuleOtDaily, kRuleHoliday,
                             kRuleFeePercent, kRuleFeeFlatMonthly, kRuleFeePerShift})
    if (r == text) return r;
  return std::nullopt;
}

Weekday WeekdayOf(Date d) {
  return static_cast<Weekday>(((d.DaysSinceEpoch() + 4) % 7 + 7) % 7);
}

std::string YearMonth::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", year, month);
  return buf;
}

std::string_view OvertimeKindName(OvertimeKind k) {
  switch (k) {
    case OvertimeKind::kNone: return "none";
    case OvertimeKind::kWeekly: return "weekly";
    case OvertimeKind::kDaily: return "daily";
  }
  return "none";
}

std::optional<OvertimeKind> ParseOvertimeKind(std::string_view name) {
  for (auto k : {OvertimeKind::kNone, OvertimeKind::kWeekly, OvertimeKind::kDaily})
    if (OvertimeKindName(k) == name) return k;
  return std::nullopt;
}

std::string_view InvoiceStatusName(InvoiceStatus s) {
  switch (s) {
    case InvoiceStatus::kDraft: return "draft";
    case InvoiceStatus::kFinalized: return "finalized";
    case InvoiceStatus::kPartiallyPaid: return "partially_paid";
    case InvoiceStatus::kPaid: return "paid";
  }
  return "draft";
}

std::optional<InvoiceStatus> ParseInvoiceStatus(std::string_view name) {
  for (auto s : {InvoiceStatus::kDraft, InvoiceStatus::kFinalized, InvoiceStatus::kPartiallyPaid, InvoiceStatus::kPaid})
    if (InvoiceStatusName(s) == name) return s;
  return std::nullopt;
}

std::string_view LineKindName(LineKind k) {
  switch (k) {
    case LineKind::kRegular: return "regular";
    case LineKind::kOvertime: return "overtime";
    case LineKind::kHoliday: return "holiday";
    case LineKind::kFeePercent: return "fee_percent";
    case LineKind::kFeeFlatMonthly: return "fee_flat_monthly";
    case LineKind::kFeePerShift: return "fee_per_shift";
  }
  return "regular";
}

std::optional<LineKind> ParseLineKind(std::string_view name) {
  for (auto k : {LineKind::kRegular, LineKind::kOvertime, LineKind::kHoliday, LineKind::kFeePercent,
                 LineKind::kFeeFlatMonthly, LineKind::kFeePerShift})
    if (LineKindName(k) == name) return k;
  return std::nullopt;
}

// ---- Agreements (BILL-AGREEMENT-VALID) ----------------------------------------------------------

Result<void> ValidateAgreement(const ServiceAgreement& a) {
  FieldErrors errs;
  ValidateAgreementInto(a, "", errs);
  if (!errs.empty()) return errs.ToError();
  return Ok();
}

Result<void> ValidateAgreements(const std::vector<ServiceAgreement>& agreements, FacilityId facility) {
  FieldErrors errs;
  ValidateAgreementsInto(agreements, facility, errs);
  if (!errs.empty()) return errs.ToError();
  return Ok();
}

// BILL-MINUTES, BILL-BREAK
int64_t WorkedMinutes(const BillableShift& s) {
  return (ToUnixMillis(s.end) - ToUnixMillis(s.start)) / kMsPerMinute - s.unpaid_break_minutes;
}

// ---- The invoice computation ------------------------------------------------------------------

Result<InvoiceDraft> ComputeInvoice(const InvoiceInput& in) {
  FieldErrors errs;
  const FacilityBilling& fac = in.facility;
  if (!fac.id.valid()) errs.Add("facility.id", "required", "The facility is required.");
  bool zone_ok = IsValidTimeZone(fac.time_zone);
  if (!zone_ok) errs.Add("facility.time_zone", "invalid_time_zone", "Unknown IANA time zone.");
  const int64_t from_day = in.period_from.DaysSinceEpoch(), to_day = in.period_to.DaysSinceEpoch();
  const int64_t period_days = to_day - from_day;
  if (period_days <= 0)
    errs.Add("period_to", "not_after_from", "The billing period must end after it starts.");
  else if (period_days > kMaxPeriodDays)
    errs.Add("period_to", "too_long", "A billing period is at most 366 days.");
  ValidateAgreementsInto(in.agreements, fac.id, errs);

  // Prior state (BILL-OT-CARRY).
  MinutesMap prior_day, prior_week;
  auto read_prior = [&](const std::vector<PriorMinutes>& list, const char* name, int64_t max_minutes, bool week,
                        MinutesMap& out) {
    for (size_t i = 0; i < list.size(); ++i) {
      const auto& p = list[i];
      std::string f = std::string("prior.") + Idx(name, i);
      if (!p.clinician_id.valid()) errs.Add(f + ".clinician_id", "required", "The clinician is required.");
      if (p.minutes < 0 || p.minutes > max_minutes) errs.Add(f + ".minutes", "out_of_range", "Minutes out of range.");
      if (week && WeekdayOf(p.date) != fac.workweek_start)
        errs.Add(f + ".date", "not_workweek_start", "Week minutes are keyed by the first day of the workweek.");
      if (!out.emplace(std::pair{p.clinician_id.value, p.date.DaysSinceEpoch()}, p.minutes).second)
        errs.Add(f, "duplicate", "The same clinician and date appear twice.");
    }
  };
  read_prior(in.prior.day_minutes, "day_minutes", 25 * 60, false, prior_day);
  read_prior(in.prior.week_minutes, "week_minutes", 169 * 60, true, prior_week);
  if (!errs.empty()) return errs.ToError();

  // Agreements by effective date; the one in force on each day of the period.
  std::vector<const ServiceAgreement*> agreements;
  for (const auto& a : in.agreements) agreements.push_back(&a);
  std::sort(agreements.begin(), agreements.end(),
            [](const ServiceAgreement* a, const ServiceAgreement* b) { return a->effective_from < b->effective_from; });
  std::vector<int> agreement_of_day(static_cast<size_t>(period_days), -1);
  for (int64_t k = 0; k < period_days; ++k) {
    Date d = Date::FromDaysSinceEpoch(from_day + k);
    for (size_t j = 0; j < agreements.size(); ++j)
      if (InForce(*agreements[j], d)) agreement_of_day[static_cast<size_t>(k)] = static_cast<int>(j);
  }
  int governing = -1;  // BILL-DUE-DATE: in force on the last day, else on the latest day that has one
  for (int64_t k = period_days - 1; k >= 0 && governing < 0; --k) governing = agreement_of_day[static_cast<size_t>(k)];
  if (governing < 0)
    return Error::Invalid("agreements", "none_in_force", "No service agreement is in force during the billing period.");

  DayTable days;
  days.first_day = from_day;
  for (int64_t k = 0; k <= period_days + 2; ++k) {
    OPENMSO_ASSIGN_OR_RETURN(int64_t ms, DayStartMs(from_day + k, fac.time_zone));
    days.start_ms.push_back(ms);
  }
  const int64_t period_start_ms = days.start_ms[0], period_end_ms = days.start_ms[static_cast<size_t>(period_days)];
  // Holiday flags per agreement per day index (BILL-HOLIDAY).
  std::vector<std::vector<uint8_t>> holiday(agreements.size(), std::vector<uint8_t>(days.start_ms.size(), 0));
  for (size_t j = 0; j < agreements.size(); ++j)
    for (Date h : agreements[j]->holidays) {
      int64_t k = h.DaysSinceEpoch() - from_day;
      if (k >= 0 && k < static_cast<int64_t>(days.start_ms.size())) holiday[j][static_cast<size_t>(k)] = 1;
    }

  // BILL-SHIFT-VALID, per shift.
  const size_t n = in.shifts.size();
  std::vector<Work> work(n);
  for (size_t i = 0; i < n; ++i) {
    const BillableShift& s = in.shifts[i];
    Work& w = work[i];
    w.index = static_cast<uint32_t>(i);
    w.start_ms = ToUnixMillis(s.start);
    w.end_ms = ToUnixMillis(s.end);
    auto bad = [&](const std::string& field, const char* code, const std::string& message) {
      errs.Add(Idx("shifts", i) + "." + field, code, Ts(s.timesheet_id) + message);
    };
    if (!s.timesheet_id.valid()) bad("timesheet_id", "required", "the timesheet id is required.");
    if (!s.shift_id.valid()) bad("shift_id", "required", "the shift id is required.");
    if (!s.clinician_id.valid()) bad("clinician_id", "required", "the clinician is required.");
    if (s.time_zone != fac.time_zone) bad("time_zone", "not_facility_zone", "the time zone is not the facility's.");
    bool times_ok = true;
    if (w.start_ms % kMsPerMinute != 0) bad("start", "not_whole_minute", "approved times are whole minutes."), times_ok = false;
    if (w.end_ms % kMsPerMinute != 0) bad("end", "not_whole_minute", "approved times are whole minutes."), times_ok = false;
    if (w.end_ms <= w.start_ms) {
      bad("end", "end_before_start", "the shift must end after it starts.");
      times_ok = false;
    } else if (w.end_ms - w.start_ms > kMaxShiftMinutes * kMsPerMinute) {
      bad("end", "too_long", "a timesheet covers at most 24 hours.");
      times_ok = false;
    }
    w.timed = times_ok;
    if (times_ok) {
      int64_t length = (w.end_ms - w.start_ms) / kMsPerMinute;
      if (s.unpaid_break_minutes < 0 || s.unpaid_break_minutes >= length)
        bad("unpaid_break_minutes", "out_of_range", "the unpaid break must be 0 or more and shorter than the shift.");
      if (!s.breaks.empty()) {
        int64_t total = 0, prev_end = w.start_ms;
        bool ok = true;
        for (size_t j = 0; j < s.breaks.size(); ++j) {
          int64_t b0 = ToUnixMillis(s.breaks[j].start), b1 = ToUnixMillis(s.breaks[j].end);
          if (b0 < prev_end || b1 <= b0 || b1 > w.end_ms || b0 % kMsPerMinute != 0 || b1 % kMsPerMinute != 0) {
            bad(Idx("breaks", j), "out_of_range", "breaks lie inside the shift, in order, apart, on whole minutes.");
            ok = false;
            break;
          }
          total += (b1 - b0) / kMsPerMinute;
          prev_end = b1;
        }
        if (ok && total != s.unpaid_break_minutes)
          bad("unpaid_break_minutes", "mismatch_breaks", "the unpaid break minutes differ from the breaks' total.");
      }
      if (w.start_ms < period_start_ms || w.start_ms >= period_end_ms) {
        bad("start", "outside_period",
            "starts on " + ToLocal(s.start, fac.time_zone).date.ToString() + ", outside the billing period " +
                in.period_from.ToString() + " to " + AddDays(in.period_to, -1).ToString() + ".");
      } else {
        size_t k = days.IndexOf(w.start_ms);
        w.agreement = agreement_of_day[k];
        if (w.agreement < 0)
          bad("start", "no_agreement",
              "no service agreement is in force on " + Date::FromDaysSinceEpoch(from_day + static_cast<int64_t>(k)).ToString() + ".");
      }
    }
    if (s.bill_rate_override) {
      if (*s.bill_rate_override <= Money())
        bad("bill_rate_override_cents", "not_positive", "the bill rate must be more than 0.");
      else if (*s.bill_rate_override > kMaxBillRate)
        bad("bill_rate_override_cents", "too_large", "the bill rate may be at most $1,000 an hour.");
      w.base = *s.bill_rate_override;
      w.override_rate = true;
    }
    if (s.discipline.empty()) {
      bad("discipline", "required", "the discipline is required.");
    } else if (!s.bill_rate_override && w.agreement >= 0) {
      const RateCardEntry* r = FindRate(*agreements[static_cast<size_t>(w.agreement)], s.discipline);
      if (r)
        w.base = r->bill_rate;
      else
        bad("discipline", "not_on_rate_card", "the rate card in force has no bill rate for " + s.discipline + ".");
    }
  }
  // BILL-EXACTLY-ONCE: no timesheet twice.
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return in.shifts[a].timesheet_id < in.shifts[b].timesheet_id;
  });
  for (size_t j = 1; j < n; ++j)
    if (in.shifts[order[j]].timesheet_id.valid() && in.shifts[order[j]].timesheet_id == in.shifts[order[j - 1]].timesheet_id)
      errs.Add(Idx("shifts", order[j]) + ".timesheet_id", "duplicate",
               Ts(in.shifts[order[j]].timesheet_id) + "the timesheet is listed twice.");
  // By clinician, then time: the order thresholds are counted in. No overlaps (a minute
  // worked twice would be billed twice).
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const auto &x = in.shifts[a], &y = in.shifts[b];
    if (x.clinician_id != y.clinician_id) return x.clinician_id < y.clinician_id;
    if (work[a].start_ms != work[b].start_ms) return work[a].start_ms < work[b].start_ms;
    return x.timesheet_id < y.timesheet_id;
  });
  for (size_t j = 1, latest = 0; j < n; ++j) {
    const auto &cur = in.shifts[order[j]], &prev = in.shifts[order[latest]];
    if (!work[order[j]].timed) continue;
    if (cur.clinician_id != prev.clinician_id || !work[order[latest]].timed) {
      latest = j;
      continue;
    }
    if (work[order[j]].start_ms < work[order[latest]].end_ms)
      errs.Add(Idx("shifts", order[j]) + ".start", "overlaps",
               Ts(cur.timesheet_id) + "overlaps timesheet " + std::to_string(prev.timesheet_id.value) +
                   " of the same clinician.");
    if (work[order[j]].end_ms > work[order[latest]].end_ms) latest = j;
  }
  if (!errs.empty()) return errs.ToError();

  // Classify every worked minute: regular, overtime or holiday (BILL-OT-*, BILL-HOLIDAY,
  // BILL-NO-PYRAMID), counting thresholds per clinician in time order.
  MinutesMap carry_day, carry_week;
  for (const auto& [key, m] : prior_day)
    if (key.second >= to_day) carry_day[key] = m;
  for (const auto& [key, m] : prior_week)
    if (key.second + 7 > to_day) carry_week[key] = m;
  const int64_t day_count = static_cast<int64_t>(days.start_ms.size()) - 1;  // days with a known end
  size_t g = 0;
  std::vector<std::pair<int64_t, int64_t>> worked;  // intervals of the current shift
  while (g < n) {
    const int64_t clinician = in.shifts[order[g]].clinician_id.value;
    int64_t day_key = INT64_MIN, day_minutes = 0, week_key = INT64_MIN, week_minutes = 0;
    auto flush = [&]() {
      if (day_key != INT64_MIN && day_key >= to_day) carry_day[{clinician, day_key}] = day_minutes;
      if (week_key != INT64_MIN && week_key + 7 > to_day) carry_week[{clinician, week_key}] = week_minutes;
    };
    for (; g < n && in.shifts[order[g]].clinician_id.value == clinician; ++g) {
      Work& w = work[order[g]];
      const BillableShift& s = in.shifts[w.index];
      const ServiceAgreement& a = *agreements[static_cast<size_t>(w.agreement)];
      const auto& hol = holiday[static_cast<size_t>(w.agreement)];
      worked.clear();
      if (!s.breaks.empty()) {
        int64_t at = w.start_ms;
        for (const auto& b : s.breaks) {
          if (ToUnixMillis(b.start) > at) worked.push_back({at, ToUnixMillis(b.start)});
          at = ToUnixMillis(b.end);
        }
        if (at < w.end_ms) worked.push_back({at, w.end_ms});
      } else if (s.unpaid_break_minutes > 0) {
        int64_t length = (w.end_ms - w.start_ms) / kMsPerMinute;
        int64_t b0 = w.start_ms + (length - s.unpaid_break_minutes) / 2 * kMsPerMinute;
        int64_t b1 = b0 + s.unpaid_break_minutes * kMsPerMinute;
        if (b0 > w.start_ms) worked.push_back({w.start_ms, b0});
        if (b1 < w.end_ms) worked.push_back({b1, w.end_ms});
      } else {
        worked.push_back({w.start_ms, w.end_ms});
      }
      const int64_t threshold = a.overtime.kind == OvertimeKind::kWeekly  ? kWeeklyThresholdMinutes
                                : a.overtime.kind == OvertimeKind::kDaily ? a.overtime.daily_threshold_hours * 60
                                                                          : INT64_MAX;
      const bool holiday_wins = a.holiday_multiplier_bp >= a.overtime_multiplier_bp;
      for (auto [t0, t1] : worked) {
        size_t k = days.IndexOf(t0);
        while (t0 < t1) {
          if (static_cast<int64_t>(k) >= day_count) return Error::Internal("shift beyond the day table");
          int64_t seg_end = std::min(t1, days.start_ms[k + 1]);
          int64_t m = (seg_end - t0) / kMsPerMinute;
          int64_t day = from_day + static_cast<int64_t>(k);
          if (day != day_key) {
            flush();
            day_key = day;
            auto it = prior_day.find({clinician, day});
            day_minutes = it == prior_day.end() ? 0 : it->second;
          }
          int64_t week = WeekStartDay(day, fac.workweek_start);
          if (week != week_key) {
            flush();
            week_key = week;
            auto it = prior_week.find({clinician, week});
            week_minutes = it == prior_week.end() ? 0 : it->second;
          }
          int64_t before = a.overtime.kind == OvertimeKind::kDaily ? day_minutes : week_minutes;
          int64_t regular_part = std::clamp<int64_t>(threshold == INT64_MAX ? m : threshold - before, 0, m);
          int64_t ot_part = m - regular_part;
          if (hol[k]) {
            if (holiday_wins) {
              w.holiday += m;
            } else {
              w.holiday += regular_part;
              w.overtime += ot_part;
            }
          } else {
            w.regular += regular_part;
            w.overtime += ot_part;
          }
          day_minutes += m;
          week_minutes += m;
          t0 = seg_end;
          ++k;
        }
      }
    }
    flush();
  }

  // Lines in document order: by shift start, then timesheet id.
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (work[a].start_ms != work[b].start_ms) return work[a].start_ms < work[b].start_ms;
    return in.shifts[a].timesheet_id < in.shifts[b].timesheet_id;
  });
  InvoiceDraft out;
  Invoice& inv = out.invoice;
  inv.facility_id = fac.id;
  inv.status = InvoiceStatus::kDraft;
  inv.period_from = in.period_from;
  inv.period_to = in.period_to;
  inv.issue_date = in.issue_date;
  inv.payment_terms_days = agreements[static_cast<size_t>(governing)]->payment_terms_days;
  inv.due_date = AddDays(in.issue_date, inv.payment_terms_days);
  inv.lines.reserve(n * 2 + 4);
  std::vector<Money> labor_of(agreements.size());
  std::vector<int64_t> shifts_of(agreements.size(), 0);
  for (uint32_t idx : order) {
    const Work& w = work[idx];
    const BillableShift& s = in.shifts[idx];
    const ServiceAgreement& a = *agreements[static_cast<size_t>(w.agreement)];
    auto add = [&](LineKind kind, std::string_view rule, int64_t minutes, int bp) {
      if (minutes == 0) return;
      InvoiceLine& l = inv.lines.emplace_back();
      l.line_no = static_cast<int>(inv.lines.size());
      l.kind = kind;
      l.rule_id = rule;
      l.agreement_id = a.id;
      l.timesheet_id = s.timesheet_id;
      l.shift_id = s.shift_id;
      l.clinician_id = s.clinician_id;
      l.discipline = s.discipline;
      l.shift_start = s.start;
      l.minutes = minutes;
      l.multiplier_bp = bp;
      l.base_rate = w.base;
      l.rate = bp == 10'000 ? w.base : w.base.MulRatio(bp, 10'000);  // BILL-RATE-ROUND
      l.amount = l.rate.MulRatio(minutes, 60);                         // BILL-LINE-ROUND
      inv.labor_minutes += minutes;
      inv.labor_subtotal += l.amount;
      labor_of[static_cast<size_t>(w.agreement)] += l.amount;
    };
    add(LineKind::kRegular, w.override_rate ? kRuleRateOverride : kRuleRateCard, w.regular, 10'000);
    add(LineKind::kOvertime, a.overtime.kind == OvertimeKind::kDaily ? kRuleOtDaily : kRuleOtWeekly, w.overtime,
        a.overtime_multiplier_bp);
    add(LineKind::kHoliday, kRuleHoliday, w.holiday, a.holiday_multiplier_bp);
    ++shifts_of[static_cast<size_t>(w.agreement)];
  }

  // Fees, per agreement in date order.
  auto add_fee = [&](const ServiceAgreement& a, LineKind kind, std::string_view rule) -> InvoiceLine& {
    InvoiceLine& l = inv.lines.emplace_back();
    l.line_no = static_cast<int>(inv.lines.size());
    l.kind = kind;
    l.rule_id = rule;
    l.agreement_id = a.id;
    return l;
  };
  const Date last_day = AddDays(in.period_to, -1);
  const int flat_agreement = agreement_of_day[static_cast<size_t>(period_days - 1)];
  const YearMonth month = MonthOf(last_day);
  const bool month_charged =
      std::find(in.prior.flat_fee_months.begin(), in.prior.flat_fee_months.end(), month) != in.prior.flat_fee_months.end();
  bool charged_now = false;
  for (size_t j = 0; j < agreements.size(); ++j) {
    const ServiceAgreement& a = *agreements[j];
    if (a.fee.percent_bp > 0 && labor_of[j] > Money()) {  // BILL-FEE-PERCENT
      InvoiceLine& l = add_fee(a, LineKind::kFeePercent, kRuleFeePercent);
      l.multiplier_bp = a.fee.percent_bp;
      l.basis = labor_of[j];
      l.amount = labor_of[j].MulRatio(a.fee.percent_bp, 10'000);
    }
    if (a.fee.per_shift > Money() && shifts_of[j] > 0) {  // BILL-FEE-PER-SHIFT
      InvoiceLine& l = add_fee(a, LineKind::kFeePerShift, kRuleFeePerShift);
      l.quantity = shifts_of[j];
      l.rate = a.fee.per_shift;
      l.amount = Money::Cents(a.fee.per_shift.cents() * shifts_of[j]);
    }
    if (static_cast<int>(j) == flat_agreement && a.fee.flat_monthly > Money() && !month_charged) {  // BILL-FEE-FLAT-MONTHLY
      InvoiceLine& l = add_fee(a, LineKind::kFeeFlatMonthly, kRuleFeeFlatMonthly);
      l.quantity = 1;
      l.rate = a.fee.flat_monthly;
      l.month = month;
      l.amount = a.fee.flat_monthly;
      charged_now = true;
    }
  }
  for (const auto& l : inv.lines)
    if (!IsLabor(l.kind)) inv.fee_total += l.amount;
  inv.total = inv.labor_subtotal + inv.fee_total;

  // The state the next period starts from (BILL-OT-CARRY).
  for (const auto& [key, m] : carry_day) out.carry_forward.day_minutes.push_back({ClinicianId(key.first), Date::FromDaysSinceEpoch(key.second), m});
  for (const auto& [key, m] : carry_week) out.carry_forward.week_minutes.push_back({ClinicianId(key.first), Date::FromDaysSinceEpoch(key.second), m});
  for (const YearMonth& ym : in.prior.flat_fee_months)
    if (ym >= month) out.carry_forward.flat_fee_months.push_back(ym);
  if (charged_now) out.carry_forward.flat_fee_months.push_back(month);
  auto& months = out.carry_forward.flat_fee_months;
  std::sort(months.begin(), months.end());
  months.erase(std::unique(months.begin(), months.end()), months.end());
  return out;
}

Result<void> CheckTotals(const Invoice& inv) {
  int64_t minutes = 0;
  Money labor, fees;
  for (size_t i = 0; i < inv.lines.size(); ++i) {
    const InvoiceLine& l = inv.lines[i];
    std::string f = Idx("lines", i);
    if (l.line_no != static_cast<int>(i) + 1) return Error::Invalid(f + ".line_no", "out_of_order", "Lines are numbered 1..n.");
    Money expected;
    switch (l.kind) {
      case LineKind::kRegular:
      case LineKind::kOvertime:
      case LineKind::kHoliday:
        if (l.rate != l.base_rate.MulRatio(l.multiplier_bp, 10'000))
          return Error::Invalid(f + ".rate_cents", "mismatch", "The rate is not the base rate times the multiplier.");
        expected = l.rate.MulRatio(l.minutes, 60);
        minutes += l.minutes;
        break;
      case LineKind::kFeePercent: expected = l.basis.MulRatio(l.multiplier_bp, 10'000); break;
      case LineKind::kFeePerShift: expected = Money::Cents(l.rate.cents() * l.quantity); break;
      case LineKind::kFeeFlatMonthly: expected = l.rate; break;
    }
    if (l.amount != expected) return Error::Invalid(f + ".amount_cents", "mismatch", "The line amount does not follow its rule.");
    (IsLabor(l.kind) ? labor : fees) += l.amount;
  }
  if (minutes != inv.labor_minutes) return Error::Invalid("labor_minutes", "mismatch", "Labor minutes do not add up.");
  if (labor != inv.labor_subtotal) return Error::Invalid("labor_subtotal_cents", "mismatch", "The labor subtotal does not add up.");
  if (fees != inv.fee_total) return Error::Invalid("fee_total_cents", "mismatch", "The fees do not add up.");
  if (inv.total != labor + fees) return Error::Invalid("total_cents", "mismatch", "The total does not add up.");
  return Ok();
}

Result<void> CheckEditable(const Invoice& invoice) {
  if (invoice.status != InvoiceStatus::kDraft)
    return Error::Conflict("invoice-finalized", "A finalized invoice cannot change; dispute it for a credit memo.");
  return Ok();
}

// ---- Document numbers (BILL-NUMBER) ---------------------------------------------------------------

namespace {
constexpr int64_t kMaxSequence = 999'999'999;
std::string_view SeriesPrefix(DocumentSeries s) { return s == DocumentSeries::kInvoice ? "INV" : "CM"; }
}  // namespace

std::string FormatDocumentNumber(const DocumentNumber& n) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s-%04d-%06lld", SeriesPrefix(n.series).data(), n.year,
                static_cast<long long>(n.sequence));
  return buf;
}

Result<DocumentNumber> ParseDocumentNumber(std::string_view text) {
  auto malformed = [] {
    return Error::Invalid("number", "malformed", "A document number looks like INV-2026-000123 or CM-2026-000001.");
  };
  DocumentNumber n;
  if (text.starts_with("INV-")) {
    n.series = DocumentSeries::kInvoice;
    text.remove_prefix(4);
  } else if (text.starts_with("CM-")) {
    n.series = DocumentSeries::kCreditMemo;
    text.remove_prefix(3);
  } else {
    return malformed();
  }
  if (text.size() < 11 || text[4] != '-') return malformed();
  std::string_view year = text.substr(0, 4), seq = text.substr(5);
  auto digits = [](std::string_view s, int64_t& out) {
    out = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return !s.empty();
  };
  int64_t y = 0, q = 0;
  if (!digits(year, y) || y < 2000 || seq.size() < 6 || seq.size() > 9 || !digits(seq, q)) return malformed();
  if (seq.size() > 6 && seq[0] == '0') return malformed();  // only the canonical form
  if (q < 1) return malformed();
  n.year = static_cast<int>(y);
  n.sequence = q;
  return n;
}

Result<DocumentNumber> NextDocumentNumber(DocumentSeries series, int year, const std::optional<DocumentNumber>& last) {
  if (year < 2000 || year > 9999) return Error::Invalid("year", "out_of_range", "The year must be 2000 to 9999.");
  if (!last || last->year < year) return DocumentNumber{series, year, 1};
  if (last->series != series) return Error::Invalid("series", "mismatch", "The last number is of another series.");
  if (last->year > year) return Error::Invalid("year", "before_last", "The last number was issued in a later year.");
  if (last->sequence >= kMaxSequence) return Error::Invalid("sequence", "exhausted", "The year's numbers are used up.");
  return DocumentNumber{series, year, last->sequence + 1};
}

Result<Invoice> Finalize(const Invoice& draft, const DocumentNumber& number, Date issue_date) {
  OPENMSO_TRY(CheckEditable(draft));
  FieldErrors errs;
  if (number.series != DocumentSeries::kInvoice) errs.Add("number", "wrong_series", "An invoice takes an INV number.");
  if (number.year != issue_date.year) errs.Add("number", "year_mismatch", "The number's year is not the issue date's.");
  if (!errs.empty()) return errs.ToError();
  if (auto ok = CheckTotals(draft); !ok.ok())
    return Error::Internal("invoice draft does not add up: " + ok.error().fields[0].field);
  Invoice inv = draft;
  inv.status = InvoiceStatus::kFinalized;
  inv.number = FormatDocumentNumber(number);
  inv.issue_date = issue_date;
  inv.due_date = AddDays(issue_date, inv.payment_terms_days);  // BILL-DUE-DATE
  return inv;
}

// ---- Credit memos and payments ------------------------------------------------------------------

Money Balance(const InvoiceAccount& a) {
  Money b = a.invoice.total;
  for (const auto& m : a.credit_memos) b += m.total;
  for (const auto& p : a.payments) b -= p.amount;
  return b;
}

InvoiceStatus StatusOf(const InvoiceAccount& a) {
  if (a.invoice.status == InvoiceStatus::kDraft) return InvoiceStatus::kDraft;
  Money balance = Balance(a);
  if (balance <= Money()) return InvoiceStatus::kPaid;
  Money paid;
  for (const auto& p : a.payments) paid += p.amount;
  return paid > Money() ? InvoiceStatus::kPartiallyPaid : InvoiceStatus::kFinalized;
}

Result<CreditMemo> CreateCreditMemo(const InvoiceAccount& a, const Dispute& d, const DocumentNumber& number) {
  const Invoice& inv = a.invoice;
  if (inv.status == InvoiceStatus::kDraft)
    return Error::Conflict("invoice-not-finalized", "A draft is recomputed, not credited.");
  FieldErrors errs;
  if (number.series != DocumentSeries::kCreditMemo) errs.Add("number", "wrong_series", "A credit memo takes a CM number.");
  if (d.reason.empty()) errs.Add("reason", "required", "Say why the invoice is disputed.");
  if (d.reason.size() > 2000) errs.Add("reason", "too_long", "The reason may be at most 2000 characters.");
  if (d.items.empty()) errs.Add("items", "required", "Name at least one disputed line.");
  // What earlier memos credited, per invoice line (amounts and minutes as positive numbers).
  std::vector<Money> credited(inv.lines.size() + 1);
  std::vector<int64_t> credited_minutes(inv.lines.size() + 1, 0);
  for (const auto& m : a.credit_memos)
    for (const auto& l : m.lines)
      if (l.credited_line_no >= 1 && l.credited_line_no <= static_cast<int>(inv.lines.size())) {
        credited[static_cast<size_t>(l.credited_line_no)] -= l.amount;
        credited_minutes[static_cast<size_t>(l.credited_line_no)] -= l.minutes;
      }
  CreditMemo memo;
  memo.number = FormatDocumentNumber(number);
  memo.invoice_number = inv.number;
  memo.issue_date = d.issue_date;
  memo.reason = d.reason;
  auto credit_line = [&](const InvoiceLine& src, int64_t minutes, Money amount) {
    InvoiceLine l = src;
    l.line_no = static_cast<int>(memo.lines.size()) + 1;
    l.credited_line_no = src.line_no;
    l.minutes = -minutes;
    l.quantity = 0;
    l.amount = -amount;
    memo.lines.push_back(std::move(l));
  };
  std::vector<int> seen;
  for (size_t i = 0; i < d.items.size(); ++i) {
    const DisputeItem& it = d.items[i];
    std::string f = Idx("items", i);
    if (it.line_no < 1 || it.line_no > static_cast<int>(inv.lines.size())) {
      errs.Add(f + ".line_no", "unknown_line", "The invoice has no such line.");
      continue;
    }
    if (std::find(seen.begin(), seen.end(), it.line_no) != seen.end()) {
      errs.Add(f + ".line_no", "duplicate", "The line is disputed twice in this dispute.");
      continue;
    }
    seen.push_back(it.line_no);
    const InvoiceLine& src = inv.lines[static_cast<size_t>(it.line_no - 1)];
    Money left = src.amount - credited[static_cast<size_t>(it.line_no)];
    int64_t minutes_left = src.minutes - credited_minutes[static_cast<size_t>(it.line_no)];
    if (left <= Money()) {
      errs.Add(f + ".line_no", "already_credited", "The line has been credited in full.");
      continue;
    }
    if (it.minutes && it.amount) {
      errs.Add(f, "minutes_and_amount", "Give minutes or an amount, not both.");
    } else if (it.minutes) {
      if (!IsLabor(src.kind)) {
        errs.Add(f + ".minutes", "not_labor_line", "Only labor lines are credited by minutes.");
      } else if (*it.minutes < 1 || *it.minutes > minutes_left) {
        errs.Add(f + ".minutes", "out_of_range", "Credit 1 to " + std::to_string(minutes_left) + " minutes of this line.");
      } else {
        Money amount = *it.minutes == minutes_left ? left : std::min(left, src.rate.MulRatio(*it.minutes, 60));
        credit_line(src, *it.minutes, amount);
      }
    } else if (it.amount) {
      if (*it.amount <= Money() || *it.amount > left)
        errs.Add(f + ".amount_cents", "out_of_range", "Credit more than 0 and at most " + left.ToDecimalString() + ".");
      else
        credit_line(src, 0, *it.amount);
    } else {
      credit_line(src, std::max<int64_t>(minutes_left, 0), left);
    }
  }
  if (!errs.empty()) return errs.ToError();
  // BILL-CREDIT-FEE-PERCENT: the fee left = percent x the labor left, per agreement.
  for (const InvoiceLine& fee : inv.lines) {
    if (fee.kind != LineKind::kFeePercent) continue;
    if (std::find(seen.begin(), seen.end(), fee.line_no) != seen.end()) continue;
    Money labor_credited;  // by earlier memos and this one
    for (const InvoiceLine& l : inv.lines)
      if (IsLabor(l.kind) && l.agreement_id == fee.agreement_id) labor_credited += credited[static_cast<size_t>(l.line_no)];
    bool touched = false;
    for (const InvoiceLine& l : memo.lines)
      if (IsLabor(l.kind) && l.agreement_id == fee.agreement_id) {
        labor_credited -= l.amount;
        touched = true;
      }
    if (!touched) continue;
    Money fee_left_now = fee.amount - credited[static_cast<size_t>(fee.line_no)];
    Money fee_target = (fee.basis - labor_credited).MulRatio(fee.multiplier_bp, 10'000);
    Money credit = std::min(fee_left_now, fee_left_now - fee_target);
    if (credit > Money()) credit_line(fee, 0, credit);
  }
  for (const auto& l : memo.lines) memo.total += l.amount;
  return memo;
}

Result<AppliedPayment> ApplyPayment(const InvoiceAccount& a, const PaymentInput& p) {
  if (a.invoice.status == InvoiceStatus::kDraft)
    return Error::Conflict("invoice-not-finalized", "Payments are recorded against finalized invoices.");
  Money balance = Balance(a);
  if (balance <= Money()) return Error::Conflict("invoice-settled", "The invoice has no open balance.");
  FieldErrors errs;
  if (p.amount <= Money()) errs.Add("amount_cents", "not_positive", "A payment is more than 0.");
  else if (p.amount > balance && !p.overpayment_credit)
    errs.Add("amount_cents", "exceeds_balance",
             "The payment is more than the open balance of " + balance.ToDecimalString() +
                 "; record the excess as a credit to the facility explicitly.");
  if (p.reference.size() > 200) errs.Add("reference", "too_long", "The reference may be at most 200 characters.");
  if (!errs.empty()) return errs.ToError();
  AppliedPayment out;
  out.applied = Payment{p.received_on, std::min(p.amount, balance), p.reference};
  out.unapplied = p.amount - out.applied.amount;
  return out;
}

// ---- A/R aging (BILL-AGING) -----------------------------------------------------------------------

int64_t DaysPastDue(Date due, Date as_of) { return as_of.DaysSinceEpoch() - due.DaysSinceEpoch(); }

AgingBucket BucketOf(Date due, Date as_of) {
  int64_t d = DaysPastDue(due, as_of);
  if (d <= 30) return AgingBucket::kCurrent;
  if (d <= 60) return AgingBucket::k31To60;
  if (d <= 90) return AgingBucket::k61To90;
  return AgingBucket::kOver90;
}

AgingReport Aging(const std::vector<AgingItem>& items, Date as_of) {
  AgingReport r;
  r.as_of = as_of;
  std::map<FacilityId, AgingBuckets> per;
  auto add = [&](AgingBuckets& b, const AgingItem& it) {
    ++b.invoices;
    if (it.balance.negative()) {
      b.credits += it.balance;
      return;
    }
    switch (BucketOf(it.due_date, as_of)) {
      case AgingBucket::kCurrent: b.current += it.balance; break;
      case AgingBucket::k31To60: b.days_31_60 += it.balance; break;
      case AgingBucket::k61To90: b.days_61_90 += it.balance; break;
      case AgingBucket::kOver90: b.over_90 += it.balance; break;
    }
  };
  for (const auto& it : items) {
    if (it.balance == Money()) continue;
    add(per[it.facility_id], it);
    add(r.totals, it);
  }
  for (const auto& [f, b] : per) r.facilities.push_back({f, b});
  return r;
}

}  // namespace openmso::billing
