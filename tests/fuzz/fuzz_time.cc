// Fuzz target: the time parsers of outside input, core::ParseInstant, Date::Parse and
// LocalDateTime::Parse. Must never crash; whatever parses prints back to the same value.
#include <string>

#include "core/core.h"
#include "fuzz.h"

using namespace openmso;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto d = Date::Parse(text)) {
    FUZZ_CHECK(d->ToString() == text);  // strict YYYY-MM-DD: one spelling per date
    FUZZ_CHECK(Date::Parse(d->ToString()).has_value());
  }
  if (auto l = LocalDateTime::Parse(text)) {
    FUZZ_CHECK(text.size() != 16 || l->ToString() == text);
    auto again = LocalDateTime::Parse(l->ToString());
    FUZZ_CHECK(again && again->date.ToString() == l->date.ToString() && again->minutes_of_day == l->minutes_of_day);
  }
  if (auto t = ParseInstant(text)) {
    auto again = ParseInstant(FormatInstant(*t));
    FUZZ_CHECK(again && *again == *t);
  }
  return 0;
}
