// The fan-out's shared state: every space's replica, every WebSocket connection's session, and
// the frames sent to them. A delta is framed once and the same frame is queued on every board
// that needs it; each board has a send budget, and one that stops reading is resynchronised with
// a snapshot or closed (docs/protocol.md, "snapshot").
//
// Thread model: network thread only (network.h).
#ifndef LAGESBILD_SERVER_SHARED_STATE_H_
#define LAGESBILD_SERVER_SHARED_STATE_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "network.h"

#include "lagesbild/core/rate_limit.h"
#include "lagesbild/engine/histogram.h"
#include "lagesbild/server/space_replica.h"

namespace lagesbild {

// What the network thread knows about one WebSocket connection.
struct Session {
  explicit Session(const ServerOptions& options)
      : frames(options.message_rate, options.message_burst) {}
  Actor actor = AnonymousViewer();  // replaced by a signed-in user on "hello"
  bool signed_in = false;
  std::optional<TimeMs> expires_ms;  // the signed-in user's token expires then
  std::string space;                // subscribed space; empty until subscribed
  // With --require-sign-in, the subscription asked for on connecting waits for the sign-in.
  // (A pointer: most connections never need it, and every byte of an idle board counts.)
  std::unique_ptr<std::pair<std::string, std::optional<Seq>>> waiting_subscription;
  TokenBucket frames;               // every message the client sends takes a token
  int limited_in_a_row = 0;         // messages refused as rate_limited since the last served one
  WsServer::connection_ptr connection;  // held from open to close
  Seq sent_seq = 0;  // the last seq of `space` this board has been sent (delta or snapshot)
  // A board that stopped reading: deltas are no longer queued for it (its memory is capped);
  // once its queue drains it gets one fresh snapshot instead of everything it missed.
  bool lagging = false;
  TimeMs lagging_since = 0;
};

class SharedState {
 public:
  // `clock_now`: a running exercise's clock now (snapshots carry it), from the exercise runner.
  using ClockNow = std::function<std::optional<SetExerciseClock>(const std::string& space)>;
  SharedState(Network& net, ClockNow clock_now) : net_(net), clock_now_(std::move(clock_now)) {}

  // Replicas of the spaces the engine recovered, before serving.
  void AddRecovered();
  const SpaceReplica* Find(const std::string& space) const;
  bool Has(const std::string& space) const { return replicas_.count(space) != 0; }
  const std::map<std::string, SpaceReplica>& replicas() const { return replicas_; }

  Session& Open(ConnectionHandle handle, WsServer::connection_ptr connection);
  Session* Find(ConnectionHandle handle);
  void Close(ConnectionHandle handle) { sessions_.erase(handle); }
  template <typename Visit>  // Visit(ConnectionHandle, Session&)
  void ForEachSession(Visit&& visit) {
    for (auto& [handle, session] : sessions_) visit(handle, session);
  }
  std::size_t open() const { return sessions_.size(); }
  std::size_t lagging() const;

  // Answers a subscription: the missed deltas and `resumed`, or a snapshot.
  void Subscribe(ConnectionHandle handle, Session& session, const std::string& space,
                 std::optional<Seq> since);
  // Applies committed events to their replicas and schedules the boards' fan-out. Calls
  // `on_event` for each event applied (the exercise runner wakes for arrivals).
  void Publish(const std::vector<Event>& events, const std::function<void(const Event&)>& on_event);

  // A reply to one connection (ack, error, snapshot). `snapshot`: the answer to a subscription,
  // which a board must get whatever it has waiting (a first snapshot is never judged as
  // lagging); it still counts for what follows. A connection past the hard cap is closed.
  void Send(ConnectionHandle handle, const std::string& text, bool snapshot = false);
  void SendError(ConnectionHandle handle, const std::string& id, const Error& error);
  // The live boards' neighbours section (neighbour_watch.h): kept, sent now to every board of
  // the live space, and to each one that subscribes or is resynchronised later.
  void SetNeighbours(std::string message);
  const std::string& neighbours() const { return neighbours_; }
  // Twice a second: laggards resynchronised or closed, keepalive pings when `ping`.
  void Maintain(TimeMs now, bool ping);
  // At shutdown: every connection closed as going away.
  void CloseAll();

  // For /metrics (network thread).
  struct Metrics {
    Histogram fan_out_seconds{LatencyBounds()};     // one space's fan-out to its boards
    std::map<std::string, std::uint64_t> events;     // published, by space
    std::map<std::string, std::uint64_t> errors;     // sent to clients, by error code
  };
  const Metrics& metrics() const { return metrics_; }

 private:
  void ScheduleFanOut(const std::string& space);
  void FanOut(const std::string& space);
  // Queues a delta or coalesced snapshot for a board; false if the board is too far behind
  // (it is then marked lagging and resynchronised by Maintain()).
  bool SendToBoard(Session& session, const PreparedMessage& message);
  std::string Snapshot(const SpaceReplica& replica, TimeMs now) const;
  void SendNeighbours(ConnectionHandle handle, const Session& session);

  Network& net_;
  const ClockNow clock_now_;
  Metrics metrics_;
  std::map<std::string, SpaceReplica> replicas_;
  std::string neighbours_;  // the last "neighbours" message; empty: no feeds configured
  std::map<ConnectionHandle, Session, std::owner_less<ConnectionHandle>> sessions_;
  struct FanOutState {
    bool pending = false;      // a FanOut() is posted or timed and has not run yet
    bool flooded = false;      // the last one sent a coalescing snapshot
    std::chrono::steady_clock::time_point last;
    std::unique_ptr<asio::steady_timer> timer;
  };
  std::map<std::string, FanOutState> fan_outs_;  // per space
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_SHARED_STATE_H_
