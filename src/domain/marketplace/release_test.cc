// Tests of the posting-side rules of issue 4 parts 1, 4 and 8: repeated local hours
// (MKT-LOCAL-TIME), recurrences (MKT-RECURRENCE), edits (MKT-SHIFT-EDIT), tiers
// (MKT-TIER-RELEASE) and fill metrics (MKT-FILL-METRICS).
#include <gtest/gtest.h>

#include "domain/marketplace/marketplace.h"

namespace openmso::marketplace {
namespace {

using namespace std::chrono_literals;

LocalDateTime L(const char* s) { return *LocalDateTime::Parse(s); }
Date D(const char* s) { return *Date::Parse(s); }
Instant Z(const char* s) { return *ParseInstant(s); }

TEST(ResolveLocal, RepeatedHourNeedsAFold) {  // MKT-LOCAL-TIME
  // Chicago repeats 01:00-02:00 on 2026-11-01 (CDT -05:00, then CST -06:00).
  auto none = ResolveLocal(L("2026-11-01T01:30"), "America/Chicago", std::nullopt, "start");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().fields.at(0).field, "start");
  EXPECT_EQ(none.error().fields.at(0).code, "ambiguous_local_time");
  EXPECT_NE(none.error().fields.at(0).message.find("UTC-05:00"), std::string::npos);
  EXPECT_NE(none.error().fields.at(0).message.find("UTC-06:00"), std::string::npos);
  EXPECT_EQ(ResolveLocal(L("2026-11-01T01:30"), "America/Chicago", Fold::kEarlier, "start").value(), Z("2026-11-01T06:30:00Z"));
  EXPECT_EQ(ResolveLocal(L("2026-11-01T01:30"), "America/Chicago", Fold::kLater, "start").value(), Z("2026-11-01T07:30:00Z"));
  // Unambiguous times ignore the fold.
  EXPECT_EQ(ResolveLocal(L("2026-11-01T03:00"), "America/Chicago", Fold::kLater, "end").value(), Z("2026-11-01T09:00:00Z"));
  // The spring-forward gap stays refused, fold or not.
  auto gap = ResolveLocal(L("2026-03-08T02:30"), "America/Chicago", Fold::kEarlier, "end");
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(gap.error().fields.at(0).field, "end");
  EXPECT_EQ(gap.error().fields.at(0).code, "nonexistent_local_time");
}

TEST(ResolveLocal, FoldOfReadsAnInstantBack) {
  EXPECT_EQ(FoldOf(Z("2026-11-01T06:30:00Z"), "America/Chicago"), Fold::kEarlier);
  EXPECT_EQ(FoldOf(Z("2026-11-01T07:30:00Z"), "America/Chicago"), Fold::kLater);
  EXPECT_EQ(FoldOf(Z("2026-11-02T07:30:00Z"), "America/Chicago"), Fold::kEarlier);
}

TEST(Recurrence, ParsesTheSubsetAndRefusesTheRest) {  // MKT-RECURRENCE
  auto r = ParseRecurrence("RRULE:FREQ=WEEKLY;BYDAY=WE,MO;COUNT=5");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->weekly);
  EXPECT_EQ(r->by_day, (std::vector<int>{0, 2}));
  EXPECT_EQ(*r->count, 5);
  const char* bad[] = {"", "FREQ=MONTHLY;COUNT=2", "FREQ=DAILY", "FREQ=DAILY;COUNT=2;UNTIL=20261201",
                       "FREQ=DAILY;BYDAY=MO;COUNT=2", "FREQ=WEEKLY;BYDAY=XX;COUNT=2", "FREQ=WEEKLY;BYDAY=MO,MO;COUNT=2",
                       "FREQ=DAILY;UNTIL=20261301", "FREQ=DAILY;COUNT=0", "FREQ=DAILY;COUNT=3;BYSETPOS=1", "COUNT=3"};
  for (const char* text : bad) {
    auto b = ParseRecurrence(text);
    ASSERT_FALSE(b.ok()) << text;
    EXPECT_EQ(b.error().fields.at(0).field, "recurrence") << text;
    EXPECT_EQ(b.error().fields.at(0).code, "invalid_rrule") << text;
  }
}

TEST(Recurrence, ExpandsInLocalDates) {
  struct Row {
    const char* rule;
    const char* first;
    std::vector<const char*> dates;
  } rows[] = {
      {"FREQ=DAILY;COUNT=3", "2026-10-31", {"2026-10-31", "2026-11-01", "2026-11-02"}},
      {"FREQ=DAILY;INTERVAL=2;UNTIL=20261106", "2026-10-31", {"2026-10-31", "2026-11-02", "2026-11-04", "2026-11-06"}},
      // 2026-12-02 is a Wednesday: the Monday before it is skipped.
      {"FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4", "2026-12-02", {"2026-12-02", "2026-12-07", "2026-12-09", "2026-12-14"}},
      {"FREQ=WEEKLY;INTERVAL=2;COUNT=3", "2026-12-02", {"2026-12-02", "2026-12-16", "2026-12-30"}},
      {"FREQ=WEEKLY;BYDAY=FR;UNTIL=20261218", "2026-12-02", {"2026-12-04", "2026-12-11", "2026-12-18"}},
  };
  for (const auto& row : rows) {
    auto dates = ExpandRecurrence(ParseRecurrence(row.rule).value(), D(row.first));
    ASSERT_TRUE(dates.ok()) << row.rule;
    std::vector<std::string> got, want(row.dates.begin(), row.dates.end());
    for (auto d : *dates) got.push_back(d.ToString());
    EXPECT_EQ(got, want) << row.rule;
  }
}

TEST(Recurrence, IsCapped) {
  auto at_cap = ExpandRecurrence(ParseRecurrence("FREQ=DAILY;COUNT=62").value(), D("2026-12-01"));
  ASSERT_TRUE(at_cap.ok());
  EXPECT_EQ(at_cap->size(), 62u);
  for (const char* rule : {"FREQ=DAILY;COUNT=63", "FREQ=DAILY;UNTIL=20271231"}) {
    auto over = ExpandRecurrence(ParseRecurrence(rule).value(), D("2026-12-01"));
    ASSERT_FALSE(over.ok()) << rule;
    EXPECT_EQ(over.error().fields.at(0).code, "too_many") << rule;
  }
  auto none = ExpandRecurrence(ParseRecurrence("FREQ=DAILY;UNTIL=20261101").value(), D("2026-12-01"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().fields.at(0).code, "empty");
}

TEST(Tiers, AudienceAndReleaseInstants) {  // MKT-TIER-RELEASE
  MarketplaceSettings st;
  st.tier1_minutes = 30;
  st.tier2_minutes = 60;
  Instant t0 = Z("2026-12-01T12:00:00Z");
  auto plan = PlanRelease(t0, false, st);
  EXPECT_EQ(plan.tier2_at, t0 + 30min);
  EXPECT_EQ(plan.tier3_at, t0 + 90min);
  auto urgent = PlanRelease(t0, true, st);
  EXPECT_EQ(urgent.tier2_at, t0);
  EXPECT_EQ(urgent.tier3_at, t0);
  Shift s;
  s.created_at = t0;
  s.tier2_at = plan.tier2_at;
  s.tier3_at = plan.tier3_at;
  EXPECT_EQ(TierAt(s, t0), kTierOwn);
  EXPECT_EQ(TierAt(s, t0 + 30min), kTierFloat);
  EXPECT_EQ(TierAt(s, t0 + 89min), kTierFloat);
  EXPECT_EQ(TierAt(s, t0 + 90min), kTierAll);
  EXPECT_EQ(ReleaseAt(s, kTierOwn), t0);
  EXPECT_EQ(ReleaseAt(s, kTierAll), t0 + 90min);

  ClinicianFacts staff, other_staff, favorite, floater, per_diem;
  staff.home_facility_id = FacilityId(7);
  staff.employment_type = "facility_staff";
  other_staff.home_facility_id = FacilityId(8);
  other_staff.employment_type = "facility_staff";
  favorite.favorite = true;
  favorite.employment_type = "per_diem";
  floater.employment_type = "float_pool";
  per_diem.employment_type = "per_diem";
  EXPECT_EQ(AudienceTier(FacilityId(7), staff), kTierOwn);
  EXPECT_EQ(AudienceTier(FacilityId(7), other_staff), kTierAll);
  EXPECT_EQ(AudienceTier(FacilityId(7), favorite), kTierOwn);
  EXPECT_EQ(AudienceTier(FacilityId(7), floater), kTierFloat);
  EXPECT_EQ(AudienceTier(FacilityId(7), per_diem), kTierAll);
}

struct EditFixture {
  Instant now = Z("2026-10-01T12:00:00Z");
  org::Facility facility;
  std::vector<org::Unit> units{{UnitId(10), FacilityId(1), "East", "med_surg"}};
  std::vector<credentialing::Discipline> disciplines{{"RN", "Registered Nurse", true, credentialing::CredentialKind::kLicense}};
  Shift shift;
  EditFixture() {
    facility.id = FacilityId(1);
    facility.time_zone = "America/Chicago";
    shift.id = ShiftId(5);
    shift.facility_id = FacilityId(1);
    shift.unit_id = UnitId(10);
    shift.discipline = "RN";
    shift.time_zone = "America/Chicago";
    shift.start = Z("2026-10-20T12:00:00Z");  // 07:00 CDT
    shift.end = Z("2026-10-20T20:00:00Z");
    shift.pay_rate = Money::Cents(5000);
    shift.bill_rate = Money::Cents(7000);
    shift.openings = 3;
    shift.filled = 2;
  }
};

TEST(ApplyEdit, ChangesOnlyWhatIsGivenAndRevalidates) {  // MKT-SHIFT-EDIT
  EditFixture f;
  ShiftEdit e;
  e.reason = "census up";
  e.end_local = L("2026-10-20T17:00");
  e.pay_rate = Money::Cents(6000);
  auto out = ApplyEdit(f.shift, e, f.facility, f.units, f.disciplines, f.now);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->start, f.shift.start);
  EXPECT_EQ(out->end, Z("2026-10-20T22:00:00Z"));
  EXPECT_EQ(out->pay_rate, Money::Cents(6000));
  EXPECT_EQ(out->bill_rate, Money::Cents(7000));
  EXPECT_EQ(out->status, ShiftStatus::kOpen);

  ShiftEdit cut;
  cut.reason = "census down";
  cut.openings = 2;
  auto filled = ApplyEdit(f.shift, cut, f.facility, f.units, f.disciplines, f.now);
  ASSERT_TRUE(filled.ok());
  EXPECT_EQ(filled->status, ShiftStatus::kFilled);
  cut.openings = 1;
  auto below = ApplyEdit(f.shift, cut, f.facility, f.units, f.disciplines, f.now);
  ASSERT_FALSE(below.ok());
  EXPECT_EQ(below.error().type, "openings-below-confirmed");

  ShiftEdit bad;
  bad.reason = "typo";
  bad.end_local = L("2026-10-20T06:00");
  bad.pay_rate = Money::Cents(0);
  auto invalid = ApplyEdit(f.shift, bad, f.facility, f.units, f.disciplines, f.now);
  ASSERT_FALSE(invalid.ok());
  ASSERT_EQ(invalid.error().fields.size(), 2u);
  EXPECT_EQ(invalid.error().fields[0].field, "end");
  EXPECT_EQ(invalid.error().fields[1].field, "pay_rate_cents");

  ShiftEdit empty;
  auto nothing = ApplyEdit(f.shift, empty, f.facility, f.units, f.disciplines, f.now);
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.error().fields.size(), 2u);  // reason required, nothing to change

  auto started = ApplyEdit(f.shift, e, f.facility, f.units, f.disciplines, f.shift.start);
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().type, "shift-started");
  Shift cancelled = f.shift;
  cancelled.status = ShiftStatus::kCancelled;
  EXPECT_EQ(ApplyEdit(cancelled, e, f.facility, f.units, f.disciplines, f.now).error().type, "shift-cancelled");
}

TEST(ApplyEdit, KeepsTheSecondPassOfARepeatedHour) {
  EditFixture f;
  f.shift.start = Z("2026-11-01T07:30:00Z");  // 01:30 CST, the second 01:30
  f.shift.end = Z("2026-11-01T15:30:00Z");
  ShiftEdit e;
  e.reason = "more notes";
  e.notes = "Bring a badge";
  auto out = ApplyEdit(f.shift, e, f.facility, f.units, f.disciplines, f.now);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->start, f.shift.start);
  EXPECT_EQ(out->notes, "Bring a badge");
}

TEST(FillMetrics, RatesAndTimesByGroup) {  // MKT-FILL-METRICS
  Instant posted = Z("2026-11-30T12:00:00Z");
  std::vector<FillSample> samples = {
      {FacilityId(1), UnitId(10), "RN", Z("2026-12-01T13:00:00Z"), posted, "America/Chicago", 2, {posted + 10min, posted + 30min}},
      {FacilityId(1), UnitId(10), "CNA", Z("2026-12-02T13:00:00Z"), posted, "America/Chicago", 1, {}},
      {FacilityId(1), UnitId(20), "RN", Z("2026-12-08T13:00:00Z"), posted, "America/Chicago", 1, {posted + 60min}},
  };
  auto all = FillMetrics(samples, {});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].shifts, 3);
  EXPECT_EQ(all[0].openings, 4);
  EXPECT_EQ(all[0].filled, 3);
  EXPECT_EQ(*all[0].median_minutes, 30);
  EXPECT_EQ(*all[0].p90_minutes, 60);
  EXPECT_EQ(*all[0].mean_minutes, 33);
  EXPECT_FALSE(all[0].week.has_value());

  FillGroupBy by;
  by.week = true;
  by.discipline = true;
  auto grouped = FillMetrics(samples, by);
  ASSERT_EQ(grouped.size(), 3u);
  EXPECT_EQ(*grouped[0].discipline, "CNA");
  EXPECT_EQ(*grouped[0].week, "2026-W49");
  EXPECT_FALSE(grouped[0].median_minutes.has_value());
  EXPECT_EQ(*grouped[1].discipline, "RN");
  EXPECT_EQ(*grouped[1].week, "2026-W49");
  EXPECT_EQ(grouped[1].filled, 2);
  EXPECT_EQ(*grouped[2].week, "2026-W50");
}

TEST(IsoWeek, YearBoundaries) {
  struct Row { const char* date; const char* week; } rows[] = {
      {"2026-11-30", "2026-W49"}, {"2027-01-01", "2026-W53"}, {"2026-01-01", "2026-W01"},
      {"2024-12-30", "2025-W01"}, {"2021-01-03", "2020-W53"}, {"2026-12-28", "2026-W53"},
  };
  for (const auto& r : rows) EXPECT_EQ(IsoWeek(D(r.date)), r.week) << r.date;
}

}  // namespace
}  // namespace openmso::marketplace
