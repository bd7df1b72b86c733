// A saved state: the whole state of one space at one seq, kept beside the event log so a restart
// replays only the events after it, not the whole log (cold start, docs/performance.md).
//
// The event log stays the truth: a saved state that is missing, damaged, from another format or
// written for another configuration is refused here, and the engine then replays from the start.
// Pure: no I/O. The store keeps the text; the engine decides when to write one.
#ifndef LAGESBILD_CORE_SAVED_STATE_H_
#define LAGESBILD_CORE_SAVED_STATE_H_

#include <string>
#include <variant>

#include "lagesbild/core/config.h"
#include "lagesbild/core/error.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

// Every field of `state`, with a fingerprint of `config` (ids, names of beds and baselines).
std::string SavedStateToText(const HealthcareRegionConfig& config, const SpaceState& state);

// The state written by SavedStateToText() with the same configuration, or why it cannot be used.
Result<SpaceState> SavedStateFromText(const HealthcareRegionConfig& config,
                                                   const std::string& text);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_SAVED_STATE_H_
