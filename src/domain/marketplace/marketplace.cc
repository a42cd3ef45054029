// Shift validation, the pure eligibility rules (MKT-ELIG-*) and the ranking score
// (MKT-RANK) of the per-diem marketplace. No storage, no HTTP.
#include "domain/marketplace/marketplace.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

namespace openmso::marketplace {

std::string_view ShiftStatusName(ShiftStatus s) {
  switch (s) {
    case ShiftStatus::kOpen: return "open";
    case ShiftStatus::kFilled: return "filled";
    case ShiftStatus::kCancelled: return "cancelled";
  }
  return "open";
}

std::optional<ShiftStatus> ParseShiftStatus(std::string_view name) {
  for (auto s : {ShiftStatus::kOpen, ShiftStatus::kFilled, ShiftStatus::kCancelled})
    if (ShiftStatusName(s) == name) return s;
  return std::nullopt;
}

std::string_view ClaimStatusName(ClaimStatus s) {
  switch (s) {
    case ClaimStatus::kPending: return "pending";
    case ClaimStatus::kConfirmed: return "confirmed";
    case ClaimStatus::kDeclined: return "declined";
    case ClaimStatus::kCancelled: return "cancelled";
    case ClaimStatus::kWithdrawn: return "withdrawn";
  }
  return "pending";
}

std::string_view TimeoutActionName(TimeoutAction a) { return a == TimeoutAction::kApprove ? "approve" : "decline"; }

std::optional<TimeoutAction> ParseTimeoutAction(std::string_view name) {
  if (name == "approve") return TimeoutAction::kApprove;
  if (name == "decline") return TimeoutAction::kDecline;
  return std::nullopt;
}

Instant ClaimDecisionDue(Instant claimed_at, Instant shift_start, const MarketplaceSettings& settings) {
  return std::min(claimed_at + std::chrono::minutes(settings.approval_timeout_minutes), shift_start);
}

Result<void> CheckWithdrawal(ClaimStatus status, Instant shift_start, Instant now) {
  if (status != ClaimStatus::kPending && status != ClaimStatus::kConfirmed)
    return Error::Conflict("claim-decided", "The claim is already " + std::string(ClaimStatusName(status)) + ".");
  if (now > shift_start - kWithdrawCutoff)
    return Error::Conflict("withdraw-cutoff", "Claims can be withdrawn until 24 hours before the shift; ask the facility.");
  return Ok();
}

std::optional<FeedEntry> FeedEntryOf(const Claim& c) {
  switch (c.status) {
    case ClaimStatus::kConfirmed: return FeedEntry{false, c.revision};
    case ClaimStatus::kCancelled:
    case ClaimStatus::kWithdrawn:
      if (c.confirmed_at) return FeedEntry{true, c.revision};
      return std::nullopt;
    case ClaimStatus::kPending:
    case ClaimStatus::kDeclined: return std::nullopt;
  }
  return std::nullopt;
}

Result<void> CheckNoShow(const Claim& c, Instant shift_start, Instant now) {
  if (c.status != ClaimStatus::kConfirmed)
    return Error::Conflict("claim-not-confirmed", "Only a confirmed clinician can be a no-show.");
  if (c.no_show_at) return Error::Conflict("already-no-show", "The no-show is already recorded.");
  if (now < shift_start) return Error::Conflict("shift-not-started", "A no-show can be recorded once the shift has started.");
  return Ok();
}

std::string_view RaterName(Rater r) { return r == Rater::kFacility ? "facility" : "clinician"; }

Result<std::vector<std::string>> ValidateRating(int64_t stars, const std::vector<std::string>& tags) {
  FieldErrors errs;
  if (stars < 1 || stars > 5) errs.Add("stars", "out_of_range", "Stars must be 1 to 5.");
  if (tags.size() > static_cast<size_t>(kMaxRatingTags)) errs.Add("tags", "too_many", "At most 10 tags.");
  std::vector<std::string> out;
  for (size_t i = 0; i < tags.size() && i < static_cast<size_t>(kMaxRatingTags); ++i) {
    std::string t = tags[i];
    while (!t.empty() && t.back() == ' ') t.pop_back();
    size_t lead = t.find_first_not_of(' ');
    t = lead == std::string::npos ? "" : t.substr(lead);
    bool ok = !t.empty() && t.size() <= kMaxRatingTagLength;
    for (char& ch : t) {
      unsigned char u = static_cast<unsigned char>(ch);
      if (std::isupper(u)) ch = static_cast<char>(std::tolower(u));
      else if (!(std::islower(u) || std::isdigit(u) || ch == ' ' || ch == '-' || ch == '_')) ok = false;
    }
    std::string field = "tags." + std::to_string(i);
    if (!ok) errs.Add(field, "invalid", "A tag is 1 to 40 characters: letters a-z, digits, spaces, '-' or '_'.");
    else if (std::find(out.begin(), out.end(), t) != out.end()) errs.Add(field, "duplicate", "This tag is given twice.");
    else out.push_back(std::move(t));
  }
  if (!errs.empty()) return errs.ToError();
  return out;
}

Result<void> CheckRatable(const Claim& c, Instant shift_end, Rater rater, Instant now) {
  if (c.status != ClaimStatus::kConfirmed || (rater == Rater::kClinician && c.no_show_at))
    return Error::Conflict("claim-not-worked", "Only a worked shift can be rated.");
  if (now < shift_end) return Error::Conflict("shift-not-ended", "A shift can be rated once it has ended.");
  return Ok();
}

std::optional<ClaimStatus> ParseClaimStatus(std::string_view name) {
  for (auto s : {ClaimStatus::kPending, ClaimStatus::kConfirmed, ClaimStatus::kDeclined, ClaimStatus::kCancelled,
                 ClaimStatus::kWithdrawn})
    if (ClaimStatusName(s) == name) return s;
  return std::nullopt;
}

Result<void> ValidateSettings(const MarketplaceSettings& s) {
  FieldErrors errs;
  if (s.eligibility.min_rest < std::chrono::minutes(0) || s.eligibility.min_rest > std::chrono::hours(24))
    errs.Add("min_rest_minutes", "out_of_range", "The minimum rest must be 0 to 1440 minutes.");
  if (s.eligibility.weekly_hours_cap < 1 || s.eligibility.weekly_hours_cap > 100)
    errs.Add("weekly_hours_cap", "out_of_range", "The weekly hours cap must be 1 to 100.");
  if (s.eligibility.max_consecutive_days < 1 || s.eligibility.max_consecutive_days > 14)
    errs.Add("max_consecutive_days", "out_of_range", "The maximum of consecutive days must be 1 to 14.");
  if (s.cancellation_window_hours < 0 || s.cancellation_window_hours > 168)
    errs.Add("cancellation_window_hours", "out_of_range", "The cancellation window must be 0 to 168 hours.");
  if (s.cancellation_pay_hours < 0 || s.cancellation_pay_hours > 24)
    errs.Add("cancellation_pay_hours", "out_of_range", "Cancellation pay must be 0 to 24 hours.");
  if (s.approval_timeout_minutes < 1 || s.approval_timeout_minutes > 7 * 24 * 60)
    errs.Add("approval_timeout_minutes", "out_of_range", "The approval timeout must be 1 to 10080 minutes.");
  if (s.tier1_minutes < 0 || s.tier1_minutes > 1440)
    errs.Add("tier1_minutes", "out_of_range", "Tier 1 (own staff and favorites) lasts 0 to 1440 minutes.");
  if (s.tier2_minutes < 0 || s.tier2_minutes > 1440)
    errs.Add("tier2_minutes", "out_of_range", "Tier 2 (the float pool) lasts 0 to 1440 minutes.");
  if (!errs.empty()) return errs.ToError();
  return Ok();
}

// MKT-CANCEL-PAY (issue 4 part 1).
std::optional<Money> CancellationPay(const Shift& shift, const MarketplaceSettings& settings, Instant now) {
  if (now <= shift.start - std::chrono::hours(settings.cancellation_window_hours)) return std::nullopt;
  int64_t minutes = std::min<int64_t>(int64_t{settings.cancellation_pay_hours} * 60, shift.PaidLength().count());
  if (minutes <= 0) return std::nullopt;
  Money pay = shift.pay_rate.MulRatio(minutes, 60);
  if (pay <= Money()) return std::nullopt;
  return pay;
}

// MKT-SHIFT-VALID (issue 4, "Bad input").
Result<ShiftTimes> ValidateShift(const ShiftDraft& d, const org::Facility& facility, const std::vector<org::Unit>& units,
                                 const std::vector<credentialing::Discipline>& disciplines, Instant now) {
  FieldErrors errs;
  if (std::none_of(units.begin(), units.end(), [&](const org::Unit& u) { return u.id == d.unit_id && u.facility_id == facility.id; }))
    errs.Add("unit_id", "unknown_unit", "The unit is not a unit of this facility.");
  if (std::none_of(disciplines.begin(), disciplines.end(), [&](const auto& x) { return x.code == d.discipline; }))
    errs.Add("discipline", "unknown_discipline", "Unknown discipline.");
  // MKT-LOCAL-TIME: a gap time is refused; a repeated-hour time needs its fold.
  auto start = ResolveLocal(d.start_local, facility.time_zone, d.start_fold, "start");
  auto end = ResolveLocal(d.end_local, facility.time_zone, d.end_fold, "end");
  for (const auto* r : {&start, &end})
    if (!r->ok())
      for (const auto& f : r->error().fields) errs.Add(f.field, f.code, f.message);
  if (start.ok() && end.ok()) {
    if (*end <= *start) {
      errs.Add("end", "end_before_start", "The shift must end after it starts.");
    } else {
      if (*end - *start > kMaxShiftLength) errs.Add("end", "too_long", "A shift may last at most 16 hours.");
      if (d.break_minutes >= std::chrono::duration_cast<std::chrono::minutes>(*end - *start).count())
        errs.Add("break_minutes", "out_of_range", "The break must be shorter than the shift.");
    }
    if (*start <= now) errs.Add("start", "in_past", "The shift must start in the future.");
  }
  if (d.break_minutes < 0 || d.break_minutes > kMaxBreakMinutes)
    errs.Add("break_minutes", "out_of_range", "The unpaid break must be 0 to 120 minutes.");
  if (d.openings < 1 || d.openings > kMaxOpenings) errs.Add("openings", "out_of_range", "Openings must be 1 to 50.");
  if (d.pay_rate <= Money() || d.pay_rate > kMaxHourlyRate)
    errs.Add("pay_rate_cents", "out_of_range", "The pay rate must be more than 0 and at most $1,000 an hour.");
  if (d.bill_rate && (d.bill_rate->negative() || *d.bill_rate > kMaxHourlyRate))
    errs.Add("bill_rate_cents", "out_of_range", "The bill rate must be 0 to $1,000 an hour.");
  if (d.incentive.negative() || d.incentive > kMaxIncentive)
    errs.Add("incentive_cents", "out_of_range", "The incentive must be 0 to $5,000.");
  if (d.notes.size() > 2000) errs.Add("notes", "too_long", "Notes may be at most 2000 characters.");
  if (!errs.empty()) return errs.ToError();
  return ShiftTimes{*start, *end};
}

Result<Money> ResolveBillRate(std::optional<Money> given, std::optional<Money> rate_card) {
  if (given) return *given;
  if (rate_card) return *rate_card;
  return Error::Invalid("bill_rate_cents", "required", "No rate card covers this discipline here; give a bill rate.");
}

std::vector<ShiftDraft> ExpandDates(const ShiftDraft& d, const std::vector<Date>& dates) {
  if (dates.empty()) return {d};
  int64_t offset = d.end_local.date.DaysSinceEpoch() - d.start_local.date.DaysSinceEpoch();
  std::vector<ShiftDraft> out;
  for (const Date& day : dates) {
    ShiftDraft x = d;
    x.start_local.date = day;
    x.end_local.date = Date::FromDaysSinceEpoch(day.DaysSinceEpoch() + offset);
    out.push_back(std::move(x));
  }
  return out;
}

namespace {

std::string Hours(std::chrono::minutes m) {
  std::string s = std::to_string(m.count() / 60);
  if (m.count() % 60) s += "h" + std::to_string(m.count() % 60);
  return s + " h";
}

// Monday 00:00 of the week holding `t` in `zone`, and the next Monday 00:00, as instants.
std::pair<Instant, Instant> WeekOf(Instant t, std::string_view zone) {
  Date d = ToLocal(t, zone).date;
  int64_t days = d.DaysSinceEpoch();
  int64_t monday = days - ((days % 7 + 7 + 3) % 7);  // 1970-01-01 was a Thursday
  auto midnight = [&](int64_t day) {
    auto r = ToInstant(LocalDateTime{Date::FromDaysSinceEpoch(day), 0}, zone);
    // A zone whose midnight is skipped (rare): fall back to 01:00.
    if (!r.ok()) r = ToInstant(LocalDateTime{Date::FromDaysSinceEpoch(day), 60}, zone);
    return r.ok() ? *r : t;
  };
  return {midnight(monday), midnight(monday + 7)};
}

}  // namespace

Eligibility Evaluate(const Shift& shift, GeoPoint facility, const ClinicianFacts& c, const EligibilitySettings& settings) {
  Eligibility e;
  auto add = [&](std::string_view id, bool passed, std::string message) {
    e.rules.push_back({std::string(id), passed, std::move(message)});
  };
  // MKT-ELIG-LICENSE
  {
    bool ok = c.compliance.status != credentialing::ComplianceStatus::kNonCompliant;
    std::string why;
    for (const auto& r : c.compliance.reasons) {
      if (r.code == "credential_expiring" || r.code == "excluded") continue;
      why += (why.empty() ? "" : "; ") + r.message;
    }
    add("MKT-ELIG-LICENSE", ok,
        ok ? "Licensed and compliant with the facility's requirements on the shift date."
           : "Not compliant on the shift date: " + why);
  }
  // MKT-ELIG-EXCLUDED
  add("MKT-ELIG-EXCLUDED", !c.excluded,
      c.excluded ? "Matches an exclusion list entry; federal programs may not pay for their services."
                 : "Not on an exclusion list.");
  // MKT-ELIG-DNR
  add("MKT-ELIG-DNR", !c.do_not_return,
      c.do_not_return ? "On this facility's do-not-return list." : "Not on this facility's do-not-return list.");
  // MKT-ELIG-OVERLAP and MKT-ELIG-REST
  const BookedShift* overlap = nullptr;
  const BookedShift* too_close = nullptr;
  std::chrono::milliseconds closest_gap{0};
  for (const auto& b : c.booked) {
    if (b.id == shift.id) continue;
    if (b.start < shift.end && shift.start < b.end) {
      overlap = &b;
      continue;
    }
    auto gap = b.end <= shift.start ? shift.start - b.end : b.start - shift.end;
    if (gap < settings.min_rest && (!too_close || gap < closest_gap)) {
      too_close = &b;
      closest_gap = gap;
    }
  }
  add("MKT-ELIG-OVERLAP", !overlap,
      overlap ? "Already booked on a shift that overlaps this one." : "No booked shift overlaps this one.");
  add("MKT-ELIG-REST", !too_close,
      too_close ? "Only " + Hours(std::chrono::duration_cast<std::chrono::minutes>(closest_gap)) +
                      " of rest next to another booked shift; the minimum is " + Hours(settings.min_rest) + "."
                : "At least " + Hours(settings.min_rest) + " of rest before and after.");
  // MKT-ELIG-WEEKLY-HOURS
  {
    auto [from, to] = WeekOf(shift.start, shift.time_zone);
    std::chrono::minutes total = shift.PaidLength();
    for (const auto& b : c.booked)
      if (b.id != shift.id && b.start >= from && b.start < to) total += b.paid;
    e.week_paid_with_shift = total;
    bool ok = total <= std::chrono::hours(settings.weekly_hours_cap);
    add("MKT-ELIG-WEEKLY-HOURS", ok,
        (ok ? "This week's paid time with this shift is " : "This shift would make this week's paid time ") +
            Hours(total) + (ok ? ", within " : ", over ") + "the cap of " + std::to_string(settings.weekly_hours_cap) + " h.");
  }
  // MKT-ELIG-CONSECUTIVE-DAYS
  {
    int64_t day = ToLocal(shift.start, shift.time_zone).date.DaysSinceEpoch();
    std::set<int64_t> worked;
    for (const auto& b : c.booked)
      if (b.id != shift.id) worked.insert(ToLocal(b.start, b.time_zone.empty() ? shift.time_zone : b.time_zone).date.DaysSinceEpoch());
    int run = 1;
    for (int64_t d = day - 1; worked.count(d); --d) ++run;
    for (int64_t d = day + 1; worked.count(d); ++d) ++run;
    bool ok = run <= settings.max_consecutive_days;
    std::string days = std::to_string(run) + (run == 1 ? " day" : " consecutive days");
    add("MKT-ELIG-CONSECUTIVE-DAYS", ok,
        ok ? "With this shift, " + days + " of work, within the maximum of " + std::to_string(settings.max_consecutive_days) + "."
           : "This shift would make " + days + " of work; the maximum is " + std::to_string(settings.max_consecutive_days) + ".");
  }
  // MKT-ELIG-DISTANCE
  {
    e.distance_km = c.home.valid() ? DistanceMeters(c.home, facility) / 1000.0 : 1e9;
    bool ok = e.distance_km <= static_cast<double>(c.travel_radius_km);
    char km[32];
    std::snprintf(km, sizeof km, "%.1f", std::min(e.distance_km, 99999.0));
    add("MKT-ELIG-DISTANCE", ok,
        std::string(km) + " km from home; the travel radius is " + std::to_string(c.travel_radius_km) + " km.");
  }
  e.eligible = std::all_of(e.rules.begin(), e.rules.end(), [](const RuleResult& r) { return r.passed; });
  return e;
}

Score Rank(const ClinicianFacts& c, const Eligibility& e) {
  Score s;
  s.favorite = c.favorite ? 1000 : 0;
  s.reliability = 300.0 * (c.completed + 1) / (c.completed + c.cancelled + 2.0 * c.no_shows + 2.0);
  s.rating = 40.0 * (std::clamp(c.rating.value_or(3.0), 1.0, 5.0) - 1.0);
  s.distance = -std::min(200.0, 2.0 * e.distance_km);
  s.overtime = e.week_paid_with_shift > std::chrono::hours(40) ? -150 : 0;
  return s;
}

}  // namespace openmso::marketplace
