// Where the time of a command comes from. The core never reads a clock; the transport stamps each
// command with its space's clock (live: wall time, server/system_clock.h; an exercise: scaled,
// pausable time, core/exercise.h), and tests pass times in directly.
#ifndef LAGESBILD_CORE_CLOCK_H_
#define LAGESBILD_CORE_CLOCK_H_

#include "lagesbild/core/domain.h"

namespace lagesbild {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs Now() const = 0;
};

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_CLOCK_H_
