// The scenario files of scenarios/, each loaded and checked (a broken one is listed with its
// errors and cannot be started). Reading is file I/O: call it where blocking briefly is fine.
#ifndef LAGESBILD_SERVER_SCENARIO_FILES_H_
#define LAGESBILD_SERVER_SCENARIO_FILES_H_

#include <memory>
#include <string>
#include <vector>

#include "lagesbild/core/scenario.h"

namespace lagesbild {

std::vector<ScenarioFile> LoadScenarioFiles(const std::string& directory,
                                            const HealthcareRegionConfig& config);

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_SCENARIO_FILES_H_
