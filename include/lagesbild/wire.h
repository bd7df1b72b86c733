// Wire protocol version 1 (docs/protocol.md): parsing what clients send, and building what the
// server sends. Pure functions: no sockets, so every rule is unit-testable.
#ifndef LAGESBILD_WIRE_H_
#define LAGESBILD_WIRE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "lagesbild/commands.h"
#include "lagesbild/config.h"
#include "lagesbild/error.h"
#include "lagesbild/events.h"
#include "lagesbild/state.h"

namespace lagesbild {

inline constexpr int kProtocolVersion = 1;
// Frames above this get an error and the connection stays; the transport closes the connection
// (1009) above kHardMaxFrameBytes without reading the rest.
inline constexpr std::size_t kMaxClientMessageBytes = 16 * 1024;
inline constexpr std::size_t kHardMaxFrameBytes = 1024 * 1024;
inline constexpr std::size_t kMaxIdLength = 64;

struct SubscribeRequest {
  std::string space;
  std::optional<Seq> since;
};

struct HelloRequest {
  std::string name;
};

struct CommandRequest {
  std::string id;
  std::string space;
  CommandBody body;
};

using ClientMessage = std::variant<SubscribeRequest, HelloRequest, CommandRequest>;

struct WireError {
  std::string id;  // the command id if it could be read, else empty (sent as null)
  Error error;
};

std::variant<ClientMessage, WireError> ParseClientMessage(std::string_view text);

std::string SnapshotMessage(const HealthcareRegionConfig& config, const SpaceState& state,
                            TimeMs server_time);
// `state` is the state right after `event` was applied.
std::string DeltaMessage(const HealthcareRegionConfig& config, const SpaceState& state,
                         const Event& event);
std::string ResumedMessage(const std::string& space, Seq seq);
std::string AckMessage(const std::string& id, const std::string& space, Seq seq);
std::string ErrorMessage(const std::string& id, const Error& error);

}  // namespace lagesbild

#endif  // LAGESBILD_WIRE_H_
