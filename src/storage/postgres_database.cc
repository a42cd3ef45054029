// The PostgreSQL driver over libpq (in progress).
#include "storage/database_internal.h"

namespace openmso::storage::internal {

Result<std::unique_ptr<Database>> OpenPostgres(std::string_view url, const OpenOptions& options) {
  return Error::Make(ErrorCode::kUnavailable, "database-unavailable", "PostgreSQL support is not built yet.");
}

}  // namespace openmso::storage::internal
