// Shared fixtures for the solver tests: a tiny hand-written instance and access to the
// benchmark files. Test-only; not part of the library.
#pragma once

#include <string>

#include "solver/solver.h"

namespace openmso::solver::testing {

// 14 days, shifts D (480 min) and N (600 min, D may not follow N), three employees.
inline constexpr const char* kTinyInstance =
    "# tiny test instance\r\n"
    "SECTION_HORIZON\r\n"
    "14\r\n"
    "\r\n"
    "SECTION_SHIFTS\r\n"
    "D,480,\r\n"
    "N,600,D\r\n"
    "\r\n"
    "SECTION_STAFF\r\n"
    "A,D=14|N=3,5000,1920,5,2,2,1\r\n"
    "B,D=14|N=0,5000,1920,5,2,2,1\r\n"
    "C,D=14|N=14,5000,0,4,1,1,2\r\n"
    "\r\n"
    "SECTION_DAYS_OFF\r\n"
    "A,0\r\n"
    "B,13\r\n"
    "\r\n"
    "SECTION_SHIFT_ON_REQUESTS\r\n"
    "A,2,D,2\r\n"
    "C,3,N,3\r\n"
    "\r\n"
    "SECTION_SHIFT_OFF_REQUESTS\r\n"
    "B,4,D,1\r\n"
    "\r\n"
    "SECTION_COVER\r\n"
    "0,D,1,100,1\r\n0,N,0,100,1\r\n1,D,1,100,1\r\n1,N,0,100,1\r\n"
    "2,D,2,100,1\r\n2,N,0,100,1\r\n3,D,1,100,1\r\n3,N,1,100,1\r\n"
    "4,D,1,100,1\r\n4,N,0,100,1\r\n5,D,1,100,1\r\n5,N,0,100,1\r\n"
    "6,D,1,100,1\r\n6,N,0,100,1\r\n7,D,1,100,1\r\n7,N,0,100,1\r\n"
    "8,D,1,100,1\r\n8,N,0,100,1\r\n9,D,1,100,1\r\n9,N,0,100,1\r\n"
    "10,D,1,100,1\r\n10,N,0,100,1\r\n11,D,1,100,1\r\n11,N,0,100,1\r\n"
    "12,D,1,100,1\r\n12,N,0,100,1\r\n13,D,1,100,1\r\n13,N,0,100,1\r\n";

inline std::string BenchmarkPath(const std::string& name) {
  return std::string(OPENMSO_NRP_DIR) + "/" + name + ".txt";
}

// Loads InstanceN from the benchmark folder; the caller skips the test when !ok().
inline Result<Instance> LoadBenchmark(const std::string& name) { return LoadInstance(BenchmarkPath(name)); }

}  // namespace openmso::solver::testing
