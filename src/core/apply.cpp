#include <algorithm>

#include "lagesbild/core/core.h"

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

// Patients take capacity: each P1 an IVA bed, each P2 a vårdplats, while any are free. More P1
// than free IVA beds, or more patients in the last hour than the reported reception capacity,
// is over capacity.
void ReceivePatients(const PatientCounts& patients, const Stamp& stamp, HospitalState& hospital) {
  Casualties& casualties = hospital.casualties;
  std::optional<OverCapacity> reason;
  for (auto [priority, type] : {std::pair{Triage::kP1, BedType::kAdultICU},
                                std::pair{Triage::kP2, BedType::kMedicalSurgical}}) {
    BedFigure& bed = hospital.beds[Index(type)];
    const std::int64_t count = patients[Index(priority)];
    if (count == 0) continue;
    const std::int64_t free = bed.available.value_or(0);
    if (priority == Triage::kP1 && count > free) {
      reason = OverCapacity{OverCapacity::Kind::kIcuShort, Triage::kP1, count, free};
    }
    bed.available = std::max<std::int64_t>(0, free - count);
    bed.stamp = stamp;
  }
  const TimeMs now = stamp.at.value_or(0);
  casualties.arrivals.emplace_back(now, patients);
  // Only the last hour counts below; older arrivals would only grow the state.
  while (!casualties.arrivals.empty() && now - casualties.arrivals.front().first >= kArrivalWindowMs) {
    casualties.arrivals.erase(casualties.arrivals.begin());
  }
  for (Triage priority : kAllTriage) {
    const std::size_t p = Index(priority);
    casualties.incoming[p] = std::max<std::int64_t>(0, casualties.incoming[p] - patients[p]);
    casualties.received[p] += patients[p];
    std::int64_t last_hour = 0;
    for (const auto& [at, counts] : casualties.arrivals) {
      if (now - at < 3600000) last_hour += counts[p];
    }
    const auto& rate = hospital.reception[p].value;
    if (!reason && rate && last_hour > *rate) {
      reason = OverCapacity{OverCapacity::Kind::kReceptionRate, priority, last_hour, *rate};
    }
  }
  casualties.over_capacity = reason;
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
    auto& pending = state.exercise_info->pending_arrivals;
    const auto position = std::upper_bound(
        pending.begin(), pending.end(), dispatched->due_elapsed_ms,
        [](std::int64_t due, const PendingArrival& a) { return due < a.due_elapsed_ms; });
    pending.insert(position, PendingArrival{dispatched->due_elapsed_ms, dispatched->wave,
                                            dispatched->to.hospital, dispatched->to.patients});
  } else if (const auto* arrived = std::get_if<CasualtiesArrived>(&event.body)) {
    auto index = config.FindHospital(arrived->hospital);
    if (!index || !state.exercise_info) {
      return MakeError("unknown_hospital", "hospital", "arrival at '" + arrived->hospital + "'");
    }
    auto& pending = state.exercise_info->pending_arrivals;
    auto match = std::find_if(pending.begin(), pending.end(), [&](const PendingArrival& a) {
      return a.wave == arrived->wave && a.hospital == arrived->hospital;
    });
    if (match != pending.end()) pending.erase(match);
    ReceivePatients(arrived->patients, stamp, state.hospitals[*index]);
  }
  KeepDecision(config, event, state.decisions);
  state.seq = event.seq;
  return std::nullopt;
}

}  // namespace lagesbild
