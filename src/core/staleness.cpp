#include "lagesbild/staleness.h"

#include <algorithm>

namespace lagesbild {

ReadinessLevel EffectiveLevel(const HealthcareRegionConfig& config, const SpaceState& state,
                              std::size_t hospital) {
  const auto region = config.FindRegion(config.hospitals[hospital].region_id);
  const ReadinessLevel own =
      state.hospitals[hospital].readiness.value.value_or(ReadinessLevel::kNormal);
  const ReadinessLevel regional =
      region ? state.regions[*region].readiness.value.value_or(ReadinessLevel::kNormal)
             : ReadinessLevel::kNormal;
  return std::max(own, regional);
}

Staleness EvaluateStaleness(const HealthcareRegionConfig& config, const SpaceState& state,
                            std::size_t hospital, TimeMs now) {
  const TimeMs limit_ms =
      static_cast<TimeMs>(config.stale_minutes_by_level[static_cast<std::size_t>(
          EffectiveLevel(config, state, hospital))]) *
      60000;
  Staleness result;
  const auto judge = [&](const Stamp& stamp, std::string field) {
    if (!stamp.at) {
      result.overdue.push_back(std::move(field));
    } else if (now - *stamp.at > limit_ms) {
      result.overdue.push_back(std::move(field));
      result.stale = true;
    }
  };
  const HospitalState& figures = state.hospitals[hospital];
  for (BedType type : kAllBedTypes) {
    const BedFigure& bed = figures.beds[Index(type)];
    if (bed.baseline + bed.surge24h == 0) continue;
    // Only a reported count counts: a baseline update alone does not make the count fresh.
    judge(bed.available ? bed.stamp : Stamp{}, "beds." + std::string(WireName(type)));
  }
  for (Triage priority : kAllTriage) {
    judge(figures.reception[Index(priority)].stamp, "reception." + std::string(WireName(priority)));
  }
  judge(figures.ed_status.stamp, "ed_status");
  return result;
}

}  // namespace lagesbild
