#include <algorithm>
#include <string>

#include "lagesbild/core/core.h"
#include "lagesbild/core/distribution.h"
#include "lagesbild/core/patients.h"
#include "lagesbild/core/permissions.h"
#include "lagesbild/core/scenario.h"
#include "lagesbild/core/time_format.h"

namespace lagesbild {
namespace {

std::optional<Error> CheckFigure(const std::optional<std::int64_t>& value,
                                 const std::string& field) {
  if (value && (*value < 0 || *value > kMaxFigure)) {
    return MakeError("invalid_value", field,
                     field + ": " + std::to_string(*value) + " is outside 0-" +
                         std::to_string(kMaxFigure));
  }
  return std::nullopt;
}

std::optional<Error> CheckReport(const HealthcareRegionConfig& config, const SpaceState& state,
                                 const CapacityReport& report) {
  auto index = config.FindHospital(report.hospital);
  if (!index) {
    return MakeError("unknown_hospital", "hospital",
                     "no hospital '" + report.hospital + "' in " + config.name);
  }
  if (report.Empty()) {
    return MakeError("empty_report", "", "the report for " + config.hospitals[*index].name +
                                             " contains no figures");
  }
  const HospitalState& current = state.hospitals[*index];
  for (BedType type : kAllBedTypes) {
    const auto& bed = report.beds[Index(type)];
    if (!bed) continue;
    const std::string prefix = "beds." + std::string(WireName(type));
    for (auto [value, name] : {std::pair{&bed->available, ".available"},
                               std::pair{&bed->baseline, ".baseline"},
                               std::pair{&bed->surge24h, ".surge24h"}}) {
      if (auto error = CheckFigure(*value, prefix + name)) return error;
    }
    const BedFigure& now = current.beds[Index(type)];
    const auto available = bed->available ? bed->available : now.available;
    const std::int64_t baseline = bed->baseline.value_or(now.baseline);
    const std::int64_t surge = bed->surge24h.value_or(now.surge24h);
    if (available && *available > baseline + surge) {
      return MakeError("over_capacity", prefix + ".available",
                       std::string(WireName(type)) + ": " + std::to_string(*available) +
                           " available is more than baseline " + std::to_string(baseline) +
                           " + surge " + std::to_string(surge));
    }
  }
  for (Triage priority : kAllTriage) {
    if (auto error = CheckFigure(report.reception[Index(priority)],
                                 "reception." + std::string(WireName(priority)))) {
      return error;
    }
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

std::optional<Error> CheckMessage(const HealthcareRegionConfig& config,
                                  const MessageContent& content) {
  if (!content.to_all && content.to.empty()) {
    return MakeError("bad_message", "to", "to must be \"all\" or a list of regions");
  }
  for (const std::string& region : content.to) {
    if (!config.FindRegion(region)) {
      return MakeError("unknown_region", "to",
                       "no region '" + region + "' in " + config.name);
    }
  }
  const bool methane = content.kind == MessageKind::kMethane;
  if (!methane && content.text.empty()) {
    return MakeError("bad_message", "text", "text is missing: a message needs a text");
  }
  if (auto error = CheckText(content.text, 4000, "text")) return error;
  if (!content.fields.empty() && content.kind != MessageKind::kSituationReport) {
    return MakeError("bad_message", "fields", "fields belong to a situation_report only");
  }
  if (content.fields.size() > 20) {
    return MakeError("invalid_value", "fields", "at most 20 fields are allowed");
  }
  for (const auto& [key, value] : content.fields) {
    if (key.empty() || Utf8Length(key) > 40) {
      return MakeError("invalid_value", "fields", "field names must be 1-40 characters");
    }
    if (auto error = CheckText(value, 500, "fields." + key)) return error;
  }
  if (methane != content.methane.has_value()) {
    return MakeError("bad_message", "methane",
                     methane ? "a methane report needs its methane fields"
                             : "methane fields belong to a methane report only");
  }
  if (content.methane) {
    bool any = false;
    for (std::size_t i = 0; i < kMethaneFields.size(); ++i) {
      const std::string field = "methane." + std::string(kMethaneFields[i]);
      if (auto error = CheckText((*content.methane)[i], 500, field)) return error;
      any = any || !(*content.methane)[i].empty();
    }
    if (!any) return MakeError("bad_message", "methane", "every METHANE field is empty");
  }
  const bool alert = content.kind == MessageKind::kAlert;
  if (!content.sender.empty() &&
      std::find(kMessageSenders.begin(), kMessageSenders.end(), content.sender) ==
          kMessageSenders.end()) {
    return MakeError("invalid_value", "sender",
                     "sender must be sos_alarm, scene_command, socialstyrelsen or rssl");
  }
  if (alert != content.level.has_value()) {
    return MakeError("bad_message", "level",
                     alert ? "an alert needs the readiness level it raises (level)"
                           : "level belongs to an alert only");
  }
  return std::nullopt;
}

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

// A region's decision on receiving hospitals sends off its waves waiting at the scene: over the
// decided hospitals that have a transport time from the scene, as SuggestDistribution would.
// `state` already holds `events` (their seqs follow it); `only_wave`: that wave alone.
void DispatchWaiting(const HealthcareRegionConfig& config, const SpaceState& state,
                     const DecisionContent& decided, const Command& command,
                     std::vector<Event>& events, const std::string& only_wave = "") {
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

}  // namespace

Decision Decide(const HealthcareRegionConfig& config, const SpaceState& state,
                const Command& command) {
  Decision decision;
  Event event{state.space, state.seq + 1, command.at, command.actor, {}, command.inject};
  if (state.exercise_info && state.exercise_info->status == ExerciseStatus::kStopped) {
    decision.error = MakeError("exercise_stopped", "space",
                               "the exercise " + state.space + " has ended; it can only be read");
    return decision;
  }
  if (auto reason = DenialReason(config, command.actor, command.body)) {
    decision.error = MakeError("forbidden", "", *reason);
    event.body = AccessDenied{std::string(CommandName(command.body)),
                              TruncateUtf8(CommandTarget(command.body), kMaxDeniedTargetBytes),
                              *reason};
    decision.events.push_back(std::move(event));
    return decision;
  }
  if (const auto* refusals = std::get_if<RecordRefusals>(&command.body)) {
    if (refusals->count < 1) {
      decision.error = MakeError("invalid_value", "count", "a summary counts at least one refusal");
    }
    event.body = AccessDenied{TruncateUtf8(refusals->commands, kMaxDeniedTargetBytes),
                              TruncateUtf8(refusals->user, kMaxDeniedTargetBytes),
                              std::to_string(refusals->count) + " further refusals of '" +
                                  TruncateUtf8(refusals->user, kMaxDeniedTargetBytes) + "' from " +
                                  FormatUtc(refusals->from) + " to " + FormatUtc(refusals->to) +
                                  ", counted and not stored one by one",
                              refusals->count};
  } else if (const auto* report = std::get_if<CapacityReport>(&command.body)) {
    decision.error = CheckReport(config, state, *report);
    if (!decision.error) decision.error = CheckText(report->reason, kMaxReasonLength, "reason");
    event.body = CapacityReported{*report};
  } else if (const auto* decided = std::get_if<RecordDecision>(&command.body)) {
    decision.error = CheckDecision(config, state, decided->decision);
    event.body = DecisionRecorded{decided->decision};
    if (!decision.error && decided->decision.kind == DecisionKind::kReceivingHospitals &&
        state.exercise_info) {
      decision.events.push_back(std::move(event));
      SpaceState after = state;  // with the decision applied, so seqs follow it
      if (!Apply(config, after, decision.events.back())) {
        DispatchWaiting(config, after, decided->decision, command, decision.events);
      }
      return decision;
    }
  } else if (const auto* readiness = std::get_if<SetRegionReadiness>(&command.body)) {
    if (!config.FindRegion(readiness->region)) {
      decision.error = MakeError("unknown_region", "region",
                                 "no region '" + readiness->region + "' in " + config.name);
    }
    if (!decision.error) decision.error = CheckText(readiness->reason, kMaxReasonLength, "reason");
    event.body = RegionReadinessSet{readiness->region, readiness->level, readiness->reason};
  } else if (const auto* confirm = std::get_if<ConfirmFigures>(&command.body)) {
    auto index = config.FindHospital(confirm->hospital);
    if (!index) {
      decision.error = MakeError("unknown_hospital", "hospital",
                                 "no hospital '" + confirm->hospital + "' in " + config.name);
    } else if (!state.hospitals[*index].LastReportedAt()) {
      decision.error = MakeError("empty_report", "hospital",
                                 config.hospitals[*index].name +
                                     " has reported nothing yet, so there is nothing to confirm");
    }
    event.body = FiguresConfirmed{confirm->hospital};
  } else if (const auto* post = std::get_if<PostMessage>(&command.body)) {
    decision.error = CheckMessage(config, post->content);
    const bool from_region =
        command.actor.kind == Actor::Kind::kUser && command.actor.role == Role::kReporter;
    const bool scripted = command.actor.kind != Actor::Kind::kUser;
    if (scripted && !post->as_region.empty() && !config.FindRegion(post->as_region)) {
      decision.error = MakeError("unknown_region", "from", "no region '" + post->as_region + "'");
    }
    event.body = MessagePosted{from_region ? command.actor.region
                               : scripted  ? post->as_region
                                           : "",
                               post->content};
  } else if (const auto* start = std::get_if<StartExercise>(&command.body)) {
    if (!state.exercise || state.seq != 0) {
      decision.error = MakeError("space_exists", "space",
                                 "space '" + state.space + "' exists already");
    }
    for (const CapacityReport& report : start->baseline_reports) {
      if (!decision.error) decision.error = CheckReport(config, state, report);
    }
    for (const auto& [region, level] : start->baseline_regions) {
      if (!decision.error && !config.FindRegion(region)) {
        decision.error = MakeError("unknown_region", "baseline", "no region '" + region + "'");
      }
    }
    event.body = ExerciseStarted{*start};
  } else if (const auto* clock = std::get_if<SetExerciseClock>(&command.body)) {
    const auto status = ParseExerciseStatus(clock->status);
    if (!state.exercise_info) {
      decision.error = MakeError("not_an_exercise", "space", state.space + " is not an exercise");
    } else if (!status) {
      decision.error = MakeError("invalid_value", "status", "status must be running, paused or stopped");
    } else if (clock->speed < 1 || clock->speed > 60) {
      decision.error = MakeError("invalid_value", "speed", "speed must be 1-60");
    } else if (clock->elapsed_ms < state.exercise_info->elapsed_ms) {
      decision.error = MakeError("invalid_value", "to", "exercise time never goes backwards");
    }
    event.body = ExerciseClockSet{*clock};
  } else if (const auto* wave = std::get_if<PlayCasualtyWave>(&command.body)) {
    if (!state.exercise_info) {
      decision.error = MakeError("not_an_exercise", "space", state.space + " is not an exercise");
      return decision;
    }
    for (const DispatchedPatients& allocation : wave->allocations) {
      if (!config.FindHospital(allocation.hospital)) {
        decision.error = MakeError("unknown_hospital", "hospital",
                                   "no hospital '" + allocation.hospital + "'");
        return decision;
      }
    }
    if (wave->on_decision) {
      // The patients wait at the scene for the region's decision on receiving hospitals.
      std::vector<std::pair<std::string, std::int64_t>> transport;
      for (const DispatchedPatients& candidate : wave->allocations) {
        transport.emplace_back(candidate.hospital, candidate.transport_minutes);
      }
      event.body = CasualtiesAtScene{wave->wave, wave->location, wave->region, wave->casualties,
                                     wave->burns, wave->deceased, std::move(transport)};
      decision.events.push_back(std::move(event));
      // Decided already (e.g. at the larm): the patients go at once to the decided hospitals.
      auto region = config.FindRegion(wave->region);
      if (region && !state.regions[*region].receiving_hospitals.empty()) {
        SpaceState after = state;
        if (!Apply(config, after, decision.events.back())) {
          DecisionContent decided;
          decided.kind = DecisionKind::kReceivingHospitals;
          decided.region = wave->region;
          decided.hospitals = state.regions[*region].receiving_hospitals;
          DispatchWaiting(config, after, decided, command, decision.events, wave->wave);
        }
      }
      return decision;
    }
    std::vector<DispatchedPatients> allocations =
        wave->suggest ? SuggestDistribution(config, state, wave->casualties, wave->allocations)
                      : wave->allocations;
    AssignBurns(state, config, wave->burns, allocations);
    for (const DispatchedPatients& allocation : allocations) {
      if (allocation.patients == PatientCounts{}) continue;
      Event dispatched = event;
      dispatched.seq = state.seq + 1 + static_cast<Seq>(decision.events.size());
      dispatched.body = CasualtiesDispatched{wave->wave, wave->location, allocation,
                                             wave->elapsed_ms + allocation.transport_minutes * 60000};
      decision.events.push_back(std::move(dispatched));
    }
    return decision;
  } else if (const auto* advance = std::get_if<AdvanceArrivals>(&command.body)) {
    if (!state.exercise_info) {
      decision.error = MakeError("not_an_exercise", "space", state.space + " is not an exercise");
      return decision;
    }
    // Arrivals and deteriorations due by then, in time order, each at its own exercise time:
    // played on a copy so each one sees the groups the one before left.
    auto next = NextPatientEvent(*state.exercise_info);
    if (!next || next->at_ms > advance->elapsed_ms) return decision;
    SpaceState copy = state;
    for (std::size_t step = 0; next && next->at_ms <= advance->elapsed_ms && step < 100000; ++step) {
      Event due = event;
      due.seq = copy.seq + 1;
      due.at = copy.exercise_info->start + next->at_ms;
      due.body = std::move(next->body);
      if (Apply(config, copy, due)) break;  // cannot happen: the events are made from `copy`
      decision.events.push_back(std::move(due));
      next = NextPatientEvent(*copy.exercise_info);
    }
    return decision;
  } else if (const auto* transfer = std::get_if<TransferPatients>(&command.body)) {
    decision.error = CheckTransfer(config, state, *transfer);
    event.body = PatientsTransferred{*transfer};
  } else if (const auto* transport = std::get_if<TransportReport>(&command.body)) {
    const TransportReport& r = *transport;
    if (!config.FindRegion(r.region)) {
      decision.error = MakeError("unknown_region", "region", "no region '" + r.region + "' in " + config.name);
    } else if (!r.ambulances_available && !r.ambulances_committed && !r.helicopters_available &&
               !r.helicopters_committed) {
      decision.error = MakeError("empty_report", "", "the report contains no figures");
    }
    for (auto [value, field] : {std::pair{&r.ambulances_available, "ambulances.available"},
                                std::pair{&r.ambulances_committed, "ambulances.committed"},
                                std::pair{&r.helicopters_available, "helicopters.available"},
                                std::pair{&r.helicopters_committed, "helicopters.committed"}}) {
      if (!decision.error) decision.error = CheckFigure(*value, field);
    }
    event.body = TransportReported{r};
  } else if (const auto* ack = std::get_if<Acknowledge>(&command.body)) {
    const std::string region = ack->region.empty() ? command.actor.region : ack->region;
    const MessageState* message = state.FindMessage(ack->message_id);
    if (!message) {
      decision.error = MakeError(
          "unknown_message", "message",
          MessageMayBeArchived(state, ack->message_id)
              ? "no open message '" + ack->message_id + "' in " + state.space +
                    ": it is closed or archived (see GET /api/messages)"
              : "no message '" + ack->message_id + "' in " + state.space);
    } else if (region.empty()) {
      decision.error = MakeError("bad_message", "region",
                                 "region is missing: say which region acknowledges");
    } else if (!config.FindRegion(region)) {
      decision.error = MakeError("unknown_region", "region",
                                 "no region '" + region + "' in " + config.name);
    } else if (!message->RequiresAck() ||
               std::find(message->addressees.begin(), message->addressees.end(), region) ==
                   message->addressees.end()) {
      decision.error = MakeError(
          "not_addressed", "message",
          message->RequiresAck() ? "message " + ack->message_id + " is not addressed to " + region
                                 : "message " + ack->message_id + " needs no acknowledgement");
    } else if (auto done = message->acks.find(region); done != message->acks.end()) {
      decision.already_done_at = done->second.seq;  // harmless repeat: nothing new to store
      return decision;
    }
    event.body = MessageAcknowledged{ack->message_id, region};
  }
  if (decision.ok()) decision.events.push_back(std::move(event));
  return decision;
}

}  // namespace lagesbild
