// `lagesbild serve`: the server, until SIGINT or SIGTERM.
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "files.h"

#include "lagesbild/log/log.h"
#include "lagesbild/server/server.h"
#include "lagesbild/server/system_clock.h"
#include "lagesbild/store/sqlite_store.h"

namespace lagesbild::cli {
namespace {

int Serve(const std::string& config_path, const std::string& db_path,
          const std::string& users_path, std::int64_t max_db_bytes,
          ServerOptions options) {
  auto config = LoadConfig(config_path);
  options.users_path = users_path;
  if (!config || !LoadUsers(users_path, *config, &options.users, /*private_only=*/true)) {
    return 2;
  }
  if (options.users.users().empty()) {
    std::printf("lagesbild: no users in %s: everyone can read, nobody can write. "
                "Add one with: lagesbild users add NAME --role admin (then SIGHUP or restart)\n",
                users_path.c_str());
  }

  MakePrivateDirectory(db_path);
  auto store = SqliteEventStore::Open(db_path, config->id, max_db_bytes);
  if (!store.ok()) {
    std::fprintf(stderr, "lagesbild: %s\n", store.error().message.c_str());
    return 2;
  }
  auto reads = SqliteEventStore::OpenReadOnly(db_path);
  if (!reads.ok()) {
    std::fprintf(stderr, "lagesbild: %s\n", reads.error().message.c_str());
    return 2;
  }
  Server server(config, std::move(store).value(), std::move(reads).value(),
                           std::make_shared<SystemClock>(), options);
  if (auto open_error = server.Open()) {
    std::fprintf(stderr, "lagesbild: %s\n", open_error->message.c_str());
    return 2;
  }
  for (const SpaceRecovery& space : server.recovery()) {
    const std::string from = space.saved_state_seq > 0
        ? "the saved state at " + std::to_string(space.saved_state_seq) + " + "
        : "";
    log::Info("recovered", {{"space", space.space}, {"seq", std::to_string(space.seq)},
                            {"saved_state_seq", std::to_string(space.saved_state_seq)},
                            {"events_replayed", std::to_string(space.events_replayed)}});
    std::printf("lagesbild: space %s at seq %lld: %s%lld events replayed%s%s\n",
                space.space.c_str(), static_cast<long long>(space.seq), from.c_str(),
                static_cast<long long>(space.events_replayed),
                space.saved_state_unused.empty() ? "" : "; saved state not used: ",
                space.saved_state_unused.c_str());
  }
  const std::string host =
      options.bind_address == "0.0.0.0" ? "localhost" : options.bind_address;
  const char* scheme = options.tls_cert.empty() ? "http" : "https";
  // Tests read this line to learn the port; keep its shape.
  std::printf("lagesbild: %s (%zu hospitals), event log %s\n", config->name.c_str(),
              config->hospitals.size(), db_path.c_str());
  std::printf("lagesbild: listening on %s://%s:%u/\n", scheme, host.c_str(), server.port());
  if (!server.started_exercise().empty()) {
    std::printf("lagesbild: exercise (ÖVNING) %s: board %s://%s:%u/?space=%s, trainer "
                "%s://%s:%u/trainer.html?space=%s\n",
                server.started_exercise().c_str(), scheme, host.c_str(), server.port(),
                server.started_exercise().c_str(), scheme, host.c_str(), server.port(),
                server.started_exercise().c_str());
  }
  log::Info("started", {{"version", LAGESBILD_VERSION}, {"region", config->id},
                        {"listen", std::string(scheme) + "://" + options.bind_address + ":" +
                                       std::to_string(server.port())},
                        {"db", db_path}});
  std::fflush(stdout);
  server.Run();
  log::Info("stopped");
  std::printf("lagesbild: stopped\n");
  return 0;
}

struct ServeArguments {
  std::string config_path = LAGESBILD_DEFAULT_CONFIG;
  std::string db_path = "data/lagesbild.db";
  std::string users_path = "data/users.json";
  ServerOptions options;
  int port = 8080;
  std::string log_format = "text", log_level = "info";
  std::int64_t max_db_mb = 0;
};

}  // namespace

void AddServeCommand(CLI::App& app, int& exit_code) {
  auto arguments = std::make_shared<ServeArguments>();
  ServerOptions& options = arguments->options;
  options.web_root = LAGESBILD_DEFAULT_WEB;
  options.scenarios_dir = LAGESBILD_DEFAULT_SCENARIOS;
  std::string& config_path = arguments->config_path;
  std::string& db_path = arguments->db_path;
  int& port = arguments->port;
  CLI::App* serve = app.add_subcommand("serve", "run the server");
  serve->add_option("--config", config_path, "healthcare region configuration (JSON)")
      ->capture_default_str();
  serve->add_option("--db", db_path, "SQLite event log (created if missing)")
      ->capture_default_str();
  serve->add_option("--port", port, "TCP port; 0 picks a free one")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  serve->add_option("--bind", options.bind_address,
                    "address to listen on (0.0.0.0 for every interface)")
      ->capture_default_str();
  serve->add_option("--web", options.web_root, "directory with the board's files")
      ->capture_default_str();
  serve->add_option("--scenarios", options.scenarios_dir, "directory with scenario files")
      ->capture_default_str();
  serve->add_option("--keepalive", options.keepalive_seconds,
                    "seconds between pings; a connection silent for half of it after a ping is closed")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve->add_option("--start-exercise", options.start_scenario,
                    "start this scenario as an exercise at once (e.g. demo-10min)");
  serve->add_option("--resume-window", options.deltas_kept,
                    "deltas kept per space for reconnecting clients (older: fresh snapshot)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();

  std::string& users_path = arguments->users_path;
  serve->add_option("--users", users_path, "users and token hashes (see 'lagesbild users')")
      ->capture_default_str();
  serve->add_flag("--require-sign-in", options.require_sign_in,
                  "every read (board, API, WebSocket) needs a token, viewer or above");
  serve->add_option("--allow-origin", options.allowed_origins,
                    "a page origin besides the server's own that may open WebSockets "
                    "(e.g. https://lagesbild.region.se); repeatable");
  serve->add_option("--max-connections", options.max_connections, "connections open at once")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  serve->add_option("--max-connections-per-address", options.max_connections_per_address,
                    "connections open at once from one remote address")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  serve->add_option("--message-rate", options.message_rate,
                    "WebSocket messages a second per connection (more are refused: rate_limited)")
      ->check(CLI::Range(0.1, 1e7))
      ->capture_default_str();
  serve->add_option("--message-burst", options.message_burst,
                    "WebSocket messages a connection may send at once")
      ->check(CLI::Range(1.0, 1e7))
      ->capture_default_str();
  serve->add_option("--write-rate", options.write_rate,
                    "commands a second the event log takes from all connections together")
      ->check(CLI::Range(1.0, 1e7))
      ->capture_default_str();
  serve->add_option("--refusals-per-minute", options.refusals_per_minute,
                    "refused commands stored one by one per user and minute (the rest: a count)")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  serve->add_option("--request-timeout", options.request_timeout_ms,
                    "milliseconds a client has to send its request head or WebSocket handshake")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  serve->add_option("--max-queued-reads", options.max_queued_reads,
                    "reads (history, message pages, reviews) waiting at once; more get 503")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve->add_option("--read-timeout", options.read_timeout_ms,
                    "milliseconds a read may run before it is interrupted (503 store_failed)")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  serve->add_option("--tls-cert", options.tls_cert,
                    "PEM certificate chain: serve https and wss (with --tls-key; SIGHUP rereads both)")
      ->check(CLI::ExistingFile);
  serve->add_option("--tls-key", options.tls_key, "PEM private key, readable by its owner only")
      ->check(CLI::ExistingFile);
  serve->add_flag("--metrics-sign-in", options.metrics_sign_in,
                  "GET /metrics needs a token (a viewer's will do; Prometheus: authorization)");
  serve->add_flag("--insecure-plaintext", options.insecure_plaintext,
                  "allow --bind beyond loopback without TLS (tokens then travel in clear text)");
  serve->add_option("--trusted-proxy", options.trusted_proxies,
                    "address of a TLS proxy in front (e.g. 127.0.0.1 for the shipped nginx "
                    "configuration): its X-Forwarded-For and X-Forwarded-Proto are believed; repeatable");
  std::string& log_format = arguments->log_format;
  std::string& log_level = arguments->log_level;
  serve->add_option("--log-format", log_format, "log lines on standard error: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  serve->add_option("--log-level", log_level, "lowest level logged: debug, info, warning, error")
      ->check(CLI::IsMember({"debug", "info", "warning", "error"}))
      ->capture_default_str();
  std::int64_t& max_db_mb = arguments->max_db_mb;
  serve->add_option("--max-db-size", max_db_mb,
                    "cap the event log at this many MiB (0: no cap); beyond it writes fail "
                    "with store_failed, as on a full disk")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  serve->callback([arguments, &exit_code] {
    arguments->options.port = static_cast<std::uint16_t>(arguments->port);
    log::Configure(*log::ParseFormat(arguments->log_format), *log::ParseLevel(arguments->log_level));
    exit_code = Serve(arguments->config_path, arguments->db_path, arguments->users_path,
                      arguments->max_db_mb << 20, arguments->options);
  });
}

}  // namespace lagesbild::cli
