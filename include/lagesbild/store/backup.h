// Backing up and checking an event log file, beside a running server.
//
// BackupEventLog copies the live database through SQLite's online backup API: one read
// transaction on the source, so the copy is the log as of one commit (a consistent prefix of
// every space), taken while the server keeps appending (WAL: the reader blocks no writer). The
// copy is written under a temporary name in the target's folder, fsync'd and renamed into place,
// so OUT is either absent or a whole backup, never half of one.
//
// CheckEventLog is the file half of `lagesbild verify`: SQLite's full integrity check and what
// the log holds. The replay half runs the engine's own recovery (src/cli/backup_command.cpp), so
// it is the code the server runs at start, not a second reading of the log.
//
// SQLite stays private to src/store: callers see paths, summaries and Errors (code
// "store_failed", the store's code), each naming the file and SQLite's reason.
#ifndef LAGESBILD_STORE_BACKUP_H_
#define LAGESBILD_STORE_BACKUP_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "lagesbild/core/domain.h"
#include "lagesbild/core/result.h"

namespace lagesbild {

// One space of a log file: how many events, the range of their seqs and its saved state.
struct SpaceSummary {
  std::string space;
  std::int64_t events = 0;
  Seq first_seq = 0;
  Seq last_seq = 0;
  Seq saved_state_seq = 0;  // 0: no saved state stored
};

// What a log file holds.
struct LogSummary {
  std::string healthcare_region;     // the region the log was created for (meta table)
  std::int64_t bytes = 0;            // size of the file
  std::vector<SpaceSummary> spaces;  // by name
};

struct BackupOptions {
  bool overwrite = false;  // replace an existing OUT (else it is refused, and nothing is written)
  // How long to keep retrying while the source is busy or locked (a checkpoint, WAL recovery).
  std::chrono::milliseconds busy_timeout{10000};
};

// Copies the event log at `db_path` (a database another process may be writing) to `out_path`:
// a single self-contained file (rollback journal mode, no -wal beside it), mode 0600, durable
// when this returns. Returns what the copy holds. On error no temporary file stays behind and
// nothing new is at `out_path` (but for one case: the copy is in place and only syncing its
// folder failed, so the rename may not survive a power loss).
Result<LogSummary> BackupEventLog(const std::string& db_path, const std::string& out_path,
                                  const BackupOptions& options = {});

// The result of checking a log file. `problems` is empty when PRAGMA integrity_check said "ok",
// the file is a Lägesbild event log, and every space's seqs run without a gap from 1.
struct LogCheck {
  LogSummary summary;                 // as far as it could be read
  std::vector<std::string> problems;  // damage found, each a sentence naming what
};

// Checks the file at `path`, opened read-only (nothing is written to it or beside it). An Error
// means the file could not be opened at all (missing, unreadable, not a file); a damaged file or
// one that is not an SQLite database is a LogCheck with problems.
Result<LogCheck> CheckEventLog(const std::string& path);

// Removes every saved state from the log at `path`, so that recovery replays each space from its
// first event. For `verify --full` on a scratch copy; never run on a server's log (it only costs
// a longer start there, but the copy is what it is meant for).
Status ForgetSavedStates(const std::string& path);

}  // namespace lagesbild

#endif  // LAGESBILD_STORE_BACKUP_H_
