// The after-action review (utvärdering) of an exercise, computed from its event log: the
// timeline, each checkpoint against its target, time to acknowledge each alert per region, and
// time to first capacity report per hospital. Pure: the log, the scenario and "now" are given.
#ifndef LAGESBILD_CORE_REVIEW_H_
#define LAGESBILD_CORE_REVIEW_H_

#include <optional>
#include <string>
#include <vector>

#include "lagesbild/core/events.h"
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/scenario.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

// `scenario` may be null (its file gone): checkpoints are then not evaluated. `elapsed_now` is
// the exercise time at which open checkpoints are judged.
Json BuildReview(const HealthcareRegionConfig& config, const Scenario* scenario,
                 const SpaceState& state, const std::vector<Event>& events,
                 std::int64_t elapsed_now);

// The same review as CSV, one row per checkpoint, acknowledgement and hospital, labelled ÖVNING.
std::string ReviewCsv(const Json& review);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_REVIEW_H_
