// Line-oriented JSON logging to stderr with minimal escaping.
#include "core/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "core/time.h"

namespace openmso::log {
namespace {
std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_mu;

void AppendEscaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
}
}  // namespace

void SetLevel(Level level) { g_level = static_cast<int>(level); }

bool ParseLevel(std::string_view t, Level& out) {
  if (t == "debug") out = Level::kDebug;
  else if (t == "info") out = Level::kInfo;
  else if (t == "warn") out = Level::kWarn;
  else if (t == "error") out = Level::kError;
  else return false;
  return true;
}

void Write(Level level, std::string_view msg,
           std::initializer_list<std::pair<std::string_view, std::string>> fields) {
  if (static_cast<int>(level) < g_level) return;
  static constexpr const char* kNames[] = {"debug", "info", "warn", "error"};
  std::string line = "{\"ts\":\"" + FormatInstant(SystemClock().Now()) + "\",\"level\":\"" +
                     kNames[static_cast<int>(level)] + "\",\"msg\":\"";
  AppendEscaped(line, msg);
  line += '"';
  for (auto& [k, v] : fields) {
    line += ",\"";
    AppendEscaped(line, k);
    line += "\":\"";
    AppendEscaped(line, v);
    line += '"';
  }
  line += "}\n";
  std::lock_guard l(g_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace openmso::log
