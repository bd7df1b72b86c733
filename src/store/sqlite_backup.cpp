#include "lagesbild/store/backup.h"

#include "sqlite_statement.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>  // renameat2, RENAME_NOREPLACE (glibc, _GNU_SOURCE as g++ defines it)
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <thread>

namespace lagesbild {
namespace {
// A namespace of its own: the unity build compiles this file together with sqlite_store.cpp,
// whose helpers live in the same unnamed namespace.
namespace backup_sqlite {

std::string Reason(sqlite3* db) { return db ? sqlite3_errmsg(db) : "out of memory"; }

Error Failed(const std::string& file, const std::string& doing, const std::string& reason) {
  // The store's one code (error_codes.h): what failed is in the message.
  return MakeError("store_failed", "", file + ": " + doing + ": " + reason);
}

Error FailedErrno(const std::string& file, const std::string& doing) {
  return Failed(file, doing, std::strerror(errno));
}

// A connection that closes itself; Close() for when the result matters (the copy's last write).
class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { sqlite3_close_v2(db_); }
  sqlite3** out() { return &db_; }
  sqlite3* get() const { return db_; }
  int Close() {
    const int rc = sqlite3_close(db_);
    if (rc == SQLITE_OK) db_ = nullptr;
    return rc;
  }

 private:
  sqlite3* db_ = nullptr;
};

using sqlite::Statement;

// The file must exist and be a regular file before SQLite sees it: opened read-only, SQLite
// would only say "unable to open database file", and a directory or a device is no log.
Status ExistingFile(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return FailedErrno(path, "cannot be opened");
  if (!S_ISREG(info.st_mode)) return Failed(path, "cannot be opened", "not a regular file");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FailedErrno(path, "cannot be opened");
  ::close(fd);
  return Ok();
}

// Read-only: a backup or a check never writes to the log it reads (WAL lets it read while the
// server writes). The busy timeout covers the moments a read lock is not to be had, e.g. while
// another connection recovers the WAL.
Status OpenReadOnly(const std::string& path, Connection& connection, int busy_ms) {
  if (auto exists = ExistingFile(path); !exists.ok()) return exists;
  if (sqlite3_open_v2(path.c_str(), connection.out(), SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return Failed(path, "cannot be opened", Reason(connection.get()));
  }
  sqlite3_busy_timeout(connection.get(), busy_ms);
  return Ok();
}

bool HasTable(sqlite3* db, const char* table) {
  Statement find(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  if (!find.prepared()) return false;
  sqlite3_bind_text(find.get(), 1, table, -1, SQLITE_STATIC);
  return sqlite3_step(find.get()) == SQLITE_ROW;
}

// What the log at `db` holds, read in one transaction so the figures agree with each other.
Result<LogSummary> Summarize(sqlite3* db, const std::string& path) {
  if (!HasTable(db, "meta") || !HasTable(db, "events")) {
    return Failed(path, "not a Lägesbild event log", "it has no meta and events tables");
  }
  LogSummary summary;
  {
    Statement owner(db, "SELECT value FROM meta WHERE key = 'healthcare_region'");
    const int rc = owner.prepared() ? sqlite3_step(owner.get()) : SQLITE_ERROR;
    if (rc == SQLITE_ROW) {
      summary.healthcare_region = owner.Text(0);
    } else if (rc == SQLITE_DONE) {
      return Failed(path, "not a Lägesbild event log", "it records no healthcare region");
    } else {
      return Failed(path, "reading its healthcare region", Reason(db));
    }
  }
  Statement spaces(db,
                   "SELECT space, COUNT(*), MIN(seq), MAX(seq) FROM events "
                   "GROUP BY space ORDER BY space");
  if (!spaces.prepared()) return Failed(path, "counting its events", Reason(db));
  int rc;
  while ((rc = sqlite3_step(spaces.get())) == SQLITE_ROW) {
    summary.spaces.push_back(SpaceSummary{spaces.Text(0), sqlite3_column_int64(spaces.get(), 1),
                                          sqlite3_column_int64(spaces.get(), 2),
                                          sqlite3_column_int64(spaces.get(), 3), 0});
  }
  if (rc != SQLITE_DONE) return Failed(path, "counting its events", Reason(db));
  // Logs from before saved states have no such table: nothing saved, not damage.
  if (HasTable(db, "saved_states")) {
    Statement saved(db, "SELECT space, seq FROM saved_states");
    if (!saved.prepared()) return Failed(path, "reading its saved states", Reason(db));
    while ((rc = sqlite3_step(saved.get())) == SQLITE_ROW) {
      const std::string space = saved.Text(0);
      for (SpaceSummary& entry : summary.spaces) {
        if (entry.space == space) entry.saved_state_seq = sqlite3_column_int64(saved.get(), 1);
      }
    }
    if (rc != SQLITE_DONE) return Failed(path, "reading its saved states", Reason(db));
  }
  return summary;
}

// The temporary copy and SQLite's companions of it, removed unless the copy was put in place.
class TemporaryCopy {
 public:
  explicit TemporaryCopy(std::string path) : path_(std::move(path)) {}
  TemporaryCopy(const TemporaryCopy&) = delete;
  TemporaryCopy& operator=(const TemporaryCopy&) = delete;
  ~TemporaryCopy() {
    if (!kept_) ::unlink(path_.c_str());
    // What SQLite may have made beside an unfinished copy; a finished one has none.
    for (const char* suffix : {"-journal", "-wal", "-shm"}) ::unlink((path_ + suffix).c_str());
  }
  const std::string& path() const { return path_; }
  void Keep() { kept_ = true; }

 private:
  std::string path_;
  bool kept_ = false;
};

Status SyncPath(const std::string& path, int flags, const std::string& what) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return FailedErrno(path, "opening " + what + " to sync it");
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) return FailedErrno(path, "syncing " + what + " to disk");
  return Ok();
}

// Puts the finished copy at `out`. Without `overwrite` an existing OUT is never replaced, even one
// that appeared while the copy was being made (RENAME_NOREPLACE, or link() where the file system
// does not know it).
Status PutInPlace(const std::string& temporary, const std::string& out, bool overwrite) {
  if (overwrite) {
    if (::rename(temporary.c_str(), out.c_str()) != 0) return FailedErrno(out, "renaming the copy");
    return Ok();
  }
  if (::renameat2(AT_FDCWD, temporary.c_str(), AT_FDCWD, out.c_str(), RENAME_NOREPLACE) == 0) {
    return Ok();
  }
  if (errno != EINVAL && errno != ENOSYS) {
    if (errno == EEXIST) return Failed(out, "not written", "the file exists already");
    return FailedErrno(out, "renaming the copy");
  }
  if (::link(temporary.c_str(), out.c_str()) != 0) {
    if (errno == EEXIST) return Failed(out, "not written", "the file exists already");
    return FailedErrno(out, "linking the copy");
  }
  ::unlink(temporary.c_str());
  return Ok();
}

// Copies every page of `source` in one step, so one read transaction covers the whole copy: it is
// the log as of one commit. BUSY/LOCKED (no read lock now, e.g. while the WAL is being reset) are
// retried until `deadline`.
Status CopyPages(sqlite3* source, sqlite3* copy, const std::string& db_path,
                 std::chrono::steady_clock::time_point deadline) {
  sqlite3_backup* backup = sqlite3_backup_init(copy, "main", source, "main");
  if (!backup) return Failed(db_path, "starting the backup", Reason(copy));
  int rc;
  while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    std::string reason = sqlite3_errstr(rc);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) reason += " (gave up retrying)";
    return Failed(db_path, "copying", reason);
  }
  if (finished != SQLITE_OK) return Failed(db_path, "copying", Reason(copy));
  return Ok();
}

Result<LogSummary> Backup(const std::string& db_path, const std::string& out_path,
                          const BackupOptions& options) {
  const auto deadline = std::chrono::steady_clock::now() + options.busy_timeout;
  const int busy_ms = static_cast<int>(options.busy_timeout.count());
  Connection source;
  if (auto opened = OpenReadOnly(db_path, source, busy_ms); !opened.ok()) return opened.error();

  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path out(out_path);
  const fs::path folder = out.has_parent_path() ? out.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, ec)) {
    return Failed(out_path, "not written", "no folder " + folder.string());
  }
  if (fs::exists(fs::symlink_status(out, ec))) {
    // Even when asked to overwrite: putting the copy over the log it was made from would replace
    // the live file under the running server.
    if (fs::equivalent(out, db_path, ec)) {
      return Failed(out_path, "not written", "it is the log itself");
    }
    if (fs::is_directory(out, ec)) return Failed(out_path, "not written", "it is a folder");
    if (!options.overwrite) {
      return Failed(out_path, "not written", "the file exists already (choose another name)");
    }
  }

  // mkstemp makes the file 0600 whatever the umask: a backup holds every report and actor id.
  std::string pattern = (folder / ("." + out.filename().string() + ".partial-XXXXXX")).string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) return FailedErrno(pattern, "creating the copy");
  ::close(fd);
  TemporaryCopy temporary(pattern);

  Connection copy;
  if (sqlite3_open_v2(temporary.path().c_str(), copy.out(),
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    return Failed(temporary.path(), "creating the copy", Reason(copy.get()));
  }
  sqlite3_busy_timeout(copy.get(), busy_ms);
  if (sqlite3_exec(copy.get(), "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Failed(temporary.path(), "setting up the copy", Reason(copy.get()));
  }
  if (auto copied = CopyPages(source.get(), copy.get(), db_path, deadline); !copied.ok()) {
    return copied.error();
  }
  // The pages carry the source's WAL mark; in rollback mode the copy is one file that opens
  // without a -wal or -shm beside it (read-only opens and other tools included).
  {
    Statement mode(copy.get(), "PRAGMA journal_mode=DELETE");
    if (!mode.prepared() || sqlite3_step(mode.get()) != SQLITE_ROW || mode.Text(0) != "delete") {
      return Failed(temporary.path(), "making the copy self-contained (journal_mode=DELETE)",
                    Reason(copy.get()));
    }
  }
  // Read from the copy (it is what the backup holds), named after the source it was made of.
  auto summary = Summarize(copy.get(), db_path);
  if (!summary.ok()) return summary.error();
  if (copy.Close() != SQLITE_OK) {
    return Failed(temporary.path(), "closing the copy", Reason(copy.get()));
  }
  // In rollback mode a closed database has no companion holding data; one that is there would
  // hold part of the copy, so the copy is not whole.
  for (const char* suffix : {"-wal", "-journal"}) {
    if (::access((temporary.path() + suffix).c_str(), F_OK) == 0) {
      return Failed(temporary.path(), "not self-contained",
                    std::string("a ") + suffix + " stayed beside it");
    }
  }

  struct stat info;
  if (::stat(temporary.path().c_str(), &info) != 0) {
    return FailedErrno(temporary.path(), "reading its size");
  }
  summary.value().bytes = static_cast<std::int64_t>(info.st_size);
  if (auto synced = SyncPath(temporary.path(), O_RDONLY, "the copy"); !synced.ok()) {
    return synced.error();
  }
  if (auto placed = PutInPlace(temporary.path(), out_path, options.overwrite); !placed.ok()) {
    return placed.error();
  }
  temporary.Keep();
  // The rename is durable only once the folder's entry is on disk.
  if (auto synced = SyncPath(folder.string(), O_RDONLY | O_DIRECTORY, "its folder"); !synced.ok()) {
    return synced.error();
  }
  return summary;
}

Result<LogCheck> Check(const std::string& path) {
  Connection log;
  if (auto opened = OpenReadOnly(path, log, 5000); !opened.ok()) return opened.error();
  LogCheck check;
  struct stat info;
  if (::stat(path.c_str(), &info) == 0) {
    check.summary.bytes = static_cast<std::int64_t>(info.st_size);
  }
  sqlite3* db = log.get();
  // One read transaction: the integrity check and the summary see the same state of a live log.
  if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    check.problems.push_back(path + ": cannot be read: " + Reason(db));
    return check;
  }
  {
    // integrity_check, not quick_check: it also matches every index against its table.
    Statement integrity(db, "PRAGMA integrity_check(20)");
    if (!integrity.prepared()) {
      const int code = sqlite3_errcode(db);
      check.problems.push_back(code == SQLITE_NOTADB
                                   ? path + " is not an SQLite database, or its header is damaged"
                                   : path + ": the integrity check cannot run: " + Reason(db));
      return check;
    }
    int rc;
    while ((rc = sqlite3_step(integrity.get())) == SQLITE_ROW) {
      const std::string line = integrity.Text(0);
      if (line != "ok") check.problems.push_back(path + ": integrity check: " + line);
    }
    if (rc != SQLITE_DONE) {
      check.problems.push_back(path + ": the integrity check stopped: " + Reason(db));
    }
  }
  if (!check.problems.empty()) return check;
  auto summary = Summarize(db, path);
  if (!summary.ok()) {
    check.problems.push_back(summary.error().message);
    return check;
  }
  const std::int64_t bytes = check.summary.bytes;
  check.summary = std::move(summary).value();
  check.summary.bytes = bytes;
  // The engine numbers every space from 1 without a gap and nothing deletes events: a hole is
  // lost events, even where a saved state would let recovery skip over it.
  for (const SpaceSummary& space : check.summary.spaces) {
    if (space.first_seq != 1 || space.events != space.last_seq - space.first_seq + 1) {
      check.problems.push_back(path + ": space " + space.space + " has " +
                               std::to_string(space.events) + " events for seqs " +
                               std::to_string(space.first_seq) + ".." +
                               std::to_string(space.last_seq) + ": events are missing");
    }
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  return check;
}

Status Forget(const std::string& path) {
  if (auto exists = ExistingFile(path); !exists.ok()) return exists;
  Connection log;
  if (sqlite3_open_v2(path.c_str(), log.out(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return Failed(path, "cannot be opened", Reason(log.get()));
  }
  if (HasTable(log.get(), "saved_states") &&
      sqlite3_exec(log.get(), "DELETE FROM saved_states", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Failed(path, "removing its saved states", Reason(log.get()));
  }
  return Ok();
}

}  // namespace backup_sqlite
}  // namespace

Result<LogSummary> BackupEventLog(const std::string& db_path, const std::string& out_path,
                                  const BackupOptions& options) {
  return backup_sqlite::Backup(db_path, out_path, options);
}

Result<LogCheck> CheckEventLog(const std::string& path) { return backup_sqlite::Check(path); }

Status ForgetSavedStates(const std::string& path) { return backup_sqlite::Forget(path); }

}  // namespace lagesbild
