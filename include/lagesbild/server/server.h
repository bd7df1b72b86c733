// The Lägesbild server: one port for the board's files, the JSON HTTP API and WebSocket.
//
// Thread model: Run() drives one network thread (the caller's), which owns the WebSocket++
// endpoint, every connection, the subscriptions, the per-space replicas, the rate limits and the
// scenario catalogue. The Engine (writes) and the Reader (history, pages, reviews, scenario
// reloads) run their own threads and reach the network thread only by posting to it. Shutdown()
// is the one method another thread may call.
//
// Client input is hostile: every handler runs behind a last-resort guard that logs a fault and
// closes that one connection; an escape from a posted handler is logged and the loop goes on.
#ifndef LAGESBILD_SERVER_SERVER_H_
#define LAGESBILD_SERVER_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lagesbild/core/clock.h"
#include "lagesbild/core/config.h"
#include "lagesbild/engine/engine.h"
#include "lagesbild/core/error.h"
#include "lagesbild/store/store.h"
#include "lagesbild/auth/users.h"

namespace lagesbild {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 8080;    // 0: any free port (see Server::port())
  std::string web_root;         // directory with the board's files
  std::size_t deltas_kept = 4096;  // per space, for reconnecting clients
  bool handle_signals = true;   // SIGINT/SIGTERM start a graceful shutdown
  UserDirectory users;          // who may sign in; without a token a connection only reads
  std::string users_path;       // reread on SIGHUP (empty: never)
  std::string scenarios_dir;    // scenario files for exercises
  std::string start_scenario;   // start this scenario as an exercise once listening (demo)
  int keepalive_seconds = 20;   // ping every connection this often; no pong in half of it closes

  // Limits (docs/protocol.md, "Limits"). Every client is hostile until proven otherwise.
  double message_rate = 20;          // WebSocket messages a second per connection (token bucket)
  double message_burst = 200;        // ... and at once
  double write_rate = 5000;          // commands a second to the event log, all connections
  std::size_t max_connections = 20000;           // open at once (also kept below the fd limit)
  std::size_t max_connections_per_address = 1000;
  int refusals_per_minute = 20;      // refusals stored one by one per user and space
  int request_timeout_ms = 10000;    // a request head (or WebSocket handshake) must arrive by then
  std::size_t max_queued_reads = 32; // history, message pages, reviews waiting for the reader
  int read_timeout_ms = 10000;       // a read still running after this is interrupted
  std::vector<std::string> allowed_origins;  // besides the server's own, e.g. "https://tib.example"
  bool require_sign_in = false;      // every read needs a token (viewer or above)
  bool metrics_sign_in = false;      // GET /metrics needs a token (any role; e.g. a viewer)

  // TLS (docs/operations.md). Without a certificate the server listens only on loopback unless
  // insecure_plaintext says the network is trusted (or a TLS proxy is in front).
  std::string tls_cert, tls_key;     // PEM files; the key readable by its owner only
  bool insecure_plaintext = false;
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For/-Proto are believed
};

class Server {
 public:
  // `reads`: a second connection to the same log for the reader thread (history, message pages,
  // reviews), so reads never wait behind a commit nor delay one.
  Server(std::shared_ptr<const HealthcareRegionConfig> config, std::unique_ptr<EventStore> store,
         std::unique_ptr<EventStore> reads, std::shared_ptr<const Clock> clock,
         ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Recovers state from the event log, loads the web files and starts listening.
  std::optional<Error> Open();
  std::uint16_t port() const;
  // The space of the exercise started by ServerOptions::start_scenario, if any.
  std::string started_exercise() const;
  // After Open(): how each space was rebuilt (saved state and events replayed).
  std::vector<SpaceRecovery> recovery() const;
  // Serves until SIGINT/SIGTERM or Shutdown() (SIGHUP reloads the certificate and the users
  // file): then stops accepting, commits and acknowledges
  // what was already submitted, closes every connection and returns.
  void Run();
  // Thread-safe.
  void Shutdown();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_SERVER_H_
