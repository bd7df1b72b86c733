// `lagesbild backup --db FILE OUT` and `lagesbild verify FILE`: a consistent copy of the event log
// while the server runs, and the check that a copy is sound and would start a server.
//
// verify replays with the server's own start-up code: the file is copied to a scratch folder
// (so nothing is written to the backup itself, not even a saved state), opened there with
// SqliteEventStore::Open exactly as `serve` opens its --db, and rebuilt by Engine::Recover; then
// once more without the saved states, because a saved state lets the start skip every event
// before it, damaged ones included.
#include <stdlib.h>  // mkdtemp

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "commands.h"
#include "files.h"

#include "lagesbild/engine/engine.h"
#include "lagesbild/store/backup.h"
#include "lagesbild/store/sqlite_store.h"

namespace lagesbild::cli {
namespace {

struct BackupArguments {
  std::string db_path = "data/lagesbild.db";
  std::string out_path;
  bool overwrite = false;
};

struct VerifyArguments {
  std::string file;
  std::string config_path = LAGESBILD_DEFAULT_CONFIG;
  bool quick = false;
};

std::string Size(std::int64_t bytes) {
  char text[64];
  std::snprintf(text, sizeof text, "%.1f MiB (%lld bytes)", static_cast<double>(bytes) / (1 << 20),
                static_cast<long long>(bytes));
  return text;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int RunBackup(const BackupArguments& arguments) {
  const auto start = std::chrono::steady_clock::now();
  BackupOptions options;
  options.overwrite = arguments.overwrite;
  auto written = BackupEventLog(arguments.db_path, arguments.out_path, options);
  if (!written.ok()) {
    std::fprintf(stderr, "lagesbild: backup failed: %s\n", written.error().message.c_str());
    return 2;
  }
  const LogSummary& summary = written.value();
  std::printf("lagesbild: backed up %s to %s in %.2f s: %s, healthcare region %s\n",
              arguments.db_path.c_str(), arguments.out_path.c_str(), SecondsSince(start),
              Size(summary.bytes).c_str(), summary.healthcare_region.c_str());
  for (const SpaceSummary& space : summary.spaces) {
    std::printf("lagesbild:   space %s: last seq %lld, %lld events\n", space.space.c_str(),
                static_cast<long long>(space.last_seq), static_cast<long long>(space.events));
  }
  if (summary.spaces.empty()) std::printf("lagesbild:   no events yet\n");
  return 0;
}

// A private folder under TMPDIR for the replay's copy, removed with everything in it.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::error_code ec;
    std::string pattern =
        (std::filesystem::temp_directory_path(ec) / "lagesbild-verify-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path_ = pattern;  // mkdtemp makes it 0700
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  ~ScratchFolder() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

const SpaceSummary* FindSpace(const LogSummary& summary, const std::string& name) {
  for (const SpaceSummary& space : summary.spaces) {
    if (space.space == name) return &space;
  }
  return nullptr;
}

// What one recovery of the scratch copy gave: how each space was rebuilt, and its state.
struct Recovered {
  std::vector<SpaceRecovery> recovery;
  std::map<std::string, SpaceState> states;
};

// Opens the copy as `serve` opens its --db and recovers it with the engine, as at start; prints
// why when it cannot (the log would not start a server).
std::optional<Recovered> Recover(const std::string& copy, const std::string& file,
                                 const std::shared_ptr<const HealthcareRegionConfig>& config,
                                 const char* how) {
  auto store = SqliteEventStore::Open(copy, config->id);
  if (!store.ok()) {
    std::printf("lagesbild: %s does not open as an event log: %s\n", file.c_str(),
                store.error().message.c_str());
    return std::nullopt;
  }
  Engine engine(config, std::move(store).value(), nullptr);
  if (auto error = engine.Recover()) {
    std::printf("lagesbild: %s does not replay %s: %s (%s)\n", file.c_str(), how,
                error->message.c_str(), error->code.c_str());
    return std::nullopt;
  }
  Recovered out{engine.recovery(), {}};
  for (const std::string& name : engine.SpaceNames()) out.states.emplace(name, *engine.Space(name));
  return out;
}

// Rebuilds every space of the file as `serve` does at start (from saved states), then, unless
// --quick, once more from every event with the saved states removed: that reads each event, and
// shows that the saved states agree with the events before them. 0: sound; 1: it does not
// replay, or not to its last event, or a saved state disagrees; 2: the replay could not be set up.
int Replay(const VerifyArguments& arguments,
           const std::shared_ptr<const HealthcareRegionConfig>& config, const LogSummary& summary) {
  const std::string& file = arguments.file;
  ScratchFolder scratch;
  if (scratch.path().empty()) {
    std::fprintf(stderr, "lagesbild: cannot create a scratch folder for the replay (TMPDIR)\n");
    return 2;
  }
  const std::string copy = scratch.path() + "/replay.db";
  if (auto copied = BackupEventLog(file, copy); !copied.ok()) {
    std::fprintf(stderr, "lagesbild: cannot copy %s for the replay: %s\n", file.c_str(),
                 copied.error().message.c_str());
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  const auto at_start = Recover(copy, file, config, "as at server start");
  if (!at_start) return 1;
  std::optional<Recovered> full;
  if (!arguments.quick) {
    if (auto forgotten = ForgetSavedStates(copy); !forgotten.ok()) {
      std::fprintf(stderr, "lagesbild: %s\n", forgotten.error().message.c_str());
      return 2;
    }
    full = Recover(copy, file, config, "from its first event");
    if (!full) return 1;
  }
  int failed = 0;
  for (const SpaceRecovery& space : at_start->recovery) {
    const SpaceSummary* stored = FindSpace(summary, space.space);
    const Seq last = stored ? stored->last_seq : 0;
    const std::string from =
        space.saved_state_seq > 0
            ? "the saved state at " + std::to_string(space.saved_state_seq) + " + "
            : "the first event, ";
    std::printf(
        "lagesbild:   space %s: %lld events, last seq %lld; at start: %s%lld events "
        "replayed%s%s%s\n",
        space.space.c_str(), static_cast<long long>(stored ? stored->events : 0),
        static_cast<long long>(last), from.c_str(), static_cast<long long>(space.events_replayed),
        space.saved_state_unused.empty() ? "" : "; saved state not used: ",
        space.saved_state_unused.c_str(), full ? "; every event replayed" : "");
    if (space.seq != last) {
      std::printf("lagesbild: %s: space %s replays to seq %lld, not to its last event %lld\n",
                  file.c_str(), space.space.c_str(), static_cast<long long>(space.seq),
                  static_cast<long long>(last));
      failed = 1;
    }
    if (full && !(full->states.count(space.space) &&
                  full->states.at(space.space) == at_start->states.at(space.space))) {
      std::printf(
          "lagesbild: %s: space %s: the state at start (saved state at %lld) is not "
          "the state its events give\n",
          file.c_str(), space.space.c_str(), static_cast<long long>(space.saved_state_seq));
      failed = 1;
    }
  }
  if (failed) return 1;
  const std::size_t spaces = at_start->recovery.size();
  std::printf(
      "lagesbild: %s verified: integrity ok, %zu space%s replay%s to the last event, %s, "
      "in %.2f s\n",
      file.c_str(), spaces, spaces == 1 ? "" : "s", spaces == 1 ? "s" : "",
      full ? "from saved states and from every event alike" : "from saved states (--quick)",
      SecondsSince(start));
  return 0;
}

int RunVerify(const VerifyArguments& arguments) {
  const std::string& file = arguments.file;
  auto config = LoadConfig(arguments.config_path);
  if (!config) return 2;
  auto checked = CheckEventLog(file);
  if (!checked.ok()) {
    std::fprintf(stderr, "lagesbild: %s\n", checked.error().message.c_str());
    return 2;
  }
  const LogCheck& check = checked.value();
  if (!check.problems.empty()) {
    for (const std::string& problem : check.problems) {
      std::printf("lagesbild: damaged: %s\n", problem.c_str());
    }
    std::printf("lagesbild: %s is damaged: do not restore it\n", file.c_str());
    return 1;
  }
  std::printf("lagesbild: %s: integrity ok (PRAGMA integrity_check), %s, healthcare region %s\n",
              file.c_str(), Size(check.summary.bytes).c_str(),
              check.summary.healthcare_region.c_str());
  // A log replays only against the configuration it was written with: another region's
  // hospitals would make every report unknown. That is the wrong --config, not a damaged file.
  if (check.summary.healthcare_region != config->id) {
    std::fprintf(stderr,
                 "lagesbild: %s holds the event log of healthcare region '%s', but %s is the "
                 "configuration of '%s'; pass --config with the file the server runs with\n",
                 file.c_str(), check.summary.healthcare_region.c_str(),
                 arguments.config_path.c_str(), config->id.c_str());
    return 2;
  }
  return Replay(arguments, config, check.summary);
}

}  // namespace

void AddBackupCommands(CLI::App& app, int& exit_code) {
  auto backup_arguments = std::make_shared<BackupArguments>();
  CLI::App* backup =
      app.add_subcommand("backup", "copy the event log to one file, also while the server runs");
  backup->footer(
      "The copy is the log as of one commit, made with SQLite's online backup beside the running "
      "server. Exit 0: OUT is in place; 2: it is not (nothing was left at OUT).");
  backup->add_option("--db", backup_arguments->db_path, "the server's event log")
      ->capture_default_str();
  backup->add_option("out", backup_arguments->out_path, "the backup file to create (mode 600)")
      ->required();
  backup->add_flag("--overwrite", backup_arguments->overwrite, "replace OUT if it exists");
  backup->callback([backup_arguments, &exit_code] { exit_code = RunBackup(*backup_arguments); });

  auto verify_arguments = std::make_shared<VerifyArguments>();
  CLI::App* verify =
      app.add_subcommand("verify", "check a backup: integrity, then a replay as at server start");
  verify->footer(
      "PRAGMA integrity_check on FILE, then a copy of it replayed by the server's own recovery, "
      "as at start and (unless --quick) from every event. "
      "Exit 0: sound; 1: damaged or does not replay; 2: cannot be checked (missing file, wrong "
      "--config).");
  verify->add_option("file", verify_arguments->file, "the log file to check")->required();
  verify
      ->add_option("--config", verify_arguments->config_path,
                   "healthcare region configuration the server runs with")
      ->capture_default_str();
  verify->add_flag("--quick", verify_arguments->quick,
                   "replay only as the server starts (from saved states), not every event too");
  verify->callback([verify_arguments, &exit_code] { exit_code = RunVerify(*verify_arguments); });
}

}  // namespace lagesbild::cli
