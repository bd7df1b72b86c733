// All mapping between domain values and JSON lives here (and in wire.h for whole messages), so the
// wire, the event log and the snapshots agree by construction.
#ifndef LAGESBILD_CORE_JSON_MAPPING_H_
#define LAGESBILD_CORE_JSON_MAPPING_H_

#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"
#include "lagesbild/core/error.h"
#include "lagesbild/core/events.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

using Json = nlohmann::json;

// A hospital's record, with its freshness (when each figure falls due; see staleness.h).
Json HospitalToJson(const HealthcareRegionConfig& config, const SpaceState& state,
                    std::size_t index);
Json RegionToJson(const HealthcareRegionConfig& config, std::size_t index,
                  const RegionState& region);
// The "state" object of a snapshot: configuration names plus every figure.
Json StateToJson(const HealthcareRegionConfig& config, const SpaceState& state);

Json ActorToJson(const Actor& actor);
Json MessageContentToJson(const MessageContent& content);
Json MessageToJson(const std::string& space, const MessageState& message);
// The logged part of an exercise's clock and scenario (the runner adds the live clock).
// The scenario an exercise runs: id, name, origin ("file" or "saved"), version and digest.
nlohmann::json ExerciseScenarioToJson(const ExerciseInfo& info);
Json ExerciseInfoToJson(const ExerciseInfo& info);
// Its patients not yet at a hospital: "patients", "at_scene", "on_the_way", "deceased_waiting".
Json PatientFlowToJson(const ExerciseInfo& info);
Json PatientsToJson(const PatientCounts& patients);
// kClient: a client's input, with the wire's size limits; kNone: stored data (the event log, a
// saved state), types only, so a limit tightened later never makes stored data unreadable.
enum class InputLimits { kClient, kNone };
// Reads a message's content from `object` (the fields of post_message); type errors (and with
// kClient the size limits) only, the rules are the core's business.
Result<MessageContent> MessageContentFromJson(const Json& object,
                                                           InputLimits limits = InputLimits::kClient);
Json CapacityReportToJson(const CapacityReport& report);  // without "hospital"

// A decision's fields ("decision", "region", "hospital", its own fields, "reason"), as in
// record_decision. Reading checks types and which fields belong to the kind (kClient); the rules
// are the core's business.
Json DecisionContentToJson(const DecisionContent& decision);
Result<DecisionContent> DecisionContentFromJson(const Json& object,
                                                InputLimits limits = InputLimits::kClient);
// A decisions-log entry, as in state.decisions.
Json DecisionRecordToJson(const DecisionRecord& record);

// Reads the figures of a report from `object` (the shape of CapacityReportToJson). Type and enum
// errors are reported with `field_prefix` + the field's path; ranges are the core's business.
Result<CapacityReport> CapacityReportFromJson(const Json& object,
                                                           std::string hospital);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_JSON_MAPPING_H_
