// Private to src/storage: the backend constructors OpenDatabase dispatches to, and the
// small helpers the two drivers share. Not included outside this directory.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "storage/database.h"

namespace openmso::storage::internal {

Result<std::unique_ptr<Database>> OpenSqlite(std::string_view path, const OpenOptions& options);
Result<std::unique_ptr<Database>> OpenPostgres(std::string_view url, const OpenOptions& options);

// True for [A-Za-z_][A-Za-z0-9_]*: the only table/column names BulkInsert accepts, so
// they can be spliced into SQL without quoting.
bool IsPlainIdentifier(std::string_view s);

// The error every driver returns for a unique or primary-key violation.
Error UniqueViolation(std::string log_detail);

}  // namespace openmso::storage::internal
