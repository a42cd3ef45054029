// Fuzz target: screening::ParseLeie and ReadCsv, the OIG exclusion file (SCREEN-LEIE-LAYOUT).
// Must never crash; an accepted file has only well-formed rows (real dates, 10-digit NPIs,
// a name or a business), and every accepted row's key and fold are computable and the
// matcher can index them.
#include <string>

#include "domain/screening/screening.h"
#include "fuzz.h"

using namespace openmso;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto kind : {screening::LeieKind::kFull, screening::LeieKind::kReinstatements}) {
    auto r = screening::ParseLeie(text, kind);
    if (!r.ok()) {
      FUZZ_CHECK(!r.error().fields.empty());
      continue;
    }
    for (const auto& e : *r) {
      FUZZ_CHECK(e.excl_date.has_value());
      FUZZ_CHECK(!e.npi || e.npi->size() == 10);
      FUZZ_CHECK(!e.bus_name.empty() || (!e.last_name.empty() && !e.first_name.empty()));
      FUZZ_CHECK(kind != screening::LeieKind::kReinstatements || e.rein_date.has_value());
      (void)screening::EntryKey(e);
    }
    screening::ExclusionIndex index(*r, Date{2026, 1, 1});
    std::vector<screening::Match> out;
    for (const auto& e : *r) index.Screen({1, e.first_name, e.last_name, e.dob, e.npi}, 0, out);
  }
  std::string folded = screening::FoldName(text);
  FUZZ_CHECK(screening::FoldName(folded) == folded);  // folding is idempotent
  return 0;
}
