// UTC wall time, the live space's clock. Outside the core, which never reads a clock.
#ifndef LAGESBILD_SERVER_SYSTEM_CLOCK_H_
#define LAGESBILD_SERVER_SYSTEM_CLOCK_H_

#include "lagesbild/core/clock.h"

namespace lagesbild {

// Thread-safe.
class SystemClock : public Clock {
 public:
  TimeMs Now() const override;
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_SYSTEM_CLOCK_H_
