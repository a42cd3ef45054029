// Instants (UTC, millisecond precision), calendar dates, local times in an IANA zone,
// and the Clock interface with a real and a fake implementation.
// Time zones use Howard Hinnant's date/tz over the system tz database (GCC 12's
// libstdc++ has no std::chrono::tzdb); std::chrono names are always qualified.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace openmso {

using Instant = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

inline int64_t ToUnixMillis(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromUnixMillis(int64_t ms) { return Instant(std::chrono::milliseconds(ms)); }

// "2026-11-29T23:44:31.250Z" (milliseconds only when non-zero).
std::string FormatInstant(Instant t);
// Parses RFC 3339 with 'Z' or a numeric offset ("2026-03-08T02:30:00-05:00").
std::optional<Instant> ParseInstant(std::string_view text);

// A calendar date without a zone: "2026-11-29".
struct Date {
  int year = 1970;
  unsigned month = 1;
  unsigned day = 1;
  auto operator<=>(const Date&) const = default;
  std::string ToString() const;
  static std::optional<Date> Parse(std::string_view text);  // strict YYYY-MM-DD, real dates only
  int64_t DaysSinceEpoch() const;
  static Date FromDaysSinceEpoch(int64_t days);
};

// A wall-clock time in a named IANA zone, as entered by a facility ("2026-03-08T07:00"
// in "America/Chicago").
struct LocalDateTime {
  Date date;
  int minutes_of_day = 0;  // 0..1439
  std::string ToString() const;  // "2026-03-08T07:00"
  static std::optional<LocalDateTime> Parse(std::string_view text);
};

// True when `zone` names a zone in the system tz database.
bool IsValidTimeZone(std::string_view zone);

// The instant of a local time in `zone`. A time that does not exist (spring-forward gap)
// is an kInvalidArgument error; an ambiguous time (fall-back) resolves to the earlier
// instant. Errors: kInvalidArgument for an unknown zone.
Result<Instant> ToInstant(const LocalDateTime& local, std::string_view zone);
// The wall-clock time of `t` in `zone`. REQUIRES: IsValidTimeZone(zone).
LocalDateTime ToLocal(Instant t, std::string_view zone);

// Source of the current instant. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant Now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }
};

// A clock that tests move by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant start) : now_(start) {}
  Instant Now() const override { std::lock_guard l(mu_); return now_; }
  void Advance(std::chrono::milliseconds d) { std::lock_guard l(mu_); now_ += d; }
  void Set(Instant t) { std::lock_guard l(mu_); now_ = t; }

 private:
  mutable std::mutex mu_;
  Instant now_;
};

}  // namespace openmso
