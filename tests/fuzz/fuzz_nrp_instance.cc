// Fuzz target: the Curtois & Qu roster instance reader, solver::ParseInstance (text files
// from outside: benchmark instances). Must never crash; it returns an instance or an error.
#include <string>

#include "fuzz.h"
#include "solver/solver.h"

using namespace openmso;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 200000) return 0;  // instances are small text files; keep each run fast
  auto inst = solver::ParseInstance(std::string_view(reinterpret_cast<const char*>(data), size));
  if (inst.ok()) FUZZ_CHECK(inst->horizon >= 1);
  else FUZZ_CHECK(!inst.error().message.empty());
  return 0;
}
