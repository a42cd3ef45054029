// The SQLite driver: one file in WAL mode, one writer connection (writes serialized by a
// mutex and BEGIN IMMEDIATE) plus a pool of query_only reader connections, each with its
// own prepared-statement cache. Notifications are delivered in-process after commit.
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "storage/database_internal.h"

namespace openmso::storage::internal {
namespace {

// Maps a failed SQLite call to our Error. Only UNIQUE/PRIMARY KEY violations are a
// caller-visible conflict; the rest are internal, with SQLite's message (which names
// tables and columns, never values) kept for the log.
Error SqliteError(sqlite3* db, std::string_view what) {
  int ext = sqlite3_extended_errcode(db);
  std::string detail = std::string(what) + ": " + sqlite3_errmsg(db) + " (" + std::to_string(ext) + ")";
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return UniqueViolation(std::move(detail));
  }
  return Error::Internal(std::move(detail));
}

struct CachedStatement {
  sqlite3_stmt* stmt = nullptr;
  std::string sql;  // to catch one name used for two SQL texts (a bug)
};

// One connection and its statement cache. Used by one thread at a time.
class Connection {
 public:
  explicit Connection(sqlite3* db, std::atomic<int64_t>* prepared) : db_(db), prepared_(prepared) {}
  ~Connection() {
    for (auto& [name, c] : cache_) sqlite3_finalize(c.stmt);
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* db() const { return db_; }

  Result<sqlite3_stmt*> Prepare(std::string_view name, std::string_view sql) {
    auto it = cache_.find(std::string(name));
    if (it != cache_.end()) {
      if (it->second.sql != sql) {
        return Error::Internal("statement name '" + std::string(name) + "' used for two SQL texts");
      }
      return it->second.stmt;
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
      return SqliteError(db_, "prepare " + std::string(name));
    }
    prepared_->fetch_add(1, std::memory_order_relaxed);
    cache_.emplace(std::string(name), CachedStatement{stmt, std::string(sql)});
    return stmt;
  }

  Result<void> Exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
      Error e = SqliteError(db_, "exec");
      sqlite3_free(msg);
      return e;
    }
    return Ok();
  }

 private:
  sqlite3* db_;
  std::atomic<int64_t>* prepared_;
  std::unordered_map<std::string, CachedStatement> cache_;
};

// Resets a statement when a call returns, so a cached statement never holds a read
// transaction open or keeps stale bindings.
struct StatementReset {
  sqlite3_stmt* stmt;
  ~StatementReset() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

Result<void> Bind(sqlite3* db, sqlite3_stmt* stmt, const std::vector<Value>& params) {
  if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
    return Error::Internal("expected " + std::to_string(sqlite3_bind_parameter_count(stmt)) +
                           " parameters, got " + std::to_string(params.size()));
  }
  for (size_t i = 0; i < params.size(); ++i) {
    int idx = static_cast<int>(i + 1);
    int rc = SQLITE_OK;
    const Value& v = params[i];
    if (std::holds_alternative<std::monostate>(v)) {
      rc = sqlite3_bind_null(stmt, idx);
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, idx, *n);
    } else {
      const std::string& s = std::get<std::string>(v);
      rc = sqlite3_bind_text64(stmt, idx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    if (rc != SQLITE_OK) return SqliteError(db, "bind");
  }
  return Ok();
}

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_NULL:
      return std::monostate{};
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_BLOB: {
      const void* p = sqlite3_column_blob(stmt, i);
      int n = sqlite3_column_bytes(stmt, i);
      return std::string(static_cast<const char*>(p), static_cast<size_t>(n));
    }
    default: {  // TEXT, and FLOAT as its text form (Value has no double: money is cents)
      const unsigned char* p = sqlite3_column_text(stmt, i);
      int n = sqlite3_column_bytes(stmt, i);
      return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    }
  }
}

struct Notification {
  std::string channel, payload;
};

class SqliteSession final : public Session {
 public:
  explicit SqliteSession(Connection& conn) : conn_(conn) {}
  Backend backend() const override { return Backend::kSqlite; }

  Result<std::vector<Row>> Query(const Statement& st, const std::vector<Value>& params) override {
    OPENMSO_ASSIGN_OR_RETURN(sqlite3_stmt* stmt, conn_.Prepare(st.name, st.sql));
    StatementReset reset{stmt};
    OPENMSO_TRY(Bind(conn_.db(), stmt, params));
    std::vector<Row> rows;
    int ncols = sqlite3_column_count(stmt);
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqliteError(conn_.db(), std::string("query ") + std::string(st.name));
      std::vector<Value> cols;
      cols.reserve(ncols);
      for (int i = 0; i < ncols; ++i) cols.push_back(ColumnValue(stmt, i));
      rows.emplace_back(std::move(cols));
    }
    return rows;
  }

  Result<int64_t> Exec(const Statement& st, const std::vector<Value>& params) override {
    OPENMSO_ASSIGN_OR_RETURN(sqlite3_stmt* stmt, conn_.Prepare(st.name, st.sql));
    StatementReset reset{stmt};
    OPENMSO_TRY(Bind(conn_.db(), stmt, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return SqliteError(conn_.db(), std::string("exec ") + std::string(st.name));
    return static_cast<int64_t>(sqlite3_changes64(conn_.db()));
  }

  Result<void> ExecScript(std::string_view sql) override { return conn_.Exec(std::string(sql).c_str()); }

  Result<void> BulkInsert(std::string_view table, const std::vector<std::string>& columns,
                          const std::vector<std::vector<Value>>& rows) override {
    if (!IsPlainIdentifier(table) || columns.empty()) return Error::Internal("bulk insert: bad table name");
    std::string sql = "INSERT INTO " + std::string(table) + " (";
    std::string marks;
    for (size_t i = 0; i < columns.size(); ++i) {
      if (!IsPlainIdentifier(columns[i])) return Error::Internal("bulk insert: bad column name");
      sql += (i ? ", " : "") + columns[i];
      marks += i ? ", ?" : "?";
    }
    sql += ") VALUES (" + marks + ")";
    // The SQL text is its own cache key: it is derived from plain identifiers only.
    std::string name = "bulk:" + sql;
    Statement st{name, sql};
    for (const auto& row : rows) {
      if (row.size() != columns.size()) return Error::Internal("bulk insert: row width differs from columns");
      OPENMSO_TRY(Exec(st, row));
    }
    return Ok();
  }

  void Notify(std::string_view channel, std::string_view payload) override {
    pending_.push_back({std::string(channel), std::string(payload)});
  }

  std::vector<Notification>& pending() { return pending_; }

 private:
  Connection& conn_;
  std::vector<Notification> pending_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase() = default;
  ~SqliteDatabase() override {
    {
      std::lock_guard lock(listen_mu_);
      stopping_ = true;
    }
    listen_cv_.notify_all();
    if (dispatcher_.joinable()) dispatcher_.join();
  }

  Result<void> Init(const std::string& path, const OpenOptions& options) {
    std::error_code ec;
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Error::Make(ErrorCode::kUnavailable, "database-unavailable", "The database cannot be opened.",
                         "create directory for sqlite database: " + ec.message());
    }
    OPENMSO_ASSIGN_OR_RETURN(writer_, OpenConnection(path, options, /*reader=*/false));
    int n = std::max(1, options.pool_size);
    for (int i = 0; i < n; ++i) {
      OPENMSO_ASSIGN_OR_RETURN(auto reader, OpenConnection(path, options, /*reader=*/true));
      idle_readers_.push_back(reader.get());
      readers_.push_back(std::move(reader));
    }
    return Ok();
  }

  Backend backend() const override { return Backend::kSqlite; }

  Result<void> Read(const std::function<Result<void>(Session&)>& fn) override {
    Connection* conn = AcquireReader();
    struct Release {
      SqliteDatabase* db;
      Connection* conn;
      ~Release() { db->ReleaseReader(conn); }
    } release{this, conn};
    SqliteSession session(*conn);
    return RunTransaction(*conn, "BEGIN", session, fn);
  }

  Result<void> Write(const std::function<Result<void>(Session&)>& fn) override {
    std::vector<Notification> delivered;
    {
      std::lock_guard lock(writer_mu_);
      in_use_.fetch_add(1);
      struct InUse {
        std::atomic<int64_t>& n;
        ~InUse() { n.fetch_sub(1); }
      } in_use{in_use_};
      SqliteSession session(*writer_);
      OPENMSO_TRY(RunTransaction(*writer_, "BEGIN IMMEDIATE", session, fn));
      delivered = std::move(session.pending());
    }
    if (!delivered.empty()) {
      std::lock_guard lock(listen_mu_);
      for (auto& n : delivered) queue_.push_back(std::move(n));
      listen_cv_.notify_all();
    }
    return Ok();
  }

  Result<std::vector<int>> Migrate() override { return ApplyMigrations(*this, EmbeddedMigrations()); }

  void Listen(std::string_view channel, std::function<void(std::string_view)> callback) override {
    std::lock_guard lock(listen_mu_);
    listeners_[std::string(channel)].push_back(
        std::make_shared<std::function<void(std::string_view)>>(std::move(callback)));
    if (!dispatcher_.joinable()) dispatcher_ = std::thread([this] { Dispatch(); });
  }

  PoolStats Stats() const override {
    PoolStats s;
    s.connections_total = 1 + static_cast<int64_t>(readers_.size());
    s.connections_in_use = in_use_.load();
    s.transactions_committed = committed_.load();
    s.transactions_rolled_back = rolled_back_.load();
    s.waits = waits_.load();
    s.statements_prepared = prepared_.load();
    return s;
  }

 private:
  Result<std::unique_ptr<Connection>> OpenConnection(const std::string& path, const OpenOptions& options,
                                                     bool reader) {
    sqlite3* db = nullptr;
    // NOMUTEX: each connection is used by one thread at a time (writer mutex / pool).
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    auto conn = std::make_unique<Connection>(db, &prepared_);  // closes db on every path
    if (rc != SQLITE_OK) {
      return Error::Make(ErrorCode::kUnavailable, "database-unavailable", "The database cannot be opened.",
                         std::string("sqlite open: ") + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, options.busy_timeout_ms);
    // synchronous=FULL, not NORMAL: in WAL mode NORMAL can lose the last commits on power
    // loss, and what we commit (audit events, finalized invoices and pay runs) was already
    // acknowledged to the user. FULL costs one fsync of the WAL per write transaction, and
    // writes are serialized on one connection anyway; bulk work batches into one commit.
    const char* pragmas = reader ? "PRAGMA foreign_keys=ON; PRAGMA query_only=ON;"
                                 : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
    OPENMSO_TRY(conn->Exec(pragmas));
    return conn;
  }

  Result<void> RunTransaction(Connection& conn, const char* begin, SqliteSession& session,
                              const std::function<Result<void>(Session&)>& fn) {
    OPENMSO_TRY(conn.Exec(begin));
    Result<void> r;
    try {
      r = fn(session);
    } catch (...) {
      (void)conn.Exec("ROLLBACK");
      rolled_back_.fetch_add(1);
      throw;
    }
    if (!r.ok()) {
      (void)conn.Exec("ROLLBACK");
      rolled_back_.fetch_add(1);
      return r;
    }
    if (auto c = conn.Exec("COMMIT"); !c.ok()) {
      if (!sqlite3_get_autocommit(conn.db())) (void)conn.Exec("ROLLBACK");
      rolled_back_.fetch_add(1);
      return c;
    }
    committed_.fetch_add(1);
    return Ok();
  }

  Connection* AcquireReader() {
    std::unique_lock lock(pool_mu_);
    if (idle_readers_.empty()) {
      waits_.fetch_add(1);
      pool_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
    }
    Connection* c = idle_readers_.back();
    idle_readers_.pop_back();
    in_use_.fetch_add(1);
    return c;
  }

  void ReleaseReader(Connection* c) {
    {
      std::lock_guard lock(pool_mu_);
      idle_readers_.push_back(c);
      in_use_.fetch_sub(1);
    }
    pool_cv_.notify_one();
  }

  void Dispatch() {
    std::unique_lock lock(listen_mu_);
    for (;;) {
      listen_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      Notification n = std::move(queue_.front());
      queue_.pop_front();
      auto it = listeners_.find(n.channel);
      if (it == listeners_.end()) continue;
      auto callbacks = it->second;  // call outside the lock: a callback may Listen or Write
      lock.unlock();
      for (auto& cb : callbacks) (*cb)(n.payload);
      lock.lock();
    }
  }

  std::unique_ptr<Connection> writer_;
  std::mutex writer_mu_;

  std::vector<std::unique_ptr<Connection>> readers_;
  std::vector<Connection*> idle_readers_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;

  std::atomic<int64_t> in_use_{0}, committed_{0}, rolled_back_{0}, waits_{0}, prepared_{0};

  std::mutex listen_mu_;
  std::condition_variable listen_cv_;
  std::map<std::string, std::vector<std::shared_ptr<std::function<void(std::string_view)>>>> listeners_;
  std::deque<Notification> queue_;
  bool stopping_ = false;
  std::thread dispatcher_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(std::string_view path, const OpenOptions& options) {
  auto db = std::make_unique<SqliteDatabase>();
  OPENMSO_TRY(db->Init(std::string(path), options));
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace openmso::storage::internal
