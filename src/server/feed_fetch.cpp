#include "feed_fetch.h"

#include <openssl/ssl.h>

namespace lagesbild {
namespace {

constexpr std::size_t kMaxHeadBytes = 16 * 1024;

std::string HostHeader(const FeedUrl& url) {
  const bool ipv6 = url.host.find(':') != std::string::npos;
  std::string host = ipv6 ? "[" + url.host + "]" : url.host;
  if (url.port != (url.tls ? 443 : 80)) host += ":" + std::to_string(url.port);
  return host;
}

bool IsAddress(const std::string& host) {
  asio::error_code error;
  asio::ip::make_address(host, error);
  return !error;
}

// An ssl stream's "stream truncated" (no close_notify) or a plain end of stream.
bool IsEnd(const asio::error_code& error) {
  return error == asio::error::eof || error == asio::ssl::error::stream_truncated;
}

}  // namespace

std::shared_ptr<FeedFetch> FeedFetch::Start(asio::io_context& io, FetchRequest request, Done done) {
  auto fetch = std::make_shared<FeedFetch>(io, std::move(request), std::move(done));
  fetch->Begin();
  return fetch;
}

FeedFetch::FeedFetch(asio::io_context& io, FetchRequest request, Done done)
    : request_(std::move(request)),
      done_(std::move(done)),
      resolver_(io),
      socket_(io),
      timer_(io),
      reader_(kMaxHeadBytes, request_.max_body) {
  if (request_.url.tls && request_.tls) {
    tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket>>(io, *request_.tls);
  }
}

void FeedFetch::Begin() {
  if (request_.url.tls && !tls_) return Fail("tls", "no TLS context for an https feed");
  request_text_ = "GET " + request_.url.target + " HTTP/1.1\r\nHost: " + HostHeader(request_.url) +
                  "\r\nAccept: application/xml, text/xml\r\nUser-Agent: Lagesbild\r\n"
                  "Connection: close\r\n";
  if (!request_.bearer.empty()) request_text_ += "Authorization: Bearer " + request_.bearer + "\r\n";
  request_text_ += "\r\n";
  auto self = shared_from_this();
  timer_.expires_after(request_.timeout);
  timer_.async_wait([self](const asio::error_code& error) {
    if (error || self->finished_) return;
    self->Fail("timeout", "no complete answer within " +
                              std::to_string(self->request_.timeout.count() / 1000.0).substr(0, 4) + " s");
  });
  resolver_.async_resolve(request_.url.host, std::to_string(request_.url.port),
                          [self](const asio::error_code& error,
                                 const asio::ip::tcp::resolver::results_type& endpoints) {
                            if (self->finished_) return;
                            if (error) return self->Fail("unreachable", "resolve: " + error.message());
                            self->Connect(endpoints);
                          });
}

void FeedFetch::Connect(const asio::ip::tcp::resolver::results_type& endpoints) {
  auto self = shared_from_this();
  asio::async_connect(Socket(), endpoints,
                      [self](const asio::error_code& error, const asio::ip::tcp::endpoint&) {
                        if (self->finished_) return;
                        if (error) return self->Fail("unreachable", "connect: " + error.message());
                        if (self->tls_) {
                          self->Handshake();
                        } else {
                          self->Write();
                        }
                      });
}

void FeedFetch::Handshake() {
  const std::string& host = request_.url.host;
  // SNI (for a name, never an address) and the certificate checked against the host.
  if (!IsAddress(host)) SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
  tls_->set_verify_mode(asio::ssl::verify_peer);
  tls_->set_verify_callback(asio::ssl::host_name_verification(host));
  auto self = shared_from_this();
  tls_->async_handshake(asio::ssl::stream_base::client, [self](const asio::error_code& error) {
    if (self->finished_) return;
    if (error) return self->Fail("tls", "handshake: " + error.message());
    self->Write();
  });
}

void FeedFetch::Write() {
  auto self = shared_from_this();
  auto written = [self](const asio::error_code& error, std::size_t) {
    if (self->finished_) return;
    if (error) return self->Fail("unreachable", "send: " + error.message());
    self->Read();
  };
  if (tls_) {
    asio::async_write(*tls_, asio::buffer(request_text_), written);
  } else {
    asio::async_write(socket_, asio::buffer(request_text_), written);
  }
}

void FeedFetch::Read() {
  auto self = shared_from_this();
  auto read = [self](const asio::error_code& error, std::size_t size) {
    if (self->finished_) return;
    HttpResponseReader& reader = self->reader_;
    auto state = HttpResponseReader::State::kMore;
    if (size > 0) state = reader.Feed(std::string_view(self->buffer_.data(), size));
    if (state == HttpResponseReader::State::kMore && error) {
      if (!IsEnd(error)) return self->Fail("unreachable", "receive: " + error.message());
      // A TLS peer that closes without close_notify could be a truncation: only a body whose
      // length was announced (and has all come) is believed then.
      const auto& headers = reader.headers();
      if (error == asio::ssl::error::stream_truncated && reader.head_done() &&
          headers.count("content-length") == 0 && headers.count("transfer-encoding") == 0) {
        return self->Fail("invalid_http", "the TLS connection ended without close_notify: the body may be cut short");
      }
      state = reader.End();
    }
    if (reader.head_done() && reader.status() >= 200 && reader.status() != 200) {  // 1xx: the reader's error
      return self->Fail("http_status", "HTTP " + std::to_string(reader.status()) +
                                           (reader.status() / 100 == 3 ? " (redirects are not followed)" : ""));
    }
    if (state == HttpResponseReader::State::kError) return self->Fail(reader.error_code().c_str(), reader.error());
    if (state == HttpResponseReader::State::kDone) return self->Finish({std::nullopt, reader.body()});
    self->Read();
  };
  if (tls_) {
    tls_->async_read_some(asio::buffer(buffer_), read);
  } else {
    socket_.async_read_some(asio::buffer(buffer_), read);
  }
}

void FeedFetch::Finish(FetchOutcome outcome) {
  if (finished_) return;
  finished_ = true;
  asio::error_code ignored;
  timer_.cancel(ignored);
  resolver_.cancel();
  Socket().close(ignored);  // any operation still pending completes with an error, and returns
  Done done = std::move(done_);
  if (done) done(std::move(outcome));
}

void FeedFetch::Cancel() {
  done_ = nullptr;
  Finish({});
}

}  // namespace lagesbild
