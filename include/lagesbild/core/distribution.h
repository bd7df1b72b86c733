// Where a casualty wave's patients should go when the script asks the server (docs/scenarios.md,
// "Suggested distribution"). Pure and deterministic: the same state and wave give the same answer.
#ifndef LAGESBILD_CORE_DISTRIBUTION_H_
#define LAGESBILD_CORE_DISTRIBUTION_H_

#include <vector>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

// `candidates` carry hospital and transport time (their patients are ignored). Returns one
// allocation per candidate that receives patients, in configuration order.
std::vector<DispatchedPatients> SuggestDistribution(const HealthcareRegionConfig& config,
                                                    const SpaceState& state,
                                                    const PatientCounts& casualties,
                                                    std::vector<DispatchedPatients> candidates);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_DISTRIBUTION_H_
