// Tests of the timekeeping rules (TIME-*): clock-in window, geofence flags, early/late,
// punches out of order, breaks, submit/approve/dispute, auto-approval and corrections that
// keep the original values.
#include "domain/timekeeping/timekeeping.h"

#include <gtest/gtest.h>

namespace openmso::timekeeping {
namespace {

using namespace std::chrono_literals;

Instant T(const char* s) { return *ParseInstant(s); }

struct Fixture {
  marketplace::Shift shift;
  GeoPoint facility{41.9036, -87.6270};  // Chicago
  Settings settings;
  Fixture() {
    shift.id = ShiftId(7);
    shift.mso_id = MsoId(1);
    shift.facility_id = FacilityId(2);
    shift.time_zone = "America/Chicago";
    shift.start = T("2026-11-02T13:00:00Z");  // 07:00 CST
    shift.end = T("2026-11-03T01:00:00Z");    // 19:00 CST
  }
  Punch At(const char* at, std::optional<GeoPoint> where = GeoPoint{41.9036, -87.6270}) {
    return Punch{T(at), where, 10};
  }
  Result<Timesheet> In(const char* at, std::optional<GeoPoint> where = GeoPoint{41.9036, -87.6270}) {
    return ClockIn(shift, ClinicianId(5), At(at, where), T(at), facility, settings, false, {});
  }
};

TEST(ClockIn, OnTimeInsideTheGeofenceHasNoFlags) {
  Fixture f;
  auto t = f.In("2026-11-02T12:58:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->flags, 0u);
  EXPECT_EQ(t->status, Status::kOpen);
  EXPECT_EQ(*t->in_distance_m, 0);
}

TEST(ClockIn, OutsideTheGeofenceIsAcceptedAndFlagged) {  // TIME-GEOFENCE
  Fixture f;
  // ~1.1 km north of the facility.
  auto t = f.In("2026-11-02T12:58:00Z", GeoPoint{41.9136, -87.6270});
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->flags & kOutsideGeofenceIn);
  EXPECT_GT(*t->in_distance_m, 1000);
  EXPECT_LT(*t->in_distance_m, 1200);
  // 250 m is inside the default 300 m radius; a 200 m radius flags it.
  auto near = f.In("2026-11-02T12:58:00Z", GeoPoint{41.90585, -87.6270});
  ASSERT_TRUE(near.ok());
  EXPECT_FALSE(near->flags & kOutsideGeofenceIn);
  f.settings.geofence_radius_m = 200;
  auto far = f.In("2026-11-02T12:58:00Z", GeoPoint{41.90585, -87.6270});
  EXPECT_TRUE(far->flags & kOutsideGeofenceIn);
  // No location at all: accepted and flagged.
  auto none = f.In("2026-11-02T12:58:00Z", std::nullopt);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->flags & kNoLocationIn);
  EXPECT_EQ(FlagNames(none->flags), std::vector<std::string>{"no_location_in"});
}

TEST(ClockIn, WindowAndEarlyLateFlags) {  // TIME-CLOCKIN-WINDOW, TIME-EARLY-LATE
  Fixture f;
  EXPECT_EQ(f.In("2026-11-02T11:59:00Z").error().type, "too-early");
  EXPECT_TRUE(f.In("2026-11-02T12:00:00Z")->flags & kEarlyIn);
  EXPECT_FALSE(f.In("2026-11-02T12:53:00Z")->flags & kEarlyIn);
  EXPECT_FALSE(f.In("2026-11-02T13:07:00Z")->flags & kLateIn);
  EXPECT_TRUE(f.In("2026-11-02T13:08:00Z")->flags & kLateIn);
  EXPECT_EQ(f.In("2026-11-03T01:00:00Z").error().type, "shift-over");
}

TEST(ClockIn, TwiceOrWhileClockedInElsewhereConflicts) {
  Fixture f;
  auto first = f.In("2026-11-02T12:58:00Z");
  ASSERT_TRUE(first.ok());
  auto again = ClockIn(f.shift, ClinicianId(5), f.At("2026-11-02T13:00:00Z"), T("2026-11-02T13:00:00Z"), f.facility,
                       f.settings, true, {});
  EXPECT_EQ(again.error().type, "already-clocked-in");
  marketplace::Shift other = f.shift;
  other.id = ShiftId(8);
  auto overlap = ClockIn(other, ClinicianId(5), f.At("2026-11-02T13:00:00Z"), T("2026-11-02T13:00:00Z"), f.facility,
                         f.settings, false, {*first});
  EXPECT_EQ(overlap.error().type, "overlapping-punch");
}

TEST(ClockIn, BadLocationAndDeviceTimeNameTheField) {
  Fixture f;
  Punch p{std::nullopt, GeoPoint{91, 0}, 5};
  auto t = ClockIn(f.shift, ClinicianId(5), p, T("2026-11-02T13:00:00Z"), f.facility, f.settings, false, {});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().fields.at(0).field, "latitude");
  Punch stale{T("2026-11-01T12:00:00Z"), std::nullopt, std::nullopt};
  auto s = ClockIn(f.shift, ClinicianId(5), stale, T("2026-11-02T13:00:00Z"), f.facility, f.settings, false, {});
  EXPECT_EQ(s.error().fields.at(0).field, "at");
}

TEST(ClockOut, BeforeClockInIsRejected) {  // TIME-OUT-AFTER-IN
  Fixture f;
  auto t = f.In("2026-11-02T12:58:00Z");
  Timesheet ts = *t;
  auto r = ClockOut(ts, f.At("2026-11-02T12:50:00Z"), T("2026-11-02T13:00:00Z"), f.facility, f.settings);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at(0).field, "at");
  EXPECT_EQ(r.error().fields.at(0).code, "before_clock_in");
  EXPECT_FALSE(ts.clock_out);  // nothing half-written
}

TEST(Breaks, MealIsUnpaidAndMustEndBeforeClockOut) {
  Fixture f;
  Timesheet ts = f.In("2026-11-02T13:00:00Z").value();
  ASSERT_TRUE(StartBreak(ts, T("2026-11-02T18:00:00Z")).ok());
  EXPECT_EQ(StartBreak(ts, T("2026-11-02T18:10:00Z")).error().type, "break-running");
  EXPECT_EQ(ClockOut(ts, f.At("2026-11-03T01:00:00Z"), T("2026-11-03T01:00:00Z"), f.facility, f.settings).error().type,
            "break-running");
  ASSERT_TRUE(EndBreak(ts, T("2026-11-02T18:30:00Z")).ok());
  ASSERT_TRUE(ClockOut(ts, f.At("2026-11-03T01:02:00Z", GeoPoint{41.95, -87.6}), T("2026-11-03T01:02:00Z"), f.facility,
                       f.settings).ok());
  EXPECT_EQ(ts.WorkedMinutes(), 12 * 60 + 2 - 30);
  EXPECT_TRUE(ts.flags & kOutsideGeofenceOut);
  EXPECT_FALSE(ts.flags & kLateOut);
}

TEST(Worked, HoursAreInstantDifferencesAcrossFallBack) {
  // Saturday 2025-11-01 19:00 CDT -> Sunday 07:00 CST is 13 hours (clocks fell back).
  Timesheet t;
  t.clock_in = T("2025-11-02T00:00:00Z");
  t.clock_out = T("2025-11-02T13:00:00Z");
  t.breaks = {{T("2025-11-02T04:00:00Z"), T("2025-11-02T04:30:00Z")}};
  EXPECT_EQ(t.WorkedMinutes(), 12 * 60 + 30);
}

TEST(Lifecycle, SubmitApproveLocksDisputeResubmit) {  // TIME-SUBMIT, TIME-APPROVE, TIME-DISPUTE
  Fixture f;
  Timesheet ts = f.In("2026-11-02T13:00:00Z").value();
  EXPECT_EQ(Submit(ts, T("2026-11-02T14:00:00Z"), f.settings).error().type, "incomplete");
  ASSERT_TRUE(ClockOut(ts, f.At("2026-11-03T01:00:00Z"), T("2026-11-03T01:00:00Z"), f.facility, f.settings).ok());
  EXPECT_EQ(Approve(ts, UserId(3), T("2026-11-03T02:00:00Z"), false).error().type, "not-submitted");
  ASSERT_TRUE(Submit(ts, T("2026-11-03T01:05:00Z"), f.settings).ok());
  EXPECT_EQ(*ts.auto_approve_at, T("2026-11-06T01:05:00Z"));
  EXPECT_EQ(Dispute(ts, UserId(3), "", T("2026-11-03T02:00:00Z")).error().fields.at(0).field, "reason");
  ASSERT_TRUE(Dispute(ts, UserId(3), "Left at 18:00 per charge nurse", T("2026-11-03T02:00:00Z")).ok());
  EXPECT_EQ(ts.status, Status::kDisputed);
  EXPECT_FALSE(DueForAutoApproval(ts, T("2026-11-30T00:00:00Z")));
  ASSERT_TRUE(Submit(ts, T("2026-11-03T03:00:00Z"), f.settings).ok());
  ASSERT_TRUE(Approve(ts, UserId(3), T("2026-11-03T04:00:00Z"), false).ok());
  EXPECT_EQ(ts.status, Status::kApproved);
  EXPECT_EQ(Submit(ts, T("2026-11-03T05:00:00Z"), f.settings).error().type, "not-submittable");
  Correction c;
  c.clock_out = T("2026-11-03T00:00:00Z");
  c.reason = "late";
  EXPECT_EQ(RequestCorrection(ts, c).error().type, "locked");
}

TEST(Lifecycle, AutoApprovalAfterTheFacilityDeadline) {  // TIME-AUTO-APPROVE
  Fixture f;
  f.settings.auto_approve_hours = 48;
  Timesheet ts = f.In("2026-11-02T13:00:00Z").value();
  ASSERT_TRUE(ClockOut(ts, f.At("2026-11-03T01:00:00Z"), T("2026-11-03T01:00:00Z"), f.facility, f.settings).ok());
  ASSERT_TRUE(Submit(ts, T("2026-11-03T01:00:00Z"), f.settings).ok());
  EXPECT_FALSE(DueForAutoApproval(ts, T("2026-11-05T00:59:59Z")));
  EXPECT_TRUE(DueForAutoApproval(ts, T("2026-11-05T01:00:00Z")));
  ASSERT_TRUE(Approve(ts, std::nullopt, T("2026-11-05T01:00:00Z"), true).ok());
  EXPECT_TRUE(ts.flags & kAutoApproved);
}

TEST(Correction, MissedClockOutKeepsOriginalValues) {  // TIME-CORRECTION, TIME-REVISIONS
  Fixture f;
  Timesheet ts = f.In("2026-11-02T13:00:00Z").value();
  Correction bad;
  bad.clock_out = T("2026-11-02T12:00:00Z");
  auto r = RequestCorrection(ts, bad);
  ASSERT_FALSE(r.ok());
  std::vector<std::string> fields;
  for (const auto& e : r.error().fields) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"reason", "clock_out"}));
  Correction c;
  c.clock_out = T("2026-11-03T01:00:00Z");
  c.breaks = std::vector<Break>{{T("2026-11-02T18:00:00Z"), T("2026-11-02T18:30:00Z")}};
  c.reason = "Phone died at the end of the shift";
  ASSERT_TRUE(RequestCorrection(ts, c).ok());
  EXPECT_EQ(RequestCorrection(ts, c).error().type, "correction-pending");
  auto revs = ApplyCorrection(ts);
  ASSERT_TRUE(revs.ok());
  ASSERT_EQ(revs->size(), 2u);
  EXPECT_EQ((*revs)[0].field, "clock_out");
  EXPECT_EQ((*revs)[0].old_value, "");
  EXPECT_EQ((*revs)[0].new_value, "2026-11-03T01:00:00Z");
  EXPECT_EQ((*revs)[1].new_value, "2026-11-02T18:00:00Z/2026-11-02T18:30:00Z");
  EXPECT_TRUE(ts.flags & kCorrected);
  EXPECT_EQ(ts.WorkedMinutes(), 11 * 60 + 30);
  EXPECT_EQ(ApplyCorrection(ts).error().type, "no-correction");
}

TEST(Correction, BreaksOutsideOrOverlappingAreNamed) {
  Fixture f;
  Timesheet ts = f.In("2026-11-02T13:00:00Z").value();
  Correction c;
  c.reason = "breaks";
  c.clock_out = T("2026-11-03T01:00:00Z");
  c.breaks = std::vector<Break>{{T("2026-11-02T18:00:00Z"), T("2026-11-02T18:30:00Z")},
                                {T("2026-11-02T18:20:00Z"), T("2026-11-02T18:40:00Z")},
                                {T("2026-11-03T02:00:00Z"), T("2026-11-03T02:10:00Z")}};
  auto r = RequestCorrection(ts, c);
  ASSERT_FALSE(r.ok());
  std::vector<std::string> fields;
  for (const auto& e : r.error().fields) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"breaks.1", "breaks.2"}));
}

TEST(Settings, LimitsNameEachField) {
  Settings s;
  EXPECT_TRUE(ValidateSettings(s).ok());
  s.geofence_radius_m = 0;
  s.auto_approve_hours = -1;
  auto r = ValidateSettings(s);
  ASSERT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(r.error().fields[0].field, "geofence_radius_m");
  EXPECT_EQ(r.error().fields[1].field, "auto_approve_hours");
}

}  // namespace
}  // namespace openmso::timekeeping
