// Fuzz target: screening::ParseOnboarding, the bulk onboarding CSV (ONBOARD-CSV). Must never
// crash; every clinician it accepts passes the profile and credential validators, and each
// error names a line (or the header).
#include <string>

#include "domain/screening/screening.h"
#include "fuzz.h"

using namespace openmso;
using namespace openmso::credentialing;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<Discipline> known = {{"RN", "Registered Nurse", true, CredentialKind::kLicense},
                                                {"CNA", "Certified Nursing Assistant", false, CredentialKind::kCertification}};
  const Date today{2026, 11, 30};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = screening::ParseOnboarding(text, known, today);
  if (!r.ok()) return 0;
  for (const auto& e : r->errors) FUZZ_CHECK(e.field.rfind("line ", 0) == 0);
  for (const auto& c : r->clinicians) {
    FUZZ_CHECK(ValidateProfile(c.profile, known, today).ok());
    for (const auto& [line, d] : c.credentials) FUZZ_CHECK(ValidateCredential(d, known, today).ok());
  }
  return 0;
}
