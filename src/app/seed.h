// Demo data: one MSO with three facilities in three US time zones, their units, a few
// dozen clinicians and one demo user per role. Used by `openmso seed --demo` and
// `openmso serve --demo` (which seeds only an empty database).
#pragma once

#include <string>
#include <vector>

#include "storage/storage.h"

namespace openmso::app {

inline constexpr const char* kDemoPassword = "OpenMSO-demo-2026";

struct DemoLogin {
  std::string email;
  std::string role;
};
const std::vector<DemoLogin>& DemoLogins();

// True when the database has no MSO yet.
Result<bool> DatabaseIsEmpty(storage::Database& db);
// Seeds the demo MSO in one transaction. Errors: kConflict ("already-seeded") when an
// MSO exists.
Result<void> SeedDemo(storage::Database& db, const Clock& clock);

}  // namespace openmso::app
