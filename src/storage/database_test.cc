// One storage test suite, run against SQLite (a temp file, always) and PostgreSQL (when
// OPENMSO_TEST_PG_URL names a throwaway database; each test gets a fresh schema).
#include "storage/database.h"
#include "storage/storage.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

namespace openmso::storage {
namespace {

using namespace std::chrono_literals;

std::string BackendName(Backend b) { return b == Backend::kSqlite ? "Sqlite" : "Postgres"; }

class StorageTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      const char* base = std::getenv("OPENMSO_TEST_PG_URL");
      if (base == nullptr || *base == '\0') {
        GTEST_SKIP() << "OPENMSO_TEST_PG_URL is not set; skipping the PostgreSQL run "
                        "(scripts/with-postgres.sh sets it)";
      }
      static std::atomic<int> counter{0};
      schema_ = "t" + std::to_string(getpid()) + "_" + std::to_string(counter++);
      auto admin = OpenDatabase(base);
      ASSERT_TRUE(admin.ok()) << admin.error().log_detail;
      admin_ = std::move(admin).value();
      ASSERT_TRUE(admin_->Write([&](Session& s) { return s.ExecScript("CREATE SCHEMA " + schema_); }).ok());
      std::string url = base;
      url += url.find('?') == std::string::npos ? "?" : "&";
      url_ = url + "options=-c%20search_path%3D" + schema_;
    } else {
      std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
      std::replace(name.begin(), name.end(), '/', '_');  // "Crud/Sqlite": one directory, not two
      dir_ = std::filesystem::temp_directory_path() /
             ("openmso_storage_test_" + std::to_string(getpid()) + "_" + name);
      std::filesystem::remove_all(dir_);
      url_ = "sqlite:" + (dir_ / "nested" / "test.db").string();  // parent dirs created by Open
    }
    Open(4);
  }

  void Open(int pool_size) {
    db_.reset();
    OpenOptions options;
    options.pool_size = pool_size;
    auto db = OpenDatabase(url_, options);
    ASSERT_TRUE(db.ok()) << db.error().log_detail;
    db_ = std::move(db).value();
  }

  void TearDown() override {
    db_.reset();
    if (admin_) {
      (void)admin_->Write([&](Session& s) { return s.ExecScript("DROP SCHEMA " + schema_ + " CASCADE"); });
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Runs portable DDL in its own write transaction.
  void Script(const std::string& sql) {
    auto r = db_->Write([&](Session& s) { return s.ExecScript(PortableSql(sql, s.backend())); });
    ASSERT_TRUE(r.ok()) << r.error().log_detail;
  }

  int64_t Count(const std::string& table) {
    std::string name = "count." + table, sql = "SELECT COUNT(*) FROM " + table;
    auto n = ReadValue<int64_t>(*db_, [&](Session& s) -> Result<int64_t> {
      OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne({name, sql}));
      return row->Int(0);
    });
    EXPECT_TRUE(n.ok()) << n.error().log_detail;
    return n.ok() ? n.value() : -1;
  }

  std::string url_, schema_;
  std::filesystem::path dir_;
  std::unique_ptr<Database> admin_;
  std::unique_ptr<Database> db_;
};

constexpr Statement kInsertPerson{"test.person.insert",
                                  "INSERT INTO person (name, age, note) VALUES (?, ?, ?) RETURNING id"};
constexpr Statement kGetPerson{"test.person.get", "SELECT id, name, age, note FROM person WHERE id = ?"};
constexpr Statement kUpdatePerson{"test.person.update", "UPDATE person SET note = ? WHERE id = ?"};
constexpr Statement kDeletePerson{"test.person.delete", "DELETE FROM person WHERE id = ?"};
constexpr const char* kPersonDdl =
    "CREATE TABLE person (id @ID@, name TEXT NOT NULL UNIQUE, age BIGINT, note TEXT)";

TEST_P(StorageTest, CrudRoundTripWithNullIntAndText) {
  Script(kPersonDdl);
  auto id = WriteValue<int64_t>(*db_, [](Session& s) -> Result<int64_t> {
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kInsertPerson, {std::string("Ada 'quoted' ? mark"), int64_t{-42}, Null()}));
    return row->Int(0);
  });
  ASSERT_TRUE(id.ok()) << id.error().log_detail;
  EXPECT_GT(id.value(), 0);

  auto row = ReadValue<std::optional<Row>>(*db_, [&](Session& s) { return s.QueryOne(kGetPerson, {id.value()}); });
  ASSERT_TRUE(row.ok()) << row.error().log_detail;
  ASSERT_TRUE(row.value().has_value());
  const Row& r = *row.value();
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r.Int(0), id.value());
  EXPECT_EQ(r.Text(1), "Ada 'quoted' ? mark");
  EXPECT_EQ(r.Int(2), -42);
  EXPECT_EQ(r.OptInt(2), std::optional<int64_t>(-42));
  EXPECT_TRUE(r.IsNull(3));
  EXPECT_EQ(r.OptText(3), std::nullopt);
  EXPECT_EQ(r.Text(3), "");

  auto changed = WriteValue<int64_t>(*db_, [&](Session& s) { return s.Exec(kUpdatePerson, {std::string("ünïcode\ttab"), id.value()}); });
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed.value(), 1);
  row = ReadValue<std::optional<Row>>(*db_, [&](Session& s) { return s.QueryOne(kGetPerson, {id.value()}); });
  ASSERT_TRUE(row.ok() && row.value());
  EXPECT_EQ(row.value()->OptText(3), std::optional<std::string>("ünïcode\ttab"));

  auto missing = ReadValue<std::optional<Row>>(*db_, [&](Session& s) { return s.QueryOne(kGetPerson, {int64_t{999999}}); });
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing.value().has_value());

  auto deleted = WriteValue<int64_t>(*db_, [&](Session& s) { return s.Exec(kDeletePerson, {id.value()}); });
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted.value(), 1);
  EXPECT_EQ(Count("person"), 0);
}

TEST_P(StorageTest, BytesRoundTrip) {
  Script("CREATE TABLE blobs (id @ID@, data @BYTES@)");
  const std::string bytes("\x00\x01\xff\xfe\\x41'\"\n\t", 11);
  constexpr Statement kInsert{"test.blobs.insert", "INSERT INTO blobs (data) VALUES (?) RETURNING id"};
  constexpr Statement kGet{"test.blobs.get", "SELECT data FROM blobs WHERE id = ?"};
  auto id = WriteValue<int64_t>(*db_, [&](Session& s) -> Result<int64_t> {
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kInsert, {bytes}));
    return row->Int(0);
  });
  ASSERT_TRUE(id.ok()) << id.error().log_detail;
  auto got = ReadValue<std::string>(*db_, [&](Session& s) -> Result<std::string> {
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kGet, {id.value()}));
    return row->Text(0);
  });
  ASSERT_TRUE(got.ok()) << got.error().log_detail;
  EXPECT_EQ(got.value(), bytes);
}

TEST_P(StorageTest, RollbackOnErrorAndOnExceptionLeavesNothing) {
  Script(kPersonDdl);
  PoolStats before = db_->Stats();
  auto r = db_->Write([](Session& s) -> Result<void> {
    OPENMSO_TRY(s.Query(kInsertPerson, {std::string("a"), int64_t{1}, Null()}));
    return Error::Make(ErrorCode::kInvalidArgument, "nope", "Caller said no.");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().type, "nope");
  EXPECT_EQ(Count("person"), 0);

  EXPECT_THROW((void)db_->Write([](Session& s) -> Result<void> {
    (void)s.Query(kInsertPerson, {std::string("b"), int64_t{2}, Null()});
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  EXPECT_EQ(Count("person"), 0);
  EXPECT_EQ(db_->Stats().transactions_rolled_back - before.transactions_rolled_back, 2);
  EXPECT_EQ(db_->Stats().connections_in_use, 0);

  // The connection is usable afterwards.
  ASSERT_TRUE(db_->Write([](Session& s) -> Result<void> {
    OPENMSO_TRY(s.Query(kInsertPerson, {std::string("c"), int64_t{3}, Null()}));
    return Ok();
  }).ok());
  EXPECT_EQ(Count("person"), 1);
}

TEST_P(StorageTest, UniqueViolationIsConflictWithoutPersonalData) {
  Script(kPersonDdl);
  auto insert = [&](const std::string& name) {
    return db_->Write([&](Session& s) -> Result<void> {
      OPENMSO_TRY(s.Query(kInsertPerson, {name, Null(), Null()}));
      return Ok();
    });
  };
  ASSERT_TRUE(insert("jane.doe@example.org").ok());
  auto dup = insert("jane.doe@example.org");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().type, "unique-violation");
  EXPECT_EQ(dup.error().message.find("jane"), std::string::npos);
  EXPECT_EQ(dup.error().log_detail.find("jane"), std::string::npos) << dup.error().log_detail;

  // A callback that swallows the error still does not commit anything after it.
  auto swallowed = db_->Write([&](Session& s) -> Result<void> {
    (void)s.Query(kInsertPerson, {std::string("jane.doe@example.org"), Null(), Null()});
    return Ok();
  });
  if (GetParam() == Backend::kPostgres) {
    ASSERT_FALSE(swallowed.ok());
    EXPECT_EQ(swallowed.error().code, ErrorCode::kConflict);
  }
  EXPECT_EQ(Count("person"), 1);

  auto bad_sql = db_->Write([](Session& s) -> Result<void> {
    OPENMSO_TRY(s.Exec({"test.bad", "UPDATE no_such_table SET x = 1"}));
    return Ok();
  });
  ASSERT_FALSE(bad_sql.ok());
  EXPECT_EQ(bad_sql.error().code, ErrorCode::kInternal);
  EXPECT_EQ(bad_sql.error().message.find("no_such_table"), std::string::npos);
  EXPECT_NE(bad_sql.error().log_detail.find("no_such_table"), std::string::npos);
}

bool TableExists(Database& db, const std::string& table) {
  return db.Read([&](Session& s) -> Result<void> {
            std::string sql = "SELECT 1 FROM " + table;
            OPENMSO_TRY(s.Query({sql, sql}));
            return Ok();
          }).ok();
}

TEST_P(StorageTest, MigrationsApplyOnceAndAFailingOneLeavesNothing) {
  std::vector<Migration> migrations = {
      {2, "second", "CREATE TABLE mig_b (id @ID@, a_id BIGINT NOT NULL REFERENCES mig_a (id));"},
      {1, "first", "CREATE TABLE mig_a (id @ID@, data @BYTES@);\nINSERT INTO mig_a (data) VALUES ('x');"},
  };
  auto applied = ApplyMigrations(*db_, migrations);
  ASSERT_TRUE(applied.ok()) << applied.error().log_detail;
  EXPECT_EQ(applied.value(), (std::vector<int>{1, 2}));
  EXPECT_EQ(Count("mig_a"), 1);

  auto again = ApplyMigrations(*db_, migrations);
  ASSERT_TRUE(again.ok()) << again.error().log_detail;
  EXPECT_TRUE(again.value().empty());
  EXPECT_EQ(Count("mig_a"), 1);  // not re-run
  EXPECT_EQ(Count("schema_migrations"), 2);

  migrations.push_back({3, "broken", "CREATE TABLE mig_c (x BIGINT);\nINSERT INTO mig_c VALUES (1);\n"
                                     "INSERT INTO no_such_table VALUES (1);"});
  migrations.push_back({4, "after", "CREATE TABLE mig_d (x BIGINT);"});
  auto failed = ApplyMigrations(*db_, migrations);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().log_detail.find("3_broken"), std::string::npos) << failed.error().log_detail;
  EXPECT_FALSE(TableExists(*db_, "mig_c"));
  EXPECT_FALSE(TableExists(*db_, "mig_d"));  // later migrations are not tried
  EXPECT_EQ(Count("schema_migrations"), 2);

  migrations[2].sql = "CREATE TABLE mig_c (x BIGINT);";
  auto fixed = ApplyMigrations(*db_, migrations);
  ASSERT_TRUE(fixed.ok()) << fixed.error().log_detail;
  EXPECT_EQ(fixed.value(), (std::vector<int>{3, 4}));
  EXPECT_TRUE(TableExists(*db_, "mig_c"));

  // Two databases (servers) migrating at once: each migration applied exactly once.
  std::vector<Migration> more = {{5, "five", "CREATE TABLE mig_e (x BIGINT); INSERT INTO mig_e VALUES (5);"}};
  auto other = OpenDatabase(url_);
  ASSERT_TRUE(other.ok());
  Result<std::vector<int>> r1 = std::vector<int>{}, r2 = std::vector<int>{};
  std::thread t1([&] { r1 = ApplyMigrations(*db_, more); });
  std::thread t2([&] { r2 = ApplyMigrations(*other.value(), more); });
  t1.join();
  t2.join();
  ASSERT_TRUE(r1.ok()) << r1.error().log_detail;
  ASSERT_TRUE(r2.ok()) << r2.error().log_detail;
  EXPECT_EQ(r1.value().size() + r2.value().size(), 1u);
  EXPECT_EQ(Count("mig_e"), 1);
}

TEST_P(StorageTest, EmbeddedMigrationsAreNumberedAndPortable) {
  const auto& embedded = EmbeddedMigrations();
  for (size_t i = 0; i < embedded.size(); ++i) {
    EXPECT_GT(embedded[i].version, 0);
    if (i > 0) {
      EXPECT_LT(embedded[i - 1].version, embedded[i].version);
    }
    EXPECT_FALSE(embedded[i].name.empty());
  }
  EXPECT_EQ(PortableSql("a @ID@, b @BYTES@ @x", Backend::kSqlite), "a INTEGER PRIMARY KEY, b BLOB @x");
  EXPECT_EQ(PortableSql("a @ID@, b @BYTES@", Backend::kPostgres),
            "a BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, b BYTEA");
}

TEST_P(StorageTest, EmbeddedMigrationsApplyOnAFreshDatabase) {
  auto applied = db_->Migrate();
  ASSERT_TRUE(applied.ok()) << applied.error().log_detail;
  EXPECT_EQ(applied.value().size(), EmbeddedMigrations().size());
  auto again = db_->Migrate();
  ASSERT_TRUE(again.ok()) << again.error().log_detail;
  EXPECT_TRUE(again.value().empty());
}

TEST_P(StorageTest, RacingConditionalUpdatesHaveExactlyOneWinner) {
  Script("CREATE TABLE shift (id @ID@, status TEXT NOT NULL, taker BIGINT)");
  constexpr int kShifts = 20, kThreads = 6;
  constexpr Statement kAdd{"test.shift.add", "INSERT INTO shift (status) VALUES ('open')"};
  ASSERT_TRUE(db_->Write([&](Session& s) -> Result<void> {
    for (int i = 0; i < kShifts; ++i) OPENMSO_TRY(s.Exec(kAdd));
    return Ok();
  }).ok());
  constexpr Statement kClaim{"test.shift.claim",
                             "UPDATE shift SET status = 'taken', taker = ? WHERE id = ? AND status = 'open' RETURNING id"};
  std::mutex mu;
  std::map<int64_t, int> wins;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t shift = 1; shift <= kShifts; ++shift) {
        auto won = WriteValue<bool>(*db_, [&](Session& s) -> Result<bool> {
          OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kClaim, {int64_t{t}, shift}));
          return !rows.empty();
        });
        if (!won.ok()) {
          ++errors;
        } else if (won.value()) {
          std::lock_guard lock(mu);
          wins[shift]++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  ASSERT_EQ(wins.size(), static_cast<size_t>(kShifts));
  for (auto [shift, n] : wins) EXPECT_EQ(n, 1) << "shift " << shift;
}

TEST_P(StorageTest, BulkInsertTenThousandRows) {
  Script("CREATE TABLE bulk (id BIGINT PRIMARY KEY, label TEXT, maybe BIGINT)");
  std::vector<std::vector<Value>> rows;
  for (int64_t i = 0; i < 10000; ++i) {
    rows.push_back({i, std::string("row\t") + std::to_string(i) + "\\n\nend\r", i % 3 ? Value(i * 7) : Null()});
  }
  auto t0 = std::chrono::steady_clock::now();
  auto r = db_->Write([&](Session& s) { return s.BulkInsert("bulk", {"id", "label", "maybe"}, rows); });
  ASSERT_TRUE(r.ok()) << r.error().log_detail;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "[ info ] BulkInsert of 10000 rows: " << ms << " ms\n";
  EXPECT_EQ(Count("bulk"), 10000);
  constexpr Statement kGet{"test.bulk.get", "SELECT label, maybe FROM bulk WHERE id = ?"};
  for (int64_t i : {0, 1, 4242, 9999}) {
    auto row = ReadValue<std::optional<Row>>(*db_, [&](Session& s) { return s.QueryOne(kGet, {i}); });
    ASSERT_TRUE(row.ok() && row.value()) << i;
    EXPECT_EQ(row.value()->Text(0), std::string("row\t") + std::to_string(i) + "\\n\nend\r");
    if (i % 3) {
      EXPECT_EQ(row.value()->OptInt(1), std::optional<int64_t>(i * 7));
    } else {
      EXPECT_TRUE(row.value()->IsNull(1));
    }
  }
  auto bad = db_->Write([&](Session& s) { return s.BulkInsert("bulk; DROP TABLE bulk", {"id"}, {{int64_t{1}}}); });
  EXPECT_FALSE(bad.ok());
  // A failing bulk insert (duplicate key) leaves nothing.
  auto dup = db_->Write([&](Session& s) {
    return s.BulkInsert("bulk", {"id", "label", "maybe"}, {{int64_t{20000}, std::string("x"), Null()}, {int64_t{5}, std::string("y"), Null()}});
  });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Count("bulk"), 10000);
}

TEST_P(StorageTest, NotificationsArriveAfterCommitAndNotAfterRollback) {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> got;
  db_->Listen("shift_events", [&](std::string_view payload) {
    std::lock_guard lock(mu);
    got.emplace_back(payload);
    cv.notify_all();
  });
  db_->Listen("other_channel", [&](std::string_view payload) {
    std::lock_guard lock(mu);
    got.push_back("other:" + std::string(payload));
    cv.notify_all();
  });
  ASSERT_TRUE(db_->Write([&](Session& s) -> Result<void> {
    s.Notify("shift_events", "first");
    std::this_thread::sleep_for(150ms);
    std::lock_guard lock(mu);
    EXPECT_TRUE(got.empty()) << "delivered before commit";
    return Ok();
  }).ok());
  auto rolled = db_->Write([&](Session& s) -> Result<void> {
    s.Notify("shift_events", "rolled-back");
    return Error::Make(ErrorCode::kConflict, "x", "x");
  });
  ASSERT_FALSE(rolled.ok());
  EXPECT_THROW((void)db_->Write([&](Session& s) -> Result<void> {
    s.Notify("shift_events", "thrown");
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  ASSERT_TRUE(db_->Write([&](Session& s) -> Result<void> {
    s.Notify("shift_events", "second with 'quotes' and ünïcode");
    return Ok();
  }).ok());
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return got.size() >= 2; })) << got.size();
  lock.unlock();
  std::this_thread::sleep_for(200ms);  // anything wrongly delivered would show up by now
  lock.lock();
  EXPECT_EQ(got, (std::vector<std::string>{"first", "second with 'quotes' and ünïcode"}));
}

TEST_P(StorageTest, PreparedStatementsAreCachedPerConnection) {
  Script(kPersonDdl);
  constexpr Statement kByAge{"test.person.by_age", "SELECT name FROM person WHERE age > ?"};
  // Warm every connection once, then measure: no further prepares for repeated use.
  auto run_all = [&] {
    for (int i = 0; i < 25; ++i) {
      ASSERT_TRUE(db_->Read([&](Session& s) -> Result<void> {
        OPENMSO_TRY(s.Query(kByAge, {int64_t{i}}));
        return Ok();
      }).ok());
      ASSERT_TRUE(db_->Write([&](Session& s) -> Result<void> {
        OPENMSO_TRY(s.Query(kByAge, {int64_t{i}}));
        return Ok();
      }).ok());
    }
  };
  int64_t p0 = db_->Stats().statements_prepared;
  run_all();
  int64_t p1 = db_->Stats().statements_prepared;
  EXPECT_GE(p1 - p0, 1);
  EXPECT_LE(p1 - p0, db_->Stats().connections_total);
  run_all();
  EXPECT_EQ(db_->Stats().statements_prepared, p1);

  auto clash = db_->Read([&](Session& s) -> Result<void> {
    OPENMSO_TRY(s.Query({"test.person.by_age", "SELECT 1"}));
    return Ok();
  });
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, ErrorCode::kInternal);
}

TEST_P(StorageTest, PoolStatsCountTransactionsAndWaits) {
  Open(2);
  Script(kPersonDdl);
  PoolStats s0 = db_->Stats();
  EXPECT_GE(s0.connections_total, 1);
  EXPECT_EQ(s0.connections_in_use, 0);
  ASSERT_TRUE(db_->Write([](Session&) { return Ok(); }).ok());
  ASSERT_FALSE(db_->Write([](Session&) -> Result<void> { return Error::Internal("test"); }).ok());
  ASSERT_TRUE(db_->Read([](Session&) { return Ok(); }).ok());
  PoolStats s1 = db_->Stats();
  EXPECT_EQ(s1.transactions_committed - s0.transactions_committed, 2);
  EXPECT_EQ(s1.transactions_rolled_back - s0.transactions_rolled_back, 1);

  std::atomic<int> inside{0}, max_inside{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 5; ++i) {
    threads.emplace_back([&] {
      auto r = db_->Read([&](Session&) -> Result<void> {
        int now = ++inside;
        int prev = max_inside.load();
        while (now > prev && !max_inside.compare_exchange_weak(prev, now)) {
        }
        EXPECT_GE(db_->Stats().connections_in_use, 1);
        std::this_thread::sleep_for(50ms);
        --inside;
        return Ok();
      });
      EXPECT_TRUE(r.ok());
    });
  }
  for (auto& t : threads) t.join();
  PoolStats s2 = db_->Stats();
  EXPECT_LE(max_inside.load(), 2);  // bounded by pool_size
  EXPECT_GE(s2.waits - s1.waits, 3);
  EXPECT_EQ(s2.connections_in_use, 0);
  EXPECT_LE(s2.connections_total, GetParam() == Backend::kSqlite ? 3 : 2);
  EXPECT_TRUE(db_->Ping().ok());
}

TEST_P(StorageTest, QuestionMarksInLiteralsAreNotPlaceholders) {
  constexpr Statement kQ{"test.literal_q", "SELECT 'what?' AS a, ? AS b, '''' || '?' AS c -- why?\n"};
  auto row = ReadValue<std::optional<Row>>(*db_, [&](Session& s) { return s.QueryOne(kQ, {std::string("x")}); });
  ASSERT_TRUE(row.ok()) << row.error().log_detail;
  EXPECT_EQ(row.value()->Text(0), "what?");
  EXPECT_EQ(row.value()->Text(1), "x");
  EXPECT_EQ(row.value()->Text(2), "'?");
}

TEST_P(StorageTest, ReadTransactionsCannotWrite) {
  Script(kPersonDdl);
  auto r = db_->Read([](Session& s) -> Result<void> {
    OPENMSO_TRY(s.Query(kInsertPerson, {std::string("a"), Null(), Null()}));
    return Ok();
  });
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(Count("person"), 0);
}

TEST_P(StorageTest, DeadlockedWritersAreRetried) {
  if (GetParam() == Backend::kSqlite) GTEST_SKIP() << "SQLite serializes writers, so they cannot deadlock";
  Script("CREATE TABLE acct (id BIGINT PRIMARY KEY, n BIGINT NOT NULL); INSERT INTO acct VALUES (1, 0), (2, 0);");
  constexpr Statement kBump{"test.acct.bump", "UPDATE acct SET n = n + 1 WHERE id = ?"};
  std::atomic<int> first_locks{0}, attempts{0};
  auto transfer = [&](int64_t a, int64_t b) {
    bool first = true;
    return db_->Write([&](Session& s) -> Result<void> {
      ++attempts;
      OPENMSO_TRY(s.Exec(kBump, {a}));
      if (first) {  // both hold their first row before either takes its second: a deadlock
        first = false;
        ++first_locks;
        auto until = std::chrono::steady_clock::now() + 5s;
        while (first_locks.load() < 2 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
      }
      OPENMSO_TRY(s.Exec(kBump, {b}));
      return Ok();
    });
  };
  Result<void> r1, r2;
  std::thread t1([&] { r1 = transfer(1, 2); });
  std::thread t2([&] { r2 = transfer(2, 1); });
  t1.join();
  t2.join();
  EXPECT_TRUE(r1.ok()) << r1.error().log_detail;
  EXPECT_TRUE(r2.ok()) << r2.error().log_detail;
  EXPECT_EQ(attempts.load(), 3);  // the deadlock victim ran twice
  constexpr Statement kSum{"test.acct.sum", "SELECT SUM(n) FROM acct"};
  auto sum = ReadValue<int64_t>(*db_, [&](Session& s) -> Result<int64_t> {
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kSum));
    return row->Int(0);
  });
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum.value(), 4);
}

TEST_P(StorageTest, ListenerReconnectsAfterTheConnectionDrops) {
  if (GetParam() == Backend::kSqlite) GTEST_SKIP() << "SQLite notifications are in-process; no connection to drop";
  std::atomic<int> got{0};
  db_->Listen("reconnect_test", [&](std::string_view) { ++got; });
  constexpr Statement kKill{"test.kill_listener",
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE pid <> pg_backend_pid() AND query LIKE 'LISTEN%reconnect_test%'"};
  auto killed = WriteValue<std::vector<Row>>(*admin_, [&](Session& s) { return s.Query(kKill); });
  ASSERT_TRUE(killed.ok()) << killed.error().log_detail;
  ASSERT_EQ(killed.value().size(), 1u);
  // Notifications sent while the listener is away are lost (LISTEN semantics); keep
  // sending until one arrives on the new connection.
  auto until = std::chrono::steady_clock::now() + 15s;
  while (got.load() == 0 && std::chrono::steady_clock::now() < until) {
    ASSERT_TRUE(db_->Write([](Session& s) {
      s.Notify("reconnect_test", "ping");
      return Ok();
    }).ok());
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_GT(got.load(), 0);
}

// MKT-POOL-BOX: the candidate pool of a posting keeps every clinician whose travel circle
// reaches the facility (the exact distance rule runs later) and leaves most far ones out.
TEST_P(StorageTest, ClinicianPoolKeepsEveryoneInReachAndLeavesFarOnesOut) {
  ASSERT_TRUE(db_->Migrate().ok());
  const GeoPoint facility{47.6, -122.3};  // Seattle: a northern latitude stretches longitude
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> dlat(-7, 7), dlon(-10, 10);
  std::vector<std::pair<int64_t, bool>> expected;  // clinician, in reach
  MsoId mso;
  ASSERT_TRUE(db_->Write([&](Session& s) -> Result<void> {
    SqlOrgRepository org(s);
    OPENMSO_ASSIGN_OR_RETURN(mso, org.CreateMso("Pool MSO", FromUnixMillis(0)));
    static constexpr Statement kClinician{"t.pool_clinician",
        "INSERT INTO clinicians (mso_id, first_name, last_name, email, discipline, employment_type, home_latitude_e6, "
        "home_longitude_e6, travel_radius_km, status, created_at) VALUES (?, 'P', 'Q', ?, 'RN', 'per_diem', ?, ?, ?, "
        "'active', 0) RETURNING id"};
    static constexpr Statement kDiscipline{"t.pool_discipline",
        "INSERT INTO clinician_disciplines (clinician_id, position, discipline) VALUES (?, 0, 'RN')"};
    for (int i = 0; i < 600; ++i) {
      GeoPoint home{facility.latitude + dlat(rng), facility.longitude + dlon(rng)};
      int64_t radius = static_cast<int64_t>(rng() % 501);
      if (i % 50 == 0) {  // exactly on the edge of the circle, due north and due east
        radius = 300;
        home = i % 100 == 0 ? GeoPoint{facility.latitude + 299.9 / 111.19, facility.longitude}
                            : GeoPoint{facility.latitude, facility.longitude + 299.9 / (111.19 * std::cos(facility.latitude * 3.14159265358979323846 / 180))};
      }
      OPENMSO_ASSIGN_OR_RETURN(auto row, s.Query(kClinician, {mso.value, "p" + std::to_string(i) + "@pool.test",
                                                              ToE6(home.latitude), ToE6(home.longitude), radius}));
      int64_t id = row.at(0).Int(0);
      OPENMSO_TRY(s.Exec(kDiscipline, {id}));
      GeoPoint stored{static_cast<double>(ToE6(home.latitude)) / 1e6, static_cast<double>(ToE6(home.longitude)) / 1e6};
      expected.emplace_back(id, DistanceMeters(stored, facility) <= static_cast<double>(radius) * 1000.0);
    }
    return Ok();
  }).ok());
  auto pool = ReadValue<std::vector<ClinicianId>>(*db_, [&](Session& s) {
    return SqlMarketplaceRepository(s).ClinicianPool(mso, "RN", facility);
  });
  ASSERT_TRUE(pool.ok()) << pool.error().log_detail;
  std::set<int64_t> got;
  for (ClinicianId c : *pool) got.insert(c.value);
  int in_reach = 0;
  for (const auto& [id, reach] : expected) {
    if (!reach) continue;
    ++in_reach;
    EXPECT_TRUE(got.count(id)) << "clinician " << id << " is in reach but not in the pool";
  }
  EXPECT_GT(in_reach, 20);
  EXPECT_LT(got.size(), expected.size() / 2) << "the box should leave most far clinicians out";
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return BackendName(info.param); });

TEST(OpenDatabaseTest, UnknownSchemeIsInvalidArgument) {
  auto db = OpenDatabase("mysql://localhost/x");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
}

TEST(OpenDatabaseTest, UnreachablePostgresIsUnavailable) {
  auto db = OpenDatabase("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
}

TEST(RowTest, IntAndTextConvert) {
  Row r({Value(std::string("123")), Value(int64_t{7}), Null(), Value(std::string("t")), Value(std::string("x"))});
  EXPECT_EQ(r.Int(0), 123);
  EXPECT_EQ(r.Text(1), "7");
  EXPECT_EQ(r.Int(2), 0);
  EXPECT_TRUE(r.Bool(3));
  EXPECT_EQ(r.Int(4), 0);
}

}  // namespace
}  // namespace openmso::storage
