// The scenario editor's server side: checking a scenario with the files' loader, saving versions
// to the catalogue through the engine (a write like any other: judged, logged, audited), restoring
// an earlier version, and the catalogue as the trainers read it (GET /api/scenarios, the export of
// one version's text). Trainers only.
//
// Thread model: network thread only (network.h). A check runs the loader on the reader thread
// (its queue is bounded: "busy" when full), saves go to the engine; both post their answers
// back to the network thread.
#ifndef LAGESBILD_SERVER_SCENARIO_EDITOR_H_
#define LAGESBILD_SERVER_SCENARIO_EDITOR_H_

#include <string>
#include <utility>

#include "exercise_runner.h"
#include "network.h"
#include "shared_state.h"

#include "lagesbild/core/result.h"
#include "lagesbild/core/wire.h"

namespace lagesbild {

class ScenarioEditor {
 public:
  ScenarioEditor(Network& net, SharedState& shared, ExerciseRunner& runner)
      : net_(net), shared_(shared), runner_(runner) {}

  void Check(ConnectionHandle handle, const Actor& actor, CheckScenarioRequest request);
  void Save(ConnectionHandle handle, const Actor& actor, SaveScenarioRequest request);
  void Restore(ConnectionHandle handle, const Actor& actor, const RestoreScenarioRequest& request);

  // GET /api/scenarios: the files and the saved scenarios.
  std::string ListJson();
  // GET /api/scenario: the text of a file (`version` 0) or of a saved version (0: the newest).
  Result<std::string> Text(const std::string& id, std::int64_t version) const;

 private:
  const ScenarioCatalogue* Catalogue() const;
  // Submits a save; the ack names the version it added.
  void Submit(ConnectionHandle handle, const Actor& actor, const std::string& id,
              SaveScenario save);

  Network& net_;
  SharedState& shared_;
  ExerciseRunner& runner_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_SCENARIO_EDITOR_H_
