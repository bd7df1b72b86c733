// The network thread's copy of one space: the state as last published, and the recent delta
// messages so a reconnecting board gets exactly what it missed.
//
// Thread model: owned by the network thread. It is fed the engine's committed events in order,
// applies them with the same core Apply(), and serialises each delta once for all subscribers.
#ifndef LAGESBILD_SERVER_SPACE_REPLICA_H_
#define LAGESBILD_SERVER_SPACE_REPLICA_H_

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lagesbild/core/config.h"
#include "lagesbild/core/error.h"
#include "lagesbild/core/events.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

using SharedMessage = std::shared_ptr<const std::string>;

class SpaceReplica {
 public:
  SpaceReplica(std::shared_ptr<const HealthcareRegionConfig> config, SpaceState initial,
               std::size_t deltas_kept);

  // Applies the next event; returns its delta message, or an error if it is out of sequence.
  Result<SharedMessage> Publish(const Event& event, TimeMs server_time = 0);

  std::string Snapshot(TimeMs server_time, std::optional<SetExerciseClock> clock_now = {}) const;

  // The deltas after `since`, oldest first, or nothing when they are no longer held or `since`
  // is ahead of this replica (the client must then take a snapshot).
  std::optional<std::vector<SharedMessage>> DeltasAfter(Seq since) const;

  const SpaceState& state() const { return state_; }

 private:
  std::shared_ptr<const HealthcareRegionConfig> config_;
  SpaceState state_;
  std::size_t deltas_kept_;
  std::deque<SharedMessage> deltas_;  // the newest, ending at state_.seq
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_SPACE_REPLICA_H_
