// The Database interface: transactions and prepared statements over SQLite 3 (default,
// one file in WAL mode) or PostgreSQL 15 (several servers), selected by one URL.
// SQL is written once, in the common dialect both accept: '?' placeholders (rewritten
// to $n for PostgreSQL), BIGINT/TEXT columns, ON CONFLICT, RETURNING.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/core.h"

namespace openmso::storage {

// A bound parameter or a column value: NULL, a 64-bit integer, or text (UTF-8 or bytes).
using Value = std::variant<std::monostate, int64_t, std::string>;

inline Value Null() { return std::monostate{}; }
template <typename T>
Value Opt(const std::optional<T>& v) { return v ? Value(*v) : Value(std::monostate{}); }

// One result row. Column access is by position, in SELECT order.
class Row {
 public:
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
  size_t size() const { return cols_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(cols_.at(i)); }
  // The integer value; text is parsed (PostgreSQL returns text). NULL reads as 0.
  int64_t Int(size_t i) const;
  std::optional<int64_t> OptInt(size_t i) const { return IsNull(i) ? std::nullopt : std::optional(Int(i)); }
  // The text value; an integer is formatted. NULL reads as "".
  std::string Text(size_t i) const;
  std::optional<std::string> OptText(size_t i) const { return IsNull(i) ? std::nullopt : std::optional(Text(i)); }
  bool Bool(size_t i) const { return Int(i) != 0; }
  const Value& raw(size_t i) const { return cols_.at(i); }

 private:
  std::vector<Value> cols_;
};

// A named SQL statement, declared as a constant next to the code that runs it. The name
// keys the per-connection prepared-statement cache, so it must be unique per SQL text.
struct Statement {
  std::string_view name;
  std::string_view sql;
};

enum class Backend { kSqlite, kPostgres };

// A connection inside one transaction. Not thread-safe; valid only inside the callback
// that received it.
class Session {
 public:
  virtual ~Session() = default;
  virtual Backend backend() const = 0;
  // Runs a statement that returns rows (SELECT, or anything with RETURNING).
  // Errors: kConflict (type "unique-violation") on a unique/primary-key violation,
  // kUnavailable when the PostgreSQL connection was lost, kInternal on any other
  // database error (the driver message goes to log_detail only, never to message).
  // On PostgreSQL any error aborts the whole transaction: return the error from the
  // callback (Write then rolls back and returns the first error even if the callback
  // swallowed it and returned Ok). Use ON CONFLICT for "insert unless present".
  // Values: SQLite returns its storage class (REAL as text); PostgreSQL returns integer
  // types as int64, boolean as 0/1, BYTEA as raw bytes, everything else as text.
  virtual Result<std::vector<Row>> Query(const Statement& st, const std::vector<Value>& params = {}) = 0;
  // Runs a statement; returns the number of rows changed. Errors as for Query.
  virtual Result<int64_t> Exec(const Statement& st, const std::vector<Value>& params = {}) = 0;
  // Runs raw SQL with no parameters (DDL, migrations). Several statements allowed.
  virtual Result<void> ExecScript(std::string_view sql) = 0;
  // Inserts many rows fast (PostgreSQL: COPY; SQLite: one prepared INSERT, reused).
  // REQUIRES: table and columns are plain identifiers [A-Za-z_][A-Za-z0-9_]* (else
  // kInternal); each row has columns.size() values. Values are given in their text
  // input form (no BYTEA via BulkInsert on PostgreSQL).
  virtual Result<void> BulkInsert(std::string_view table, const std::vector<std::string>& columns,
                                  const std::vector<std::vector<Value>>& rows) = 0;
  // Queues a notification delivered after commit (PostgreSQL NOTIFY; on SQLite, to
  // in-process listeners only). Channel: [a-z_]+. Nothing is delivered on rollback.
  virtual void Notify(std::string_view channel, std::string_view payload) = 0;

  // Convenience: the first row, or nullopt.
  Result<std::optional<Row>> QueryOne(const Statement& st, const std::vector<Value>& params = {});
};

struct PoolStats {
  int64_t connections_total = 0;
  int64_t connections_in_use = 0;
  int64_t transactions_committed = 0;
  int64_t transactions_rolled_back = 0;
  int64_t waits = 0;  // times a caller waited for a free connection
  // Statements prepared on a connection because its per-connection cache (keyed by
  // Statement::name) missed; steady state is at most (statements x connections).
  int64_t statements_prepared = 0;
};

struct OpenOptions {
  int pool_size = 4;               // reader connections (SQLite) / pool size (PostgreSQL)
  int busy_timeout_ms = 5000;      // SQLite busy timeout
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Backend backend() const = 0;

  // Runs `fn` in a read-only transaction on a pooled connection, seeing one consistent
  // snapshot (SQLite: a reader connection with query_only=ON; PostgreSQL: REPEATABLE
  // READ READ ONLY). Waits for a free connection when all are in use. Thread-safe.
  virtual Result<void> Read(const std::function<Result<void>(Session&)>& fn) = 0;
  // Runs `fn` in a write transaction (SQLite: BEGIN IMMEDIATE on the single writer
  // connection; PostgreSQL: BEGIN ISOLATION LEVEL READ COMMITTED on a pooled connection).
  // Commits when fn returns ok; rolls back when it returns an error or throws (the
  // exception is rethrown). PostgreSQL serialization failures/deadlocks are retried up to
  // 3 times, so fn must not have side effects outside the session. Thread-safe.
  // REQUIRES (Read and Write): not called from inside another Read/Write callback on the
  // same thread (SQLite's writer mutex is not recursive; a nested call can also exhaust
  // the pool). Pass the Session down instead.
  virtual Result<void> Write(const std::function<Result<void>(Session&)>& fn) = 0;

  // Applies the numbered migrations that are not yet applied, each in its own
  // transaction, recording them in schema_migrations. Returns the versions applied.
  // Equivalent to ApplyMigrations(*this, EmbeddedMigrations()).
  virtual Result<std::vector<int>> Migrate() = 0;

  // Subscribes to notifications on `channel` (PostgreSQL LISTEN on a dedicated
  // connection; SQLite: in-process). The callback runs on a background thread, one
  // notification at a time, and must not block for long. Returns once the subscription
  // is active, so a notification committed afterwards is delivered (PostgreSQL: gives up
  // waiting after 5 s if the server is down, and subscribes when it comes back).
  // Listeners live as long as the Database. Thread-safe.
  virtual void Listen(std::string_view channel,
                      std::function<void(std::string_view payload)> callback) = 0;

  virtual PoolStats Stats() const = 0;
  // Cheap liveness check for /readyz.
  virtual Result<void> Ping();
};

// Opens "sqlite:PATH" (creating the file and its directory) or "postgresql://..." /
// "postgres://...". Errors: kInvalidArgument for an unknown scheme, kUnavailable when the
// server cannot be reached.
Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url, const OpenOptions& options = {});

// One numbered migration: src/storage/migrations/NNNN_name.sql, embedded at build time
// (adding a file needs no code change). SQL may use the portable tokens @ID@ (an integer
// auto-assigned primary key) and @BYTES@ (a byte-string column); see PortableSql.
struct Migration {
  int version = 0;   // NNNN
  std::string name;  // the file name's part after NNNN_, without .sql
  std::string sql;
};

// The migrations embedded in the binary, sorted by version.
const std::vector<Migration>& EmbeddedMigrations();

// Replaces the portable tokens for `backend`: @ID@ -> INTEGER PRIMARY KEY (SQLite, a
// rowid alias) / BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY (PostgreSQL);
// @BYTES@ -> BLOB / BYTEA.
std::string PortableSql(std::string_view sql, Backend backend);

// Creates schema_migrations(version BIGINT PRIMARY KEY, name TEXT, applied_at BIGINT)
// if missing, then applies each migration whose version is not recorded, in version
// order, each in its own Write transaction together with its schema_migrations row, so a
// failing migration leaves neither its schema changes nor its row. On PostgreSQL each
// transaction first takes pg_advisory_xact_lock, so servers starting at once do not both
// migrate. Returns the versions applied (empty when up to date). Errors: the first
// failing migration's error (log_detail names its version); later ones are not tried.
// REQUIRES: versions are unique and positive.
Result<std::vector<int>> ApplyMigrations(Database& db, const std::vector<Migration>& migrations);

// Typed helpers around Read/Write for callbacks that produce a value.
template <typename T, typename F>
Result<T> ReadValue(Database& db, F&& fn) {
  std::optional<T> out;
  auto r = db.Read([&](Session& s) -> Result<void> {
    Result<T> v = fn(s);
    if (!v.ok()) return v.error();
    out = std::move(v).value();
    return Ok();
  });
  if (!r.ok()) return r.error();
  return std::move(*out);
}

template <typename T, typename F>
Result<T> WriteValue(Database& db, F&& fn) {
  std::optional<T> out;
  auto r = db.Write([&](Session& s) -> Result<void> {
    Result<T> v = fn(s);
    if (!v.ok()) return v.error();
    out = std::move(v).value();
    return Ok();
  });
  if (!r.ok()) return r.error();
  return std::move(*out);
}

}  // namespace openmso::storage
