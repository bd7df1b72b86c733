#include "lagesbild/core/catalogue.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "lagesbild/core/permissions.h"
#include "lagesbild/core/scenario.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

const ScenarioVersion* ScenarioCatalogue::Find(const std::string& id, std::int64_t version) const {
  auto it = scenarios.find(id);
  if (it == scenarios.end() || it->second.empty()) return nullptr;
  if (version == 0) return &it->second.back();
  if (version < 1 || version > static_cast<std::int64_t>(it->second.size())) return nullptr;
  return &it->second[static_cast<std::size_t>(version - 1)];
}

std::int64_t ScenarioCatalogue::Newest(const std::string& id) const {
  auto it = scenarios.find(id);
  return it == scenarios.end() ? 0 : static_cast<std::int64_t>(it->second.size());
}

std::optional<Error> SpaceRefusal(std::string_view space, const Actor& actor) {
  if (space == kCatalogueSpace) {
    return MakeError("unknown_space", "space",
                     "no space 'scenarios': the scenario catalogue is read with GET /api/scenarios");
  }
  if (space == kAuditSpace) {
    return MakeError("unknown_space", "space",
                     "no space 'audit': the sign-in audit is read from the event log (lagesbild verify, sqlite3)");
  }
  if (IsDryRunSpace(space) && !RunsExercises(actor.role)) {
    return MakeError("forbidden", "space", "a dry run is shown to trainers only");
  }
  return std::nullopt;
}

bool IsScenarioId(std::string_view id) {
  if (id.empty() || id.size() > kMaxScenarioIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::pair<std::string, std::string> SplitProblem(const std::string& problem) {
  // "<source>: <path>: <what>"; the source never holds ": $".
  const std::size_t path = problem.find(": $");
  if (path == std::string::npos) {
    const std::size_t colon = problem.find(": ");
    return {"$", colon == std::string::npos ? problem : problem.substr(colon + 2)};
  }
  const std::size_t what = problem.find(": ", path + 2);
  if (what == std::string::npos) return {"$", problem.substr(path + 2)};
  return {problem.substr(path + 2, what - path - 2), problem.substr(what + 2)};
}

std::vector<std::string> ScenarioProblems(const HealthcareRegionConfig& config,
                                          const nlohmann::json& root, const std::string& id) {
  std::vector<std::string> problems;
  auto parsed = ParseScenarioJson(root, "scenario", config);
  if (!parsed.ok()) problems = parsed.error().details;
  auto found = root.is_object() ? root.find("id") : root.end();
  if (!id.empty() && root.is_object() && found != root.end() && found->is_string() && *found != id) {
    problems.push_back("scenario: $.id: must be the scenario's id '" + id + "'");
  }
  std::vector<std::string> out;
  for (const std::string& problem : problems) {
    if (out.size() == kMaxProblemsKept) break;
    auto [path, what] = SplitProblem(problem);
    out.push_back(path + ": " + what);
  }
  return out;
}

void ReadScenarioMetadata(const std::string& text, ScenarioFile& file) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return;
  const auto text_of = [&](const nlohmann::json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  file.name = text_of(json, "name");
  file.description = text_of(json, "description");
  file.healthcare_region = text_of(json, "healthcare_region");
  if (auto modelled = json.find("modelled_on"); modelled != json.end() && modelled->is_object()) {
    file.incident = text_of(*modelled, "incident");
    file.source = text_of(*modelled, "source");
  }
  if (auto minutes = json.find("planned_duration_minutes");
      minutes != json.end() && minutes->is_number_integer()) {
    file.planned_minutes = minutes->get<std::int64_t>();
  }
}

ScenarioFile SavedScenarioFile(const std::string& id, const ScenarioVersion& newest,
                               std::shared_ptr<const Scenario> parsed) {
  ScenarioFile file;
  file.id = id;
  file.text = newest.text;
  file.digest = newest.digest;
  ReadScenarioMetadata(newest.text, file);
  file.errors = newest.problems;
  if (newest.valid) file.scenario = std::move(parsed);
  return file;
}

Result<ScenarioSaved> JudgeSave(const HealthcareRegionConfig& config,
                                const ScenarioCatalogue* catalogue, const SaveScenario& save) {
  if (!IsScenarioId(save.scenario_id)) {
    return MakeError("invalid_value", "scenario", "a scenario id is 1-40 of a-z, 0-9 and -");
  }
  if (std::find(save.taken_ids.begin(), save.taken_ids.end(), save.scenario_id) !=
      save.taken_ids.end()) {
    return MakeError("scenario_id_taken", "scenario",
                     "'" + save.scenario_id +
                         "' is a shipped scenario file; save a copy under a new id");
  }
  const std::int64_t newest = catalogue ? catalogue->Newest(save.scenario_id) : 0;
  if (save.base_version != newest) {
    return MakeError("version_conflict", "base_version",
                     "the newest version of '" + save.scenario_id + "' is " +
                         std::to_string(newest) + ", not " + std::to_string(save.base_version) +
                         ": someone saved in between; reload it first");
  }
  if (save.restored_from < 0 || save.restored_from > newest) {
    return MakeError("invalid_value", "version", "no such version to restore");
  }
  if (save.text.size() > kMaxScenarioBytes) {
    return MakeError("message_too_large", "scenario",
                     "a scenario is at most " + std::to_string(kMaxScenarioBytes / 1024) + " KiB");
  }
  if ((catalogue ? catalogue->bytes : 0) + save.text.size() > kMaxCatalogueBytes) {
    return MakeError("catalogue_full", "scenario",
                     "the scenario catalogue holds at most " +
                         std::to_string(kMaxCatalogueBytes / (1024 * 1024)) + " MiB of versions");
  }
  const nlohmann::json root = nlohmann::json::parse(save.text, nullptr, /*allow_exceptions=*/false);
  if (!root.is_object()) {  // also a text that is not JSON at all (discarded)
    return MakeError("invalid_value", "scenario", "a scenario is a JSON object");
  }
  ScenarioSaved saved;
  saved.scenario_id = save.scenario_id;
  saved.version = newest + 1;
  saved.text = save.text;
  saved.digest = TextDigest(save.text);
  saved.restored_from = save.restored_from;
  if (auto name = root.find("name"); name != root.end() && name->is_string()) {
    saved.name = TruncateUtf8(name->get<std::string>(), 120);
  }
  saved.problems = ScenarioProblems(config, root, save.scenario_id);
  saved.valid = saved.problems.empty();
  return saved;
}

void ApplySaved(std::optional<ScenarioCatalogue>& catalogue, const Event& event,
                const ScenarioSaved& saved) {
  if (!catalogue) catalogue.emplace();
  ScenarioVersion version;
  version.version = saved.version;
  version.seq = event.seq;
  version.at = event.at;
  version.by = event.actor;
  version.text = saved.text;
  version.name = saved.name;
  version.digest = saved.digest;
  version.valid = saved.valid;
  version.problems = saved.problems;
  version.restored_from = saved.restored_from;
  catalogue->bytes += saved.text.size();
  catalogue->scenarios[saved.scenario_id].push_back(std::move(version));
}

}  // namespace lagesbild
