// Backup and verify of the event log (store/backup.h): a copy taken while another connection
// writes is a consistent prefix that replays; damaged, foreign and missing files are told apart.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "lagesbild/engine/engine.h"
#include "lagesbild/store/backup.h"
#include "lagesbild/store/sqlite_store.h"
#include "test_support.h"

using namespace lagesbild;

// Named, not unnamed: the unity build puts this file beside others with helpers of their own.
namespace backup_test {

constexpr const char* kExercise = "ovning-test-1";

template <typename T>
T Need(Result<T> result) {
  if (!result.ok()) FAIL(result.error().message);
  return std::move(result).value();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Every event of a log file, by space, as stored: to compare a copy with its source.
std::map<std::string, std::vector<StoredEvent>> AllEvents(const std::string& path) {
  auto store = Need(SqliteEventStore::OpenReadOnly(path));
  std::map<std::string, std::vector<StoredEvent>> out;
  for (const std::string& space : Need(store->ListSpaces())) {
    out[space] = Need(store->ReadAfter(space, 0, 1000000));
  }
  return out;
}

// An engine writing real events (so the copy can be replayed) into the live space and one
// exercise through its own SqliteEventStore connection, on its own thread.
struct Writer {
  explicit Writer(const std::string& path)
      : engine(testing::SharedSmallConfig(),
               Need(SqliteEventStore::Open(path, testing::SmallConfig().id)), nullptr) {
    REQUIRE_FALSE(engine.Recover());
    engine.set_save_interval(500);  // saved states appear in the log, and so in the copies
    engine.Start();
    StartExercise start;
    start.scenario_id = "test";
    start.scenario_name = "Test";
    start.planned_ms = 600 * testing::kMinute;
    std::promise<bool> started;
    engine.Submit(kExercise, Command{testing::Admin(), 1000, start},
                  [&started](const CommandOutcome& outcome) { started.set_value(!outcome.error); });
    REQUIRE(started.get_future().get());
  }
  // `count` reports into each space, all in flight at once (group commit: a few fsyncs).
  void Burst(int count) {
    std::vector<std::future<Seq>> pending;
    for (int i = 0; i < count; ++i) {
      for (const std::string space : {kLiveSpace, kExercise}) {
        auto done = std::make_shared<std::promise<Seq>>();
        pending.push_back(done->get_future());
        engine.Submit(space, testing::Report("big", BedType::kAdultICU, i % 14, 2000 + i),
                      [this, done](const CommandOutcome& outcome) {
                        Acked(outcome);
                        done->set_value(outcome.seq);
                      });
      }
    }
    for (auto& seq : pending) seq.get();
  }
  // Runs on the engine thread (the only writer of these): the highest seq acknowledged so far.
  void Acked(const CommandOutcome& outcome) {
    std::atomic<Seq>& acked = outcome.space == kLiveSpace ? acked_live : acked_exercise;
    if (!outcome.error && outcome.seq > acked) acked = outcome.seq;
  }
  std::atomic<Seq> acked_live{0}, acked_exercise{1};
  Engine engine;
};

// A log of real events in the live space and an exercise, closed.
void MakeLog(const std::string& path, int reports_per_space) {
  Writer writer(path);
  writer.Burst(reports_per_space);
  writer.engine.Stop();
}

Seq LastSeq(const LogSummary& summary, const std::string& space) {
  for (const SpaceSummary& entry : summary.spaces) {
    if (entry.space == space) return entry.last_seq;
  }
  return 0;
}

std::set<std::string> FileNames(const std::string& folder) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

// Overwrites `length` bytes at `offset` of the file with a pattern no page would hold.
void Scribble(const std::string& path, std::size_t offset, std::size_t length) {
  std::string bytes = ReadAll(path);
  REQUIRE(offset + length <= bytes.size());
  for (std::size_t i = 0; i < length; ++i) bytes[offset + i] = static_cast<char>(0xA5 ^ (i * 37));
  WriteAll(path, bytes);
}

}  // namespace backup_test

using namespace backup_test;

TEST_CASE("a backup taken while another connection writes is a prefix that verifies and replays",
          "[backup]") {
  testing::TempDir dir;
  const std::string live = dir.path() + "/live.db";
  Writer writer(live);
  writer.Burst(1000);
  // Another thread keeps reporting, in small bursts, while the backups are taken.
  std::atomic<bool> stop{false};
  std::thread load([&] {
    while (!stop) writer.Burst(5);
  });
  struct Taken {
    std::string path;
    Seq live_acked_before, exercise_acked_before;
    LogSummary summary;
    Seq live_acked_after = 0;
  };
  std::vector<Taken> copies;
  for (int i = 0; i < 5; ++i) {
    Taken taken{dir.path() + "/copy-" + std::to_string(i) + ".db",
                writer.acked_live,
                writer.acked_exercise,
                {}};
    taken.summary = Need(BackupEventLog(live, taken.path));
    taken.live_acked_after = writer.acked_live;
    copies.push_back(std::move(taken));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop = true;
  load.join();
  writer.engine.Stop();
  // The load was real: reports were acknowledged while backups ran, and the log grew past them.
  const auto source = AllEvents(live);
  CHECK(static_cast<Seq>(source.at(kLiveSpace).size()) >
        LastSeq(copies.back().summary, kLiveSpace));
  CHECK(std::any_of(copies.begin(), copies.end(), [](const Taken& taken) {
    return taken.live_acked_after > taken.live_acked_before;
  }));

  for (const Taken& taken : copies) {
    INFO(taken.path);
    const LogSummary& summary = taken.summary;
    CHECK(summary.healthcare_region == "test");
    REQUIRE(summary.spaces.size() == 2);
    // Everything acknowledged before the backup started is in it.
    CHECK(LastSeq(summary, kLiveSpace) >= taken.live_acked_before);
    CHECK(LastSeq(summary, kExercise) >= taken.exercise_acked_before);
    CHECK(summary.bytes == static_cast<std::int64_t>(std::filesystem::file_size(taken.path)));

    // A single private file: rollback journal mode, nothing beside it.
    struct stat info;
    REQUIRE(::stat(taken.path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
      CHECK_FALSE(std::filesystem::exists(taken.path + suffix));
    }
    // The header's read and write versions: 1 is rollback journal mode, 2 WAL.
    const std::string header = ReadAll(taken.path).substr(18, 2);
    CHECK(header == std::string("\x01\x01"));

    const LogCheck check = Need(CheckEventLog(taken.path));
    CHECK(check.problems.empty());
    CHECK(check.summary.healthcare_region == "test");
    for (const SpaceSummary& space : check.summary.spaces) {
      CHECK(space.first_seq == 1);  // and CheckEventLog found no gap: contiguous from 1
      CHECK(space.events == space.last_seq);
      // A prefix: the copy's events are the source's first ones, byte for byte.
      const auto copied = AllEvents(taken.path).at(space.space);
      const auto& original = source.at(space.space);
      REQUIRE(copied.size() <= original.size());
      for (std::size_t i = 0; i < copied.size(); ++i) {
        CHECK(copied[i].json == original[i].json);
      }
    }

    // The copy replays through the engine's own recovery, to its last event in every space
    // (replayed on copies of the copy: recovery writes saved states into the log it opens).
    SpaceState live_from_saved_state;
    REQUIRE(Need(BackupEventLog(taken.path, taken.path + ".a")).bytes > 0);
    {
      Engine replay(testing::SharedSmallConfig(),
                    Need(SqliteEventStore::Open(taken.path + ".a", "test")), nullptr);
      REQUIRE_FALSE(replay.Recover());
      for (const SpaceRecovery& space : replay.recovery()) {
        CHECK(space.seq == LastSeq(summary, space.space));
        CHECK(space.saved_state_unused.empty());
      }
      live_from_saved_state = *replay.Space(kLiveSpace);
      CHECK(replay.recovery().front().space == kLiveSpace);
      CHECK(replay.recovery().front().saved_state_seq > 0);  // the saved states were used
    }
    // Without saved states every event is replayed, to the same state.
    REQUIRE(Need(BackupEventLog(taken.path, taken.path + ".b")).bytes > 0);
    REQUIRE(ForgetSavedStates(taken.path + ".b").ok());
    Engine full(testing::SharedSmallConfig(),
                Need(SqliteEventStore::Open(taken.path + ".b", "test")), nullptr);
    REQUIRE_FALSE(full.Recover());
    for (const SpaceRecovery& space : full.recovery()) {
      CHECK(space.saved_state_seq == 0);
      CHECK(space.events_replayed == LastSeq(summary, space.space));
    }
    CHECK(*full.Space(kLiveSpace) == live_from_saved_state);
  }
}

TEST_CASE("a backup never replaces an existing file unless asked, nor the log itself", "[backup]") {
  testing::TempDir dir;
  const std::string live = dir.path() + "/live.db";
  MakeLog(live, 10);
  const std::string out = dir.path() + "/backup.db";
  WriteAll(out, "yesterday's backup");
  const auto before = FileNames(dir.path());

  auto refused = BackupEventLog(live, out);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "store_failed");
  CHECK_THAT(refused.error().message, Catch::Contains(out) && Catch::Contains("exists already"));
  CHECK(ReadAll(out) == "yesterday's backup");
  CHECK(FileNames(dir.path()) == before);  // and no partial copy is left behind

  BackupOptions replace;
  replace.overwrite = true;
  const LogSummary written = Need(BackupEventLog(live, out, replace));
  CHECK(LastSeq(written, kLiveSpace) == 10);
  CHECK(Need(CheckEventLog(out)).problems.empty());

  // Not even --overwrite puts a copy over the live log under the server.
  auto onto_itself = BackupEventLog(live, live, replace);
  REQUIRE_FALSE(onto_itself.ok());
  CHECK_THAT(onto_itself.error().message, Catch::Contains("the log itself"));
  CHECK(Need(CheckEventLog(live)).problems.empty());

  auto no_folder = BackupEventLog(live, dir.path() + "/missing/backup.db");
  REQUIRE_FALSE(no_folder.ok());
  CHECK_THAT(no_folder.error().message, Catch::Contains("no folder"));
}

TEST_CASE("damage inside a table page of a copy fails the integrity check", "[backup]") {
  testing::TempDir dir;
  const std::string live = dir.path() + "/live.db";
  MakeLog(live, 600);
  const std::string copy = dir.path() + "/copy.db";
  const LogSummary summary = Need(BackupEventLog(live, copy));
  const std::size_t page = 4096;  // SQLite's default page size, which the log keeps
  const std::size_t pages = static_cast<std::size_t>(summary.bytes) / page;
  REQUIRE(pages > 20);
  REQUIRE(Need(CheckEventLog(copy)).problems.empty());  // sound before the damage

  // A page in the middle of the file: the events table's pages make up most of it. Its first
  // byte says what kind of b-tree page it is.
  const std::size_t middle = pages / 2 * page;
  const auto kind = static_cast<unsigned char>(ReadAll(copy)[middle]);
  REQUIRE((kind == 0x02 || kind == 0x05 || kind == 0x0a || kind == 0x0d));

  SECTION("a flipped byte: the page's kind") {
    std::string bytes = ReadAll(copy);
    bytes[middle] = static_cast<char>(kind ^ 0xff);
    WriteAll(copy, bytes);
  }
  SECTION("garbage over the page's cells") { Scribble(copy, middle + 8, 2000); }

  const LogCheck check = Need(CheckEventLog(copy));
  REQUIRE_FALSE(check.problems.empty());
  CHECK_THAT(check.problems.front(), Catch::Contains(copy) && Catch::Contains("integrity check"));
}

TEST_CASE("an index that disagrees with its table is damage a quick check would miss", "[backup]") {
  testing::TempDir dir;
  const std::string live = dir.path() + "/live.db";
  MakeLog(live, 50);
  const std::string copy = dir.path() + "/copy.db";
  REQUIRE(BackupEventLog(live, copy).ok());
  // Every page stays well formed; only the index's definition no longer matches what it holds,
  // as after a lost write to the index alone.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(copy.c_str(), &db) == SQLITE_OK);
  REQUIRE(
      sqlite3_exec(db,
                   "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql = "
                   "replace(sql, 'subject, seq', 'kind, seq') WHERE name = 'events_by_subject';",
                   nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  const LogCheck check = Need(CheckEventLog(copy));
  REQUIRE_FALSE(check.problems.empty());
  CHECK_THAT(check.problems.front(), Catch::Contains("events_by_subject"));
}

TEST_CASE("a source that is locked is waited for, within the busy timeout", "[backup]") {
  testing::TempDir dir;
  const std::string live = dir.path() + "/live.db";
  MakeLog(live, 20);
  // A log in rollback mode (a backup itself) under a writer's exclusive lock: no reader gets in,
  // which WAL never does to the backup of a serving log.
  const std::string locked = dir.path() + "/locked.db";
  REQUIRE(BackupEventLog(live, locked).ok());
  sqlite3* holder = nullptr;
  REQUIRE(sqlite3_open(locked.c_str(), &holder) == SQLITE_OK);
  REQUIRE(sqlite3_exec(holder, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);

  BackupOptions brief;
  brief.busy_timeout = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  auto refused = BackupEventLog(locked, dir.path() + "/out.db", brief);
  const auto waited = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains(locked) && Catch::Contains("locked"));
  CHECK(waited >= std::chrono::milliseconds(250));
  CHECK(waited < std::chrono::seconds(5));
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/out.db"));

  // Released while the backup waits: it goes through.
  std::thread release([holder] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    sqlite3_exec(holder, "COMMIT", nullptr, nullptr, nullptr);
  });
  auto written = BackupEventLog(locked, dir.path() + "/out.db");
  release.join();
  sqlite3_close(holder);
  REQUIRE(written.ok());
  CHECK(LastSeq(written.value(), kLiveSpace) == 20);
}

TEST_CASE("a file that is not an SQLite database, or not an event log, fails verify clearly",
          "[backup]") {
  testing::TempDir dir;
  const std::string text = dir.path() + "/notes.db";
  WriteAll(text, std::string(8192, 'x'));
  const LogCheck not_sqlite = Need(CheckEventLog(text));
  REQUIRE(not_sqlite.problems.size() == 1);
  CHECK_THAT(not_sqlite.problems[0],
             Catch::Contains(text) && Catch::Contains("not an SQLite database"));
  auto backup = BackupEventLog(text, dir.path() + "/out.db");
  REQUIRE_FALSE(backup.ok());
  CHECK_THAT(backup.error().message, Catch::Contains(text));
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/out.db"));

  const std::string other = dir.path() + "/other.db";
  sqlite3* db = nullptr;
  sqlite3_open(other.c_str(), &db);
  sqlite3_exec(db, "CREATE TABLE things(x); INSERT INTO things VALUES(1);", nullptr, nullptr,
               nullptr);
  sqlite3_close(db);
  const LogCheck not_a_log = Need(CheckEventLog(other));
  REQUIRE(not_a_log.problems.size() == 1);
  CHECK_THAT(not_a_log.problems[0], Catch::Contains("not a Lägesbild event log"));
}

TEST_CASE("a missing file is an error, not a damaged log, and is not created", "[backup]") {
  testing::TempDir dir;
  const std::string missing = dir.path() + "/missing.db";
  auto check = CheckEventLog(missing);
  REQUIRE_FALSE(check.ok());
  CHECK(check.error().code == "store_failed");
  CHECK_THAT(check.error().message, Catch::Contains(missing) && Catch::Contains("No such file"));
  auto backup = BackupEventLog(missing, dir.path() + "/out.db");
  REQUIRE_FALSE(backup.ok());
  CHECK_THAT(backup.error().message, Catch::Contains(missing));
  CHECK(FileNames(dir.path()).empty());
  CHECK_FALSE(CheckEventLog(dir.path()).ok());  // a folder is no log file either
}

TEST_CASE("a space with a hole in its seqs is damage, though every page is sound", "[backup]") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/holes.db";
  {
    auto store = Need(SqliteEventStore::Open(path, "test"));
    for (Seq seq : {1, 2, 4}) {
      REQUIRE(
          store->Append({StoredEvent{"live", seq, seq, "capacity_reported", "tib", "big", "{}"}})
              .ok());
    }
    REQUIRE(store->Append({StoredEvent{"ovning-2", 2, 2, "capacity_reported", "tib", "big", "{}"}})
                .ok());
  }
  const LogCheck check = Need(CheckEventLog(path));
  REQUIRE(check.problems.size() == 2);
  CHECK_THAT(check.problems[0], Catch::Contains("space live has 3 events for seqs 1..4"));
  CHECK_THAT(check.problems[1], Catch::Contains("space ovning-2 has 1 events for seqs 2..2"));
}
