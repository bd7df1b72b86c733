// WebSocket++'s configuration for this server: its asio defaults with a stricter request type,
// a response type that carries the same headers on every answer, a socket that is TLS or plain
// TCP (tls_socket.h), single-threaded use and a small read buffer. Only the transport's translation units include this (it pulls in WebSocket++).
#ifndef LAGESBILD_SERVER_WS_CONFIG_H_
#define LAGESBILD_SERVER_WS_CONFIG_H_

#include <string>

#include <websocketpp/concurrency/none.hpp>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

#include "http_rules.h"
#include "tls_socket.h"

namespace lagesbild {

// A request that is checked on its raw bytes (http_rules.h) before WebSocket++'s lenient parser
// sees them. A refusal is thrown as WebSocket++'s own http::exception, which makes it answer
// with that status and read no more from the connection.
class StrictRequest : public websocketpp::http::parser::request {
 public:
  std::size_t consume(const char* buf, std::size_t len) {
    if (!head_checked_) {
      const std::size_t scanned = head_.size();
      head_.append(buf, len);
      const HeadScan scan = ScanRequestHead(head_, scanned < 3 ? 0 : scanned - 3);
      if (scan.refusal) Throw(*scan.refusal);
      if (scan.end) {
        head_.resize(*scan.end);
        if (auto refusal = CheckRequestHead(head_)) Throw(*refusal);
        head_checked_ = true;
        head_ = std::string();
      }
    }
    return websocketpp::http::parser::request::consume(buf, len);
  }

 private:
  [[noreturn]] static void Throw(const HttpRefusal& refusal) {
    // The reason goes into the status line and (SecureResponse) the JSON body.
    throw websocketpp::http::exception(
        refusal.reason, static_cast<websocketpp::http::status_code::value>(refusal.status),
        refusal.reason);
  }
  std::string head_;  // the head as read so far, until it has been checked
  bool head_checked_ = false;
};

// Every answer but a WebSocket upgrade says Connection: close (the server ends each HTTP
// connection after one answer) and carries the security headers; an error WebSocket++ produced
// on its own (a refused request head) gets a JSON body that names the reason.
class SecureResponse : public websocketpp::http::parser::response {
 public:
  // Set by the server before it listens, when it speaks TLS: every answer then carries HSTS
  // (RFC 6797 forbids it over plain HTTP). Read only on the network thread afterwards.
  inline static bool strict_transport = false;

  std::string raw() const {
    if (get_status_code() == websocketpp::http::status_code::switching_protocols) {
      return websocketpp::http::parser::response::raw();
    }
    websocketpp::http::parser::response answer = *this;
    answer.replace_header("Connection", "close");
    for (const auto& [name, value] : SecurityHeaders()) {
      if (answer.get_header(name).empty()) answer.replace_header(name, value);
    }
    if (answer.get_header("Cache-Control").empty()) answer.replace_header("Cache-Control", "no-cache");
    if (strict_transport) answer.replace_header("Strict-Transport-Security", "max-age=31536000");
    if (get_status_code() >= 400 && get_body().empty() && get_header("Content-Type").empty()) {
      std::string reason;
      for (char c : get_status_msg()) reason += (c == '"' || c == '\\' || c < 0x20) ? ' ' : c;
      answer.replace_header("Content-Type", "application/json");
      answer.set_body("{\"v\":1,\"type\":\"error\",\"id\":null,\"code\":\"bad_request\",\"message\":\"" +
                      reason + "\"}");
    }
    return answer.raw();
  }
};

struct ServerConfig : public websocketpp::config::asio {
  using type = ServerConfig;
  using base = websocketpp::config::asio;
  using concurrency_type = websocketpp::concurrency::none;
  using request_type = StrictRequest;
  using response_type = SecureResponse;
  using alog_type = websocketpp::log::basic<concurrency_type, websocketpp::log::alevel>;
  using elog_type = websocketpp::log::basic<concurrency_type, websocketpp::log::elevel>;
  struct transport_config : public base::transport_config {
    using concurrency_type = type::concurrency_type;
    using alog_type = type::alog_type;
    using elog_type = type::elog_type;
    using request_type = type::request_type;
    using response_type = type::response_type;
    using socket_type = tls_socket::endpoint;  // TLS or plain TCP, chosen at start
    static const bool enable_multithreading = false;
  };
  using transport_type = websocketpp::transport::asio::endpoint<transport_config>;
  // A 512-byte read buffer per connection instead of 16 KiB: it is only the chunk each socket
  // read takes (a larger frame is read in several), clients send small JSON messages, and an
  // idle board should cost little memory (docs/performance.md).
  static const std::size_t connection_read_buffer_size = 512;
};

using WsServer = websocketpp::server<ServerConfig>;

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_WS_CONFIG_H_
