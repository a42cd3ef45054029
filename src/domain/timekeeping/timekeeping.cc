#include "domain/timekeeping/timekeeping.h"

#include <algorithm>
#include <cmath>

namespace openmso::timekeeping {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

bool Locked(const Timesheet& t) { return t.status == Status::kApproved; }

bool BreakRunning(const Timesheet& t) { return !t.breaks.empty() && !t.breaks.back().end; }

// The location part of a punch: TIME-GEOFENCE flags a far punch (accepted, never dropped).
Result<std::optional<int64_t>> Locate(const Punch& p, GeoPoint facility, const Settings& s, uint32_t& flags,
                                      uint32_t outside_flag, uint32_t missing_flag) {
  if (!p.location) {
    flags |= missing_flag;
    return std::optional<int64_t>();
  }
  if (!p.location->valid()) {
    FieldErrors errs;
    if (!std::isfinite(p.location->latitude) || p.location->latitude < -90 || p.location->latitude > 90)
      errs.Add("latitude", "out_of_range", "Latitude must be between -90 and 90.");
    if (!std::isfinite(p.location->longitude) || p.location->longitude < -180 || p.location->longitude > 180)
      errs.Add("longitude", "out_of_range", "Longitude must be between -180 and 180.");
    return errs.ToError();
  }
  if (p.accuracy_m && (*p.accuracy_m < 0 || *p.accuracy_m > 100000))
    return Error::Invalid("accuracy_m", "out_of_range", "Accuracy must be 0..100000 meters.");
  auto d = static_cast<int64_t>(std::llround(DistanceMeters(*p.location, facility)));
  if (d > s.geofence_radius_m) flags |= outside_flag;
  return std::optional<int64_t>(d);
}

Result<void> CheckBreaks(const std::vector<Break>& breaks, Instant in, std::optional<Instant> out,
                         std::string_view field, FieldErrors& errs) {
  std::optional<Instant> prev_end;
  for (size_t i = 0; i < breaks.size(); ++i) {
    const Break& b = breaks[i];
    std::string f = std::string(field) + "." + std::to_string(i);
    if (!b.end) {
      errs.Add(f + ".end", "required", "Each break needs an end.");
      continue;
    }
    if (*b.end <= b.start) errs.Add(f + ".end", "before_start", "A break ends after it starts.");
    if (b.start < in || (out && *b.end > *out))
      errs.Add(f, "outside_shift", "A break lies between the clock-in and the clock-out.");
    if (prev_end && b.start < *prev_end) errs.Add(f, "overlap", "Breaks are in order and do not overlap.");
    prev_end = b.end;
  }
  return Ok();
}

std::string Fmt(const std::optional<Instant>& t) { return t ? FormatInstant(*t) : ""; }

}  // namespace

Result<void> ValidateSettings(const Settings& s) {
  FieldErrors errs;
  if (s.geofence_radius_m < 25 || s.geofence_radius_m > 5000)
    errs.Add("geofence_radius_m", "out_of_range", "The geofence radius is 25..5000 meters.");
  if (s.clock_in_opens_minutes < 0 || s.clock_in_opens_minutes > 240)
    errs.Add("clock_in_opens_minutes", "out_of_range", "Clock-in opens 0..240 minutes before the start.");
  if (s.early_tolerance_minutes < 0 || s.early_tolerance_minutes > 120)
    errs.Add("early_tolerance_minutes", "out_of_range", "The tolerance is 0..120 minutes.");
  if (s.late_tolerance_minutes < 0 || s.late_tolerance_minutes > 120)
    errs.Add("late_tolerance_minutes", "out_of_range", "The tolerance is 0..120 minutes.");
  if (s.auto_approve_hours < 0 || s.auto_approve_hours > 720)
    errs.Add("auto_approve_hours", "out_of_range", "Auto-approval comes after 0..720 hours.");
  if (!errs.empty()) return errs.ToError();
  return Ok();
}

std::string_view StatusName(Status s) {
  switch (s) {
    case Status::kOpen: return "open";
    case Status::kSubmitted: return "submitted";
    case Status::kApproved: return "approved";
    case Status::kDisputed: return "disputed";
  }
  return "open";
}

std::optional<Status> ParseStatus(std::string_view name) {
  for (Status s : {Status::kOpen, Status::kSubmitted, Status::kApproved, Status::kDisputed})
    if (StatusName(s) == name) return s;
  return std::nullopt;
}

std::vector<std::string> FlagNames(uint32_t flags) {
  static const std::pair<uint32_t, const char*> kNames[] = {
      {kOutsideGeofenceIn, "outside_geofence_in"}, {kOutsideGeofenceOut, "outside_geofence_out"},
      {kNoLocationIn, "no_location_in"},           {kNoLocationOut, "no_location_out"},
      {kEarlyIn, "early_in"},                      {kLateIn, "late_in"},
      {kEarlyOut, "early_out"},                    {kLateOut, "late_out"},
      {kCorrected, "corrected"},                   {kAutoApproved, "auto_approved"},
      {kMissedPunch, "missed_punch"}};
  std::vector<std::string> out;
  for (const auto& [bit, name] : kNames)
    if (flags & bit) out.emplace_back(name);
  return out;
}

int64_t Timesheet::WorkedMinutes() const {
  if (!clock_in || !clock_out) return 0;
  auto worked = std::chrono::duration_cast<minutes>(*clock_out - *clock_in);
  for (const auto& b : breaks)
    if (b.end) worked -= std::chrono::duration_cast<minutes>(*b.end - b.start);
  return std::max<int64_t>(0, worked.count());
}

Result<Instant> PunchInstant(const Punch& p, Instant now) {
  if (!p.device_at) return now;
  if (*p.device_at < now - hours(24) || *p.device_at > now + minutes(2))
    return Error::Invalid("at", "out_of_range", "A punch's device time is within the last 24 hours.");
  return *p.device_at;
}

Result<Timesheet> ClockIn(const marketplace::Shift& shift, ClinicianId clinician, const Punch& punch, Instant now,
                          GeoPoint facility, const Settings& settings, bool existing,
                          const std::vector<Timesheet>& open_of_clinician) {
  OPENMSO_ASSIGN_OR_RETURN(Instant at, PunchInstant(punch, now));
  if (existing) return Error::Conflict("already-clocked-in", "This shift already has a timesheet.");
  for (const auto& t : open_of_clinician)
    if (t.status == Status::kOpen && t.clock_in && !t.clock_out)
      return Error::Conflict("overlapping-punch", "You are still clocked in to another shift; clock out there first.");
  if (at < shift.start - minutes(settings.clock_in_opens_minutes))
    return Error::Conflict("too-early", "Clock-in opens " + std::to_string(settings.clock_in_opens_minutes) +
                                            " minutes before the shift starts.");
  if (at >= shift.end)
    return Error::Conflict("shift-over", "The shift has ended; send a missed-punch request instead.");
  Timesheet t;
  t.mso_id = shift.mso_id;
  t.facility_id = shift.facility_id;
  t.shift_id = shift.id;
  t.clinician_id = clinician;
  t.time_zone = shift.time_zone;
  t.scheduled_start = shift.start;
  t.scheduled_end = shift.end;
  t.clock_in = at;
  t.created_at = now;
  OPENMSO_ASSIGN_OR_RETURN(t.in_distance_m, Locate(punch, facility, settings, t.flags, kOutsideGeofenceIn, kNoLocationIn));
  // TIME-EARLY-LATE
  if (at < shift.start - minutes(settings.early_tolerance_minutes)) t.flags |= kEarlyIn;
  if (at > shift.start + minutes(settings.late_tolerance_minutes)) t.flags |= kLateIn;
  return t;
}

Result<void> ClockOut(Timesheet& t, const Punch& punch, Instant now, GeoPoint facility, const Settings& settings) {
  OPENMSO_ASSIGN_OR_RETURN(Instant at, PunchInstant(punch, now));
  if (t.status != Status::kOpen || !t.clock_in || t.clock_out)
    return Error::Conflict("not-clocked-in", "This timesheet is not clocked in.");
  if (BreakRunning(t)) return Error::Conflict("break-running", "End the break before clocking out.");
  // TIME-OUT-AFTER-IN
  if (at <= *t.clock_in) return Error::Invalid("at", "before_clock_in", "The clock-out must come after the clock-in.");
  if (!t.breaks.empty() && at < *t.breaks.back().end)
    return Error::Invalid("at", "before_break_end", "The clock-out must come after the last break.");
  uint32_t flags = t.flags;
  OPENMSO_ASSIGN_OR_RETURN(auto distance, Locate(punch, facility, settings, flags, kOutsideGeofenceOut, kNoLocationOut));
  t.flags = flags;
  t.out_distance_m = distance;
  t.clock_out = at;
  if (at < t.scheduled_end - minutes(settings.early_tolerance_minutes)) t.flags |= kEarlyOut;
  if (at > t.scheduled_end + minutes(settings.late_tolerance_minutes)) t.flags |= kLateOut;
  return Ok();
}

Result<void> StartBreak(Timesheet& t, Instant at) {
  if (t.status != Status::kOpen || !t.clock_in || t.clock_out)
    return Error::Conflict("not-clocked-in", "This timesheet is not clocked in.");
  if (BreakRunning(t)) return Error::Conflict("break-running", "A break is already running.");
  if (at < *t.clock_in) return Error::Invalid("at", "before_clock_in", "A break starts after the clock-in.");
  if (!t.breaks.empty() && at < *t.breaks.back().end)
    return Error::Invalid("at", "before_break_end", "A break starts after the previous one ended.");
  t.breaks.push_back({at, std::nullopt});
  return Ok();
}

Result<void> EndBreak(Timesheet& t, Instant at) {
  if (t.status != Status::kOpen || !t.clock_in || t.clock_out)
    return Error::Conflict("not-clocked-in", "This timesheet is not clocked in.");
  if (!BreakRunning(t)) return Error::Conflict("no-break-running", "No break is running.");
  if (at <= t.breaks.back().start) return Error::Invalid("at", "before_break_start", "A break ends after it starts.");
  t.breaks.back().end = at;
  return Ok();
}

Result<void> Submit(Timesheet& t, Instant now, const Settings& settings) {
  if (t.status != Status::kOpen && t.status != Status::kDisputed)
    return Error::Conflict("not-submittable", "This timesheet is already " + std::string(StatusName(t.status)) + ".");
  if (!t.clock_in || !t.clock_out || BreakRunning(t))
    return Error::Conflict("incomplete", "A timesheet needs a clock-in, a clock-out and no running break; "
                                         "send a missed-punch correction for a forgotten punch.");
  t.status = Status::kSubmitted;
  t.submitted_at = now;
  t.auto_approve_at = now + hours(settings.auto_approve_hours);
  t.dispute_reason.clear();
  return Ok();
}

Result<void> Approve(Timesheet& t, std::optional<UserId> by, Instant now, bool automatic) {
  if (t.status != Status::kSubmitted)
    return Error::Conflict("not-submitted", "Only a submitted timesheet can be approved; this one is " +
                                                std::string(StatusName(t.status)) + ".");
  if (t.correction) return Error::Conflict("correction-pending", "Decide the pending correction first.");
  t.status = Status::kApproved;
  t.decided_at = now;
  t.decided_by = by;
  if (automatic) t.flags |= kAutoApproved;
  return Ok();
}

Result<void> Dispute(Timesheet& t, UserId by, std::string_view reason, Instant now) {
  if (t.status != Status::kSubmitted)
    return Error::Conflict("not-submitted", "Only a submitted timesheet can be disputed; this one is " +
                                                std::string(StatusName(t.status)) + ".");
  if (reason.empty() || reason.size() > 1000)
    return Error::Invalid("reason", "required", "Say why the timesheet is disputed (1-1000 characters).");
  t.status = Status::kDisputed;
  t.dispute_reason = std::string(reason);
  t.decided_at = now;
  t.decided_by = by;
  return Ok();
}

bool DueForAutoApproval(const Timesheet& t, Instant now) {
  return t.status == Status::kSubmitted && !t.correction && t.auto_approve_at && *t.auto_approve_at <= now;
}

Result<void> RequestCorrection(Timesheet& t, Correction c) {
  if (Locked(t)) return Error::Conflict("locked", "An approved timesheet is locked.");
  if (t.correction) return Error::Conflict("correction-pending", "A correction is already waiting for the manager.");
  FieldErrors errs;
  if (c.reason.empty() || c.reason.size() > 1000)
    errs.Add("reason", "required", "Say what was missed or wrong (1-1000 characters).");
  if (!c.clock_in && !c.clock_out && !c.breaks)
    errs.Add("clock_in", "required", "Give at least one of clock_in, clock_out, breaks.");
  const auto lo = t.scheduled_start - hours(12), hi = t.scheduled_end + hours(12);
  auto near = [&](const std::optional<Instant>& v, std::string_view f) {
    if (v && (*v < lo || *v > hi))
      errs.Add(std::string(f), "out_of_range", "Within 12 hours of the scheduled shift.");
  };
  near(c.clock_in, "clock_in");
  near(c.clock_out, "clock_out");
  std::optional<Instant> in = c.clock_in ? c.clock_in : t.clock_in;
  std::optional<Instant> out = c.clock_out ? c.clock_out : t.clock_out;
  if (in && out && *out <= *in) errs.Add("clock_out", "before_clock_in", "The clock-out must come after the clock-in.");
  if (c.breaks) {
    if (c.breaks->size() > 10) errs.Add("breaks", "too_many", "At most 10 breaks.");
    if (in) (void)CheckBreaks(*c.breaks, *in, out, "breaks", errs);
    else if (!c.breaks->empty()) errs.Add("breaks", "no_clock_in", "Breaks need a clock-in.");
  } else if (in && !t.breaks.empty()) {
    // The existing breaks must still fit the corrected punches.
    FieldErrors inner;
    (void)CheckBreaks(t.breaks, *in, out, "breaks", inner);
    if (!inner.empty()) errs.Add("breaks", "outside_shift", "The recorded breaks no longer fit; correct them too.");
  }
  if (!errs.empty()) return errs.ToError();
  t.correction = std::move(c);
  return Ok();
}

Result<std::vector<Revision>> ApplyCorrection(Timesheet& t) {
  if (Locked(t)) return Error::Conflict("locked", "An approved timesheet is locked.");
  if (!t.correction) return Error::Conflict("no-correction", "No correction is pending.");
  Correction c = std::move(*t.correction);
  t.correction.reset();
  std::vector<Revision> out;
  if (c.clock_in && c.clock_in != t.clock_in) {
    out.push_back({"clock_in", Fmt(t.clock_in), FormatInstant(*c.clock_in)});
    t.clock_in = c.clock_in;
  }
  if (c.clock_out && c.clock_out != t.clock_out) {
    out.push_back({"clock_out", Fmt(t.clock_out), FormatInstant(*c.clock_out)});
    t.clock_out = c.clock_out;
  }
  if (c.breaks && *c.breaks != t.breaks) {
    out.push_back({"breaks", FormatBreaks(t.breaks), FormatBreaks(*c.breaks)});
    t.breaks = *c.breaks;
  }
  if (!out.empty()) t.flags |= kCorrected;
  return out;
}

Result<void> RejectCorrection(Timesheet& t) {
  if (!t.correction) return Error::Conflict("no-correction", "No correction is pending.");
  t.correction.reset();
  return Ok();
}

std::string FormatBreaks(const std::vector<Break>& breaks) {
  std::string out;
  for (const auto& b : breaks) {
    if (!out.empty()) out += ',';
    out += FormatInstant(b.start) + "/" + Fmt(b.end);
  }
  return out;
}

std::vector<Break> ParseBreaks(std::string_view text) {
  std::vector<Break> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t comma = text.find(',', pos);
    std::string_view item = text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    size_t slash = item.find('/');
    if (slash != std::string_view::npos) {
      auto start = ParseInstant(item.substr(0, slash));
      auto end = ParseInstant(item.substr(slash + 1));
      if (start) out.push_back({*start, end});
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace openmso::timekeeping
