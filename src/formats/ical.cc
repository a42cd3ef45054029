// iCalendar (RFC 5545) shift feeds: TEXT escaping, line folding, VTIMEZONE components from
// tzdata, and the VCALENDAR writer. See ../shared/domain/fhir-and-calendar.md part B.
#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cstdio>

#include "formats/formats.h"
#include "formats/internal.h"

namespace openmso::formats {
namespace {

using std::chrono::seconds;

const date::time_zone* FindZone(std::string_view zone) {
  if (!IsValidTimeZone(zone)) return nullptr;
  return date::locate_zone(std::string(zone));
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// "20251102T000000Z" (seconds; milliseconds dropped).
std::string UtcStamp(Instant t) {
  return date::format("%Y%m%dT%H%M%SZ", std::chrono::floor<seconds>(t));
}

std::string LocalStamp(date::local_seconds t) { return date::format("%Y%m%dT%H%M%S", t); }

// "-0500", or "-055036" for an offset with seconds (local mean time).
std::string Offset(seconds off) {
  long long s = off.count();
  char sign = s < 0 ? '-' : '+';
  if (s < 0) s = -s;
  char buf[48];
  if (s % 60 != 0)
    std::snprintf(buf, sizeof buf, "%c%02lld%02lld%02lld", sign, s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%c%02lld%02lld", sign, s / 3600, (s / 60) % 60);
  return buf;
}

std::string Duration(std::chrono::minutes m) {
  long long total = m.count();
  std::string out = "PT";
  if (total >= 60) out += std::to_string(total / 60) + "H";
  if (total % 60 != 0 || total < 60) out += std::to_string(total % 60) + "M";
  return out;
}

std::string_view StatusName(EventStatus s) {
  switch (s) {
    case EventStatus::kConfirmed: return "CONFIRMED";
    case EventStatus::kTentative: return "TENTATIVE";
    case EventStatus::kCancelled: return "CANCELLED";
  }
  return "CONFIRMED";
}

class Lines {
 public:
  void Add(std::string_view name, std::string_view value) {
    std::string line(name);
    line += ':';
    line += value;
    out_ += FoldICalLine(line);
  }
  void Text(std::string_view name, std::string_view value) { Add(name, EscapeICalText(value)); }
  void Raw(const std::string& folded) { out_ += folded; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

bool HasControl(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  return false;
}

}  // namespace

std::string EscapeICalText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp = internal::NextCodePoint(text, i);
    switch (cp) {  // ICAL-TEXT (RFC 5545 §3.3.11)
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\r':
        if (i < text.size() && text[i] == '\n') ++i;
        out += "\\n";
        break;
      case '\n': out += "\\n"; break;
      case '\t': out += '\t'; break;
      default:
        if (cp < 0x20 || cp == 0x7F) break;  // other control characters are not allowed
        AppendUtf8(out, cp);
    }
  }
  return out;
}

std::string FoldICalLine(std::string_view line) {
  // ICAL-FOLD (RFC 5545 §3.1): at most 75 octets per physical line, CRLF, continuation lines
  // begin with one space; never between the bytes of one UTF-8 character.
  std::string out;
  size_t pos = 0;
  bool first = true;
  for (;;) {
    const size_t room = first ? 75 : 74;
    if (line.size() - pos <= room) {
      if (!first) out += ' ';
      out += line.substr(pos);
      out += "\r\n";
      return out;
    }
    size_t cut = pos + room;
    while (cut > pos + 1 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    if (!first) out += ' ';
    out += line.substr(pos, cut - pos);
    out += "\r\n";
    pos = cut;
    first = false;
  }
}

Result<std::string> VTimezone(std::string_view zone, Instant from, Instant to) {
  const date::time_zone* z = FindZone(zone);
  if (!z) return Error::Invalid("time_zone", "unknown", "Unknown IANA time zone.");
  // ICAL-VTIMEZONE: every transition of the zone in [from, to], each as a one-time
  // observance (DTSTART in the offset before the onset, no RRULE), plus the observance in
  // force at `from`. Exact for any years, unlike a single current-rules RRULE.
  Lines lines;
  lines.Add("BEGIN", "VTIMEZONE");
  lines.Text("TZID", zone);
  auto emit = [&](const date::sys_info& info) {
    const bool daylight = info.save != std::chrono::minutes(0);
    seconds before = info.offset;
    std::string start = "19000101T000000";
    if (info.begin > date::sys_days(date::year(1900) / 1 / 1)) {
      before = z->get_info(info.begin - seconds(1)).offset;
      start = LocalStamp(date::local_seconds((info.begin + before).time_since_epoch()));
    }
    const char* kind = daylight ? "DAYLIGHT" : "STANDARD";
    lines.Add("BEGIN", kind);
    lines.Add("TZOFFSETFROM", Offset(before));
    lines.Add("TZOFFSETTO", Offset(info.offset));
    if (!info.abbrev.empty()) lines.Text("TZNAME", info.abbrev);
    lines.Add("DTSTART", start);
    lines.Add("END", kind);
  };
  auto t = std::chrono::floor<seconds>(from);
  const auto end = std::chrono::floor<seconds>(to);
  date::sys_info info = z->get_info(t);
  emit(info);
  while (info.end <= end) {
    info = z->get_info(info.end);
    emit(info);
  }
  lines.Add("END", "VTIMEZONE");
  return lines.Take();
}

Result<std::string> WriteICalendar(const Calendar& cal) {
  // Check every event first, and gather the span each zone must cover.
  struct Span { Instant from, to; };
  std::vector<std::pair<std::string, Span>> zones;  // in order of first use
  for (size_t i = 0; i < cal.events.size(); ++i) {
    const CalendarEvent& e = cal.events[i];
    const std::string at = "events[" + std::to_string(i) + "].";
    if (e.uid.empty()) return Error::Invalid(at + "uid", "required", "Every event needs a UID.");
    if (HasControl(e.uid) || e.uid.size() > 255) return Error::Invalid(at + "uid", "invalid", "A UID is one line of at most 255 octets.");
    if (e.end <= e.start) return Error::Invalid(at + "end", "not_after_start", "An event ends after it starts.");
    if (e.sequence < 0) return Error::Invalid(at + "sequence", "negative", "SEQUENCE is 0 or more.");
    if (HasControl(e.url) || e.url.find(' ') != std::string::npos)
      return Error::Invalid(at + "url", "invalid", "A URL has no spaces or control characters.");
    if (e.time_zone.empty()) continue;
    if (!FindZone(e.time_zone)) return Error::Invalid(at + "time_zone", "unknown", "Unknown IANA time zone.");
    auto it = std::find_if(zones.begin(), zones.end(), [&](const auto& z) { return z.first == e.time_zone; });
    if (it == zones.end()) zones.push_back({e.time_zone, {e.start, e.end}});
    else it->second = {std::min(it->second.from, e.start), std::max(it->second.to, e.end)};
  }
  if (cal.refresh_interval && cal.refresh_interval->count() <= 0)
    return Error::Invalid("refresh_interval", "not_positive", "The refresh interval is positive.");

  Lines out;
  out.Add("BEGIN", "VCALENDAR");
  out.Add("VERSION", "2.0");
  out.Text("PRODID", cal.product_id.empty() ? "-//OpenMSO//Shift Feed 1.0//EN" : cal.product_id);
  out.Add("CALSCALE", "GREGORIAN");
  out.Add("METHOD", "PUBLISH");
  if (!cal.name.empty()) {
    out.Text("NAME", cal.name);
    out.Text("X-WR-CALNAME", cal.name);
  }
  if (cal.refresh_interval) {
    out.Add("REFRESH-INTERVAL;VALUE=DURATION", Duration(*cal.refresh_interval));
    out.Add("X-PUBLISHED-TTL", Duration(*cal.refresh_interval));
  }
  const auto week = std::chrono::hours(24 * 7);
  for (const auto& [zone, span] : zones) {
    OPENMSO_ASSIGN_OR_RETURN(std::string vtz, VTimezone(zone, span.from - week, span.to + week));
    out.Raw(vtz);
  }
  const std::string stamp = UtcStamp(cal.generated_at);
  for (const CalendarEvent& e : cal.events) {
    out.Add("BEGIN", "VEVENT");
    out.Text("UID", e.uid);
    out.Add("DTSTAMP", stamp);
    out.Add("SEQUENCE", std::to_string(e.sequence));
    const date::time_zone* z = e.time_zone.empty() ? nullptr : FindZone(e.time_zone);
    const auto start = std::chrono::floor<seconds>(e.start), end = std::chrono::floor<seconds>(e.end);
    // A local time in the repeated hour of a fall-back means its first occurrence (RFC 5545
    // §3.3.5); an instant in the second one is written in UTC, and so is its partner.
    auto local_exact = [&](date::sys_seconds t) {
      return z->to_sys(z->to_local(t), date::choose::earliest) == t;
    };
    if (z && local_exact(start) && local_exact(end)) {
      const std::string param = ";TZID=" + e.time_zone;
      out.Add("DTSTART" + param, LocalStamp(z->to_local(start)));
      out.Add("DTEND" + param, LocalStamp(z->to_local(end)));
    } else {
      out.Add("DTSTART", UtcStamp(e.start));
      out.Add("DTEND", UtcStamp(e.end));
    }
    if (!e.summary.empty()) out.Text("SUMMARY", e.summary);
    if (!e.location.empty()) out.Text("LOCATION", e.location);
    if (!e.description.empty()) out.Text("DESCRIPTION", e.description);
    if (!e.url.empty()) out.Add("URL", e.url);
    out.Add("STATUS", StatusName(e.status));
    out.Add("TRANSP", e.status == EventStatus::kCancelled ? "TRANSPARENT" : "OPAQUE");
    if (e.last_modified) out.Add("LAST-MODIFIED", UtcStamp(*e.last_modified));
    out.Add("END", "VEVENT");
  }
  out.Add("END", "VCALENDAR");
  return out.Take();
}

}  // namespace openmso::formats
