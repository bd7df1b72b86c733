// The embedded default event log: one SQLite database in WAL mode.
//
// Durability: Append() commits one transaction with synchronous=FULL, so a batch whose Append()
// returned is on disk (fsync'd WAL) and survives a process crash or power loss. Batching many
// reports into one Append() is what makes this fast (one fsync per batch, see engine.h).
// Thread model: one owner thread, as for every EventStore.
#ifndef LAGESBILD_STORE_SQLITE_STORE_H_
#define LAGESBILD_STORE_SQLITE_STORE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "lagesbild/store/store.h"

namespace lagesbild {

class SqliteEventStore : public EventStore {
 public:
  // Opens (creating if needed) the database at `path`. The database remembers the healthcare
  // region it was created for; opening it with another one is refused, so two configurations'
  // logs never mix.
  //
  // The database and its WAL and shared-memory files are created readable by the owner only.
  // `max_bytes` (0: no limit) caps the database's size: beyond it appends fail with store_failed
  // and nothing is acknowledged, as on a full disk.
  static Result<std::unique_ptr<SqliteEventStore>> Open(const std::string& path,
                                                        const std::string& healthcare_region_id,
                                                        std::int64_t max_bytes = 0);
  // A second, read-only connection to the database the writer has opened (WAL lets it read
  // beside the writer without blocking it). For the reader thread.
  static Result<std::unique_ptr<SqliteEventStore>> OpenReadOnly(const std::string& path);
  ~SqliteEventStore() override;
  SqliteEventStore(const SqliteEventStore&) = delete;
  SqliteEventStore& operator=(const SqliteEventStore&) = delete;

  Status Append(const std::vector<StoredEvent>& batch) override;
  Result<std::vector<StoredEvent>> ReadAfter(const std::string& space, Seq after,
                                             std::size_t limit) override;
  Result<std::vector<StoredEvent>> ReadSubject(const std::string& space, const std::string& subject,
                                               TimeMs from, TimeMs to, std::size_t limit) override;
  Result<std::vector<StoredEvent>> ReadKindBefore(const std::string& space, const std::string& kind,
                                                  Seq before, std::size_t limit) override;
  Result<std::vector<std::string>> ListSpaces() override;
  Status CheckWritable() override;
  void SetDeadline(std::optional<std::chrono::steady_clock::time_point> deadline) override;
  Status SaveState(const std::string& space, Seq seq, const std::string& text) override;
  Result<std::optional<std::string>> LoadSavedState(const std::string& space) override;

  // The journal and sync modes in force on this connection, e.g. "journal_mode=wal
  // synchronous=full"; what the durability promise above rests on.
  std::string DurabilityMode() const;

 private:
  struct Impl;
  static bool PrepareReads(Impl& impl);
  explicit SqliteEventStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_STORE_SQLITE_STORE_H_
