// Tests of the closed configuration schema: defaults, file, environment, unknown keys.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "app/config.h"

namespace openmso::app {
namespace {

TEST(Config, DefaultsAndEnvironment) {
  std::string a = "OPENMSO_PORT=9090", b = "OPENMSO_DATABASE_URL=sqlite:/tmp/x.db", t = "OPENMSO_TEST_PG_URL=whatever",
              o = "PATH=/bin";
  char* env[] = {a.data(), b.data(), t.data(), o.data(), nullptr};
  auto c = LoadConfig("", env);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->port, 9090);
  EXPECT_EQ(c->database_url, "sqlite:/tmp/x.db");
  EXPECT_EQ(c->session_idle_minutes, 15);
}

TEST(Config, UnknownKeysAreErrors) {
  std::string a = "OPENMSO_PROT=9090";
  char* env[] = {a.data(), nullptr};
  auto c = LoadConfig("", env);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("OPENMSO_PROT"), std::string::npos);
}

TEST(Config, BadValuesAreErrors) {
  struct Row { const char* kv; } rows[] = {{"OPENMSO_PORT=70000"}, {"OPENMSO_PORT=abc"}, {"OPENMSO_TRUST_PROXY=maybe"},
                                           {"OPENMSO_LOG_LEVEL=loud"}, {"OPENMSO_IO_THREADS=0"}};
  for (const auto& r : rows) {
    std::string kv = r.kv;
    char* env[] = {kv.data(), nullptr};
    EXPECT_FALSE(LoadConfig("", env).ok()) << "row " << r.kv;
  }
}

TEST(Config, NotificationKeys) {
  char* none[] = {nullptr};
  auto d = LoadConfig("", none);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->notify_email_url, "file:var/outbox.log");
  EXPECT_EQ(d->notify_max_attempts, 8);
  struct Row { std::string kv; bool ok; } rows[] = {
      {"OPENMSO_NOTIFY_EMAIL_URL=smtp://127.0.0.1:2525", true}, {"OPENMSO_NOTIFY_EMAIL_URL=file:/tmp/mail.log", true},
      {"OPENMSO_NOTIFY_EMAIL_URL=none", true},                  {"OPENMSO_NOTIFY_EMAIL_URL=http://x", false},
      {"OPENMSO_NOTIFY_EMAIL_URL=smtp://", false},              {"OPENMSO_NOTIFY_SMS_URL=https://sms.example/hook", true},
      {"OPENMSO_NOTIFY_SMS_URL=smtp://x", false},               {"OPENMSO_NOTIFY_FROM=OpenMSO <noreply@mso.example>", true},
      {"OPENMSO_NOTIFY_FROM=nobody", false},                    {"OPENMSO_NOTIFY_MAX_ATTEMPTS=0", false},
      {"OPENMSO_NOTIFY_BACKOFF_SECONDS=1", true},               {"OPENMSO_PUBLIC_URL=https://mso.example", true},
      {"OPENMSO_PUBLIC_URL=mso.example", false}};
  for (auto& r : rows) {
    char* env[] = {r.kv.data(), nullptr};
    EXPECT_EQ(LoadConfig("", env).ok(), r.ok) << "row " << r.kv;
  }
}

TEST(Config, FileThenEnvironment) {
  std::string path = ::testing::TempDir() + "/openmso_test.conf";
  {
    std::ofstream f(path);
    f << "# comment\nport = 7000\nbind = 0.0.0.0\n";
  }
  std::string a = "OPENMSO_PORT=7001";
  char* env[] = {a.data(), nullptr};
  auto c = LoadConfig(path, env);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->port, 7001);
  EXPECT_EQ(c->bind, "0.0.0.0");
  {
    std::ofstream f(path);
    f << "port = 7000\ncolour = blue\n";
  }
  char* none[] = {nullptr};
  auto bad = LoadConfig(path, none);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find(":2:"), std::string::npos);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace openmso::app
