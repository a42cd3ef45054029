// Formatting, parsing and zone conversion for the time vocabulary, on date/tz.
#include "core/time.h"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>

namespace openmso {
namespace {

bool ParseDigits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

const date::time_zone* FindZone(std::string_view zone) {
  if (zone.empty() || zone.size() > 64) return nullptr;
  try {
    return date::locate_zone(std::string(zone));
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

std::string Date::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, month, day);
  return buf;
}

std::optional<Date> Date::Parse(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!ParseDigits(s, 0, 4, y) || !ParseDigits(s, 5, 2, m) || !ParseDigits(s, 8, 2, d))
    return std::nullopt;
  date::year_month_day ymd{date::year(y), date::month(m), date::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return Date{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
}

int64_t Date::DaysSinceEpoch() const {
  return date::sys_days(date::year_month_day{date::year(year), date::month(month), date::day(day)})
      .time_since_epoch()
      .count();
}

Date Date::FromDaysSinceEpoch(int64_t days) {
  date::year_month_day ymd{date::sys_days(date::days(days))};
  return Date{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
              static_cast<unsigned>(ymd.day())};
}

std::string LocalDateTime::ToString() const {
  char buf[24];
  std::snprintf(buf, sizeof buf, "T%02d:%02d", minutes_of_day / 60, minutes_of_day % 60);
  return date.ToString() + buf;
}

std::optional<LocalDateTime> LocalDateTime::Parse(std::string_view s) {
  // "YYYY-MM-DDTHH:MM" with optional ":SS" (seconds must be 00).
  if (s.size() != 16 && s.size() != 19) return std::nullopt;
  auto d = Date::Parse(s.substr(0, 10));
  int h, mi, sec = 0;
  if (!d || s[10] != 'T' || s[13] != ':' || !ParseDigits(s, 11, 2, h) || !ParseDigits(s, 14, 2, mi))
    return std::nullopt;
  if (s.size() == 19 && (s[16] != ':' || !ParseDigits(s, 17, 2, sec) || sec != 0)) return std::nullopt;
  if (h > 23 || mi > 59) return std::nullopt;
  return LocalDateTime{*d, h * 60 + mi};
}

std::string FormatInstant(Instant t) {
  auto ms = t.time_since_epoch().count() % 1000;
  if (ms < 0) ms += 1000;
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(t);
  if (secs > t) secs -= std::chrono::seconds(1);
  std::string out = date::format("%Y-%m-%dT%H:%M:%S", secs);
  if (ms != 0) {
    char buf[8];
    std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(ms));
    out += buf;
  }
  return out + "Z";
}

std::optional<Instant> ParseInstant(std::string_view s) {
  if (s.size() < 20) return std::nullopt;
  auto d = Date::Parse(s.substr(0, 10));
  int h, mi, sec;
  if (!d || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' ||
      !ParseDigits(s, 11, 2, h) || !ParseDigits(s, 14, 2, mi) || !ParseDigits(s, 17, 2, sec))
    return std::nullopt;
  if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
  size_t pos = 19;
  int ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start || pos - start > 9) return std::nullopt;
    std::string frac(s.substr(start, pos - start));
    frac.resize(3, '0');
    ms = std::stoi(frac.substr(0, 3));
  }
  int offset_min = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (pos + 6 != s.size() || s[pos + 3] != ':' || !ParseDigits(s, pos + 1, 2, oh) ||
        !ParseDigits(s, pos + 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  int64_t days = d->DaysSinceEpoch();
  int64_t total_ms = ((days * 86400) + h * 3600 + mi * 60 + sec - offset_min * 60) * 1000 + ms;
  // Years 0000-9999 in UTC only: an offset can push the instant outside them, and
  // FormatInstant would then print a year that ParseInstant rejects (found by fuzz_time).
  constexpr int64_t kMinMs = -62167219200000, kMaxMs = 253402300799999;  // 0000-01-01, 9999-12-31T23:59:59.999
  if (total_ms < kMinMs || total_ms > kMaxMs) return std::nullopt;
  return FromUnixMillis(total_ms);
}

bool IsValidTimeZone(std::string_view zone) { return FindZone(zone) != nullptr; }

Result<Instant> ToInstant(const LocalDateTime& local, std::string_view zone) {
  const date::time_zone* tz = FindZone(zone);
  if (!tz) return Error::Invalid("time_zone", "invalid_time_zone", "Unknown IANA time zone.");
  date::local_seconds ls{date::local_days(date::days(local.date.DaysSinceEpoch())) +
                         std::chrono::minutes(local.minutes_of_day)};
  auto info = tz->get_info(ls);
  if (info.result == date::local_info::nonexistent)
    return Error::Invalid("local_time", "nonexistent_local_time",
                          "That local time does not exist in the zone (daylight-saving gap).");
  auto sys = ls.time_since_epoch() - info.first.offset;
  return Instant(std::chrono::duration_cast<std::chrono::milliseconds>(sys));
}

LocalDateTime ToLocal(Instant t, std::string_view zone) {
  const date::time_zone* tz = FindZone(zone);
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  auto local = tz->to_local(secs);
  auto day = date::floor<date::days>(local);
  auto mins = std::chrono::duration_cast<std::chrono::minutes>(local - day).count();
  return LocalDateTime{Date::FromDaysSinceEpoch(day.time_since_epoch().count()),
                       static_cast<int>(mins)};
}

}  // namespace openmso
