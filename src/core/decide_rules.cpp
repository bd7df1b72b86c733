// The rules a command's content is checked by (checks.h): figures, texts, decisions, transfers,
// and the dispatch a decision on receiving hospitals makes. Part of Decide() (decide.cpp).
#include "checks.h"

#include <algorithm>

#include "lagesbild/core/distribution.h"
#include "lagesbild/core/patients.h"

namespace lagesbild {

std::optional<Error> CheckFigure(const std::optional<std::int64_t>& value,
                                 const std::string& field) {
  if (value && (*value < 0 || *value > kMaxFigure)) {
    return MakeError("invalid_value", field,
                     field + ": " + std::to_string(*value) + " is outside 0-" +
                         std::to_string(kMaxFigure));
  }
  return std::nullopt;
}

std::size_t Utf8Length(const std::string& text) {
  std::size_t length = 0;
  for (unsigned char c : text) length += (c & 0xC0) != 0x80;
  return length;
}

std::optional<Error> CheckText(const std::string& text, std::size_t max, const std::string& field) {
  if (Utf8Length(text) > max) {
    return MakeError("invalid_value", field,
                     field + " is " + std::to_string(Utf8Length(text)) +
                         " characters; at most " + std::to_string(max) + " are allowed");
  }
  return std::nullopt;
}

namespace {

std::optional<Error> CheckCount(const std::optional<std::int64_t>& value, const char* field,
                               std::int64_t min) {
  if (!value) return MakeError("bad_message", field, std::string(field) + " is missing");
  if (*value < min || *value > kMaxFigure) {
    return MakeError("invalid_value", field,
                     std::string(field) + ": " + std::to_string(*value) + " is outside " +
                         std::to_string(min) + "-" + std::to_string(kMaxFigure));
  }
  return std::nullopt;
}

}  // namespace

// The rules of each decision kind; the wire has checked which fields belong to it.
std::optional<Error> CheckDecision(const HealthcareRegionConfig& config, const SpaceState& state,
                                   const DecisionContent& d) {
  auto region = config.FindRegion(d.region);
  if (!region) {
    return MakeError("unknown_region", "region", "no region '" + d.region + "' in " + config.name);
  }
  std::optional<std::size_t> hospital;
  if (!d.hospital.empty()) {
    hospital = config.FindHospital(d.hospital);
    if (!hospital) {
      return MakeError("unknown_hospital", "hospital",
                       "no hospital '" + d.hospital + "' in " + config.name);
    }
    if (config.hospitals[*hospital].region_id != d.region) {
      return MakeError("invalid_value", "hospital",
                       config.hospitals[*hospital].name + " is not a hospital of " +
                           config.regions[*region].name);
    }
  }
  if (auto error = CheckText(d.reason, kMaxReasonLength, "reason")) return error;
  switch (d.kind) {
    case DecisionKind::kMajorIncidentDeclared:
      return std::nullopt;
    case DecisionKind::kMajorIncidentStoodDown: {
      const Reported<bool>& flag = hospital ? state.hospitals[*hospital].major_incident
                                            : state.regions[*region].major_incident;
      if (flag.value != true) {
        return MakeError("invalid_value", "decision",
                         "no major incident is declared for " +
                             (hospital ? config.hospitals[*hospital].name
                                       : config.regions[*region].name) +
                             ", so there is none to stand down");
      }
      return std::nullopt;
    }
    case DecisionKind::kReceivingHospitals: {
      if (d.hospitals.empty() || d.hospitals.size() > 20) {
        return MakeError("invalid_value", "hospitals", "hospitals must list 1-20 hospitals");
      }
      for (std::size_t i = 0; i < d.hospitals.size(); ++i) {
        if (!config.FindHospital(d.hospitals[i])) {
          return MakeError("unknown_hospital", "hospitals",
                           "no hospital '" + d.hospitals[i] + "' in " + config.name);
        }
        if (std::find(d.hospitals.begin(), d.hospitals.begin() + static_cast<std::ptrdiff_t>(i),
                      d.hospitals[i]) != d.hospitals.begin() + static_cast<std::ptrdiff_t>(i)) {
          return MakeError("invalid_value", "hospitals", d.hospitals[i] + " is listed twice");
        }
      }
      return CheckText(d.incident, 200, "incident");
    }
    case DecisionKind::kCapacityJudgement:
      if (!d.judgement) {
        return MakeError("bad_message", "judgement",
                         "judgement is missing: sufficient, strained or insufficient");
      }
      return std::nullopt;
    case DecisionKind::kIcuNeed:
      return CheckCount(d.icu_beds, "icu_beds", 0);
    case DecisionKind::kCapacityShortage:
    case DecisionKind::kSupportRequest:
    case DecisionKind::kSupportOffer: {
      if (!IsResource(d.resource)) {
        return MakeError("invalid_value", "resource",
                         "resource must be a bed type or staff, ambulances, helicopters, blood, "
                         "equipment, other");
      }
      const bool support = d.kind != DecisionKind::kCapacityShortage;
      if (auto error = CheckCount(d.amount, "amount", support ? 1 : 0)) return error;
      if (!support) return std::nullopt;
      if (!config.FindRegion(d.to_region)) {
        return MakeError("unknown_region", "to_region",
                         "no region '" + d.to_region + "' in " + config.name);
      }
      if (d.to_region == d.region) {
        return MakeError("invalid_value", "to_region", "support goes between two regions");
      }
      return std::nullopt;
    }
    case DecisionKind::kReadinessSet:
      break;
  }
  return MakeError("invalid_value", "decision",
                   "a readiness level is set with set_region_readiness or report_capacity");
}

std::optional<Error> CheckTransfer(const HealthcareRegionConfig& config, const SpaceState& state,
                                   const TransferPatients& t) {
  if (!state.exercise_info) {
    return MakeError("not_an_exercise", "space",
                     "patients are moved between hospitals in exercises only");
  }
  auto from = config.FindHospital(t.from);
  if (!from) return MakeError("unknown_hospital", "from", "no hospital '" + t.from + "' in " + config.name);
  if (!config.FindHospital(t.to)) {
    return MakeError("unknown_hospital", "to", "no hospital '" + t.to + "' in " + config.name);
  }
  if (t.from == t.to) return MakeError("invalid_value", "to", "a transfer goes to another hospital");
  std::int64_t total = 0;
  for (Triage priority : kAllTriage) {
    const std::int64_t count = t.patients[Index(priority)];
    const std::string field = "patients." + std::string(WireName(priority));
    if (auto error = CheckFigure(count, field)) return error;
    if (count > state.hospitals[*from].casualties.received[Index(priority)]) {
      return MakeError("invalid_value", field,
                       config.hospitals[*from].name + " has received " +
                           std::to_string(state.hospitals[*from].casualties.received[Index(priority)]) +
                           " " + std::string(WireName(priority)) + ", not " + std::to_string(count));
    }
    total += count;
  }
  if (total == 0) return MakeError("invalid_value", "patients", "a transfer moves at least one patient");
  if (t.burns < 0 || t.burns > t.patients[Index(Triage::kP1)]) {
    return MakeError("invalid_value", "burns", "burns counts burned P1: 0 to the P1 moved");
  }
  if (t.transport_minutes < 0 || t.transport_minutes > 600) {
    return MakeError("invalid_value", "transport_minutes", "transport_minutes must be 0-600");
  }
  return CheckText(t.reason, kMaxReasonLength, "reason");
}

void DispatchWaiting(const HealthcareRegionConfig& config, const SpaceState& state,
                     const DecisionContent& decided, const Command& command,
                     std::vector<Event>& events, const std::string& only_wave) {
  const ExerciseInfo& info = *state.exercise_info;
  const std::int64_t elapsed = command.at - info.start;
  const Seq first = state.seq + 1;
  const std::size_t before = events.size();
  for (const WaitingWave& wave : info.waiting_waves) {
    if (wave.region != decided.region) continue;
    if (!only_wave.empty() && wave.wave != only_wave) continue;
    std::vector<DispatchedPatients> candidates;
    for (const auto& [hospital, minutes] : wave.transport_minutes) {
      if (std::find(decided.hospitals.begin(), decided.hospitals.end(), hospital) !=
          decided.hospitals.end()) {
        candidates.push_back(DispatchedPatients{hospital, {}, minutes, {}});
      }
    }
    if (candidates.empty()) continue;  // none of the decided hospitals can be reached
    PatientCounts waiting{}, burns{};
    for (const PatientGroup& group : info.patients) {
      if (group.wave != wave.wave || !group.hospital.empty()) continue;
      waiting[Index(group.priority)] += group.count;
      burns[Index(group.priority)] += group.burns;
    }
    std::vector<DispatchedPatients> allocations = SuggestDistribution(config, state, waiting, candidates);
    AssignBurns(state, config, burns, allocations);
    for (const DispatchedPatients& allocation : allocations) {
      if (allocation.patients == PatientCounts{}) continue;
      Event dispatched{state.space, first + static_cast<Seq>(events.size() - before), command.at,
                       command.actor, CasualtiesDispatched{wave.wave, wave.location, allocation,
                                                           elapsed + allocation.transport_minutes * 60000},
                       command.inject};
      events.push_back(std::move(dispatched));
    }
  }
}

}  // namespace lagesbild
