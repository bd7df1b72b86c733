#include <string>

#include "lagesbild/core.h"

namespace lagesbild {
namespace {

std::optional<Error> CheckFigure(const std::optional<std::int64_t>& value,
                                 const std::string& field) {
  if (value && (*value < 0 || *value > kMaxFigure)) {
    return MakeError("invalid_value", field,
                     field + ": " + std::to_string(*value) + " is outside 0-" +
                         std::to_string(kMaxFigure));
  }
  return std::nullopt;
}

std::optional<Error> CheckReport(const HealthcareRegionConfig& config, const SpaceState& state,
                                 const CapacityReport& report) {
  auto index = config.FindHospital(report.hospital);
  if (!index) {
    return MakeError("unknown_hospital", "hospital",
                     "no hospital '" + report.hospital + "' in " + config.name);
  }
  if (report.Empty()) {
    return MakeError("empty_report", "", "the report for " + config.hospitals[*index].name +
                                             " contains no figures");
  }
  const HospitalState& current = state.hospitals[*index];
  for (BedType type : kAllBedTypes) {
    const auto& bed = report.beds[Index(type)];
    if (!bed) continue;
    const std::string prefix = "beds." + std::string(WireName(type));
    for (auto [value, name] : {std::pair{&bed->available, ".available"},
                               std::pair{&bed->baseline, ".baseline"},
                               std::pair{&bed->surge24h, ".surge24h"}}) {
      if (auto error = CheckFigure(*value, prefix + name)) return error;
    }
    const BedFigure& now = current.beds[Index(type)];
    const auto available = bed->available ? bed->available : now.available;
    const std::int64_t baseline = bed->baseline.value_or(now.baseline);
    const std::int64_t surge = bed->surge24h.value_or(now.surge24h);
    if (available && *available > baseline + surge) {
      return MakeError("over_capacity", prefix + ".available",
                       std::string(WireName(type)) + ": " + std::to_string(*available) +
                           " available is more than baseline " + std::to_string(baseline) +
                           " + surge " + std::to_string(surge));
    }
  }
  for (Triage priority : kAllTriage) {
    if (auto error = CheckFigure(report.reception[Index(priority)],
                                 "reception." + std::string(WireName(priority)))) {
      return error;
    }
  }
  return std::nullopt;
}

}  // namespace

Decision Decide(const HealthcareRegionConfig& config, const SpaceState& state,
                const Command& command) {
  Decision decision;
  Event event{state.space, state.seq + 1, command.at, command.actor, {}};
  if (const auto* report = std::get_if<CapacityReport>(&command.body)) {
    decision.error = CheckReport(config, state, *report);
    event.body = CapacityReported{*report};
  } else if (const auto* readiness = std::get_if<SetRegionReadiness>(&command.body)) {
    if (!config.FindRegion(readiness->region)) {
      decision.error = MakeError("unknown_region", "region",
                                 "no region '" + readiness->region + "' in " + config.name);
    }
    event.body = RegionReadinessSet{readiness->region, readiness->level};
  }
  if (decision.ok()) decision.events.push_back(std::move(event));
  return decision;
}

}  // namespace lagesbild
