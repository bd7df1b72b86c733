// lagesbild: the command-line entry point. `lagesbild serve` runs the server.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "lagesbild/server.h"
#include "lagesbild/sqlite_store.h"

namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

int Serve(const std::string& config_path, const std::string& db_path,
          lagesbild::ServerOptions options) {
  const auto text = ReadFile(config_path);
  if (!text) {
    std::fprintf(stderr, "lagesbild: %s: cannot be read\n", config_path.c_str());
    return 2;
  }
  auto loaded = lagesbild::ParseConfig(*text, config_path);
  if (!loaded.config) {
    std::fprintf(stderr, "lagesbild: %s\n", loaded.error.c_str());
    return 2;
  }
  auto config = std::make_shared<const lagesbild::HealthcareRegionConfig>(std::move(*loaded.config));

  std::error_code ec;
  const auto db_dir = std::filesystem::path(db_path).parent_path();
  if (!db_dir.empty()) std::filesystem::create_directories(db_dir, ec);
  std::optional<lagesbild::Error> error;
  auto store = lagesbild::SqliteEventStore::Open(db_path, config->id, &error);
  if (!store) {
    std::fprintf(stderr, "lagesbild: %s\n", error->message.c_str());
    return 2;
  }
  lagesbild::Server server(config, std::move(store), std::make_shared<lagesbild::SystemClock>(),
                           options);
  if (auto open_error = server.Open()) {
    std::fprintf(stderr, "lagesbild: %s\n", open_error->message.c_str());
    return 2;
  }
  const std::string host =
      options.bind_address == "0.0.0.0" ? "localhost" : options.bind_address;
  // Tests read this line to learn the port; keep its shape.
  std::printf("lagesbild: %s (%zu hospitals), event log %s\n", config->name.c_str(),
              config->hospitals.size(), db_path.c_str());
  std::printf("lagesbild: listening on http://%s:%u/\n", host.c_str(), server.port());
  std::fflush(stdout);
  server.Run();
  std::printf("lagesbild: stopped\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Lägesbild – shared hospital capacity picture for mass-casualty events"};
  app.require_subcommand(1);

  std::string config_path = LAGESBILD_DEFAULT_CONFIG;
  std::string db_path = "data/lagesbild.db";
  lagesbild::ServerOptions options;
  options.web_root = LAGESBILD_DEFAULT_WEB;
  int port = options.port;
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
  serve->add_option("--resume-window", options.deltas_kept,
                    "deltas kept per space for reconnecting clients (older: fresh snapshot)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  options.port = static_cast<std::uint16_t>(port);
  if (serve->parsed()) return Serve(config_path, db_path, options);
  return 0;
}
