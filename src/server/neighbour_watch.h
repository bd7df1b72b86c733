// The neighbours' feeds (core/neighbours.h): each configured feed fetched on its interval
// (feed_fetch.h), its answer read as EDXL-HAVE (interop/have_read.h), its health recorded, and
// the live boards sent the "neighbours" message after every attempt (SharedState). Nothing of a
// neighbour is stored: it is their picture, not ours, and a restart asks them again.
//
// Thread model: network thread only (network.h). The parsing of an answer (at most 512 KiB, no
// DTD) runs there too, once per feed and interval.
#ifndef LAGESBILD_SERVER_NEIGHBOUR_WATCH_H_
#define LAGESBILD_SERVER_NEIGHBOUR_WATCH_H_

#include <memory>
#include <string>
#include <vector>

#include "feed_fetch.h"
#include "network.h"
#include "shared_state.h"

#include "lagesbild/core/neighbours.h"

namespace lagesbild {

class NeighbourWatch {
 public:
  NeighbourWatch(Network& net, SharedState& shared) : net_(net), shared_(shared) {}

  // Reads each feed's token file and trust (ca_file): an error (code "config") names the feed.
  std::optional<Error> Open();
  // The first fetch of every feed, now; then one per interval.
  void Start();
  // Shutdown: timers and fetches under way are cancelled.
  void Stop();

  const std::vector<NeighbourFeedState>& states() const { return states_; }
  // The boards' message now (an empty list without feeds).
  std::string Message() const;

 private:
  struct Feed {
    std::shared_ptr<asio::ssl::context> tls;
    std::string token;
    std::unique_ptr<asio::steady_timer> timer;
    std::shared_ptr<FeedFetch> fetch;  // under way
    std::chrono::steady_clock::time_point started;
  };
  void Fetch(std::size_t index);
  void Answered(std::size_t index, FetchOutcome outcome);
  void Publish() { shared_.SetNeighbours(Message()); }

  Network& net_;
  SharedState& shared_;
  std::vector<Feed> feeds_;                // parallel to net_.config->neighbours
  std::vector<NeighbourFeedState> states_;  // likewise
  bool stopped_ = false;
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_NEIGHBOUR_WATCH_H_
