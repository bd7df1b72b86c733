// The after-action review (utvärdering) of an exercise — or of a period of live operation —
// computed from its event log: the timeline, each checkpoint against its target, the Swedish
// timed indicators (indicators.h), time to acknowledge each alert per region, and time to first
// capacity report per hospital. The CSV export is the server's (presentation). Pure: the log, the scenario and "now" are given.
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

// `scenario` may be null (its file gone, or live): checkpoints are then not evaluated.
// `elapsed_now` is the time since the start at which open checkpoints and indicators are judged;
// the start is the exercise's 00:00, or `live_start` for live operation (an after-action report
// of a period: `events` are those of the period).
Json BuildReview(const HealthcareRegionConfig& config, const Scenario* scenario,
                 const SpaceState& state, const std::vector<Event>& events,
                 std::int64_t elapsed_now, TimeMs live_start = 0);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_REVIEW_H_
