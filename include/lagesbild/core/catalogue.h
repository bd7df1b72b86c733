// The scenario catalogue: every version of the scenarios trainers write in the editor, kept as
// events of one space of its own (kCatalogueSpace) so a save is a write like any other — judged,
// durably logged, audited (who saved which version when) and replayed at start. The files of
// scenarios/ are the shipped scenarios beside it (read-only; a trainer copies one under a new id).
// Pure: the texts are checked by the same loader as the files (ParseScenario).
#ifndef LAGESBILD_CORE_CATALOGUE_H_
#define LAGESBILD_CORE_CATALOGUE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"
#include "lagesbild/core/digest.h"
#include "lagesbild/core/domain.h"
#include "lagesbild/core/events.h"
#include "lagesbild/core/result.h"

namespace lagesbild {

// The space that holds the catalogue. It is never shown: no board subscribes to it.
inline constexpr const char* kCatalogueSpace = "scenarios";
// A dry run's space: a private exercise, shown to trainers only.
inline constexpr std::string_view kDryRunPrefix = "provkorning-";
inline constexpr std::string_view kExercisePrefix = "ovning-";
inline constexpr int kDryRunSpeed = 60;
inline bool IsDryRunSpace(std::string_view space) { return space.rfind(kDryRunPrefix, 0) == 0; }

// Whether `actor` may see the space: the catalogue is never shown as a space (unknown_space),
// a dry run only to trainers (forbidden). Nothing: it may.
std::optional<Error> SpaceRefusal(std::string_view space, const Actor& actor);

// Bounds: one scenario's text, and every version's text together (memory and disk).
inline constexpr std::size_t kMaxScenarioBytes = 512 * 1024;
inline constexpr std::size_t kMaxCatalogueBytes = 64 * 1024 * 1024;
inline constexpr std::size_t kMaxProblemsKept = 200;  // per saved version
inline constexpr std::size_t kMaxScenarioIdLength = 40;  // as the loader allows ($.id)

struct ScenarioVersion {
  std::int64_t version = 0;  // 1, 2, … per scenario id
  Seq seq = 0;               // of its scenario_saved event
  TimeMs at = 0;
  Actor by;
  std::string text;          // the scenario file's JSON text, as saved
  std::string name;          // its "name", when it has one
  std::string digest;        // TextDigest(text)
  bool valid = false;        // false: a draft (it has problems and cannot be started)
  std::vector<std::string> problems;  // "$.path: problem", at most kMaxProblemsKept
  std::int64_t restored_from = 0;     // a restore: the version whose text this is
  bool operator==(const ScenarioVersion& o) const {
    return version == o.version && seq == o.seq && at == o.at && by == o.by && text == o.text &&
           name == o.name && digest == o.digest && valid == o.valid && problems == o.problems &&
           restored_from == o.restored_from;
  }
};

struct ScenarioCatalogue {
  std::map<std::string, std::vector<ScenarioVersion>> scenarios;  // versions oldest first
  std::size_t bytes = 0;  // of every version's text
  // `version` 0: the newest. Null when there is no such version.
  const ScenarioVersion* Find(const std::string& id, std::int64_t version = 0) const;
  std::int64_t Newest(const std::string& id) const;  // 0: no version
  bool operator==(const ScenarioCatalogue& o) const {
    return scenarios == o.scenarios && bytes == o.bytes;
  }
};

// Whether `id` may name a scenario: 1-40 of a-z, 0-9 and '-' (the loader's rule).
bool IsScenarioId(std::string_view id);

// Adds the saved version to the catalogue (made when missing).
void ApplySaved(std::optional<ScenarioCatalogue>& catalogue, const Event& event,
                const ScenarioSaved& saved);

// A loader problem ("<source>: $.injects[2].at: must be …") as its JSON path and its text; a
// problem without a path gets "$".
std::pair<std::string, std::string> SplitProblem(const std::string& problem);

struct ScenarioFile;
// The metadata of a scenario text (name, description, modelled_on, region, planned minutes) as far
// as it can be read, also from a text with problems.
void ReadScenarioMetadata(const std::string& text, ScenarioFile& file);
// A saved scenario as a catalogue entry: its newest version's metadata and problems, and the
// parsed scenario when that version is valid (`parsed`, may be null).
ScenarioFile SavedScenarioFile(const std::string& id, const ScenarioVersion& newest,
                               std::shared_ptr<const struct Scenario> parsed);

// The loader's problems with a scenario ("$.path: what", at most kMaxProblemsKept); with `id`,
// also an "id" that differs from it. None: it can be started.
std::vector<std::string> ScenarioProblems(const HealthcareRegionConfig& config,
                                          const nlohmann::json& root, const std::string& id = "");

// Judges a save against the catalogue (null: none yet) and returns the event that adds it.
Result<ScenarioSaved> JudgeSave(const HealthcareRegionConfig& config,
                                  const ScenarioCatalogue* catalogue, const SaveScenario& save);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_CATALOGUE_H_
