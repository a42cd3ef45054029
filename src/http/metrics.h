// Prometheus-format request metrics: counts by route, method and status, and latency
// histograms by route. Internal to src/http.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "storage/database.h"

namespace openmso::http {

struct Metrics {
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<int64_t, kBuckets.size()> counts{};
    int64_t count = 0;
    double sum = 0;
  };
  void Observe(const std::string& route, const std::string& method, int status, double seconds);
  // The text exposition format, including the database pool stats.
  std::string Render(const storage::PoolStats& pool);

  std::mutex mu;
  std::map<std::tuple<std::string, std::string, int>, int64_t> requests;
  std::map<std::string, Histogram> latency;
};

}  // namespace openmso::http
