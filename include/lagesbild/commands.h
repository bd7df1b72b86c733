// Commands: what a sender asks for. A command is judged by Decide() (core.h) and becomes events
// or an error. Every command carries who sends it and when, so the same rules judge a duty officer,
// a trainer and a scripted inject, and replays are deterministic.
#ifndef LAGESBILD_COMMANDS_H_
#define LAGESBILD_COMMANDS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "lagesbild/domain.h"

namespace lagesbild {

struct BedReport {
  std::optional<std::int64_t> available;
  std::optional<std::int64_t> baseline;
  std::optional<std::int64_t> surge24h;
  bool operator==(const BedReport& o) const {
    return available == o.available && baseline == o.baseline && surge24h == o.surge24h;
  }
};

// Any subset of one hospital's figures. Left-out fields keep their current values.
struct CapacityReport {
  std::string hospital;
  std::array<std::optional<BedReport>, kAllBedTypes.size()> beds{};
  std::optional<EdStatus> ed_status;
  std::array<std::optional<std::int64_t>, kAllTriage.size()> reception{};
  std::optional<ReadinessLevel> readiness;

  bool Empty() const;
  bool operator==(const CapacityReport& o) const {
    return hospital == o.hospital && beds == o.beds && ed_status == o.ed_status &&
           reception == o.reception && readiness == o.readiness;
  }
};

struct SetRegionReadiness {
  std::string region;
  ReadinessLevel level = ReadinessLevel::kNormal;
  bool operator==(const SetRegionReadiness& o) const {
    return region == o.region && level == o.level;
  }
};

using CommandBody = std::variant<CapacityReport, SetRegionReadiness>;

struct Command {
  Actor actor;
  TimeMs at = 0;  // from the target space's clock
  CommandBody body;
};

}  // namespace lagesbild

#endif  // LAGESBILD_COMMANDS_H_
