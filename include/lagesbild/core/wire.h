// Wire protocol version 1 (docs/protocol.md): parsing what clients send, and building what the
// server sends. Pure functions: no sockets, so every rule is unit-testable.
#ifndef LAGESBILD_CORE_WIRE_H_
#define LAGESBILD_CORE_WIRE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"
#include "lagesbild/core/error.h"
#include "lagesbild/core/events.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

inline constexpr int kProtocolVersion = 1;
// Frames above this get an error and the connection stays; the transport closes the connection
// (1009) above kHardMaxFrameBytes without reading the rest.
inline constexpr std::size_t kMaxClientMessageBytes = 16 * 1024;
inline constexpr std::size_t kHardMaxFrameBytes = 1024 * 1024;
inline constexpr std::size_t kMaxIdLength = 64;
inline constexpr std::size_t kMaxTokenLength = 256;

struct SubscribeRequest {
  std::string space;
  std::optional<Seq> since;
};

struct HelloRequest {
  std::string token;
};

struct CommandRequest {
  std::string id;
  std::string space;
  CommandBody body;
};

struct StartExerciseRequest {
  std::string id;
  std::string scenario;
  std::string space;  // empty: the server names it
  bool paused = false;
  std::int64_t version = 0;  // of a saved scenario; 0: the newest
  bool dry_run = false;      // a private run at 60× (catalogue.h)
};

struct ControlExerciseRequest {
  std::string id;
  std::string space;
  std::string action;  // pause, resume, speed, jump, stop, reset
  int speed = 1;
  std::int64_t to_ms = 0;
};

// A trainer asks the server to read scenarios/ again (new or changed files).
struct ReloadScenariosRequest {
  std::string id;
};

// The scenario editor (trainers): check a scenario with the files' loader, save a version of it,
// or save an earlier version again (`text`: the scenario object as the JSON text to store).
struct CheckScenarioRequest {
  std::string id;
  nlohmann::json scenario;  // judged as it came; a check stores nothing
};
struct SaveScenarioRequest {
  std::string id;
  std::string scenario_id;  // the object's "id"
  std::string text;
  std::int64_t base_version = 0;
};
struct RestoreScenarioRequest {
  std::string id;
  std::string scenario_id;
  std::int64_t version = 0;
};
// An EDXL-HAVE document to be read into capacity reports (interop/have_read.h); signed-in writers.
struct ImportHaveRequest {
  std::string id;
  std::string space;
  std::string document;
};

// Trainers may send messages up to this size (a whole scenario); everyone else kMaxClientMessageBytes.
inline constexpr std::size_t kMaxTrainerMessageBytes = 512 * 1024 + 4096;

using ClientMessage = std::variant<SubscribeRequest, HelloRequest, CommandRequest,
                                   StartExerciseRequest, ControlExerciseRequest,
                                   ReloadScenariosRequest, CheckScenarioRequest,
                                   SaveScenarioRequest, RestoreScenarioRequest, ImportHaveRequest>;

struct WireError {
  std::string id;  // the command id if it could be read, else empty (sent as null)
  Error error;
};

// `max_bytes`: kMaxClientMessageBytes, or kMaxTrainerMessageBytes for a signed-in writer (a
// scenario, or an EDXL-HAVE document to import).
std::variant<ClientMessage, WireError> ParseClientMessage(
    std::string_view text, std::size_t max_bytes = kMaxClientMessageBytes);
// The id a client gave its message (empty for subscribe and hello), echoed in its answer.
std::string ClientMessageId(const ClientMessage& message);

// For an exercise, `clock_now` is the runner's clock at `server_time`.
std::string SnapshotMessage(const HealthcareRegionConfig& config, const SpaceState& state,
                            TimeMs server_time, std::optional<SetExerciseClock> clock_now = {});
// The snapshot as served by GET /api/state: each hospital also carries "overdue" and "stale",
// evaluated at `evaluate_at`.
std::string StateApiMessage(const HealthcareRegionConfig& config, const SpaceState& state,
                            TimeMs server_time, TimeMs evaluate_at,
                            std::optional<SetExerciseClock> clock_now = {});
// `state` is the state right after `event` was applied; `server_time` (wall) anchors an
// exercise clock change for clients.
// `acknowledged`: for an acknowledgement, the message record after it, in case the state no longer
// holds it (a closed message beyond the recent ones is archived at once).
std::string DeltaMessage(const HealthcareRegionConfig& config, const SpaceState& state,
                         const Event& event, TimeMs server_time = 0,
                         const MessageState* acknowledged = nullptr);
std::string ResumedMessage(const std::string& space, Seq seq);
// `already`: a repeated acknowledgement that stored nothing new; `seq` is the first one's.
std::string AckMessage(const std::string& id, const std::string& space, Seq seq,
                       bool already = false);
std::string WelcomeMessage(const Actor& user);
// The ack of start_exercise / reset: names the new space.
std::string ExerciseAckMessage(const std::string& id, const std::string& space, Seq seq);
std::string ErrorMessage(const std::string& id, const Error& error);
// The text of any server message or HTTP answer body: `body` with "v" set, invalid UTF-8 replaced.
std::string Envelope(nlohmann::json body);
// The answer to check_scenario: `problems` are "$.path: what" (catalogue.h SplitProblem).
std::string ScenarioCheckMessage(const std::string& id, const std::vector<std::string>& problems);
// The ack of save_scenario / restore_scenario: the version it added.
std::string ScenarioSavedMessage(const std::string& id, Seq seq, const std::string& scenario_id,
                                 std::int64_t version, bool valid,
                                 const std::vector<std::string>& problems,
                                 std::int64_t restored_from);
// The answer to reload_scenarios: how many files were read, and how many of them are broken.
std::string ScenariosReloadedMessage(const std::string& id, std::size_t files, std::size_t broken);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_WIRE_H_
