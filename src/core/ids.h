// Typed ids: a FacilityId cannot be passed where a ClinicianId is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace openmso {

template <typename Tag>
struct Id {
  int64_t value = 0;
  constexpr Id() = default;
  constexpr explicit Id(int64_t v) : value(v) {}
  constexpr bool valid() const { return value > 0; }
  constexpr auto operator<=>(const Id&) const = default;
};

using MsoId = Id<struct MsoTag>;
using FacilityId = Id<struct FacilityTag>;
using UnitId = Id<struct UnitTag>;
using UserId = Id<struct UserTag>;
using ClinicianId = Id<struct ClinicianTag>;

}  // namespace openmso

template <typename Tag>
struct std::hash<openmso::Id<Tag>> {
  size_t operator()(const openmso::Id<Tag>& id) const noexcept {
    return std::hash<int64_t>()(id.value);
  }
};
