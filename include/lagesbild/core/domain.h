// Domain vocabulary: bed types, statuses, readiness levels, triage priorities, actors and time.
//
// Names map one-to-one onto OASIS EDXL-HAVE where the standard has the concept, so an EDXL-HAVE
// export is a mapping, not a rewrite. Swedish labels live in the user interface, never here.
// Pure values: no I/O, no threads, no clock.
#ifndef LAGESBILD_CORE_DOMAIN_H_
#define LAGESBILD_CORE_DOMAIN_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lagesbild {

// Milliseconds since the Unix epoch, UTC. The core never reads a clock: every command carries its
// time, taken from its space's clock (wall time for live, scaled exercise time for an exercise).
using TimeMs = std::int64_t;

// Sequence number of an event within its space. The first event of a space is 1; 0 means "none".
using Seq = std::int64_t;

enum class BedType {
  kAdultICU,             // IVA
  kPediatricICU,         // barn-IVA
  kBurn,                 // brännskadevård
  kMedicalSurgical,      // vårdplatser
  kPediatrics,           // barnvårdplatser
  kOperatingRooms,       // operationssalar
  kEmergencyDepartment,  // akutmottagningens behandlingsplatser
};
inline constexpr std::array<BedType, 7> kAllBedTypes = {
    BedType::kAdultICU,   BedType::kPediatricICU,   BedType::kBurn,
    BedType::kMedicalSurgical, BedType::kPediatrics, BedType::kOperatingRooms,
    BedType::kEmergencyDepartment};

// EDXL-HAVE EMS traffic status: Normal / Advisory / Closed. kDiversion: closed to ambulances
// (omdirigering), walk-in patients still taken; kClosed: closed altogether.
enum class EdStatus { kOpen, kRestricted, kDiversion, kClosed };

// Beredskapsläge, declared per region and per hospital (SOSFS 2013:22).
enum class ReadinessLevel { kNormal, kStaff, kReinforced, kDisaster };

// Triage priority for reception capacity (EDXL-HAVE Red / Yellow / Green).
enum class Triage { kP1, kP2, kP3 };
inline constexpr std::array<Triage, 3> kAllTriage = {Triage::kP1, Triage::kP2, Triage::kP3};

std::string_view WireName(BedType type);
std::string_view WireName(EdStatus status);
std::string_view WireName(ReadinessLevel level);
std::string_view WireName(Triage priority);

std::optional<BedType> ParseBedType(std::string_view name);
std::optional<EdStatus> ParseEdStatus(std::string_view name);
std::optional<ReadinessLevel> ParseReadinessLevel(std::string_view name);
std::optional<Triage> ParseTriage(std::string_view name);

inline std::size_t Index(BedType type) { return static_cast<std::size_t>(type); }
inline std::size_t Index(Triage priority) { return static_cast<std::size_t>(priority); }

// What a user may do (see permissions.h): run exercises and administer, report for one region,
// or only read.
// admin: every write, live included (and manages users); trainer: runs exercises and writes in
// exercise spaces only; reporter: its own region; viewer: reads.
enum class Role { kAdmin, kTrainer, kReporter, kViewer };

// Who sends a command. Stored with every event: the event log is the audit trail.
struct Actor {
  enum class Kind { kUser, kScenario, kSystem };
  Kind kind = Kind::kUser;
  std::string id;  // user name, scenario id, or "system"
  Role role = Role::kViewer;  // users only; scenarios and the system act with a trainer's rights
  std::string region;         // a reporter's region; empty otherwise
  bool operator==(const Actor& other) const {
    return kind == other.kind && id == other.id && role == other.role && region == other.region;
  }
};
std::string_view WireName(Actor::Kind kind);
std::optional<Actor::Kind> ParseActorKind(std::string_view name);
std::string_view WireName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// The connection that has not signed in.
inline Actor AnonymousViewer() { return Actor{Actor::Kind::kUser, "anonym", Role::kViewer, ""}; }

// Kinds of status message (meddelanden) between regions.
enum class MessageKind { kSituationReport, kMethane, kAlert, kInformation };
std::string_view WireName(MessageKind kind);
std::optional<MessageKind> ParseMessageKind(std::string_view name);

// The seven METHANE fields, in order.
inline constexpr std::array<std::string_view, 7> kMethaneFields = {
    "major_incident", "exact_location", "type", "hazards", "access", "number_of_casualties",
    "emergency_services"};

// Decisions of a region's or a hospital's command (beslut), besides the readiness levels.
enum class DecisionKind {
  kMajorIncidentDeclared,  // allvarlig händelse utlöst
  kMajorIncidentStoodDown, // allvarlig händelse avblåst
  kReceivingHospitals,     // mottagande sjukhus beslutade
  kCapacityJudgement,      // egen kapacitet bedömd
  kIcuNeed,                // IVA-behov uppskattat
  kCapacityShortage,       // kapacitetsbrist
  kSupportRequest,         // begäran om stöd
  kSupportOffer,           // erbjudande om stöd
  kReadinessSet,           // beredskapsläge (set_region_readiness, report_capacity): the log only
};
std::string_view WireName(DecisionKind kind);
std::optional<DecisionKind> ParseDecisionKind(std::string_view name);

enum class CapacityJudgement { kSufficient, kStrained, kInsufficient };
std::string_view WireName(CapacityJudgement judgement);
std::optional<CapacityJudgement> ParseCapacityJudgement(std::string_view name);

// What is short, requested or offered: a bed type's wire name, or one of these.
inline constexpr std::array<std::string_view, 6> kOtherResources = {
    "staff", "ambulances", "helicopters", "blood", "equipment", "other"};
bool IsResource(std::string_view name);

// Who speaks in a scripted (or trainer's) message.
inline constexpr std::array<std::string_view, 4> kMessageSenders = {
    "sos_alarm", "scene_command", "socialstyrelsen", "rssl"};

// Upper bound for any count or rate on the wire; anything above is a typo or an attack.
inline constexpr std::int64_t kMaxFigure = 100000;

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_DOMAIN_H_
