// Who may do what: a pure function, so the same rules judge a duty officer, a trainer and a
// scripted inject, and the whole matrix is unit-tested.
//
//   command                          trainer   reporter (region R)       viewer
//   report_capacity, confirm_figures any       hospitals of R            -
//   set_region_readiness             any       R                         -
//   post_message                     any       from R                    -
//   acknowledge                      any       for R                     -
//   start/control exercise, injects  any       -                         -
//
// Scenarios and the system act with a trainer's rights.
#ifndef LAGESBILD_CORE_PERMISSIONS_H_
#define LAGESBILD_CORE_PERMISSIONS_H_

#include <optional>
#include <string>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"

namespace lagesbild {

// Why `actor` may not send `command`, or nothing when it may. Ids the configuration does not know
// are let through here: Decide() then reports them as unknown.
std::optional<std::string> DenialReason(const HealthcareRegionConfig& config, const Actor& actor,
                                        const CommandBody& command);

// The hospital, region or message a command names (for the audit record).
std::string CommandTarget(const CommandBody& command);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_PERMISSIONS_H_
