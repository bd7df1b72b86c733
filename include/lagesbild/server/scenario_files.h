// The scenario files of scenarios/, each loaded and checked (a broken one is listed with its
// errors and cannot be started). Reading is file I/O: call it where blocking briefly is fine.
#ifndef LAGESBILD_SERVER_SCENARIO_FILES_H_
#define LAGESBILD_SERVER_SCENARIO_FILES_H_

#include <memory>
#include <string>
#include <vector>

#include "lagesbild/core/scenario.h"

namespace lagesbild {

struct ScenarioFile {
  std::string path;
  std::string id;  // from the file name when the file cannot be read
  std::shared_ptr<const Scenario> scenario;  // null when broken
  std::vector<std::string> errors;
  // Metadata shown even for a file with errors, when it could be read.
  std::string name, description, incident, source, healthcare_region;
  std::int64_t planned_minutes = 0;
};

std::vector<ScenarioFile> LoadScenarioFiles(const std::string& directory,
                                            const HealthcareRegionConfig& config);

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_SCENARIO_FILES_H_
