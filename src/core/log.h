// A tiny structured logger: one JSON object per line on stderr. Callers must never pass
// personal data (names, emails, DOB, addresses, tokens); log ids and codes instead.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace openmso::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void SetLevel(Level level);
bool ParseLevel(std::string_view text, Level& out);
// Writes {"ts":..., "level":..., "msg":..., k: v...}. Thread-safe.
void Write(Level level, std::string_view msg,
           std::initializer_list<std::pair<std::string_view, std::string>> fields = {});

inline void Info(std::string_view m, std::initializer_list<std::pair<std::string_view, std::string>> f = {}) { Write(Level::kInfo, m, f); }
inline void Warn(std::string_view m, std::initializer_list<std::pair<std::string_view, std::string>> f = {}) { Write(Level::kWarn, m, f); }
inline void Error(std::string_view m, std::initializer_list<std::pair<std::string_view, std::string>> f = {}) { Write(Level::kError, m, f); }

}  // namespace openmso::log
