// The only translation unit that sees WebSocket++ and Asio (they take ~15 s to compile).
#include "lagesbild/server/server.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <set>

#include <sys/resource.h>

#include "connection_limits.h"
#include "ws_config.h"

#include "lagesbild/core/core.h"
#include "lagesbild/engine/engine.h"
#include "lagesbild/core/exercise.h"
#include "lagesbild/core/rate_limit.h"
#include "lagesbild/engine/reader.h"
#include "lagesbild/core/review.h"
#include "lagesbild/server/scenario_files.h"
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/permissions.h"
#include "lagesbild/core/time_format.h"
#include "lagesbild/server/space_replica.h"
#include "lagesbild/server/static_files.h"
#include "lagesbild/core/wire.h"

namespace lagesbild {
namespace {

// WebSocket++ runs single-threaded (ws_config.h): only the network thread ever touches the
// endpoint and its connections (other threads only post to io_), so WebSocket++'s mutexes and
// per-connection strands would be pure cost on the fan-out path.
using PreparedMessage = WsServer::message_ptr;
using ConnectionHandle = websocketpp::connection_hdl;
using HttpStatus = websocketpp::http::status_code::value;

// An HTTP answer with a JSON body, on the network thread.
void JsonAnswer(WsServer::connection_type& connection, HttpStatus status, std::string body) {
  connection.set_status(status);
  connection.replace_header("Content-Type", "application/json");
  connection.set_body(std::move(body));
}

// What the network thread knows about one WebSocket connection.
struct Session {
  explicit Session(const ServerOptions& options)
      : frames(options.message_rate, options.message_burst) {}
  Actor actor = AnonymousViewer();  // replaced by a signed-in user on "hello"
  bool signed_in = false;
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
// A connection that sends this many messages in a row that are refused as rate_limited is closed
// (1008): it is not a client that waits and retries.
constexpr int kMaxRateLimitedInARow = 1000;
// Reads (docs/protocol.md, "Limits"): history entries per answer, messages per page, events a
// review reads.
constexpr std::size_t kMaxHistoryEntries = 10000;
constexpr Seq kDefaultMessagePage = 50;
constexpr Seq kMaxMessagePage = 200;
constexpr std::size_t kMaxReviewEvents = 200000;

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
       std::unique_ptr<EventStore> reads, std::shared_ptr<const Clock> clock, ServerOptions options)
      : config_(std::move(config)),
        clock_(std::move(clock)),
        options_(std::move(options)),
        engine_(config_, std::move(store), this),
        reader_(std::move(reads), options_.max_queued_reads,
                std::chrono::milliseconds(options_.read_timeout_ms)),
        signals_(io_),
        limits_(options_.max_connections, options_.max_connections_per_address),
        writes_(options_.write_rate, options_.write_rate),
        refusals_(options_.refusals_per_minute) {}

  ~Impl() override {
    reader_.Stop();
    engine_.Stop();
  }

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
  void Accept();
  void OnAccepted(WsServer::connection_ptr connection, const websocketpp::lib::error_code& error);
  // Runs a handler for one connection behind the last-resort guard: whatever it throws is
  // logged and closes that connection (an HTTP request gets a 500), never the server.
  template <typename Handler>
  void Guarded(const char* what, ConnectionHandle handle, Handler&& handler);
  bool Validate(ConnectionHandle handle);
  void OnOpen(ConnectionHandle handle);
  void OnClose(ConnectionHandle handle);
  void OnMessage(ConnectionHandle handle, WsServer::message_ptr message);
  void OnHttp(ConnectionHandle handle);
  void Subscribe(ConnectionHandle handle, Session& session, const std::string& space,
                 std::optional<Seq> since);
  void HandleCommand(ConnectionHandle handle, const Session& session, CommandRequest request);
  void ReloadScenarios(ConnectionHandle handle, const Session& session, const std::string& id);
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
  std::shared_ptr<const Scenario> FindScenario(const std::string& id) const;
  std::string ScenariosJson() const;
  std::string SpacesJson() const;
  void ResumeExercises();
  void BeginShutdown();
  // `snapshot`: the answer to a subscription, which a board must get whatever it has waiting
  // (a first snapshot is never judged as lagging); it still counts for what follows.
  void Send(ConnectionHandle handle, const std::string& text, bool snapshot = false);
  // Queues a delta or coalesced snapshot for a board; false if the board is too far behind
  // (it is then marked lagging and resynchronised by Maintain()).
  bool SendToBoard(Session& session, const PreparedMessage& message);
  void Maintain();  // twice a second: laggards, keepalive pings, refusal summaries, store probe
  void RecordCountedRefusals(TimeMs now);
  void SendError(ConnectionHandle handle, const std::string& id, const Error& error) {
    Send(handle, ErrorMessage(id, error));
  }
  std::string HealthJson(bool detailed) const;
  // HTTP: who sent the request (Authorization: Bearer), or why not.
  std::variant<Actor, Error> HttpActor(const WsServer::connection_ptr& connection) const;
  void ServeHistory(WsServer::connection_ptr connection, const Resource& resource, bool head);
  void ServeMessages(WsServer::connection_ptr connection, const Resource& resource, bool head);
  void ServeReview(WsServer::connection_ptr connection, const Resource& resource,
                   const Actor& actor);
  // Queues a read on the reader thread; false (after answering 503) when its queue is full.
  bool SubmitRead(const WsServer::connection_ptr& connection, Reader::Job job);
  // Reader thread: hands a read's answer (the error, or `body`) to the network thread.
  void PostReadAnswer(WsServer::connection_ptr connection, const std::optional<Error>& error,
                      const Json& body, bool head);
  // Completes a deferred HTTP answer on the network thread.
  void CompleteHttp(WsServer::connection_ptr connection, HttpStatus status, std::string type,
                    std::string body, bool head = false);

  const std::shared_ptr<const HealthcareRegionConfig> config_;
  const std::shared_ptr<const Clock> clock_;
  const ServerOptions options_;
  asio::io_context io_{1};  // run by the network thread alone
  WsServer endpoint_;
  Engine engine_;
  Reader reader_;
  asio::signal_set signals_;
  StaticFiles files_;
  std::uint16_t port_ = 0;
  std::map<std::string, SpaceReplica> replicas_;
  std::map<ConnectionHandle, Session, std::owner_less<ConnectionHandle>> sessions_;
  // Accepting: counts and caps, and the pause after a failed accept (out of descriptors).
  ConnectionLimits limits_;
  asio::steady_timer accept_timer_{io_};
  std::chrono::milliseconds accept_backoff_{0};
  TokenBucket writes_;        // server-wide cap on commands reaching the event log
  RefusalBudget refusals_;    // refusals stored one by one per user and space
  // Scenario files, read at start and on reload_scenarios (on the reader thread), never on
  // this thread.
  std::shared_ptr<const std::vector<ScenarioFile>> catalogue_ =
      std::make_shared<const std::vector<ScenarioFile>>();
  bool reloading_ = false;
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
    std::int64_t refused_at_cap = 0, accept_failures = 0, rate_limited = 0, faults = 0;
    std::int64_t refusals_counted = 0, origin_refused = 0;
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
  // Read once at start (and again only on reload_scenarios, on the reader thread).
  catalogue_ = std::make_shared<const std::vector<ScenarioFile>>(
      LoadScenarioFiles(options_.scenarios_dir, *config_));
  // Descriptors: as many as the system allows this process, and connections kept below that
  // (files, the event log and the listening socket need some too).
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
    if (files.rlim_cur < files.rlim_max) {
      files.rlim_cur = files.rlim_max;
      setrlimit(RLIMIT_NOFILE, &files);
      getrlimit(RLIMIT_NOFILE, &files);
    }
    if (files.rlim_cur != RLIM_INFINITY && files.rlim_cur > 64) {
      limits_.set_total_cap(std::min<std::size_t>(limits_.total_cap(), files.rlim_cur - 64));
    }
  }
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
  endpoint_.set_open_handshake_timeout(options_.request_timeout_ms);
  using std::placeholders::_1;
  using std::placeholders::_2;
  endpoint_.set_validate_handler([this](ConnectionHandle handle) {
    bool accepted = false;
    Guarded("handshake", handle, [&] { accepted = Validate(handle); });
    return accepted;
  });
  endpoint_.set_open_handler(
      [this](ConnectionHandle handle) { Guarded("open", handle, [&] { OnOpen(handle); }); });
  endpoint_.set_close_handler([this](ConnectionHandle handle) { OnClose(handle); });
  endpoint_.set_fail_handler([this](ConnectionHandle handle) { OnClose(handle); });
  endpoint_.set_message_handler([this](ConnectionHandle handle, WsServer::message_ptr message) {
    Guarded("message", handle, [&] { OnMessage(handle, std::move(message)); });
  });
  endpoint_.set_http_handler(
      [this](ConnectionHandle handle) { Guarded("http", handle, [&] { OnHttp(handle); }); });
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
  Accept();
  if (options_.handle_signals) {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](const asio::error_code& error, int) {
      if (!error) BeginShutdown();
    });
  }
  engine_.Start();
  reader_.Start();
  Maintain();
  ResumeExercises();
  if (!options_.start_scenario.empty()) {
    // The demo of the run command: started by the system, acknowledged to nobody.
    Session system(options_);
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
  const std::vector<ScenarioFile>& files = *catalogue_;
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

void Server::Impl::Run() {
  // The guard of last resort: a handler posted to this thread that throws is logged, and the
  // loop goes on (asio allows run() to be called again after an exception).
  for (;;) {
    try {
      io_.run();
      return;
    } catch (const std::exception& e) {
      ++stats_.faults;
      std::fprintf(stderr, "lagesbild: fault in a network-thread task: %s; serving on\n", e.what());
    } catch (...) {
      ++stats_.faults;
      std::fprintf(stderr, "lagesbild: fault in a network-thread task; serving on\n");
    }
  }
}

template <typename Handler>
void Server::Impl::Guarded(const char* what, ConnectionHandle handle, Handler&& handler) {
  std::string fault;
  try {
    handler();
    return;
  } catch (const std::exception& e) {
    fault = e.what();
  } catch (...) {
    fault = "unknown exception";
  }
  ++stats_.faults;
  std::fprintf(stderr, "lagesbild: fault in the %s handler: %s; closing that connection\n", what,
               fault.c_str());
  websocketpp::lib::error_code ec;
  auto connection = endpoint_.get_con_from_hdl(handle, ec);
  if (ec) return;
  try {
    if (connection->get_state() == websocketpp::session::state::open) {
      connection->close(websocketpp::close::status::internal_endpoint_error,
                        "internal error; reconnect", ec);
    } else if (std::string(what) == "http" || std::string(what) == "handshake") {
      // Still reading the request: WebSocket++ writes this answer once the handler returns.
      JsonAnswer(*connection, websocketpp::http::status_code::internal_server_error,
                 ErrorMessage(
          "", MakeError("internal_error", "", "the server could not answer this request")));
    } else {
      connection->terminate(ec);
    }
  } catch (...) {
    connection->terminate(ec);
  }
}

void Server::Impl::Accept() {
  if (shutting_down_) return;
  websocketpp::lib::error_code ec;
  WsServer::connection_ptr connection = endpoint_.get_connection();
  if (!connection) return;
  endpoint_.async_accept(connection,
                         [this, connection](const websocketpp::lib::error_code& error) {
                           OnAccepted(connection, error);
                         },
                         ec);
  if (ec) connection->terminate(ec);  // not listening any more (shutting down)
}

// Accepting is this server's own loop rather than WebSocket++'s, which retries a failed accept at
// once: with no descriptors left (EMFILE) that spins the one network thread.
void Server::Impl::OnAccepted(WsServer::connection_ptr connection,
                              const websocketpp::lib::error_code& error) {
  if (shutting_down_ || error == websocketpp::error::operation_canceled) return;
  if (error) {
    // Out of descriptors, or another resource: pause accepting (10 ms, doubling up to 1 s).
    ++stats_.accept_failures;
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
  const auto place = limits_.TryOpen(address);
  if (!place) {
    // At a cap: the connection is closed at once, before a byte is read.
    ++stats_.refused_at_cap;
    asio::error_code ignored;
    connection->get_raw_socket().close(ignored);
  } else {
    connection->set_termination_handler(
        [this, place = *place](WsServer::connection_ptr) { limits_.Close(place); });
    connection->start();
  }
  Accept();
}

void Server::Impl::BeginShutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  websocketpp::lib::error_code ec;
  endpoint_.stop_listening(ec);
  asio::error_code ignored;
  signals_.cancel(ignored);
  for (auto& [space, runner] : runners_) runner->timer->cancel();
  maintenance_timer_.cancel();
  accept_timer_.cancel();
  // Refusals counted in a minute not yet over are recorded now, not lost with the process.
  RecordCountedRefusals(std::numeric_limits<TimeMs>::max());
  // Commits and completes what was already submitted; its acks and deltas are posted to this
  // thread ahead of the close below, so no accepted report goes unacknowledged. Reads under way
  // finish and post their answers too.
  engine_.Stop();
  reader_.Stop();
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
  if (ec || shutting_down_ || ParseResource(connection->get_resource()).path != "/ws") return false;
  // A browser names the page that opens a WebSocket in Origin; only the server's own pages (or
  // a listed origin) may, so another site open in a browser on the hospital network cannot use
  // a signed-in duty officer's browser against it. Clients that are not browsers send no Origin.
  const std::string origin = connection->get_request_header("Origin");
  if (origin.empty() || OriginAllowed(origin, connection->get_request_header("Host"),
                                      options_.allowed_origins)) {
    return true;
  }
  ++stats_.origin_refused;
  JsonAnswer(*connection, websocketpp::http::status_code::forbidden,
             ErrorMessage(
      "", MakeError("origin_forbidden", "Origin",
                    "a page from " + TruncateUtf8(origin, 100) +
                        " may not open a WebSocket here (see --allow-origin)")));
  return false;
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
  Session& session = sessions_.try_emplace(handle, options_).first->second;
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
  const std::string name = space == resource.query.end() ? kLiveSpace : space->second;
  if (options_.require_sign_in) {
    // Nothing is read before a sign-in; the subscription asked for waits for it.
    session.waiting_subscription = std::make_unique<std::pair<std::string, std::optional<Seq>>>(name, since);
    SendError(handle, "", MakeError("sign_in_required", "",
                                    "this server shows its picture to signed-in users only: "
                                    "send hello with your token"));
    return;
  }
  Subscribe(handle, session, name, since);
}

void Server::Impl::OnClose(ConnectionHandle handle) { sessions_.erase(handle); }

void Server::Impl::Subscribe(ConnectionHandle handle, Session& session, const std::string& space,
                             std::optional<Seq> since) {
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
      return;
    }
  }
  Send(handle, replica->second.Snapshot(clock_->Now(), ClockNow(space)), /*snapshot=*/true);
}

void Server::Impl::OnMessage(ConnectionHandle handle, WsServer::message_ptr message) {
  auto session = sessions_.find(handle);
  if (session == sessions_.end()) return;
  if (message->get_opcode() != websocketpp::frame::opcode::text) {
    SendError(handle, "", MakeError("bad_json", "", "binary frames are not accepted; send JSON text"));
    return;
  }
  auto parsed = ParseClientMessage(message->get_payload());
  if (!session->second.frames.Take(clock_->Now())) {
    // Refused, with the message's id so the client knows what to send again. A connection that
    // goes on sending regardless is closed: it costs a parse per message and heeds nothing.
    ++stats_.rate_limited;
    if (++session->second.limited_in_a_row > kMaxRateLimitedInARow) {
      websocketpp::lib::error_code ec;
      endpoint_.close(handle, websocketpp::close::status::policy_violation,
                      "rate limit: too many messages", ec);
      return;
    }
    auto* request = std::get_if<ClientMessage>(&parsed);
    SendError(handle, request ? ClientMessageId(*request) : std::get<WireError>(parsed).id,
              MakeError("rate_limited", "",
                        "more than " + std::to_string(static_cast<int>(options_.message_rate)) +
                            " messages a second from this connection; nothing was done, "
                            "send it again in a moment"));
    return;
  }
  session->second.limited_in_a_row = 0;
  if (auto* rejected = std::get_if<WireError>(&parsed)) {
    SendError(handle, rejected->id, rejected->error);
    return;
  }
  auto& request = std::get<ClientMessage>(parsed);
  Session& current = session->second;
  if (auto* subscribe = std::get_if<SubscribeRequest>(&request)) {
    if (options_.require_sign_in && !current.signed_in) {
      current.waiting_subscription =
          std::make_unique<std::pair<std::string, std::optional<Seq>>>(subscribe->space, subscribe->since);
      SendError(handle, "", MakeError("sign_in_required", "", "send hello with your token first"));
      return;
    }
    Subscribe(handle, current, subscribe->space, subscribe->since);
  } else if (auto* hello = std::get_if<HelloRequest>(&request)) {
    if (auto user = options_.users.Authenticate(hello->token)) {
      current.actor = *user;
      current.signed_in = true;
      Send(handle, WelcomeMessage(*user));
      if (auto waiting = std::move(current.waiting_subscription)) {
        Subscribe(handle, current, waiting->first, waiting->second);
      }
    } else {
      SendError(handle, "", MakeError("unauthorized", "token",
                                      "unknown token; still signed in as " + current.actor.id));
    }
  } else if (auto* start = std::get_if<StartExerciseRequest>(&request)) {
    StartExercise(handle, current, std::move(*start));
  } else if (auto* control = std::get_if<ControlExerciseRequest>(&request)) {
    ControlExercise(handle, current, std::move(*control));
  } else if (auto* reload = std::get_if<ReloadScenariosRequest>(&request)) {
    ReloadScenarios(handle, current, reload->id);
  } else {
    HandleCommand(handle, current, std::get<CommandRequest>(std::move(request)));
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
  // A refusal is answered here when storing it would only let a sender fill the disk: one that
  // has not signed in is refused without a record (it is nobody); a signed-in user's refusals
  // beyond the budget are counted into one summary a minute (RecordCountedRefusals). The engine
  // judges the rest with the same DenialReason() and stores their short record.
  if (auto reason = DenialReason(*config_, session.actor, request.body)) {
    const TimeMs now = clock_->Now();
    if (!session.signed_in ||
        !refusals_.Admit(session.actor.id, request.space, std::string(CommandName(request.body)), now)) {
      ++stats_.refusals_counted;
      SendError(handle, request.id, MakeError("forbidden", "", *reason));
      return;
    }
  }
  if (!writes_.Take(clock_->Now())) {
    ++stats_.rate_limited;
    SendError(handle, request.id,
              MakeError("rate_limited", "",
                        "the server is taking more than " +
                            std::to_string(static_cast<int>(options_.write_rate)) +
                            " writes a second; nothing was stored, send it again in a moment"));
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

void Server::Impl::ReloadScenarios(ConnectionHandle handle, const Session& session,
                                   const std::string& id) {
  if (session.actor.role != Role::kTrainer) {
    SendError(handle, id, MakeError("forbidden", "", "only a trainer reloads the scenarios"));
    return;
  }
  if (reloading_) {
    SendError(handle, id, MakeError("busy", "", "the scenarios are being read already; try again"));
    return;
  }
  reloading_ = true;
  const bool queued = reader_.TrySubmit([this, handle, id](EventStore&) {
    // Reader thread: the disk reads happen here, never on the network thread.
    auto files = std::make_shared<const std::vector<ScenarioFile>>(
        LoadScenarioFiles(options_.scenarios_dir, *config_));
    asio::post(io_, [this, handle, id, files = std::move(files)] {
      reloading_ = false;
      catalogue_ = files;
      const auto broken = std::count_if(files->begin(), files->end(),
                                        [](const ScenarioFile& f) { return !f.scenario; });
      Send(handle, ScenariosReloadedMessage(id, files->size(), static_cast<std::size_t>(broken)));
    });
  });
  if (!queued) {
    reloading_ = false;
    SendError(handle, id, MakeError("busy", "", "the server is busy reading; try again in a moment"));
  }
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

void Server::Impl::Send(ConnectionHandle handle, const std::string& text, bool snapshot) {
  websocketpp::lib::error_code ec;
  auto connection = endpoint_.get_con_from_hdl(handle, ec);
  if (ec) return;
  const std::size_t judged = snapshot ? 0 : text.size();
  if (connection->get_buffered_amount() + judged > kHardBufferCap) {
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
  RecordCountedRefusals(now);
  engine_.Probe();  // only does something while the store is failing
  maintenance_timer_.expires_after(kMaintenanceInterval);
  maintenance_timer_.async_wait([this](const asio::error_code& error) {
    if (!error && !shutting_down_) Maintain();
  });
}

void Server::Impl::RecordCountedRefusals(TimeMs now) {
  for (RefusalBudget::Counted& counted : refusals_.TakeEnded(now)) {
    if (replicas_.count(counted.space) == 0) continue;
    const Actor system{Actor::Kind::kSystem, "system", Role::kViewer, ""};
    const std::string space = counted.space;
    engine_.Submit(space,
                   Command{system, CommandTime(space),
                           RecordRefusals{counted.user, counted.commands, counted.count,
                                          counted.from, counted.to}},
                   [](const CommandOutcome&) {});
  }
}

std::string Server::Impl::HealthJson(bool detailed) const {
  const auto fault = engine_.StoreFault();
  Json body{{"status", shutting_down_ ? "stopping" : fault ? "store_failed" : "ok"}};
  if (fault) body["reason"] = fault->message;
  if (!detailed) return body.dump(-1, ' ', false, Json::error_handler_t::replace);
  Json spaces = Json::object();
  for (const auto& [name, replica] : replicas_) spaces[name] = replica.state().seq;
  body["spaces"] = std::move(spaces);
  body["connections"] = {{"open", sessions_.size()},
                         {"accepted_open", limits_.open()},
                         {"max", limits_.total_cap()},
                         {"max_per_address", limits_.per_address_cap()},
                         {"refused_at_cap", stats_.refused_at_cap},
                         {"accept_failures", stats_.accept_failures},
                         {"origin_refused", stats_.origin_refused},
                         {"lagging", std::count_if(sessions_.begin(), sessions_.end(),
                                                   [](const auto& s) { return s.second.lagging; })},
                         {"lagging_detected", stats_.lagging_detected},
                         {"resynced", stats_.resynced},
                         {"closed_slow", stats_.closed_slow},
                         {"closed_no_pong", stats_.closed_no_pong}};
  body["limits"] = {{"rate_limited", stats_.rate_limited},
                    {"refusals_not_stored", stats_.refusals_counted},
                    {"faults", stats_.faults},
                    {"reads_queued", reader_.queued()},
                    {"reads_refused", reader_.refused()}};
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::variant<Actor, Error> Server::Impl::HttpActor(const WsServer::connection_ptr& connection) const {
  const std::string header = connection->get_request_header("Authorization");
  if (header.empty()) return AnonymousViewer();
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0 ||
      header.size() > kBearer.size() + kMaxTokenLength) {
    return MakeError("unauthorized", "Authorization", "Authorization must be: Bearer <token>");
  }
  if (auto user = options_.users.Authenticate(std::string_view(header).substr(kBearer.size()))) {
    return *user;
  }
  return MakeError("unauthorized", "Authorization", "unknown token");
}

void Server::Impl::CompleteHttp(WsServer::connection_ptr connection, HttpStatus status,
                                std::string type, std::string body, bool head) {
  connection->set_status(status);
  connection->replace_header("Content-Type", type);
  connection->set_body(head ? std::string() : std::move(body));
  websocketpp::lib::error_code ignored;
  connection->send_http_response(ignored);
}

void Server::Impl::PostReadAnswer(WsServer::connection_ptr connection,
                                  const std::optional<Error>& error, const Json& body, bool head) {
  std::string text = error ? ErrorMessage("", *error)
                           : body.dump(-1, ' ', false, Json::error_handler_t::replace);
  asio::post(io_, [this, connection = std::move(connection), text = std::move(text),
                   failed = error.has_value(), head]() mutable {
    CompleteHttp(std::move(connection),
                 failed ? websocketpp::http::status_code::service_unavailable
                        : websocketpp::http::status_code::ok,
                 "application/json", std::move(text), head);
  });
}

bool Server::Impl::SubmitRead(const WsServer::connection_ptr& connection, Reader::Job job) {
  if (reader_.TrySubmit(std::move(job))) {
    connection->defer_http_response();
    return true;
  }
  connection->replace_header("Retry-After", "1");
  JsonAnswer(*connection, websocketpp::http::status_code::service_unavailable,
             ErrorMessage("", MakeError("busy", "", "too many reads waiting; try again in a second")));
  return false;
}

void Server::Impl::OnHttp(ConnectionHandle handle) {
  websocketpp::lib::error_code ec;
  auto connection = endpoint_.get_con_from_hdl(handle, ec);
  if (ec) return;
  const std::string& method = connection->get_request().get_method();
  const bool head = method == "HEAD";
  const Resource resource = ParseResource(connection->get_resource());
  auto respond = [&](HttpStatus status, const std::string& type, std::string body) {
    connection->set_status(status);
    connection->replace_header("Content-Type", type);
    connection->set_body(head ? std::string() : std::move(body));
  };
  auto json_error = [&](HttpStatus status, const Error& error) {
    respond(status, "application/json", ErrorMessage("", error));
  };
  if (method != "GET" && method != "HEAD") {
    connection->replace_header("Allow", "GET, HEAD");
    json_error(websocketpp::http::status_code::method_not_allowed,
               MakeError("method_not_allowed", "",
                         "only GET and HEAD are served over HTTP; write over WebSocket"));
    return;
  }
  const bool api = resource.path.rfind("/api/", 0) == 0;
  auto actor = HttpActor(connection);
  if (auto* refused = std::get_if<Error>(&actor)) {
    connection->replace_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    json_error(websocketpp::http::status_code::unauthorized, *refused);
    return;
  }
  const Actor& user = std::get<Actor>(actor);
  const bool signed_in = user.id != AnonymousViewer().id;
  if (api && options_.require_sign_in && !signed_in) {
    connection->replace_header("WWW-Authenticate", "Bearer");
    json_error(websocketpp::http::status_code::unauthorized,
               MakeError("sign_in_required", "Authorization",
                         "this server shows its picture to signed-in users only: "
                         "send Authorization: Bearer <token>"));
    return;
  }
  if (resource.path == "/healthz") {
    const bool detailed = !options_.require_sign_in || signed_in;
    respond(engine_.StoreFault() ? websocketpp::http::status_code::service_unavailable
                                 : websocketpp::http::status_code::ok,
            "application/json", HealthJson(detailed));
  } else if (resource.path == "/api/state") {
    auto space = resource.query.find("space");
    const std::string name = space == resource.query.end() ? kLiveSpace : space->second;
    auto replica = replicas_.find(name);
    if (replica == replicas_.end()) {
      json_error(websocketpp::http::status_code::not_found,
                 MakeError("unknown_space", "space", "no space '" + TruncateUtf8(name, kMaxIdLength) + "'"));
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
    // The script of every exercise (injects, checkpoints) is the trainers' alone.
    if (user.role != Role::kTrainer) {
      if (!signed_in) connection->replace_header("WWW-Authenticate", "Bearer");
      json_error(signed_in ? websocketpp::http::status_code::forbidden
                           : websocketpp::http::status_code::unauthorized,
                 MakeError(signed_in ? "forbidden" : "sign_in_required", "",
                           "the scenarios are shown to trainers only"));
    } else {
      respond(websocketpp::http::status_code::ok, "application/json", ScenariosJson());
    }
  } else if (resource.path == "/api/spaces") {
    respond(websocketpp::http::status_code::ok, "application/json", SpacesJson());
  } else if (resource.path == "/api/review") {
    ServeReview(connection, resource, user);
  } else if (resource.path == "/api/history") {
    ServeHistory(connection, resource, head);
  } else if (resource.path == "/api/messages") {
    ServeMessages(connection, resource, head);
  } else if (const StaticFile* file = files_.Find(resource.path)) {
    respond(websocketpp::http::status_code::ok, file->content_type, file->content);
  } else {
    respond(websocketpp::http::status_code::not_found, "text/plain; charset=utf-8",
            "404 – finns inte: " + TruncateUtf8(resource.path, 200) + "\n");
  }
}

namespace {

std::optional<std::string> QueryParam(const Resource& resource, const char* name) {
  auto it = resource.query.find(name);
  if (it == resource.query.end()) return std::nullopt;
  return it->second;
}

}  // namespace

void Server::Impl::ServeHistory(WsServer::connection_ptr connection, const Resource& resource,
                                bool head) {
  auto fail = [&](HttpStatus status, const Error& error) {
    JsonAnswer(*connection, status, ErrorMessage("", error));
  };
  const std::string hospital = QueryParam(resource, "hospital").value_or("");
  const std::string space = QueryParam(resource, "space").value_or(kLiveSpace);
  if (!config_->FindHospital(hospital)) {
    fail(websocketpp::http::status_code::not_found,
         MakeError("unknown_hospital", "hospital",
                   "no hospital '" + TruncateUtf8(hospital, kMaxIdLength) + "'"));
    return;
  }
  if (replicas_.count(space) == 0) {
    fail(websocketpp::http::status_code::not_found,
         MakeError("unknown_space", "space", "no space '" + TruncateUtf8(space, kMaxIdLength) + "'"));
    return;
  }
  std::optional<TimeMs> from = TimeMs{0};
  std::optional<TimeMs> to = std::numeric_limits<TimeMs>::max();
  if (auto text = QueryParam(resource, "from")) from = ParseUtc(*text);
  if (auto text = QueryParam(resource, "to")) to = ParseUtc(*text);
  if (!from || !to) {
    fail(websocketpp::http::status_code::bad_request,
         MakeError("bad_message", from ? "to" : "from",
                   "from and to must be UTC times like 2026-11-23T10:15:00Z"));
    return;
  }
  // The connection moves on to the network thread's handler: its last reference must not be
  // dropped on the reader thread (WebSocket++ runs single-threaded here).
  SubmitRead(connection, [this, connection, hospital, space, from, to, head](EventStore& store) mutable {
    // Reader thread: read, build the answer, hand it back to the network thread.
    std::vector<StoredEvent> events;
    auto error = store.ReadSubject(space, hospital, *from, *to, kMaxHistoryEntries + 1, &events);
    Json body{{"v", kProtocolVersion}, {"hospital", hospital}, {"space", space}};
    Json& entries = body["entries"] = Json::array();
    body["truncated"] = events.size() > kMaxHistoryEntries;
    if (events.size() > kMaxHistoryEntries) events.resize(kMaxHistoryEntries);
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
    PostReadAnswer(std::move(connection), error, body, head);
  });
}

void Server::Impl::ServeMessages(WsServer::connection_ptr connection, const Resource& resource,
                                 bool head) {
  auto fail = [&](HttpStatus status, const Error& error) {
    JsonAnswer(*connection, status, ErrorMessage("", error));
  };
  const std::string space = QueryParam(resource, "space").value_or(kLiveSpace);
  auto replica = replicas_.find(space);
  if (replica == replicas_.end()) {
    fail(websocketpp::http::status_code::not_found,
         MakeError("unknown_space", "space", "no space '" + TruncateUtf8(space, kMaxIdLength) + "'"));
    return;
  }
  std::optional<Seq> before = std::numeric_limits<Seq>::max();
  if (auto text = QueryParam(resource, "before")) before = ParseSeq(*text);
  std::optional<Seq> limit = kDefaultMessagePage;
  if (auto text = QueryParam(resource, "limit")) limit = ParseSeq(*text);
  if (!before || !limit || *limit < 1 || *limit > kMaxMessagePage) {
    fail(websocketpp::http::status_code::bad_request,
         MakeError("bad_message", before ? "limit" : "before",
                   "before must be a sequence number and limit 1-" + std::to_string(kMaxMessagePage)));
    return;
  }
  const auto open = QueryParam(resource, "open");
  if (open && *open != "true" && *open != "false") {
    fail(websocketpp::http::status_code::bad_request,
         MakeError("bad_message", "open", "open must be true or false"));
    return;
  }
  if (open && *open == "true") {
    // Open messages are all in the state (up to kOpenMessagesKept): served from the replica.
    const SpaceState& state = replica->second.state();
    Json page = Json::array();
    std::optional<Seq> next;
    for (auto it = state.messages.rbegin(); it != state.messages.rend(); ++it) {
      if (it->seq >= *before || it->Pending().empty()) continue;
      if (page.size() == static_cast<std::size_t>(*limit)) {
        next = page.back().at("seq").get<Seq>();
        break;
      }
      page.push_back(MessageToJson(space, *it));
    }
    Json body{{"v", kProtocolVersion}, {"space", space}, {"open", true}, {"messages", std::move(page)},
              {"older_before", next ? Json(*next) : Json(nullptr)}};
    JsonAnswer(*connection, websocketpp::http::status_code::ok,
               head ? std::string() : body.dump(-1, ' ', false, Json::error_handler_t::replace));
    return;
  }
  SubmitRead(connection, [this, connection, space, before = *before, limit = *limit,
                          head](EventStore& store) mutable {
    // Reader thread: a page of posted messages, newest first, each with its acknowledgements.
    std::vector<StoredEvent> posted;
    std::optional<Error> error =
        store.ReadKindBefore(space, "message_posted", before, static_cast<std::size_t>(limit) + 1, &posted);
    const bool more = posted.size() > static_cast<std::size_t>(limit);
    if (more) posted.resize(static_cast<std::size_t>(limit));
    Json page = Json::array();
    Json unreadable = Json::array();
    for (const StoredEvent& stored : posted) {
      if (error) break;
      auto event = EventFromJson(Json::parse(stored.json, nullptr, /*allow_exceptions=*/false));
      const auto* parsed = std::get_if<Event>(&event);
      const auto* body = parsed ? std::get_if<MessagePosted>(&parsed->body) : nullptr;
      if (!body) {
        unreadable.push_back(stored.seq);  // reported, never dropped silently
        continue;
      }
      MessageState message = PostedMessage(*config_, *parsed, *body);
      std::vector<StoredEvent> acks;
      const std::string id = MessageId(space, stored.seq);
      error = store.ReadSubject(space, id, std::numeric_limits<TimeMs>::min(),
                                std::numeric_limits<TimeMs>::max(), 1000, &acks);
      for (const StoredEvent& ack : acks) {
        auto ack_event = EventFromJson(Json::parse(ack.json, nullptr, false));
        const auto* acked = std::get_if<Event>(&ack_event);
        const auto* ack_body = acked ? std::get_if<MessageAcknowledged>(&acked->body) : nullptr;
        if (!ack_body) continue;
        RecordAcknowledgement(message, *acked, *ack_body);
      }
      page.push_back(MessageToJson(space, message));
    }
    Json reply{{"v", kProtocolVersion}, {"space", space}, {"messages", std::move(page)},
               {"older_before", more ? Json(posted.back().seq) : Json(nullptr)}};
    if (!unreadable.empty()) reply["unreadable"] = std::move(unreadable);
    PostReadAnswer(std::move(connection), error, reply, head);
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
  const std::vector<ScenarioFile>& files = *catalogue_;
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

std::shared_ptr<const Scenario> Server::Impl::FindScenario(const std::string& id) const {
  for (const ScenarioFile& file : *catalogue_) {
    if (file.id == id) return file.scenario;
  }
  return nullptr;
}

void Server::Impl::ServeReview(WsServer::connection_ptr connection, const Resource& resource,
                               const Actor& actor) {
  const std::string space = QueryParam(resource, "space").value_or("");
  auto replica = replicas_.find(space);
  if (replica == replicas_.end() || !replica->second.state().exercise_info) {
    JsonAnswer(*connection, websocketpp::http::status_code::not_found,
               ErrorMessage("", MakeError("unknown_space", "space",
                                                    "no exercise '" + TruncateUtf8(space, kMaxIdLength) + "'")));
    return;
  }
  // While the exercise runs its review shows what is still to come (injects, checkpoint
  // targets): trainers only. Once stopped it is open to the participants.
  auto runner = runners_.find(space);
  const ExerciseStatus status = runner != runners_.end()
                                    ? runner->second->clock.status()
                                    : replica->second.state().exercise_info->status;
  if (status != ExerciseStatus::kStopped && actor.role != Role::kTrainer) {
    const bool signed_in = actor.id != AnonymousViewer().id;
    if (!signed_in) connection->replace_header("WWW-Authenticate", "Bearer");
    connection->set_status(signed_in ? websocketpp::http::status_code::forbidden
                                     : websocketpp::http::status_code::unauthorized);
    connection->replace_header("Content-Type", "application/json");
    connection->set_body(ErrorMessage(
        "", MakeError(signed_in ? "forbidden" : "sign_in_required", "",
                      "the review of a running exercise is shown to trainers only; "
                      "it opens to everyone when the exercise stops")));
    return;
  }
  const bool csv = QueryParam(resource, "format").value_or("") == "csv";
  // What the review needs from this thread, copied: the reader builds it.
  SpaceState state = replica->second.state();
  auto scenario = runner != runners_.end() ? runner->second->scenario
                                           : FindScenario(state.exercise_info->scenario_id);
  const std::int64_t elapsed = ElapsedNow(space).value_or(state.exercise_info->elapsed_ms);
  SubmitRead(connection, [this, connection, space, csv, state = std::move(state), scenario,
                          elapsed](EventStore& store) mutable {
    // Reader thread: read the log (at most kMaxReviewEvents) and build the review.
    std::vector<StoredEvent> stored;
    auto error = store.ReadAfter(space, 0, kMaxReviewEvents + 1, &stored);
    const bool truncated = stored.size() > kMaxReviewEvents;
    if (truncated) stored.resize(kMaxReviewEvents);
    std::vector<Event> events;
    events.reserve(stored.size());
    Json unreadable = Json::array();
    for (const StoredEvent& entry : stored) {
      auto event = EventFromJson(Json::parse(entry.json, nullptr, false));
      if (auto* parsed = std::get_if<Event>(&event)) {
        events.push_back(std::move(*parsed));
      } else {
        unreadable.push_back(entry.seq);
      }
    }
    Json review = BuildReview(*config_, scenario.get(), state, events, elapsed);
    review["truncated"] = truncated;  // the review covers only the first kMaxReviewEvents
    review["events_read"] = events.size();
    review["unreadable"] = std::move(unreadable);
    std::string type = "application/json";
    std::string body;
    if (error) {
      body = ErrorMessage("", *error);
    } else if (csv) {
      type = "text/csv; charset=utf-8";
      body = ReviewCsv(review);
    } else {
      body = review.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    asio::post(io_, [this, connection = std::move(connection), type, body = std::move(body),
                     failed = error.has_value(), csv, space]() mutable {
      if (csv && !failed) {
        connection->replace_header("Content-Disposition",
                                   "attachment; filename=\"OVNING-" + space + ".csv\"");
      }
      CompleteHttp(std::move(connection),
                   failed ? websocketpp::http::status_code::service_unavailable
                          : websocketpp::http::status_code::ok,
                   failed ? "application/json" : type, std::move(body));
    });
  });
}

std::string Server::Impl::ScenariosJson() const {
  Json list = Json::array();
  for (const ScenarioFile& file : *catalogue_) {
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
               std::unique_ptr<EventStore> store, std::unique_ptr<EventStore> reads,
               std::shared_ptr<const Clock> clock, ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(store), std::move(reads),
                                   std::move(clock), std::move(options))) {}
Server::~Server() = default;
std::optional<Error> Server::Open() { return impl_->Open(); }
std::uint16_t Server::port() const { return impl_->port(); }
std::string Server::started_exercise() const { return impl_->started_exercise(); }
std::vector<SpaceRecovery> Server::recovery() const { return impl_->recovery(); }
void Server::Run() { impl_->Run(); }
void Server::Shutdown() { impl_->Shutdown(); }

}  // namespace lagesbild
