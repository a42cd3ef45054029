// The closed configuration schema and its loaders (file, then environment).
#include "app/config.h"

#include <charconv>
#include <fstream>
#include <functional>

namespace openmso::app {
namespace {

using Setter = std::function<Result<void>(Config&, const std::string&)>;

Result<void> Bad(const std::string& key, const std::string& why) {
  return Error::Invalid(key, "invalid_value", "Configuration " + key + ": " + why);
}

template <typename T>
Setter Int(T Config::*field, int64_t min, int64_t max, std::string key) {
  return [=](Config& c, const std::string& v) -> Result<void> {
    int64_t x = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc() || p != v.data() + v.size() || x < min || x > max)
      return Bad(key, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
    c.*field = static_cast<T>(x);
    return Ok();
  };
}

Setter Str(std::string Config::*field) {
  return [=](Config& c, const std::string& v) -> Result<void> {
    c.*field = v;
    return Ok();
  };
}

// A URL that must start with one of `schemes` ("none" matches only exactly).
Setter Url(std::string Config::*field, std::string key, std::vector<std::string> schemes) {
  return [=](Config& c, const std::string& v) -> Result<void> {
    for (const auto& p : schemes) {
      bool exact = p == "none";
      if ((exact && v == p) || (!exact && v.size() > p.size() && v.compare(0, p.size(), p) == 0)) {
        c.*field = v;
        return Ok();
      }
    }
    std::string list;
    for (const auto& p : schemes) list += (list.empty() ? "" : ", ") + p;
    return Bad(key, "expected a URL starting with one of: " + list);
  };
}

const std::map<std::string, Setter>& Schema() {
  static const std::map<std::string, Setter> s = {
      {"database_url", Str(&Config::database_url)},
      {"bind", Str(&Config::bind)},
      {"port", Int(&Config::port, 0, 65535, "port")},
      {"static_dir", Str(&Config::static_dir)},
      {"data_dir", Str(&Config::data_dir)},
      {"io_threads", Int(&Config::io_threads, 1, 64, "io_threads")},
      {"worker_threads", Int(&Config::worker_threads, 1, 256, "worker_threads")},
      {"db_pool_size", Int(&Config::db_pool_size, 1, 256, "db_pool_size")},
      {"body_limit_bytes", Int(&Config::body_limit_bytes, 1024, int64_t{1} << 30, "body_limit_bytes")},
      {"header_timeout_seconds", Int(&Config::header_timeout_seconds, 1, 3600, "header_timeout_seconds")},
      {"idle_timeout_seconds", Int(&Config::idle_timeout_seconds, 1, 3600, "idle_timeout_seconds")},
      {"shutdown_grace_seconds", Int(&Config::shutdown_grace_seconds, 0, 3600, "shutdown_grace_seconds")},
      {"session_idle_minutes", Int(&Config::session_idle_minutes, 1, 24 * 60, "session_idle_minutes")},
      {"session_absolute_hours", Int(&Config::session_absolute_hours, 1, 24 * 30, "session_absolute_hours")},
      {"login_max_failures", Int(&Config::login_max_failures, 1, 1000, "login_max_failures")},
      {"login_lockout_minutes", Int(&Config::login_lockout_minutes, 1, 24 * 60, "login_lockout_minutes")},
      {"login_attempts_per_ip_per_minute", Int(&Config::login_attempts_per_ip_per_minute, 1, 100000, "login_attempts_per_ip_per_minute")},
      {"jobs_interval_seconds", Int(&Config::jobs_interval_seconds, 0, 86400, "jobs_interval_seconds")},
      {"hash_concurrency", Int(&Config::hash_concurrency, 1, 64, "hash_concurrency")},
      {"trust_proxy", [](Config& c, const std::string& v) -> Result<void> {
         if (v == "true" || v == "1") c.trust_proxy = true;
         else if (v == "false" || v == "0") c.trust_proxy = false;
         else return Bad("trust_proxy", "expected true or false");
         return Ok();
       }},
      {"log_level", [](Config& c, const std::string& v) -> Result<void> {
         log::Level l;
         if (!log::ParseLevel(v, l)) return Bad("log_level", "expected debug, info, warn or error");
         c.log_level = v;
         return Ok();
       }},
      {"tls_cert_file", Str(&Config::tls_cert_file)},
      {"tls_key_file", Str(&Config::tls_key_file)},
      {"notify_email_url", Url(&Config::notify_email_url, "notify_email_url", {"smtp://", "smtps://", "file:", "none"})},
      {"notify_sms_url", Url(&Config::notify_sms_url, "notify_sms_url", {"http://", "https://", "file:", "none"})},
      {"notify_from", [](Config& c, const std::string& v) -> Result<void> {
         auto lt = v.rfind('<');
         std::string addr = lt == std::string::npos ? v : v.substr(lt + 1, v.find('>', lt) - lt - 1);
         if (addr.find('@') == std::string::npos || v.find_first_of("\r\n") != std::string::npos)
           return Bad("notify_from", "expected an address, optionally with a name: OpenMSO <noreply@example.org>");
         c.notify_from = v;
         return Ok();
       }},
      {"notify_sms_token", Str(&Config::notify_sms_token)},
      {"notify_max_attempts", Int(&Config::notify_max_attempts, 1, 100, "notify_max_attempts")},
      {"notify_backoff_seconds", Int(&Config::notify_backoff_seconds, 1, 86400, "notify_backoff_seconds")},
      {"public_url", Url(&Config::public_url, "public_url", {"http://", "https://"})},
  };
  return s;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

}  // namespace

std::vector<std::string> ConfigKeys() {
  std::vector<std::string> keys;
  for (const auto& [k, v] : Schema()) keys.push_back(k);
  return keys;
}

Result<void> ApplySetting(Config& c, const std::string& key, const std::string& value) {
  auto it = Schema().find(key);
  if (it == Schema().end())
    return Error::Invalid(key, "unknown_field", "Unknown configuration key '" + key + "'.");
  return it->second(c, value);
}

Result<Config> LoadConfig(const std::string& file, char** envp) {
  Config c;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return Error::Invalid("config", "not_found", "Cannot read configuration file " + file + ".");
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      line = Trim(line);
      if (line.empty() || line[0] == '#') continue;
      auto eq = line.find('=');
      if (eq == std::string::npos)
        return Error::Invalid("config", "syntax", file + ":" + std::to_string(n) + ": expected key = value.");
      auto r = ApplySetting(c, Trim(line.substr(0, eq)), Trim(line.substr(eq + 1)));
      if (!r.ok()) {
        Error e = r.error();
        e.message = file + ":" + std::to_string(n) + ": " + (e.fields.empty() ? e.message : e.fields[0].message);
        return e;
      }
    }
  }
  for (char** e = envp; e && *e; ++e) {
    std::string kv(*e);
    if (kv.rfind("OPENMSO_", 0) != 0) continue;
    auto eq = kv.find('=');
    std::string name = kv.substr(0, eq);
    if (name.rfind("OPENMSO_TEST_", 0) == 0 || name == "OPENMSO_CONFIG" || name == "OPENMSO_BIN") continue;
    std::string key = name.substr(8);
    for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto r = ApplySetting(c, key, eq == std::string::npos ? "" : kv.substr(eq + 1));
    if (!r.ok()) {
      Error err = r.error();
      err.message = "Environment " + name + ": " + (err.fields.empty() ? err.message : err.fields[0].message);
      return err;
    }
  }
  return c;
}

}  // namespace openmso::app
