// Reading a scenario file top-down: each helper throws a Problem (json_walk.h) with the JSON path
// it is at, caught where reading can go on, so one file reports as many problems as it has.
// Private to the core (scenario.cpp, scenario_read.cpp).
#ifndef LAGESBILD_CORE_SCENARIO_READ_H_
#define LAGESBILD_CORE_SCENARIO_READ_H_

#include <array>
#include <cstdint>
#include <set>
#include <string>

#include "json_walk.h"

#include "lagesbild/core/config.h"
#include "lagesbild/core/scenario.h"

namespace lagesbild {

using Problem = JsonProblem;
using Json = nlohmann::json;

void AllowOnly(const Json& object, const std::string& path, std::set<std::string> allowed);
std::string Text(const Json& object, const std::string& path, const char* key,
                 std::size_t max_length, bool required = true);
std::int64_t Count(const Json& value, const std::string& path, std::int64_t max);
void RequireRegion(const HealthcareRegionConfig& config, const std::string& id,
                   const std::string& path);
void RequireHospital(const HealthcareRegionConfig& config, const std::string& id,
                     const std::string& path);
ReadinessLevel Level(const Json& value, const std::string& path);
// A report body (beds, reception, ed_status, readiness) read with the wire's own mapping.
CapacityReport ReportBody(const Json& object, const std::string& path, std::string hospital);
// P1/P2/P3 counts (and "deceased" when `deceased` is given).
std::array<std::int64_t, 3> Patients(const Json& object, const std::string& path,
                                     std::int64_t* deceased);
// One inject's body of the given kind.
InjectBody ReadInjectBody(const Json& json, const std::string& path, const std::string& kind,
                          const HealthcareRegionConfig& config);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_SCENARIO_READ_H_
