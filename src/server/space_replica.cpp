#include "lagesbild/server/space_replica.h"

#include "lagesbild/core/core.h"
#include "lagesbild/core/wire.h"

namespace lagesbild {

SpaceReplica::SpaceReplica(std::shared_ptr<const HealthcareRegionConfig> config,
                           SpaceState initial, std::size_t deltas_kept)
    : config_(std::move(config)), state_(std::move(initial)), deltas_kept_(deltas_kept) {}

Result<SharedMessage> SpaceReplica::Publish(const Event& event, TimeMs server_time) {
  // An acknowledgement may close and so archive its message: keep the record for the delta.
  std::optional<MessageState> acknowledged;
  if (const auto* ack = std::get_if<MessageAcknowledged>(&event.body)) {
    if (const MessageState* message = state_.FindMessage(ack->message_id)) {
      acknowledged = *message;
      RecordAcknowledgement(*acknowledged, event, *ack);
    }
  }
  if (auto error = Apply(*config_, state_, event)) return *error;
  // The catalogue has no boards, and its events carry whole scenario texts: no deltas.
  if (state_.space == kCatalogueSpace) return SharedMessage{};
  if (state_.space == kAuditSpace) return SharedMessage{};  // no boards; addresses stay there
  auto message = std::make_shared<const std::string>(DeltaMessage(
      *config_, state_, event, server_time, acknowledged ? &*acknowledged : nullptr));
  deltas_.push_back(message);
  if (deltas_.size() > deltas_kept_) deltas_.pop_front();
  return message;
}

std::string SpaceReplica::Snapshot(TimeMs server_time,
                                   std::optional<SetExerciseClock> clock_now) const {
  return SnapshotMessage(*config_, state_, server_time, clock_now);
}

std::optional<std::vector<SharedMessage>> SpaceReplica::DeltasAfter(Seq since) const {
  const Seq oldest_held = state_.seq - static_cast<Seq>(deltas_.size()) + 1;
  if (since > state_.seq || since + 1 < oldest_held) return std::nullopt;
  return std::vector<SharedMessage>(deltas_.end() - (state_.seq - since), deltas_.end());
}

}  // namespace lagesbild
