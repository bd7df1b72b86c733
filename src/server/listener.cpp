#include "listener.h"

#include <algorithm>

#include <sys/resource.h>

namespace lagesbild {

void Listener::FitDescriptorLimit() {
  // Descriptors: as many as the system allows this process, and connections kept below that
  // (files, the event log and the listening socket need some too).
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) != 0) return;
  if (files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    getrlimit(RLIMIT_NOFILE, &files);
  }
  if (files.rlim_cur != RLIM_INFINITY && files.rlim_cur > 64) {
    limits_.set_total_cap(std::min<std::size_t>(limits_.total_cap(), files.rlim_cur - 64));
  }
}

std::optional<Error> Listener::Listen() {
  const ServerOptions& options = net_.options;
  asio::error_code address_error;
  const auto address = asio::ip::make_address(options.bind_address, address_error);
  if (address_error) {
    return MakeError("listen", "bind", "bad bind address '" + options.bind_address + "'");
  }
  websocketpp::lib::error_code ec;
  net_.endpoint.listen(asio::ip::tcp::endpoint(address, options.port), ec);
  if (ec) {
    return MakeError("listen", "port", "cannot listen on " + options.bind_address + ":" +
                                           std::to_string(options.port) + ": " + ec.message());
  }
  asio::error_code local_error;
  port_ = net_.endpoint.get_local_endpoint(local_error).port();
  loopback_ = address.is_loopback();
  Accept();
  return std::nullopt;
}

void Listener::Stop() {
  websocketpp::lib::error_code ec;
  net_.endpoint.stop_listening(ec);
  accept_timer_.cancel();
}

void Listener::Accept() {
  if (net_.shutting_down) return;
  websocketpp::lib::error_code ec;
  WsServer::connection_ptr connection = net_.endpoint.get_connection();
  if (!connection) return;
  net_.endpoint.async_accept(connection,
                             [this, connection](const websocketpp::lib::error_code& error) {
                               OnAccepted(connection, error);
                             },
                             ec);
  if (ec) connection->terminate(ec);  // not listening any more (shutting down)
}

void Listener::OnAccepted(WsServer::connection_ptr connection,
                          const websocketpp::lib::error_code& error) {
  if (net_.shutting_down || error == websocketpp::error::operation_canceled) return;
  if (error) {
    // Out of descriptors, or another resource: pause accepting (10 ms, doubling up to 1 s).
    ++net_.stats.accept_failures;
    websocketpp::lib::error_code ignored;
    connection->terminate(ignored);
    accept_backoff_ = std::min(std::chrono::milliseconds(1000),
                               std::max(std::chrono::milliseconds(10), accept_backoff_ * 2));
    accept_timer_.expires_after(accept_backoff_);
    accept_timer_.async_wait([this](const asio::error_code& wait_error) {
      if (!wait_error) Accept();
    });
    return;
  }
  accept_backoff_ = std::chrono::milliseconds(0);
  asio::error_code address_error;
  const auto remote = connection->get_raw_socket().remote_endpoint(address_error);
  const std::string address = address_error ? std::string("?") : remote.address().to_string();
  const auto& proxies = net_.options.trusted_proxies;
  const bool proxy = std::find(proxies.begin(), proxies.end(), address) != proxies.end();
  const auto place = limits_.TryOpen(address, !proxy);
  if (!place) {
    // At a cap: the connection is closed at once, before a byte is read.
    ++net_.stats.refused_at_cap;
    asio::error_code ignored;
    connection->get_raw_socket().close(ignored);
  } else {
    connection->set_termination_handler(
        [this, place = *place](WsServer::connection_ptr) { limits_.Close(place); });
    connection->start();
  }
  Accept();
}

}  // namespace lagesbild
