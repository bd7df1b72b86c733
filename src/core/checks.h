// The checks Decide() applies to a command's content, shared by its files (decide.cpp,
// decide_rules.cpp). Private to the core.
#ifndef LAGESBILD_CORE_CHECKS_H_
#define LAGESBILD_CORE_CHECKS_H_

#include <optional>
#include <string>
#include <vector>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"
#include "lagesbild/core/error.h"
#include "lagesbild/core/events.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

// A figure within 0-kMaxFigure (none: fine).
std::optional<Error> CheckFigure(const std::optional<std::int64_t>& value, const std::string& field);
std::size_t Utf8Length(const std::string& text);  // characters, not bytes
// At most `max` characters (UTF-8).
std::optional<Error> CheckText(const std::string& text, std::size_t max, const std::string& field);
std::optional<Error> CheckDecision(const HealthcareRegionConfig& config, const SpaceState& state,
                                   const DecisionContent& decision);
std::optional<Error> CheckTransfer(const HealthcareRegionConfig& config, const SpaceState& state,
                                   const TransferPatients& transfer);
// A region's decision on receiving hospitals sends off its waves waiting at the scene (only
// `only_wave`, if given) over the decided hospitals they can reach. `state` already holds
// `events`: the dispatches are numbered after them.
void DispatchWaiting(const HealthcareRegionConfig& config, const SpaceState& state,
                     const DecisionContent& decided, const Command& command,
                     std::vector<Event>& events, const std::string& only_wave = "");

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_CHECKS_H_
