#include <chrono>

#include "lagesbild/server/system_clock.h"

namespace lagesbild {

TimeMs SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace lagesbild
