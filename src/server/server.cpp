// The server's wiring: the network context (network.h) and its parts, each in its own file —
// the listener, WebSocket sessions, HTTP sessions, the fan-out's shared state and the exercise
// runner — plus the life cycle: open, run, shut down, and the maintenance tick.
#include "lagesbild/server/server.h"

#include <limits>

#include "exercise_runner.h"
#include "http_answer.h"
#include "http_session.h"
#include "listener.h"
#include "neighbour_watch.h"
#include "network.h"
#include "shared_state.h"
#include "tls_context.h"
#include "websocket_session.h"

#include "lagesbild/core/wire.h"
#include "lagesbild/log/log.h"
#include "lagesbild/server/scenario_files.h"

namespace lagesbild {
namespace {

constexpr auto kMaintenanceInterval = std::chrono::milliseconds(500);

}  // namespace

class Server::Impl : public CommitListener {
 public:
  Impl(std::shared_ptr<const HealthcareRegionConfig> config, std::unique_ptr<EventStore> store,
       std::unique_ptr<EventStore> reads, std::shared_ptr<const Clock> clock, ServerOptions options)
      : net_(std::move(config), std::move(clock), std::move(options), std::move(store),
             std::move(reads), this),
        shared_(net_, [this](const std::string& space) { return runner_.ClockNow(space); }),
        runner_(net_, shared_),
        listener_(net_),
        editor_(net_, shared_, runner_),
        websockets_(net_, shared_, runner_, editor_),
        neighbours_(net_, shared_),
        http_(net_, shared_, runner_, editor_, listener_, neighbours_),
        signals_(net_.io) {}

  ~Impl() override {
    net_.reader.Stop();
    net_.engine.Stop();
  }

  std::optional<Error> Open();
  std::uint16_t port() const { return listener_.port(); }
  const std::string& started_exercise() const { return started_exercise_; }
  const std::vector<SpaceRecovery>& recovery() const { return net_.engine.recovery(); }
  void Run();
  void Shutdown() {
    asio::post(net_.io, [this] { BeginShutdown(); });
  }

  // CommitListener: engine thread. Hand the batch to the network thread, in order.
  void OnCommitted(std::vector<Event> events) override {
    asio::post(net_.io, [this, events = std::move(events)] {
      shared_.Publish(events, [this](const Event& event) { runner_.OnPublished(event); });
    });
  }

 private:
  // Everything below runs on the network thread.
  void ConfigureEndpoint();
  // TLS from --tls-cert/--tls-key, or plain TCP on loopback (or with --insecure-plaintext).
  std::optional<Error> SetUpTransport();
  void WaitForSignal();  // SIGINT/SIGTERM: shut down; SIGHUP: reload
  void Reload();
  // Runs a handler for one connection behind the last-resort guard: whatever it throws is
  // logged and closes that connection (an HTTP request gets a 500), never the server.
  template <typename Handler>
  void Guarded(const char* what, ConnectionHandle handle, Handler&& handler);
  void BeginShutdown();
  void Maintain();  // twice a second: laggards, keepalive pings, refusal summaries, store probe

  Network net_;
  SharedState shared_;
  ExerciseRunner runner_;
  Listener listener_;
  ScenarioEditor editor_;
  WebSocketSessions websockets_;
  NeighbourWatch neighbours_;
  HttpSessions http_;
  asio::signal_set signals_;
  std::optional<TlsCertificate> tls_;
  asio::steady_timer maintenance_timer_{net_.io};
  int maintenance_ticks_ = 0;
  std::string started_exercise_;  // by ServerOptions::start_scenario
};

std::optional<Error> Server::Impl::Open() {
  if (auto loaded = http_.LoadFiles(); !loaded.ok()) {
    return MakeError("config", "web", "board files: " + loaded.error().message);
  }
  // The feeds' tokens and CA files, before anything of the event log is touched.
  if (auto error = neighbours_.Open()) return error;
  if (auto error = net_.engine.Recover()) return error;
  // Read once at start (and again only on reload_scenarios, on the reader thread).
  runner_.set_catalogue(std::make_shared<const std::vector<ScenarioFile>>(
      LoadScenarioFiles(net_.options.scenarios_dir, *net_.config)));
  listener_.FitDescriptorLimit();
  shared_.AddRecovered();
  websocketpp::lib::error_code ec;
  net_.endpoint.init_asio(&net_.io, ec);
  if (ec) return MakeError("listen", "", "init: " + ec.message());
  ConfigureEndpoint();
  if (auto error = SetUpTransport()) return error;
  if (auto error = listener_.Listen()) return error;
  if (net_.options.handle_signals) {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.add(SIGHUP);
    WaitForSignal();
  }
  net_.engine.Start();
  net_.reader.Start();
  Maintain();
  neighbours_.Start();
  runner_.ResumeAll();
  if (!net_.options.start_scenario.empty()) {
    // The demo of the run command: started by the system, acknowledged to nobody.
    started_exercise_ = runner_.Start(ConnectionHandle(), SystemActor(),
                                      StartExerciseRequest{"startup", net_.options.start_scenario, "", false});
    if (started_exercise_.empty()) {
      return MakeError("config", "start-exercise", "cannot start scenario '" + net_.options.start_scenario + "'");
    }
  }
  return std::nullopt;
}

std::optional<Error> Server::Impl::SetUpTransport() {
  const ServerOptions& options = net_.options;
  SecureResponse::strict_transport = false;
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return MakeError("tls", options.tls_cert.empty() ? "tls-cert" : "tls-key",
                     "--tls-cert and --tls-key go together");
  }
  if (!options.tls_cert.empty()) {
    tls_.emplace(options.tls_cert, options.tls_key);
    if (auto error = tls_->Reload()) return error;
    net_.endpoint.set_tls_source([this] { return tls_->current(); });
    SecureResponse::strict_transport = true;
    log::Info("tls_loaded", {{"certificate", tls_->description()}});
    return std::nullopt;
  }
  asio::error_code error;
  const auto address = asio::ip::make_address(options.bind_address, error);
  if (!error && !address.is_loopback() && !options.insecure_plaintext) {
    return MakeError("tls", "bind",
                     "will not listen on " + options.bind_address +
                         " without TLS: give --tls-cert and --tls-key, or bind 127.0.0.1 behind a "
                         "TLS proxy (deploy/nginx); --insecure-plaintext only on a network you trust");
  }
  if (!error && !address.is_loopback()) {
    log::Warning("insecure_plaintext", {{"bind", options.bind_address},
                                        {"detail", "tokens travel in clear text on this network"}});
  }
  return std::nullopt;
}

void Server::Impl::WaitForSignal() {
  signals_.async_wait([this](const asio::error_code& error, int signal) {
    if (error) return;
    if (signal == SIGHUP) {
      Reload();
      WaitForSignal();
    } else {
      BeginShutdown();
    }
  });
}

void Server::Impl::Reload() {
  if (!net_.options.users_path.empty()) {
    auto loaded = UserDirectory::LoadPrivate(net_.options.users_path, *net_.config);
    if (!loaded.ok()) {
      log::Error("users_reload_failed", {{"detail", loaded.error().message}});
    } else {
      auto before = std::move(net_.users);
      net_.users = std::make_shared<const UserDirectory>(std::move(loaded).value());
      log::Info("users_reloaded", {{"file", net_.options.users_path},
                                   {"users", std::to_string(net_.users->users().size())}});
      websockets_.RecheckSignIns(before.get(), net_.clock->Now());
    }
  }
  if (tls_) {
    if (auto error = tls_->Reload()) {
      log::Error("tls_reload_failed", {{"detail", error->message}});
    } else {
      log::Info("tls_reloaded", {{"certificate", tls_->description()}});
    }
  }
}

void Server::Impl::ConfigureEndpoint() {
  WsServer& endpoint = net_.endpoint;
  endpoint.clear_access_channels(websocketpp::log::alevel::all);
  endpoint.clear_error_channels(websocketpp::log::elevel::all);
  endpoint.set_error_channels(websocketpp::log::elevel::fatal);
  endpoint.set_reuse_addr(true);
  endpoint.set_listen_backlog(1024);
  endpoint.set_max_message_size(kHardMaxFrameBytes);
  endpoint.set_max_http_body_size(64 * 1024);
  endpoint.set_open_handshake_timeout(net_.options.request_timeout_ms);
  endpoint.set_validate_handler([this](ConnectionHandle handle) {
    bool accepted = false;
    Guarded("handshake", handle, [&] { accepted = websockets_.Validate(handle); });
    return accepted;
  });
  endpoint.set_open_handler(
      [this](ConnectionHandle handle) { Guarded("open", handle, [&] { websockets_.OnOpen(handle); }); });
  endpoint.set_close_handler([this](ConnectionHandle handle) { websockets_.OnClose(handle); });
  endpoint.set_fail_handler([this](ConnectionHandle handle) { websockets_.OnClose(handle); });
  endpoint.set_message_handler([this](ConnectionHandle handle, WsServer::message_ptr message) {
    Guarded("message", handle, [&] { websockets_.OnMessage(handle, std::move(message)); });
  });
  endpoint.set_http_handler(
      [this](ConnectionHandle handle) { Guarded("http", handle, [&] { http_.OnHttp(handle); }); });
  endpoint.set_pong_timeout(net_.options.keepalive_seconds * 500);
  endpoint.set_pong_timeout_handler([this](ConnectionHandle handle, std::string) {
    ++net_.stats.closed_no_pong;  // a dead link: free its resources now
    websocketpp::lib::error_code ec;
    if (auto connection = net_.Connection(handle)) connection->terminate(ec);
  });
}

void Server::Impl::Run() {
  // The guard of last resort: a handler posted to this thread that throws is logged, and the
  // loop goes on (asio allows run() to be called again after an exception).
  for (;;) {
    try {
      net_.io.run();
      return;
    } catch (const std::exception& e) {
      ++net_.stats.faults;
      log::Error("fault", {{"where", "network-thread task"}, {"detail", e.what()}});
    } catch (...) {
      ++net_.stats.faults;
      log::Error("fault", {{"where", "network-thread task"}, {"detail", "unknown exception"}});
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
  ++net_.stats.faults;
  log::Error("fault", {{"where", std::string(what) + " handler"}, {"detail", fault},
                       {"action", "connection closed"}});
  auto connection = net_.Connection(handle);
  if (!connection) return;
  websocketpp::lib::error_code ec;
  try {
    if (connection->get_state() == websocketpp::session::state::open) {
      connection->close(websocketpp::close::status::internal_endpoint_error,
                        "internal error; reconnect", ec);
    } else if (std::string(what) == "http" || std::string(what) == "handshake") {
      // Still reading the request: WebSocket++ writes this answer once the handler returns.
      AnswerError(*connection, websocketpp::http::status_code::internal_server_error,
                  MakeError("internal_error", "", "the server could not answer this request"));
    } else {
      connection->terminate(ec);
    }
  } catch (...) {
    connection->terminate(ec);
  }
}

void Server::Impl::BeginShutdown() {
  if (net_.shutting_down) return;
  net_.shutting_down = true;
  listener_.Stop();
  asio::error_code ignored;
  signals_.cancel(ignored);
  runner_.CancelTimers();
  neighbours_.Stop();
  maintenance_timer_.cancel();
  // Refusals counted in a minute not yet over are recorded now, not lost with the process.
  websockets_.RecordCountedRefusals(std::numeric_limits<TimeMs>::max());
  net_.audit.RecordCounted(std::numeric_limits<TimeMs>::max());
  // Commits and completes what was already submitted; its acks and deltas are posted to this
  // thread ahead of the close below, so no accepted report goes unacknowledged. Reads under way
  // finish and post their answers too.
  net_.engine.Stop();
  net_.reader.Stop();
  asio::post(net_.io, [this] { shared_.CloseAll(); });
}

void Server::Impl::Maintain() {
  const TimeMs now = net_.clock->Now();
  const bool ping = ++maintenance_ticks_ % (2 * net_.options.keepalive_seconds) == 0;
  shared_.Maintain(now, ping);
  websockets_.RecordCountedRefusals(now);
  net_.audit.RecordCounted(now);
  if (maintenance_ticks_ % 10 == 0) websockets_.RecheckSignIns(nullptr, now);  // expiries, 5 s
  net_.engine.Probe();  // only does something while the store is failing
  maintenance_timer_.expires_after(kMaintenanceInterval);
  maintenance_timer_.async_wait([this](const asio::error_code& error) {
    if (!error && !net_.shutting_down) Maintain();
  });
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
