#include "lagesbild/events.h"
#include "lagesbild/state.h"

namespace lagesbild {

std::optional<TimeMs> HospitalState::LastReportedAt() const {
  std::optional<TimeMs> newest;
  auto consider = [&newest](const Stamp& stamp) {
    if (stamp.at && (!newest || *stamp.at > *newest)) newest = stamp.at;
  };
  for (const BedFigure& bed : beds) consider(bed.stamp);
  consider(ed_status.stamp);
  for (const auto& rate : reception) consider(rate.stamp);
  consider(readiness.stamp);
  return newest;
}

SpaceState InitialState(const HealthcareRegionConfig& config, std::string space, bool exercise) {
  SpaceState state;
  state.space = std::move(space);
  state.exercise = exercise;
  state.hospitals.resize(config.hospitals.size());
  for (std::size_t h = 0; h < config.hospitals.size(); ++h) {
    HospitalState& hospital = state.hospitals[h];
    for (BedType type : kAllBedTypes) {
      hospital.beds[Index(type)].baseline = config.hospitals[h].beds[Index(type)].baseline;
      hospital.beds[Index(type)].surge24h = config.hospitals[h].beds[Index(type)].surge24h;
    }
    hospital.readiness.value = ReadinessLevel::kNormal;
  }
  state.regions.resize(config.regions.size());
  for (RegionState& region : state.regions) region.readiness.value = ReadinessLevel::kNormal;
  return state;
}

bool CapacityReport::Empty() const {
  for (const auto& bed : beds) {
    if (bed && (bed->available || bed->baseline || bed->surge24h)) return false;
  }
  for (const auto& rate : reception) {
    if (rate) return false;
  }
  return !ed_status && !readiness;
}

std::string_view EventKind(const EventBody& body) {
  struct Visitor {
    std::string_view operator()(const CapacityReported&) const { return "capacity_reported"; }
    std::string_view operator()(const RegionReadinessSet&) const {
      return "region_readiness_set";
    }
  };
  return std::visit(Visitor{}, body);
}

}  // namespace lagesbild
