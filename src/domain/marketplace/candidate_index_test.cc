// The candidate index (MKT-CANDIDATE-INDEX) against a brute-force scan with the same
// distance rule as MKT-ELIG-DISTANCE, on seeded random clinicians, before and after moves
// and removals.
#include <gtest/gtest.h>

#include <random>

#include "domain/marketplace/marketplace.h"

namespace openmso::marketplace {
namespace {

struct World {
  std::vector<IndexedClinician> people;
  std::mt19937_64 rng{42};
  GeoPoint Near(GeoPoint c, double km) {
    std::normal_distribution<double> n(0, km);
    double lat = std::clamp(c.latitude + n(rng) / 111.2, -89.0, 89.0);
    double lon = c.longitude + n(rng) / (111.2 * std::cos(lat * 3.14159265358979 / 180));
    if (lon >= 180) lon -= 360;
    if (lon < -180) lon += 360;
    return {lat, lon};
  }
};

const GeoPoint kCenters[] = {{40.71, -74.0}, {41.88, -87.63}, {34.05, -118.24}, {61.2, -149.9}, {21.3, -157.85},
                             {64.8, -179.9}};  // the last one straddles the antimeridian
const char* kDisc[] = {"RN", "LPN", "CNA"};

// Brute force: the rule Evaluate applies.
std::vector<ClinicianId> Scan(const std::vector<IndexedClinician>& people, GeoPoint where, std::string_view disc,
                              std::vector<ClinicianId>* borderline) {
  std::vector<ClinicianId> out;
  for (const auto& p : people) {
    if (!p.active || std::find(p.disciplines.begin(), p.disciplines.end(), disc) == p.disciplines.end()) continue;
    double d = DistanceMeters(p.home, where), r = p.travel_radius_km * 1000.0;
    if (std::abs(d - r) < 2.0) borderline->push_back(p.id);
    if (d <= r) out.push_back(p.id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void ExpectSame(const CandidateIndex& index, const std::vector<IndexedClinician>& people, World& w, int queries) {
  size_t found = 0;
  for (int q = 0; q < queries; ++q) {
    GeoPoint where = w.Near(kCenters[q % std::size(kCenters)], 60);
    const char* disc = kDisc[q % 3];
    std::vector<ClinicianId> borderline;
    auto want = Scan(people, where, disc, &borderline);
    auto got = index.Query(where, disc);
    std::sort(got.begin(), got.end());
    found += want.size();
    // Only a home within 2 m of its radius may differ (the index has 1 m of slack).
    std::vector<ClinicianId> diff;
    std::set_symmetric_difference(want.begin(), want.end(), got.begin(), got.end(), std::back_inserter(diff));
    for (auto id : diff)
      EXPECT_TRUE(std::find(borderline.begin(), borderline.end(), id) != borderline.end())
          << "query " << q << " clinician " << id.value;
  }
  EXPECT_GT(found, static_cast<size_t>(queries) * 20) << "the queries must find clinicians to compare";
}

TEST(CandidateIndex, MatchesAFullScan) {
  World w;
  CandidateIndex index;
  std::uniform_int_distribution<int> radius(0, 300), disc(0, 2), coin(0, 9);
  for (int i = 1; i <= 6000; ++i) {
    IndexedClinician c;
    c.id = ClinicianId(i);
    c.home = w.Near(kCenters[i % std::size(kCenters)], 80);
    c.travel_radius_km = radius(w.rng);
    c.disciplines = {kDisc[disc(w.rng)]};
    if (coin(w.rng) == 0) c.disciplines.push_back("RN");
    c.active = coin(w.rng) != 1;
    ASSERT_TRUE(index.Upsert(c));
    w.people.push_back(c);
  }
  size_t active = std::count_if(w.people.begin(), w.people.end(), [](const auto& p) { return p.active; });
  EXPECT_EQ(index.size(), active);
  ExpectSame(index, w.people, w, 300);
  // Kept in step with writes: moves, radius changes, deactivations, removals.
  for (int i = 1; i <= 6000; i += 3) {
    auto& c = w.people[i - 1];
    c.home = w.Near(kCenters[(i + 1) % std::size(kCenters)], 80);
    c.travel_radius_km = radius(w.rng);
    if (i % 9 == 1) c.active = !c.active;
    ASSERT_TRUE(index.Upsert(c));
  }
  for (int i = 2; i <= 6000; i += 50) {
    index.Remove(ClinicianId(i));
    w.people[i - 1].active = false;
  }
  ExpectSame(index, w.people, w, 300);
  EXPECT_GT(index.MemoryBytes(), 0u);
}

TEST(CandidateIndex, BoundariesAndLimits) {
  CandidateIndex index;
  // 10 km radius, homes 9.99 km and 10.01 km north of the point.
  GeoPoint where{41.88, -87.63};
  double per_km = 1.0 / 111.195;
  ASSERT_TRUE(index.Upsert({ClinicianId(1), {where.latitude + 9.99 * per_km, where.longitude}, 10, {"RN"}, true}));
  ASSERT_TRUE(index.Upsert({ClinicianId(2), {where.latitude + 10.01 * per_km, where.longitude}, 10, {"RN"}, true}));
  ASSERT_TRUE(index.Upsert({ClinicianId(3), where, 0, {"RN"}, true}));  // radius 0: only the very spot
  auto rn = index.Query(where, "RN");
  std::sort(rn.begin(), rn.end());
  EXPECT_EQ(rn, (std::vector<ClinicianId>{ClinicianId(1), ClinicianId(3)}));
  EXPECT_TRUE(index.Query(where, "CNA").empty());
  EXPECT_TRUE(index.Query({95, 0}, "RN").empty());
  for (int i = 0; i < CandidateIndex::kMaxDisciplines - 1; ++i)
    ASSERT_TRUE(index.Upsert({ClinicianId(100 + i), where, 5, {"D" + std::to_string(i)}, true}));
  EXPECT_FALSE(index.Upsert({ClinicianId(999), where, 5, {"ONE-TOO-MANY"}, true}));
  EXPECT_EQ(index.Query(where, "D3"), (std::vector<ClinicianId>{ClinicianId(103)}));
}

}  // namespace
}  // namespace openmso::marketplace
