#include "lagesbild/core/event_log.h"

#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/time_format.h"

#include <tuple>

namespace lagesbild {
namespace {

Error Corrupt(const std::string& what) {
  return MakeError("corrupt_event", "", "stored event is unreadable: " + what);
}

Json TransportToJson(const std::vector<std::pair<std::string, std::int64_t>>& transport) {
  Json out = Json::object();
  for (const auto& [hospital, minutes] : transport) out[hospital] = minutes;
  return out;
}

PatientCounts CountsFrom(const Json& json) {
  PatientCounts counts{};
  for (Triage priority : kAllTriage) {
    counts[Index(priority)] = json.value(std::string(WireName(priority)), std::int64_t{0});
  }
  return counts;
}

Json RuleToJson(const DeteriorationRule& rule) {
  return {{"from", WireName(rule.from)},
          {"to", rule.to ? Json(std::string(WireName(*rule.to))) : Json("deceased")},
          {"after_minutes", rule.after_minutes},
          {"share_percent", rule.share_percent}};
}

std::optional<Triage> TriageFrom(const Json& json) {
  return ParseTriage(json.get<std::string>());
}

}  // namespace

std::string EventToLog(const Event& event) {
  Json json = EventToJson(event);
  json["format"] = kEventLogFormat;
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<Event> EventFromLog(std::string_view text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Corrupt("not JSON");
  if (!json.is_object()) return Corrupt("not an object");
  if (auto format = json.find("format"); format != json.end()) {
    if (!format->is_number_integer() || format->get<std::int64_t>() < 1) return Corrupt("bad format");
    if (format->get<std::int64_t>() > kEventLogFormat) {
      return Corrupt("written in format " + format->dump() + " by a newer version (this one reads 1-" +
                     std::to_string(kEventLogFormat) + ")");
    }
  }
  return EventFromJson(json);
}

Json EventToJson(const Event& event) {
  Json out;
  out["space"] = event.space;
  out["seq"] = event.seq;
  out["at"] = FormatUtc(event.at);
  out["kind"] = EventKind(event.body);
  out["actor"] = ActorToJson(event.actor);
  if (!event.inject.empty()) out["inject"] = event.inject;
  if (!event.command_id.empty()) out["command_id"] = event.command_id;
  if (const auto* reported = std::get_if<CapacityReported>(&event.body)) {
    out["hospital"] = reported->report.hospital;
    out["report"] = CapacityReportToJson(reported->report);
    if (!reported->via.empty()) out["via"] = reported->via;
  } else if (const auto* readiness = std::get_if<RegionReadinessSet>(&event.body)) {
    out["region"] = readiness->region;
    out["level"] = WireName(readiness->level);
    if (!readiness->reason.empty()) out["reason"] = readiness->reason;
  } else if (const auto* decided = std::get_if<DecisionRecorded>(&event.body)) {
    const Json decision = DecisionContentToJson(decided->decision);
    for (const auto& [key, value] : decision.items()) {
      if (!value.is_null()) out[key] = value;
    }
  } else if (const auto* confirmed = std::get_if<FiguresConfirmed>(&event.body)) {
    out["hospital"] = confirmed->hospital;
  } else if (const auto* posted = std::get_if<MessagePosted>(&event.body)) {
    out["from"] = posted->from_region;
    out["message"] = MessageContentToJson(posted->content);
  } else if (const auto* acknowledged = std::get_if<MessageAcknowledged>(&event.body)) {
    out["message"] = acknowledged->message_id;
    out["region"] = acknowledged->region;
  } else if (const auto* denied = std::get_if<AccessDenied>(&event.body)) {
    out["command"] = denied->command;
    out["target"] = denied->target;
    out["reason"] = denied->reason;
    if (denied->count != 1) out["count"] = denied->count;
  } else if (const auto* started = std::get_if<ExerciseStarted>(&event.body)) {
    const StartExercise& start = started->start;
    Json baseline = Json::array();
    for (const CapacityReport& report : start.baseline_reports) {
      Json entry = CapacityReportToJson(report);
      entry["hospital"] = report.hospital;
      baseline.push_back(std::move(entry));
    }
    Json regions = Json::object();
    for (const auto& [region, level] : start.baseline_regions) regions[region] = WireName(level);
    out["scenario"] = {{"id", start.scenario_id}, {"name", start.scenario_name}};
    out["planned_ms"] = start.planned_ms;
    out["paused"] = start.paused;
    if (!start.deterioration.empty()) {
      Json& rules = out["deterioration"] = Json::array();
      for (const DeteriorationRule& rule : start.deterioration) rules.push_back(RuleToJson(rule));
    }
    if (start.burns_need_icu) out["burns_need_icu"] = true;
    if (start.scenario_version != 0) out["scenario"]["version"] = start.scenario_version;
    if (!start.scenario_digest.empty()) out["scenario"]["digest"] = start.scenario_digest;
    if (start.dry_run) out["dry_run"] = true;
    out["baseline"] = {{"hospitals", std::move(baseline)}, {"regions", std::move(regions)}};
  } else if (const auto* clock = std::get_if<ExerciseClockSet>(&event.body)) {
    out["status"] = clock->clock.status;
    out["speed"] = clock->clock.speed;
    out["elapsed_ms"] = clock->clock.elapsed_ms;
  } else if (const auto* dispatched = std::get_if<CasualtiesDispatched>(&event.body)) {
    out["wave"] = dispatched->wave;
    out["location"] = dispatched->location;
    out["hospital"] = dispatched->to.hospital;
    out["patients"] = PatientsToJson(dispatched->to.patients);
    out["transport_minutes"] = dispatched->to.transport_minutes;
    out["due_elapsed_ms"] = dispatched->due_elapsed_ms;
    if (dispatched->to.burns != PatientCounts{}) out["burns"] = PatientsToJson(dispatched->to.burns);
  } else if (const auto* arrived = std::get_if<CasualtiesArrived>(&event.body)) {
    out["wave"] = arrived->wave;
    out["hospital"] = arrived->hospital;
    out["patients"] = PatientsToJson(arrived->patients);
    if (arrived->burns != PatientCounts{}) out["burns"] = PatientsToJson(arrived->burns);
  } else if (const auto* scene = std::get_if<CasualtiesAtScene>(&event.body)) {
    out["wave"] = scene->wave;
    out["location"] = scene->location;
    out["region"] = scene->region;
    out["patients"] = PatientsToJson(scene->patients);
    out["burns"] = PatientsToJson(scene->burns);
    out["deceased"] = scene->deceased;
    out["transport_minutes"] = TransportToJson(scene->transport_minutes);
  } else if (const auto* worse = std::get_if<PatientsDeteriorated>(&event.body)) {
    out["wave"] = worse->wave;
    out["hospital"] = worse->hospital.empty() ? Json(nullptr) : Json(worse->hospital);
    out["from"] = WireName(worse->from);
    out["to"] = worse->to ? Json(std::string(WireName(*worse->to))) : Json("deceased");
    out["count"] = worse->count;
  } else if (const auto* transferred = std::get_if<PatientsTransferred>(&event.body)) {
    const TransferPatients& t = transferred->transfer;
    out["from"] = t.from;
    out["to"] = t.to;
    out["patients"] = PatientsToJson(t.patients);
    out["burns"] = t.burns;
    out["transport_minutes"] = t.transport_minutes;
    out["mode"] = t.helicopter ? "helicopter" : "ambulance";
    if (!t.reason.empty()) out["reason"] = t.reason;
  } else if (const auto* transport = std::get_if<TransportReported>(&event.body)) {
    const TransportReport& r = transport->report;
    out["region"] = r.region;
    for (auto [value, group, field] :
         {std::tuple{&r.ambulances_available, "ambulances", "available"},
          std::tuple{&r.ambulances_committed, "ambulances", "committed"},
          std::tuple{&r.helicopters_available, "helicopters", "available"},
          std::tuple{&r.helicopters_committed, "helicopters", "committed"}}) {
      if (*value) out[group][field] = **value;
    }
  } else if (const auto* saved = std::get_if<ScenarioSaved>(&event.body)) {
    out["scenario"] = saved->scenario_id;
    out["version"] = saved->version;
    out["text"] = saved->text;
    out["name"] = saved->name;
    out["digest"] = saved->digest;
    out["valid"] = saved->valid;
    out["problems"] = saved->problems;
    if (saved->restored_from != 0) out["restored_from"] = saved->restored_from;
  } else if (const auto* sign_in = std::get_if<SignInRecorded>(&event.body)) {
    out["user"] = sign_in->user;
    out["address"] = sign_in->address;
    out["success"] = sign_in->success;
    out["reason"] = sign_in->reason;
    out["via"] = sign_in->via;
    if (sign_in->count != 1) out["count"] = sign_in->count;
  }
  return out;
}

Result<Event> EventFromJson(const Json& json) {
  try {
    Event event;
    event.space = json.at("space").get<std::string>();
    event.seq = json.at("seq").get<Seq>();
    auto at = ParseUtc(json.at("at").get<std::string>());
    if (!at) return Corrupt("bad time " + json.at("at").dump());
    event.at = *at;
    event.inject = json.value("inject", "");
    event.command_id = json.value("command_id", "");
    const Json& actor = json.at("actor");
    auto kind = ParseActorKind(actor.at("kind").get<std::string>());
    if (!kind) return Corrupt("bad actor kind");
    event.actor = Actor{*kind, actor.at("id").get<std::string>(), Role::kViewer, ""};
    if (*kind == Actor::Kind::kUser) {
      auto role = ParseRole(actor.value("role", "viewer"));
      if (!role) return Corrupt("bad role");
      event.actor.role = *role;
      event.actor.region = actor.value("region", "");
    }
    const std::string event_kind = json.at("kind").get<std::string>();
    if (event_kind == "capacity_reported") {
      auto report = CapacityReportFromJson(json.at("report"), json.at("hospital").get<std::string>());
      if (const Error* error = report.ok() ? nullptr : &report.error()) return Corrupt(error->message);
      event.body = CapacityReported{std::move(report).value(), json.value("via", "")};
    } else if (event_kind == "region_readiness_set") {
      auto level = ParseReadinessLevel(json.at("level").get<std::string>());
      if (!level) return Corrupt("bad readiness level");
      event.body = RegionReadinessSet{json.at("region").get<std::string>(), *level,
                                      json.value("reason", "")};
    } else if (event_kind == "decision_recorded") {
      auto decision = DecisionContentFromJson(json, InputLimits::kNone);
      if (const Error* error = decision.ok() ? nullptr : &decision.error()) return Corrupt(error->message);
      event.body = DecisionRecorded{std::move(decision).value()};
    } else if (event_kind == "figures_confirmed") {
      event.body = FiguresConfirmed{json.at("hospital").get<std::string>()};
    } else if (event_kind == "message_posted") {
      auto content = MessageContentFromJson(json.at("message"), InputLimits::kNone);
      if (const Error* error = content.ok() ? nullptr : &content.error()) return Corrupt(error->message);
      event.body = MessagePosted{json.at("from").get<std::string>(),
                                 std::move(content).value()};
    } else if (event_kind == "message_acknowledged") {
      event.body = MessageAcknowledged{json.at("message").get<std::string>(),
                                       json.at("region").get<std::string>()};
    } else if (event_kind == "exercise_started") {
      StartExercise start;
      start.scenario_id = json.at("scenario").at("id").get<std::string>();
      start.scenario_name = json.at("scenario").at("name").get<std::string>();
      start.planned_ms = json.at("planned_ms").get<std::int64_t>();
      start.paused = json.at("paused").get<bool>();
      for (const Json& entry : json.at("baseline").at("hospitals")) {
        auto report = CapacityReportFromJson(entry, entry.at("hospital").get<std::string>());
        if (const Error* error = report.ok() ? nullptr : &report.error()) return Corrupt(error->message);
        start.baseline_reports.push_back(std::move(report).value());
      }
      for (const auto& item : json.at("baseline").at("regions").items()) {
        auto level = ParseReadinessLevel(item.value().get<std::string>());
        if (!level) return Corrupt("bad baseline level");
        start.baseline_regions.emplace_back(item.key(), *level);
      }
      for (const Json& rule : json.value("deterioration", Json::array())) {
        auto from = TriageFrom(rule.at("from"));
        const std::string to = rule.at("to").get<std::string>();
        if (!from || (to != "deceased" && !ParseTriage(to))) return Corrupt("bad deterioration rule");
        start.deterioration.push_back(DeteriorationRule{
            *from, to == "deceased" ? std::nullopt : ParseTriage(to),
            rule.at("after_minutes").get<std::int64_t>(), rule.at("share_percent").get<std::int64_t>()});
      }
      start.burns_need_icu = json.value("burns_need_icu", false);
      start.scenario_version = json.at("scenario").value("version", std::int64_t{0});
      start.scenario_digest = json.at("scenario").value("digest", "");
      start.dry_run = json.value("dry_run", false);
      event.body = ExerciseStarted{std::move(start)};
    } else if (event_kind == "exercise_clock_set") {
      event.body = ExerciseClockSet{SetExerciseClock{json.at("status").get<std::string>(),
                                                     json.at("speed").get<int>(),
                                                     json.at("elapsed_ms").get<std::int64_t>()}};
    } else if (event_kind == "casualties_dispatched" || event_kind == "casualties_arrived") {
      PatientCounts patients{};
      for (Triage priority : kAllTriage) {
        patients[Index(priority)] = json.at("patients").at(std::string(WireName(priority))).get<std::int64_t>();
      }
      const std::string wave = json.at("wave").get<std::string>();
      const std::string hospital = json.at("hospital").get<std::string>();
      const PatientCounts burns = CountsFrom(json.value("burns", Json::object()));
      if (event_kind == "casualties_arrived") {
        event.body = CasualtiesArrived{wave, hospital, patients, burns};
      } else {
        event.body = CasualtiesDispatched{
            wave, json.at("location").get<std::string>(),
            DispatchedPatients{hospital, patients, json.at("transport_minutes").get<std::int64_t>(), burns},
            json.at("due_elapsed_ms").get<std::int64_t>()};
      }
    } else if (event_kind == "casualties_at_scene") {
      CasualtiesAtScene scene;
      scene.wave = json.at("wave").get<std::string>();
      scene.location = json.at("location").get<std::string>();
      scene.region = json.at("region").get<std::string>();
      scene.patients = CountsFrom(json.at("patients"));
      scene.burns = CountsFrom(json.at("burns"));
      scene.deceased = json.at("deceased").get<std::int64_t>();
      for (const auto& item : json.at("transport_minutes").items()) {
        scene.transport_minutes.emplace_back(item.key(), item.value().get<std::int64_t>());
      }
      event.body = std::move(scene);
    } else if (event_kind == "patients_deteriorated") {
      auto from = TriageFrom(json.at("from"));
      const std::string to = json.at("to").get<std::string>();
      if (!from || (to != "deceased" && !ParseTriage(to))) return Corrupt("bad priority");
      event.body = PatientsDeteriorated{
          json.at("wave").get<std::string>(),
          json.at("hospital").is_null() ? "" : json.at("hospital").get<std::string>(), *from,
          to == "deceased" ? std::nullopt : ParseTriage(to), json.at("count").get<std::int64_t>()};
    } else if (event_kind == "patients_transferred") {
      TransferPatients t;
      t.from = json.at("from").get<std::string>();
      t.to = json.at("to").get<std::string>();
      t.patients = CountsFrom(json.at("patients"));
      t.burns = json.at("burns").get<std::int64_t>();
      t.transport_minutes = json.at("transport_minutes").get<std::int64_t>();
      t.helicopter = json.at("mode").get<std::string>() == "helicopter";
      t.reason = json.value("reason", "");
      event.body = PatientsTransferred{std::move(t)};
    } else if (event_kind == "transport_reported") {
      TransportReport r;
      r.region = json.at("region").get<std::string>();
      for (auto [value, group, field] :
           {std::tuple{&r.ambulances_available, "ambulances", "available"},
            std::tuple{&r.ambulances_committed, "ambulances", "committed"},
            std::tuple{&r.helicopters_available, "helicopters", "available"},
            std::tuple{&r.helicopters_committed, "helicopters", "committed"}}) {
        if (json.contains(group) && json.at(group).contains(field)) {
          *value = json.at(group).at(field).get<std::int64_t>();
        }
      }
      event.body = TransportReported{std::move(r)};
    } else if (event_kind == "scenario_saved") {
      ScenarioSaved saved;
      saved.scenario_id = json.at("scenario").get<std::string>();
      saved.version = json.at("version").get<std::int64_t>();
      saved.text = json.at("text").get<std::string>();
      saved.name = json.at("name").get<std::string>();
      saved.digest = json.at("digest").get<std::string>();
      saved.valid = json.at("valid").get<bool>();
      saved.problems = json.at("problems").get<std::vector<std::string>>();
      saved.restored_from = json.value("restored_from", std::int64_t{0});
      event.body = ScenarioSaved{std::move(saved)};
    } else if (event_kind == "sign_in") {
      event.body = SignInRecorded{json.at("user").get<std::string>(),
                                  json.at("address").get<std::string>(),
                                  json.at("success").get<bool>(),
                                  json.at("reason").get<std::string>(),
                                  json.at("via").get<std::string>(),
                                  json.value("count", std::int64_t{1})};
    } else if (event_kind == "access_denied") {
      event.body = AccessDenied{json.at("command").get<std::string>(),
                                json.at("target").get<std::string>(),
                                json.at("reason").get<std::string>(),
                                json.value("count", std::int64_t{1})};
    } else {
      return Corrupt("unknown event kind '" + event_kind + "'");
    }
    return event;
  } catch (const Json::exception& e) {
    return Corrupt(e.what());
  }
}

}  // namespace lagesbild
