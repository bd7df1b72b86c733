// One HTTP(S) GET of a neighbour's feed (neighbour_watch.h): resolve, connect, TLS with the
// peer's certificate checked against the host name, the request, and the answer read through
// HttpResponseReader with its limits. The whole fetch has one time-out; whatever happens, `done`
// is called exactly once (unless Cancel() comes first), on the network thread. No redirects are
// followed and nothing is kept between fetches.
//
// Thread model: network thread only (network.h).
#ifndef LAGESBILD_SERVER_FEED_FETCH_H_
#define LAGESBILD_SERVER_FEED_FETCH_H_

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <asio.hpp>
#include <asio/ssl.hpp>

#include "http_response.h"

#include "lagesbild/core/neighbours.h"

namespace lagesbild {

struct FetchRequest {
  FeedUrl url;
  std::string bearer;  // sent as Authorization: Bearer when not empty
  std::chrono::milliseconds timeout{10000};
  std::shared_ptr<asio::ssl::context> tls;  // https: the client context (who is trusted)
  std::size_t max_body = 512 * 1024;
};

struct FetchOutcome {
  std::optional<FeedProblem> problem;  // empty: a 200 answer
  std::string body;
};

class FeedFetch : public std::enable_shared_from_this<FeedFetch> {
 public:
  using Done = std::function<void(FetchOutcome)>;
  static std::shared_ptr<FeedFetch> Start(asio::io_context& io, FetchRequest request, Done done);
  // Stops the fetch without calling `done` (shutdown).
  void Cancel();

  FeedFetch(asio::io_context& io, FetchRequest request, Done done);

 private:
  void Begin();
  void Connect(const asio::ip::tcp::resolver::results_type& endpoints);
  void Handshake();
  void Write();
  void Read();
  void Finish(FetchOutcome outcome);
  void Fail(const char* code, std::string detail) { Finish({FeedProblem{code, std::move(detail)}, {}}); }
  asio::ip::tcp::socket& Socket() { return tls_ ? tls_->next_layer() : socket_; }

  FetchRequest request_;
  Done done_;
  asio::ip::tcp::resolver resolver_;
  asio::ip::tcp::socket socket_;  // plain http
  std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket>> tls_;  // https
  asio::steady_timer timer_;
  HttpResponseReader reader_;
  std::string request_text_;
  std::array<char, 16 * 1024> buffer_{};
  bool finished_ = false;
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_FEED_FETCH_H_
