// A checkpoint: the whole state of one space at one seq, kept beside the event log so a restart
// replays only the events after it, not the whole log (cold start, docs/performance.md).
//
// The event log stays the truth: a checkpoint that is missing, damaged, from another format or
// written for another configuration is refused here, and the engine then replays from the start.
// Pure: no I/O. The store keeps the text; the engine decides when to write one.
#ifndef LAGESBILD_CHECKPOINT_H_
#define LAGESBILD_CHECKPOINT_H_

#include <string>
#include <variant>

#include "lagesbild/config.h"
#include "lagesbild/error.h"
#include "lagesbild/state.h"

namespace lagesbild {

// Every field of `state`, with a fingerprint of `config` (ids, names of beds and baselines).
std::string CheckpointToText(const HealthcareRegionConfig& config, const SpaceState& state);

// The state written by CheckpointToText() with the same configuration, or why it cannot be used.
std::variant<SpaceState, Error> CheckpointFromText(const HealthcareRegionConfig& config,
                                                   const std::string& text);

}  // namespace lagesbild

#endif  // LAGESBILD_CHECKPOINT_H_
