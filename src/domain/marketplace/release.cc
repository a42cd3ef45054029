// The posting-side rules added for issue 4 parts 1, 4 and 8: local times in a repeated
// hour (MKT-LOCAL-TIME), recurrences (MKT-RECURRENCE), shift edits (MKT-SHIFT-EDIT), the
// tiered release (MKT-TIER-RELEASE) and fill metrics (MKT-FILL-METRICS). Pure; no storage.
#include <date/tz.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "domain/marketplace/marketplace.h"

namespace openmso::marketplace {

// ---- MKT-LOCAL-TIME ----------------------------------------------------------------------------

std::string_view FoldName(Fold f) { return f == Fold::kEarlier ? "earlier" : "later"; }

std::optional<Fold> ParseFold(std::string_view name) {
  if (name == "earlier") return Fold::kEarlier;
  if (name == "later") return Fold::kLater;
  return std::nullopt;
}

namespace {

std::string OffsetText(std::chrono::seconds offset) {
  int64_t m = offset.count() / 60;
  char sign = m < 0 ? '-' : '+';
  m = m < 0 ? -m : m;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, static_cast<int>(m / 60), static_cast<int>(m % 60));
  return buf;
}

}  // namespace

Result<Instant> ResolveLocal(const LocalDateTime& local, std::string_view zone, std::optional<Fold> fold,
                             std::string_view field) {
  if (!IsValidTimeZone(zone)) return Error::Invalid("time_zone", "invalid_time_zone", "Unknown IANA time zone.");
  const date::time_zone* tz = date::locate_zone(std::string(zone));
  date::local_seconds ls{date::local_days(date::days(local.date.DaysSinceEpoch())) +
                         std::chrono::minutes(local.minutes_of_day)};
  auto info = tz->get_info(ls);
  if (info.result == date::local_info::nonexistent)
    return Error::Invalid(std::string(field), "nonexistent_local_time",
                          "This local time does not exist in the facility's time zone (clocks spring forward).");
  auto offset = info.first.offset;
  if (info.result == date::local_info::ambiguous) {
    if (!fold)
      return Error::Invalid(std::string(field), "ambiguous_local_time",
                            "This local time happens twice in the facility's time zone (clocks fall back): choose "
                            "the earlier (UTC" + OffsetText(info.first.offset) + ") or the later (UTC" +
                                OffsetText(info.second.offset) + ") one.");
    if (*fold == Fold::kLater) offset = info.second.offset;
  }
  return Instant(std::chrono::duration_cast<std::chrono::milliseconds>(ls.time_since_epoch() - offset));
}

Fold FoldOf(Instant t, std::string_view zone) {
  auto earlier = ResolveLocal(ToLocal(t, zone), zone, Fold::kEarlier, "t");
  return earlier.ok() && *earlier != std::chrono::floor<std::chrono::minutes>(t) ? Fold::kLater : Fold::kEarlier;
}

// ---- MKT-TIER-RELEASE ----------------------------------------------------------------------------

ReleasePlan PlanRelease(Instant posted_at, bool urgent, const MarketplaceSettings& settings) {
  if (urgent) return {posted_at, posted_at};  // an urgent shift skips the tiers
  Instant tier2 = posted_at + std::chrono::minutes(settings.tier1_minutes);
  return {tier2, tier2 + std::chrono::minutes(settings.tier2_minutes)};
}

int AudienceTier(FacilityId facility, const ClinicianFacts& c) {
  if (c.favorite || (c.home_facility_id && *c.home_facility_id == facility)) return kTierOwn;
  if (c.employment_type == "float_pool") return kTierFloat;
  return kTierAll;
}

Instant ReleaseAt(const Shift& s, int tier) {
  if (tier <= kTierOwn) return s.created_at;
  return tier == kTierFloat ? s.tier2_at : s.tier3_at;
}

int TierAt(const Shift& s, Instant now) {
  if (s.tier3_at <= now) return kTierAll;
  if (s.tier2_at <= now) return kTierFloat;
  return kTierOwn;
}

// ---- MKT-RECURRENCE ------------------------------------------------------------------------------

namespace {

int WeekdayOf(Date d) {  // 0 = Monday; 1970-01-01 was a Thursday
  return static_cast<int>(((d.DaysSinceEpoch() % 7) + 7 + 3) % 7);
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t at = 0;
  for (;;) {
    size_t next = s.find(sep, at);
    out.push_back(s.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) return out;
    at = next + 1;
  }
}

std::optional<int> SmallInt(std::string_view s, int min, int max) {
  if (s.empty() || s.size() > 6) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < min || v > max) return std::nullopt;
  return v;
}

}  // namespace

Result<Recurrence> ParseRecurrence(std::string_view text) {
  auto bad = [](std::string why) { return Error::Invalid("recurrence", "invalid_rrule", std::move(why)); };
  if (text.substr(0, 6) == "RRULE:") text.remove_prefix(6);
  if (text.empty()) return bad("An RRULE such as FREQ=WEEKLY;BYDAY=MO,WE;COUNT=8.");
  Recurrence r;
  bool has_freq = false;
  static constexpr std::string_view kDays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  for (std::string_view part : Split(text, ';')) {
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) return bad("Each part is NAME=VALUE.");
    std::string_view key = part.substr(0, eq), value = part.substr(eq + 1);
    if (key == "FREQ") {
      if (value != "DAILY" && value != "WEEKLY") return bad("FREQ must be DAILY or WEEKLY.");
      r.weekly = value == "WEEKLY";
      has_freq = true;
    } else if (key == "INTERVAL") {
      auto v = SmallInt(value, 1, 52);
      if (!v) return bad("INTERVAL must be 1 to 52.");
      r.interval = *v;
    } else if (key == "COUNT") {
      auto v = SmallInt(value, 1, 100000);
      if (!v) return bad("COUNT must be a positive number.");
      r.count = *v;
    } else if (key == "UNTIL") {
      if (value.size() != 8) return bad("UNTIL must be a date, YYYYMMDD.");
      std::string iso = std::string(value.substr(0, 4)) + "-" + std::string(value.substr(4, 2)) + "-" +
                        std::string(value.substr(6, 2));
      auto d = Date::Parse(iso);
      if (!d) return bad("UNTIL must be a real date, YYYYMMDD.");
      r.until = *d;
    } else if (key == "BYDAY") {
      for (std::string_view day : Split(value, ',')) {
        auto it = std::find(std::begin(kDays), std::end(kDays), day);
        if (it == std::end(kDays)) return bad("BYDAY lists MO, TU, WE, TH, FR, SA or SU.");
        int wd = static_cast<int>(it - std::begin(kDays));
        if (std::find(r.by_day.begin(), r.by_day.end(), wd) != r.by_day.end()) return bad("BYDAY repeats a day.");
        r.by_day.push_back(wd);
      }
      std::sort(r.by_day.begin(), r.by_day.end());
    } else {
      return bad("Supported parts: FREQ, INTERVAL, BYDAY, COUNT, UNTIL.");
    }
  }
  if (!has_freq) return bad("FREQ is required (DAILY or WEEKLY).");
  if (!r.weekly && !r.by_day.empty()) return bad("BYDAY needs FREQ=WEEKLY.");
  if (r.count.has_value() == r.until.has_value()) return bad("Give exactly one of COUNT or UNTIL.");
  return r;
}

Result<std::vector<Date>> ExpandRecurrence(const Recurrence& r, Date first) {
  auto too_many = [] {
    return Error::Invalid("recurrence", "too_many",
                          "A recurrence may post at most " + std::to_string(kMaxOccurrences) + " shifts at once.");
  };
  if (r.count && *r.count > kMaxOccurrences) return too_many();
  std::vector<Date> out;
  int64_t start = first.DaysSinceEpoch();
  // Returns false once the rule is exhausted.
  auto take = [&](int64_t day) -> bool {
    Date d = Date::FromDaysSinceEpoch(day);
    if (r.until && d > *r.until) return false;
    if (r.count && static_cast<int>(out.size()) >= *r.count) return false;
    out.push_back(d);
    return true;
  };
  if (!r.weekly) {
    for (int64_t k = 0;; ++k) {
      if (!take(start + k * r.interval)) break;
      if (static_cast<int>(out.size()) > kMaxOccurrences) return too_many();
    }
  } else {
    std::vector<int> days = r.by_day.empty() ? std::vector<int>{WeekdayOf(first)} : r.by_day;
    int64_t monday = start - WeekdayOf(first);
    for (int64_t week = 0;; week += r.interval) {
      bool more = true;
      for (int wd : days) {
        int64_t day = monday + week * 7 + wd;
        if (day < start) continue;
        if (!(more = take(day))) break;
        if (static_cast<int>(out.size()) > kMaxOccurrences) return too_many();
      }
      if (!more) break;
    }
  }
  if (out.empty()) return Error::Invalid("recurrence", "empty", "No date matches the recurrence.");
  return out;
}

// ---- MKT-SHIFT-EDIT ------------------------------------------------------------------------------

bool IsTimeRule(std::string_view id) {
  return id == "MKT-ELIG-LICENSE" || id == "MKT-ELIG-OVERLAP" || id == "MKT-ELIG-REST" ||
         id == "MKT-ELIG-WEEKLY-HOURS" || id == "MKT-ELIG-CONSECUTIVE-DAYS";
}

Result<Shift> ApplyEdit(const Shift& current, const ShiftEdit& e, const org::Facility& facility,
                        const std::vector<org::Unit>& units, const std::vector<credentialing::Discipline>& disciplines,
                        Instant now) {
  FieldErrors errs;
  if (e.reason.empty()) errs.Add("reason", "required", "Say why the shift changes; booked clinicians are told.");
  if (!e.start_local && !e.end_local && !e.break_minutes && !e.pay_rate && !e.bill_rate && !e.incentive &&
      !e.openings && !e.notes)
    errs.Add("body", "nothing_to_change", "Give at least one field to change.");
  if (!errs.empty()) return errs.ToError();
  if (current.status == ShiftStatus::kCancelled) return Error::Conflict("shift-cancelled", "The shift was cancelled.");
  if (current.start <= now) return Error::Conflict("shift-started", "A shift that has started can no longer be edited.");
  ShiftDraft d;
  d.unit_id = current.unit_id;
  d.discipline = current.discipline;
  d.start_local = e.start_local.value_or(ToLocal(current.start, current.time_zone));
  d.start_fold = e.start_local ? e.start_fold : FoldOf(current.start, current.time_zone);
  d.end_local = e.end_local.value_or(ToLocal(current.end, current.time_zone));
  d.end_fold = e.end_local ? e.end_fold : FoldOf(current.end, current.time_zone);
  d.break_minutes = e.break_minutes.value_or(current.break_minutes);
  d.pay_rate = e.pay_rate.value_or(current.pay_rate);
  d.bill_rate = e.bill_rate.value_or(current.bill_rate);
  d.incentive = e.incentive.value_or(current.incentive);
  d.openings = e.openings.value_or(current.openings);
  d.urgent = current.urgent;
  d.notes = e.notes.value_or(current.notes);
  org::Facility zone_of_shift = facility;
  zone_of_shift.time_zone = current.time_zone;  // the shift keeps the zone it was posted in
  OPENMSO_ASSIGN_OR_RETURN(auto times, ValidateShift(d, zone_of_shift, units, disciplines, now));
  if (d.openings < current.filled)
    return Error::Conflict("openings-below-confirmed",
                           "The shift has " + std::to_string(current.filled) +
                               " confirmed clinicians; release some before cutting openings below that.");
  Shift out = current;
  out.start = times.start;
  out.end = times.end;
  out.break_minutes = d.break_minutes;
  out.pay_rate = d.pay_rate;
  out.bill_rate = *d.bill_rate;
  out.incentive = d.incentive;
  out.openings = d.openings;
  out.notes = d.notes;
  out.status = out.filled >= out.openings ? ShiftStatus::kFilled : ShiftStatus::kOpen;
  return out;
}

// ---- MKT-FILL-METRICS ----------------------------------------------------------------------------

std::string IsoWeek(Date d) {
  int64_t days = d.DaysSinceEpoch();
  int64_t thursday = days - WeekdayOf(d) + 3;  // the week's Thursday decides its year
  Date t = Date::FromDaysSinceEpoch(thursday);
  int64_t jan1 = Date{t.year, 1, 1}.DaysSinceEpoch();
  int64_t week = (thursday - jan1) / 7 + 1;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", t.year, static_cast<int>(week));
  return buf;
}

std::vector<FillGroup> FillMetrics(const std::vector<FillSample>& samples, const FillGroupBy& by) {
  using Key = std::tuple<int64_t, int64_t, std::string, std::string>;
  struct Acc {
    FillGroup g;
    std::vector<int64_t> minutes;
  };
  std::map<Key, Acc> groups;
  for (const auto& s : samples) {
    std::string week = by.week ? IsoWeek(ToLocal(s.start, s.time_zone).date) : "";
    Key k{by.facility ? s.facility_id.value : 0, by.unit ? s.unit_id.value : 0, by.discipline ? s.discipline : "", week};
    Acc& a = groups[k];
    if (by.facility) a.g.facility_id = s.facility_id;
    if (by.unit) a.g.unit_id = s.unit_id;
    if (by.discipline) a.g.discipline = s.discipline;
    if (by.week) a.g.week = week;
    a.g.shifts += 1;
    a.g.openings += s.openings;
    a.g.filled += std::min<int>(s.openings, static_cast<int>(s.confirmed_at.size()));
    for (Instant c : s.confirmed_at)
      a.minutes.push_back(std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::minutes>(c - s.posted_at).count()));
  }
  std::vector<FillGroup> out;
  for (auto& [k, a] : groups) {
    auto& m = a.minutes;
    if (!m.empty()) {
      std::sort(m.begin(), m.end());
      auto rank = [&](int pct) {  // nearest rank
        size_t i = (m.size() * static_cast<size_t>(pct) + 99) / 100;
        return m[std::max<size_t>(i, 1) - 1];
      };
      a.g.median_minutes = rank(50);
      a.g.p90_minutes = rank(90);
      int64_t sum = 0;
      for (int64_t x : m) sum += x;
      a.g.mean_minutes = sum / static_cast<int64_t>(m.size());
    }
    out.push_back(std::move(a.g));
  }
  return out;
}

}  // namespace openmso::marketplace
