// Events: accepted facts, numbered per space. The event log (store.h) is the source of truth and
// the audit trail; every state is the fold of Apply() over its space's events.
#ifndef LAGESBILD_EVENTS_H_
#define LAGESBILD_EVENTS_H_

#include <string>
#include <variant>

#include "lagesbild/commands.h"
#include "lagesbild/domain.h"

namespace lagesbild {

// A hospital reported these figures (exactly what was sent; Apply merges it).
struct CapacityReported {
  CapacityReport report;
  bool operator==(const CapacityReported& o) const { return report == o.report; }
};

struct RegionReadinessSet {
  std::string region;
  ReadinessLevel level = ReadinessLevel::kNormal;
  bool operator==(const RegionReadinessSet& o) const {
    return region == o.region && level == o.level;
  }
};

using EventBody = std::variant<CapacityReported, RegionReadinessSet>;

struct Event {
  std::string space;
  Seq seq = 0;
  TimeMs at = 0;
  Actor actor;
  EventBody body;
  bool operator==(const Event& o) const {
    return space == o.space && seq == o.seq && at == o.at && actor == o.actor && body == o.body;
  }
};

std::string_view EventKind(const EventBody& body);  // "capacity_reported", …

}  // namespace lagesbild

#endif  // LAGESBILD_EVENTS_H_
