// Validation rules of facilities and units, table-driven.
#include <gtest/gtest.h>

#include <functional>

#include "domain/org/org.h"

namespace openmso::org {
namespace {

FacilityDraft GoodDraft() {
  return FacilityDraft{"Lakeside", "nursing_home", {"1 Main St", "Chicago", "IL", "60601"},
                       {41.88, -87.63}, "America/Chicago", Money::Cents(100), Date{2026, 1, 1}};
}

TEST(Org, ValidDraftPasses) { EXPECT_TRUE(Validate(GoodDraft()).ok()); }

TEST(Org, EachBadFieldIsNamed) {
  struct Row { const char* field; const char* code; std::function<void(FacilityDraft&)> edit; } rows[] = {
      {"name", "invalid_length", [](FacilityDraft& d) { d.name = ""; }},
      {"type", "invalid_value", [](FacilityDraft& d) { d.type = "spa"; }},
      {"address.state", "invalid_value", [](FacilityDraft& d) { d.address.state = "XX"; }},
      {"address.postal_code", "invalid_value", [](FacilityDraft& d) { d.address.postal_code = "6060"; }},
      {"location.latitude", "out_of_range", [](FacilityDraft& d) { d.location.latitude = 91; }},
      {"location.longitude", "out_of_range", [](FacilityDraft& d) { d.location.longitude = -181; }},
      {"time_zone", "invalid_time_zone", [](FacilityDraft& d) { d.time_zone = "America/Atlantis"; }},
      {"monthly_fee_cents", "negative_amount", [](FacilityDraft& d) { d.monthly_fee = Money::Cents(-1); }},
  };
  for (const auto& r : rows) {
    FacilityDraft d = GoodDraft();
    r.edit(d);
    auto res = Validate(d);
    ASSERT_FALSE(res.ok()) << "row " << r.field;
    ASSERT_EQ(res.error().fields.size(), 1u) << "row " << r.field;
    EXPECT_EQ(res.error().fields[0].field, r.field);
    EXPECT_EQ(res.error().fields[0].code, r.code) << "row " << r.field;
    EXPECT_EQ(res.error().type, "validation-error");
  }
}

TEST(Org, AllBadFieldsReportedTogether) {
  FacilityDraft d = GoodDraft();
  d.name = "";
  d.time_zone = "nope";
  auto res = Validate(d);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().fields.size(), 2u);
}

TEST(Org, ZipPlusFour) {
  FacilityDraft d = GoodDraft();
  d.address.postal_code = "60601-1234";
  EXPECT_TRUE(Validate(d).ok());
}

}  // namespace
}  // namespace openmso::org
