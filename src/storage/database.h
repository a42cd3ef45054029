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
  // kInternal on any other database error.
  virtual Result<std::vector<Row>> Query(const Statement& st, const std::vector<Value>& params = {}) = 0;
  // Runs a statement; returns the number of rows changed. Errors as for Query.
  virtual Result<int64_t> Exec(const Statement& st, const std::vector<Value>& params = {}) = 0;
  // Runs raw SQL with no parameters (DDL, migrations). Several statements allowed.
  virtual Result<void> ExecScript(std::string_view sql) = 0;
  // Inserts many rows fast (PostgreSQL: COPY; SQLite: one prepared INSERT, reused).
  virtual Result<void> BulkInsert(std::string_view table, const std::vector<std::string>& columns,
                                  const std::vector<std::vector<Value>>& rows) = 0;
  // Queues a notification delivered after commit (PostgreSQL NOTIFY; on SQLite, to
  // in-process listeners only). Channel: [a-z_]+.
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
};

struct OpenOptions {
  int pool_size = 4;               // reader connections (SQLite) / pool size (PostgreSQL)
  int busy_timeout_ms = 5000;      // SQLite busy timeout
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Backend backend() const = 0;

  // Runs `fn` in a read-only transaction on a pooled connection. Thread-safe.
  virtual Result<void> Read(const std::function<Result<void>(Session&)>& fn) = 0;
  // Runs `fn` in a write transaction (SQLite: BEGIN IMMEDIATE on the single writer
  // connection; PostgreSQL: BEGIN ISOLATION LEVEL READ COMMITTED on a pooled connection).
  // Commits when fn returns ok; rolls back when it returns an error or throws (the
  // exception is rethrown). PostgreSQL serialization failures/deadlocks are retried up to
  // 3 times, so fn must not have side effects outside the session. Thread-safe.
  virtual Result<void> Write(const std::function<Result<void>(Session&)>& fn) = 0;

  // Applies the numbered migrations that are not yet applied, each in its own
  // transaction, recording them in schema_migrations. Returns the versions applied.
  virtual Result<std::vector<int>> Migrate() = 0;

  // Subscribes to notifications on `channel` (PostgreSQL LISTEN on a dedicated
  // connection; SQLite: in-process). The callback runs on a background thread.
  virtual void Listen(std::string_view channel,
                      std::function<void(std::string_view payload)> callback) = 0;

  virtual PoolStats Stats() const = 0;
  // Cheap liveness check for /readyz.
  virtual Result<void> Ping() = 0;
};

// Opens "sqlite:PATH" (creating the file and its directory) or "postgresql://..." /
// "postgres://...". Errors: kInvalidArgument for an unknown scheme, kUnavailable when the
// server cannot be reached.
Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url, const OpenOptions& options = {});

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
