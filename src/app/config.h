// Configuration: a closed schema of keys with defaults, read from an optional file
// (key = value lines) and then from OPENMSO_<KEY> environment variables, which win.
// An unknown key in either place is a start-up error.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/core.h"

namespace openmso::app {

struct Config {
  std::string database_url = "sqlite:var/openmso.db";  // sqlite:PATH or postgresql://...
  std::string bind = "127.0.0.1";                      // listen address
  int port = 8080;                                     // TCP port; 0 = any free port
  std::string static_dir = "web/dist";                 // built web UI ("" = none)
  std::string data_dir = "var/data";                   // uploaded documents
  int io_threads = 2;                                  // network threads
  int worker_threads = 4;                              // database/handler threads
  int db_pool_size = 8;                                // connections (readers for SQLite)
  int64_t body_limit_bytes = 1048576;                  // larger bodies get 413
  int header_timeout_seconds = 10;                     // to receive a request's headers
  int idle_timeout_seconds = 60;                       // keep-alive idle connections
  int shutdown_grace_seconds = 20;                     // in-flight requests on SIGTERM
  int session_idle_minutes = 15;                       // HIPAA automatic log-off
  int session_absolute_hours = 12;                     // sessions end after this regardless
  int login_max_failures = 5;                          // failures before a lockout
  int login_lockout_minutes = 15;                      // lockout length
  int login_attempts_per_ip_per_minute = 30;           // per client address
  int jobs_interval_seconds = 60;                      // background jobs (auto-approval...); 0 = off
  int hash_concurrency = 2;                            // argon2id hashes at once (64 MiB each)
  bool trust_proxy = false;                            // honour X-Forwarded-For/-Proto
  std::string log_level = "info";                      // debug, info, warn, error
  std::string tls_cert_file;                           // PEM (direct TLS; see docs/operations.md)
  std::string tls_key_file;                            // PEM
  // Notifications (docs/notifications.md). Email: smtp://host:port or smtps://... (user and
  // password may be in the URL), file:PATH (development: an mbox-style log), or none.
  std::string notify_email_url = "file:var/outbox.log";
  // SMS: an http(s):// webhook receiving a JSON POST {to, text, reference}, file:PATH, or none.
  std::string notify_sms_url = "file:var/outbox.log";
  std::string notify_from = "OpenMSO <noreply@localhost>";  // the From of every email
  std::string notify_sms_token;                        // Bearer token for the SMS webhook ("" = none)
  int notify_max_attempts = 8;                         // attempts before a message is dead
  int notify_backoff_seconds = 60;                     // first retry wait; doubles, at most 6 h
  std::string public_url = "http://localhost:8080";    // this server as users reach it (links in messages)
};

// Every key of the schema, as written in files (lower case) and env (OPENMSO_ + upper).
std::vector<std::string> ConfigKeys();

// Applies `key`=`value` to `c`. Errors: kInvalidArgument naming the key for an unknown
// key or a malformed value.
Result<void> ApplySetting(Config& c, const std::string& key, const std::string& value);

// Loads defaults, then `file` (when not empty), then the environment. Environment names
// starting with OPENMSO_TEST_ are reserved for the test harness and ignored, as is
// OPENMSO_CONFIG (the file path) and OPENMSO_BIN.
Result<Config> LoadConfig(const std::string& file, char** envp);

}  // namespace openmso::app
