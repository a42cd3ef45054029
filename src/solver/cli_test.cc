// Tests of the `openmso roster` command: help, solve to XML then evaluate it, and clear
// errors with exit status 2 for bad usage and malformed instance files.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "solver/test_util.h"

namespace openmso::solver {
namespace {

struct CommandRun {
  int code;
  std::string out, err;
};

CommandRun Call(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = RosterCommand(args, out, err);
  return {code, out.str(), err.str()};
}

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/" + name;
}

TEST(RosterCommand, Help) {
  CommandRun r = Call({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("roster solve"), std::string::npos);
  EXPECT_EQ(Call({}).code, 2);
  EXPECT_EQ(Call({"frobnicate"}).code, 2);
}

TEST(RosterCommand, SolveThenEvaluate) {
  std::string inst = TempPath("tiny.txt");
  std::ofstream(inst) << testing::kTinyInstance;
  std::string xml = TempPath("tiny.xml");
  CommandRun s = Call({"solve", inst, "--time-limit", "0.3", "--seed", "3", "--out", xml, "--progress"});
  ASSERT_EQ(s.code, 0) << s.out << s.err;
  EXPECT_NE(s.out.find("objective: "), std::string::npos);
  EXPECT_NE(s.out.find("under-cover"), std::string::npos);
  EXPECT_NE(s.out.find("feasible: yes"), std::string::npos);
  EXPECT_NE(s.err.find("best"), std::string::npos);  // --progress lines
  CommandRun e = Call({"evaluate", inst, xml});
  EXPECT_EQ(e.code, 0) << e.err;
  // Same objective line in both outputs.
  auto line = [](const std::string& t) { auto p = t.find("objective: "); return t.substr(p, t.find('\n', p) - p); };
  EXPECT_EQ(line(s.out), line(e.out));
}

TEST(RosterCommand, EvaluateReportsViolations) {
  std::string inst = TempPath("tiny2.txt");
  std::ofstream(inst) << testing::kTinyInstance;
  std::string xml = TempPath("bad.xml");
  std::ofstream(xml) << "<Roster><Employee ID=\"A\"><Assign><Day>0</Day><Shift>D</Shift></Assign></Employee></Roster>";
  CommandRun e = Call({"evaluate", inst, xml});
  EXPECT_EQ(e.code, 1);
  EXPECT_NE(e.out.find("feasible: no"), std::string::npos);
  EXPECT_NE(e.out.find("fixed day off"), std::string::npos);
}

TEST(RosterCommand, BadInputsExitTwoWithLineNumber) {
  std::string inst = TempPath("truncated.txt");
  std::string text = testing::kTinyInstance;
  std::ofstream(inst) << text.substr(0, text.find("SECTION_SHIFT_OFF"));
  CommandRun r = Call({"solve", inst, "--time-limit", "0.1"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("line "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing SECTION_SHIFT_OFF_REQUESTS"), std::string::npos) << r.err;
  EXPECT_EQ(Call({"solve", "/nonexistent.txt"}).code, 2);
  EXPECT_EQ(Call({"solve", inst, "--threads", "zero"}).code, 2);
  EXPECT_EQ(Call({"evaluate", inst}).code, 2);
}

}  // namespace
}  // namespace openmso::solver
