#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "lagesbild/store/sqlite_store.h"
#include "test_support.h"

using namespace lagesbild;

namespace {

StoredEvent Make(const std::string& space, Seq seq) {
  return StoredEvent{space, seq, 1000 * seq, "capacity_reported", "tib", seq % 2 ? "falun" : "mora",
                     "{\"seq\":" + std::to_string(seq) + "}"};
}

std::unique_ptr<SqliteEventStore> OpenOrFail(const std::string& path, const std::string& region) {
  auto store = SqliteEventStore::Open(path, region);
  if (!store.ok()) FAIL(store.error().message);
  return std::move(store).value();
}

template <typename T>
T Must(Result<T> result) {
  if (!result.ok()) FAIL(result.error().message);
  return std::move(result).value();
}

std::string Pragma(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  std::string value;
  if (sqlite3_step(stmt) == SQLITE_ROW) value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

}  // namespace

TEST_CASE("appended events are read back in order after reopening") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/log.db";
  {
    auto store = OpenOrFail(path, "test");
    REQUIRE(store->Append({Make("live", 1), Make("live", 2)}).ok());
    REQUIRE(store->Append({Make("ovning", 1), Make("live", 3)}).ok());
  }
  auto store = OpenOrFail(path, "test");
  std::vector<StoredEvent> events;
  events = Must(store->ReadAfter("live", 1, 100));
  REQUIRE(events.size() == 2);
  CHECK(events[0].seq == 2);
  CHECK(events[1].seq == 3);
  CHECK(events[1].at == 3000);
  CHECK(events[1].json == "{\"seq\":3}");
  CHECK(events[1].actor_id == "tib");
  std::vector<std::string> spaces;
  spaces = Must(store->ListSpaces());
  CHECK(spaces == std::vector<std::string>{"live", "ovning"});
  events.clear();
  events = Must(store->ReadAfter("live", 0, 2));
  CHECK(events.size() == 2);  // the limit holds
}

TEST_CASE("a batch is atomic: a duplicate sequence number stores none of it") {
  testing::TempDir dir;
  auto store = OpenOrFail(dir.path() + "/log.db", "test");
  REQUIRE(store->Append({Make("live", 1)}).ok());
  auto refused = store->Append({Make("live", 2), Make("live", 1)});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "store_failed");
  std::vector<StoredEvent> events;
  events = Must(store->ReadAfter("live", 0, 100));
  CHECK(events.size() == 1);
  REQUIRE(store->Append({Make("live", 2)}).ok());  // and the store still works
}

TEST_CASE("the log runs in WAL mode with full sync, and belongs to one healthcare region") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/log.db";
  { CHECK(OpenOrFail(path, "mellansverige")->DurabilityMode() == "journal_mode=wal synchronous=full"); }
  CHECK(Pragma(path, "PRAGMA journal_mode") == "wal");  // persisted in the file
  auto other = SqliteEventStore::Open(path, "sydost");
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().message.find("holds the event log of healthcare region 'mellansverige'") != std::string::npos);
  auto nowhere = SqliteEventStore::Open(dir.path() + "/no/such/dir/log.db", "x");
  REQUIRE_FALSE(nowhere.ok());
  CHECK(nowhere.error().code == "store_failed");
}

TEST_CASE("events are read back by subject and time window, for the history") {
  testing::TempDir dir;
  auto store = OpenOrFail(dir.path() + "/log.db", "test");
  REQUIRE(store->Append({Make("live", 1), Make("live", 2), Make("live", 3), Make("live", 5)}).ok());
  REQUIRE(store->Append({Make("ovning", 1)}).ok());
  std::vector<StoredEvent> falun;
  falun = Must(store->ReadSubject("live", "falun", 0, 1000000, 100));
  REQUIRE(falun.size() == 3);
  CHECK(falun[0].seq == 1);
  CHECK(falun[2].seq == 5);
  CHECK(falun[1].json == "{\"seq\":3}");
  std::vector<StoredEvent> window;
  window = Must(store->ReadSubject("live", "falun", 2000, 4000, 100));
  REQUIRE(window.size() == 1);
  CHECK(window[0].seq == 3);
}

TEST_CASE("a log written before the subject column gets it, filled from the events") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/old.db";
  {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db,
                 "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                 "INSERT INTO meta VALUES('healthcare_region', 'test');"
                 "CREATE TABLE events(space TEXT NOT NULL, seq INTEGER NOT NULL, at_ms INTEGER NOT NULL,"
                 " kind TEXT NOT NULL, actor_id TEXT NOT NULL, body TEXT NOT NULL,"
                 " PRIMARY KEY(space, seq)) WITHOUT ROWID;"
                 "INSERT INTO events VALUES('live', 1, 10, 'capacity_reported', 'x', '{\"hospital\":\"big\"}');"
                 "INSERT INTO events VALUES('live', 2, 20, 'region_readiness_set', 'x', '{\"region\":\"north\"}');",
                 nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  auto store = OpenOrFail(path, "test");
  std::vector<StoredEvent> big, north;
  big = Must(store->ReadSubject("live", "big", 0, 100, 10));
  north = Must(store->ReadSubject("live", "north", 0, 100, 10));
  CHECK(big.size() == 1);
  CHECK(north.size() == 1);
}

TEST_CASE("a saved state is kept per space, replaced by the next, and survives reopening") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/log.db";
  {
    auto store = OpenOrFail(path, "test");
    std::optional<std::string> none;
    none = Must(store->LoadSavedState("live"));
    CHECK_FALSE(none);
    REQUIRE(store->SaveState("live", 10, "first").ok());
    REQUIRE(store->SaveState("live", 20, "second").ok());
    REQUIRE(store->SaveState("ovning", 5, "exercise").ok());
  }
  auto store = OpenOrFail(path, "test");
  std::optional<std::string> live, exercise;
  live = Must(store->LoadSavedState("live"));
  exercise = Must(store->LoadSavedState("ovning"));
  CHECK(live == std::optional<std::string>("second"));
  CHECK(exercise == std::optional<std::string>("exercise"));
  CHECK(Pragma(path, "SELECT count(*) FROM saved_states") == "2");
}
