// Any scenario file: the loader reports errors with a JSON path or yields a scenario whose
// injects are sorted and within the planned duration.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "lagesbild/core/scenario.h"

namespace {

const lagesbild::HealthcareRegionConfig& Config() {
  static const auto config = [] {
    std::ifstream in(std::string(LAGESBILD_SOURCE_DIR) + "/config/mellansverige.json");
    std::ostringstream text;
    text << in.rdbuf();
    return lagesbild::ParseConfig(text.str(), "mellansverige.json").value();
  }();
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto result = lagesbild::ParseScenario(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.json", Config());
  if (result.ok()) {
    lagesbild::ElapsedMs previous = 0;
    for (const auto& inject : result->injects) {
      if (inject.at < previous || inject.at > result->planned_ms) std::abort();
      previous = inject.at;
      (void)lagesbild::InjectSummary(Config(), inject);
    }
  } else if (result.error().details.empty() || result.error().message.empty()) {
    std::abort();  // refused without saying why
  }
  return 0;
}
