#include "lagesbild/core/domain.h"

namespace lagesbild {
namespace {

constexpr std::array<std::string_view, kAllBedTypes.size()> kBedTypeNames = {
    "AdultICU", "PediatricICU", "Burn", "MedicalSurgical", "Pediatrics", "OperatingRooms",
    "EmergencyDepartment"};
constexpr std::array<std::string_view, 4> kEdStatusNames = {"open", "restricted", "diversion",
                                                            "closed"};
constexpr std::array<std::string_view, 4> kReadinessNames = {"normal", "staff", "reinforced",
                                                             "disaster"};
constexpr std::array<std::string_view, kAllTriage.size()> kTriageNames = {"P1", "P2", "P3"};
constexpr std::array<std::string_view, 3> kActorKindNames = {"user", "scenario", "system"};
constexpr std::array<std::string_view, 4> kRoleNames = {"admin", "trainer", "reporter", "viewer"};
constexpr std::array<std::string_view, 4> kMessageKindNames = {"situation_report", "methane",
                                                               "alert", "information"};

constexpr std::array<std::string_view, 9> kDecisionNames = {
    "major_incident_declared", "major_incident_stood_down", "receiving_hospitals",
    "capacity_judgement",      "icu_need",                  "capacity_shortage",
    "support_request",         "support_offer",             "readiness_set"};
constexpr std::array<std::string_view, 3> kJudgementNames = {"sufficient", "strained",
                                                             "insufficient"};

template <typename Enum, std::size_t N>
std::optional<Enum> ParseByName(const std::array<std::string_view, N>& names,
                                std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view WireName(BedType type) { return kBedTypeNames[Index(type)]; }
std::string_view WireName(EdStatus status) {
  return kEdStatusNames[static_cast<std::size_t>(status)];
}
std::string_view WireName(ReadinessLevel level) {
  return kReadinessNames[static_cast<std::size_t>(level)];
}
std::string_view WireName(Triage priority) { return kTriageNames[Index(priority)]; }
std::string_view WireName(Actor::Kind kind) {
  return kActorKindNames[static_cast<std::size_t>(kind)];
}

std::string_view WireName(Role role) { return kRoleNames[static_cast<std::size_t>(role)]; }
std::string_view WireName(MessageKind kind) {
  return kMessageKindNames[static_cast<std::size_t>(kind)];
}
std::optional<Role> ParseRole(std::string_view name) { return ParseByName<Role>(kRoleNames, name); }
std::optional<MessageKind> ParseMessageKind(std::string_view name) {
  return ParseByName<MessageKind>(kMessageKindNames, name);
}

std::optional<BedType> ParseBedType(std::string_view name) {
  return ParseByName<BedType>(kBedTypeNames, name);
}
std::optional<EdStatus> ParseEdStatus(std::string_view name) {
  return ParseByName<EdStatus>(kEdStatusNames, name);
}
std::optional<ReadinessLevel> ParseReadinessLevel(std::string_view name) {
  return ParseByName<ReadinessLevel>(kReadinessNames, name);
}
std::optional<Triage> ParseTriage(std::string_view name) {
  return ParseByName<Triage>(kTriageNames, name);
}
std::optional<Actor::Kind> ParseActorKind(std::string_view name) {
  return ParseByName<Actor::Kind>(kActorKindNames, name);
}

std::string_view WireName(DecisionKind kind) {
  return kDecisionNames[static_cast<std::size_t>(kind)];
}
std::optional<DecisionKind> ParseDecisionKind(std::string_view name) {
  return ParseByName<DecisionKind>(kDecisionNames, name);
}
std::string_view WireName(CapacityJudgement judgement) {
  return kJudgementNames[static_cast<std::size_t>(judgement)];
}
std::optional<CapacityJudgement> ParseCapacityJudgement(std::string_view name) {
  return ParseByName<CapacityJudgement>(kJudgementNames, name);
}
bool IsResource(std::string_view name) {
  if (ParseBedType(name)) return true;
  for (std::string_view other : kOtherResources) {
    if (other == name) return true;
  }
  return false;
}

}  // namespace lagesbild
