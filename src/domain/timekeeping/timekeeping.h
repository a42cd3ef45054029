// The timekeeping module (issue 5, parts 1 and 2): clock in and out of a booked shift with
// the device's location, unpaid meal breaks, missed-punch corrections a manager approves,
// and the timesheet of each worked shift (submitted, approved or disputed, locked once
// approved, auto-approved when the facility does not act in time). Pure rules here; the
// raw punches and every edit's original values are kept by the repository.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "domain/marketplace/marketplace.h"

namespace openmso {
using TimesheetId = Id<struct TimesheetTag>;
}  // namespace openmso

namespace openmso::timekeeping {

// ---- Per-facility settings (TIME-SETTINGS) --------------------------------------------------
struct Settings {
  int geofence_radius_m = 300;        // TIME-GEOFENCE: punches farther away are flagged, never dropped
  int clock_in_opens_minutes = 60;    // TIME-CLOCKIN-WINDOW: the earliest clock-in before the start
  int early_tolerance_minutes = 7;    // TIME-EARLY-LATE: punches beyond these are flagged
  int late_tolerance_minutes = 7;
  int auto_approve_hours = 72;        // TIME-AUTO-APPROVE: a submitted timesheet left this long is approved
};
// Limits: radius 25..5000 m, window 0..240 min, tolerances 0..120 min, auto-approve 0..720 h.
// Every bad field at once (kInvalidArgument, the API's field names).
Result<void> ValidateSettings(const Settings& s);

// ---- Timesheets ------------------------------------------------------------------------------
// open (clocked in, or created by a missed-punch request) -> submitted -> approved (locked)
//                                                          submitted -> disputed -> submitted
enum class Status { kOpen, kSubmitted, kApproved, kDisputed };
std::string_view StatusName(Status s);  // "open", "submitted", "approved", "disputed"
std::optional<Status> ParseStatus(std::string_view name);

// Flags a manager sees in the approval queue (bit set).
enum Flag : uint32_t {
  kOutsideGeofenceIn = 1u << 0,
  kOutsideGeofenceOut = 1u << 1,
  kNoLocationIn = 1u << 2,
  kNoLocationOut = 1u << 3,
  kEarlyIn = 1u << 4,
  kLateIn = 1u << 5,
  kEarlyOut = 1u << 6,
  kLateOut = 1u << 7,
  kCorrected = 1u << 8,     // a correction changed the punched times
  kAutoApproved = 1u << 9,
  kMissedPunch = 1u << 10,  // created from a missed-punch request, not a clock-in
};
std::vector<std::string> FlagNames(uint32_t flags);  // "outside_geofence_in", ...

// An unpaid, duty-free meal break; `end` unset while it runs.
struct Break {
  Instant start;
  std::optional<Instant> end;
  bool operator==(const Break&) const = default;
};

// A missed or wrong punch the clinician asks the manager to fix (TIME-CORRECTION).
struct Correction {
  std::optional<Instant> clock_in, clock_out;
  std::optional<std::vector<Break>> breaks;  // replaces every break when given
  std::string reason;
  Instant requested_at;
};

// INVARIANTS: clock_in < clock_out when both are set; breaks lie inside them, ordered and
// disjoint; status kSubmitted/kApproved/kDisputed have both set and no running break.
struct Timesheet {
  TimesheetId id;
  MsoId mso_id;
  FacilityId facility_id;
  ShiftId shift_id;
  ClinicianId clinician_id;
  std::string time_zone;              // the facility's zone
  Instant scheduled_start, scheduled_end;
  std::optional<Instant> clock_in, clock_out;
  std::optional<int64_t> in_distance_m, out_distance_m;  // from the facility, when a location came
  std::vector<Break> breaks;
  uint32_t flags = 0;
  Status status = Status::kOpen;
  std::optional<Correction> correction;  // pending
  std::optional<Instant> submitted_at, decided_at, auto_approve_at;
  std::optional<UserId> decided_by;
  std::string dispute_reason;
  int64_t version = 0;                // optimistic concurrency: bumped by every update
  Instant created_at;

  // Worked minutes: clock_out - clock_in minus finished breaks (instants: DST-correct).
  // 0 while either punch is missing.
  int64_t WorkedMinutes() const;
};

// A punch as the device sends it. `device_at` is the time the device recorded (offline
// punches sync later); the server time is used when it is absent.
struct Punch {
  std::optional<Instant> device_at;
  std::optional<GeoPoint> location;
  std::optional<int> accuracy_m;
};

// TIME-PUNCH-AT: the instant of a punch: the device's time when given and within
// [now - 24 h, now + 2 min] (field "at": out_of_range), else now.
Result<Instant> PunchInstant(const Punch& p, Instant now);

// Clock-in on `shift`, whose claim by `clinician` is confirmed (the caller checked).
// Errors: kConflict "already-clocked-in" (a timesheet for the shift exists: `existing`),
// "overlapping-punch" (another timesheet of the clinician is still open), "too-early"
// (before start - clock_in_opens_minutes), "shift-over" (at or after the shift's end; use a
// missed-punch request); kInvalidArgument for the location ("latitude"/"longitude").
// Flags: outside the geofence (TIME-GEOFENCE), no location, early/late (TIME-EARLY-LATE).
Result<Timesheet> ClockIn(const marketplace::Shift& shift, ClinicianId clinician, const Punch& punch, Instant now,
                          GeoPoint facility, const Settings& settings, bool existing,
                          const std::vector<Timesheet>& open_of_clinician);
// Errors: kConflict "not-clocked-in" (status not open or no clock-in), "break-running";
// kInvalidArgument "at": before_clock_in (TIME-OUT-AFTER-IN) or before a break's end.
Result<void> ClockOut(Timesheet& t, const Punch& punch, Instant now, GeoPoint facility, const Settings& settings);
// Errors: kConflict "not-clocked-in", "break-running"/"no-break-running"; "at" before the
// clock-in or the last break's end (kInvalidArgument).
Result<void> StartBreak(Timesheet& t, Instant at);
Result<void> EndBreak(Timesheet& t, Instant at);

// TIME-SUBMIT: the clinician submits a complete timesheet (open or disputed); sets the
// auto-approval deadline. Errors: kConflict "incomplete" (a punch missing or a break
// running), "not-submittable" (already submitted or approved).
Result<void> Submit(Timesheet& t, Instant now, const Settings& settings);
// TIME-APPROVE: submitted -> approved, locked from then on. Errors: kConflict
// "not-submitted", "correction-pending".
Result<void> Approve(Timesheet& t, std::optional<UserId> by, Instant now, bool automatic);
// TIME-DISPUTE: submitted -> disputed with a reason (1..1000 chars).
Result<void> Dispute(Timesheet& t, UserId by, std::string_view reason, Instant now);
// TIME-AUTO-APPROVE: submitted, no pending correction, deadline reached.
bool DueForAutoApproval(const Timesheet& t, Instant now);

// TIME-CORRECTION: validates a request against the timesheet and the shift (times within
// 12 h of the scheduled shift, clock_in < clock_out, breaks inside and disjoint, a reason)
// and stores it as pending. Errors: kConflict "locked" (approved), "correction-pending";
// kInvalidArgument naming each bad field.
Result<void> RequestCorrection(Timesheet& t, Correction c);

// One changed field of an applied correction: the original value is kept (TIME-REVISIONS).
struct Revision {
  std::string field;      // "clock_in", "clock_out", "breaks"
  std::string old_value;  // RFC 3339 instants; breaks as "start/end,start/end"
  std::string new_value;
};
// Applies the pending correction; returns what changed. Errors: kConflict
// "no-correction", "locked".
Result<std::vector<Revision>> ApplyCorrection(Timesheet& t);
Result<void> RejectCorrection(Timesheet& t);

// "start/end,start/end" (RFC 3339; an open break ends with "/") and back, the stored
// form of a timesheet's breaks. ParseBreaks skips items that do not parse.
std::string FormatBreaks(const std::vector<Break>& breaks);
std::vector<Break> ParseBreaks(std::string_view text);

// ---- Repository ------------------------------------------------------------------------------
// Implementations run inside the caller's transaction.
struct PunchRecord {
  std::string kind;  // "clock_in", "clock_out", "break_start", "break_end"
  Instant at, recorded_at;
  std::optional<GeoPoint> location;
  std::optional<int> accuracy_m;
  std::optional<int64_t> distance_m;
};
struct RevisionRecord {
  Revision revision;
  std::string reason;
  std::optional<UserId> by;
  Instant at;
};

class TimekeepingRepository {
 public:
  virtual ~TimekeepingRepository() = default;
  virtual Result<TimesheetId> Insert(const Timesheet& t) = 0;
  // Writes every mutable field when the stored version is t.version, then bumps it.
  // Errors: kConflict "concurrent-update" when someone else changed it first.
  virtual Result<void> Update(Timesheet& t, Instant now) = 0;
  virtual Result<Timesheet> Get(TimesheetId id) = 0;  // kNotFound
  virtual Result<std::optional<Timesheet>> FindByShift(ShiftId s, ClinicianId c) = 0;
  virtual Result<std::vector<Timesheet>> OpenOf(ClinicianId c) = 0;
  virtual Result<std::vector<Timesheet>> ListOf(ClinicianId c, int limit) = 0;
  // A facility's timesheets, optionally one status, scheduled start in [from, to).
  virtual Result<std::vector<Timesheet>> ListOfFacility(FacilityId f, std::optional<Status> status, Instant from,
                                                        Instant to, int limit) = 0;
  virtual Result<std::vector<Timesheet>> DueForAutoApproval(Instant now, int limit) = 0;
  virtual Result<void> AddPunch(TimesheetId t, const PunchRecord& p) = 0;
  virtual Result<std::vector<PunchRecord>> Punches(TimesheetId t) = 0;
  virtual Result<void> AddRevision(TimesheetId t, const RevisionRecord& r) = 0;
  virtual Result<std::vector<RevisionRecord>> Revisions(TimesheetId t) = 0;
  virtual Result<Settings> GetSettings(FacilityId f) = 0;  // the defaults when none stored
  virtual Result<void> PutSettings(FacilityId f, const Settings& s, Instant now) = 0;
};

}  // namespace openmso::timekeeping
