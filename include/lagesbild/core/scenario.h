// A scripted scenario (docs/scenarios.md): metadata and injects at elapsed exercise times.
// Parsing is pure and checks everything the file can get wrong, against the configuration it is
// meant for, so nothing starts from a broken file. Immutable once loaded.
#ifndef LAGESBILD_CORE_SCENARIO_H_
#define LAGESBILD_CORE_SCENARIO_H_

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"
#include "lagesbild/core/indicators.h"
#include "lagesbild/core/result.h"

namespace lagesbild {

using ElapsedMs = std::int64_t;  // exercise time since the scenario's 00:00

struct MessageInject {
  std::string from_region;  // empty: the exercise command
  MessageContent content;
};

// Patients of one wave going to one hospital.
struct Allocation {
  std::string hospital;
  std::array<std::int64_t, kAllTriage.size()> patients{};  // P1, P2, P3
  std::int64_t transport_minutes = 0;
  bool operator==(const Allocation& o) const {
    return hospital == o.hospital && patients == o.patients &&
           transport_minutes == o.transport_minutes;
  }
};

struct CasualtyWave {
  std::string location;
  std::array<std::int64_t, kAllTriage.size()> casualties{};
  std::int64_t deceased = 0;
  bool suggest = false;                // the server distributes (see SuggestDistribution)
  std::vector<Allocation> scripted;    // when !suggest
  std::vector<std::pair<std::string, std::int64_t>> transport_minutes;  // hospital, minutes
  std::array<std::int64_t, kAllTriage.size()> burns{};  // of the casualties (format 2)
  std::string region;        // the scene's region (format 2; required with on_decision)
  bool on_decision = false;  // wait at the scene for the region's receiving hospitals
  bool operator==(const CasualtyWave& o) const {
    return location == o.location && casualties == o.casualties && deceased == o.deceased &&
           suggest == o.suggest && scripted == o.scripted &&
           transport_minutes == o.transport_minutes && burns == o.burns && region == o.region &&
           on_decision == o.on_decision;
  }
};

struct CapacityChange {
  CapacityReport report;
  std::string reason;
};

struct ReadinessInject {
  std::string region;    // one of region / hospital
  std::string hospital;
  ReadinessLevel level = ReadinessLevel::kNormal;
};

struct CheckpointExpectation {
  enum class Event {
    kRegionReadinessSet,
    kCapacityReported,
    kMessageAcknowledged,
    kMessagePosted,
    kDecisionRecorded
  };
  Event event = Event::kRegionReadinessSet;
  std::string region;                     // region_readiness_set
  std::optional<ReadinessLevel> min_level;
  bool receiving_hospitals = false;       // capacity_reported: "receiving"
  std::vector<std::string> hospitals;     // capacity_reported: listed
  std::string message_inject;             // message_acknowledged
  std::vector<std::string> regions;       // message_acknowledged (empty: all addressees)
  std::string from_region;                // message_posted
  std::optional<MessageKind> message_kind;
  std::optional<DecisionKind> decision;   // decision_recorded (region: optional; hospital too)
  std::string hospital;
};

struct Checkpoint {
  std::string description;
  ElapsedMs within_ms = 0;
  CheckpointExpectation expect;
};

// A scripted decision (motspel for a region the participants do not play).
struct DecisionInject {
  DecisionContent decision;
};

// A scripted secondary transport, and a region's ambulances and helicopters.
struct TransferInject {
  TransferPatients transfer;
};
struct TransportInject {
  TransportReport report;
};

using InjectBody = std::variant<MessageInject, CasualtyWave, CapacityChange, ReadinessInject,
                                Checkpoint, DecisionInject, TransferInject, TransportInject>;

struct Inject {
  std::string id;
  ElapsedMs at = 0;
  InjectBody body;
};

std::string_view InjectKind(const InjectBody& body);  // "message", "casualty_wave", …
// What an inject does, as data ({"kind": "message", "message_kind": …, "text": …}, …); the pages
// word it (docs/protocol.md, "Scenarios").
nlohmann::json InjectSummary(const HealthcareRegionConfig& config, const Inject& inject);

// The scenario file format this build writes; it reads every format from 1 up to it.
inline constexpr int kScenarioFormat = 2;

struct Scenario {
  int format = kScenarioFormat;
  std::string id;
  std::string name;
  std::string description;
  std::string incident;
  std::string source;
  std::string healthcare_region;
  ElapsedMs planned_ms = 0;
  bool start_from_live = true;
  std::vector<CapacityReport> baseline_reports;
  std::vector<std::pair<std::string, ReadinessLevel>> baseline_regions;
  std::vector<Inject> injects;  // sorted by `at`, then file order
  IndicatorTargets indicator_targets;  // targets that differ from kIndicators' defaults
  // The regions people play; empty: not stated (format 1), every region a scripted larm reaches.
  std::vector<std::string> participating_regions;
  std::vector<DeteriorationRule> deterioration;  // none unless the file states them
  std::optional<int> starts_at;  // local clock time (minutes after midnight) at 00:00
  bool burns_need_icu = false;
  // Which text this is: the catalogue's version (0: a file of scenarios/) and TextDigest of the
  // text. Set by whoever read the text (ParseScenario leaves them empty).
  std::int64_t version = 0;
  std::string digest;
  const Inject* FindInject(const std::string& id) const;
};

// One file of a scenario catalogue, loaded and checked (a broken one is listed with its errors and
// cannot be started). Reading the files is the server's job (server/scenario_files.h).
struct ScenarioFile {
  std::string path;
  std::string id;  // from the file name when the file cannot be read
  std::shared_ptr<const Scenario> scenario;  // null when broken
  std::vector<std::string> errors;
  std::string text;    // the file as read (export)
  std::string digest;  // TextDigest(text)
  // Metadata shown even for a file with errors, when it could be read.
  std::string name, description, incident, source, healthcare_region;
  std::int64_t planned_minutes = 0;
};

// A scenario file's text, checked whole. The error (invalid_scenario) names the first problem in
// its message and every one in `details`: "<source>: <json path>: <problem>".
Result<Scenario> ParseScenario(const std::string& text, const std::string& source_name,
                               const HealthcareRegionConfig& config);
// The same, of a text already parsed as JSON.
Result<Scenario> ParseScenarioJson(const nlohmann::json& root, const std::string& source_name,
                                   const HealthcareRegionConfig& config);
// The error of a scenario with these problems (at least one).
Error ScenarioError(std::vector<std::string> problems);

// "MM:SS" or "HH:MM:SS" to milliseconds.
std::optional<ElapsedMs> ParseElapsed(const std::string& text);
std::string FormatElapsed(ElapsedMs elapsed);  // "HH:MM:SS"
// At most `max_bytes` of `text`, never cutting a UTF-8 character in two ("…" marks a cut).
std::string TruncateUtf8(const std::string& text, std::size_t max_bytes);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_SCENARIO_H_
