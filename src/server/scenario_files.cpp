#include "lagesbild/server/scenario_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lagesbild/core/json_mapping.h"

namespace lagesbild {

std::vector<ScenarioFile> LoadScenarioFiles(const std::string& directory,
                                            const HealthcareRegionConfig& config) {
  namespace fs = std::filesystem;
  std::vector<ScenarioFile> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    if (entry.path().extension() != ".json") continue;
    ScenarioFile file;
    file.path = entry.path().string();
    file.id = entry.path().stem().string();
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const Json json = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (json.is_object()) {
      const auto text_of = [&](const char* key) {
        auto it = json.find(key);
        return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
      };
      file.name = text_of("name");
      file.description = text_of("description");
      file.healthcare_region = text_of("healthcare_region");
      if (auto modelled = json.find("modelled_on"); modelled != json.end() && modelled->is_object()) {
        file.incident = modelled->value("incident", "");
        file.source = modelled->value("source", "");
      }
      if (auto minutes = json.find("planned_duration_minutes");
          minutes != json.end() && minutes->is_number_integer()) {
        file.planned_minutes = minutes->get<std::int64_t>();
      }
    }
    auto result = ParseScenario(text.str(), "scenarios/" + entry.path().filename().string(), config);
    if (!result.ok()) {
      file.errors = result.error().details;
    } else if (result->id != file.id) {
      file.errors.push_back("scenarios/" + entry.path().filename().string() +
                            ": $.id: must match the file name '" + file.id + "'");
    } else {
      file.scenario = std::make_shared<const Scenario>(std::move(result).value());
    }
    files.push_back(std::move(file));
  }
  std::sort(files.begin(), files.end(),
            [](const ScenarioFile& a, const ScenarioFile& b) { return a.id < b.id; });
  return files;
}

}  // namespace lagesbild
