// The scenario editor's messages (docs/protocol.md, "Scenario editor"): parsing them, and the
// answers to check_scenario and save_scenario.
#include "lagesbild/core/catalogue.h"
#include "lagesbild/core/wire.h"
#include "wire_read.h"

namespace lagesbild {
namespace {

std::int64_t RequireVersion(const Json& message, const char* field, std::int64_t lowest) {
  auto it = message.find(field);
  if (it == message.end()) Reject("bad_message", field, std::string(field) + " is missing");
  if (!it->is_number_integer() || it->get<std::int64_t>() < lowest ||
      it->get<std::int64_t>() > 1000000000) {
    Reject("bad_message", field,
           std::string(field) + " must be a version number (" + std::to_string(lowest) +
               " or more)");
  }
  return it->get<std::int64_t>();
}

// The scenario object as text; it is judged whole by the loader later.
std::string ScenarioText(const Json& message) {
  auto it = message.find("scenario");
  if (it == message.end()) Reject("bad_message", "scenario", "scenario is missing");
  if (!it->is_object()) Reject("bad_message", "scenario", "scenario must be a JSON object");
  std::string text = it->dump(2);
  if (text.size() > kMaxScenarioBytes) {
    Reject("message_too_large", "scenario",
           "a scenario is at most " + std::to_string(kMaxScenarioBytes / 1024) + " KiB");
  }
  return text;
}

Json ProblemsJson(const std::vector<std::string>& problems) {
  Json list = Json::array();
  for (const std::string& problem : problems) {
    const std::size_t colon = problem.find(": ");
    list.push_back(colon == std::string::npos
                       ? Json{{"path", "$"}, {"message", problem}}
                       : Json{{"path", problem.substr(0, colon)},
                              {"message", problem.substr(colon + 2)}});
  }
  return list;
}

}  // namespace

ClientMessage ParseCatalogueMessage(const Json& message, const std::string& type,
                                    const std::string& id) {
  if (type == "check_scenario") {
    AllowOnlyFields(message, type, {"id", "scenario"});
    auto scenario = message.find("scenario");
    if (scenario == message.end() || !scenario->is_object()) {
      Reject("bad_message", "scenario", "scenario must be a JSON object");
    }
    return CheckScenarioRequest{id, *scenario};
  }
  if (type == "save_scenario") {
    AllowOnlyFields(message, type, {"id", "scenario", "base_version"});
    SaveScenarioRequest request{id, "", ScenarioText(message), 0};
    const Json& scenario = message.at("scenario");
    auto scenario_id = scenario.find("id");
    if (scenario_id == scenario.end() || !scenario_id->is_string() ||
        !IsScenarioId(scenario_id->get_ref<const std::string&>())) {
      Reject("invalid_value", "scenario.id",
             "the scenario needs an id of 1-40 of a-z, 0-9 and - (it names the file)");
    }
    request.scenario_id = scenario_id->get<std::string>();
    request.base_version = RequireVersion(message, "base_version", 0);
    return request;
  }
  AllowOnlyFields(message, type, {"id", "scenario", "version"});
  const std::string scenario = RequireText(message, "scenario", kMaxScenarioIdLength);
  if (!IsScenarioId(scenario)) Reject("invalid_value", "scenario", "no such scenario id");
  return RestoreScenarioRequest{id, scenario, RequireVersion(message, "version", 1)};
}

std::string ScenarioCheckMessage(const std::string& id, const std::vector<std::string>& problems) {
  return Envelope({{"type", "scenario_check"},
                   {"id", id},
                   {"valid", problems.empty()},
                   {"problems", ProblemsJson(problems)}});
}

std::string ScenarioSavedMessage(const std::string& id, Seq seq, const std::string& scenario_id,
                                 std::int64_t version, bool valid,
                                 const std::vector<std::string>& problems,
                                 std::int64_t restored_from) {
  return Envelope({{"type", "ack"},
                   {"id", id},
                   {"space", kCatalogueSpace},
                   {"seq", seq},
                   {"scenario", scenario_id},
                   {"version", version},
                   {"valid", valid},
                   {"problems", ProblemsJson(problems)},
                   {"restored_from", restored_from == 0 ? Json(nullptr) : Json(restored_from)}});
}

}  // namespace lagesbild
