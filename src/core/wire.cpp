#include "lagesbild/core/wire.h"

#include <map>
#include <set>
#include <tuple>

#include "lagesbild/core/core.h"
#include "lagesbild/core/event_log.h"
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/scenario.h"
#include "lagesbild/core/staleness.h"
#include "lagesbild/core/time_format.h"
#include "wire_read.h"

namespace lagesbild {
namespace {

SubscribeRequest ParseSubscribe(const Json& message) {
  AllowOnlyFields(message, "subscribe", {"space", "since"});
  SubscribeRequest request;
  request.space = RequireText(message, "space", kMaxIdLength);
  if (auto since = message.find("since"); since != message.end() && !since->is_null()) {
    if (!since->is_number_integer() || since->get<std::int64_t>() < 0 ||
        (since->is_number_unsigned() && since->get<std::uint64_t>() > (1ULL << 62))) {
      Reject("bad_message", "since", "since must be a sequence number (a whole number >= 0)");
    }
    request.since = since->get<Seq>();
  }
  return request;
}

CommandRequest ParseReportCapacity(const Json& message, std::string id) {
  AllowOnlyFields(message, "report_capacity",
                  {"id", "space", "hospital", "beds", "ed_status", "reception", "readiness",
                   "reason"});
  CommandRequest request{std::move(id), RequireText(message, "space", kMaxIdLength), {}};
  auto report = CapacityReportFromJson(message, RequireText(message, "hospital", kMaxIdLength));
  if (const Error* error = report.ok() ? nullptr : &report.error()) throw Rejection{*error};
  request.body = std::move(report).value();
  return request;
}

CommandRequest ParseSetRegionReadiness(const Json& message, std::string id) {
  AllowOnlyFields(message, "set_region_readiness", {"id", "space", "region", "level", "reason"});
  CommandRequest request{std::move(id), RequireText(message, "space", kMaxIdLength), {}};
  SetRegionReadiness command;
  command.region = RequireText(message, "region", kMaxIdLength);
  const std::string level = RequireText(message, "level", kMaxIdLength);
  auto parsed = ParseReadinessLevel(level);
  if (!parsed) {
    Reject("invalid_value", "level",
           "level: '" + level + "' is not one of normal, staff, reinforced, disaster");
  }
  command.level = *parsed;
  if (auto reason = message.find("reason"); reason != message.end()) {
    if (!reason->is_string()) Reject("bad_message", "reason", "reason must be a text");
    command.reason = reason->get<std::string>();
  }
  request.body = command;
  return request;
}

// A {"P1": n, …} object of counts 0-kMaxFigure (missing priorities: 0).
PatientCounts ParsePatients(const Json& message, const char* field) {
  PatientCounts counts{};
  auto it = message.find(field);
  if (it == message.end()) Reject("bad_message", field, std::string(field) + " is missing");
  if (!it->is_object()) Reject("bad_message", field, std::string(field) + " must be {\"P1\": n, …}");
  for (const auto& item : it->items()) {
    auto priority = ParseTriage(item.key());
    if (!priority) Reject("bad_message", std::string(field) + "." + item.key(), "unknown priority (P1, P2, P3)");
    if (!item.value().is_number_integer()) {
      Reject("bad_message", std::string(field) + "." + item.key(), "must be a whole number");
    }
    const std::int64_t value = item.value().get<std::int64_t>();
    if (value < 0 || value > kMaxFigure || (item.value().is_number_unsigned() && item.value().get<std::uint64_t>() > kMaxFigure)) {
      Reject("invalid_value", std::string(field) + "." + item.key(), "must be 0-" + std::to_string(kMaxFigure));
    }
    counts[Index(*priority)] = value;
  }
  return counts;
}

std::optional<std::int64_t> OptionalCount(const Json& object, const char* field, const std::string& path) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || (it->is_number_unsigned() && it->get<std::uint64_t>() > (1ULL << 62))) {
    Reject("bad_message", path, path + " must be a whole number");
  }
  return it->get<std::int64_t>();
}

CommandRequest ParseTransferPatients(const Json& message, std::string id) {
  AllowOnlyFields(message, "transfer_patients",
                  {"id", "space", "from", "to", "patients", "burns", "transport_minutes", "mode", "reason"});
  CommandRequest request{std::move(id), RequireText(message, "space", kMaxIdLength), {}};
  TransferPatients t;
  t.from = RequireText(message, "from", kMaxIdLength);
  t.to = RequireText(message, "to", kMaxIdLength);
  t.patients = ParsePatients(message, "patients");
  t.burns = OptionalCount(message, "burns", "burns").value_or(0);
  auto minutes = OptionalCount(message, "transport_minutes", "transport_minutes");
  if (!minutes) Reject("bad_message", "transport_minutes", "transport_minutes is missing");
  t.transport_minutes = *minutes;
  if (message.contains("mode")) {
    const std::string mode = RequireText(message, "mode", 20);
    if (mode != "ambulance" && mode != "helicopter") {
      Reject("invalid_value", "mode", "mode must be ambulance or helicopter");
    }
    t.helicopter = mode == "helicopter";
  }
  if (auto reason = message.find("reason"); reason != message.end()) {
    if (!reason->is_string()) Reject("bad_message", "reason", "reason must be a text");
    t.reason = reason->get<std::string>();
  }
  request.body = t;
  return request;
}

CommandRequest ParseReportTransport(const Json& message, std::string id) {
  AllowOnlyFields(message, "report_transport", {"id", "space", "region", "ambulances", "helicopters"});
  CommandRequest request{std::move(id), RequireText(message, "space", kMaxIdLength), {}};
  TransportReport r;
  r.region = RequireText(message, "region", kMaxIdLength);
  for (auto [group, available, committed] :
       {std::tuple{"ambulances", &r.ambulances_available, &r.ambulances_committed},
        std::tuple{"helicopters", &r.helicopters_available, &r.helicopters_committed}}) {
    auto it = message.find(group);
    if (it == message.end()) continue;
    if (!it->is_object()) Reject("bad_message", group, std::string(group) + " must be {\"available\", \"committed\"}");
    for (const auto& item : it->items()) {
      if (item.key() != "available" && item.key() != "committed") {
        Reject("bad_message", std::string(group) + "." + item.key(), "unknown field '" + item.key() + "'");
      }
    }
    *available = OptionalCount(*it, "available", std::string(group) + ".available");
    *committed = OptionalCount(*it, "committed", std::string(group) + ".committed");
  }
  request.body = r;
  return request;
}

CommandRequest ParseRecordDecision(const Json& message, std::string id) {
  AllowOnlyFields(message, "record_decision",
                  {"id", "space", "decision", "region", "hospital", "hospitals", "incident",
                   "judgement", "icu_beds", "resource", "amount", "to_region", "reason"});
  CommandRequest request{std::move(id), RequireText(message, "space", kMaxIdLength), {}};
  auto decision = DecisionContentFromJson(message);
  if (const Error* error = decision.ok() ? nullptr : &decision.error()) throw Rejection{*error};
  request.body = RecordDecision{std::move(decision).value()};
  return request;
}

CommandRequest ParseConfirmFigures(const Json& message, std::string id) {
  AllowOnlyFields(message, "confirm_figures", {"id", "space", "hospital"});
  return CommandRequest{std::move(id), RequireText(message, "space", kMaxIdLength),
                        ConfirmFigures{RequireText(message, "hospital", kMaxIdLength)}};
}

CommandRequest ParsePostMessage(const Json& message, std::string id) {
  AllowOnlyFields(message, "post_message",
                  {"id", "space", "kind", "to", "text", "fields", "methane", "level",
                   "requires_ack", "sender"});
  CommandRequest request{std::move(id), RequireText(message, "space", kMaxIdLength), {}};
  auto content = MessageContentFromJson(message);
  if (const Error* error = content.ok() ? nullptr : &content.error()) throw Rejection{*error};
  request.body = PostMessage{std::move(content).value()};
  return request;
}

CommandRequest ParseAcknowledge(const Json& message, std::string id) {
  AllowOnlyFields(message, "acknowledge", {"id", "space", "message", "region"});
  CommandRequest request{std::move(id), RequireText(message, "space", kMaxIdLength), {}};
  Acknowledge acknowledge;
  acknowledge.message_id = RequireText(message, "message", 2 * kMaxIdLength);
  if (message.contains("region")) acknowledge.region = RequireText(message, "region", kMaxIdLength);
  request.body = acknowledge;
  return request;
}


}  // namespace

std::string Envelope(Json body) {
  body["v"] = kProtocolVersion;
  // Texts were checked as UTF-8 when they came in; replacing beats throwing if one slipped by.
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::variant<ClientMessage, WireError> ParseClientMessage(std::string_view text,
                                                          std::size_t max_bytes) {
  if (text.size() > max_bytes) {
    return WireError{"", MakeError("message_too_large", "",
                                   "message is " + std::to_string(text.size()) +
                                       " bytes; the limit is " + std::to_string(max_bytes))};
  }
  Json message;
  // The parser's only failures: bad syntax or encoding (parse_error) and a number too large for a
  // double, such as 1e400 (out_of_range). Everything after this reads the parsed value through
  // checked accessors and throws nothing but Rejection.
  try {
    message = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    return WireError{"", MakeError("bad_json", "", std::string("not valid JSON: ") + e.what())};
  } catch (const Json::out_of_range& e) {
    return WireError{"", MakeError("bad_json", "",
                                   std::string("a number is out of range: ") + e.what())};
  }
  if (!message.is_object()) {
    return WireError{"", MakeError("bad_json", "", "a message must be a JSON object")};
  }
  std::string id;
  try {
    if (auto it = message.find("id"); it != message.end()) id = RequireText(message, "id", kMaxIdLength);
    auto version = message.find("v");
    if (version == message.end() || !version->is_number_integer() ||
        version->get<std::int64_t>() != kProtocolVersion) {
      Reject("unsupported_version", "v", "v must be " + std::to_string(kProtocolVersion));
    }
    auto type = message.find("type");
    if (type == message.end() || !type->is_string()) {
      Reject("unknown_type", "type", "type is missing");
    }
    const std::string& name = type->get_ref<const std::string&>();
    if (name == "subscribe") return ClientMessage{ParseSubscribe(message)};
    if (name == "hello") {
      AllowOnlyFields(message, "hello", {"token"});
      return ClientMessage{HelloRequest{RequireText(message, "token", kMaxTokenLength)}};
    }
    using Parser = CommandRequest (*)(const Json&, std::string);
    static const std::map<std::string, Parser> kCommands = {
        {"report_capacity", ParseReportCapacity},
        {"set_region_readiness", ParseSetRegionReadiness},
        {"confirm_figures", ParseConfirmFigures},
        {"post_message", ParsePostMessage},
        {"acknowledge", ParseAcknowledge},
        {"record_decision", ParseRecordDecision},
        {"transfer_patients", ParseTransferPatients},
        {"report_transport", ParseReportTransport}};
    if (name == "import_have") {
      AllowOnlyFields(message, name, {"id", "space", "document"});
      if (id.empty()) Reject("bad_message", "id", "id is missing (it is echoed in ack/error)");
      return ClientMessage{ImportHaveRequest{id, RequireText(message, "space", kMaxIdLength),
                                             RequireText(message, "document", kMaxTrainerMessageBytes)}};
    }
    if (name == "reload_scenarios") {
      AllowOnlyFields(message, name, {"id"});
      if (id.empty()) Reject("bad_message", "id", "id is missing (it is echoed in ack/error)");
      return ClientMessage{ReloadScenariosRequest{id}};
    }
    if (name == "check_scenario" || name == "save_scenario" || name == "restore_scenario") {
      if (id.empty()) Reject("bad_message", "id", "id is missing (it is echoed in ack/error)");
      return ParseCatalogueMessage(message, name, id);
    }
    if (name == "start_exercise" || name == "control_exercise") {
      if (id.empty()) Reject("bad_message", "id", "id is missing (it is echoed in ack/error)");
      if (name == "start_exercise") {
        AllowOnlyFields(message, name, {"id", "scenario", "space", "paused", "version", "dry_run"});
        StartExerciseRequest request{id, RequireText(message, "scenario", kMaxIdLength), "", false};
        if (auto version = message.find("version"); version != message.end()) {
          if (!version->is_number_integer() || version->get<std::int64_t>() < 1 ||
              version->get<std::int64_t>() > 1000000000) {
            Reject("bad_message", "version", "version must be a version number (1 or more)");
          }
          request.version = version->get<std::int64_t>();
        }
        if (auto dry = message.find("dry_run"); dry != message.end()) {
          if (!dry->is_boolean()) Reject("bad_message", "dry_run", "dry_run must be true or false");
          request.dry_run = dry->get<bool>();
        }
        if (message.contains("space")) request.space = RequireText(message, "space", kMaxIdLength);
        if (auto paused = message.find("paused"); paused != message.end()) {
          if (!paused->is_boolean()) Reject("bad_message", "paused", "paused must be true or false");
          request.paused = paused->get<bool>();
        }
        return ClientMessage{request};
      }
      AllowOnlyFields(message, name, {"id", "space", "action", "speed", "to"});
      ControlExerciseRequest request{id, RequireText(message, "space", kMaxIdLength),
                                     RequireText(message, "action", 20), 1, 0};
      static const std::set<std::string> kActions{"pause", "resume", "speed", "jump", "stop", "reset"};
      if (!kActions.count(request.action)) {
        Reject("invalid_value", "action", "action must be pause, resume, speed, jump, stop or reset");
      }
      if (request.action == "speed") {
        auto speed = message.find("speed");
        if (speed == message.end() || !speed->is_number_integer() || speed->get<std::int64_t>() < 1 ||
            speed->get<std::int64_t>() > 60) {
          Reject("invalid_value", "speed", "speed must be a whole number from 1 to 60");
        }
        request.speed = speed->get<int>();
      }
      if (request.action == "jump") {
        auto to = ParseElapsed(RequireText(message, "to", 12));
        if (!to) Reject("invalid_value", "to", "to must be \"MM:SS\" or \"HH:MM:SS\"");
        request.to_ms = *to;
      }
      return ClientMessage{request};
    }
    if (auto command = kCommands.find(name); command != kCommands.end()) {
      if (id.empty()) Reject("bad_message", "id", "id is missing (it is echoed in ack/error)");
      return ClientMessage{command->second(message, id)};
    }
    Reject("unknown_type", "type",
           "unknown message type '" + name.substr(0, kMaxIdLength) + "'");
  } catch (const Rejection& rejection) {
    return WireError{id, rejection.error};
  }
}

std::string ClientMessageId(const ClientMessage& message) {
  struct Visitor {
    std::string operator()(const SubscribeRequest&) const { return ""; }
    std::string operator()(const HelloRequest&) const { return ""; }
    std::string operator()(const CommandRequest& r) const { return r.id; }
    std::string operator()(const StartExerciseRequest& r) const { return r.id; }
    std::string operator()(const ControlExerciseRequest& r) const { return r.id; }
    std::string operator()(const ReloadScenariosRequest& r) const { return r.id; }
    std::string operator()(const CheckScenarioRequest& r) const { return r.id; }
    std::string operator()(const SaveScenarioRequest& r) const { return r.id; }
    std::string operator()(const RestoreScenarioRequest& r) const { return r.id; }
    std::string operator()(const ImportHaveRequest& r) const { return r.id; }
  };
  return std::visit(Visitor{}, message);
}

namespace {

Json SnapshotJson(const HealthcareRegionConfig& config, const SpaceState& state,
                  TimeMs server_time, std::optional<SetExerciseClock> clock_now) {
  Json body{{"type", "snapshot"},
            {"space", state.space},
            {"exercise", state.exercise},
            {"seq", state.seq},
            {"server_time", FormatUtc(server_time)},
            {"state", StateToJson(config, state)}};
  if (state.exercise_info) {
    Json info = ExerciseInfoToJson(*state.exercise_info);
    if (clock_now) {
      info["elapsed_ms"] = clock_now->elapsed_ms;
      info["status"] = clock_now->status;
      info["speed"] = clock_now->speed;
    }
    info["clock_wall_time"] = FormatUtc(server_time);
    body["exercise_info"] = std::move(info);
  }
  return body;
}

}  // namespace

std::string SnapshotMessage(const HealthcareRegionConfig& config, const SpaceState& state,
                            TimeMs server_time, std::optional<SetExerciseClock> clock_now) {
  return Envelope(SnapshotJson(config, state, server_time, clock_now));
}

std::string StateApiMessage(const HealthcareRegionConfig& config, const SpaceState& state,
                            TimeMs server_time, TimeMs evaluate_at,
                            std::optional<SetExerciseClock> clock_now) {
  Json body = SnapshotJson(config, state, server_time, clock_now);
  body["evaluated_at"] = FormatUtc(evaluate_at);
  Json& hospitals = body["state"]["hospitals"];
  for (std::size_t h = 0; h < hospitals.size(); ++h) {
    Staleness staleness = EvaluateStaleness(config, state, h, evaluate_at);
    hospitals[h]["overdue"] = staleness.overdue;
    hospitals[h]["stale"] = staleness.stale;
  }
  return Envelope(std::move(body));
}

std::string DeltaMessage(const HealthcareRegionConfig& config, const SpaceState& state,
                         const Event& event, TimeMs server_time,
                         const MessageState* acknowledged) {
  Json body{{"type", "delta"}, {"space", event.space}, {"seq", event.seq}};
  Json event_json = EventToJson(event);
  event_json.erase("space");
  event_json.erase("command_id");  // the sender's own; its ack answered it
  body["event"] = std::move(event_json);
  const auto put_hospital = [&](const std::string& id) {
    if (auto index = config.FindHospital(id)) {
      body["hospital"] = HospitalToJson(config, state, *index);
    }
  };
  const auto put_message = [&](const std::string& id) {
    if (const MessageState* message = state.FindMessage(id)) {
      body["message"] = MessageToJson(state.space, *message);
    } else if (acknowledged && MessageId(state.space, acknowledged->seq) == id) {
      body["message"] = MessageToJson(state.space, *acknowledged);
    }
  };
  if (const auto* reported = std::get_if<CapacityReported>(&event.body)) {
    put_hospital(reported->report.hospital);
  } else if (const auto* confirmed = std::get_if<FiguresConfirmed>(&event.body)) {
    put_hospital(confirmed->hospital);
  } else if (const auto* readiness = std::get_if<RegionReadinessSet>(&event.body)) {
    if (auto index = config.FindRegion(readiness->region)) {
      body["region"] = RegionToJson(config, *index, state.regions[*index]);
      // The region's level is part of its hospitals' effective level, hence of their freshness.
      Json& hospitals = body["hospitals"] = Json::array();
      for (std::size_t h : config.regions[*index].hospital_indexes) {
        hospitals.push_back(HospitalToJson(config, state, h));
      }
    }
  } else if (std::holds_alternative<MessagePosted>(event.body)) {
    put_message(MessageId(event.space, event.seq));
  } else if (const auto* acknowledged = std::get_if<MessageAcknowledged>(&event.body)) {
    put_message(acknowledged->message_id);
  } else if (const auto* dispatched = std::get_if<CasualtiesDispatched>(&event.body)) {
    put_hospital(dispatched->to.hospital);
  } else if (const auto* arrived = std::get_if<CasualtiesArrived>(&event.body)) {
    put_hospital(arrived->hospital);
  } else if (const auto* worse = std::get_if<PatientsDeteriorated>(&event.body)) {
    if (!worse->hospital.empty()) put_hospital(worse->hospital);
  } else if (const auto* transferred = std::get_if<PatientsTransferred>(&event.body)) {
    put_hospital(transferred->transfer.from);
    body["hospital_to"] = Json(nullptr);
    if (auto index = config.FindHospital(transferred->transfer.to)) {
      body["hospital_to"] = HospitalToJson(config, state, *index);
    }
  } else if (const auto* transport = std::get_if<TransportReported>(&event.body)) {
    if (auto index = config.FindRegion(transport->report.region)) {
      body["region"] = RegionToJson(config, *index, state.regions[*index]);
    }
  } else if (const auto* decided = std::get_if<DecisionRecorded>(&event.body)) {
    if (auto index = config.FindRegion(decided->decision.region)) {
      body["region"] = RegionToJson(config, *index, state.regions[*index]);
    }
    if (!decided->decision.hospital.empty()) put_hospital(decided->decision.hospital);
  } else if (std::holds_alternative<ExerciseStarted>(event.body) ||
             std::holds_alternative<ExerciseClockSet>(event.body)) {
    if (state.exercise_info) {
      Json info = ExerciseInfoToJson(*state.exercise_info);
      info["clock_wall_time"] = FormatUtc(server_time);  // the change took effect then
      body["exercise_info"] = std::move(info);
    }
  }
  // A decision is the newest entry of the decisions log Apply() keeps.
  if (!state.decisions.empty() && state.decisions.back().seq == event.seq) {
    body["decision"] = DecisionRecordToJson(state.decisions.back());
  }
  // The patient flow changed: the exercise's patients at the scene and on the way.
  if (state.exercise_info &&
      (std::holds_alternative<CasualtiesDispatched>(event.body) ||
       std::holds_alternative<CasualtiesArrived>(event.body) ||
       std::holds_alternative<CasualtiesAtScene>(event.body) ||
       std::holds_alternative<PatientsDeteriorated>(event.body) ||
       std::holds_alternative<PatientsTransferred>(event.body))) {
    body["patients"] = PatientFlowToJson(*state.exercise_info);
  }
  return Envelope(std::move(body));
}

std::string ResumedMessage(const std::string& space, Seq seq) {
  return Envelope({{"type", "resumed"}, {"space", space}, {"seq", seq}});
}

std::string AckMessage(const std::string& id, const std::string& space, Seq seq, bool already) {
  Json body{{"type", "ack"}, {"id", id}, {"space", space}, {"seq", seq}};
  if (already) body["already"] = true;
  return Envelope(std::move(body));
}

std::string ExerciseAckMessage(const std::string& id, const std::string& space, Seq seq) {
  return Envelope({{"type", "ack"}, {"id", id}, {"space", space}, {"seq", seq}});
}

std::string WelcomeMessage(const Actor& user) {
  Json described = {{"id", user.id}, {"role", WireName(user.role)}};
  described["region"] = user.region.empty() ? Json(nullptr) : Json(user.region);
  return Envelope({{"type", "welcome"}, {"user", std::move(described)}});
}

std::string ScenariosReloadedMessage(const std::string& id, std::size_t files, std::size_t broken) {
  return Envelope({{"type", "ack"}, {"id", id}, {"scenarios", files}, {"broken", broken}});
}

std::string ErrorMessage(const std::string& id, const Error& error) {
  Json body{{"type", "error"},
            {"id", id.empty() ? Json(nullptr) : Json(id)},
            {"code", error.code},
            {"message", error.message}};
  if (!error.field.empty()) body["field"] = error.field;
  if (!error.details.empty()) body["details"] = error.details;
  return Envelope(std::move(body));
}

}  // namespace lagesbild
