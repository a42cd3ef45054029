// Internal to the payroll module: the UTC offsets of a time zone as a small sorted table,
// cached per thread, so that the engine's hot path converts instants to local minutes (and
// local boundaries to instants) without a tz-database lookup per shift.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace date {
class time_zone;
}

namespace openmso::payroll::internal {

// All times in whole minutes since the Unix epoch (UTC), or local minutes (UTC + offset).
class ZoneOffsets {
 public:
  explicit ZoneOffsets(const date::time_zone* tz) : tz_(tz) {}
  // The UTC offset in minutes at `utc` (seconds of historical offsets are dropped).
  int OffsetAt(int64_t utc);
  int64_t ToLocal(int64_t utc) { return utc + OffsetAt(utc); }
  // The earliest instant whose local time is `local`; a local time inside a spring-forward
  // gap maps to the transition instant, the first instant after the gap (PAY-DST-BOUNDARY).
  int64_t LocalToUtc(int64_t local);

 private:
  void Cover(int64_t lo, int64_t hi);
  size_t IndexOf(int64_t utc) const;  // REQUIRES: lo_ <= utc < hi_
  int64_t SegmentEnd(size_t k) const;

  const date::time_zone* tz_;
  std::vector<int64_t> begin_;  // segment i is [begin_[i], begin_[i+1]) (the last ends at hi_)
  std::vector<int> offset_;
  int64_t lo_ = 0, hi_ = 0;     // covered range; empty at first
  size_t hint_ = 0;             // the segment of the last lookup
};

// The thread's cached offsets of `zone`, or nullptr when the zone is not in the tz database.
// The pointer stays valid for the thread's lifetime.
ZoneOffsets* FindZoneOffsets(std::string_view zone);

}  // namespace openmso::payroll::internal
