// The exercises being run: each running exercise's scenario, clock (scaled, pausable), player
// and wake-up timer, and the scenario catalogue they start from. The runner plays what is due
// as commands through the engine, like any participant's, so the log is the whole exercise.
//
// Thread model: network thread only (network.h); commands go to the engine, whose outcomes are
// posted back to the network thread.
#ifndef LAGESBILD_SERVER_EXERCISE_RUNNER_H_
#define LAGESBILD_SERVER_EXERCISE_RUNNER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "network.h"
#include "shared_state.h"

#include "lagesbild/core/exercise.h"
#include "lagesbild/core/scenario.h"
#include "lagesbild/core/wire.h"

namespace lagesbild {

class ExerciseRunner {
 public:
  ExerciseRunner(Network& net, SharedState& shared) : net_(net), shared_(shared) {}

  // The scenario files (read at start and by reload_scenarios, on the reader thread).
  const std::shared_ptr<const std::vector<ScenarioFile>>& catalogue() const { return catalogue_; }
  void set_catalogue(std::shared_ptr<const std::vector<ScenarioFile>> files) { catalogue_ = std::move(files); }
  // A scenario by id: a file of scenarios/ (`version` 0), or a version of a saved one (0: the
  // newest). An error says why it cannot be started (unknown_scenario, invalid_scenario).
  Result<std::shared_ptr<const Scenario>> FindScenario(const std::string& id,
                                                       std::int64_t version = 0);
  // The scenario an exercise space runs: its runner's (as it was started, whatever the catalogue
  // holds since), else the exact text it started with (null when that is gone).
  std::shared_ptr<const Scenario> ScenarioOf(const std::string& space, const ExerciseInfo& info);

  // Exercises that were running when the server stopped come back paused where their log ends,
  // so a trainer resumes them deliberately. Injects up to then are not played again.
  void ResumeAll();
  // Starts an exercise; the ack or error goes to `handle`. Returns the space it starts (empty
  // when refused before reaching the engine).
  std::string Start(ConnectionHandle handle, const Actor& actor, StartExerciseRequest request);
  void Control(ConnectionHandle handle, const Actor& actor, ControlExerciseRequest request);
  // An event was published: a dispatch means an arrival to wake up for.
  void OnPublished(const Event& event);
  void CancelTimers();

  // The time a command to `space` is stamped with: wall time, or the exercise's time after
  // playing everything due before it.
  TimeMs CommandTime(const std::string& space);
  std::optional<SetExerciseClock> ClockNow(const std::string& space) const;
  // The status of the running exercise of `space`, if it has a runner.
  std::optional<ExerciseStatus> Status(const std::string& space) const;

 private:
  struct Runner {
    std::string space;
    std::shared_ptr<const Scenario> scenario;
    TimeMs start = 0;  // exercise time of 00:00
    ExerciseClock clock;
    ScenarioPlayer player;
    std::unique_ptr<asio::steady_timer> timer;
  };
  Runner& Add(const std::string& space, std::shared_ptr<const Scenario> scenario, TimeMs start);
  void PlayDue(Runner& runner);
  void Schedule(Runner& runner);
  void OnWake(const std::string& space);

  // The exact text an exercise started with: the file if its digest still matches, else the
  // saved version it names.
  std::shared_ptr<const Scenario> StartedScenario(const ExerciseInfo& info);

  Network& net_;
  SharedState& shared_;
  // Saved versions parsed once (they never change): "<id>@<version>".
  std::map<std::string, std::shared_ptr<const Scenario>> parsed_versions_;
  std::shared_ptr<const std::vector<ScenarioFile>> catalogue_ =
      std::make_shared<const std::vector<ScenarioFile>>();
  std::map<std::string, std::unique_ptr<Runner>> runners_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_EXERCISE_RUNNER_H_
