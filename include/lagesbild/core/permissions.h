// Who may do what: a pure function, so the same rules judge a duty officer, a trainer and a
// scripted inject, and the whole matrix is unit-tested.
//
//   command                          admin  trainer          reporter (region R)  viewer
//   report_capacity, confirm_figures any    exercise spaces  hospitals of R       -
//   set_region_readiness             any    exercise spaces  R                    -
//   post_message                     any    exercise spaces  from R               -
//   acknowledge                      any    exercise spaces  for R                -
//   decisions, transfers, transport  any    exercise spaces  R                    -
//   start/control exercise, injects  any    any              -                    -
//   save_scenario                    any    any              -                    -
//
// Scenarios and the system act with an admin's rights (a scenario writes only in its exercise).
#ifndef LAGESBILD_CORE_PERMISSIONS_H_
#define LAGESBILD_CORE_PERMISSIONS_H_

#include <optional>
#include <string>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"

namespace lagesbild {

// Why `actor` may not send `command`, or nothing when it may. Ids the configuration does not know
// are let through here: Decide() then reports them as unknown.
// `exercise_space`: the command is for an exercise's space (not live, not the catalogue).
std::optional<std::string> DenialReason(const HealthcareRegionConfig& config, const Actor& actor,
                                        const CommandBody& command, bool exercise_space);

// Admins and trainers run exercises, read their scripts and write scenarios.
inline bool RunsExercises(Role role) { return role == Role::kAdmin || role == Role::kTrainer; }

// The hospital, region or message a command names (for the audit record).
std::string CommandTarget(const CommandBody& command);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_PERMISSIONS_H_
