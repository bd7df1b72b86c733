#include "lagesbild/server/scenario_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lagesbild/core/catalogue.h"
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
    file.text = text.str();
    file.digest = TextDigest(file.text);
    ReadScenarioMetadata(file.text, file);
    auto result = ParseScenario(text.str(), "scenarios/" + entry.path().filename().string(), config);
    if (!result.ok()) {
      file.errors = result.error().details;
    } else if (result->id != file.id) {
      file.errors.push_back("scenarios/" + entry.path().filename().string() +
                            ": $.id: must match the file name '" + file.id + "'");
    } else {
      Scenario scenario = std::move(result).value();
      scenario.digest = file.digest;
      file.scenario = std::make_shared<const Scenario>(std::move(scenario));
    }
    files.push_back(std::move(file));
  }
  std::sort(files.begin(), files.end(),
            [](const ScenarioFile& a, const ScenarioFile& b) { return a.id < b.id; });
  return files;
}

}  // namespace lagesbild
