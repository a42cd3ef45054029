// Backup and restore of a whole database: SQLite through its online backup API (a
// consistent copy page by page, servers may keep running), PostgreSQL through pg_dump and
// pg_restore (run as child processes without a shell, so no quoting of the URL).
#include <sqlite3.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <memory>

#include "storage/backup.h"
#include "storage/database.h"

extern char** environ;

namespace openmso::storage {
namespace {

Result<std::string> SqlitePath(std::string_view url) {
  url.remove_prefix(std::string_view("sqlite:").size());
  if (url.starts_with("//")) url.remove_prefix(2);
  if (url.empty()) return Error::Invalid("database", "invalid_value", "The SQLite database URL has no path.");
  return std::string(url);
}

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;

Result<SqliteHandle> OpenSqlite(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteHandle h(raw);
  if (rc != SQLITE_OK) {
    return Error::Make(ErrorCode::kUnavailable, "database-unavailable", "The SQLite file cannot be opened.",
                       "open " + path + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(raw, 10000);
  return h;
}

// Copies every page of `from` into `to` in steps, so that a live writer on `from` is
// blocked only briefly; a change by another connection restarts the copy (SQLite's rule),
// which the loop absorbs. The result is one consistent snapshot.
Result<void> CopyPages(sqlite3* from, sqlite3* to, std::string_view what) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) return Error::Internal(std::string(what) + ": " + sqlite3_errmsg(to));
  int rc;
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return Error::Internal(std::string(what) + ": " + sqlite3_errstr(rc));
  return Ok();
}

// "ok" from PRAGMA integrity_check, and a schema_migrations table: an OpenMSO database.
Result<void> CheckSqliteBackup(sqlite3* db, const std::string& file) {
  std::string verdict;
  auto cb = [](void* out, int, char** vals, char**) {
    *static_cast<std::string*>(out) += vals[0] ? vals[0] : "";
    return 0;
  };
  if (sqlite3_exec(db, "PRAGMA integrity_check", cb, &verdict, nullptr) != SQLITE_OK || verdict != "ok") {
    return Error::Make(ErrorCode::kInvalidArgument, "invalid-backup", "The backup file is not an intact SQLite database.",
                       file + ": " + verdict + " " + sqlite3_errmsg(db));
  }
  std::string tables;
  sqlite3_exec(db, "SELECT name FROM sqlite_master WHERE name = 'schema_migrations'", cb, &tables, nullptr);
  if (tables.empty()) {
    return Error::Make(ErrorCode::kInvalidArgument, "invalid-backup", "The backup file is not an OpenMSO database.");
  }
  return Ok();
}

// Runs `argv` (PATH lookup, no shell) and waits. Errors: kUnavailable when it cannot
// start, kInternal when it exits non-zero (its stderr was passed through to ours).
Result<void> Run(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) {
    return Error::Make(ErrorCode::kUnavailable, "tool-missing", argv[0] + " could not be started (is it installed?).");
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Error::Make(ErrorCode::kInternal, "tool-failed",
                       argv[0] + " failed (exit status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                           "); its messages are above.");
  }
  return Ok();
}

constexpr Statement kCountTables{"backup.count_tables",
                                 "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"};

}  // namespace

Result<void> BackupDatabase(std::string_view url, const std::string& file) {
  if (std::filesystem::exists(file)) {
    return Error::Conflict("file-exists", "The backup file already exists; choose a new name.");
  }
  if (url.starts_with("sqlite:")) {
    OPENMSO_ASSIGN_OR_RETURN(std::string path, SqlitePath(url));
    if (!std::filesystem::exists(path)) return Error::NotFound("The SQLite database");
    OPENMSO_ASSIGN_OR_RETURN(auto from, OpenSqlite(path, SQLITE_OPEN_READONLY));
    std::string tmp = file + ".partial";
    std::filesystem::remove(tmp);
    {
      OPENMSO_ASSIGN_OR_RETURN(auto to, OpenSqlite(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
      if (auto r = CopyPages(from.get(), to.get(), "sqlite backup"); !r.ok()) {
        to.reset();
        std::filesystem::remove(tmp);
        return r.error();
      }
    }
    // Renamed only when complete, so FILE is never a half-written backup.
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) return Error::Internal("rename backup: " + ec.message());
    return Ok();
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    std::string tmp = file + ".partial";
    OPENMSO_TRY(Run({"pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file=" + tmp,
                     "--dbname=" + std::string(url)}));
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) return Error::Internal("rename backup: " + ec.message());
    return Ok();
  }
  return Error::Invalid("database", "invalid_value", "The database URL must start with sqlite: or postgresql://.");
}

Result<void> RestoreDatabase(std::string_view url, const std::string& file) {
  if (!std::filesystem::exists(file)) return Error::NotFound("The backup file");
  if (url.starts_with("sqlite:")) {
    OPENMSO_ASSIGN_OR_RETURN(std::string path, SqlitePath(url));
    OPENMSO_ASSIGN_OR_RETURN(auto from, OpenSqlite(file, SQLITE_OPEN_READONLY));
    OPENMSO_TRY(CheckSqliteBackup(from.get(), file));
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    OPENMSO_ASSIGN_OR_RETURN(auto to, OpenSqlite(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    // The backup API writes the target inside one write transaction under SQLite's own
    // locks: readers see the old database or the restored one, never a mix, and a crash
    // mid-way rolls back. (Copying the file over a live WAL database would corrupt it.)
    OPENMSO_TRY(CopyPages(from.get(), to.get(), "sqlite restore"));
    char* msg = nullptr;
    if (sqlite3_exec(to.get(), "PRAGMA journal_mode=WAL", nullptr, nullptr, &msg) != SQLITE_OK) sqlite3_free(msg);
    return Ok();
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    OPENMSO_ASSIGN_OR_RETURN(auto db, OpenDatabase(url));
    OPENMSO_ASSIGN_OR_RETURN(int64_t tables, ReadValue<int64_t>(*db, [](Session& s) -> Result<int64_t> {
      OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kCountTables));
      return row ? row->Int(0) : 0;
    }));
    db.reset();
    if (tables > 0) {
      return Error::Conflict("database-not-empty",
                             "The target database has tables; restore into a new, empty database.");
    }
    return Run({"pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                "--dbname=" + std::string(url), file});
  }
  return Error::Invalid("database", "invalid_value", "The database URL must start with sqlite: or postgresql://.");
}

}  // namespace openmso::storage
