// The in-memory candidate index (MKT-CANDIDATE-INDEX): clinicians filed, per discipline,
// under every 0.5-degree cell their travel circle reaches, coordinates inline, so that a
// posting's candidates are one list read plus an exact distance check per entry.
#include <algorithm>
#include <cmath>
#include <mutex>

#include "domain/marketplace/marketplace.h"

namespace openmso::marketplace {
namespace {

constexpr double kEarthKm = 6371.0088;  // as DistanceMeters
constexpr double kRad = 3.14159265358979323846 / 180.0;

int CellIndex(double degrees) { return static_cast<int>(std::floor(degrees / CandidateIndex::kCellDegrees)); }

double Haversine(double lat1, double lon1, double cos1, double lat2, double lon2, double cos2) {
  double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  double a = std::sin(dlat / 2), b = std::sin(dlon / 2);
  return a * a + cos1 * cos2 * b * b;
}

}  // namespace

std::vector<int64_t> CandidateIndex::CellsOf(const Slot& s) {
  std::vector<int64_t> out;
  double lat = s.lat, lon = s.lon;
  double r = s.radius_km + 0.002;  // the query's 1 m slack, and some
  double delta = r / kEarthKm;     // angular radius
  double dlat = delta / kRad;
  double lat_lo = std::max(-90.0, lat - dlat), lat_hi = std::min(90.0, lat + dlat);
  double dlon = 180.0;  // a circle around a pole reaches every longitude
  if (std::abs(lat) + dlat < 89.0) dlon = std::asin(std::min(1.0, std::sin(delta) / std::cos(lat * kRad))) / kRad;
  int lon_lo = CellIndex(lon - dlon), lon_hi = CellIndex(lon + dlon);
  if (dlon >= 180.0) lon_lo = CellIndex(-180.0), lon_hi = CellIndex(179.999);
  double cos_home = std::cos(lat * kRad);
  for (int i = CellIndex(lat_lo); i <= CellIndex(lat_hi); ++i) {
    double c_lat0 = i * kCellDegrees, c_lat1 = c_lat0 + kCellDegrees;
    double near_lat = std::clamp(lat, c_lat0, c_lat1);
    for (int j = lon_lo; j <= lon_hi; ++j) {
      double c_lon0 = j * kCellDegrees, c_lon1 = c_lon0 + kCellDegrees;
      // The cell's point nearest the home (clamping per axis is exact enough for cells this
      // small; the 5 km margin covers the difference).
      double near_lon = std::clamp(lon, c_lon0, c_lon1);
      double h = Haversine(lat, lon, cos_home, near_lat, near_lon, std::cos(near_lat * kRad));
      double d = 2 * kEarthKm * std::asin(std::min(1.0, std::sqrt(h)));
      if (d > r + 5.0) continue;
      // Longitudes wrap: file under the canonical cell of -180..180.
      int jj = j;
      int wrap = static_cast<int>(std::lround(360.0 / kCellDegrees));
      while (jj * kCellDegrees < -180.0) jj += wrap;
      while (jj * kCellDegrees >= 180.0) jj -= wrap;
      out.push_back(CellKey(i, jj));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void CandidateIndex::RemoveLocked(int64_t id) {
  auto it = slot_of_.find(id);
  if (it == slot_of_.end()) return;
  uint32_t slot = it->second;
  const Slot& s = slots_[slot];
  for (int64_t cell : CellsOf(s))
    for (int bit = 0; bit < kMaxDisciplines; ++bit) {
      if (!(s.disciplines & (uint32_t{1} << bit))) continue;
      auto c = lists_.find(ListKey(cell, bit));
      if (c == lists_.end()) continue;
      auto& v = c->second;
      v.erase(std::remove_if(v.begin(), v.end(), [&](const Entry& e) { return e.id == s.id; }), v.end());
      if (v.empty()) lists_.erase(c);
    }
  slots_[slot] = Slot{};
  free_.push_back(slot);
  slot_of_.erase(it);
}

bool CandidateIndex::Upsert(const IndexedClinician& c) {
  std::unique_lock lock(mu_);
  uint32_t mask = 0;
  for (const auto& code : c.disciplines) {
    auto it = std::find(discipline_codes_.begin(), discipline_codes_.end(), code);
    if (it == discipline_codes_.end()) {
      if (static_cast<int>(discipline_codes_.size()) >= kMaxDisciplines) return false;
      discipline_codes_.push_back(code);
      it = discipline_codes_.end() - 1;
    }
    mask |= uint32_t{1} << (it - discipline_codes_.begin());
  }
  RemoveLocked(c.id.value);
  if (!c.active || !c.home.valid() || c.travel_radius_km < 0 || mask == 0) return true;
  Slot s;
  s.id = c.id.value;
  s.lat = static_cast<float>(c.home.latitude);
  s.lon = static_cast<float>(c.home.longitude);
  s.cos_lat = static_cast<float>(std::cos(double{s.lat} * kRad));
  s.radius_km = static_cast<float>(c.travel_radius_km);
  // 1 m of slack over the radius: the float coordinates move a home by < 1 m; Evaluate
  // decides the boundary exactly.
  double half = std::sin((c.travel_radius_km + 0.001) / (2 * kEarthKm));
  s.threshold = static_cast<float>(half * half * (1 + 1e-6));
  s.disciplines = mask;
  if (slots_.empty()) slots_.emplace_back();  // slot 0 unused
  uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
    slots_[slot] = s;
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.push_back(s);
  }
  slot_of_[s.id] = slot;
  Entry entry{s.lat, s.lon, s.cos_lat, s.threshold, s.id};
  for (int64_t cell : CellsOf(s))
    for (int bit = 0; bit < kMaxDisciplines; ++bit)
      if (s.disciplines & (uint32_t{1} << bit)) lists_[ListKey(cell, bit)].push_back(entry);
  return true;
}

void CandidateIndex::Remove(ClinicianId id) {
  std::unique_lock lock(mu_);
  RemoveLocked(id.value);
}

std::vector<ClinicianId> CandidateIndex::Query(GeoPoint where, std::string_view discipline) const {
  std::shared_lock lock(mu_);
  std::vector<ClinicianId> out;
  auto d = std::find(discipline_codes_.begin(), discipline_codes_.end(), discipline);
  if (d == discipline_codes_.end() || !where.valid()) return out;
  int bit = static_cast<int>(d - discipline_codes_.begin());
  double lon = where.longitude >= 180.0 ? where.longitude - 360.0 : where.longitude;
  auto list = lists_.find(ListKey(CellKey(CellIndex(where.latitude), CellIndex(lon)), bit));
  if (list == lists_.end()) return out;
  double cos_where = std::cos(where.latitude * kRad);
  out.reserve(list->second.size());
  for (const Entry& e : list->second)
    if (Haversine(e.lat, e.lon, e.cos_lat, where.latitude, where.longitude, cos_where) <= e.threshold)
      out.push_back(ClinicianId(e.id));
  return out;
}

size_t CandidateIndex::size() const {
  std::shared_lock lock(mu_);
  return slot_of_.size();
}

size_t CandidateIndex::MemoryBytes() const {
  std::shared_lock lock(mu_);
  // libstdc++ hash nodes: next pointer + key/value (+ cached hash for int keys: none), each
  // rounded to a 16-byte malloc chunk; buckets are one pointer each.
  auto node = [](size_t payload) { return (sizeof(void*) + payload + 8 + 15) / 16 * 16; };
  size_t bytes = slots_.capacity() * sizeof(Slot) + free_.capacity() * sizeof(uint32_t);
  bytes += slot_of_.bucket_count() * sizeof(void*) + slot_of_.size() * node(sizeof(std::pair<const int64_t, uint32_t>));
  bytes += lists_.bucket_count() * sizeof(void*) +
           lists_.size() * node(sizeof(std::pair<const int64_t, std::vector<Entry>>));
  for (const auto& [key, v] : lists_) bytes += v.capacity() * sizeof(Entry);
  return bytes;
}

}  // namespace openmso::marketplace
