// The PostgreSQL driver over libpq: a bounded connection pool, statements prepared once
// per connection ('?' rewritten to $n), COPY for bulk inserts, NOTIFY inside the
// transaction, and LISTEN on a dedicated connection served by a background thread.
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>

#include "storage/database_internal.h"

namespace openmso::storage::internal {
namespace {

constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kOidOid = 26;
constexpr int kMaxRetries = 3;  // serialization failures / deadlocks, per the contract

using PGresultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;
PGresultPtr Wrap(PGresult* r) { return PGresultPtr(r, &PQclear); }

// Rewrites '?' placeholders to $1..$n, leaving '?' inside '...' strings, "..." identifiers
// and -- comments alone. Returns the number of placeholders in `count`.
std::string RewritePlaceholders(std::string_view sql, int& count) {
  std::string out;
  out.reserve(sql.size() + 16);
  count = 0;
  char quote = 0;
  bool comment = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (comment) {
      if (c == '\n') comment = false;
    } else if (quote) {
      if (c == quote) quote = 0;  // a doubled quote re-enters on the next char
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      comment = true;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++count);
      continue;
    }
    out += c;
  }
  return out;
}

bool IsRetryable(const char* sqlstate) {
  return sqlstate && (std::strcmp(sqlstate, "40001") == 0 || std::strcmp(sqlstate, "40P01") == 0);
}

Error Unavailable(std::string detail) {
  return Error::Make(ErrorCode::kUnavailable, "database-unavailable", "The database is not reachable; retry later.",
                     std::move(detail));
}

// Maps a failed libpq call. Class 22 (data exception) messages quote the offending input,
// which may be personal data, so only their SQLSTATE is kept; other primary messages
// name objects, not values. The DETAIL field (which quotes key values) is never used.
Error PgError(PGconn* conn, const PGresult* res, std::string_view what) {
  if (PQstatus(conn) == CONNECTION_BAD) {
    return Unavailable(std::string(what) + ": connection lost: " + PQerrorMessage(conn));
  }
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string sqlstate = state ? state : "";
  std::string detail = std::string(what) + ": SQLSTATE " + sqlstate;
  if (sqlstate.rfind("22", 0) != 0) {
    detail += ": ";
    detail += primary ? primary : PQerrorMessage(conn);
  }
  if (sqlstate == "23505") return UniqueViolation(std::move(detail));
  if (IsRetryable(state)) {
    return Error::Make(ErrorCode::kUnavailable, "serialization-failure",
                       "The database was busy with a conflicting change; retry.", std::move(detail));
  }
  return Error::Internal(std::move(detail));
}

// Connection parameters from a URL or key=value string, with our own settings merged in:
// client_min_messages=warning (else NOTICEs go to stderr), a connect timeout, a name.
class ConnParams {
 public:
  static Result<ConnParams> Parse(std::string_view url) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(std::string(url).c_str(), &err);
    if (!opts) {
      std::string msg = err ? err : "unparsable";
      PQfreemem(err);
      return Error::Make(ErrorCode::kInvalidArgument, "invalid-database-url",
                         "The PostgreSQL database URL cannot be parsed.", msg);
    }
    ConnParams p;
    bool has_options = false, has_timeout = false, has_app = false;
    for (PQconninfoOption* o = opts; o->keyword; ++o) {
      if (!o->val) continue;
      std::string key = o->keyword, val = o->val;
      if (key == "options") {
        val += " -c client_min_messages=warning";
        has_options = true;
      }
      has_timeout |= key == "connect_timeout";
      has_app |= key == "application_name";
      p.kv_.emplace_back(key, val);
    }
    PQconninfoFree(opts);
    if (!has_options) p.kv_.emplace_back("options", "-c client_min_messages=warning");
    if (!has_timeout) p.kv_.emplace_back("connect_timeout", "5");
    if (!has_app) p.kv_.emplace_back("application_name", "openmso");
    return p;
  }

  // A new connection, or kUnavailable.
  Result<PGconn*> Connect() const {
    std::vector<const char*> keys, vals;
    for (const auto& [k, v] : kv_) {
      keys.push_back(k.c_str());
      vals.push_back(v.c_str());
    }
    keys.push_back(nullptr);
    vals.push_back(nullptr);
    PGconn* conn = PQconnectdbParams(keys.data(), vals.data(), 0);
    if (conn == nullptr) return Unavailable("PQconnectdbParams: out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
      Error e = Unavailable(std::string("connect: ") + PQerrorMessage(conn));
      PQfinish(conn);
      return e;
    }
    return conn;
  }

 private:
  std::vector<std::pair<std::string, std::string>> kv_;
};

struct Prepared {
  std::string pg_name;
  std::string sql;  // the caller's text, to catch one name used for two SQL texts
  std::vector<Oid> param_types;
};

// One pooled connection with its prepared-statement cache. Used by one thread at a time.
class PgConnection {
 public:
  PgConnection(PGconn* conn, std::atomic<int64_t>* prepared) : conn_(conn), prepared_count_(prepared) {}
  ~PgConnection() { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  PGconn* get() const { return conn_; }
  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

  Result<const Prepared*> Prepare(std::string_view name, std::string_view sql) {
    auto it = cache_.find(std::string(name));
    if (it != cache_.end()) {
      if (it->second.sql != sql) {
        return Error::Internal("statement name '" + std::string(name) + "' used for two SQL texts");
      }
      return &it->second;
    }
    int nparams = 0;
    std::string text = RewritePlaceholders(sql, nparams);
    std::string pg_name = "openmso_" + std::to_string(++next_id_);
    auto res = Wrap(PQprepare(conn_, pg_name.c_str(), text.c_str(), 0, nullptr));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) return PgError(conn_, res.get(), "prepare " + std::string(name));
    // The server's inferred parameter types: BYTEA parameters are sent in binary so that
    // arbitrary bytes survive; everything else goes as text.
    auto desc = Wrap(PQdescribePrepared(conn_, pg_name.c_str()));
    if (PQresultStatus(desc.get()) != PGRES_COMMAND_OK) return PgError(conn_, desc.get(), "describe " + std::string(name));
    Prepared p{pg_name, std::string(sql), {}};
    for (int i = 0; i < PQnparams(desc.get()); ++i) p.param_types.push_back(PQparamtype(desc.get(), i));
    prepared_count_->fetch_add(1, std::memory_order_relaxed);
    return &cache_.emplace(std::string(name), std::move(p)).first->second;
  }

 private:
  PGconn* conn_;
  std::atomic<int64_t>* prepared_count_;
  std::unordered_map<std::string, Prepared> cache_;
  int64_t next_id_ = 0;
};

Value ColumnValue(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return std::monostate{};
  const char* v = PQgetvalue(res, row, col);
  int len = PQgetlength(res, row, col);
  switch (PQftype(res, col)) {
    case kInt8Oid:
    case kInt4Oid:
    case kInt2Oid:
    case kOidOid:
      return static_cast<int64_t>(std::strtoll(v, nullptr, 10));
    case kBoolOid:
      return static_cast<int64_t>(v[0] == 't' ? 1 : 0);
    case kByteaOid: {
      size_t n = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &n);
      std::string out(reinterpret_cast<const char*>(bytes), n);
      PQfreemem(bytes);
      return out;
    }
    default:
      return std::string(v, static_cast<size_t>(len));
  }
}

// COPY text format: backslash, tab, newline and carriage return escaped; \N is NULL.
void AppendCopyField(std::string& out, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) {
    out += "\\N";
  } else if (const auto* n = std::get_if<int64_t>(&v)) {
    out += std::to_string(*n);
  } else {
    for (char c : std::get<std::string>(v)) {
      switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out += c;
      }
    }
  }
}

class PgSession final : public Session {
 public:
  explicit PgSession(PgConnection& conn) : conn_(conn) {}
  Backend backend() const override { return Backend::kPostgres; }

  Result<std::vector<Row>> Query(const Statement& st, const std::vector<Value>& params) override {
    OPENMSO_ASSIGN_OR_RETURN(PGresultPtr res, Run(st, params));
    std::vector<Row> rows;
    int nrows = PQntuples(res.get()), ncols = PQnfields(res.get());
    rows.reserve(nrows);
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> cols;
      cols.reserve(ncols);
      for (int c = 0; c < ncols; ++c) cols.push_back(ColumnValue(res.get(), r, c));
      rows.emplace_back(std::move(cols));
    }
    return rows;
  }

  Result<int64_t> Exec(const Statement& st, const std::vector<Value>& params) override {
    OPENMSO_ASSIGN_OR_RETURN(PGresultPtr res, Run(st, params));
    const char* n = PQcmdTuples(res.get());
    return static_cast<int64_t>(n && *n ? std::strtoll(n, nullptr, 10) : 0);
  }

  Result<void> ExecScript(std::string_view sql) override {
    auto res = Wrap(PQexec(conn_.get(), std::string(sql).c_str()));
    ExecStatusType s = PQresultStatus(res.get());
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) return Fail(res.get(), "script");
    return Ok();
  }

  Result<void> BulkInsert(std::string_view table, const std::vector<std::string>& columns,
                          const std::vector<std::vector<Value>>& rows) override {
    if (!IsPlainIdentifier(table) || columns.empty()) return Error::Internal("bulk insert: bad table name");
    std::string sql = "COPY " + std::string(table) + " (";
    for (size_t i = 0; i < columns.size(); ++i) {
      if (!IsPlainIdentifier(columns[i])) return Error::Internal("bulk insert: bad column name");
      sql += (i ? ", " : "") + columns[i];
    }
    sql += ") FROM STDIN";
    for (const auto& row : rows) {
      if (row.size() != columns.size()) return Error::Internal("bulk insert: row width differs from columns");
    }
    PGconn* c = conn_.get();
    auto start = Wrap(PQexec(c, sql.c_str()));
    if (PQresultStatus(start.get()) != PGRES_COPY_IN) return Fail(start.get(), "copy");
    std::string buf;
    bool sent = true;
    for (const auto& row : rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) buf += '\t';
        AppendCopyField(buf, row[i]);
      }
      buf += '\n';
      if (buf.size() >= (1 << 16)) {
        sent = PQputCopyData(c, buf.data(), static_cast<int>(buf.size())) == 1;
        buf.clear();
        if (!sent) break;
      }
    }
    if (sent && !buf.empty()) sent = PQputCopyData(c, buf.data(), static_cast<int>(buf.size())) == 1;
    PQputCopyEnd(c, sent ? nullptr : "client failed to send data");
    Result<void> out;
    while (PGresult* r = PQgetResult(c)) {
      auto owned = Wrap(r);
      if (out.ok() && PQresultStatus(r) != PGRES_COMMAND_OK) out = Fail(r, "copy");
    }
    if (out.ok() && !sent) out = Fail(nullptr, "copy");
    return out;
  }

  void Notify(std::string_view channel, std::string_view payload) override {
    static constexpr Statement kNotify{"openmso.notify", "SELECT pg_notify(?, ?)"};
    (void)Run(kNotify, {std::string(channel), std::string(payload)});  // an error aborts the transaction
  }

  // The first error seen in this transaction, and whether a retry may succeed.
  const std::optional<Error>& first_error() const { return first_error_; }
  bool retryable() const { return retryable_; }
  Error Fail(const PGresult* res, std::string_view what) {
    Error e = PgError(conn_.get(), res, what);
    if (res && IsRetryable(PQresultErrorField(res, PG_DIAG_SQLSTATE))) retryable_ = true;
    if (!first_error_) first_error_ = e;
    return e;
  }

 private:
  Result<PGresultPtr> Run(const Statement& st, const std::vector<Value>& params) {
    auto prepared = conn_.Prepare(st.name, st.sql);
    if (!prepared.ok()) {
      if (!first_error_) first_error_ = prepared.error();
      return prepared.error();
    }
    const Prepared& p = *prepared.value();
    if (params.size() != p.param_types.size()) {
      return Error::Internal("statement " + std::string(st.name) + ": expected " +
                             std::to_string(p.param_types.size()) + " parameters, got " + std::to_string(params.size()));
    }
    std::vector<std::string> ints(params.size());
    std::vector<const char*> values(params.size());
    std::vector<int> lengths(params.size()), formats(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) {
        values[i] = nullptr;
      } else if (const auto* n = std::get_if<int64_t>(&v)) {
        ints[i] = std::to_string(*n);
        values[i] = ints[i].c_str();
      } else {
        const std::string& s = std::get<std::string>(v);
        values[i] = s.c_str();
        lengths[i] = static_cast<int>(s.size());
        formats[i] = p.param_types[i] == kByteaOid ? 1 : 0;
      }
    }
    auto res = Wrap(PQexecPrepared(conn_.get(), p.pg_name.c_str(), static_cast<int>(params.size()), values.data(),
                                   lengths.data(), formats.data(), 0));
    ExecStatusType s = PQresultStatus(res.get());
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) return Fail(res.get(), st.name);
    return res;
  }

  PgConnection& conn_;
  std::optional<Error> first_error_;
  bool retryable_ = false;
};

// LISTEN on a dedicated connection, served by one background thread that polls the socket
// and a wake-up pipe, dispatches notifications, and reconnects (re-subscribing) when the
// connection drops.
class PgListener {
 public:
  explicit PgListener(ConnParams params) : params_(std::move(params)) {}
  ~PgListener() {
    if (thread_.joinable()) {
      stop_ = true;
      Wake();
      thread_.join();
    }
    if (conn_) PQfinish(conn_);
    if (wake_[0] >= 0) close(wake_[0]);
    if (wake_[1] >= 0) close(wake_[1]);
  }

  void Listen(std::string_view channel, std::function<void(std::string_view)> callback) {
    std::string ch(channel);
    std::unique_lock lock(mu_);
    callbacks_[ch].push_back(std::make_shared<std::function<void(std::string_view)>>(std::move(callback)));
    wanted_.insert(ch);
    if (!thread_.joinable()) {
      if (pipe2(wake_, O_NONBLOCK | O_CLOEXEC) != 0) {
        log::Error("listen: pipe2 failed");
        return;
      }
      thread_ = std::thread([this] { Run(); });
    }
    lock.unlock();
    Wake();
    lock.lock();
    if (!cv_.wait_for(lock, std::chrono::seconds(5), [&] { return listening_.count(ch) > 0; })) {
      log::Warn("listen: not subscribed yet, will keep trying", {{"channel", ch}});
    }
  }

 private:
  void Wake() {
    char b = 1;
    if (wake_[1] >= 0) (void)!write(wake_[1], &b, 1);
  }

  void Run() {
    while (!stop_) {
      if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
        if (conn_) {
          PQfinish(conn_);
          conn_ = nullptr;
          std::lock_guard lock(mu_);
          listening_.clear();
          log::Warn("listen: connection lost, reconnecting");
        }
        auto c = params_.Connect();
        if (!c.ok()) {
          WaitForWake(1000);
          continue;
        }
        conn_ = c.value();
      }
      Subscribe();
      Deliver();
      pollfd fds[2] = {{PQsocket(conn_), POLLIN, 0}, {wake_[0], POLLIN, 0}};
      if (poll(fds, 2, 1000) < 0) continue;
      if (fds[1].revents & POLLIN) DrainWake();
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        if (!PQconsumeInput(conn_)) {
          PQfinish(conn_);
          conn_ = nullptr;
          std::lock_guard lock(mu_);
          listening_.clear();
          log::Warn("listen: connection lost, reconnecting");
          continue;
        }
      }
      Deliver();
    }
  }

  void Subscribe() {
    std::vector<std::string> todo;
    {
      std::lock_guard lock(mu_);
      for (const auto& ch : wanted_) {
        if (!listening_.count(ch)) todo.push_back(ch);
      }
    }
    for (const auto& ch : todo) {
      char* ident = PQescapeIdentifier(conn_, ch.c_str(), ch.size());
      if (!ident) return;
      std::string sql = std::string("LISTEN ") + ident;
      PQfreemem(ident);
      auto res = Wrap(PQexec(conn_, sql.c_str()));
      if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
        log::Warn("listen: LISTEN failed", {{"channel", ch}});
        return;
      }
      std::lock_guard lock(mu_);
      listening_.insert(ch);
      cv_.notify_all();
    }
  }

  void Deliver() {
    while (PGnotify* n = PQnotifies(conn_)) {
      std::string channel = n->relname, payload = n->extra ? n->extra : "";
      PQfreemem(n);
      std::vector<std::shared_ptr<std::function<void(std::string_view)>>> cbs;
      {
        std::lock_guard lock(mu_);
        auto it = callbacks_.find(channel);
        if (it != callbacks_.end()) cbs = it->second;
      }
      for (auto& cb : cbs) (*cb)(payload);
    }
  }

  void WaitForWake(int ms) {
    pollfd fd{wake_[0], POLLIN, 0};
    if (poll(&fd, 1, ms) > 0) DrainWake();
  }
  void DrainWake() {
    char buf[64];
    while (read(wake_[0], buf, sizeof buf) > 0) {
    }
  }

  ConnParams params_;
  PGconn* conn_ = nullptr;  // owned by the thread while it runs
  int wake_[2] = {-1, -1};
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::vector<std::shared_ptr<std::function<void(std::string_view)>>>> callbacks_;
  std::set<std::string> wanted_, listening_;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(ConnParams params, int pool_size)
      : params_(params), max_(std::max(1, pool_size)), listener_(std::move(params)) {}

  Result<void> Init() {
    OPENMSO_ASSIGN_OR_RETURN(PGconn * c, params_.Connect());
    idle_.push_back(std::make_unique<PgConnection>(c, &prepared_));
    total_ = 1;
    return Ok();
  }

  Backend backend() const override { return Backend::kPostgres; }

  Result<void> Read(const std::function<Result<void>(Session&)>& fn) override {
    bool retryable = false;
    return RunTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn, retryable);
  }

  Result<void> Write(const std::function<Result<void>(Session&)>& fn) override {
    static thread_local std::minstd_rand jitter(std::random_device{}());
    for (int attempt = 0;; ++attempt) {
      bool retryable = false;
      Result<void> r = RunTransaction("BEGIN ISOLATION LEVEL READ COMMITTED", fn, retryable);
      if (r.ok() || !retryable || attempt == kMaxRetries) return r;
      log::Info("write transaction retried", {{"attempt", std::to_string(attempt + 1)}});
      std::this_thread::sleep_for(std::chrono::milliseconds(5 * (attempt + 1) + jitter() % 10));
    }
  }

  Result<std::vector<int>> Migrate() override { return ApplyMigrations(*this, EmbeddedMigrations()); }

  void Listen(std::string_view channel, std::function<void(std::string_view)> callback) override {
    listener_.Listen(channel, std::move(callback));
  }

  PoolStats Stats() const override {
    PoolStats s;
    {
      std::lock_guard lock(mu_);
      s.connections_total = total_;
      s.connections_in_use = in_use_;
    }
    s.transactions_committed = committed_.load();
    s.transactions_rolled_back = rolled_back_.load();
    s.waits = waits_.load();
    s.statements_prepared = prepared_.load();
    return s;
  }

 private:
  Result<std::unique_ptr<PgConnection>> Acquire() {
    std::unique_lock lock(mu_);
    bool waited = false;
    for (;;) {
      if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        ++in_use_;
        return c;
      }
      if (total_ < max_) {
        ++total_;
        ++in_use_;
        lock.unlock();
        auto conn = params_.Connect();
        if (!conn.ok()) {
          lock.lock();
          --total_;
          --in_use_;
          cv_.notify_one();
          return conn.error();
        }
        return std::make_unique<PgConnection>(conn.value(), &prepared_);
      }
      if (!waited) {
        waits_.fetch_add(1);
        waited = true;
      }
      cv_.wait(lock);
    }
  }

  void Release(std::unique_ptr<PgConnection> c) {
    // A connection that is broken or stuck mid-transaction is dropped, not reused.
    bool keep = c->healthy();
    if (!keep) c.reset();
    std::lock_guard lock(mu_);
    --in_use_;
    if (keep) {
      idle_.push_back(std::move(c));
    } else {
      --total_;
    }
    cv_.notify_one();
  }

  Result<void> RunTransaction(const char* begin, const std::function<Result<void>(Session&)>& fn,
                              bool& retryable) {
    OPENMSO_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, Acquire());
    struct Lease {
      PostgresDatabase* db;
      std::unique_ptr<PgConnection>& conn;
      ~Lease() { db->Release(std::move(conn)); }
    } lease{this, conn};
    PGconn* pg = conn->get();
    PgSession session(*conn);
    auto rollback = [&] {
      auto r = Wrap(PQexec(pg, "ROLLBACK"));
      rolled_back_.fetch_add(1);
    };
    {
      auto res = Wrap(PQexec(pg, begin));
      if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) return PgError(pg, res.get(), "begin");
    }
    Result<void> r;
    try {
      r = fn(session);
    } catch (...) {
      rollback();
      throw;
    }
    retryable = session.retryable();
    if (!r.ok()) {
      rollback();
      return r;
    }
    // An error the callback swallowed still aborted the transaction: COMMIT would silently
    // roll back, so report the first error instead.
    if (session.first_error() || PQtransactionStatus(pg) == PQTRANS_INERROR) {
      rollback();
      if (session.first_error()) return *session.first_error();
      return Error::Internal("transaction aborted by an earlier error");
    }
    auto res = Wrap(PQexec(pg, "COMMIT"));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      Error e = session.Fail(res.get(), "commit");
      retryable = session.retryable();
      if (PQtransactionStatus(pg) != PQTRANS_IDLE) rollback();
      else rolled_back_.fetch_add(1);
      return e;
    }
    committed_.fetch_add(1);
    return Ok();
  }

  ConnParams params_;
  const int max_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int64_t total_ = 0, in_use_ = 0;
  std::atomic<int64_t> committed_{0}, rolled_back_{0}, waits_{0}, prepared_{0};
  PgListener listener_;  // declared last: its thread stops before the pool goes away
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(std::string_view url, const OpenOptions& options) {
  OPENMSO_ASSIGN_OR_RETURN(ConnParams params, ConnParams::Parse(url));
  auto db = std::make_unique<PostgresDatabase>(std::move(params), options.pool_size);
  OPENMSO_TRY(db->Init());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace openmso::storage::internal
