// Commands: what a sender asks for. A command is judged by Decide() (core.h) and becomes events
// or an error. Every command carries who sends it and when, so the same rules judge a duty officer,
// a trainer and a scripted inject, and replays are deterministic.
#ifndef LAGESBILD_CORE_COMMANDS_H_
#define LAGESBILD_CORE_COMMANDS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "lagesbild/core/domain.h"

namespace lagesbild {

struct BedReport {
  std::optional<std::int64_t> available;
  std::optional<std::int64_t> baseline;
  std::optional<std::int64_t> surge24h;
  std::optional<std::int64_t> surge72h;  // those within 24 h included
  bool operator==(const BedReport& o) const {
    return available == o.available && baseline == o.baseline && surge24h == o.surge24h &&
           surge72h == o.surge72h;
  }
};

// Any subset of one hospital's figures. Left-out fields keep their current values.
struct CapacityReport {
  std::string hospital;
  std::array<std::optional<BedReport>, kAllBedTypes.size()> beds{};
  std::optional<EdStatus> ed_status;
  std::array<std::optional<std::int64_t>, kAllTriage.size()> reception{};
  std::optional<ReadinessLevel> readiness;
  std::string reason = {};  // optional: why (a readiness change is a decision)

  bool Empty() const;  // no figures (a reason alone is no report)
  bool operator==(const CapacityReport& o) const {
    return hospital == o.hospital && beds == o.beds && ed_status == o.ed_status &&
           reception == o.reception && readiness == o.readiness && reason == o.reason;
  }
};

// A decision's reason (motivering), at most this many characters.
inline constexpr std::size_t kMaxReasonLength = 500;

struct SetRegionReadiness {
  std::string region;
  ReadinessLevel level = ReadinessLevel::kNormal;
  std::string reason = {};  // optional
  bool operator==(const SetRegionReadiness& o) const {
    return region == o.region && level == o.level && reason == o.reason;
  }
};

// A decision of a region's (or one of its hospitals') command; the fields its kind uses
// (docs/protocol.md, record_decision), the others empty.
struct DecisionContent {
  DecisionKind kind = DecisionKind::kMajorIncidentDeclared;
  std::string region;
  std::string hospital;                 // a hospital's own decision; empty: the region's
  std::vector<std::string> hospitals;   // receiving_hospitals
  std::string incident;                 // receiving_hospitals: what for (e.g. a larm's id)
  std::optional<CapacityJudgement> judgement;
  std::optional<std::int64_t> icu_beds;  // icu_need
  std::string resource;                  // capacity_shortage, support_*
  std::optional<std::int64_t> amount;    // capacity_shortage, support_*
  std::string to_region;                 // support_*
  std::optional<ReadinessLevel> level;   // readiness_set (log records only)
  std::string reason;
  bool operator==(const DecisionContent& o) const {
    return kind == o.kind && region == o.region && hospital == o.hospital &&
           hospitals == o.hospitals && incident == o.incident && judgement == o.judgement &&
           icu_beds == o.icu_beds && resource == o.resource && amount == o.amount &&
           to_region == o.to_region && level == o.level && reason == o.reason;
  }
};

struct RecordDecision {
  DecisionContent decision;
  bool operator==(const RecordDecision& o) const { return decision == o.decision; }
};

// "No change": re-stamp every figure the hospital has reported, without retyping it.
struct ConfirmFigures {
  std::string hospital;
  bool operator==(const ConfirmFigures& o) const { return hospital == o.hospital; }
};

// The content of a status message, as sent.
struct MessageContent {
  MessageKind kind = MessageKind::kInformation;
  bool to_all = false;
  std::vector<std::string> to;  // region ids; empty when to_all
  std::string text;
  std::vector<std::pair<std::string, std::string>> fields;  // situation report, optional
  std::optional<std::array<std::string, kMethaneFields.size()>> methane;
  std::optional<ReadinessLevel> level;  // alerts: the level raised or asked for
  bool requires_ack = false;
  std::string sender = {};  // optional voice of a scripted/trainer message (kMessageSenders)
  bool operator==(const MessageContent& o) const {
    return kind == o.kind && to_all == o.to_all && to == o.to && text == o.text &&
           fields == o.fields && methane == o.methane && level == o.level &&
           requires_ack == o.requires_ack && sender == o.sender;
  }
};

struct PostMessage {
  PostMessage() = default;
  PostMessage(MessageContent content_, std::string as_region_ = "")
      : content(std::move(content_)), as_region(std::move(as_region_)) {}
  MessageContent content;
  std::string as_region;  // scenarios only: the region a scripted message appears to come from
  bool operator==(const PostMessage& o) const {
    return content == o.content && as_region == o.as_region;
  }
};

struct Acknowledge {
  std::string message_id;  // "<space>:<seq>"
  std::string region;      // empty: the sender's own region
  bool operator==(const Acknowledge& o) const {
    return message_id == o.message_id && region == o.region;
  }
};

// How waiting patients worsen: a group of priority `from` that has waited `after_minutes`
// untreated (at the scene or on the way) since it got that priority: `share_percent` of it
// (rounded up) becomes `to` (no value: deceased). At most one rule per `from`.
struct DeteriorationRule {
  Triage from = Triage::kP1;
  std::optional<Triage> to;  // empty: deceased
  std::int64_t after_minutes = 60;
  std::int64_t share_percent = 100;
  bool operator==(const DeteriorationRule& o) const {
    return from == o.from && to == o.to && after_minutes == o.after_minutes &&
           share_percent == o.share_percent;
  }
};

// Creates an exercise space (it must not exist) from a scenario. The engine fills
// `baseline_reports` / `baseline_regions` from live when the scenario starts from live.
struct StartExercise {
  std::string scenario_id;
  std::string scenario_name;
  std::int64_t planned_ms = 0;
  bool paused = false;
  std::vector<CapacityReport> baseline_reports;
  std::vector<std::pair<std::string, ReadinessLevel>> baseline_regions;
  bool copy_live = false;
  std::vector<DeteriorationRule> deterioration = {};  // the scenario's rules (none by default)
  bool burns_need_icu = false;  // burned P1 take an IVA bed besides the burn bed
  std::int64_t scenario_version = 0;  // of the catalogue; 0: a file of scenarios/
  std::string scenario_digest = {};   // TextDigest of the exact text it runs
  bool dry_run = false;               // a trainer's private run at 60× (catalogue.h)
  bool operator==(const StartExercise& o) const {
    return scenario_id == o.scenario_id && scenario_name == o.scenario_name &&
           scenario_version == o.scenario_version && scenario_digest == o.scenario_digest &&
           dry_run == o.dry_run &&
           planned_ms == o.planned_ms && paused == o.paused &&
           baseline_reports == o.baseline_reports && baseline_regions == o.baseline_regions &&
           copy_live == o.copy_live && deterioration == o.deterioration &&
           burns_need_icu == o.burns_need_icu;
  }
};

// A change of the exercise clock (pause, resume, speed, jump, stop), as its new state.
struct SetExerciseClock {
  std::string status;  // running, paused, stopped
  int speed = 1;
  std::int64_t elapsed_ms = 0;
  bool operator==(const SetExerciseClock& o) const {
    return status == o.status && speed == o.speed && elapsed_ms == o.elapsed_ms;
  }
};

// One hospital's share of a casualty wave, decided by the script or by SuggestDistribution().
// `burns`: how many of `patients` (per priority) are burned (they need burn beds).
struct DispatchedPatients {
  std::string hospital;
  std::array<std::int64_t, 3> patients{};
  std::int64_t transport_minutes = 0;
  std::array<std::int64_t, 3> burns = {};
  bool operator==(const DispatchedPatients& o) const {
    return hospital == o.hospital && patients == o.patients &&
           transport_minutes == o.transport_minutes && burns == o.burns;
  }
};


// A casualty wave played at `elapsed_ms`. With `suggest`, Decide() distributes the casualties
// over the `candidates` from the current state, so replays are deterministic.
// With `on_decision`, the patients wait at the scene until `region` decides receiving hospitals;
// the allocations are then the candidates (transport times).
struct PlayCasualtyWave {
  std::string wave;
  std::string location;
  std::int64_t elapsed_ms = 0;
  std::array<std::int64_t, 3> casualties{};
  std::int64_t deceased = 0;
  bool suggest = false;
  std::vector<DispatchedPatients> allocations;  // scripted, or the candidates with 0 patients
  std::array<std::int64_t, 3> burns = {};       // of the casualties
  std::string region = {};                      // the scene's region
  bool on_decision = false;
  bool operator==(const PlayCasualtyWave& o) const {
    return wave == o.wave && location == o.location && elapsed_ms == o.elapsed_ms &&
           casualties == o.casualties && deceased == o.deceased && suggest == o.suggest &&
           allocations == o.allocations && burns == o.burns && region == o.region &&
           on_decision == o.on_decision;
  }
};

// A secondary transport between two hospitals (exercises).
struct TransferPatients {
  std::string from, to;
  std::array<std::int64_t, 3> patients{};
  std::int64_t burns = 0;  // of the P1
  std::int64_t transport_minutes = 0;
  bool helicopter = false;
  std::string reason = {};
  bool operator==(const TransferPatients& o) const {
    return from == o.from && to == o.to && patients == o.patients && burns == o.burns &&
           transport_minutes == o.transport_minutes && helicopter == o.helicopter &&
           reason == o.reason;
  }
};

// Ambulances and helicopters of a region, as reported (any subset).
struct TransportReport {
  std::string region;
  std::optional<std::int64_t> ambulances_available = {}, ambulances_committed = {};
  std::optional<std::int64_t> helicopters_available = {}, helicopters_committed = {};
  bool operator==(const TransportReport& o) const {
    return region == o.region && ambulances_available == o.ambulances_available &&
           ambulances_committed == o.ambulances_committed &&
           helicopters_available == o.helicopters_available &&
           helicopters_committed == o.helicopters_committed;
  }
};

// Plays every casualty arrival due at or before `elapsed_ms`.
struct AdvanceArrivals {
  std::int64_t elapsed_ms = 0;
  bool operator==(const AdvanceArrivals& o) const { return elapsed_ms == o.elapsed_ms; }
};

// Refusals of one user beyond the number stored one by one (a flood): recorded as one
// access_denied event with their count. Sent by the server (the system actor) only.
struct RecordRefusals {
  std::string user;
  std::string commands;  // the refused command types, comma-separated
  std::int64_t count = 0;
  TimeMs from = 0, to = 0;  // wall time of the first and the last refusal counted
  bool operator==(const RecordRefusals& o) const {
    return user == o.user && commands == o.commands && count == o.count && from == o.from &&
           to == o.to;
  }
};

// A sign-in, successful or not, for the audit trail (space kAuditSpace). Sent by the server (the
// system actor) only. `count` > 1: a summary of that many failed sign-ins not recorded one by one.
struct RecordSignIn {
  std::string user;     // who signed in; for a failure the user an expired token names, or empty
  std::string address;  // the client's address (behind a trusted proxy: the one it forwarded)
  bool success = false;
  std::string reason;   // why it failed, or what a summary counts
  std::string via;      // "websocket" or "http"
  std::int64_t count = 1;
  bool operator==(const RecordSignIn& o) const {
    return user == o.user && address == o.address && success == o.success && reason == o.reason &&
           via == o.via && count == o.count;
  }
};

// A trainer saves a version of a scenario to the catalogue (space kCatalogueSpace, catalogue.h).
// A text with problems is saved as a draft. A restore saves an earlier version's text again.
struct SaveScenario {
  std::string scenario_id;
  std::string text;                 // the scenario file's JSON text
  std::int64_t base_version = 0;    // the newest version the editor knew (0: a new scenario)
  std::int64_t restored_from = 0;   // restore: the version `text` is a copy of
  std::vector<std::string> taken_ids = {};  // the files' ids (the server fills it; not logged)
  bool operator==(const SaveScenario& o) const {
    return scenario_id == o.scenario_id && text == o.text && base_version == o.base_version &&
           restored_from == o.restored_from && taken_ids == o.taken_ids;
  }
};

// Capacity reports read from an EDXL-HAVE document (import_have, `lagesbild import-have`): each
// judged as a report_capacity is, the sender's rights included, and taken all or none. At most
// one report per hospital.
struct ImportReports {
  std::vector<CapacityReport> reports;
  bool operator==(const ImportReports& o) const { return reports == o.reports; }
};
inline constexpr const char* kViaHave = "edxl-have";

using CommandBody =
    std::variant<CapacityReport, SetRegionReadiness, ConfirmFigures, PostMessage, Acknowledge,
                 StartExercise, SetExerciseClock, PlayCasualtyWave, AdvanceArrivals,
                 RecordRefusals, RecordDecision, TransferPatients, TransportReport,
                 SaveScenario, RecordSignIn, ImportReports>;
std::string_view CommandName(const CommandBody& body);  // the wire type, e.g. "report_capacity"

struct Command {
  Actor actor;
  TimeMs at = 0;  // from the target space's clock
  CommandBody body;
  std::string inject = {};  // the scenario inject it plays, if any (kept with its events)
  // The client's id of the command (wire `id`): a signed-in user's repeat of a committed one is
  // answered as already done (SpaceState::committed). Empty for the server's own commands.
  std::string command_id = {};
};

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_COMMANDS_H_
