// A mutex and condition variable that Clang's thread-safety analysis understands (-Wthread-safety,
// the "thread-safety" build in scripts/test.sh): members are annotated GUARDED_BY(mutex_), and
// code that touches them without holding the lock does not compile there. With other compilers
// the annotations are empty and these are thin wrappers of the standard ones (as LevelDB's port).
#ifndef LAGESBILD_ENGINE_MUTEX_H_
#define LAGESBILD_ENGINE_MUTEX_H_

#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define LAGESBILD_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define LAGESBILD_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) LAGESBILD_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY LAGESBILD_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) LAGESBILD_THREAD_ANNOTATION(guarded_by(x))
#define REQUIRES(...) LAGESBILD_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define ACQUIRE(...) LAGESBILD_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) LAGESBILD_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define EXCLUDES(...) LAGESBILD_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))

namespace lagesbild {

class CAPABILITY("mutex") Mutex {
 public:
  void Lock() ACQUIRE() { mutex_.lock(); }
  void Unlock() RELEASE() { mutex_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mutex_;
};

// Holds a Mutex for its scope.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mutex) ACQUIRE(mutex) : mutex_(mutex) { mutex_->Lock(); }
  ~MutexLock() RELEASE() { mutex_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mutex_;
};

// A condition to wait for under one Mutex.
class CondVar {
 public:
  // Releases `mutex` (held by the caller, and always the same one) while waiting and holds it
  // again on return. Spurious wake-ups happen: wait in a loop on the condition.
  void Wait(Mutex* mutex) REQUIRES(mutex) {
    std::unique_lock<std::mutex> lock(mutex->mutex_, std::adopt_lock);
    wake_.wait(lock);
    lock.release();
  }
  void Signal() { wake_.notify_one(); }
  void SignalAll() { wake_.notify_all(); }

 private:
  std::condition_variable wake_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_ENGINE_MUTEX_H_
