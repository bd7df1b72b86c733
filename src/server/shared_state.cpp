#include "shared_state.h"

#include <algorithm>

#include "lagesbild/core/core.h"
#include "lagesbild/core/scenario.h"
#include "lagesbild/core/wire.h"
#include "lagesbild/log/log.h"

namespace lagesbild {
namespace {

// Bytes WebSocket++ may hold unsent for one connection. Deltas stop at the soft cap; replies
// (acks, errors, snapshots) may use up to the hard cap; a laggard is resynchronised once below
// the low-water mark, or closed if it stays behind for kLaggardTimeoutMs.
constexpr std::size_t kSoftBufferCap = 1 << 20;
constexpr std::size_t kHardBufferCap = 4 << 20;
constexpr std::size_t kLowWater = 64 << 10;
constexpr TimeMs kLaggardTimeoutMs = 30000;
// A board more than this many deltas behind at a fan-out gets one snapshot instead: under a
// flood of reports the board needs the newest figures, not every step (coalescing).
constexpr Seq kMaxDeltasPerFanOut = 32;
// In a flood (some board was sent a snapshot because it was more than kMaxDeltasPerFanOut
// behind), the space's next fan-out waits this long: boards then get the newest figures ten
// times a second, and the network thread's time goes to acks and incoming reports instead of
// sending every step to every board. Without a flood a fan-out follows its commit at once.
constexpr auto kFloodFanOutInterval = std::chrono::milliseconds(100);

// A server text frame built once and queued, unchanged, on every subscriber's connection:
// WebSocket++ writes a prepared message as is (server frames are not masked).
PreparedMessage PrepareText(const std::string& text) {
  namespace frame = websocketpp::frame;
  auto message = std::make_shared<WsServer::message_ptr::element_type>(
      nullptr, frame::opcode::text, 0);
  const frame::basic_header header(frame::opcode::text, text.size(), /*fin=*/true, /*mask=*/false);
  message->set_header(frame::prepare_header(header, frame::extended_header(text.size())));
  message->set_payload(text);
  message->set_prepared(true);
  return message;
}

}  // namespace

void SharedState::AddRecovered() {
  for (const std::string& name : net_.engine.SpaceNames()) {
    replicas_.emplace(name, SpaceReplica(net_.config, *net_.engine.Space(name), net_.options.deltas_kept));
  }
}

const SpaceReplica* SharedState::Find(const std::string& space) const {
  auto replica = replicas_.find(space);
  return replica == replicas_.end() ? nullptr : &replica->second;
}

Session& SharedState::Open(ConnectionHandle handle, WsServer::connection_ptr connection) {
  Session& session = sessions_.try_emplace(handle, net_.options).first->second;
  session.connection = std::move(connection);
  return session;
}

Session* SharedState::Find(ConnectionHandle handle) {
  auto session = sessions_.find(handle);
  return session == sessions_.end() ? nullptr : &session->second;
}

std::size_t SharedState::lagging() const {
  return static_cast<std::size_t>(std::count_if(
      sessions_.begin(), sessions_.end(), [](const auto& s) { return s.second.lagging; }));
}

std::string SharedState::Snapshot(const SpaceReplica& replica, TimeMs now) const {
  return replica.Snapshot(now, clock_now_(replica.state().space));
}

void SharedState::Subscribe(ConnectionHandle handle, Session& session, const std::string& space,
                            std::optional<Seq> since) {
  if (auto refused = SpaceRefusal(space, session.actor)) {
    SendError(handle, "", *refused);
    return;
  }
  auto replica = replicas_.find(space);
  if (replica == replicas_.end()) {
    SendError(handle, "", MakeError("unknown_space", "space",
                                    "no space '" + TruncateUtf8(space, kMaxIdLength) + "'"));
    return;
  }
  session.space = space;
  session.lagging = false;
  session.sent_seq = replica->second.state().seq;
  if (since) {
    if (auto missed = replica->second.DeltasAfter(*since)) {
      for (const SharedMessage& delta : *missed) {
        if (!SendToBoard(session, PrepareText(*delta))) return;  // Maintain() resynchronises it
      }
      Send(handle, ResumedMessage(space, session.sent_seq));
      SendNeighbours(handle, session);
      return;
    }
  }
  Send(handle, Snapshot(replica->second, net_.clock->Now()), /*snapshot=*/true);
  SendNeighbours(handle, session);
}

void SharedState::SetNeighbours(std::string message) {
  neighbours_ = std::move(message);
  const PreparedMessage prepared = PrepareText(neighbours_);
  for (auto& [handle, session] : sessions_) {
    // A lagging board gets it with its fresh snapshot (Maintain).
    if (session.space == kLiveSpace) SendToBoard(session, prepared);
  }
}

void SharedState::SendNeighbours(ConnectionHandle handle, const Session& session) {
  if (session.space == kLiveSpace && !neighbours_.empty()) Send(handle, neighbours_);
}

void SharedState::Publish(const std::vector<Event>& events,
                          const std::function<void(const Event&)>& on_event) {
  for (const Event& event : events) {
    auto replica = replicas_.find(event.space);
    if (replica == replicas_.end()) {
      replica = replicas_
                    .emplace(event.space,
                             SpaceReplica(net_.config,
                                          InitialState(*net_.config, event.space,
                                                       event.space != kCatalogueSpace &&
                                                           event.space != kAuditSpace),
                                          net_.options.deltas_kept))
                    .first;
    }
    auto published = replica->second.Publish(event, net_.clock->Now());
    if (const Error* error = published.ok() ? nullptr : &published.error()) {
      // Cannot happen while the engine is the only source; if it does, the replica is wrong and
      // subscribers must not be fed from it.
      log::Error("replica_fault", {{"space", event.space}, {"detail", error->message}});
      continue;
    }
    ++metrics_.events[event.space];
    // No board reads the catalogue or the audit.
    if (event.space != kCatalogueSpace && event.space != kAuditSpace) ScheduleFanOut(event.space);
    on_event(event);
  }
}

// Posted rather than run at once: the acks of the batch just published are already queued behind
// this handler, so reporters hear "stored" before the boards are fed, and everything committed
// until the fan-out runs goes to each board in one pass (one write per board).
void SharedState::ScheduleFanOut(const std::string& space) {
  FanOutState& fan_out = fan_outs_[space];
  if (fan_out.pending) return;
  fan_out.pending = true;
  if (!fan_out.flooded) {
    asio::post(net_.io, [this, space] { FanOut(space); });
    return;
  }
  if (!fan_out.timer) fan_out.timer = std::make_unique<asio::steady_timer>(net_.io);
  fan_out.timer->expires_at(fan_out.last + kFloodFanOutInterval);
  fan_out.timer->async_wait([this, space](const asio::error_code& error) {
    if (!error) FanOut(space);
  });
}

void SharedState::FanOut(const std::string& space) {
  FanOutState& fan_out = fan_outs_[space];
  fan_out.pending = false;
  fan_out.last = std::chrono::steady_clock::now();
  auto replica = replicas_.find(space);
  if (replica == replicas_.end()) return;
  const Seq head = replica->second.state().seq;
  const auto started = std::chrono::steady_clock::now();

  auto wants_deltas = [&](const Session& session) {
    return session.space == space && !session.lagging && session.sent_seq < head &&
           head - session.sent_seq <= kMaxDeltasPerFanOut;
  };
  // Each delta is framed once for all boards, from the oldest any board still needs.
  Seq oldest_sent = head;
  for (const auto& [handle, session] : sessions_) {
    if (wants_deltas(session)) oldest_sent = std::min(oldest_sent, session.sent_seq);
  }
  std::vector<PreparedMessage> deltas;  // seq oldest_sent + 1 .. head
  if (auto held = replica->second.DeltasAfter(oldest_sent)) {
    for (const SharedMessage& delta : *held) deltas.push_back(PrepareText(*delta));
  }
  PreparedMessage snapshot;  // framed only if some board is too far behind
  for (auto& [handle, session] : sessions_) {
    if (session.space != space || session.lagging || session.sent_seq >= head) continue;
    const Seq behind = head - session.sent_seq;
    if (wants_deltas(session) && behind <= static_cast<Seq>(deltas.size())) {
      for (auto delta = deltas.end() - behind; delta != deltas.end(); ++delta) {
        if (!SendToBoard(session, *delta)) break;
      }
    } else {
      if (!snapshot) snapshot = PrepareText(Snapshot(replica->second, net_.clock->Now()));
      SendToBoard(session, snapshot);
    }
    session.sent_seq = head;  // a board that turned lagging gets a snapshot later anyway
  }
  fan_out.flooded = snapshot != nullptr;
  metrics_.fan_out_seconds.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

void SharedState::Send(ConnectionHandle handle, const std::string& text, bool snapshot) {
  auto connection = net_.Connection(handle);
  if (!connection) return;
  const std::size_t judged = snapshot ? 0 : text.size();
  websocketpp::lib::error_code ec;
  if (connection->get_buffered_amount() + judged > kHardBufferCap) {
    ++net_.stats.closed_slow;
    log::Warning("closed_slow", {{"detail", "more than the hard cap unsent: not reading at all"}});
    connection->terminate(ec);  // it is not reading at all; its close handler cleans up
    return;
  }
  connection->send(text, websocketpp::frame::opcode::text);
  // A failed send means the connection is closing; its close handler cleans up.
}

void SharedState::SendError(ConnectionHandle handle, const std::string& id, const Error& error) {
  ++metrics_.errors[error.code];  // a fixed set of codes (error_codes.cpp)
  Send(handle, ErrorMessage(id, error));
}

bool SharedState::SendToBoard(Session& session, const PreparedMessage& message) {
  if (session.lagging) return false;
  if (session.connection->get_buffered_amount() + message->get_payload().size() > kSoftBufferCap) {
    session.lagging = true;
    session.lagging_since = net_.clock->Now();
    ++net_.stats.lagging_detected;
    return false;
  }
  session.connection->send(message);  // a failed send means it is closing: OnClose cleans up
  return true;
}

void SharedState::Maintain(TimeMs now, bool ping) {
  for (auto& [handle, session] : sessions_) {
    auto connection = net_.Connection(handle);
    if (!connection) continue;
    websocketpp::lib::error_code ec;
    if (session.lagging) {
      if (connection->get_buffered_amount() < kLowWater) {
        session.lagging = false;
        ++net_.stats.resynced;
        if (auto replica = replicas_.find(session.space); replica != replicas_.end()) {
          session.sent_seq = replica->second.state().seq;
          Send(handle, Snapshot(replica->second, now));
          SendNeighbours(handle, session);
        }
      } else if (now - session.lagging_since > kLaggardTimeoutMs) {
        ++net_.stats.closed_slow;
        log::Warning("closed_slow", {{"user", session.actor.id}, {"space", session.space},
                                     {"detail", "lagging too long"}});
        connection->terminate(ec);
        continue;
      }
    }
    if (ping) connection->ping("", ec);
  }
}

void SharedState::CloseAll() {
  for (auto& [handle, session] : sessions_) {
    websocketpp::lib::error_code ec;
    net_.endpoint.close(handle, websocketpp::close::status::going_away, "server shutting down", ec);
  }
}

}  // namespace lagesbild
