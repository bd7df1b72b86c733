// Where the time of a command comes from. The core never reads a clock; the transport stamps each
// command with its space's clock (live: wall time; an exercise: scaled, pausable time), and tests
// inject a manual clock.
#ifndef LAGESBILD_CLOCK_H_
#define LAGESBILD_CLOCK_H_

#include <atomic>

#include "lagesbild/domain.h"

namespace lagesbild {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs Now() const = 0;
};

// UTC wall time. Thread-safe.
class SystemClock : public Clock {
 public:
  TimeMs Now() const override;
};

// A clock that moves only when told. Thread-safe.
class ManualClock : public Clock {
 public:
  explicit ManualClock(TimeMs start) : now_(start) {}
  TimeMs Now() const override { return now_.load(); }
  void Set(TimeMs at) { now_.store(at); }
  void Advance(TimeMs by) { now_.fetch_add(by); }

 private:
  std::atomic<TimeMs> now_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_CLOCK_H_
