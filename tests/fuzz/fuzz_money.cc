// Fuzz target: Money::ParseDecimal, the decimal amounts of outside input. Must never
// crash or overflow; a parsed amount prints back to the same number of cents.
#include <string>

#include "core/core.h"
#include "fuzz.h"

using namespace openmso;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto m = Money::ParseDecimal(text)) {
    auto again = Money::ParseDecimal(m->ToDecimalString());
    FUZZ_CHECK(again && again->cents() == m->cents());
  }
  return 0;
}
