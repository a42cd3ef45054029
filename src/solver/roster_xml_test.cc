// Tests of the XML "Roster" reader and writer: round trip, the documented example shape,
// and errors with line numbers for malformed or mismatched files.
#include <gtest/gtest.h>

#include "solver/test_util.h"

namespace openmso::solver {
namespace {

TEST(RosterXml, RoundTrip) {
  auto in = ParseInstance(testing::kTinyInstance);
  ASSERT_TRUE(in.ok());
  Roster r = Roster::AllOff(*in);
  r.set(0, 1, 0);
  r.set(0, 2, 1);
  r.set(2, 13, 1);
  RosterXmlMeta meta;
  meta.penalty = 42;
  std::string xml = FormatRosterXml(*in, r, meta);
  EXPECT_NE(xml.find("<Penalty>42</Penalty>"), std::string::npos);
  EXPECT_NE(xml.find("<Assign><Day>2</Day><Shift>N</Shift></Assign>"), std::string::npos);
  auto back = ParseRosterXml(*in, xml);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, r);
}

TEST(RosterXml, ReadsTheDocumentedLayout) {
  auto in = ParseInstance(testing::kTinyInstance);
  ASSERT_TRUE(in.ok());
  const char* xml =
      "<Roster xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
      "        xsi:noNamespaceSchemaLocation=\"Roster.xsd\">\n"
      "  <SchedulingPeriodFile>Instance1.ros</SchedulingPeriodFile>\n"
      "  <Penalty>607</Penalty>  <!-- optional -->\n"
      "  <Employee ID=\"B\">\n"
      "    <Assign>\n      <Day>3</Day>\n      <Shift>D</Shift>\n    </Assign>\n"
      "  </Employee>\n"
      "  <Employee ID='C'/>\n"
      "</Roster>\n";
  auto r = ParseRosterXml(*in, xml);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->at(1, 3), 0);
  EXPECT_EQ(r->at(0, 3), kOff);
}

TEST(RosterXml, ErrorsNameTheLine) {
  auto in = ParseInstance(testing::kTinyInstance);
  ASSERT_TRUE(in.ok());
  struct Row { const char* xml; const char* expect; } rows[] = {
      {"<Roster>\n<Employee ID=\"Z\">\n</Employee></Roster>", "line 2: unknown employee id 'Z'"},
      {"<Roster>\n<Employee ID=\"A\">\n<Assign><Day>14</Day><Shift>D</Shift></Assign></Employee></Roster>", "line 3: day must be"},
      {"<Roster>\n<Employee ID=\"A\">\n<Assign><Day>1</Day><Shift>Q</Shift></Assign></Employee></Roster>", "line 3: unknown shift id 'Q'"},
      {"<Roster><Employee ID=\"A\">\n<Assign><Day>1</Day><Shift>D</Shift></Assign>\n"
       "<Assign><Day>1</Day><Shift>N</Shift></Assign></Employee></Roster>", "line 3: employee A has two assignments"},
      {"<Roster>\n<Employee ID=\"A\">\n", "unexpected end of file inside <Employee>"},
      {"<Roster>\n</Employee>", "line 2: unexpected </Employee>"},
      {"<Other/>", "root element must be <Roster>"},
      {"", "no <Roster> element"},
  };
  for (const Row& r : rows) {
    auto res = ParseRosterXml(*in, r.xml);
    ASSERT_FALSE(res.ok()) << r.expect;
    EXPECT_NE(res.error().message.find(r.expect), std::string::npos)
        << "got: " << res.error().message << "\nexpected: " << r.expect;
  }
}

}  // namespace
}  // namespace openmso::solver
