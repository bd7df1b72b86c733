#include "lagesbild/core/staleness.h"

#include <algorithm>
#include <array>

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

namespace {

// "beds.AdultICU", "reception.P1": built once (freshness is part of every hospital record sent).
template <typename Item, std::size_t N>
std::array<std::string, N> FieldNames(const char* prefix, const std::array<Item, N>& items) {
  std::array<std::string, N> out;
  for (Item item : items) out[Index(item)] = prefix + std::string(WireName(item));
  return out;
}

const auto& BedFields() {
  static const auto names = FieldNames("beds.", kAllBedTypes);
  return names;
}

const auto& ReceptionFields() {
  static const auto names = FieldNames("reception.", kAllTriage);
  return names;
}

}  // namespace

Freshness EvaluateFreshness(const HealthcareRegionConfig& config, const SpaceState& state,
                            std::size_t hospital) {
  Freshness result;
  result.level = EffectiveLevel(config, state, hospital);
  result.limit_minutes = config.stale_minutes_by_level[static_cast<std::size_t>(result.level)];
  const TimeMs limit_ms = static_cast<TimeMs>(result.limit_minutes) * 60000;
  const auto expect = [&](const Stamp& stamp, std::string_view field) {
    std::optional<TimeMs> due;
    if (stamp.at) {
      due = *stamp.at + limit_ms;
      result.stale_at = result.stale_at ? std::min(*result.stale_at, *due) : *due;
    }
    result.due.emplace_back(field, due);
  };
  const HospitalState& figures = state.hospitals[hospital];
  for (BedType type : kAllBedTypes) {
    const BedFigure& bed = figures.beds[Index(type)];
    if (bed.baseline + bed.surge24h == 0) continue;
    // Only a reported count counts: a baseline update alone does not make the count fresh.
    expect(bed.available ? bed.stamp : Stamp{}, BedFields()[Index(type)]);
  }
  for (Triage priority : kAllTriage) {
    expect(figures.reception[Index(priority)].stamp, ReceptionFields()[Index(priority)]);
  }
  expect(figures.ed_status.stamp, "ed_status");
  return result;
}

Staleness EvaluateStaleness(const HealthcareRegionConfig& config, const SpaceState& state,
                            std::size_t hospital, TimeMs now) {
  Staleness result;
  for (const auto& [field, due] : EvaluateFreshness(config, state, hospital).due) {
    if (due && now <= *due) continue;
    result.stale = result.stale || due.has_value();
    result.overdue.emplace_back(field);
  }
  return result;
}

}  // namespace lagesbild
