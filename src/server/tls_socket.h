// WebSocket++'s socket policy for this server: every connection is TLS when the server has a
// certificate (--tls-cert) and plain TCP when it has none, with one endpoint type either way, so
// the transport is written once. It follows WebSocket++'s own basic_socket and tls_socket
// policies (websocketpp/transport/asio/security/{none,tls}.hpp), which fix the choice at compile
// time. A plaintext connection carries no TLS state at all (an idle board stays small).
//
// Each TLS connection takes the context current when it is accepted (TlsSource), so a certificate
// reloaded on SIGHUP serves new connections while open ones keep theirs.
//
// Thread model: network thread only, like the rest of WebSocket++ here (ws_config.h).
#ifndef LAGESBILD_SERVER_TLS_SOCKET_H_
#define LAGESBILD_SERVER_TLS_SOCKET_H_

#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include <websocketpp/common/asio.hpp>
#include <websocketpp/common/asio_ssl.hpp>
#include <websocketpp/common/connection_hdl.hpp>
#include <websocketpp/transport/asio/base.hpp>
#include <websocketpp/transport/asio/security/base.hpp>
#include <websocketpp/transport/base/connection.hpp>
#include <websocketpp/uri.hpp>

namespace lagesbild::tls_socket {

namespace wsasio = websocketpp::transport::asio;
using Tcp = asio::ip::tcp;
using SslContext = asio::ssl::context;
using SslStream = asio::ssl::stream<Tcp::socket>;
// The context for a new connection; null when the server speaks plain TCP.
using TlsSource = std::function<std::shared_ptr<SslContext>()>;

// A stream that is either a TLS stream or a bare socket: what WebSocket++ reads and writes
// through (asio's AsyncReadStream and AsyncWriteStream).
class Stream {
 public:
  using executor_type = Tcp::socket::executor_type;
  using lowest_layer_type = Tcp::socket;

  Stream(asio::io_context& io, std::shared_ptr<SslContext> context) : context_(std::move(context)) {
    if (context_) {
      tls_ = std::make_unique<SslStream>(io, *context_);
    } else {
      plain_ = std::make_unique<Tcp::socket>(io);
    }
  }

  bool secure() const { return tls_ != nullptr; }
  SslStream& tls() { return *tls_; }
  Tcp::socket& lowest_layer() { return tls_ ? tls_->next_layer() : *plain_; }
  const Tcp::socket& lowest_layer() const { return tls_ ? tls_->next_layer() : *plain_; }
  executor_type get_executor() { return lowest_layer().get_executor(); }

  template <typename Buffers, typename Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    if (tls_) {
      tls_->async_read_some(buffers, std::forward<Handler>(handler));
    } else {
      plain_->async_read_some(buffers, std::forward<Handler>(handler));
    }
  }
  template <typename Buffers, typename Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    if (tls_) {
      tls_->async_write_some(buffers, std::forward<Handler>(handler));
    } else {
      plain_->async_write_some(buffers, std::forward<Handler>(handler));
    }
  }

 private:
  std::shared_ptr<SslContext> context_;  // kept alive as long as the stream uses it
  std::unique_ptr<SslStream> tls_;
  std::unique_ptr<Tcp::socket> plain_;
};

using socket_init_handler = std::function<void(websocketpp::connection_hdl, Tcp::socket&)>;

// The per-connection half of the policy (WebSocket++ derives its transport connection from it).
class connection : public std::enable_shared_from_this<connection> {
 public:
  using type = connection;
  using ptr = std::shared_ptr<type>;
  using socket_type = Stream;
  using io_service_ptr = asio::io_context*;
  using strand_ptr = std::shared_ptr<asio::io_context::strand>;

  ptr get_shared() { return shared_from_this(); }
  bool is_secure() const { return stream_ && stream_->secure(); }
  Tcp::socket& get_raw_socket() { return stream_->lowest_layer(); }
  Tcp::socket& get_next_layer() { return stream_->lowest_layer(); }
  Stream& get_socket() { return *stream_; }
  void set_socket_init_handler(socket_init_handler handler) { init_handler_ = std::move(handler); }
  void set_tls_source(TlsSource source) { tls_source_ = std::move(source); }

  std::string get_remote_endpoint(websocketpp::lib::error_code& ec) const {
    std::stringstream text;
    asio::error_code error;
    const Tcp::endpoint remote = stream_->lowest_layer().remote_endpoint(error);
    if (error) {
      ec = wsasio::error::make_error_code(wsasio::error::pass_through);
      text << "Error getting remote endpoint: " << error << " (" << error.message() << ")";
    } else {
      ec = websocketpp::lib::error_code();
      text << remote;
    }
    return text.str();
  }

 protected:
  websocketpp::lib::error_code init_asio(io_service_ptr service, strand_ptr, bool) {
    std::shared_ptr<SslContext> context = tls_source_ ? tls_source_() : nullptr;
    stream_ = std::make_unique<Stream>(*service, std::move(context));
    if (init_handler_) init_handler_(hdl_, stream_->lowest_layer());
    return websocketpp::lib::error_code();
  }
  void set_uri(websocketpp::uri_ptr) {}
  void pre_init(wsasio::socket::init_handler callback) { callback(websocketpp::lib::error_code()); }
  // The TLS handshake (the transport's handshake timer bounds it); nothing for plain TCP.
  void post_init(wsasio::socket::init_handler callback) {
    if (!stream_->secure()) {
      callback(websocketpp::lib::error_code());
      return;
    }
    ec_ = wsasio::socket::make_error_code(wsasio::socket::error::tls_handshake_timeout);
    stream_->tls().async_handshake(
        asio::ssl::stream_base::server,
        [self = get_shared(), callback](const asio::error_code& error) {
          self->ec_ = error ? wsasio::socket::make_error_code(
                                  wsasio::socket::error::tls_handshake_failed)
                            : websocketpp::lib::error_code();
          callback(self->ec_);
        });
  }
  void set_handle(websocketpp::connection_hdl hdl) { hdl_ = std::move(hdl); }
  websocketpp::lib::error_code get_ec() const { return ec_; }
  asio::error_code cancel_socket() {
    asio::error_code error;
    stream_->lowest_layer().cancel(error);
    return error;
  }
  void async_shutdown(wsasio::socket::shutdown_handler callback) {
    if (stream_->secure()) {
      stream_->tls().async_shutdown(callback);
      return;
    }
    asio::error_code error;
    stream_->lowest_layer().shutdown(Tcp::socket::shutdown_both, error);
    callback(error);
  }

 public:
  template <typename ErrorCode>
  static websocketpp::lib::error_code translate_ec(ErrorCode ec) {
    return ec.category() == asio::error::get_ssl_category()
               ? websocketpp::transport::error::make_error_code(
                     websocketpp::transport::error::tls_error)
               : websocketpp::transport::error::make_error_code(
                     websocketpp::transport::error::pass_through);
  }
  static websocketpp::lib::error_code translate_ec(websocketpp::lib::error_code ec) { return ec; }

 private:
  std::unique_ptr<Stream> stream_;
  websocketpp::lib::error_code ec_;
  websocketpp::connection_hdl hdl_;
  socket_init_handler init_handler_;
  TlsSource tls_source_;
};

// The endpoint half: hands each new connection the current TLS context source.
class endpoint {
 public:
  using type = endpoint;
  using socket_con_type = connection;
  using socket_con_ptr = connection::ptr;

  bool is_secure() const { return static_cast<bool>(tls_source_); }
  void set_socket_init_handler(socket_init_handler handler) { init_handler_ = std::move(handler); }
  // Before listening: the source of TLS contexts (null or unset: plain TCP).
  void set_tls_source(TlsSource source) { tls_source_ = std::move(source); }

 protected:
  websocketpp::lib::error_code init(socket_con_ptr connection) {
    connection->set_socket_init_handler(init_handler_);
    connection->set_tls_source(tls_source_);
    return websocketpp::lib::error_code();
  }

 private:
  socket_init_handler init_handler_;
  TlsSource tls_source_;
};

}  // namespace lagesbild::tls_socket

#endif  // LAGESBILD_SERVER_TLS_SOCKET_H_
