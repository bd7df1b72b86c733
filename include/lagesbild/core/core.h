// The pure domain core: judge a command against a state, and apply an event to a state.
// No I/O, no threads, no clock. The server, the store's recovery, the scenario player and the
// tests all drive it through these two functions, so a scripted inject and a human report are
// judged by the same rules.
#ifndef LAGESBILD_CORE_CORE_H_
#define LAGESBILD_CORE_CORE_H_

#include <optional>
#include <vector>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"
#include "lagesbild/core/error.h"
#include "lagesbild/core/events.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

struct Decision {
  // Numbered from state.seq + 1. With an error, only the audit record of a refused write
  // (AccessDenied), which must be stored too; with neither, the command changed nothing.
  std::vector<Event> events;
  std::optional<Error> error;
  // A harmless repeat, nothing to store: a repeated acknowledgement (the seq of the first one), or
  // a command id the user already had committed here (the seq its ack said).
  Seq already_done_at = 0;
  bool ok() const { return !error.has_value(); }
};

// Checks the sender's rights, validates `command` against `state` and returns the events it
// yields, or why not. Does not change `state`. A user's command with an id the space has committed
// for that user (state.committed) is already done; accepted events carry the command's id.
Decision Decide(const HealthcareRegionConfig& config, const SpaceState& state,
                const Command& command);

// Applies the next event of the space. Returns an error (and leaves `state` untouched) if the
// event is out of sequence or names something the configuration does not have, which can only
// happen with a log written under another configuration.
std::optional<Error> Apply(const HealthcareRegionConfig& config, SpaceState& state,
                           const Event& event);

// Adds the acknowledgement `event` (whose body is `ack`) to the message's record.
void RecordAcknowledgement(MessageState& message, const Event& event,
                           const MessageAcknowledged& ack);

// The decisions-log entry an event makes, if it is a decision: a recorded decision, a region's
// readiness level, or a hospital report with a readiness level.
std::optional<DecisionRecord> DecisionOf(const HealthcareRegionConfig& config, const Event& event);

// The record of a message as its posting event creates it (no acknowledgements yet).
MessageState PostedMessage(const HealthcareRegionConfig& config, const Event& event,
                           const MessagePosted& posted);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_CORE_H_
