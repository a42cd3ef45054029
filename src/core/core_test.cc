// Tests of the core vocabulary: money arithmetic, instants, zones across DST, geo.
#include <gtest/gtest.h>

#include "core/core.h"

namespace openmso {
namespace {

TEST(Money, ParseAndFormatRoundTrip) {
  struct Row { const char* in; bool ok; int64_t cents; const char* out; } rows[] = {
      {"0", true, 0, "0.00"},         {"12.5", true, 1250, "12.50"},
      {"-3.07", true, -307, "-3.07"}, {"1234.56", true, 123456, "1234.56"},
      {"1.234", false, 0, ""},        {"abc", false, 0, ""},
      {"", false, 0, ""},             {".5", false, 0, ""},
      {"5.", false, 0, ""},
  };
  for (const auto& r : rows) {
    auto m = Money::ParseDecimal(r.in);
    ASSERT_EQ(m.has_value(), r.ok) << "row " << r.in;
    if (m) {
      EXPECT_EQ(m->cents(), r.cents) << "row " << r.in;
      EXPECT_EQ(m->ToDecimalString(), r.out) << "row " << r.in;
    }
  }
}

TEST(Money, MulRatioRoundsHalfAwayFromZero) {
  EXPECT_EQ(Money::Cents(1001).MulRatio(3, 2).cents(), 1502);   // 1501.5 -> 1502
  EXPECT_EQ(Money::Cents(-1001).MulRatio(3, 2).cents(), -1502);
  EXPECT_EQ(Money::Cents(100).MulRatio(1, 3).cents(), 33);
}

TEST(Time, InstantRoundTrip) {
  auto t = ParseInstant("2026-03-08T07:30:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatInstant(*t), "2026-03-08T07:30:00Z");
  auto off = ParseInstant("2026-03-08T02:30:00-05:00");
  ASSERT_TRUE(off);
  EXPECT_EQ(*off, *t);
  EXPECT_FALSE(ParseInstant("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(ParseInstant("2026-03-08 07:30:00"));
  // Outside years 0000-9999 once in UTC: could not be printed back (fuzz_time finding).
  EXPECT_FALSE(ParseInstant("0000-01-01T00:00:00+23:59"));
  EXPECT_FALSE(ParseInstant("9999-12-31T23:59:59-23:59"));
  EXPECT_TRUE(ParseInstant("0000-01-01T00:00:00Z"));
  EXPECT_TRUE(ParseInstant("9999-12-31T23:59:59.999Z"));
  EXPECT_EQ(FormatInstant(*ParseInstant("2026-01-01T00:00:00.250Z")), "2026-01-01T00:00:00.250Z");
}

TEST(Time, DatesAreStrict) {
  EXPECT_TRUE(Date::Parse("2024-02-29"));
  EXPECT_FALSE(Date::Parse("2023-02-29"));
  EXPECT_FALSE(Date::Parse("2023-2-28"));
  auto d = *Date::Parse("2026-11-29");
  EXPECT_EQ(Date::FromDaysSinceEpoch(d.DaysSinceEpoch()), d);
}

TEST(Time, ZonesAndDst) {
  EXPECT_TRUE(IsValidTimeZone("America/Chicago"));
  EXPECT_FALSE(IsValidTimeZone("Mars/Olympus"));
  EXPECT_FALSE(IsValidTimeZone(""));
  // A night shift over the autumn change in Chicago: 19:00 to 07:00 local is 13 hours.
  auto start = ToInstant(*LocalDateTime::Parse("2026-10-31T19:00"), "America/Chicago");
  auto end = ToInstant(*LocalDateTime::Parse("2026-11-01T07:00"), "America/Chicago");
  ASSERT_TRUE(start.ok() && end.ok());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::hours>(*end - *start).count(), 13);
  // 02:30 on the spring-forward day does not exist.
  auto gap = ToInstant(*LocalDateTime::Parse("2026-03-08T02:30"), "America/Chicago");
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(gap.error().fields.at(0).code, "nonexistent_local_time");
  auto local = ToLocal(*start, "America/Chicago");
  EXPECT_EQ(local.ToString(), "2026-10-31T19:00");
}

TEST(Geo, DistanceIsPlausible) {
  GeoPoint chicago{41.8781, -87.6298}, denver{39.7392, -104.9903};
  double d = DistanceMeters(chicago, denver);
  EXPECT_NEAR(d / 1000.0, 1475.0, 10.0);
  EXPECT_FALSE((GeoPoint{91, 0}.valid()));
}

}  // namespace
}  // namespace openmso
