// Candidates for a new posting over `openmso gen` data (issue 4 "Performance"): loads every
// clinician of the database (1,000,000 over US metro areas in the full run) into the
// in-memory CandidateIndex (MKT-CANDIDATE-INDEX), then asks it for the candidates of a
// posting at every facility, for each main discipline, and prints p50/p99 per query and
// the index's memory per clinician as JSON lines. It checks its own answers: a sample of
// queries is compared with a full scan using the eligibility rule's distance, and the run
// fails on a difference (never on timing).
//   candidates_bench --database sqlite:PATH [--check N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "domain/marketplace/marketplace.h"
#include "storage/database.h"

using namespace openmso;

namespace {

constexpr storage::Statement kClinicians{"bench.clinicians",
    "SELECT id, home_latitude_e6, home_longitude_e6, travel_radius_km, status, discipline FROM clinicians ORDER BY id"};
constexpr storage::Statement kExtraDisciplines{"bench.disciplines",
    "SELECT clinician_id, discipline FROM clinician_disciplines"};
constexpr storage::Statement kFacilities{"bench.facilities",
    "SELECT id, latitude_e6, longitude_e6 FROM facilities ORDER BY id"};

double Ms(std::chrono::steady_clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

int Fail(const std::string& why) {
  std::fprintf(stderr, "candidates_bench: %s\n", why.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string url;
  int check = 40;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--database") && i + 1 < argc) url = argv[++i];
    else if (!std::strcmp(argv[i], "--check") && i + 1 < argc) check = std::atoi(argv[++i]);
    else return Fail("usage: candidates_bench --database URL [--check N]");
  }
  if (url.empty()) return Fail("--database is required");
  auto db = storage::OpenDatabase(url);
  if (!db.ok()) return Fail(db.error().message + " " + db.error().log_detail);

  std::vector<marketplace::IndexedClinician> people;
  std::vector<GeoPoint> facilities;
  auto read = (*db)->Read([&](storage::Session& s) -> Result<void> {
    OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kClinicians));
    people.reserve(rows.size());
    std::map<int64_t, size_t> at;
    for (const auto& r : rows) {
      at[r.Int(0)] = people.size();
      people.push_back({ClinicianId(r.Int(0)), {r.Int(1) / 1e6, r.Int(2) / 1e6}, r.Int(3), {r.Text(5)}, r.Text(4) == "active"});
    }
    OPENMSO_ASSIGN_OR_RETURN(auto extra, s.Query(kExtraDisciplines));
    for (const auto& r : extra) {
      auto it = at.find(r.Int(0));
      if (it == at.end()) continue;
      auto& d = people[it->second].disciplines;
      if (std::find(d.begin(), d.end(), r.Text(1)) == d.end()) d.push_back(r.Text(1));
    }
    OPENMSO_ASSIGN_OR_RETURN(auto fac, s.Query(kFacilities));
    for (const auto& r : fac) facilities.push_back({r.Int(1) / 1e6, r.Int(2) / 1e6});
    return Ok();
  });
  if (!read.ok()) return Fail(read.error().message + " " + read.error().log_detail);
  if (people.empty() || facilities.empty()) return Fail("no clinicians or facilities; run openmso gen first");

  marketplace::CandidateIndex index;
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& p : people)
    if (!index.Upsert(p)) return Fail("more than 32 discipline codes");
  double build_ms = Ms(std::chrono::steady_clock::now() - t0);

  const char* disciplines[] = {"RN", "LPN", "CNA"};
  std::vector<double> times;
  size_t total = 0;
  for (int round = 0; round < 2; ++round) {  // the first round warms caches; the second is measured
    times.clear();
    total = 0;
    for (const auto& f : facilities)
      for (const char* d : disciplines) {
        auto q0 = std::chrono::steady_clock::now();
        auto ids = index.Query(f, d);
        times.push_back(Ms(std::chrono::steady_clock::now() - q0));
        total += ids.size();
      }
  }
  std::sort(times.begin(), times.end());
  auto pct = [&](double p) { return times[std::min(times.size() - 1, static_cast<size_t>(p * times.size()))]; };

  // Self-check against a full scan (the rule of MKT-ELIG-DISTANCE), on `check` postings.
  for (int q = 0; q < check && q < static_cast<int>(facilities.size()); ++q) {
    const GeoPoint f = facilities[(static_cast<size_t>(q) * 7919) % facilities.size()];
    const char* d = disciplines[q % 3];
    auto got = index.Query(f, d);
    size_t want = 0, borderline = 0;
    for (const auto& p : people) {
      if (!p.active || std::find(p.disciplines.begin(), p.disciplines.end(), d) == p.disciplines.end()) continue;
      double m = DistanceMeters(p.home, f), r = p.travel_radius_km * 1000.0;
      if (m <= r) ++want;
      if (std::abs(m - r) < 2.0) ++borderline;
    }
    if (got.size() + borderline < want || got.size() > want + borderline)
      return Fail("posting " + std::to_string(q) + ": index found " + std::to_string(got.size()) + ", a full scan " +
                  std::to_string(want));
  }

  size_t n = index.size();
  double per = static_cast<double>(index.MemoryBytes()) / static_cast<double>(n ? n : 1);
  std::string label = people.size() >= 1000000 ? "1m" : std::to_string(people.size());
  std::printf("{\"figure\": \"candidates_%s_query_p50\", \"value\": %.3f, \"unit\": \"ms\"}\n", label.c_str(), pct(0.50));
  std::printf("{\"figure\": \"candidates_%s_query_p99\", \"value\": %.3f, \"unit\": \"ms\", \"reference\": \"10 ms\", "
              "\"ratio\": %.3f}\n", label.c_str(), pct(0.99), pct(0.99) / 10.0);
  std::printf("{\"figure\": \"candidates_%s_mean_candidates_per_posting\", \"value\": %.1f, \"unit\": \"clinicians\"}\n",
              label.c_str(), static_cast<double>(total) / static_cast<double>(times.size()));
  std::printf("{\"figure\": \"candidates_%s_index_bytes_per_clinician\", \"value\": %.1f, \"unit\": \"B\"}\n", label.c_str(), per);
  std::printf("{\"figure\": \"candidates_%s_index_build\", \"value\": %.0f, \"unit\": \"ms\"}\n", label.c_str(), build_ms);
  return 0;
}
