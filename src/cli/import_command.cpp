// `lagesbild import-have FILE --space S --as USER`: an EDXL-HAVE document from a hospital system
// into capacity reports, through the one command path: read (interop/have_read.h), judged by the
// core with USER's rights from the users file (core ImportReports: all or none), appended to the
// event log, the events marked via edxl-have with USER as their actor.
//
// It writes the event log itself, so the server must not be running on it: the log's writer lock
// (SqliteEventStore::Open) refuses a second writer, and this command then says to import through
// the server instead (the WebSocket command import_have, docs/protocol.md).
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <string>

#include "commands.h"
#include "files.h"

#include "lagesbild/core/catalogue.h"
#include "lagesbild/engine/engine.h"
#include "lagesbild/interop/have_read.h"
#include "lagesbild/store/sqlite_store.h"

namespace lagesbild::cli {
namespace {

struct ImportArguments {
  std::string file;
  std::string space = kLiveSpace;
  std::string user;
  std::string db_path = "data/lagesbild.db";
  std::string config_path = LAGESBILD_DEFAULT_CONFIG;
  std::string users_path = "data/users.json";
};

void PrintProblems(const Error& error) {
  std::fprintf(stderr, "lagesbild: import refused (%s): %s\n", error.code.c_str(), error.message.c_str());
  for (const std::string& problem : error.details) std::fprintf(stderr, "  %s\n", problem.c_str());
}

// The space's time: the wall clock for live, an exercise's own clock where it stands.
TimeMs SpaceTime(const SpaceState& state) {
  if (state.exercise_info) return state.exercise_info->start + state.exercise_info->elapsed_ms;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int RunImport(const ImportArguments& arguments) {
  auto config = LoadConfig(arguments.config_path);
  UserDirectory users;
  if (!config || !LoadUsers(arguments.users_path, *config, &users, /*private_only=*/true)) return 2;
  const UserRecord* user = users.Find(arguments.user);
  if (!user) {
    std::fprintf(stderr, "lagesbild: no user '%s' in %s\n", arguments.user.c_str(),
                 arguments.users_path.c_str());
    return 2;
  }
  auto text = ReadFile(arguments.file);
  if (!text) return 2;
  auto reading = ReadHave(*text);
  if (!reading.ok()) {
    PrintProblems(reading.error());
    return 1;
  }
  for (const std::string& note : reading->ignored) std::fprintf(stderr, "lagesbild: ignored: %s\n", note.c_str());

  auto store = SqliteEventStore::Open(arguments.db_path, config->id);
  if (!store.ok()) {
    std::fprintf(stderr, "lagesbild: %s\n  (while the server runs, send the document as the "
                         "WebSocket command import_have instead)\n",
                 store.error().message.c_str());
    return 2;
  }
  Engine engine(config, std::move(store).value(), nullptr);
  if (auto error = engine.Recover()) {
    std::fprintf(stderr, "lagesbild: %s: %s\n", arguments.db_path.c_str(), error->message.c_str());
    return 2;
  }
  const SpaceState* space = engine.Space(arguments.space);
  if (!space || arguments.space == kAuditSpace || arguments.space == kCatalogueSpace) {
    std::fprintf(stderr, "lagesbild: no space '%s' in %s\n", arguments.space.c_str(), arguments.db_path.c_str());
    return 2;
  }
  auto import = ImportFromHave(*config, reading.value(), space->exercise);
  if (!import.ok()) {
    PrintProblems(import.error());
    return 1;
  }
  const std::size_t hospitals = import->reports.size();
  const Actor actor{Actor::Kind::kUser, user->id, user->role, user->region};
  Command command{actor, SpaceTime(*space), std::move(import).value()};
  std::promise<CommandOutcome> done;
  engine.Start();
  engine.Submit(arguments.space, std::move(command),
                [&done](const CommandOutcome& outcome) { done.set_value(outcome); });
  const CommandOutcome outcome = done.get_future().get();
  engine.Stop();
  if (outcome.error) {
    PrintProblems(*outcome.error);
    return 1;
  }
  std::printf("imported %zu hospitals' figures into %s as %s (up to seq %lld)\n", hospitals,
              arguments.space.c_str(), user->id.c_str(), static_cast<long long>(outcome.seq));
  return 0;
}

}  // namespace

void AddImportCommand(CLI::App& app, int& exit_code) {
  auto arguments = std::make_shared<ImportArguments>();
  auto* command = app.add_subcommand(
      "import-have", "read an EDXL-HAVE 1.0 document into capacity reports (the server stopped)");
  command->add_option("file", arguments->file, "the HospitalStatus document (or an EDXL-DE envelope)")
      ->required();
  command->add_option("--space", arguments->space, "the space to report into (live or an exercise)");
  command->add_option("--as", arguments->user, "the user the reports are made as (their rights apply)")
      ->required();
  command->add_option("--db", arguments->db_path, "SQLite event log");
  command->add_option("--config", arguments->config_path, "healthcare region configuration");
  command->add_option("--users", arguments->users_path, "users file");
  command->callback([arguments, &exit_code] { exit_code = RunImport(*arguments); });
}

}  // namespace lagesbild::cli
