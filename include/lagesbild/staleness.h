// Which figures are overdue: never reported, or older than the limit for the hospital's readiness
// level (the higher of its own and its region's). Pure: "now" is passed in.
#ifndef LAGESBILD_STALENESS_H_
#define LAGESBILD_STALENESS_H_

#include <string>
#include <vector>

#include "lagesbild/config.h"
#include "lagesbild/state.h"

namespace lagesbild {

ReadinessLevel EffectiveLevel(const HealthcareRegionConfig& config, const SpaceState& state,
                              std::size_t hospital);

struct Staleness {
  std::vector<std::string> overdue;  // "beds.AdultICU", "reception.P1", "ed_status"
  bool stale = false;                // a reported figure is past its limit
};

// Expected figures: available beds of every type with a baseline or surge, reception P1-P3 and the
// ED status.
Staleness EvaluateStaleness(const HealthcareRegionConfig& config, const SpaceState& state,
                            std::size_t hospital, TimeMs now);

}  // namespace lagesbild

#endif  // LAGESBILD_STALENESS_H_
