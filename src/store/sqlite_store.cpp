#include "lagesbild/store/sqlite_store.h"

#include "sqlite_statement.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lagesbild {
namespace {

using sqlite::Statement;

Error StoreError(sqlite3* db, const std::string& doing) {
  if (db && sqlite3_errcode(db) == SQLITE_INTERRUPT) {
    return MakeError("store_failed", "", "event log: " + doing + ": timed out");
  }
  return MakeError("store_failed", "",
                   "event log: " + doing + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events(
  space    TEXT    NOT NULL,
  seq      INTEGER NOT NULL,
  at_ms    INTEGER NOT NULL,
  kind     TEXT    NOT NULL,
  actor_id TEXT    NOT NULL,
  body     TEXT    NOT NULL,
  subject  TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY(space, seq)) WITHOUT ROWID;
DROP TABLE IF EXISTS checkpoints;  -- saved states before format 3, under their old name
CREATE TABLE IF NOT EXISTS saved_states(
  space TEXT    PRIMARY KEY,
  seq   INTEGER NOT NULL,
  state TEXT    NOT NULL);
CREATE TABLE IF NOT EXISTS probe(data BLOB);
)sql";

// Logs written before events had a subject column get it, filled from the stored JSON.
constexpr const char* kAddSubject = R"sql(
ALTER TABLE events ADD COLUMN subject TEXT NOT NULL DEFAULT '';
UPDATE events SET subject = COALESCE(json_extract(body, '$.hospital'),
                                     json_extract(body, '$.region'), '');
)sql";

constexpr const char* kIndexes =
    "CREATE INDEX IF NOT EXISTS events_by_subject ON events(space, subject, seq);"
    // Only the messages are paged by kind (GET /api/messages): a partial index holds just them,
    // so a capacity report costs no extra index write.
    "CREATE INDEX IF NOT EXISTS events_messages ON events(space, seq) WHERE kind = 'message_posted';"
    "DROP INDEX IF EXISTS events_by_kind;";

// The database file and its companions, owner-only. SQLite gives the -wal and -shm files the
// database file's mode, so creating that one 0600 is enough for new files; existing ones (from
// an older version) are tightened too.
std::optional<std::string> MakePrivate(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return path + ": cannot be opened for writing";
  ::close(fd);
  for (const std::string& file : {path, path + "-wal", path + "-shm", path + "-journal"}) {
    struct stat info;
    if (::stat(file.c_str(), &info) == 0 && (info.st_mode & 077) != 0 &&
        ::chmod(file.c_str(), info.st_mode & 0700) != 0) {
      return file + ": cannot be made private (chmod 600)";
    }
  }
  return std::nullopt;
}

// SQLite's progress handler: interrupts a read once the deadline has passed.
int PastDeadline(void* deadline) {
  const auto* when = static_cast<std::optional<std::chrono::steady_clock::time_point>*>(deadline);
  return *when && std::chrono::steady_clock::now() > **when ? 1 : 0;
}

std::string Text(sqlite3_stmt* stmt, int column) {
  const auto* text = sqlite3_column_text(stmt, column);
  return text ? std::string(reinterpret_cast<const char*>(text),
                            static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)))
              : std::string();
}

bool HasColumn(sqlite3* db, const char* table, const char* column) {
  Statement info;
  info.Prepare(db, (std::string("PRAGMA table_info(") + table + ")").c_str());
  while (sqlite3_step(info.get()) == SQLITE_ROW) {
    if (Text(info.get(), 1) == column) return true;
  }
  return false;
}

// Steps a bound statement whose columns are seq, at_ms, kind, actor_id, body and, if it has a
// sixth, subject (else every row's subject is `subject`), and resets it.
Result<std::vector<StoredEvent>> Rows(sqlite3* db, sqlite3_stmt* read, const std::string& space,
                                      const std::string& subject, const std::string& doing) {
  std::vector<StoredEvent> out;
  const bool subject_column = sqlite3_column_count(read) > 5;
  int rc;
  while ((rc = sqlite3_step(read)) == SQLITE_ROW) {
    out.push_back(StoredEvent{space, sqlite3_column_int64(read, 0), sqlite3_column_int64(read, 1),
                              Text(read, 2), Text(read, 3),
                              subject_column ? Text(read, 5) : subject, Text(read, 4)});
  }
  sqlite3_reset(read);
  if (rc != SQLITE_DONE) return StoreError(db, doing);
  return out;
}

}  // namespace

struct SqliteEventStore::Impl {
  sqlite3* db = nullptr;
  Statement insert_event;
  Statement read_after;
  Statement read_subject;
  Statement read_kind_before;
  Statement read_messages_before;
  Statement list_spaces;
  Statement save_state;
  Statement load_state;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  bool read_only = false;
  int writer_lock = -1;  // <path>.lock, flock()ed while this store writes the log
  // close_v2 defers the close until the statements (members, destroyed after this body) are
  // finalized.
  ~Impl() {
    sqlite3_close_v2(db);
    if (writer_lock >= 0) ::close(writer_lock);
  }
};

SqliteEventStore::SqliteEventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteEventStore::~SqliteEventStore() = default;

Result<std::unique_ptr<SqliteEventStore>> SqliteEventStore::Open(
    const std::string& path, const std::string& healthcare_region_id, std::int64_t max_bytes) {
  if (path != ":memory:") {
    if (auto problem = MakePrivate(path)) {
      return MakeError("store_failed", "", *problem);
    }
  }
  auto impl = std::make_unique<Impl>();
  if (path != ":memory:") {
    // One writer per event log: a second server, or an import or restore beside a running server,
    // would number events the first does not know of. Readers (backup, the reader thread) need
    // no lock. The lock goes with the process, so a crash never leaves it held.
    const std::string lock_path = path + ".lock";
    impl->writer_lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (impl->writer_lock < 0) {
      return MakeError("store_failed", "", "cannot open " + lock_path + ": " + std::strerror(errno));
    }
    if (::flock(impl->writer_lock, LOCK_EX | LOCK_NB) != 0) {
      return MakeError("store_failed", "",
                       path + " is being written by another process (a running server?); one "
                              "writer at a time");
    }
  }
  if (sqlite3_open_v2(path.c_str(), &impl->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return StoreError(impl->db, "opening " + path);
  }
  // WAL lets readers (backups, the history API later) run beside the single writer;
  // synchronous=FULL fsyncs the WAL on every commit, which is what makes an ack durable.
  const char* setup =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";
  char* message = nullptr;
  if (sqlite3_exec(impl->db, setup, nullptr, nullptr, &message) != SQLITE_OK ||
      sqlite3_exec(impl->db, kSchema, nullptr, nullptr, &message) != SQLITE_OK ||
      (!HasColumn(impl->db, "events", "subject") &&
       sqlite3_exec(impl->db, kAddSubject, nullptr, nullptr, &message) != SQLITE_OK) ||
      sqlite3_exec(impl->db, kIndexes, nullptr, nullptr, &message) != SQLITE_OK) {
    Error error = MakeError("store_failed", "", path + ": " + (message ? message : "setup failed"));
    sqlite3_free(message);
    return error;
  }
  {
    Statement claim;
    if (claim.Prepare(impl->db,
                      "INSERT OR IGNORE INTO meta(key, value) VALUES('healthcare_region', ?1)") !=
        SQLITE_OK) {
      return StoreError(impl->db, "preparing");
    }
    sqlite3_bind_text(claim.get(), 1, healthcare_region_id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(claim.get()) != SQLITE_DONE) {
      return StoreError(impl->db, "writing " + path);
    }
    Statement owner;
    owner.Prepare(impl->db, "SELECT value FROM meta WHERE key = 'healthcare_region'");
    if (sqlite3_step(owner.get()) != SQLITE_ROW) {
      return StoreError(impl->db, "reading " + path);
    }
    const std::string stored = Text(owner.get(), 0);
    if (stored != healthcare_region_id) {
      return MakeError("store_failed", "",
                         path + " holds the event log of healthcare region '" + stored +
                             "', not '" + healthcare_region_id + "'; use another --db");
    }
  }
  if (max_bytes > 0) {
    Statement page_size;
    page_size.Prepare(impl->db, "PRAGMA page_size");
    const std::int64_t page = sqlite3_step(page_size.get()) == SQLITE_ROW
                                  ? sqlite3_column_int64(page_size.get(), 0)
                                  : 4096;
    const std::string cap = "PRAGMA max_page_count=" + std::to_string(std::max<std::int64_t>(1, max_bytes / page));
    if (sqlite3_exec(impl->db, cap.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      return StoreError(impl->db, "capping the size of " + path);
    }
  }
  if (impl->insert_event.Prepare(
          impl->db,
          "INSERT INTO events(space, seq, at_ms, kind, actor_id, body, subject) "
          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)") != SQLITE_OK ||
      !PrepareReads(*impl)) {
    return StoreError(impl->db, "preparing statements");
  }
  return Result<std::unique_ptr<SqliteEventStore>>(
      std::unique_ptr<SqliteEventStore>(new SqliteEventStore(std::move(impl))));
}

Result<std::unique_ptr<SqliteEventStore>> SqliteEventStore::OpenReadOnly(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->read_only = true;
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK ||
      sqlite3_exec(impl->db, "PRAGMA busy_timeout=5000;", nullptr, nullptr, nullptr) != SQLITE_OK ||
      !PrepareReads(*impl)) {
    return StoreError(impl->db, "opening " + path + " to read");
  }
  return Result<std::unique_ptr<SqliteEventStore>>(
      std::unique_ptr<SqliteEventStore>(new SqliteEventStore(std::move(impl))));
}

bool SqliteEventStore::PrepareReads(Impl& impl) {
  sqlite3_progress_handler(impl.db, 1000, PastDeadline, &impl.deadline);
  return impl.read_after.Prepare(impl.db,
                                 "SELECT seq, at_ms, kind, actor_id, body FROM events "
                                 "WHERE space = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3") ==
             SQLITE_OK &&
         impl.read_subject.Prepare(impl.db,
                                   "SELECT seq, at_ms, kind, actor_id, body FROM events "
                                   // Without statistics the planner would walk the whole space
                                   // by its primary key to keep seq order.
                                   "INDEXED BY events_by_subject "
                                   "WHERE space = ?1 AND subject = ?2 AND at_ms BETWEEN ?3 AND ?4 "
                                   "ORDER BY seq LIMIT ?5") == SQLITE_OK &&
         impl.read_kind_before.Prepare(impl.db,
                                       "SELECT seq, at_ms, kind, actor_id, body, subject FROM events "
                                       "WHERE space = ?1 AND kind = ?2 AND seq < ?3 "
                                       "ORDER BY seq DESC LIMIT ?4") == SQLITE_OK &&
         // The kind as a literal, so the planner can prove the partial index applies ("?2 = ?2"
         // keeps the parameters of the general statement above).
         impl.read_messages_before.Prepare(impl.db,
                                           "SELECT seq, at_ms, kind, actor_id, body, subject FROM events "
                                           "INDEXED BY events_messages "
                                           "WHERE space = ?1 AND kind = 'message_posted' AND ?2 = ?2 "
                                           "AND seq < ?3 ORDER BY seq DESC LIMIT ?4") == SQLITE_OK &&
         impl.list_spaces.Prepare(impl.db, "SELECT DISTINCT space FROM events ORDER BY space") ==
             SQLITE_OK &&
         (impl.read_only ||
          impl.save_state.Prepare(impl.db,
                                       "INSERT OR REPLACE INTO saved_states(space, seq, state) "
                                       "VALUES(?1, ?2, ?3)") == SQLITE_OK) &&
         impl.load_state.Prepare(impl.db, "SELECT state FROM saved_states WHERE space = ?1") ==
             SQLITE_OK;
}

Status SqliteEventStore::Append(const std::vector<StoredEvent>& batch) {
  if (batch.empty()) return Ok();
  if (impl_->read_only) return MakeError("store_failed", "", "event log: opened read-only");
  sqlite3* db = impl_->db;
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return StoreError(db, "begin");
  }
  sqlite3_stmt* insert = impl_->insert_event.get();
  for (const StoredEvent& event : batch) {
    sqlite3_reset(insert);
    sqlite3_bind_text(insert, 1, event.space.data(), static_cast<int>(event.space.size()),
                      SQLITE_STATIC);
    sqlite3_bind_int64(insert, 2, event.seq);
    sqlite3_bind_int64(insert, 3, event.at);
    sqlite3_bind_text(insert, 4, event.kind.data(), static_cast<int>(event.kind.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(insert, 5, event.actor_id.data(), static_cast<int>(event.actor_id.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(insert, 6, event.json.data(), static_cast<int>(event.json.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(insert, 7, event.subject.data(), static_cast<int>(event.subject.size()),
                      SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) {
      Error error = StoreError(db, "appending " + event.space + "#" + std::to_string(event.seq));
      sqlite3_reset(insert);
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      return error;
    }
  }
  sqlite3_reset(insert);
  sqlite3_clear_bindings(insert);
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    Error error = StoreError(db, "commit");
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  }
  return Ok();
}

Result<std::vector<StoredEvent>> SqliteEventStore::ReadAfter(const std::string& space, Seq after,
                                                             std::size_t limit) {
  sqlite3_stmt* read = impl_->read_after.get();
  sqlite3_reset(read);
  sqlite3_bind_text(read, 1, space.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(read, 2, after);
  sqlite3_bind_int64(read, 3, static_cast<sqlite3_int64>(limit));
  return Rows(impl_->db, read, space, "", "reading " + space);
}

Result<std::vector<StoredEvent>> SqliteEventStore::ReadSubject(const std::string& space,
                                                               const std::string& subject,
                                                               TimeMs from, TimeMs to,
                                                               std::size_t limit) {
  sqlite3_stmt* read = impl_->read_subject.get();
  sqlite3_reset(read);
  sqlite3_bind_text(read, 1, space.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(read, 2, subject.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(read, 3, from);
  sqlite3_bind_int64(read, 4, to);
  sqlite3_bind_int64(read, 5, static_cast<sqlite3_int64>(limit));
  return Rows(impl_->db, read, space, subject, "reading history of " + subject);
}

Result<std::vector<std::string>> SqliteEventStore::ListSpaces() {
  std::vector<std::string> out;
  sqlite3_stmt* list = impl_->list_spaces.get();
  sqlite3_reset(list);
  int rc;
  while ((rc = sqlite3_step(list)) == SQLITE_ROW) out.push_back(Text(list, 0));
  sqlite3_reset(list);
  if (rc != SQLITE_DONE) return StoreError(impl_->db, "listing spaces");
  return out;
}

Status SqliteEventStore::SaveState(const std::string& space, Seq seq,
                                   const std::string& text) {
  if (impl_->read_only) return MakeError("store_failed", "", "event log: opened read-only");
  sqlite3_stmt* save = impl_->save_state.get();
  sqlite3_reset(save);
  sqlite3_bind_text(save, 1, space.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(save, 2, seq);
  sqlite3_bind_text(save, 3, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(save);
  sqlite3_reset(save);
  sqlite3_clear_bindings(save);
  if (rc != SQLITE_DONE) return StoreError(impl_->db, "saving the state of " + space);
  return Ok();
}

Result<std::optional<std::string>> SqliteEventStore::LoadSavedState(const std::string& space) {
  sqlite3_stmt* load = impl_->load_state.get();
  sqlite3_reset(load);
  sqlite3_bind_text(load, 1, space.c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(load);
  std::optional<std::string> out;
  if (rc == SQLITE_ROW) out = Text(load, 0);
  sqlite3_reset(load);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    return StoreError(impl_->db, "reading the saved state of " + space);
  }
  return out;
}

Result<std::vector<StoredEvent>> SqliteEventStore::ReadKindBefore(const std::string& space,
                                                                  const std::string& kind,
                                                                  Seq before, std::size_t limit) {
  sqlite3_stmt* read = kind == "message_posted" ? impl_->read_messages_before.get()
                                                : impl_->read_kind_before.get();
  sqlite3_reset(read);
  sqlite3_bind_text(read, 1, space.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(read, 2, kind.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(read, 3, before);
  sqlite3_bind_int64(read, 4, static_cast<sqlite3_int64>(limit));
  return Rows(impl_->db, read, space, "", "reading " + kind + " of " + space);
}

Status SqliteEventStore::CheckWritable() {
  if (impl_->read_only) return MakeError("store_failed", "", "event log: opened read-only");
  // A real commit of 64 KiB (then removed): a rolled-back write might never reach the disk.
  sqlite3* db = impl_->db;
  const char* probe =
      "DELETE FROM probe; BEGIN IMMEDIATE; INSERT INTO probe VALUES(zeroblob(65536)); COMMIT;";
  if (sqlite3_exec(db, probe, nullptr, nullptr, nullptr) != SQLITE_OK) {
    Error error = StoreError(db, "no room for more events");
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  }
  sqlite3_exec(db, "DELETE FROM probe", nullptr, nullptr, nullptr);
  return Ok();
}

void SqliteEventStore::SetDeadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
  impl_->deadline = deadline;
}

std::string SqliteEventStore::DurabilityMode() const {
  static constexpr const char* kSyncNames[] = {"off", "normal", "full", "extra"};
  auto read = [this](const char* sql) {
    Statement statement;
    statement.Prepare(impl_->db, sql);
    return sqlite3_step(statement.get()) == SQLITE_ROW ? Text(statement.get(), 0) : std::string();
  };
  const std::string sync = read("PRAGMA synchronous");
  const int level = sync.empty() ? -1 : std::stoi(sync);
  return "journal_mode=" + read("PRAGMA journal_mode") + " synchronous=" +
         (level >= 0 && level <= 3 ? kSyncNames[level] : sync);
}

}  // namespace lagesbild
