#include "lagesbild/core/review.h"

#include <algorithm>
#include <map>
#include <set>

#include "lagesbild/core/core.h"
#include "lagesbild/core/indicators.h"
#include "lagesbild/core/time_format.h"

namespace lagesbild {
namespace {

bool ByParticipant(const Event& event) { return event.actor.kind == Actor::Kind::kUser; }

// What happened, as data: the event's kind and the fields a reader needs (the page words it).
Json Summary(const HealthcareRegionConfig& config, const Event& event) {
  Json out{{"kind", EventKind(event.body)}};
  const auto put_hospital = [&](const std::string& id) {
    auto index = config.FindHospital(id);
    out["hospital"] = id;
    out["hospital_name"] = index ? config.hospitals[*index].name : id;
  };
  if (const auto* reported = std::get_if<CapacityReported>(&event.body)) {
    put_hospital(reported->report.hospital);
  } else if (const auto* confirmed = std::get_if<FiguresConfirmed>(&event.body)) {
    put_hospital(confirmed->hospital);
  } else if (const auto* readiness = std::get_if<RegionReadinessSet>(&event.body)) {
    out["region"] = readiness->region;
    out["level"] = WireName(readiness->level);
  } else if (const auto* posted = std::get_if<MessagePosted>(&event.body)) {
    out["message_kind"] = WireName(posted->content.kind);
    out["text"] = TruncateUtf8(posted->content.text, 80);
  } else if (const auto* acknowledged = std::get_if<MessageAcknowledged>(&event.body)) {
    out["region"] = acknowledged->region;
    out["message"] = acknowledged->message_id;
  } else if (const auto* dispatched = std::get_if<CasualtiesDispatched>(&event.body)) {
    put_hospital(dispatched->to.hospital);
    out["patients"] = PatientsToJson(dispatched->to.patients);
  } else if (const auto* arrived = std::get_if<CasualtiesArrived>(&event.body)) {
    put_hospital(arrived->hospital);
  } else if (const auto* clock = std::get_if<ExerciseClockSet>(&event.body)) {
    out["status"] = clock->clock.status;
    out["speed"] = clock->clock.speed;
  } else if (const auto* scene = std::get_if<CasualtiesAtScene>(&event.body)) {
    out["location"] = scene->location;
    out["region"] = scene->region;
    out["patients"] = PatientsToJson(scene->patients);
  } else if (const auto* worse = std::get_if<PatientsDeteriorated>(&event.body)) {
    out["wave"] = worse->wave;
    out["from"] = WireName(worse->from);
    out["to"] = worse->to ? Json(std::string(WireName(*worse->to))) : Json("deceased");
    out["count"] = worse->count;
    if (!worse->hospital.empty()) put_hospital(worse->hospital);
  } else if (const auto* transferred = std::get_if<PatientsTransferred>(&event.body)) {
    const TransferPatients& t = transferred->transfer;
    put_hospital(t.from);
    auto to = config.FindHospital(t.to);
    out["to"] = t.to;
    out["to_name"] = to ? config.hospitals[*to].name : t.to;
    out["patients"] = PatientsToJson(t.patients);
    out["mode"] = t.helicopter ? "helicopter" : "ambulance";
  } else if (const auto* transport = std::get_if<TransportReported>(&event.body)) {
    out["region"] = transport->report.region;
  } else if (const auto* decided = std::get_if<DecisionRecorded>(&event.body)) {
    const Json decision = DecisionContentToJson(decided->decision);
    for (const auto& [key, value] : decision.items()) out[key] = value;
    if (!decided->decision.hospital.empty()) put_hospital(decided->decision.hospital);
  }
  return out;
}

struct Done {
  std::optional<std::int64_t> met_ms;  // exercise time of the event that did it
  std::string by;
};

// An early correct action counts: every participant event up to `due` is looked at, also those
// before the checkpoint's `at`.
Done Evaluate(const Checkpoint& checkpoint, std::int64_t due,
                 const std::vector<Event>& events, TimeMs start,
                 const std::map<std::string, std::string>& message_of_inject,
                 const SpaceState& state) {
  const auto elapsed = [&](const Event& e) { return e.at - start; };
  const auto in_window = [&](const Event& e) { return ByParticipant(e) && elapsed(e) <= due; };
  const CheckpointExpectation& expect = checkpoint.expect;
  using Kind = CheckpointExpectation::Event;
  if (expect.event == Kind::kDecisionRecorded) {
    for (const Event& e : events) {
      const auto* d = std::get_if<DecisionRecorded>(&e.body);
      if (d && in_window(e) && d->decision.kind == *expect.decision &&
          (expect.region.empty() || d->decision.region == expect.region) &&
          (expect.hospital.empty() || d->decision.hospital == expect.hospital)) {
        return {elapsed(e), e.actor.id};
      }
    }
    return {};
  }
  if (expect.event == Kind::kRegionReadinessSet || expect.event == Kind::kMessagePosted) {
    for (const Event& e : events) {
      if (!in_window(e)) continue;
      if (const auto* r = std::get_if<RegionReadinessSet>(&e.body);
          r && expect.event == Kind::kRegionReadinessSet && r->region == expect.region &&
          (!expect.min_level || r->level >= *expect.min_level)) {
        return {elapsed(e), e.actor.id};
      }
      if (const auto* m = std::get_if<MessagePosted>(&e.body);
          m && expect.event == Kind::kMessagePosted &&
          (expect.from_region.empty() || m->from_region == expect.from_region) &&
          (!expect.message_kind || m->content.kind == *expect.message_kind)) {
        return {elapsed(e), e.actor.id};
      }
    }
    return {};
  }
  // Every one of a set must happen; met when the last one does.
  std::set<std::string> needed;
  std::string message_id;
  if (expect.event == Kind::kCapacityReported) {
    if (expect.receiving_hospitals) {
      for (const Event& e : events) {
        if (const auto* d = std::get_if<CasualtiesDispatched>(&e.body); d && elapsed(e) <= due) {
          needed.insert(d->to.hospital);
        }
      }
    } else {
      needed.insert(expect.hospitals.begin(), expect.hospitals.end());
    }
  } else {
    auto found = message_of_inject.find(expect.message_inject);
    if (found == message_of_inject.end()) return {};
    message_id = found->second;
    if (expect.regions.empty()) {
      if (const MessageState* message = state.FindMessage(message_id)) {
        needed.insert(message->addressees.begin(), message->addressees.end());
      }
    } else {
      needed.insert(expect.regions.begin(), expect.regions.end());
    }
  }
  if (needed.empty()) return {};
  Done outcome;
  for (const Event& e : events) {
    if (!in_window(e)) continue;
    std::string who;
    if (const auto* r = std::get_if<CapacityReported>(&e.body)) who = r->report.hospital;
    if (const auto* c = std::get_if<FiguresConfirmed>(&e.body)) who = c->hospital;
    if (const auto* a = std::get_if<MessageAcknowledged>(&e.body); a && a->message_id == message_id) {
      who = a->region;
    }
    if (expect.event == Kind::kMessageAcknowledged &&
        !std::holds_alternative<MessageAcknowledged>(e.body)) {
      continue;
    }
    if (needed.erase(who)) {
      outcome.met_ms = elapsed(e);
      outcome.by = e.actor.id;
    }
    if (needed.empty()) return outcome;
  }
  return {};
}

// Per wave: what waiting cost, against the region's decision on receiving hospitals.
Json Outcomes(const std::vector<Event>& events, TimeMs start) {
  struct Wave {
    std::string wave, location, region;
    std::int64_t at_ms = 0;
    PatientCounts casualties{};
    std::optional<std::int64_t> dispatched_ms = {};
    std::optional<std::int64_t> last_arrival_ms = {};
    Json deteriorated = Json::array();
    std::int64_t deceased_waiting = 0;
  };
  std::vector<Wave> waves;
  const auto find = [&](const std::string& id) -> Wave* {
    for (Wave& w : waves) {
      if (w.wave == id) return &w;
    }
    return nullptr;
  };
  std::map<std::string, std::int64_t> receiving;  // region -> first decision
  for (const Event& event : events) {
    const std::int64_t elapsed = event.at - start;
    if (const auto* scene = std::get_if<CasualtiesAtScene>(&event.body)) {
      Wave wave{scene->wave, scene->location, scene->region, elapsed, scene->patients};
      waves.push_back(std::move(wave));
    } else if (const auto* dispatched = std::get_if<CasualtiesDispatched>(&event.body)) {
      Wave* wave = find(dispatched->wave);
      if (!wave) {  // dispatched at once: the wave's time is the dispatch's
        waves.push_back(Wave{dispatched->wave, dispatched->location, "", elapsed});
        wave = &waves.back();
      }
      if (!wave->dispatched_ms) wave->dispatched_ms = elapsed;
      if (wave->dispatched_ms == elapsed && wave->at_ms == elapsed) {
        for (std::size_t p = 0; p < kAllTriage.size(); ++p) {
          wave->casualties[p] += dispatched->to.patients[p];
        }
      }
    } else if (const auto* arrived = std::get_if<CasualtiesArrived>(&event.body)) {
      if (Wave* wave = find(arrived->wave)) wave->last_arrival_ms = elapsed;
    } else if (const auto* worse = std::get_if<PatientsDeteriorated>(&event.body)) {
      if (Wave* wave = find(worse->wave)) {
        wave->deteriorated.push_back(
            {{"from", WireName(worse->from)},
             {"to", worse->to ? Json(std::string(WireName(*worse->to))) : Json("deceased")},
             {"count", worse->count}, {"at_ms", elapsed},
             {"hospital", worse->hospital.empty() ? Json(nullptr) : Json(worse->hospital)}});
        if (!worse->to) wave->deceased_waiting += worse->count;
      }
    } else if (const auto* decided = std::get_if<DecisionRecorded>(&event.body)) {
      if (decided->decision.kind == DecisionKind::kReceivingHospitals && ByParticipant(event)) {
        receiving.emplace(decided->decision.region, elapsed);
      }
    }
  }
  Json out = Json::array();
  for (const Wave& w : waves) {
    auto decision = w.region.empty() ? receiving.end() : receiving.find(w.region);
    const auto ms = [](const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(nullptr); };
    out.push_back({{"wave", w.wave}, {"location", w.location},
                   {"region", w.region.empty() ? Json(nullptr) : Json(w.region)},
                   {"at_ms", w.at_ms}, {"casualties", PatientsToJson(w.casualties)},
                   {"receiving_decision_ms", decision != receiving.end() ? Json(decision->second) : Json(nullptr)},
                   {"dispatched_ms", ms(w.dispatched_ms)},
                   {"dispatch_delay_ms", w.dispatched_ms ? Json(*w.dispatched_ms - w.at_ms) : Json(nullptr)},
                   {"last_arrival_ms", ms(w.last_arrival_ms)},
                   {"deteriorated", w.deteriorated},
                   {"deceased_waiting", w.deceased_waiting}});
  }
  return out;
}

Json IndicatorsToJson(const std::vector<IndicatorResult>& results, TimeMs start,
                      const std::string& space) {
  Json out = Json::array();
  for (const IndicatorResult& r : results) {
    const std::int64_t trigger = r.trigger_at - start;
    out.push_back(
        {{"indicator", r.definition->id},
         {"level", r.definition->level == IndicatorLevel::kRegion ? "region" : "hospital"},
         {"region", r.region},
         {"hospital", r.hospital.empty() ? Json(nullptr) : Json(r.hospital)},
         {"target_minutes", r.target_minutes},
         {"trigger_ms", trigger},
         {"trigger_message", MessageId(space, r.trigger_seq)},
         {"due_ms", trigger + r.target_minutes * 60000},
         {"actual_ms", r.done_at ? Json(*r.done_at - start) : Json(nullptr)},
         {"status", WireName(r.outcome)},
         {"by", r.done_at ? Json(r.by) : Json(nullptr)},
         {"seq", r.done_at ? Json(r.seq) : Json(nullptr)}});
  }
  return out;
}

}  // namespace

Json BuildReview(const HealthcareRegionConfig& config, const Scenario* scenario,
                 const SpaceState& state, const std::vector<Event>& events,
                 std::int64_t elapsed_now, TimeMs live_start) {
  Json review{{"v", 1}, {"label", state.exercise ? "ÖVNING" : "LIVE"}, {"space", state.space}};
  const TimeMs start = state.exercise_info ? state.exercise_info->start : live_start;
  if (!state.exercise_info) {
    review["period"] = {{"from", FormatUtc(start)}, {"to", FormatUtc(start + elapsed_now)}};
  }
  if (state.exercise_info) {
    review["scenario"] = ExerciseScenarioToJson(*state.exercise_info);
    Json info = ExerciseInfoToJson(*state.exercise_info);
    info["elapsed_ms"] = elapsed_now;
    review["exercise_info"] = std::move(info);
  }
  std::map<std::string, std::string> message_of_inject;  // inject id -> message id
  std::map<std::string, Seq> first_event_of_inject;
  Json& timeline = review["timeline"] = Json::array();
  for (const Event& event : events) {
    if (!event.inject.empty()) {
      first_event_of_inject.emplace(event.inject, event.seq);
      if (std::holds_alternative<MessagePosted>(event.body)) {
        message_of_inject.emplace(event.inject, MessageId(state.space, event.seq));
      }
    }
    if (std::holds_alternative<AccessDenied>(event.body)) continue;
    Json entry{{"seq", event.seq}, {"at", FormatUtc(event.at)}, {"elapsed_ms", event.at - start},
               {"kind", EventKind(event.body)}, {"actor", ActorToJson(event.actor)},
               {"summary", Summary(config, event)}};
    if (!event.inject.empty()) entry["inject"] = event.inject;
    timeline.push_back(std::move(entry));
  }
  Json& injects = review["injects"] = Json::array();
  Json& checkpoints = review["checkpoints"] = Json::array();
  if (scenario) {
    for (const Inject& inject : scenario->injects) {
      if (const auto* checkpoint = std::get_if<Checkpoint>(&inject.body)) {
        const std::int64_t due = inject.at + checkpoint->within_ms;
        const Done outcome = Evaluate(*checkpoint, due, events, start,
                                      message_of_inject, state);
        const Outcome status = Judge(outcome.met_ms, due, elapsed_now);
        checkpoints.push_back({{"id", inject.id}, {"description", checkpoint->description},
                               {"from_ms", inject.at}, {"due_ms", due},
                               {"status", WireName(status)},
                               {"met_ms", outcome.met_ms ? Json(*outcome.met_ms) : Json(nullptr)},
                               {"by", outcome.met_ms ? Json(outcome.by) : Json(nullptr)}});
        continue;
      }
      auto played = first_event_of_inject.find(inject.id);
      injects.push_back({{"id", inject.id}, {"at_ms", inject.at}, {"kind", InjectKind(inject.body)},
                         {"summary", InjectSummary(config, inject)},
                         {"status", played != first_event_of_inject.end() ? "played" : "pending"},
                         {"seq", played != first_event_of_inject.end() ? Json(played->second) : Json(nullptr)}});
    }
  }
  std::map<Seq, std::string> inject_of_message;
  for (const auto& [inject, message] : message_of_inject) {
    inject_of_message[std::stoll(message.substr(message.rfind(':') + 1))] = inject;
  }
  // Every message of the log with its acknowledgements (the state keeps only recent and open ones).
  std::map<Seq, MessageState> all_messages;
  for (const Event& event : events) {
    if (const auto* posted = std::get_if<MessagePosted>(&event.body)) {
      all_messages.emplace(event.seq, PostedMessage(config, event, *posted));
    } else if (const auto* acknowledged = std::get_if<MessageAcknowledged>(&event.body)) {
      if (auto seq = MessageSeq(state.space, acknowledged->message_id)) {
        if (auto message = all_messages.find(*seq); message != all_messages.end()) {
          RecordAcknowledgement(message->second, event, *acknowledged);
        }
      }
    }
  }
  review["indicators"] = IndicatorsToJson(
      ComputeIndicators(config, events, scenario ? scenario->indicator_targets : IndicatorTargets{},
                        start + elapsed_now,
                        scenario ? scenario->participating_regions : std::vector<std::string>{}),
      start, state.space);
  review["outcomes"] = Outcomes(events, start);
  Json& acknowledgements = review["acknowledgements"] = Json::array();
  for (const auto& [seq, message] : all_messages) {
    if (!message.RequiresAck()) continue;
    for (const std::string& region : message.addressees) {
      auto ack = message.acks.find(region);
      const auto inject = inject_of_message.find(message.seq);
      acknowledgements.push_back(
          {{"message", MessageId(state.space, message.seq)},
           {"inject", inject != inject_of_message.end() ? Json(inject->second) : Json(nullptr)},
           {"region", region}, {"sent_ms", message.at - start},
           {"acknowledged_ms", ack != message.acks.end() ? Json(*ack->second.stamp.at - start) : Json(nullptr)},
           {"by", ack != message.acks.end() ? Json(ack->second.stamp.by) : Json(nullptr)}});
    }
  }
  Json& first_reports = review["first_reports"] = Json::array();
  for (const HospitalConfig& hospital : config.hospitals) {
    Json entry{{"hospital", hospital.id}, {"name", hospital.name},
               {"first_report_ms", nullptr}, {"by", nullptr}};
    for (const Event& event : events) {
      const auto* reported = std::get_if<CapacityReported>(&event.body);
      const auto* confirmed = std::get_if<FiguresConfirmed>(&event.body);
      if (ByParticipant(event) && ((reported && reported->report.hospital == hospital.id) ||
                                   (confirmed && confirmed->hospital == hospital.id))) {
        entry["first_report_ms"] = event.at - start;
        entry["by"] = event.actor.id;
        break;
      }
    }
    first_reports.push_back(std::move(entry));
  }
  return review;
}

}  // namespace lagesbild
