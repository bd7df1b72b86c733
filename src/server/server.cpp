// The only translation unit that sees WebSocket++ and Asio (they take ~15 s to compile).
#include "lagesbild/server.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <set>

#include <websocketpp/concurrency/none.hpp>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

#include "lagesbild/engine.h"
#include "lagesbild/exercise.h"
#include "lagesbild/review.h"
#include "lagesbild/scenario_files.h"
#include "lagesbild/json_mapping.h"
#include "lagesbild/time_format.h"
#include "lagesbild/space_replica.h"
#include "lagesbild/static_files.h"
#include "lagesbild/wire.h"

namespace lagesbild {
namespace {

// WebSocket++'s asio defaults with two changes (docs/performance.md):
// - single-threaded: only the network thread ever touches the endpoint and its connections
//   (other threads only post to io_), so WebSocket++'s mutexes and per-connection strands are
//   pure cost on the fan-out path;
// - a 512-byte read buffer per connection instead of 16 KiB: it is only the chunk each socket
//   read takes (a larger frame is read in several), clients send small JSON messages (a report
//   is 150-400 bytes), and an idle board should cost little memory.
struct ServerConfig : public websocketpp::config::asio {
  using type = ServerConfig;
  using base = websocketpp::config::asio;
  using concurrency_type = websocketpp::concurrency::none;
  using alog_type = websocketpp::log::basic<concurrency_type, websocketpp::log::alevel>;
  using elog_type = websocketpp::log::basic<concurrency_type, websocketpp::log::elevel>;
  struct transport_config : public base::transport_config {
    using concurrency_type = type::concurrency_type;
    using alog_type = type::alog_type;
    using elog_type = type::elog_type;
    static const bool enable_multithreading = false;
  };
  using transport_type = websocketpp::transport::asio::endpoint<transport_config>;
  static const std::size_t connection_read_buffer_size = 512;
};
using WsServer = websocketpp::server<ServerConfig>;
using PreparedMessage = WsServer::message_ptr;
using ConnectionHandle = websocketpp::connection_hdl;
using HttpStatus = websocketpp::http::status_code::value;

// What the network thread knows about one WebSocket connection.
struct Session {
  Actor actor = AnonymousViewer();  // replaced by a signed-in user on "hello"
  std::string space;                // subscribed space; empty until subscribed
  WsServer::connection_ptr connection;  // held from open to close
  Seq sent_seq = 0;  // the last seq of `space` this board has been sent (delta or snapshot)
  // A board that stopped reading: deltas are no longer queued for it (its memory is capped);
  // once its queue drains it gets one fresh snapshot instead of everything it missed.
  bool lagging = false;
  TimeMs lagging_since = 0;
};

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
constexpr auto kMaintenanceInterval = std::chrono::milliseconds(500);

struct Resource {
  std::string path;
  std::map<std::string, std::string> query;
};

std::string PercentDecode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

// Splits "/ws?space=live&since=3". Query values are percent-decoded; the path is not, so an
// encoded path never matches a served file.
Resource ParseResource(const std::string& resource) {
  Resource out;
  const auto question = resource.find('?');
  out.path = resource.substr(0, question);
  if (question == std::string::npos) return out;
  std::size_t start = question + 1;
  while (start <= resource.size()) {
    auto end = resource.find('&', start);
    if (end == std::string::npos) end = resource.size();
    const std::string pair = resource.substr(start, end - start);
    const auto equals = pair.find('=');
    if (!pair.empty()) {
      out.query[pair.substr(0, equals)] =
          equals == std::string::npos ? "" : PercentDecode(pair.substr(equals + 1));
    }
    start = end + 1;
  }
  return out;
}

std::optional<Seq> ParseSeq(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  Seq value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

class Server::Impl : public CommitListener {
 public:
  Impl(std::shared_ptr<const HealthcareRegionConfig> config, std::unique_ptr<EventStore> store,
       std::shared_ptr<const Clock> clock, ServerOptions options)
      : config_(std::move(config)),
        clock_(std::move(clock)),
        options_(std::move(options)),
        engine_(config_, std::move(store), this),
        signals_(io_) {}

  ~Impl() override { engine_.Stop(); }

  std::optional<Error> Open();
  std::uint16_t port() const { return port_; }
  const std::string& started_exercise() const { return started_exercise_; }
  const std::vector<SpaceRecovery>& recovery() const { return engine_.recovery(); }
  void Run();
  void Shutdown() {
    asio::post(io_, [this] { BeginShutdown(); });
  }

  // CommitListener: engine thread. Hand the batch to the network thread, in order.
  void OnCommitted(std::vector<Event> events) override {
    asio::post(io_, [this, events = std::move(events)] { Publish(events); });
  }

 private:
  // Everything below runs on the network thread.
  bool Validate(ConnectionHandle handle);
  void OnOpen(ConnectionHandle handle);
  void OnClose(ConnectionHandle handle);
  void OnMessage(ConnectionHandle handle, WsServer::message_ptr message);
  void OnHttp(ConnectionHandle handle);
  void Subscribe(ConnectionHandle handle, Session& session, const std::string& space,
                 std::optional<Seq> since);
  void HandleCommand(ConnectionHandle handle, const Session& session, CommandRequest request);
  void Publish(const std::vector<Event>& events);
  void ScheduleFanOut(const std::string& space);
  void FanOut(const std::string& space);
  // Exercises (network thread).
  struct Runner;
  // Returns the space it starts (empty when refused before reaching the engine).
  std::string StartExercise(ConnectionHandle handle, const Session& session, StartExerciseRequest request);
  void ControlExercise(ConnectionHandle handle, const Session& session, ControlExerciseRequest request);
  void PlayDue(Runner& runner);
  void Schedule(Runner& runner);
  std::optional<std::int64_t> ElapsedNow(const std::string& space) const;
  std::optional<SetExerciseClock> ClockNow(const std::string& space) const;
  TimeMs CommandTime(const std::string& space);
  std::string ScenariosJson() const;
  std::string SpacesJson() const;
  void ResumeExercises();
  void ServeReview(WsServer::connection_ptr connection, const Resource& resource);
  void BeginShutdown();
  void Send(ConnectionHandle handle, const std::string& text);
  // Queues a delta or coalesced snapshot for a board; false if the board is too far behind
  // (it is then marked lagging and resynchronised by Maintain()).
  bool SendToBoard(Session& session, const PreparedMessage& message);
  void Maintain();  // twice a second: resync or close laggards; keepalive pings
  void SendError(ConnectionHandle handle, const std::string& id, const Error& error) {
    Send(handle, ErrorMessage(id, error));
  }
  std::string HealthJson() const;
  void ServeHistory(WsServer::connection_ptr connection, const Resource& resource, bool head);

  const std::shared_ptr<const HealthcareRegionConfig> config_;
  const std::shared_ptr<const Clock> clock_;
  const ServerOptions options_;
  asio::io_context io_{1};  // run by the network thread alone
  WsServer endpoint_;
  Engine engine_;
  asio::signal_set signals_;
  StaticFiles files_;
  std::uint16_t port_ = 0;
  std::map<std::string, SpaceReplica> replicas_;
  std::map<ConnectionHandle, Session, std::owner_less<ConnectionHandle>> sessions_;
  struct FanOutState {
    bool pending = false;      // a FanOut() is posted or timed and has not run yet
    bool flooded = false;      // the last one sent a coalescing snapshot
    std::chrono::steady_clock::time_point last;
    std::unique_ptr<asio::steady_timer> timer;
  };
  std::map<std::string, FanOutState> fan_outs_;  // per space
  bool shutting_down_ = false;
  std::string started_exercise_;  // by ServerOptions::start_scenario
  asio::steady_timer maintenance_timer_{io_};
  int maintenance_ticks_ = 0;
  struct {
    std::int64_t lagging_detected = 0, resynced = 0, closed_slow = 0, closed_no_pong = 0;
  } stats_;

  // One running exercise: its scenario, clock, player and wake-up timer.
  struct Runner {
    std::string space;
    std::shared_ptr<const Scenario> scenario;
    TimeMs start = 0;  // exercise time of 00:00
    ExerciseClock clock;
    ScenarioPlayer player;
    std::unique_ptr<asio::steady_timer> timer;
  };
  std::map<std::string, std::unique_ptr<Runner>> runners_;
};

std::optional<Error> Server::Impl::Open() {
  if (auto error = files_.Load(options_.web_root)) {
    return MakeError("config", "web", "board files: " + *error);
  }
  if (auto error = engine_.Recover()) return error;
  for (const std::string& name : engine_.SpaceNames()) {
    replicas_.emplace(name, SpaceReplica(config_, *engine_.Space(name), options_.deltas_kept));
  }

  endpoint_.clear_access_channels(websocketpp::log::alevel::all);
  endpoint_.clear_error_channels(websocketpp::log::elevel::all);
  endpoint_.set_error_channels(websocketpp::log::elevel::fatal);
  websocketpp::lib::error_code ec;
  endpoint_.init_asio(&io_, ec);
  if (ec) return MakeError("listen", "", "init: " + ec.message());
  endpoint_.set_reuse_addr(true);
  endpoint_.set_listen_backlog(1024);
  endpoint_.set_max_message_size(kHardMaxFrameBytes);
  endpoint_.set_max_http_body_size(64 * 1024);
  using std::placeholders::_1;
  using std::placeholders::_2;
  endpoint_.set_validate_handler(std::bind(&Impl::Validate, this, _1));
  endpoint_.set_open_handler(std::bind(&Impl::OnOpen, this, _1));
  endpoint_.set_close_handler(std::bind(&Impl::OnClose, this, _1));
  endpoint_.set_fail_handler(std::bind(&Impl::OnClose, this, _1));
  endpoint_.set_message_handler(std::bind(&Impl::OnMessage, this, _1, _2));
  endpoint_.set_http_handler(std::bind(&Impl::OnHttp, this, _1));
  endpoint_.set_pong_timeout(options_.keepalive_seconds * 500);
  endpoint_.set_pong_timeout_handler([this](ConnectionHandle handle, std::string) {
    ++stats_.closed_no_pong;  // a dead link: free its resources now
    websocketpp::lib::error_code ec;
    if (auto connection = endpoint_.get_con_from_hdl(handle, ec); !ec) connection->terminate(ec);
  });

  asio::error_code address_error;
  const auto address = asio::ip::make_address(options_.bind_address, address_error);
  if (address_error) {
    return MakeError("listen", "bind", "bad bind address '" + options_.bind_address + "'");
  }
  endpoint_.listen(asio::ip::tcp::endpoint(address, options_.port), ec);
  if (ec) {
    return MakeError("listen", "port", "cannot listen on " + options_.bind_address + ":" +
                                           std::to_string(options_.port) + ": " + ec.message());
  }
  asio::error_code local_error;
  port_ = endpoint_.get_local_endpoint(local_error).port();
  endpoint_.start_accept(ec);
  if (ec) return MakeError("listen", "", "accept: " + ec.message());
  if (options_.handle_signals) {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](const asio::error_code& error, int) {
      if (!error) BeginShutdown();
    });
  }
  engine_.Start();
  Maintain();
  ResumeExercises();
  if (!options_.start_scenario.empty()) {
    // The demo of the run command: started by the system, acknowledged to nobody.
    Session system;
    system.actor = Actor{Actor::Kind::kSystem, "system", Role::kViewer, ""};
    started_exercise_ =
        StartExercise(ConnectionHandle(), system, StartExerciseRequest{"startup", options_.start_scenario, "", false});
    if (started_exercise_.empty()) {
      return MakeError("config", "start-exercise", "cannot start scenario '" + options_.start_scenario + "'");
    }
  }
  return std::nullopt;
}

void Server::Impl::ResumeExercises() {
  // Exercises that were running when the server stopped come back paused where their log ends,
  // so a trainer resumes them deliberately. Injects up to then are not played again.
  const auto files = LoadScenarioFiles(options_.scenarios_dir, *config_);
  for (const auto& [space, replica] : replicas_) {
    const SpaceState& state = replica.state();
    if (!state.exercise_info || state.exercise_info->status == ExerciseStatus::kStopped) continue;
    auto file = std::find_if(files.begin(), files.end(), [&](const ScenarioFile& f) {
      return f.id == state.exercise_info->scenario_id && f.scenario;
    });
    if (file == files.end()) {
      std::fprintf(stderr, "lagesbild: %s: scenario '%s' is gone; the exercise stays as it is\n",
                   space.c_str(), state.exercise_info->scenario_id.c_str());
      continue;
    }
    std::int64_t elapsed = state.exercise_info->elapsed_ms;
    for (const MessageState& message : state.messages) {
      elapsed = std::max(elapsed, message.at - state.exercise_info->start);
    }
    for (const HospitalState& hospital : state.hospitals) {
      if (auto last = hospital.LastReportedAt()) elapsed = std::max(elapsed, *last - state.exercise_info->start);
    }
    auto runner = std::make_unique<Runner>(Runner{space, file->scenario, state.exercise_info->start,
                                                  {}, ScenarioPlayer(*file->scenario), nullptr});
    runner->timer = std::make_unique<asio::steady_timer>(io_);
    const TimeMs now = clock_->Now();
    runner->clock.Start(now, /*paused=*/true);
    runner->clock.SetSpeed(now, state.exercise_info->speed);
    runner->clock.JumpTo(now, elapsed);
    runner->player.Skip(elapsed);
    engine_.Submit(space,
                   Command{Actor{Actor::Kind::kSystem, "system", Role::kViewer, ""},
                           runner->start + elapsed, runner->clock.AsCommand(now)},
                   [](const CommandOutcome&) {});
    std::printf("lagesbild: exercise %s resumed paused at %s\n", space.c_str(),
                FormatElapsed(elapsed).c_str());
    runners_[space] = std::move(runner);
  }
}

void Server::Impl::Run() { io_.run(); }

void Server::Impl::BeginShutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  websocketpp::lib::error_code ec;
  endpoint_.stop_listening(ec);
  asio::error_code ignored;
  signals_.cancel(ignored);
  for (auto& [space, runner] : runners_) runner->timer->cancel();
  maintenance_timer_.cancel();
  // Commits and completes what was already submitted; its acks and deltas are posted to this
  // thread ahead of the close below, so no accepted report goes unacknowledged.
  engine_.Stop();
  asio::post(io_, [this] {
    for (auto& [handle, session] : sessions_) {
      websocketpp::lib::error_code close_error;
      endpoint_.close(handle, websocketpp::close::status::going_away, "server shutting down",
                      close_error);
    }
  });
}

bool Server::Impl::Validate(ConnectionHandle handle) {
  websocketpp::lib::error_code ec;
  auto connection = endpoint_.get_con_from_hdl(handle, ec);
  return !ec && !shutting_down_ && ParseResource(connection->get_resource()).path == "/ws";
}

void Server::Impl::OnOpen(ConnectionHandle handle) {
  if (shutting_down_) {  // a handshake in flight when shutdown began
    websocketpp::lib::error_code ec;
    endpoint_.close(handle, websocketpp::close::status::going_away, "server shutting down", ec);
    return;
  }
  websocketpp::lib::error_code ec;
  auto connection = endpoint_.get_con_from_hdl(handle, ec);
  if (ec) return;
  Session& session = sessions_[handle];
  session.connection = connection;
  const Resource resource = ParseResource(connection->get_resource());
  std::optional<Seq> since;
  if (auto it = resource.query.find("since"); it != resource.query.end()) {
    since = ParseSeq(it->second);
    if (!since) {
      SendError(handle, "", MakeError("bad_message", "since",
                                      "since must be a sequence number; sending a snapshot"));
    }
  }
  auto space = resource.query.find("space");
  Subscribe(handle, session, space == resource.query.end() ? kLiveSpace : space->second, since);
}

void Server::Impl::OnClose(ConnectionHandle handle) { sessions_.erase(handle); }

void Server::Impl::Subscribe(ConnectionHandle handle, Session& session, const std::string& space,
                             std::optional<Seq> since) {
  auto replica = replicas_.find(space);
  if (replica == replicas_.end()) {
    SendError(handle, "", MakeError("unknown_space", "space", "no space '" + space + "'"));
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
      return;
    }
  }
  Send(handle, replica->second.Snapshot(clock_->Now(), ClockNow(space)));
}

void Server::Impl::OnMessage(ConnectionHandle handle, WsServer::message_ptr message) {
  auto session = sessions_.find(handle);
  if (session == sessions_.end()) return;
  if (message->get_opcode() != websocketpp::frame::opcode::text) {
    SendError(handle, "", MakeError("bad_json", "", "binary frames are not accepted; send JSON text"));
    return;
  }
  auto parsed = ParseClientMessage(message->get_payload());
  if (auto* rejected = std::get_if<WireError>(&parsed)) {
    SendError(handle, rejected->id, rejected->error);
    return;
  }
  auto& request = std::get<ClientMessage>(parsed);
  if (auto* subscribe = std::get_if<SubscribeRequest>(&request)) {
    Subscribe(handle, session->second, subscribe->space, subscribe->since);
  } else if (auto* hello = std::get_if<HelloRequest>(&request)) {
    if (auto user = options_.users.Authenticate(hello->token)) {
      session->second.actor = *user;
      Send(handle, WelcomeMessage(*user));
    } else {
      SendError(handle, "", MakeError("unauthorized", "token",
                                      "unknown token; still signed in as " +
                                          session->second.actor.id));
    }
  } else if (auto* start = std::get_if<StartExerciseRequest>(&request)) {
    StartExercise(handle, session->second, std::move(*start));
  } else if (auto* control = std::get_if<ControlExerciseRequest>(&request)) {
    ControlExercise(handle, session->second, std::move(*control));
  } else {
    HandleCommand(handle, session->second, std::get<CommandRequest>(std::move(request)));
  }
}

void Server::Impl::HandleCommand(ConnectionHandle handle, const Session& session,
                                 CommandRequest request) {
  if (shutting_down_) {
    SendError(handle, request.id,
              MakeError("shutting_down", "", "the server is stopping; nothing was stored"));
    return;
  }
  if (replicas_.count(request.space) == 0) {
    SendError(handle, request.id,
              MakeError("unknown_space", "space", "no space '" + request.space + "'"));
    return;
  }
  Command command{session.actor, CommandTime(request.space), std::move(request.body)};
  engine_.Submit(request.space, std::move(command),
                 [this, handle, id = std::move(request.id)](const CommandOutcome& outcome) {
                   // Engine thread: only hand off.
                   asio::post(io_, [this, handle, id, outcome] {
                     if (outcome.error) {
                       SendError(handle, id, *outcome.error);
                     } else {
                       Send(handle, AckMessage(id, outcome.space, outcome.seq, outcome.already));
                     }
                   });
                 });
}

void Server::Impl::Publish(const std::vector<Event>& events) {
  for (const Event& event : events) {
    auto replica = replicas_.find(event.space);
    if (replica == replicas_.end()) {
      replica = replicas_
                    .emplace(event.space,
                             SpaceReplica(config_, InitialState(*config_, event.space, true),
                                          options_.deltas_kept))
                    .first;
    }
    auto published = replica->second.Publish(event, clock_->Now());
    if (auto* error = std::get_if<Error>(&published)) {
      // Cannot happen while the engine is the only source; if it does, the replica is wrong and
      // subscribers must not be fed from it.
      std::fprintf(stderr, "lagesbild: replica %s: %s\n", event.space.c_str(),
                   error->message.c_str());
      continue;
    }
    ScheduleFanOut(event.space);
    if (std::holds_alternative<CasualtiesDispatched>(event.body)) {
      if (auto runner = runners_.find(event.space); runner != runners_.end()) {
        Schedule(*runner->second);  // an arrival to wake up for
      }
    }
  }
}

// Posted rather than run at once: the acks of the batch just published are already queued behind
// this handler, so reporters hear "stored" before the boards are fed, and everything committed
// until the fan-out runs goes to each board in one pass (one write per board).
void Server::Impl::ScheduleFanOut(const std::string& space) {
  FanOutState& fan_out = fan_outs_[space];
  if (fan_out.pending) return;
  fan_out.pending = true;
  if (!fan_out.flooded) {
    asio::post(io_, [this, space] { FanOut(space); });
    return;
  }
  if (!fan_out.timer) fan_out.timer = std::make_unique<asio::steady_timer>(io_);
  fan_out.timer->expires_at(fan_out.last + kFloodFanOutInterval);
  fan_out.timer->async_wait([this, space](const asio::error_code& error) {
    if (!error) FanOut(space);
  });
}

void Server::Impl::FanOut(const std::string& space) {
  FanOutState& fan_out = fan_outs_[space];
  fan_out.pending = false;
  fan_out.last = std::chrono::steady_clock::now();
  auto replica = replicas_.find(space);
  if (replica == replicas_.end()) return;
  const Seq head = replica->second.state().seq;

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
      if (!snapshot) snapshot = PrepareText(replica->second.Snapshot(clock_->Now(), ClockNow(space)));
      SendToBoard(session, snapshot);
    }
    session.sent_seq = head;  // a board that turned lagging gets a snapshot later anyway
  }
  fan_out.flooded = snapshot != nullptr;
}

void Server::Impl::Send(ConnectionHandle handle, const std::string& text) {
  websocketpp::lib::error_code ec;
  auto connection = endpoint_.get_con_from_hdl(handle, ec);
  if (ec) return;
  if (connection->get_buffered_amount() + text.size() > kHardBufferCap) {
    ++stats_.closed_slow;
    connection->terminate(ec);  // it is not reading at all; its close handler cleans up
    return;
  }
  connection->send(text, websocketpp::frame::opcode::text);
  // A failed send means the connection is closing; its close handler cleans up.
}

bool Server::Impl::SendToBoard(Session& session, const PreparedMessage& message) {
  if (session.lagging) return false;
  if (session.connection->get_buffered_amount() + message->get_payload().size() > kSoftBufferCap) {
    session.lagging = true;
    session.lagging_since = clock_->Now();
    ++stats_.lagging_detected;
    return false;
  }
  session.connection->send(message);  // a failed send means it is closing: OnClose cleans up
  return true;
}

void Server::Impl::Maintain() {
  const TimeMs now = clock_->Now();
  const bool ping = ++maintenance_ticks_ % (2 * options_.keepalive_seconds) == 0;
  for (auto& [handle, session] : sessions_) {
    websocketpp::lib::error_code ec;
    auto connection = endpoint_.get_con_from_hdl(handle, ec);
    if (ec) continue;
    if (session.lagging) {
      if (connection->get_buffered_amount() < kLowWater) {
        session.lagging = false;
        ++stats_.resynced;
        if (auto replica = replicas_.find(session.space); replica != replicas_.end()) {
          session.sent_seq = replica->second.state().seq;
          Send(handle, replica->second.Snapshot(now, ClockNow(session.space)));
        }
      } else if (now - session.lagging_since > kLaggardTimeoutMs) {
        ++stats_.closed_slow;
        connection->terminate(ec);
        continue;
      }
    }
    if (ping) connection->ping("", ec);
  }
  maintenance_timer_.expires_after(kMaintenanceInterval);
  maintenance_timer_.async_wait([this](const asio::error_code& error) {
    if (!error && !shutting_down_) Maintain();
  });
}

std::string Server::Impl::HealthJson() const {
  Json spaces = Json::object();
  for (const auto& [name, replica] : replicas_) spaces[name] = replica.state().seq;
  Json connections{{"open", sessions_.size()},
                   {"lagging", std::count_if(sessions_.begin(), sessions_.end(),
                                             [](const auto& s) { return s.second.lagging; })},
                   {"lagging_detected", stats_.lagging_detected},
                   {"resynced", stats_.resynced},
                   {"closed_slow", stats_.closed_slow},
                   {"closed_no_pong", stats_.closed_no_pong}};
  return Json{{"status", shutting_down_ ? "stopping" : "ok"}, {"spaces", spaces},
              {"connections", connections}}.dump();
}

void Server::Impl::OnHttp(ConnectionHandle handle) {
  websocketpp::lib::error_code ec;
  auto connection = endpoint_.get_con_from_hdl(handle, ec);
  if (ec) return;
  const std::string& method = connection->get_request().get_method();
  const Resource resource = ParseResource(connection->get_resource());
  auto respond = [&](HttpStatus status, const std::string& type, std::string body) {
    connection->set_status(status);
    connection->append_header("Content-Type", type);
    connection->append_header("Cache-Control", "no-cache");
    connection->append_header("X-Content-Type-Options", "nosniff");
    connection->append_header("Content-Security-Policy",
                              "default-src 'self'; connect-src 'self' ws: wss:; "
                              "img-src 'self' data:; style-src 'self' 'unsafe-inline'");
    connection->set_body(method == "HEAD" ? std::string() : std::move(body));
  };
  auto json_error = [&](HttpStatus status, const Error& error) {
    respond(status, "application/json", ErrorMessage("", error));
  };
  if (method != "GET" && method != "HEAD") {
    json_error(websocketpp::http::status_code::method_not_allowed,
               MakeError("bad_message", "", "only GET is served over HTTP; write over WebSocket"));
    return;
  }
  if (resource.path == "/healthz") {
    respond(websocketpp::http::status_code::ok, "application/json", HealthJson());
  } else if (resource.path == "/api/state") {
    auto space = resource.query.find("space");
    const std::string name = space == resource.query.end() ? kLiveSpace : space->second;
    auto replica = replicas_.find(name);
    if (replica == replicas_.end()) {
      json_error(websocketpp::http::status_code::not_found,
                 MakeError("unknown_space", "space", "no space '" + name + "'"));
    } else {
      const TimeMs now = clock_->Now();
      std::optional<TimeMs> at = now;
      if (auto it = resource.query.find("at"); it != resource.query.end()) at = ParseUtc(it->second);
      if (!at) {
        json_error(websocketpp::http::status_code::bad_request,
                   MakeError("bad_message", "at", "at must be a UTC time like 2026-11-23T10:15:00Z"));
      } else {
        respond(websocketpp::http::status_code::ok, "application/json",
                StateApiMessage(*config_, replica->second.state(), now, *at, ClockNow(name)));
      }
    }
  } else if (resource.path == "/api/scenarios") {
    respond(websocketpp::http::status_code::ok, "application/json", ScenariosJson());
  } else if (resource.path == "/api/spaces") {
    respond(websocketpp::http::status_code::ok, "application/json", SpacesJson());
  } else if (resource.path == "/api/review") {
    ServeReview(connection, resource);
  } else if (resource.path == "/api/history") {
    ServeHistory(connection, resource, method == "HEAD");
  } else if (const StaticFile* file = files_.Find(resource.path)) {
    respond(websocketpp::http::status_code::ok, file->content_type, file->content);
  } else {
    respond(websocketpp::http::status_code::not_found, "text/plain; charset=utf-8",
            "404 – finns inte: " + resource.path.substr(0, 200) + "\n");
  }
}

void Server::Impl::ServeHistory(WsServer::connection_ptr connection, const Resource& resource,
                                bool head) {
  auto param = [&](const char* name) -> std::optional<std::string> {
    auto it = resource.query.find(name);
    if (it == resource.query.end()) return std::nullopt;
    return it->second;
  };
  auto fail = [&](HttpStatus status, const Error& error) {
    connection->set_status(status);
    connection->append_header("Content-Type", "application/json");
    connection->set_body(ErrorMessage("", error));
  };
  const std::string hospital = param("hospital").value_or("");
  const std::string space = param("space").value_or(kLiveSpace);
  if (!config_->FindHospital(hospital)) {
    fail(websocketpp::http::status_code::not_found,
         MakeError("unknown_hospital", "hospital", "no hospital '" + hospital + "'"));
    return;
  }
  if (replicas_.count(space) == 0) {
    fail(websocketpp::http::status_code::not_found,
         MakeError("unknown_space", "space", "no space '" + space + "'"));
    return;
  }
  std::optional<TimeMs> from = TimeMs{0};
  std::optional<TimeMs> to = std::numeric_limits<TimeMs>::max();
  if (auto text = param("from")) from = ParseUtc(*text);
  if (auto text = param("to")) to = ParseUtc(*text);
  if (!from || !to) {
    fail(websocketpp::http::status_code::bad_request,
         MakeError("bad_message", from ? "to" : "from",
                   "from and to must be UTC times like 2026-11-23T10:15:00Z"));
    return;
  }
  websocketpp::lib::error_code ec;
  connection->defer_http_response();
  // The connection is moved on to the network thread's handler: its last reference must not be
  // dropped on the engine thread (WebSocket++ runs single-threaded here).
  engine_.Query([this, connection, hospital, space, from, to, head](EventStore& store) mutable {
    // Engine thread: read, build the answer, hand it back to the network thread.
    constexpr std::size_t kMaxEntries = 10000;
    std::vector<StoredEvent> events;
    auto error = store.ReadSubject(space, hospital, *from, *to, kMaxEntries, &events);
    Json body{{"v", kProtocolVersion}, {"hospital", hospital}, {"space", space}};
    Json& entries = body["entries"] = Json::array();
    for (const StoredEvent& event : events) {
      if (event.kind != "capacity_reported" && event.kind != "figures_confirmed") continue;
      Json entry{{"seq", event.seq}, {"at", FormatUtc(event.at)}, {"by", event.actor_id},
                 {"kind", event.kind}};
      if (event.kind == "capacity_reported") {
        const Json stored = Json::parse(event.json, nullptr, /*allow_exceptions=*/false);
        entry["report"] = stored.is_object() ? stored.value("report", Json::object()) : Json::object();
      }
      entries.push_back(std::move(entry));
    }
    body["truncated"] = events.size() == kMaxEntries;
    std::string text = error ? ErrorMessage("", *error) : body.dump();
    asio::post(io_, [connection = std::move(connection), text = std::move(text),
                     failed = error.has_value(), head] {
      connection->set_status(failed ? websocketpp::http::status_code::internal_server_error
                                    : websocketpp::http::status_code::ok);
      connection->append_header("Content-Type", "application/json");
      connection->append_header("Cache-Control", "no-cache");
      connection->set_body(head ? std::string() : text);
      websocketpp::lib::error_code send_error;
      connection->send_http_response(send_error);
    });
  });
}

TimeMs Server::Impl::CommandTime(const std::string& space) {
  auto runner = runners_.find(space);
  if (runner == runners_.end()) return clock_->Now();
  // What the scenario owes up to now is played first, so a participant's command is judged
  // after every inject due before it.
  PlayDue(*runner->second);
  return runner->second->start + runner->second->clock.Elapsed(clock_->Now());
}

std::optional<std::int64_t> Server::Impl::ElapsedNow(const std::string& space) const {
  auto runner = runners_.find(space);
  if (runner == runners_.end()) return std::nullopt;
  return runner->second->clock.Elapsed(clock_->Now());
}

std::optional<SetExerciseClock> Server::Impl::ClockNow(const std::string& space) const {
  auto runner = runners_.find(space);
  if (runner == runners_.end()) return std::nullopt;
  return runner->second->clock.AsCommand(clock_->Now());
}

void Server::Impl::PlayDue(Runner& runner) {
  if (runner.clock.status() == ExerciseStatus::kStopped) return;
  const Actor scenario_actor{Actor::Kind::kScenario, runner.scenario->id, Role::kViewer, ""};
  const std::int64_t elapsed = std::min(runner.clock.Elapsed(clock_->Now()), runner.scenario->planned_ms);
  for (TimedCommand& due : runner.player.Due(elapsed)) {
    const std::string inject = due.inject_id;
    engine_.Submit(runner.space,
                   Command{scenario_actor, runner.start + due.at, std::move(due.body), inject},
                   [space = runner.space, inject](const CommandOutcome& outcome) {
                     if (outcome.error && !inject.empty()) {
                       std::fprintf(stderr, "lagesbild: %s: inject %s: %s\n", space.c_str(),
                                    inject.c_str(), outcome.error->message.c_str());
                     }
                   });
  }
}

void Server::Impl::Schedule(Runner& runner) {
  runner.timer->cancel();
  if (runner.clock.status() != ExerciseStatus::kRunning || shutting_down_) return;
  // Wake for the next inject, the next arrival, or the planned end, whichever comes first.
  std::int64_t next = runner.scenario->planned_ms;
  if (auto inject = runner.player.NextAt()) next = std::min(next, *inject);
  if (auto replica = replicas_.find(runner.space); replica != replicas_.end()) {
    const auto& info = replica->second.state().exercise_info;
    if (info && !info->pending_arrivals.empty()) {
      next = std::min(next, info->pending_arrivals.front().due_elapsed_ms);
    }
  }
  const TimeMs now = clock_->Now();
  const TimeMs wake = runner.clock.WallTimeOf(next, now).value_or(now);
  runner.timer->expires_after(std::chrono::milliseconds(std::max<TimeMs>(0, wake - now)));
  runner.timer->async_wait([this, space = runner.space](const asio::error_code& error) {
    if (error) return;
    auto it = runners_.find(space);
    if (it == runners_.end()) return;
    Runner& current = *it->second;
    PlayDue(current);
    if (current.clock.Elapsed(clock_->Now()) >= current.scenario->planned_ms) {
      // The planned duration is over: the clock stops for good, and that is logged too.
      current.clock.Stop(clock_->Now());
      SetExerciseClock stop = current.clock.AsCommand(clock_->Now());
      stop.elapsed_ms = current.scenario->planned_ms;
      engine_.Submit(space, Command{Actor{Actor::Kind::kSystem, "system", Role::kViewer, ""},
                                    current.start + stop.elapsed_ms, stop},
                     [](const CommandOutcome&) {});
      return;
    }
    Schedule(current);
  });
}

std::string Server::Impl::StartExercise(ConnectionHandle handle, const Session& session,
                                        StartExerciseRequest request) {
  const auto files = LoadScenarioFiles(options_.scenarios_dir, *config_);
  auto file = std::find_if(files.begin(), files.end(),
                           [&](const ScenarioFile& f) { return f.id == request.scenario; });
  if (file == files.end()) {
    SendError(handle, request.id, MakeError("unknown_scenario", "scenario",
                                            "no scenario '" + request.scenario + "'"));
    return "";
  }
  if (!file->scenario) {
    SendError(handle, request.id, MakeError("invalid_scenario", "scenario",
                                            file->errors.empty() ? "the file is broken" : file->errors[0]));
    return "";
  }
  std::string space = request.space;
  if (space.empty()) {
    for (int n = 1; space.empty() || replicas_.count(space); ++n) {
      space = "ovning-" + request.scenario + "-" + std::to_string(n);
    }
  }
  if (space.rfind("ovning-", 0) != 0) {
    SendError(handle, request.id, MakeError("invalid_value", "space", "an exercise space is named ovning-…"));
    return "";
  }
  auto scenario = file->scenario;
  const TimeMs start = clock_->Now();
  engine_.Submit(space, Command{session.actor, start, StartCommand(*scenario, request.paused)},
                 [this, handle, id = request.id, space, scenario, start, paused = request.paused](
                     const CommandOutcome& outcome) {
                   asio::post(io_, [=] {
                     if (outcome.error) {
                       SendError(handle, id, *outcome.error);
                       return;
                     }
                     auto runner = std::make_unique<Runner>(Runner{space, scenario, start, {},
                                                                   ScenarioPlayer(*scenario), nullptr});
                     runner->timer = std::make_unique<asio::steady_timer>(io_);
                     runner->clock.Start(start, paused);
                     Runner& started = *runner;
                     runners_[space] = std::move(runner);
                     Send(handle, ExerciseAckMessage(id, space, outcome.seq));
                     PlayDue(started);
                     Schedule(started);
                   });
                 });
  return space;
}

void Server::Impl::ControlExercise(ConnectionHandle handle, const Session& session,
                                   ControlExerciseRequest request) {
  auto it = runners_.find(request.space);
  if (it == runners_.end()) {
    SendError(handle, request.id, MakeError(replicas_.count(request.space) ? "not_running" : "unknown_space",
                                            "space", "no running exercise '" + request.space + "'"));
    return;
  }
  if (request.action == "reset") {
    // A fresh exercise from the same scenario; the old one is stopped and kept for its review.
    ControlExerciseRequest stop = request;
    stop.action = "stop";
    stop.id = request.id + "-stop";
    if (it->second->clock.status() != ExerciseStatus::kStopped) ControlExercise(handle, session, stop);
    StartExercise(handle, session, StartExerciseRequest{request.id, it->second->scenario->id, "", false});
    return;
  }
  Runner& runner = *it->second;
  PlayDue(runner);  // everything due before the change, at the old pace
  const TimeMs now = clock_->Now();
  ExerciseClock next = runner.clock;
  if (request.action == "pause") next.Pause(now);
  if (request.action == "resume") next.Resume(now);
  if (request.action == "speed") next.SetSpeed(now, request.speed);
  if (request.action == "jump") next.JumpTo(now, std::min(request.to_ms, runner.scenario->planned_ms));
  if (request.action == "stop") next.Stop(now);
  const SetExerciseClock change = next.AsCommand(now);
  engine_.Submit(request.space, Command{session.actor, runner.start + runner.clock.Elapsed(now), change},
                 [this, handle, id = request.id, space = request.space, next](const CommandOutcome& outcome) {
                   asio::post(io_, [=] {
                     auto runner = runners_.find(space);
                     if (outcome.error || runner == runners_.end()) {
                       SendError(handle, id, outcome.error ? *outcome.error
                                                           : MakeError("not_running", "space", "gone"));
                       return;
                     }
                     runner->second->clock = next;
                     Send(handle, AckMessage(id, space, outcome.seq));
                     PlayDue(*runner->second);  // a jump plays everything up to its target
                     Schedule(*runner->second);
                   });
                 });
}

void Server::Impl::ServeReview(WsServer::connection_ptr connection, const Resource& resource) {
  auto param = resource.query.find("space");
  const std::string space = param == resource.query.end() ? "" : param->second;
  auto replica = replicas_.find(space);
  if (replica == replicas_.end() || !replica->second.state().exercise_info) {
    connection->set_status(websocketpp::http::status_code::not_found);
    connection->append_header("Content-Type", "application/json");
    connection->set_body(ErrorMessage("", MakeError("unknown_space", "space", "no exercise '" + space + "'")));
    return;
  }
  auto format = resource.query.find("format");
  const bool csv = format != resource.query.end() && format->second == "csv";
  connection->defer_http_response();
  engine_.Query([this, connection, space, csv](EventStore& store) mutable {
    // Engine thread: read the log; the review itself is built on the network thread, which owns
    // the replica and the runners.
    std::vector<StoredEvent> stored;
    auto error = store.ReadAfter(space, 0, 10000000, &stored);
    std::vector<Event> events;
    for (const StoredEvent& entry : stored) {
      auto event = EventFromJson(Json::parse(entry.json, nullptr, false));
      if (auto* parsed = std::get_if<Event>(&event)) events.push_back(std::move(*parsed));
    }
    asio::post(io_, [this, connection = std::move(connection), space, csv, error,
                     events = std::move(events)] {
      const SpaceState& state = replicas_.at(space).state();
      std::shared_ptr<const Scenario> scenario;
      if (auto runner = runners_.find(space); runner != runners_.end()) {
        scenario = runner->second->scenario;
      } else {
        for (const ScenarioFile& file : LoadScenarioFiles(options_.scenarios_dir, *config_)) {
          if (file.id == state.exercise_info->scenario_id) scenario = file.scenario;
        }
      }
      const std::int64_t elapsed = ElapsedNow(space).value_or(state.exercise_info->elapsed_ms);
      const Json review = BuildReview(*config_, scenario.get(), state, events, elapsed);
      connection->set_status(error ? websocketpp::http::status_code::internal_server_error
                                   : websocketpp::http::status_code::ok);
      connection->append_header("Cache-Control", "no-cache");
      if (csv) {
        connection->append_header("Content-Type", "text/csv; charset=utf-8");
        connection->append_header("Content-Disposition",
                                  "attachment; filename=\"OVNING-" + space + ".csv\"");
        connection->set_body(ReviewCsv(review));
      } else {
        connection->append_header("Content-Type", "application/json");
        connection->set_body(error ? ErrorMessage("", *error)
                                   : review.dump(-1, ' ', false, Json::error_handler_t::replace));
      }
      websocketpp::lib::error_code ignored;
      connection->send_http_response(ignored);
    });
  });
}

std::string Server::Impl::ScenariosJson() const {
  Json list = Json::array();
  for (const ScenarioFile& file : LoadScenarioFiles(options_.scenarios_dir, *config_)) {
    Json entry{{"id", file.id}, {"name", file.name}, {"description", file.description},
               {"modelled_on", {{"incident", file.incident}, {"source", file.source}}},
               {"healthcare_region", file.healthcare_region},
               {"planned_duration_minutes", file.planned_minutes},
               {"valid", file.scenario != nullptr}, {"errors", file.errors}};
    Json injects = Json::array();
    if (file.scenario) {
      for (const Inject& inject : file.scenario->injects) {
        injects.push_back({{"id", inject.id}, {"at_ms", inject.at}, {"kind", InjectKind(inject.body)},
                           {"summary", InjectSummary(*config_, inject)}});
      }
    }
    entry["injects"] = std::move(injects);
    list.push_back(std::move(entry));
  }
  return Json{{"v", kProtocolVersion}, {"scenarios", std::move(list)}}.dump(
      -1, ' ', false, Json::error_handler_t::replace);
}

std::string Server::Impl::SpacesJson() const {
  Json list = Json::array();
  for (const auto& [name, replica] : replicas_) {
    Json entry{{"space", name}, {"exercise", replica.state().exercise}, {"seq", replica.state().seq}};
    if (const auto& info = replica.state().exercise_info) {
      Json described = ExerciseInfoToJson(*info);
      if (auto elapsed = ElapsedNow(name)) {
        described["elapsed_ms"] = *elapsed;
        described["status"] = WireName(runners_.at(name)->clock.status());
        described["speed"] = runners_.at(name)->clock.speed();
      }
      described["clock_wall_time"] = FormatUtc(clock_->Now());
      entry["exercise_info"] = std::move(described);
    }
    list.push_back(std::move(entry));
  }
  return Json{{"v", kProtocolVersion}, {"spaces", std::move(list)}}.dump();
}

Server::Server(std::shared_ptr<const HealthcareRegionConfig> config,
               std::unique_ptr<EventStore> store, std::shared_ptr<const Clock> clock,
               ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(store), std::move(clock),
                                   std::move(options))) {}
Server::~Server() = default;
std::optional<Error> Server::Open() { return impl_->Open(); }
std::uint16_t Server::port() const { return impl_->port(); }
std::string Server::started_exercise() const { return impl_->started_exercise(); }
std::vector<SpaceRecovery> Server::recovery() const { return impl_->recovery(); }
void Server::Run() { impl_->Run(); }
void Server::Shutdown() { impl_->Shutdown(); }

}  // namespace lagesbild
