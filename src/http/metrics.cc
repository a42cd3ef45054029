// Request counters and latency histograms in the Prometheus text format.
#include "http/metrics.h"

#include <cstdio>

namespace openmso::http {

void Metrics::Observe(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard l(mu);
  ++requests[{route, method, status}];
  auto& h = latency[route];
  ++h.count;
  h.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.counts[i];
}

std::string Metrics::Render(const storage::PoolStats& pool) {
  std::string out;
  char buf[1024];
  std::lock_guard l(mu);
  out += "# HELP openmso_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE openmso_http_requests_total counter\n";
  for (const auto& [k, v] : requests) {
    std::snprintf(buf, sizeof buf, "openmso_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %lld\n",
                  std::get<0>(k).c_str(), std::get<1>(k).c_str(), std::get<2>(k), static_cast<long long>(v));
    out += buf;
  }
  out += "# HELP openmso_http_request_duration_seconds Request latency by route.\n";
  out += "# TYPE openmso_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency) {
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      std::snprintf(buf, sizeof buf, "openmso_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lld\n",
                    route.c_str(), kBuckets[i], static_cast<long long>(h.counts[i]));
      out += buf;
    }
    std::snprintf(buf, sizeof buf,
                  "openmso_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lld\n"
                  "openmso_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                  "openmso_http_request_duration_seconds_count{route=\"%s\"} %lld\n",
                  route.c_str(), static_cast<long long>(h.count), route.c_str(), h.sum, route.c_str(),
                  static_cast<long long>(h.count));
    out += buf;
  }
  std::snprintf(buf, sizeof buf,
                "# TYPE openmso_db_connections gauge\nopenmso_db_connections{state=\"total\"} %lld\n"
                "openmso_db_connections{state=\"in_use\"} %lld\n"
                "# TYPE openmso_db_transactions_total counter\n"
                "openmso_db_transactions_total{outcome=\"commit\"} %lld\n"
                "openmso_db_transactions_total{outcome=\"rollback\"} %lld\n"
                "# TYPE openmso_db_pool_waits_total counter\nopenmso_db_pool_waits_total %lld\n",
                static_cast<long long>(pool.connections_total), static_cast<long long>(pool.connections_in_use),
                static_cast<long long>(pool.transactions_committed),
                static_cast<long long>(pool.transactions_rolled_back), static_cast<long long>(pool.waits));
  out += buf;
  return out;
}

}  // namespace openmso::http
