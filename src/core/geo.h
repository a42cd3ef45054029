// Geographic points and great-circle distance (travel radius, geofences).
#pragma once

#include <cmath>

namespace openmso {

struct GeoPoint {
  double latitude = 0;   // degrees, -90..90
  double longitude = 0;  // degrees, -180..180
  bool valid() const {
    return std::isfinite(latitude) && std::isfinite(longitude) && latitude >= -90 &&
           latitude <= 90 && longitude >= -180 && longitude <= 180;
  }
};

// Haversine distance in meters on a sphere of the mean Earth radius (6,371,008.8 m).
inline double DistanceMeters(GeoPoint a, GeoPoint b) {
  constexpr double kR = 6371008.8, kRad = 3.14159265358979323846 / 180.0;
  double dlat = (b.latitude - a.latitude) * kRad, dlon = (b.longitude - a.longitude) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(a.latitude * kRad) * std::cos(b.latitude * kRad) * std::sin(dlon / 2) *
                 std::sin(dlon / 2);
  return 2 * kR * std::asin(std::min(1.0, std::sqrt(h)));
}

}  // namespace openmso
