// The one command path: command -> validate -> event(s) -> durable append -> apply -> publish.
//
// Thread model: the Engine owns the authoritative state of every space and the EventStore, and
// touches both only on its own thread (after Start()) or on the constructing thread (before it).
// Submit() may be called from any thread. Completions and the CommitListener run on the engine
// thread and must only hand work off (e.g. post to the network thread), never block.
//
// Group commit: submissions queue up while a batch is being committed; the engine then judges the
// whole queue, appends all its events in one transaction (one fsync) and only then completes
// them. A completion without error therefore means the event is durable.
//
// Saved states: every `save_interval` events of a space, and at Stop(), the engine saves the
// space's state beside the log (saved_state.h), so Recover() replays only what came after it.
#ifndef LAGESBILD_ENGINE_ENGINE_H_
#define LAGESBILD_ENGINE_ENGINE_H_

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"
#include "lagesbild/core/error.h"
#include "lagesbild/core/events.h"
#include "lagesbild/core/state.h"
#include "lagesbild/engine/histogram.h"
#include "lagesbild/engine/mutex.h"
#include "lagesbild/store/store.h"

namespace lagesbild {

struct CommandOutcome {
  std::optional<Error> error;  // empty: accepted and durably committed
  std::string space;
  Seq seq = 0;                 // of the last event the command produced
  bool already = false;        // a repeat that changed nothing; seq is the original's
};

using Completion = std::function<void(const CommandOutcome&)>;

// How one space was rebuilt at start: from which saved state, and how many events after it.
struct SpaceRecovery {
  std::string space;
  Seq saved_state_seq = 0;      // 0: replayed from the first event
  Seq events_replayed = 0;
  Seq seq = 0;                 // where the space stands after recovery
  std::string saved_state_unused;  // why a stored saved state was not used (empty if it was/none)
};

inline constexpr Seq kDefaultSaveInterval = 20000;

class CommitListener {
 public:
  virtual ~CommitListener() = default;
  // Events committed by one batch, in sequence order per space. Called before the batch's
  // completions, on the engine thread.
  virtual void OnCommitted(std::vector<Event> events) = 0;
};

class Engine {
 public:
  // `listener` may be null (nothing is told of commits).
  Engine(std::shared_ptr<const HealthcareRegionConfig> config, std::unique_ptr<EventStore> store,
         CommitListener* listener);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Before Start(): rebuilds every space from its latest saved state and the events after it (the
  // live space always exists).
  std::optional<Error> Recover();
  const std::vector<SpaceRecovery>& recovery() const { return recovery_; }
  // Before Start(): events of a space between two saved states.
  void set_save_interval(Seq events) { save_interval_ = events; }
  // Before Start(): the recovered state of a space (null if there is none), and all spaces.
  const SpaceState* Space(const std::string& name) const;
  std::vector<std::string> SpaceNames() const;

  void Start();
  // Commits everything already submitted, completes it, then stops the thread. Later
  // submissions complete with "shutting_down". Idempotent.
  void Stop();

  // Any thread. `done` runs exactly once, on the engine thread.
  void Submit(std::string space, Command command, Completion done);

  // Any thread. Runs `job` on the engine thread between batches, with the store: reads see every
  // committed event. Jobs submitted after Stop() are dropped (their owner is stopping too).
  // Reads share the writer's thread, which keeps one owner of the store; they are short
  // (indexed) and run after a batch has been committed, delaying only the next batch.
  void Query(std::function<void(EventStore&)> job);

  // Largest number of submissions judged in one batch so far (for tests and benchmarks).
  std::size_t LargestBatch() const;
  // Submissions waiting for the next batch (any thread).
  std::size_t Queued() const;

  // For /metrics (any thread): the engine thread adds, a scrape reads.
  struct Metrics {
    Histogram commit_seconds{LatencyBounds()};  // a batch's judging, append and fsync
    Histogram batch_size{{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000}};
    Counter events_committed;
    Counter store_failures;  // commits the store refused
  };
  const Metrics& metrics() const { return metrics_; }

  // Any thread. Why the store refuses writes now (a full disk, an I/O error), or nothing while it
  // takes them. Set by a failed commit, cleared by the next one that succeeds or by Probe().
  std::optional<Error> StoreFault() const;
  // Any thread. While the store is failing, checks on the engine thread whether it takes writes
  // again (store.h CheckWritable); a healthy store is not touched.
  void Probe();

 private:
  struct Submission {
    std::string space;
    Command command;
    Completion done;
  };

  void Run();
  void ProcessBatch(std::vector<Submission>& batch);
  // Rebuilds every space from the log; `report` (may be null) says how.
  std::optional<Error> Rebuild(std::vector<SpaceRecovery>* report);
  std::optional<Error> RecoverSpace(const std::string& name, SpaceRecovery& report);
  // Whether the event log has event `seq` of the space (a saved state must not be ahead of it).
  bool LogHolds(const std::string& name, Seq seq);
  // Saves the space's state if `at_least` events came since its last saved state. A failure
  // only costs a longer replay at the next start, so it is counted, not raised.
  void SaveState(const std::string& name, Seq at_least);

  const std::shared_ptr<const HealthcareRegionConfig> config_;
  const std::unique_ptr<EventStore> store_;
  CommitListener* const listener_;
  std::map<std::string, SpaceState> spaces_;  // owned by the engine thread after Start()
  std::optional<Error> broken_;              // engine thread: the log could not be reread
  Seq save_interval_ = kDefaultSaveInterval;
  std::map<std::string, Seq> saved_at_;  // engine thread: seq of each space's saved state
  std::vector<SpaceRecovery> recovery_;      // of Recover(), before Start(); never written after
  Metrics metrics_;                          // written by the engine thread only

  mutable Mutex mutex_;
  CondVar wake_;  // under mutex_
  std::vector<Submission> queue_ GUARDED_BY(mutex_);
  std::vector<std::function<void(EventStore&)>> queries_ GUARDED_BY(mutex_);
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::size_t largest_batch_ GUARDED_BY(mutex_) = 0;
  std::optional<Error> store_fault_ GUARDED_BY(mutex_);
  bool probe_queued_ GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_ENGINE_ENGINE_H_
