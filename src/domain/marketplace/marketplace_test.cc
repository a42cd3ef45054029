// Table-driven tests of shift validation (MKT-SHIFT-VALID), the eligibility rules
// (MKT-ELIG-*) and the ranking score (MKT-RANK), with a fake clock.
#include "domain/marketplace/marketplace.h"

#include <gtest/gtest.h>

#include <set>

namespace openmso::marketplace {
namespace {

using namespace std::chrono_literals;

LocalDateTime L(const char* s) { return *LocalDateTime::Parse(s); }
Instant At(const char* local, const char* zone = "America/Chicago") { return ToInstant(L(local), zone).value(); }

struct Fixture {
  FakeClock clock{*ParseInstant("2026-10-01T12:00:00Z")};
  org::Facility facility;
  std::vector<org::Unit> units;
  std::vector<credentialing::Discipline> disciplines{{"RN", "Registered Nurse", true, credentialing::CredentialKind::kLicense},
                                                     {"CNA", "CNA", false, credentialing::CredentialKind::kCertification}};
  Fixture() {
    facility.id = FacilityId(1);
    facility.time_zone = "America/Chicago";
    facility.location = {41.9036, -87.6270};
    units = {{UnitId(10), FacilityId(1), "East", "med_surg"}, {UnitId(20), FacilityId(2), "Other", "icu"}};
  }
  ShiftDraft Good() const {
    ShiftDraft d;
    d.unit_id = UnitId(10);
    d.discipline = "RN";
    d.start_local = L("2026-10-31T19:00");
    d.end_local = L("2026-11-01T07:00");
    d.break_minutes = 30;
    d.pay_rate = Money::Cents(5500);
    d.bill_rate = Money::Cents(7800);
    d.openings = 2;
    return d;
  }
};

TEST(ValidateShift, NightShiftOverTheAutumnDstChangeIs13Hours) {
  Fixture f;
  ShiftDraft d = f.Good();
  // Chicago falls back from 02:00 CDT to 01:00 CST on Sunday 2026-11-01.
  d.start_local = L("2026-10-31T19:00");
  d.end_local = L("2026-11-01T07:00");
  auto t = ValidateShift(d, f.facility, f.units, f.disciplines, f.clock.Now());
  ASSERT_TRUE(t.ok()) << t.error().fields[0].field;
  EXPECT_EQ(t->end - t->start, 13h);
  // The same local times a week later are 12 hours.
  d.start_local = L("2026-11-07T19:00");
  d.end_local = L("2026-11-08T07:00");
  auto u = ValidateShift(d, f.facility, f.units, f.disciplines, f.clock.Now());
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->end - u->start, 12h);
}

TEST(ValidateShift, EachBadInputNamesItsField) {  // MKT-SHIFT-VALID
  Fixture f;
  struct Row {
    const char* name;
    std::function<void(ShiftDraft&)> change;
    const char* field;
    const char* code;
  } rows[] = {
      {"end before start", [](ShiftDraft& d) { d.end_local = L("2026-10-31T18:00"); }, "end", "end_before_start"},
      {"end equals start", [](ShiftDraft& d) { d.end_local = d.start_local; }, "end", "end_before_start"},
      {"spring gap", [](ShiftDraft& d) { d.start_local = L("2027-03-14T02:30"); d.end_local = L("2027-03-14T10:00"); },
       "start", "nonexistent_local_time"},
      {"over 16 h", [](ShiftDraft& d) { d.end_local = L("2026-11-01T12:00"); }, "end", "too_long"},
      {"zero openings", [](ShiftDraft& d) { d.openings = 0; }, "openings", "out_of_range"},
      {"51 openings", [](ShiftDraft& d) { d.openings = 51; }, "openings", "out_of_range"},
      {"negative pay", [](ShiftDraft& d) { d.pay_rate = Money::Cents(-1); }, "pay_rate_cents", "out_of_range"},
      {"absurd pay", [](ShiftDraft& d) { d.pay_rate = Money::Cents(100'001); }, "pay_rate_cents", "out_of_range"},
      {"negative bill", [](ShiftDraft& d) { d.bill_rate = Money::Cents(-5); }, "bill_rate_cents", "out_of_range"},
      {"negative incentive", [](ShiftDraft& d) { d.incentive = Money::Cents(-5); }, "incentive_cents", "out_of_range"},
      {"unit of another facility", [](ShiftDraft& d) { d.unit_id = UnitId(20); }, "unit_id", "unknown_unit"},
      {"unknown unit", [](ShiftDraft& d) { d.unit_id = UnitId(99); }, "unit_id", "unknown_unit"},
      {"unknown discipline", [](ShiftDraft& d) { d.discipline = "WIZARD"; }, "discipline", "unknown_discipline"},
      {"past", [](ShiftDraft& d) { d.start_local = L("2026-09-30T07:00"); d.end_local = L("2026-09-30T15:00"); },
       "start", "in_past"},
      {"break too long", [](ShiftDraft& d) { d.break_minutes = 121; }, "break_minutes", "out_of_range"},
  };
  for (const auto& row : rows) {
    ShiftDraft d = f.Good();
    row.change(d);
    auto r = ValidateShift(d, f.facility, f.units, f.disciplines, f.clock.Now());
    ASSERT_FALSE(r.ok()) << row.name;
    ASSERT_EQ(r.error().fields.size(), 1u) << row.name;
    EXPECT_EQ(r.error().fields[0].field, row.field) << row.name;
    EXPECT_EQ(r.error().fields[0].code, row.code) << row.name;
  }
}

TEST(BillRate, GivenElseRateCardElseRequired) {  // MKT-RATE-CARD
  EXPECT_EQ(ResolveBillRate(Money::Cents(100), Money::Cents(200)).value(), Money::Cents(100));
  EXPECT_EQ(ResolveBillRate(std::nullopt, Money::Cents(200)).value(), Money::Cents(200));
  EXPECT_FALSE(ResolveBillRate(std::nullopt, std::nullopt).ok());
}

TEST(ExpandDates, KeepsTheEndDayOffset) {
  Fixture f;
  auto list = ExpandDates(f.Good(), {Date{2026, 12, 1}, Date{2026, 12, 31}});
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1].start_local.ToString(), "2026-12-31T19:00");
  EXPECT_EQ(list[1].end_local.ToString(), "2027-01-01T07:00");
  EXPECT_EQ(ExpandDates(f.Good(), {}).size(), 1u);
}

// A shift Wednesday 2026-11-04 07:00-19:00 Chicago (12 h, 30 min break) and a clinician
// who passes every rule; each row breaks exactly one rule.
Shift Wednesday() {
  Shift s;
  s.id = ShiftId(1);
  s.time_zone = "America/Chicago";
  s.start = At("2026-11-04T07:00");
  s.end = At("2026-11-04T19:00");
  s.break_minutes = 30;
  return s;
}

BookedShift Booked(int64_t id, const char* start, const char* end, int paid_hours) {
  return {ShiftId(id), At(start), At(end),
          std::chrono::hours(paid_hours)};
}

TEST(Eligibility, EachRuleFailsAlone) {
  GeoPoint facility{41.9036, -87.6270};
  ClinicianFacts good;
  good.id = ClinicianId(7);
  good.home = {41.95, -87.65};  // ~5.5 km
  good.travel_radius_km = 25;
  good.booked = {Booked(50, "2026-11-02T07:00", "2026-11-02T19:00", 12)};  // Monday, same week
  credentialing::ComplianceResult non_compliant;
  non_compliant.status = credentialing::ComplianceStatus::kNonCompliant;
  non_compliant.reasons.push_back({"license_not_valid_in_state", "license:RN", "No RN license valid in IL.", {}, {}});
  struct Row {
    const char* rule;  // the one rule that fails; "" = eligible
    std::function<void(ClinicianFacts&)> change;
  } rows[] = {
      {"", [](ClinicianFacts&) {}},
      {"MKT-ELIG-LICENSE", [&](ClinicianFacts& c) { c.compliance = non_compliant; }},
      {"MKT-ELIG-EXCLUDED", [](ClinicianFacts& c) { c.excluded = true; }},
      {"MKT-ELIG-DNR", [](ClinicianFacts& c) { c.do_not_return = true; }},
      {"MKT-ELIG-OVERLAP", [](ClinicianFacts& c) { c.booked.push_back(Booked(51, "2026-11-04T15:00", "2026-11-04T23:00", 8)); }},
      // 7 h 59 min of rest after a night shift that ends at 23:01 the evening before.
      {"MKT-ELIG-REST", [](ClinicianFacts& c) { c.booked.push_back(Booked(52, "2026-11-03T15:01", "2026-11-03T23:01", 8)); }},
      // 12 + 11.5 (this) + 3 x 12 = 59.5 h is fine; one more 12 h shift is 71.5 h.
      {"MKT-ELIG-WEEKLY-HOURS", [](ClinicianFacts& c) {
         for (const char* d : {"2026-11-05", "2026-11-06", "2026-11-07", "2026-11-08"})
           c.booked.push_back(Booked(60 + d[9], (std::string(d) + "T07:00").c_str(), (std::string(d) + "T19:00").c_str(), 12));
       }},
      // Thursday to Tuesday booked (4 h mornings) plus this Wednesday: 7 days in a row.
      {"MKT-ELIG-CONSECUTIVE-DAYS", [](ClinicianFacts& c) {
         for (const char* d : {"2026-10-29", "2026-10-30", "2026-10-31", "2026-11-01", "2026-11-03"})
           c.booked.push_back(Booked(70 + d[9], (std::string(d) + "T07:00").c_str(), (std::string(d) + "T11:00").c_str(), 4));
       }},
      {"MKT-ELIG-DISTANCE", [](ClinicianFacts& c) { c.home = {42.5, -87.6}; }},  // ~66 km
  };
  for (const auto& row : rows) {
    ClinicianFacts c = good;
    row.change(c);
    Eligibility e = Evaluate(Wednesday(), facility, c, {});
    ASSERT_EQ(e.rules.size(), std::size(kRuleIds));
    for (size_t i = 0; i < e.rules.size(); ++i) {
      EXPECT_EQ(e.rules[i].rule_id, kRuleIds[i]);
      EXPECT_EQ(e.rules[i].passed, e.rules[i].rule_id != row.rule) << row.rule << " / " << e.rules[i].rule_id << ": "
                                                                    << e.rules[i].message;
    }
    EXPECT_EQ(e.eligible, std::string_view(row.rule).empty()) << row.rule;
  }
}

TEST(Eligibility, RestBoundaryIsInclusiveAndTheShiftItselfIsIgnored) {  // MKT-ELIG-REST
  ClinicianFacts c;
  c.home = {41.9036, -87.6270};
  c.travel_radius_km = 10;
  c.booked = {Booked(52, "2026-11-03T15:00", "2026-11-03T23:00", 8), Booked(1, "2026-11-04T07:00", "2026-11-04T19:00", 11)};
  EXPECT_TRUE(Evaluate(Wednesday(), c.home, c, {}).eligible);  // exactly 8 h of rest
  EligibilitySettings strict;
  strict.min_rest = std::chrono::minutes(10 * 60);
  EXPECT_FALSE(Evaluate(Wednesday(), c.home, c, strict).eligible);
}

TEST(Eligibility, ConsecutiveDaysAreLocalDatesOnBothSidesOfTheShift) {  // MKT-ELIG-CONSECUTIVE-DAYS
  ClinicianFacts c;
  c.home = {41.9036, -87.6270};
  c.travel_radius_km = 10;
  auto morning = [](int64_t id, const char* date) {
    return Booked(id, (std::string(date) + "T07:00").c_str(), (std::string(date) + "T11:00").c_str(), 4);
  };
  auto rule = [&](const EligibilitySettings& st) {
    Eligibility e = Evaluate(Wednesday(), c.home, c, st);
    return e.rules[6];
  };
  // Mon, Tue before and Thu, Fri, Sat after: 6 days with Wednesday, the default maximum.
  c.booked = {morning(2, "2026-11-02"), morning(3, "2026-11-03"), morning(5, "2026-11-05"), morning(6, "2026-11-06"),
              morning(7, "2026-11-07")};
  EligibilitySettings st;
  ASSERT_EQ(rule(st).rule_id, "MKT-ELIG-CONSECUTIVE-DAYS");
  EXPECT_TRUE(rule(st).passed) << rule(st).message;
  c.booked.push_back(morning(8, "2026-11-08"));  // Sunday makes 7
  EXPECT_FALSE(rule(st).passed);
  EXPECT_EQ(rule(st).message, "This shift would make 7 consecutive days of work; the maximum is 6.");
  st.max_consecutive_days = 7;
  EXPECT_TRUE(rule(st).passed);
  st.max_consecutive_days = 6;
  c.booked.erase(c.booked.begin() + 1);  // a free Tuesday breaks the run: Wed-Sun is 5
  EXPECT_TRUE(rule(st).passed) << rule(st).message;
  // A night shift counts on the date it starts: Tuesday 19:00 to Wednesday 01:00 is Tuesday.
  c.booked.push_back(Booked(10, "2026-11-03T19:00", "2026-11-04T01:00", 6));
  EXPECT_FALSE(rule(st).passed);  // Mon-Sun: 7
  // Another zone's shift counts on its own local date: 2026-11-03 22:30 in Honolulu is
  // 2026-11-04 in Chicago, but Tuesday where it is worked.
  c.booked.pop_back();
  BookedShift hawaii{ShiftId(11), At("2026-11-03T22:30", "Pacific/Honolulu"), At("2026-11-03T23:30", "Pacific/Honolulu"),
                     std::chrono::hours(1), "Pacific/Honolulu"};
  c.booked.push_back(hawaii);
  EXPECT_FALSE(rule(st).passed) << rule(st).message;
  hawaii.time_zone.clear();  // read in Chicago it would be Wednesday, the shift's own day
  c.booked.back() = hawaii;
  EXPECT_TRUE(rule(st).passed) << rule(st).message;
}

TEST(Ranking, FavoritesFirstThenReliabilityRatingDistanceOvertime) {  // MKT-RANK
  Eligibility near, far, overtime;
  near.distance_km = 5;
  far.distance_km = 60;
  overtime.distance_km = 5;
  overtime.week_paid_with_shift = std::chrono::hours(44);
  ClinicianFacts plain, fav, reliable, flaky, rated;
  fav.favorite = true;
  reliable.completed = 20;
  flaky.completed = 5;
  flaky.no_shows = 3;
  rated.rating = 5;
  EXPECT_DOUBLE_EQ(Rank(plain, near).reliability, 150);
  EXPECT_DOUBLE_EQ(Rank(plain, near).rating, 80);
  EXPECT_GT(Rank(fav, far).total(), Rank(reliable, near).total());
  EXPECT_GT(Rank(reliable, near).total(), Rank(flaky, near).total());
  EXPECT_GT(Rank(rated, near).total(), Rank(plain, near).total());
  EXPECT_GT(Rank(plain, near).total(), Rank(plain, far).total());
  EXPECT_DOUBLE_EQ(Rank(plain, overtime).overtime, -150);
  EXPECT_GT(Rank(plain, near).total(), Rank(plain, overtime).total());
}

TEST(Settings, LimitsAreChecked) {  // MKT-SETTINGS
  MarketplaceSettings s;
  EXPECT_TRUE(ValidateSettings(s).ok());
  s.eligibility.min_rest = std::chrono::minutes(-1);
  s.eligibility.weekly_hours_cap = 0;
  auto r = ValidateSettings(s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.size(), 2u);
  for (auto st : {ClaimStatus::kPending, ClaimStatus::kConfirmed, ClaimStatus::kDeclined, ClaimStatus::kCancelled})
    EXPECT_EQ(ParseClaimStatus(ClaimStatusName(st)), st);
}

TEST(Settings, CancellationLimitsNameTheirFields) {  // MKT-SETTINGS, MKT-CANCEL-PAY
  MarketplaceSettings s;
  EXPECT_EQ(s.cancellation_window_hours, 24);
  EXPECT_EQ(s.cancellation_pay_hours, 4);
  s.cancellation_window_hours = 169;
  s.cancellation_pay_hours = -1;
  auto r = ValidateSettings(s);
  ASSERT_FALSE(r.ok());
  std::set<std::string> fields;
  for (const auto& f : r.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"cancellation_window_hours", "cancellation_pay_hours"}));
  s.cancellation_window_hours = 168;
  s.cancellation_pay_hours = 24;
  EXPECT_TRUE(ValidateSettings(s).ok());
}

TEST(CancellationPay, InsideTheWindowHoursAtThePayRateCappedByThePaidLength) {  // MKT-CANCEL-PAY
  Shift sh = Wednesday();  // 07:00-19:00 with a 30 min break: 11.5 paid hours
  sh.pay_rate = Money::Cents(5000);
  MarketplaceSettings st;  // 24 h window, 4 h of pay
  struct Row {
    const char* name;
    std::chrono::minutes before_start;  // when the facility cancels
    int window_h, pay_h, break_min;
    int64_t rate_cents;
    std::optional<int64_t> owed_cents;
  } rows[] = {
      {"two days ahead", std::chrono::hours(48), 24, 4, 30, 5000, std::nullopt},
      {"exactly 24 h ahead is outside", std::chrono::hours(24), 24, 4, 30, 5000, std::nullopt},
      {"a minute inside", std::chrono::minutes(24 * 60 - 1), 24, 4, 30, 5000, 20000},
      {"an hour ahead", std::chrono::hours(1), 24, 4, 30, 5000, 20000},
      {"after the start", std::chrono::hours(-2), 24, 4, 30, 5000, 20000},
      {"a wider window", std::chrono::hours(48), 72, 4, 30, 5000, 20000},
      {"no window still pays once started", std::chrono::minutes(-1), 0, 4, 30, 5000, 20000},
      {"no pay configured", std::chrono::hours(1), 24, 0, 30, 5000, std::nullopt},
      {"the paid length caps it: 11.5 h", std::chrono::hours(1), 24, 24, 30, 5000, 57500},
      {"rounded once, half away from zero", std::chrono::hours(1), 24, 24, 45, 3333, 37496},  // 3333 x 11.25 = 37496.25
  };
  for (const auto& row : rows) {
    sh.break_minutes = row.break_min;
    sh.pay_rate = Money::Cents(row.rate_cents);
    st.cancellation_window_hours = row.window_h;
    st.cancellation_pay_hours = row.pay_h;
    auto owed = CancellationPay(sh, st, sh.start - row.before_start);
    ASSERT_EQ(owed.has_value(), row.owed_cents.has_value()) << row.name;
    if (owed) EXPECT_EQ(owed->cents(), *row.owed_cents) << row.name;
  }
}

TEST(ClaimTimeout, DueAfterTheTimeoutOrAtTheStartWhicheverIsFirst) {  // MKT-CLAIM-TIMEOUT
  MarketplaceSettings st;
  EXPECT_EQ(st.approval_timeout_minutes, 120);
  EXPECT_EQ(st.approval_timeout_action, TimeoutAction::kDecline);
  Instant claimed = At("2026-11-01T08:00");
  EXPECT_EQ(ClaimDecisionDue(claimed, At("2026-11-03T07:00"), st), At("2026-11-01T10:00"));
  EXPECT_EQ(ClaimDecisionDue(claimed, At("2026-11-01T09:00"), st), At("2026-11-01T09:00"));  // the start comes first
  st.approval_timeout_minutes = 0;
  EXPECT_EQ(ValidateSettings(st).error().fields.at(0).field, "approval_timeout_minutes");
  st.approval_timeout_minutes = 7 * 24 * 60 + 1;
  EXPECT_FALSE(ValidateSettings(st).ok());
  st.approval_timeout_minutes = 7 * 24 * 60;
  EXPECT_TRUE(ValidateSettings(st).ok());
  for (auto a : {TimeoutAction::kApprove, TimeoutAction::kDecline}) EXPECT_EQ(ParseTimeoutAction(TimeoutActionName(a)), a);
  EXPECT_FALSE(ParseTimeoutAction("maybe"));
}

TEST(AfterTheShift, NoShowsOnceStartedAndOnlyForConfirmedClaims) {  // MKT-NO-SHOW
  Instant start = At("2026-11-04T07:00");
  Claim c{ClaimId(1), ShiftId(2), ClinicianId(3), ClaimStatus::kConfirmed, At("2026-11-01T07:00")};
  EXPECT_EQ(CheckNoShow(c, start, start - std::chrono::minutes(1)).error().type, "shift-not-started");
  EXPECT_TRUE(CheckNoShow(c, start, start).ok());
  c.no_show_at = start;
  EXPECT_EQ(CheckNoShow(c, start, start).error().type, "already-no-show");
  c.no_show_at.reset();
  for (auto st : {ClaimStatus::kPending, ClaimStatus::kDeclined, ClaimStatus::kCancelled, ClaimStatus::kWithdrawn}) {
    c.status = st;
    EXPECT_EQ(CheckNoShow(c, start, start).error().type, "claim-not-confirmed") << ClaimStatusName(st);
  }
}

TEST(AfterTheShift, RatingsNeedAWorkedEndedShift) {  // MKT-RATING
  Instant end = At("2026-11-04T19:00");
  Claim c{ClaimId(1), ShiftId(2), ClinicianId(3), ClaimStatus::kConfirmed, At("2026-11-01T07:00")};
  EXPECT_EQ(CheckRatable(c, end, Rater::kFacility, end - std::chrono::minutes(1)).error().type, "shift-not-ended");
  EXPECT_TRUE(CheckRatable(c, end, Rater::kFacility, end).ok());
  EXPECT_TRUE(CheckRatable(c, end, Rater::kClinician, end).ok());
  c.no_show_at = end;  // the facility may still rate a no-show; the clinician did not work
  EXPECT_TRUE(CheckRatable(c, end, Rater::kFacility, end).ok());
  EXPECT_EQ(CheckRatable(c, end, Rater::kClinician, end).error().type, "claim-not-worked");
  c.no_show_at.reset();
  c.status = ClaimStatus::kWithdrawn;
  EXPECT_EQ(CheckRatable(c, end, Rater::kFacility, end).error().type, "claim-not-worked");
}

TEST(AfterTheShift, RatingStarsAndTagsAreCheckedAndNormalized) {  // MKT-RATING
  auto ok = ValidateRating(5, {"  Punctual ", "great_with-residents 2"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, (std::vector<std::string>{"punctual", "great_with-residents 2"}));
  EXPECT_TRUE(ValidateRating(1, {}).ok());
  struct Row {
    int64_t stars;
    std::vector<std::string> tags;
    std::set<std::string> fields;  // "field:code"
  } rows[] = {
      {0, {}, {"stars:out_of_range"}},
      {6, {"ok"}, {"stars:out_of_range"}},
      {3, {""}, {"tags.0:invalid"}},
      {3, {"   "}, {"tags.0:invalid"}},
      {3, {"ok", std::string(41, 'a')}, {"tags.1:invalid"}},
      {3, {"no;semicolons"}, {"tags.0:invalid"}},
      {3, {"Kind", "kind "}, {"tags.1:duplicate"}},
      {9, {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}, {"stars:out_of_range", "tags:too_many"}},
  };
  for (const auto& row : rows) {
    auto r = ValidateRating(row.stars, row.tags);
    ASSERT_FALSE(r.ok()) << row.stars;
    std::set<std::string> got;
    for (const auto& f : r.error().fields) got.insert(f.field + ":" + f.code);
    EXPECT_EQ(got, row.fields) << row.stars << " " << (row.tags.empty() ? "" : row.tags[0]);
  }
}

TEST(Withdrawal, UntilTheCutoffOnlyOpenClaims) {  // MKT-WITHDRAW-CUTOFF
  FakeClock clock(At("2026-11-01T12:00"));
  Instant start = At("2026-11-03T12:00");
  EXPECT_TRUE(CheckWithdrawal(ClaimStatus::kConfirmed, start, clock.Now()).ok());
  EXPECT_TRUE(CheckWithdrawal(ClaimStatus::kPending, start, clock.Now()).ok());
  EXPECT_EQ(CheckWithdrawal(ClaimStatus::kDeclined, start, clock.Now()).error().type, "claim-decided");
  clock.Set(start - kWithdrawCutoff);
  EXPECT_TRUE(CheckWithdrawal(ClaimStatus::kConfirmed, start, clock.Now()).ok());  // exactly 24 h before
  clock.Advance(std::chrono::minutes(1));
  EXPECT_EQ(CheckWithdrawal(ClaimStatus::kConfirmed, start, clock.Now()).error().type, "withdraw-cutoff");
}

TEST(Feed, ConfirmedShiftsAndTheCancellationsOfConfirmedOnes) {  // MKT-ICAL-FEED
  Instant t = At("2026-11-01T12:00");
  struct Row {
    ClaimStatus status;
    bool was_confirmed;
    int revision;
    bool listed, cancelled;
  } rows[] = {
      {ClaimStatus::kConfirmed, true, 0, true, false},  {ClaimStatus::kConfirmed, true, 1, true, false},
      {ClaimStatus::kCancelled, true, 1, true, true},   {ClaimStatus::kWithdrawn, true, 2, true, true},
      {ClaimStatus::kCancelled, false, 1, false, false}, {ClaimStatus::kWithdrawn, false, 1, false, false},
      {ClaimStatus::kPending, false, 0, false, false},  {ClaimStatus::kDeclined, false, 1, false, false},
  };
  for (const auto& row : rows) {
    Claim c{ClaimId(1), ShiftId(2), ClinicianId(3), row.status, t};
    if (row.was_confirmed) c.confirmed_at = t;
    c.revision = row.revision;
    auto e = FeedEntryOf(c);
    ASSERT_EQ(e.has_value(), row.listed) << ClaimStatusName(row.status) << " " << row.was_confirmed;
    if (!e) continue;
    EXPECT_EQ(e->cancelled, row.cancelled) << ClaimStatusName(row.status);
    EXPECT_EQ(e->sequence, row.revision);
  }
}

}  // namespace
}  // namespace openmso::marketplace
