// What every part of the transport shares: the network thread's io_context and WebSocket++
// endpoint, the engine and reader it hands work to, the options and the counters /healthz shows.
//
// Thread model: one network thread runs `io` and is the only one to touch anything here but
// `engine` and `reader` (thread-safe; they reach back only by posting to `io`). WebSocket++ runs
// single-threaded (ws_config.h), so its mutexes and strands would be pure cost.
#ifndef LAGESBILD_SERVER_NETWORK_H_
#define LAGESBILD_SERVER_NETWORK_H_

#include <cstdint>
#include <memory>

#include "sign_in_audit.h"
#include "ws_config.h"

#include "lagesbild/core/clock.h"
#include "lagesbild/core/config.h"
#include "lagesbild/core/rate_limit.h"
#include "lagesbild/engine/engine.h"
#include "lagesbild/engine/reader.h"
#include "lagesbild/server/server.h"

namespace lagesbild {

using PreparedMessage = WsServer::message_ptr;
using ConnectionHandle = websocketpp::connection_hdl;
using HttpStatus = websocketpp::http::status_code::value;

// Counters shown by /healthz (network thread).
struct ServerStats {
  std::int64_t lagging_detected = 0, resynced = 0, closed_slow = 0, closed_no_pong = 0;
  std::int64_t refused_at_cap = 0, accept_failures = 0, rate_limited = 0, faults = 0;
  std::int64_t refusals_counted = 0, origin_refused = 0, sign_ins_failed = 0, sign_ins_throttled = 0;
};

struct Network {
  Network(std::shared_ptr<const HealthcareRegionConfig> config_in,
          std::shared_ptr<const Clock> clock_in, ServerOptions options_in,
          std::unique_ptr<EventStore> store, std::unique_ptr<EventStore> reads,
          CommitListener* listener)
      : config(std::move(config_in)),
        clock(std::move(clock_in)),
        options(std::move(options_in)),
        users(std::make_shared<const UserDirectory>(options.users)),
        engine(config, std::move(store), listener),
        reader(std::move(reads), options.max_queued_reads,
               std::chrono::milliseconds(options.read_timeout_ms)) {}

  // The connection behind a handle, or null once it is gone.
  WsServer::connection_ptr Connection(ConnectionHandle handle) {
    websocketpp::lib::error_code ec;
    auto connection = endpoint.get_con_from_hdl(handle, ec);
    return ec ? nullptr : connection;
  }

  const std::shared_ptr<const HealthcareRegionConfig> config;
  const std::shared_ptr<const Clock> clock;
  const ServerOptions options;
  // Who may sign in: options.users at start, replaced when SIGHUP rereads the file.
  std::shared_ptr<const UserDirectory> users;
  asio::io_context io{1};  // run by the network thread alone
  WsServer endpoint;
  Engine engine;
  Reader reader;
  // Failed sign-ins per client address, WebSocket and HTTP alike: 5 a minute, then a lockout.
  SignInThrottle sign_ins{5, 60 * 1000, 10000};
  SignInAudit audit{engine};  // sign_in events in the space "audit"
  ServerStats stats;
  bool shutting_down = false;
};

// The actor of the system's own commands (exercise clock, refusal summaries).
inline Actor SystemActor() { return Actor{Actor::Kind::kSystem, "system", Role::kViewer, ""}; }

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_NETWORK_H_
