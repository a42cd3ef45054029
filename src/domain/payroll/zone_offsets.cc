// The per-thread cache of time-zone offsets used by the payroll engine (see zone_offsets.h).
// date/tz is consulted once per transition (about twice a year per zone) and per new zone.
#include "domain/payroll/zone_offsets.h"

#include <date/tz.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

namespace openmso::payroll::internal {
namespace {

constexpr int64_t kDay = 1440;
constexpr int64_t kMargin = 400 * kDay;            // covered around a miss
constexpr int64_t kMaxSpan = 200LL * 366 * kDay;   // beyond this the table restarts

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

void ZoneOffsets::Cover(int64_t lo, int64_t hi) {
  if (hi_ > lo_ && std::max(hi, hi_) - std::min(lo, lo_) <= kMaxSpan) {
    lo = std::min(lo, lo_);
    hi = std::max(hi, hi_);
  }
  begin_.clear();
  offset_.clear();
  hint_ = 0;
  int64_t t = lo;
  while (t < hi) {
    auto info = tz_->get_info(date::sys_seconds(std::chrono::seconds(t * 60)));
    int off = static_cast<int>(FloorDiv(info.offset.count(), 60));
    int64_t end = FloorDiv(info.end.time_since_epoch().count(), 60);
    if (end <= t) end = hi;  // defensive: the table never goes backwards
    if (offset_.empty() || offset_.back() != off) {
      begin_.push_back(t);
      offset_.push_back(off);
    }
    t = end;
  }
  lo_ = lo;
  hi_ = hi;
}

size_t ZoneOffsets::IndexOf(int64_t utc) const {
  auto it = std::upper_bound(begin_.begin(), begin_.end(), utc);
  return static_cast<size_t>(it - begin_.begin()) - 1;
}

int ZoneOffsets::OffsetAt(int64_t utc) {
  // Fast path: the segment of the previous lookup (a pay period rarely crosses a transition).
  if (hint_ < begin_.size() && utc >= begin_[hint_] && utc < SegmentEnd(hint_)) return offset_[hint_];
  if (utc < lo_ || utc >= hi_) Cover(utc - kMargin, utc + kMargin);
  hint_ = IndexOf(utc);
  return offset_[hint_];
}

int64_t ZoneOffsets::SegmentEnd(size_t k) const { return k + 1 < begin_.size() ? begin_[k + 1] : hi_; }

int64_t ZoneOffsets::LocalToUtc(int64_t local) {
  // Fast path: well inside the hinted segment (a day from either end) the local time is
  // neither skipped nor repeated, so its one instant is local - offset.
  if (hint_ < begin_.size()) {
    int64_t u = local - offset_[hint_];
    if (u - kDay >= begin_[hint_] && u + kDay < SegmentEnd(hint_)) return u;
  }
  // Offsets lie within +-24 h, so every candidate instant is in [local - 1 day, local + 1 day].
  int64_t a = local - kDay, b = local + kDay;
  if (a < lo_ || b >= hi_) Cover(a - kMargin, b + kMargin);
  size_t i = IndexOf(a), j = IndexOf(b);
  for (size_t k = i; k <= j; ++k) {
    int64_t u = local - offset_[k];
    if (u >= begin_[k] && u < SegmentEnd(k)) {
      hint_ = k;
      return u;  // the first segment gives the earliest instant
    }
  }
  // A gap: the local time is skipped; the transition whose new offset jumps past it.
  for (size_t k = i + 1; k <= j; ++k)
    if (local - offset_[k] < begin_[k] && local - offset_[k - 1] >= begin_[k]) return begin_[k];
  return local - offset_[i];  // unreachable with real tz data
}

ZoneOffsets* FindZoneOffsets(std::string_view zone) {
  // A handful of zones per process in practice; a linear scan beats hashing at that size.
  thread_local std::vector<std::pair<std::string, std::unique_ptr<ZoneOffsets>>> cache;
  thread_local size_t last = 0;
  if (last < cache.size() && cache[last].first == zone) return cache[last].second.get();
  for (size_t i = 0; i < cache.size(); ++i) {
    if (cache[i].first == zone) {
      last = i;
      return cache[i].second.get();
    }
  }
  if (zone.empty() || zone.size() > 64) return nullptr;
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(std::string(zone));
  } catch (const std::exception&) {
    return nullptr;
  }
  cache.emplace_back(std::string(zone), std::make_unique<ZoneOffsets>(tz));
  last = cache.size() - 1;
  return cache.back().second.get();
}

}  // namespace openmso::payroll::internal
