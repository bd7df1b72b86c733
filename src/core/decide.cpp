#include <algorithm>
#include <string>
#include <set>

#include "checks.h"

#include "lagesbild/core/core.h"
#include "lagesbild/core/distribution.h"
#include "lagesbild/core/patients.h"
#include "lagesbild/core/permissions.h"
#include "lagesbild/core/scenario.h"
#include "lagesbild/core/time_format.h"

namespace lagesbild {
namespace {


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
                               std::pair{&bed->surge24h, ".surge24h"},
                               std::pair{&bed->surge72h, ".surge72h"}}) {
      if (auto error = CheckFigure(*value, prefix + name)) return error;
    }
    const BedFigure& now = current.beds[Index(type)];
    if (bed->surge72h && *bed->surge72h < bed->surge24h.value_or(now.surge24h)) {
      return MakeError("invalid_value", prefix + ".surge72h",
                       std::string(WireName(type)) + ": surge72h " +
                           std::to_string(*bed->surge72h) + " is below surge24h " +
                           std::to_string(bed->surge24h.value_or(now.surge24h)) +
                           " (the beds within 72 h include those within 24 h)");
    }
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

// Every report judged on its own; any problem refuses them all, each problem named.
Decision DecideImport(const HealthcareRegionConfig& config, const SpaceState& state,
                      const ImportReports& import, Event event) {
  Decision decision;
  std::vector<std::string> problems;
  std::set<std::string> seen;
  if (import.reports.empty()) {
    decision.error = MakeError("empty_report", "", "the import holds no hospital's figures");
    return decision;
  }
  for (const CapacityReport& report : import.reports) {
    std::optional<Error> error = CheckReport(config, state, report);
    if (!error && !seen.insert(report.hospital).second) {
      error = MakeError("invalid_value", "hospital", report.hospital + " is in the document twice");
    }
    if (error) {
      if (!decision.error) decision.error = error;
      problems.push_back(report.hospital + (error->field.empty() ? "" : " " + error->field) + ": " +
                         error->message);
      continue;
    }
    event.body = CapacityReported{report, kViaHave};
    decision.events.push_back(event);
    ++event.seq;
  }
  if (decision.error) {
    decision.events.clear();
    decision.error->message = std::to_string(problems.size()) + " of " +
                              std::to_string(import.reports.size()) +
                              " hospitals' figures refused, so none were taken. First: " +
                              problems.front();
    decision.error->details = std::move(problems);
  }
  return decision;
}

Decision DecideCommand(const HealthcareRegionConfig& config, const SpaceState& state,
                       const Command& command) {
  Decision decision;
  Event event{state.space, state.seq + 1, command.at, command.actor, {}, command.inject};
  if (state.exercise_info && state.exercise_info->status == ExerciseStatus::kStopped) {
    decision.error = MakeError("exercise_stopped", "space",
                               "the exercise " + state.space + " has ended; it can only be read");
    return decision;
  }
  if (auto reason = DenialReason(config, command.actor, command.body, state.exercise)) {
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
  } else if (const auto* sign_in = std::get_if<RecordSignIn>(&command.body)) {
    if (state.space != kAuditSpace) {
      decision.error = MakeError("invalid_value", "space",
                                 std::string("sign-ins are recorded in the space ") + kAuditSpace);
    } else if (sign_in->count < 1) {
      decision.error = MakeError("invalid_value", "count", "a summary counts at least one sign-in");
    }
    event.body = SignInRecorded{TruncateUtf8(sign_in->user, kMaxDeniedTargetBytes),
                                TruncateUtf8(sign_in->address, 64), sign_in->success,
                                TruncateUtf8(sign_in->reason, kMaxReasonLength),
                                TruncateUtf8(sign_in->via, 16), sign_in->count};
  } else if (const auto* report = std::get_if<CapacityReport>(&command.body)) {
    decision.error = CheckReport(config, state, *report);
    if (!decision.error) decision.error = CheckText(report->reason, kMaxReasonLength, "reason");
    event.body = CapacityReported{*report};
  } else if (const auto* import = std::get_if<ImportReports>(&command.body)) {
    return DecideImport(config, state, *import, std::move(event));
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
  } else if (const auto* save = std::get_if<SaveScenario>(&command.body)) {
    if (state.space != kCatalogueSpace) {
      decision.error = MakeError("invalid_value", "space",
                                 std::string("scenarios are saved to the space ") + kCatalogueSpace);
    } else if (auto saved = JudgeSave(config, state.catalogue ? &*state.catalogue : nullptr, *save);
               !saved.ok()) {
      decision.error = saved.error();
    } else {
      event.body = std::move(saved).value();
    }
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

}  // namespace

Decision Decide(const HealthcareRegionConfig& config, const SpaceState& state,
                const Command& command) {
  // A signed-in user's repeat of a command this space has committed (its outbox sent again after
  // the link came back): the original's ack, nothing judged or stored again.
  const bool remembered = command.actor.kind == Actor::Kind::kUser && !command.command_id.empty();
  if (remembered) {
    if (const CommittedCommands::Entry* done = state.committed.Find(command.actor.id, command.command_id)) {
      Decision decision;
      decision.already_done_at = done->seq;
      return decision;
    }
  }
  Decision decision = DecideCommand(config, state, command);
  if (remembered && decision.ok()) {
    for (Event& event : decision.events) event.command_id = command.command_id;
  }
  return decision;
}

}  // namespace lagesbild
