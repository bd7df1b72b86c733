// The capacity forecast (prognos) of one hospital: when IVA, operating rooms and vårdplatser run
// out at the current rate. A projection from the state alone — patients on the way at their
// arrival times, then the last hour's arrival rate — never a reported figure, and never the
// script's future waves (they would give the exercise away). Pure; recomputed with every record.
#ifndef LAGESBILD_CORE_FORECAST_H_
#define LAGESBILD_CORE_FORECAST_H_

#include <array>
#include <optional>

#include "lagesbild/core/config.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

struct ResourceForecast {
  BedType type = BedType::kAdultICU;
  std::optional<std::int64_t> free;  // empty: never reported (no forecast for it)
  std::optional<TimeMs> runs_out_at;  // empty: not at the current rate
  bool operator==(const ResourceForecast& o) const {
    return type == o.type && free == o.free && runs_out_at == o.runs_out_at;
  }
};

struct CapacityForecast {
  TimeMs basis_at = 0;  // the state's last event
  std::array<ResourceForecast, 3> resources;  // AdultICU, OperatingRooms, MedicalSurgical
};

// Empty where no patients flow: outside exercises, or with nothing on the way and no arrival in
// the last hour.
std::optional<CapacityForecast> ForecastCapacity(const HealthcareRegionConfig& config,
                                                 const SpaceState& state, std::size_t hospital);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_FORECAST_H_
