// Which figures are overdue: never reported, or older than the limit for the hospital's readiness
// level (the higher of its own and its region's). Pure: "now" is passed in.
#ifndef LAGESBILD_CORE_STALENESS_H_
#define LAGESBILD_CORE_STALENESS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lagesbild/core/config.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

ReadinessLevel EffectiveLevel(const HealthcareRegionConfig& config, const SpaceState& state,
                              std::size_t hospital);

// When each expected figure of a hospital falls due, independent of "now", so a client can judge
// staleness at any moment without knowing the rule. Expected figures: available beds of every
// type with a baseline or surge, reception P1-P3 and the ED status.
struct Freshness {
  ReadinessLevel level = ReadinessLevel::kNormal;  // the effective level
  int limit_minutes = 0;
  // ("beds.AdultICU", due) in a fixed order; due empty: never reported, so overdue already.
  // The names are static strings.
  std::vector<std::pair<std::string_view, std::optional<TimeMs>>> due;
  std::optional<TimeMs> stale_at;  // the earliest due of the reported figures
};

Freshness EvaluateFreshness(const HealthcareRegionConfig& config, const SpaceState& state,
                            std::size_t hospital);

struct Staleness {
  std::vector<std::string> overdue;  // "beds.AdultICU", "reception.P1", "ed_status"
  bool stale = false;                // a reported figure is past its limit
};

// A figure is overdue at `now` when never reported or when now is past its due time.
Staleness EvaluateStaleness(const HealthcareRegionConfig& config, const SpaceState& state,
                            std::size_t hospital, TimeMs now);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_STALENESS_H_
