// The event log behind one interface, so a shared store (several server instances tailing one
// database) can replace the embedded SQLite default without touching the core or the engine.
#ifndef LAGESBILD_STORE_STORE_H_
#define LAGESBILD_STORE_STORE_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lagesbild/core/domain.h"
#include "lagesbild/core/error.h"
#include "lagesbild/core/result.h"

namespace lagesbild {

// One event as stored: the full event JSON plus the columns history queries need.
struct StoredEvent {
  std::string space;
  Seq seq = 0;
  TimeMs at = 0;
  std::string kind;
  std::string actor_id;
  std::string subject;  // the hospital, region or message the event is about
  std::string json;
};

// Thread model: not thread-safe. One thread owns a store (the engine thread once it runs).
class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends `batch` atomically. When this returns no error, every event in it survives a crash of
  // the process and of the machine (power loss): the caller may then acknowledge it. On error,
  // none of the batch is stored. (space, seq) must be new.
  virtual Status Append(const std::vector<StoredEvent>& batch) = 0;

  // Up to `limit` events of `space` with seq > `after`, in sequence order.
  virtual Result<std::vector<StoredEvent>> ReadAfter(const std::string& space, Seq after,
                                                     std::size_t limit) = 0;

  // Up to `limit` events of `space` about `subject` with from <= at <= to, in sequence order.
  virtual Result<std::vector<StoredEvent>> ReadSubject(const std::string& space,
                                                       const std::string& subject, TimeMs from,
                                                       TimeMs to, std::size_t limit) = 0;

  // Up to `limit` events of `space` of one `kind` with seq < `before`, newest first.
  virtual Result<std::vector<StoredEvent>> ReadKindBefore(const std::string& space,
                                                          const std::string& kind, Seq before,
                                                          std::size_t limit) = 0;

  // Every space that has at least one event.
  virtual Result<std::vector<std::string>> ListSpaces() = 0;

  // Saved states (saved_state.h): the state of a space at `seq`, as text, replacing the space's
  // previous one. Only an optimisation of recovery; the events stay the truth.
  virtual Status SaveState(const std::string& space, Seq seq, const std::string& text) = 0;
  // The space's latest saved state, or nothing when there is none.
  virtual Result<std::optional<std::string>> LoadSavedState(const std::string& space) = 0;

  // Whether the store can take more events now (room on disk, no I/O error): a small write that
  // is rolled back. Used to tell when a failing store has recovered.
  virtual Status CheckWritable() = 0;

  // Reads after `deadline` fail with a "timed out" store_failed error (none: no deadline).
  virtual void SetDeadline(std::optional<std::chrono::steady_clock::time_point> deadline) = 0;
};

}  // namespace lagesbild

#endif  // LAGESBILD_STORE_STORE_H_
