// Accepting connections: this server's own accept loop (WebSocket++'s retries a failed accept at
// once, which with no descriptors left spins the one network thread), the connection caps
// (connection_limits.h) and the pause after a failed accept.
//
// Thread model: network thread only (network.h).
#ifndef LAGESBILD_SERVER_LISTENER_H_
#define LAGESBILD_SERVER_LISTENER_H_

#include <chrono>
#include <optional>

#include "connection_limits.h"
#include "network.h"

#include "lagesbild/core/error.h"

namespace lagesbild {

class Listener {
 public:
  explicit Listener(Network& net)
      : net_(net), limits_(net.options.max_connections, net.options.max_connections_per_address) {}

  // Raises the descriptor limit as far as allowed and keeps the connection cap below it.
  void FitDescriptorLimit();
  // Listens on the options' address and port and starts accepting.
  std::optional<Error> Listen();
  std::uint16_t port() const { return port_; }
  bool loopback() const { return loopback_; }  // listening on a loopback address only
  void Stop();  // stops listening and accepting
  const ConnectionLimits& limits() const { return limits_; }

 private:
  void Accept();
  void OnAccepted(WsServer::connection_ptr connection, const websocketpp::lib::error_code& error);

  Network& net_;
  ConnectionLimits limits_;
  asio::steady_timer accept_timer_{net_.io};
  std::chrono::milliseconds accept_backoff_{0};
  std::uint16_t port_ = 0;
  bool loopback_ = true;
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_LISTENER_H_
