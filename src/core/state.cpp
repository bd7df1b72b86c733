#include <algorithm>
#include <utility>

#include "lagesbild/core/events.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

std::optional<TimeMs> HospitalState::LastReportedAt() const {
  std::optional<TimeMs> newest;
  auto consider = [&newest](const Stamp& stamp) {
    if (stamp.at && (!newest || *stamp.at > *newest)) newest = stamp.at;
  };
  for (const BedFigure& bed : beds) consider(bed.stamp);
  consider(ed_status.stamp);
  for (const auto& rate : reception) consider(rate.stamp);
  consider(readiness.stamp);
  return newest;
}

SpaceState InitialState(const HealthcareRegionConfig& config, std::string space, bool exercise) {
  SpaceState state;
  state.space = std::move(space);
  state.exercise = exercise;
  state.hospitals.resize(config.hospitals.size());
  for (std::size_t h = 0; h < config.hospitals.size(); ++h) {
    HospitalState& hospital = state.hospitals[h];
    for (BedType type : kAllBedTypes) {
      hospital.beds[Index(type)].baseline = config.hospitals[h].beds[Index(type)].baseline;
      hospital.beds[Index(type)].surge24h = config.hospitals[h].beds[Index(type)].surge24h;
      hospital.beds[Index(type)].surge72h = config.hospitals[h].beds[Index(type)].surge72h;
    }
    hospital.readiness.value = ReadinessLevel::kNormal;
  }
  state.regions.resize(config.regions.size());
  for (RegionState& region : state.regions) region.readiness.value = ReadinessLevel::kNormal;
  return state;
}

bool CapacityReport::Empty() const {
  for (const auto& bed : beds) {
    if (bed && (bed->available || bed->baseline || bed->surge24h || bed->surge72h)) return false;
  }
  for (const auto& rate : reception) {
    if (rate) return false;
  }
  return !ed_status && !readiness;
}

std::string_view EventKind(const EventBody& body) {
  struct Visitor {
    std::string_view operator()(const CapacityReported&) const { return "capacity_reported"; }
    std::string_view operator()(const RegionReadinessSet&) const {
      return "region_readiness_set";
    }
    std::string_view operator()(const FiguresConfirmed&) const { return "figures_confirmed"; }
    std::string_view operator()(const MessagePosted&) const { return "message_posted"; }
    std::string_view operator()(const MessageAcknowledged&) const {
      return "message_acknowledged";
    }
    std::string_view operator()(const AccessDenied&) const { return "access_denied"; }
    std::string_view operator()(const ExerciseStarted&) const { return "exercise_started"; }
    std::string_view operator()(const ExerciseClockSet&) const { return "exercise_clock_set"; }
    std::string_view operator()(const CasualtiesDispatched&) const {
      return "casualties_dispatched";
    }
    std::string_view operator()(const CasualtiesArrived&) const { return "casualties_arrived"; }
    std::string_view operator()(const DecisionRecorded&) const { return "decision_recorded"; }
    std::string_view operator()(const CasualtiesAtScene&) const { return "casualties_at_scene"; }
    std::string_view operator()(const PatientsDeteriorated&) const {
      return "patients_deteriorated";
    }
    std::string_view operator()(const PatientsTransferred&) const { return "patients_transferred"; }
    std::string_view operator()(const TransportReported&) const { return "transport_reported"; }
    std::string_view operator()(const ScenarioSaved&) const { return "scenario_saved"; }
    std::string_view operator()(const SignInRecorded&) const { return "sign_in"; }
  };
  return std::visit(Visitor{}, body);
}

std::string EventSubject(const EventBody& body) {
  struct Visitor {
    std::string operator()(const CapacityReported& e) const { return e.report.hospital; }
    std::string operator()(const RegionReadinessSet& e) const { return e.region; }
    std::string operator()(const FiguresConfirmed& e) const { return e.hospital; }
    std::string operator()(const MessagePosted& e) const { return e.from_region; }
    std::string operator()(const MessageAcknowledged& e) const { return e.message_id; }
    std::string operator()(const AccessDenied& e) const { return e.target; }
    std::string operator()(const ExerciseStarted& e) const { return e.start.scenario_id; }
    std::string operator()(const ExerciseClockSet&) const { return ""; }
    std::string operator()(const DecisionRecorded& e) const {
      return e.decision.hospital.empty() ? e.decision.region : e.decision.hospital;
    }
    std::string operator()(const CasualtiesAtScene& e) const { return e.region; }
    std::string operator()(const PatientsDeteriorated& e) const { return e.hospital; }
    std::string operator()(const PatientsTransferred& e) const { return e.transfer.from; }
    std::string operator()(const TransportReported& e) const { return e.report.region; }
    std::string operator()(const ScenarioSaved& e) const { return e.scenario_id; }
    std::string operator()(const SignInRecorded& e) const { return e.user.empty() ? e.address : e.user; }
    std::string operator()(const CasualtiesDispatched& e) const { return e.to.hospital; }
    std::string operator()(const CasualtiesArrived& e) const { return e.hospital; }
  };
  return std::visit(Visitor{}, body);
}

std::string_view WireName(ExerciseStatus status) {
  static constexpr std::string_view kNames[] = {"running", "paused", "stopped"};
  return kNames[static_cast<std::size_t>(status)];
}

std::optional<ExerciseStatus> ParseExerciseStatus(std::string_view name) {
  for (ExerciseStatus status :
       {ExerciseStatus::kRunning, ExerciseStatus::kPaused, ExerciseStatus::kStopped}) {
    if (WireName(status) == name) return status;
  }
  return std::nullopt;
}

std::string MessageId(const std::string& space, Seq seq) {
  return space + ":" + std::to_string(seq);
}

std::vector<std::string> Addressees(const HealthcareRegionConfig& config,
                                    const MessageContent& content) {
  std::vector<std::string> addressees;
  for (const RegionConfig& region : config.regions) {
    if (content.to_all ||
        std::find(content.to.begin(), content.to.end(), region.id) != content.to.end()) {
      addressees.push_back(region.id);
    }
  }
  return addressees;
}

const CommittedCommands::Entry* CommittedCommands::Find(const std::string& user,
                                                      const std::string& command_id) const {
  auto found = by_key_.find(Key{user, command_id});
  return found == by_key_.end() ? nullptr : &found->second;
}

void CommittedCommands::Record(const std::string& user, const std::string& command_id, Seq seq,
                               TimeMs at) {
  auto [it, added] = by_key_.try_emplace(Key{user, command_id}, Entry{seq, at});
  if (!added) {
    it->second.seq = seq;
  } else {
    order_.push_back(it->first);
  }
  // Forget what is older than the window (in the space's time) or beyond the count.
  while (!order_.empty()) {
    auto oldest = by_key_.find(order_.front());
    const bool expired = oldest != by_key_.end() && oldest->second.at < at - kCommittedWindowMs;
    if (order_.size() <= kCommittedKept && !expired && oldest != by_key_.end()) break;
    if (oldest != by_key_.end()) by_key_.erase(oldest);
    order_.pop_front();
  }
}

std::vector<std::string> MessageState::Pending() const {
  std::vector<std::string> pending;
  if (!RequiresAck()) return pending;
  for (const std::string& region : addressees) {
    if (acks.count(region) == 0) pending.push_back(region);
  }
  return pending;
}

std::optional<Seq> MessageSeq(const std::string& space, const std::string& id) {
  const auto colon = id.rfind(':');
  if (colon == std::string::npos || colon + 1 == id.size() || id.compare(0, colon, space) != 0 ||
      colon != space.size()) {
    return std::nullopt;
  }
  Seq seq = 0;
  for (std::size_t i = colon + 1; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9' || i - colon > 18) return std::nullopt;
    seq = seq * 10 + (id[i] - '0');
  }
  return seq;
}

bool MessageMayBeArchived(const SpaceState& state, const std::string& id) {
  const auto seq = MessageSeq(state.space, id);
  return seq && *seq >= 1 && *seq <= state.seq && !state.FindMessage(id);
}

const MessageState* SpaceState::FindMessage(const std::string& id) const {
  const auto seq_of = MessageSeq(space, id);
  if (!seq_of) return nullptr;
  const Seq seq = *seq_of;
  auto it = std::lower_bound(messages.begin(), messages.end(), seq,
                             [](const MessageState& m, Seq s) { return m.seq < s; });
  return it != messages.end() && it->seq == seq ? &*it : nullptr;
}

MessageState* SpaceState::FindMessage(const std::string& id) {
  return const_cast<MessageState*>(std::as_const(*this).FindMessage(id));
}

}  // namespace lagesbild
