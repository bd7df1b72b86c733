// The state of one space (live operation, or one exercise): every hospital's reported figures and
// every region's readiness level, at sequence number `seq`.
//
// A SpaceState changes only through Apply() (core.h) with the next event in sequence. It has no
// locks: each copy has exactly one owning thread (see engine.h and space_replica.h).
#ifndef LAGESBILD_CORE_STATE_H_
#define LAGESBILD_CORE_STATE_H_

#include <array>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lagesbild/core/catalogue.h"
#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"
#include "lagesbild/core/domain.h"

namespace lagesbild {

// When a figure was last reported, and by whom. Empty `at` = never reported.
struct Stamp {
  std::optional<TimeMs> at;
  std::string by;
  bool operator==(const Stamp& o) const { return at == o.at && by == o.by; }
};

template <typename T>
struct Reported {
  std::optional<T> value;
  Stamp stamp;
  bool operator==(const Reported& o) const { return value == o.value && stamp == o.stamp; }
};

struct BedFigure {
  std::optional<std::int64_t> available;  // vacant, staffed, equipped, usable now (EDXL-HAVE)
  std::int64_t baseline = 0;
  std::int64_t surge24h = 0;
  std::int64_t surge72h = 0;  // within 72 h, those within 24 h included: never below surge24h
  Stamp stamp;
  bool operator==(const BedFigure& o) const {
    return available == o.available && baseline == o.baseline && surge24h == o.surge24h &&
           surge72h == o.surge72h && stamp == o.stamp;
  }
};

using PatientCounts = std::array<std::int64_t, kAllTriage.size()>;  // P1, P2, P3

// Patients of an exercise's casualty waves at one hospital.
// Why a hospital is over capacity, as data (the pages word it): more P1 than free IVA beds
// (patients = the P1 arriving, capacity = free IVA beds), or more patients of one priority in the
// last hour than the reported reception per hour.
struct OverCapacity {
  enum class Kind { kIcuShort, kReceptionRate, kBurnShort };
  Kind kind = Kind::kIcuShort;
  Triage priority = Triage::kP1;
  std::int64_t patients = 0;
  std::int64_t capacity = 0;
  bool operator==(const OverCapacity& o) const {
    return kind == o.kind && priority == o.priority && patients == o.patients &&
           capacity == o.capacity;
  }
};

struct Casualties {
  PatientCounts incoming{};  // dispatched, not yet arrived
  PatientCounts received{};  // arrived so far
  std::vector<std::pair<TimeMs, PatientCounts>> arrivals;  // for the last hour's load
  std::optional<OverCapacity> over_capacity;                // empty: within capacity
  bool operator==(const Casualties& o) const {
    return incoming == o.incoming && received == o.received && arrivals == o.arrivals &&
           over_capacity == o.over_capacity;
  }
};

struct HospitalState {
  std::array<BedFigure, kAllBedTypes.size()> beds{};
  Reported<EdStatus> ed_status;
  std::array<Reported<std::int64_t>, kAllTriage.size()> reception{};  // patients per hour
  Reported<ReadinessLevel> readiness;
  Reported<bool> major_incident;  // allvarlig händelse: true declared, false stood down
  Casualties casualties;  // exercises only

  std::optional<TimeMs> LastReportedAt() const;
  bool operator==(const HospitalState& o) const {
    return beds == o.beds && ed_status == o.ed_status && reception == o.reception &&
           readiness == o.readiness && major_incident == o.major_incident &&
           casualties == o.casualties;
  }
};

struct TransportFigures {
  Reported<std::int64_t> ambulances_available, ambulances_committed;
  Reported<std::int64_t> helicopters_available, helicopters_committed;
  bool operator==(const TransportFigures& o) const {
    return ambulances_available == o.ambulances_available &&
           ambulances_committed == o.ambulances_committed &&
           helicopters_available == o.helicopters_available &&
           helicopters_committed == o.helicopters_committed;
  }
};

struct RegionState {
  Reported<ReadinessLevel> readiness;
  Reported<bool> major_incident = {};
  TransportFigures transport = {};
  std::vector<std::string> receiving_hospitals = {};  // its latest decision on them
  bool operator==(const RegionState& o) const {
    return readiness == o.readiness && major_incident == o.major_incident &&
           transport == o.transport && receiving_hospitals == o.receiving_hospitals;
  }
};

// One entry of the decisions log: a recorded decision or a readiness level set.
struct DecisionRecord {
  Seq seq = 0;
  TimeMs at = 0;
  std::string by;
  Actor::Kind actor_kind = Actor::Kind::kUser;
  DecisionContent content;
  bool operator==(const DecisionRecord& o) const {
    return seq == o.seq && at == o.at && by == o.by && actor_kind == o.actor_kind &&
           content == o.content;
  }
};


struct Acknowledgement {
  Stamp stamp;
  Seq seq = 0;  // of the acknowledging event
  bool operator==(const Acknowledgement& o) const { return stamp == o.stamp && seq == o.seq; }
};

struct MessageState {
  Seq seq = 0;  // of the posting event; the id is "<space>:<seq>"
  TimeMs at = 0;
  std::string from_region;
  std::string sent_by;
  bool scripted = false;  // sent by the scenario
  MessageContent content;
  std::vector<std::string> addressees;  // region ids, config order ("all" expanded)
  std::map<std::string, Acknowledgement> acks;  // by region

  bool RequiresAck() const {
    return content.requires_ack || content.kind == MessageKind::kAlert;
  }
  std::vector<std::string> Pending() const;  // addressees yet to acknowledge (if required)
  bool operator==(const MessageState& o) const {
    return seq == o.seq && at == o.at && from_region == o.from_region && sent_by == o.sent_by &&
           scripted == o.scripted && content == o.content && addressees == o.addressees && acks == o.acks;
  }
};

std::string MessageId(const std::string& space, Seq seq);
// The regions a message goes to: "all" expanded, repeats removed, in configuration order.
std::vector<std::string> Addressees(const HealthcareRegionConfig& config,
                                    const MessageContent& content);

// Patients of one wave and priority not yet at a hospital: at the scene (`hospital` empty) or on
// the way (arriving at `arrives_ms`). `since_ms`: exercise time they got this priority.
struct PatientGroup {
  std::string wave;
  std::string location;  // the scene (a transfer: the hospital it left)
  std::string hospital;
  std::optional<std::int64_t> arrives_ms;
  Triage priority = Triage::kP1;
  std::int64_t count = 0;
  std::int64_t burns = 0;     // of `count`
  std::int64_t since_ms = 0;
  bool judged = false;        // the rule for this priority has been applied to it
  bool operator==(const PatientGroup& o) const {
    return wave == o.wave && location == o.location && hospital == o.hospital &&
           arrives_ms == o.arrives_ms && priority == o.priority && count == o.count && burns == o.burns &&
           since_ms == o.since_ms && judged == o.judged;
  }
};

// A wave waiting at the scene for its region's decision on receiving hospitals.
struct WaitingWave {
  std::string wave;
  std::string location;
  std::string region;
  std::vector<std::pair<std::string, std::int64_t>> transport_minutes;
  bool operator==(const WaitingWave& o) const {
    return wave == o.wave && location == o.location && region == o.region &&
           transport_minutes == o.transport_minutes;
  }
};

enum class ExerciseStatus { kRunning, kPaused, kStopped };
std::string_view WireName(ExerciseStatus status);
std::optional<ExerciseStatus> ParseExerciseStatus(std::string_view name);

// What the event log says about an exercise's clock: the state at its last change. The running
// clock (wall-time anchor) lives with the exercise runner, outside the core.
struct ExerciseInfo {
  std::string scenario_id;
  std::string scenario_name;
  TimeMs start = 0;              // exercise time of 00:00 (the wall time it was started)
  std::int64_t planned_ms = 0;
  ExerciseStatus status = ExerciseStatus::kRunning;
  int speed = 1;
  std::int64_t elapsed_ms = 0;   // at the last clock change
  std::vector<PatientGroup> patients;      // not yet at a hospital
  std::vector<WaitingWave> waiting_waves;  // at the scene until a decision
  std::vector<DeteriorationRule> deterioration;
  bool burns_need_icu = false;
  std::int64_t deceased_waiting = 0;       // died at the scene or on the way
  std::int64_t scenario_version = 0;       // the catalogue's version; 0: a file of scenarios/
  std::string scenario_digest;             // TextDigest of the text it runs
  bool dry_run = false;                    // a trainer's private run (catalogue.h)
  bool operator==(const ExerciseInfo& o) const {
    return scenario_id == o.scenario_id && scenario_name == o.scenario_name &&
           scenario_version == o.scenario_version && scenario_digest == o.scenario_digest &&
           dry_run == o.dry_run &&
           start == o.start && planned_ms == o.planned_ms && status == o.status &&
           speed == o.speed && elapsed_ms == o.elapsed_ms && patients == o.patients &&
           waiting_waves == o.waiting_waves && deterioration == o.deterioration &&
           burns_need_icu == o.burns_need_icu && deceased_waiting == o.deceased_waiting;
  }
};

// How many messages a space keeps in its state (and so in every snapshot): the most recent ones,
// and the open ones (still awaiting an acknowledgement). Everything older stays in the event log
// and is served page by page (GET /api/messages). Bounded so a long-lived space never grows its
// state, its checkpoints or its snapshots without limit.
inline constexpr std::size_t kRecentMessagesKept = 50;
// An open message beyond this many newer open ones is archived unacknowledged: it can no longer
// be acknowledged (the log still holds it).
inline constexpr std::size_t kOpenMessagesKept = 500;
// A snapshot carries at most this many bytes of message records (newest first, open ones first);
// the rest of the log is counted and served by GET /api/messages.
inline constexpr std::size_t kSnapshotMessageBytes = 512 * 1024;
// Casualty arrivals are kept only as long as the reception-load rule looks back.
inline constexpr TimeMs kArrivalWindowMs = 3600000;
// The decisions log keeps this many newest entries (the event log keeps them all).
inline constexpr std::size_t kDecisionsKept = 100;

// The commands a space has committed, by user and client id, so that a repeat (a page sending its
// outbox again after the link came back) is answered with the original ack and stored once. Kept
// for kCommittedWindowMs of the space's time, at most kCommittedKept, oldest forgotten first; part
// of the state (so of the saved state, and rebuilt from the log's events on a restart).
inline constexpr TimeMs kCommittedWindowMs = 24 * 3600 * 1000;
inline constexpr std::size_t kCommittedKept = 5000;

class CommittedCommands {
 public:
  struct Entry {
    Seq seq = 0;  // of the command's last event: what its ack said
    TimeMs at = 0;
    bool operator==(const Entry& o) const { return seq == o.seq && at == o.at; }
  };
  using Key = std::pair<std::string, std::string>;  // (user id, command id)

  const Entry* Find(const std::string& user, const std::string& command_id) const;
  // A command's event: remembered (a later event of the same command moves its seq on).
  void Record(const std::string& user, const std::string& command_id, Seq seq, TimeMs at);
  const std::deque<Key>& order() const { return order_; }  // oldest first
  std::size_t size() const { return by_key_.size(); }
  bool operator==(const CommittedCommands& o) const { return by_key_ == o.by_key_ && order_ == o.order_; }

 private:
  std::map<Key, Entry> by_key_;
  std::deque<Key> order_;  // oldest first
};

struct SpaceState {
  std::string space;      // "live" or an exercise id
  bool exercise = false;  // true: must be shown as ÖVNING and never mixed with live data
  Seq seq = 0;            // sequence number of the last applied event
  TimeMs at = 0;          // its time (the basis of the forecast)
  std::vector<HospitalState> hospitals;  // parallel to HealthcareRegionConfig::hospitals
  std::vector<RegionState> regions;      // parallel to HealthcareRegionConfig::regions
  std::vector<MessageState> messages;    // in sequence order; recent and open ones only (above)
  std::int64_t messages_posted = 0;      // every message ever posted in the space
  std::vector<DecisionRecord> decisions;  // the newest kDecisionsKept, in sequence order
  std::optional<ExerciseInfo> exercise_info;  // set by the exercise's first event
  std::optional<ScenarioCatalogue> catalogue;  // the space kCatalogueSpace only
  CommittedCommands committed;  // never sent to clients

  const MessageState* FindMessage(const std::string& id) const;
  MessageState* FindMessage(const std::string& id);

  bool operator==(const SpaceState& o) const {
    return space == o.space && exercise == o.exercise && seq == o.seq && at == o.at &&
           hospitals == o.hospitals && regions == o.regions && messages == o.messages &&
           messages_posted == o.messages_posted && decisions == o.decisions &&
           exercise_info == o.exercise_info && catalogue == o.catalogue && committed == o.committed;
  }
};

inline constexpr const char* kLiveSpace = "live";
// The sign-in audit (sign_in events): a space no board reads (SpaceRefusal), never fanned out.
inline constexpr const char* kAuditSpace = "audit";

// The seq of message id "<space>:<seq>" if it names a message of `space`.
std::optional<Seq> MessageSeq(const std::string& space, const std::string& id);
// Whether `id` could name a message of the space that is no longer held (older than the oldest
// one held, or older than the state, and not held).
bool MessageMayBeArchived(const SpaceState& state, const std::string& id);

// The state of a space before any event: baselines from the configuration, nothing reported,
// every readiness level normalläge.
SpaceState InitialState(const HealthcareRegionConfig& config, std::string space, bool exercise);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_STATE_H_
