// The reader thread: history, message pages, reviews and scenario reloads run here, on a store
// connection of their own (a read-only SQLite connection beside the writer, WAL), so no read ever
// delays a commit.
//
// Thread model: one thread owns the read store and runs jobs in order. TrySubmit() may be called
// from any thread; jobs only hand their results off (post to the network thread). The queue is
// bounded: when it is full, TrySubmit() refuses and the caller answers 503 with Retry-After.
// Every job runs under a deadline: a read still running after `job_timeout` is interrupted and
// fails with store_failed "timed out".
#ifndef LAGESBILD_ENGINE_READER_H_
#define LAGESBILD_ENGINE_READER_H_

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "lagesbild/engine/mutex.h"
#include "lagesbild/store/store.h"

namespace lagesbild {

inline constexpr std::size_t kReaderQueueLimit = 32;
inline constexpr std::chrono::milliseconds kReaderJobTimeout{10000};

class Reader {
 public:
  using Job = std::function<void(EventStore&)>;
  explicit Reader(std::unique_ptr<EventStore> store, std::size_t queue_limit = kReaderQueueLimit,
                  std::chrono::milliseconds job_timeout = kReaderJobTimeout);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  void Start();
  // Runs the jobs already queued, then stops the thread. Later submissions are refused.
  void Stop();
  // Any thread. False (and `job` is dropped) when the queue is full or the reader has stopped.
  bool TrySubmit(Job job);
  std::size_t queued() const;
  std::int64_t refused() const;

 private:
  void Run();

  const std::unique_ptr<EventStore> store_;  // the reader thread's alone
  const std::size_t queue_limit_;
  const std::chrono::milliseconds job_timeout_;
  mutable Mutex mutex_;
  CondVar wake_;  // under mutex_
  std::deque<Job> queue_ GUARDED_BY(mutex_);
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::int64_t refused_ GUARDED_BY(mutex_) = 0;
  std::thread thread_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_ENGINE_READER_H_
