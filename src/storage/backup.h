// Whole-database backup and restore for `openmso backup` / `openmso restore`: SQLite's
// online backup API, or pg_dump/pg_restore for PostgreSQL.
#pragma once

#include <string>
#include <string_view>

#include "core/core.h"

namespace openmso::storage {

// Writes a consistent copy of the whole database at `url` to the new file `file`, while
// servers may keep running. SQLite: the online backup API into a new SQLite file (written
// as FILE.partial, renamed when complete). PostgreSQL: `pg_dump --format=custom` (needs
// pg_dump on PATH). Errors: kConflict ("file-exists") when `file` exists, kNotFound when
// the SQLite file does not, kInternal/kUnavailable when the copy or pg_dump fails.
Result<void> BackupDatabase(std::string_view url, const std::string& file);

// Restores a BackupDatabase file into the database at `url`. SQLite: checks the file
// (integrity_check, an OpenMSO schema), then copies it over the target with the backup
// API in one write transaction (stop the servers first: they would otherwise keep serving
// from the restored data without knowing it). PostgreSQL: pg_restore --single-transaction
// into `url`, which must be an existing, EMPTY database (kConflict "database-not-empty"
// otherwise). Errors: kNotFound (no file), kInvalidArgument (not an OpenMSO SQLite
// backup), kInternal when pg_restore fails (nothing is restored then).
Result<void> RestoreDatabase(std::string_view url, const std::string& file);

}  // namespace openmso::storage
