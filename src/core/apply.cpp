#include <algorithm>

#include "lagesbild/core/core.h"
#include "lagesbild/core/patients.h"

namespace lagesbild {
namespace {

void ApplyReport(const CapacityReport& report, const Stamp& stamp, HospitalState& hospital) {
  for (BedType type : kAllBedTypes) {
    const auto& bed = report.beds[Index(type)];
    if (!bed) continue;
    BedFigure& figure = hospital.beds[Index(type)];
    if (bed->available) figure.available = bed->available;
    if (bed->baseline) figure.baseline = *bed->baseline;
    if (bed->surge24h) figure.surge24h = *bed->surge24h;
    if (bed->surge72h) figure.surge72h = *bed->surge72h;
    // A raised 24-h figure raises the 72-h one it is part of (decide refuses a 72-h figure
    // below the 24-h one when both are sent).
    figure.surge72h = std::max(figure.surge72h, figure.surge24h);
    figure.stamp = stamp;
  }
  if (report.ed_status) hospital.ed_status = {report.ed_status, stamp};
  for (Triage priority : kAllTriage) {
    if (const auto& rate = report.reception[Index(priority)]) {
      hospital.reception[Index(priority)] = {rate, stamp};
    }
  }
  if (report.readiness) hospital.readiness = {report.readiness, stamp};
}

void ConfirmReported(const Stamp& stamp, HospitalState& hospital) {
  for (BedFigure& bed : hospital.beds) {
    if (bed.stamp.at) bed.stamp = stamp;
  }
  if (hospital.ed_status.stamp.at) hospital.ed_status.stamp = stamp;
  for (auto& rate : hospital.reception) {
    if (rate.stamp.at) rate.stamp = stamp;
  }
  if (hospital.readiness.stamp.at) hospital.readiness.stamp = stamp;
}

// Keeps the kRecentMessagesKept newest messages and the kOpenMessagesKept newest open ones.
void PruneMessages(std::vector<MessageState>& messages) {
  std::size_t recent = 0, open = 0;
  std::vector<bool> keep(messages.size());
  for (std::size_t i = messages.size(); i-- > 0;) {
    const bool is_open = !messages[i].Pending().empty();
    keep[i] = recent++ < kRecentMessagesKept || (is_open && open < kOpenMessagesKept);
    if (is_open) ++open;
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (keep[i]) {
      if (kept != i) messages[kept] = std::move(messages[i]);
      ++kept;
    }
  }
  messages.resize(kept);
}

void KeepDecision(const HealthcareRegionConfig& config, const Event& event,
                    std::vector<DecisionRecord>& decisions) {
  std::optional<DecisionRecord> record = DecisionOf(config, event);
  if (!record) return;
  decisions.push_back(std::move(*record));
  if (decisions.size() > kDecisionsKept) {
    decisions.erase(decisions.begin(),
                    decisions.begin() + static_cast<std::ptrdiff_t>(decisions.size() - kDecisionsKept));
  }
}

}  // namespace

std::optional<DecisionRecord> DecisionOf(const HealthcareRegionConfig& config, const Event& event) {
  DecisionRecord record{event.seq, event.at, event.actor.id, event.actor.kind, {}};
  if (const auto* decided = std::get_if<DecisionRecorded>(&event.body)) {
    record.content = decided->decision;
  } else if (const auto* readiness = std::get_if<RegionReadinessSet>(&event.body)) {
    record.content.kind = DecisionKind::kReadinessSet;
    record.content.region = readiness->region;
    record.content.level = readiness->level;
    record.content.reason = readiness->reason;
  } else if (const auto* reported = std::get_if<CapacityReported>(&event.body);
             reported && reported->report.readiness) {
    record.content.kind = DecisionKind::kReadinessSet;
    record.content.hospital = reported->report.hospital;
    if (auto index = config.FindHospital(reported->report.hospital)) {
      record.content.region = config.hospitals[*index].region_id;
    }
    record.content.level = reported->report.readiness;
    record.content.reason = reported->report.reason;
  } else {
    return std::nullopt;
  }
  return record;
}

void RecordAcknowledgement(MessageState& message, const Event& event,
                           const MessageAcknowledged& ack) {
  message.acks[ack.region] = Acknowledgement{Stamp{event.at, event.actor.id}, event.seq};
}

MessageState PostedMessage(const HealthcareRegionConfig& config, const Event& event,
                           const MessagePosted& posted) {
  MessageState message;
  message.seq = event.seq;
  message.at = event.at;
  message.from_region = posted.from_region;
  message.sent_by = event.actor.id;
  message.scripted = event.actor.kind == Actor::Kind::kScenario;
  message.content = posted.content;
  message.addressees = Addressees(config, posted.content);
  return message;
}

std::optional<Error> Apply(const HealthcareRegionConfig& config, SpaceState& state,
                           const Event& event) {
  if (event.space != state.space || event.seq != state.seq + 1) {
    return MakeError("out_of_sequence", "seq",
                     "event " + event.space + "#" + std::to_string(event.seq) +
                         " does not follow " + state.space + "#" + std::to_string(state.seq));
  }
  const Stamp stamp{event.at, event.actor.id};
  if (const auto* reported = std::get_if<CapacityReported>(&event.body)) {
    auto index = config.FindHospital(reported->report.hospital);
    if (!index) {
      return MakeError("unknown_hospital", "hospital",
                       "event names hospital '" + reported->report.hospital +
                           "', which the configuration does not have");
    }
    ApplyReport(reported->report, stamp, state.hospitals[*index]);
  } else if (const auto* decided = std::get_if<DecisionRecorded>(&event.body)) {
    const DecisionContent& decision = decided->decision;
    auto region = config.FindRegion(decision.region);
    auto hospital = decision.hospital.empty() ? std::nullopt : config.FindHospital(decision.hospital);
    if (!region || (!decision.hospital.empty() && !hospital)) {
      return MakeError("unknown_region", "region",
                       "event names region '" + decision.region + "' or hospital '" +
                           decision.hospital + "', which the configuration does not have");
    }
    if (decision.kind == DecisionKind::kReceivingHospitals) {
      state.regions[*region].receiving_hospitals = decision.hospitals;
    }
    if (decision.kind == DecisionKind::kMajorIncidentDeclared ||
        decision.kind == DecisionKind::kMajorIncidentStoodDown) {
      const Reported<bool> flag{decision.kind == DecisionKind::kMajorIncidentDeclared, stamp};
      if (hospital) {
        state.hospitals[*hospital].major_incident = flag;
      } else {
        state.regions[*region].major_incident = flag;
      }
    }
  } else if (const auto* readiness = std::get_if<RegionReadinessSet>(&event.body)) {
    auto index = config.FindRegion(readiness->region);
    if (!index) {
      return MakeError("unknown_region", "region",
                       "event names region '" + readiness->region +
                           "', which the configuration does not have");
    }
    state.regions[*index].readiness = {readiness->level, stamp};
  } else if (const auto* confirmed = std::get_if<FiguresConfirmed>(&event.body)) {
    auto index = config.FindHospital(confirmed->hospital);
    if (!index) {
      return MakeError("unknown_hospital", "hospital",
                       "event names hospital '" + confirmed->hospital +
                           "', which the configuration does not have");
    }
    ConfirmReported(stamp, state.hospitals[*index]);
  } else if (const auto* posted = std::get_if<MessagePosted>(&event.body)) {
    state.messages.push_back(PostedMessage(config, event, *posted));
    ++state.messages_posted;
    PruneMessages(state.messages);
  } else if (const auto* acknowledged = std::get_if<MessageAcknowledged>(&event.body)) {
    MessageState* message = state.FindMessage(acknowledged->message_id);
    if (!message) {
      // Decide() only acknowledges messages the state holds; a log written before messages were
      // archived may acknowledge one that is archived now, which changes nothing kept.
      if (!MessageMayBeArchived(state, acknowledged->message_id)) {
        return MakeError("unknown_message", "message",
                         "event acknowledges unknown message '" + acknowledged->message_id + "'");
      }
    } else {
      RecordAcknowledgement(*message, event, *acknowledged);
      PruneMessages(state.messages);
    }
  } else if (const auto* started = std::get_if<ExerciseStarted>(&event.body)) {
    const StartExercise& start = started->start;
    ExerciseInfo info;
    info.scenario_id = start.scenario_id;
    info.scenario_name = start.scenario_name;
    info.start = event.at;
    info.planned_ms = start.planned_ms;
    info.status = start.paused ? ExerciseStatus::kPaused : ExerciseStatus::kRunning;
    info.deterioration = start.deterioration;
    info.burns_need_icu = start.burns_need_icu;
    info.scenario_version = start.scenario_version;
    info.scenario_digest = start.scenario_digest;
    info.dry_run = start.dry_run;
    if (start.dry_run) info.speed = kDryRunSpeed;
    state.exercise_info = info;
    const Stamp baseline{event.at, "baseline"};
    for (const CapacityReport& report : start.baseline_reports) {
      if (auto index = config.FindHospital(report.hospital)) {
        ApplyReport(report, baseline, state.hospitals[*index]);
      }
    }
    for (const auto& [region, level] : start.baseline_regions) {
      if (auto index = config.FindRegion(region)) state.regions[*index].readiness = {level, baseline};
    }
  } else if (const auto* clock = std::get_if<ExerciseClockSet>(&event.body)) {
    if (!state.exercise_info) return MakeError("not_an_exercise", "space", "clock of a non-exercise");
    state.exercise_info->status =
        ParseExerciseStatus(clock->clock.status).value_or(ExerciseStatus::kPaused);
    state.exercise_info->speed = clock->clock.speed;
    state.exercise_info->elapsed_ms = clock->clock.elapsed_ms;
  } else if (const auto* dispatched = std::get_if<CasualtiesDispatched>(&event.body)) {
    auto index = config.FindHospital(dispatched->to.hospital);
    if (!index || !state.exercise_info) {
      return MakeError("unknown_hospital", "hospital", "dispatch to '" + dispatched->to.hospital + "'");
    }
    Casualties& casualties = state.hospitals[*index].casualties;
    for (std::size_t p = 0; p < casualties.incoming.size(); ++p) {
      casualties.incoming[p] += dispatched->to.patients[p];
    }
    AddDispatch(*state.exercise_info, *dispatched);
  } else if (const auto* arrived = std::get_if<CasualtiesArrived>(&event.body)) {
    auto index = config.FindHospital(arrived->hospital);
    if (!index || !state.exercise_info) {
      return MakeError("unknown_hospital", "hospital", "arrival at '" + arrived->hospital + "'");
    }
    RemoveArrival(*state.exercise_info, *arrived);
    ReceivePatients(arrived->patients, arrived->burns, state.exercise_info->burns_need_icu, stamp,
                    state.hospitals[*index]);
  } else if (const auto* scene = std::get_if<CasualtiesAtScene>(&event.body)) {
    if (!state.exercise_info) return MakeError("not_an_exercise", "space", "patients outside an exercise");
    AddWaitingWave(*state.exercise_info, *scene, event.at - state.exercise_info->start);
  } else if (const auto* worse = std::get_if<PatientsDeteriorated>(&event.body)) {
    if (!state.exercise_info) return MakeError("not_an_exercise", "space", "patients outside an exercise");
    if (auto index = worse->hospital.empty() ? std::nullopt : config.FindHospital(worse->hospital)) {
      auto& incoming = state.hospitals[*index].casualties.incoming;
      incoming[Index(worse->from)] = std::max<std::int64_t>(0, incoming[Index(worse->from)] - worse->count);
      if (worse->to) incoming[Index(*worse->to)] += worse->count;
    }
    ApplyDeterioration(*state.exercise_info, *worse, event.at - state.exercise_info->start);
  } else if (const auto* transferred = std::get_if<PatientsTransferred>(&event.body)) {
    const TransferPatients& t = transferred->transfer;
    auto from = config.FindHospital(t.from);
    auto to = config.FindHospital(t.to);
    if (!from || !to || !state.exercise_info) {
      return MakeError("unknown_hospital", "hospital", "transfer " + t.from + " -> " + t.to);
    }
    ReleasePatients(t, state.exercise_info->burns_need_icu, stamp, state.hospitals[*from]);
    for (std::size_t p = 0; p < kAllTriage.size(); ++p) {
      state.hospitals[*to].casualties.incoming[p] += t.patients[p];
    }
    AddTransfer(*state.exercise_info, *transferred, event.seq, event.at - state.exercise_info->start);
  } else if (const auto* transport = std::get_if<TransportReported>(&event.body)) {
    auto index = config.FindRegion(transport->report.region);
    if (!index) {
      return MakeError("unknown_region", "region",
                       "event names region '" + transport->report.region + "'");
    }
    TransportFigures& figures = state.regions[*index].transport;
    const TransportReport& r = transport->report;
    for (auto [value, figure] : {std::pair{&r.ambulances_available, &figures.ambulances_available},
                                 std::pair{&r.ambulances_committed, &figures.ambulances_committed},
                                 std::pair{&r.helicopters_available, &figures.helicopters_available},
                                 std::pair{&r.helicopters_committed, &figures.helicopters_committed}}) {
      if (*value) *figure = {*value, stamp};
    }
  } else if (const auto* saved = std::get_if<ScenarioSaved>(&event.body)) {
    ApplySaved(state.catalogue, event, *saved);
  }
  KeepDecision(config, event, state.decisions);
  // A user's command, by its id: a repeat of it is answered as already done (Decide).
  if (!event.command_id.empty() && event.actor.kind == Actor::Kind::kUser &&
      !std::holds_alternative<AccessDenied>(event.body)) {
    state.committed.Record(event.actor.id, event.command_id, event.seq, event.at);
  }
  state.seq = event.seq;
  state.at = event.at;
  return std::nullopt;
}

}  // namespace lagesbild
