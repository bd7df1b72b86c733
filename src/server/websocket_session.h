// WebSocket connections: the handshake's checks (path, Origin), sign-in, subscriptions, and each
// client message — parsed (wire.h), rate-limited, and handed on as a command to the engine, an
// exercise control to the runner, a scenario reload to the reader thread, or a scenario check or
// save to the editor.
//
// Thread model: network thread only (network.h).
#ifndef LAGESBILD_SERVER_WEBSOCKET_SESSION_H_
#define LAGESBILD_SERVER_WEBSOCKET_SESSION_H_

#include <string>

#include "exercise_runner.h"
#include "scenario_editor.h"
#include "network.h"
#include "shared_state.h"

#include "lagesbild/core/rate_limit.h"
#include "lagesbild/core/wire.h"

namespace lagesbild {

class WebSocketSessions {
 public:
  WebSocketSessions(Network& net, SharedState& shared, ExerciseRunner& runner,
                    ScenarioEditor& editor)
      : net_(net),
        shared_(shared),
        runner_(runner),
        editor_(editor),
        writes_(net.options.write_rate, net.options.write_rate),
        refusals_(net.options.refusals_per_minute) {}

  bool Validate(ConnectionHandle handle);  // the handshake: false refuses it
  void OnOpen(ConnectionHandle handle);
  void OnClose(ConnectionHandle handle) { shared_.Close(handle); }
  void OnMessage(ConnectionHandle handle, WsServer::message_ptr message);
  // Records, as one event per user and space, the refusals counted in each minute that ended
  // by `now` (all of them at shutdown).
  void RecordCountedRefusals(TimeMs now);
  // Closes each signed-in connection whose user has expired by `now` or — when the users file
  // was reread (`before`: the directory it replaced) — whose user is gone or changed. Its client
  // signs in again and gets what the file says now.
  void RecheckSignIns(const UserDirectory* before, TimeMs now);

 private:
  void HandleCommand(ConnectionHandle handle, const Session& session, CommandRequest request);
  void ReloadScenarios(ConnectionHandle handle, const Session& session, const std::string& id);
  // import_have: the document read (interop/have_read.h), then one ImportReports command.
  void ImportHave(ConnectionHandle handle, const Session& session, ImportHaveRequest request);

  Network& net_;
  SharedState& shared_;
  ExerciseRunner& runner_;
  ScenarioEditor& editor_;
  TokenBucket writes_;        // server-wide cap on commands reaching the event log
  RefusalBudget refusals_;    // refusals stored one by one per user and space
  bool reloading_ = false;    // a reload_scenarios is on the reader thread
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_WEBSOCKET_SESSION_H_
