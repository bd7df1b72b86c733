// Events: accepted facts, numbered per space. The event log (store.h) is the source of truth and
// the audit trail; every state is the fold of Apply() over its space's events.
#ifndef LAGESBILD_CORE_EVENTS_H_
#define LAGESBILD_CORE_EVENTS_H_

#include <string>
#include <variant>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/domain.h"

namespace lagesbild {

// A hospital reported these figures (exactly what was sent; Apply merges it).
struct CapacityReported {
  CapacityReport report;
  std::string via = {};  // how it came: empty for report_capacity, kViaHave for an import
  bool operator==(const CapacityReported& o) const { return report == o.report && via == o.via; }
};

struct RegionReadinessSet {
  std::string region;
  ReadinessLevel level = ReadinessLevel::kNormal;
  std::string reason = {};
  bool operator==(const RegionReadinessSet& o) const {
    return region == o.region && level == o.level && reason == o.reason;
  }
};

struct DecisionRecorded {
  DecisionContent decision;
  bool operator==(const DecisionRecorded& o) const { return decision == o.decision; }
};

struct FiguresConfirmed {
  std::string hospital;
  bool operator==(const FiguresConfirmed& o) const { return hospital == o.hospital; }
};

// A status message. Its id is "<space>:<seq>" of this event; `from_region` is the sender's region
// (empty for a trainer or a scenario).
struct MessagePosted {
  std::string from_region;
  MessageContent content;
  bool operator==(const MessagePosted& o) const {
    return from_region == o.from_region && content == o.content;
  }
};

struct MessageAcknowledged {
  std::string message_id;
  std::string region;
  bool operator==(const MessageAcknowledged& o) const {
    return message_id == o.message_id && region == o.region;
  }
};

// A write refused by the permission rules: recorded so the log is a complete audit trail. A short
// summary, never the refused payload: the command's type, what it named (at most
// kMaxDeniedTargetBytes) and why. `count` > 1: a summary of that many refusals (RecordRefusals).
struct AccessDenied {
  std::string command;  // wire type of the refused command
  std::string target;   // hospital, region or message it named
  std::string reason;
  std::int64_t count = 1;
  bool operator==(const AccessDenied& o) const {
    return command == o.command && target == o.target && reason == o.reason && count == o.count;
  }
};
inline constexpr std::size_t kMaxDeniedTargetBytes = 128;

struct ExerciseStarted {
  StartExercise start;  // with the baseline filled in
  bool operator==(const ExerciseStarted& o) const { return start == o.start; }
};

struct ExerciseClockSet {
  SetExerciseClock clock;
  bool operator==(const ExerciseClockSet& o) const { return clock == o.clock; }
};

struct CasualtiesDispatched {
  std::string wave;
  std::string location;
  DispatchedPatients to;
  std::int64_t due_elapsed_ms = 0;  // arrival
  bool operator==(const CasualtiesDispatched& o) const {
    return wave == o.wave && location == o.location && to == o.to &&
           due_elapsed_ms == o.due_elapsed_ms;
  }
};

struct CasualtiesArrived {
  std::string wave;
  std::string hospital;
  std::array<std::int64_t, 3> patients{};
  std::array<std::int64_t, 3> burns = {};
  bool operator==(const CasualtiesArrived& o) const {
    return wave == o.wave && hospital == o.hospital && patients == o.patients &&
           burns == o.burns;
  }
};

// A wave whose patients wait at the scene until `region` decides receiving hospitals.
struct CasualtiesAtScene {
  std::string wave;
  std::string location;
  std::string region;
  std::array<std::int64_t, 3> patients{};
  std::array<std::int64_t, 3> burns{};
  std::int64_t deceased = 0;
  std::vector<std::pair<std::string, std::int64_t>> transport_minutes;  // candidates
  bool operator==(const CasualtiesAtScene& o) const {
    return wave == o.wave && location == o.location && region == o.region &&
           patients == o.patients && burns == o.burns && deceased == o.deceased &&
           transport_minutes == o.transport_minutes;
  }
};

// `count` of a waiting group (at the scene: `hospital` empty, or on the way there) worsened
// from `from` to `to` (empty: died).
struct PatientsDeteriorated {
  std::string wave;
  std::string hospital;
  Triage from = Triage::kP1;
  std::optional<Triage> to;
  std::int64_t count = 0;
  bool operator==(const PatientsDeteriorated& o) const {
    return wave == o.wave && hospital == o.hospital && from == o.from && to == o.to &&
           count == o.count;
  }
};

struct PatientsTransferred {
  TransferPatients transfer;
  bool operator==(const PatientsTransferred& o) const { return transfer == o.transfer; }
};

struct TransportReported {
  TransportReport report;
  bool operator==(const TransportReported& o) const { return report == o.report; }
};

// A version added to the scenario catalogue (catalogue.h); who and when are the event's.
struct ScenarioSaved {
  std::string scenario_id;
  std::int64_t version = 0;
  std::string text;
  std::string name;
  std::string digest;
  bool valid = false;
  std::vector<std::string> problems;
  std::int64_t restored_from = 0;
  bool operator==(const ScenarioSaved& o) const {
    return scenario_id == o.scenario_id && version == o.version && text == o.text &&
           name == o.name && digest == o.digest && valid == o.valid && problems == o.problems &&
           restored_from == o.restored_from;
  }
};

// A sign-in recorded for the audit trail (RecordSignIn); who recorded it is the system.
struct SignInRecorded {
  std::string user, address;
  bool success = false;
  std::string reason, via;
  std::int64_t count = 1;
  bool operator==(const SignInRecorded& o) const {
    return user == o.user && address == o.address && success == o.success && reason == o.reason &&
           via == o.via && count == o.count;
  }
};

using EventBody = std::variant<CapacityReported, RegionReadinessSet, FiguresConfirmed,
                               MessagePosted, MessageAcknowledged, AccessDenied, ExerciseStarted,
                               ExerciseClockSet, CasualtiesDispatched, CasualtiesArrived,
                               DecisionRecorded, CasualtiesAtScene, PatientsDeteriorated,
                               PatientsTransferred, TransportReported, ScenarioSaved,
                               SignInRecorded>;

struct Event {
  std::string space;
  Seq seq = 0;
  TimeMs at = 0;
  Actor actor;
  EventBody body;
  std::string inject = {};  // the scenario inject that caused it, if any
  std::string command_id = {};  // the client's id of the command it came from, if any
  bool operator==(const Event& o) const {
    return space == o.space && seq == o.seq && at == o.at && actor == o.actor &&
           body == o.body && inject == o.inject && command_id == o.command_id;
  }
};

std::string_view EventKind(const EventBody& body);  // "capacity_reported", …
// The hospital, region or message an event is about (indexed in the store for history).
std::string EventSubject(const EventBody& body);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_EVENTS_H_
