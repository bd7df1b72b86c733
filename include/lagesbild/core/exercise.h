// Playing a scenario: the exercise clock and the order of injects. Both are pure (wall time is
// passed in), so a replay at 1× or 60× with an injected clock yields the same commands at the
// same exercise times, hence the same event log.
//
// Thread model: an ExerciseClock and a ScenarioPlayer are owned by one exercise runner on the
// network thread (server.cpp); nothing here locks.
#ifndef LAGESBILD_CORE_EXERCISE_H_
#define LAGESBILD_CORE_EXERCISE_H_

#include <optional>
#include <string>
#include <vector>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/scenario.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

class ExerciseClock {
 public:
  void Start(TimeMs wall, bool paused);
  void Pause(TimeMs wall);
  void Resume(TimeMs wall);
  void SetSpeed(TimeMs wall, int speed);  // 1-60
  void JumpTo(TimeMs wall, ElapsedMs elapsed);  // forward only
  void Stop(TimeMs wall);

  ElapsedMs Elapsed(TimeMs wall) const;
  // When (wall time) the clock reaches `elapsed`; nothing while it is not running.
  std::optional<TimeMs> WallTimeOf(ElapsedMs elapsed, TimeMs now) const;
  ExerciseStatus status() const { return status_; }
  int speed() const { return speed_; }
  SetExerciseClock AsCommand(TimeMs wall) const;

 private:
  void Anchor(TimeMs wall);
  ExerciseStatus status_ = ExerciseStatus::kPaused;
  int speed_ = 1;
  TimeMs anchor_wall_ = 0;
  ElapsedMs anchor_elapsed_ = 0;
};

struct TimedCommand {
  ElapsedMs at = 0;       // exact exercise time of the inject (not when the timer fired)
  std::string inject_id;  // empty for arrivals
  CommandBody body;
};

// The commands for a scenario's baseline and start.
StartExercise StartCommand(const Scenario& scenario, bool paused, bool dry_run = false);

class ScenarioPlayer {
 public:
  explicit ScenarioPlayer(const Scenario& scenario) : scenario_(&scenario) {}
  // Every inject due at `elapsed` not yet played, in order, each preceded by the arrivals due by
  // its time; then the arrivals due by `elapsed`. Checkpoints yield no command.
  std::vector<TimedCommand> Due(ElapsedMs elapsed);
  std::optional<ElapsedMs> NextAt() const;
  // Marks every inject due by `elapsed` as played without playing it (after a restart).
  void Skip(ElapsedMs elapsed);

 private:
  const Scenario* scenario_;
  std::size_t next_ = 0;
};

// Every reported figure and region level of `state`, as baseline for an exercise copied from it.
void CopyBaseline(const HealthcareRegionConfig& config, const SpaceState& state,
                  StartExercise* start);

// The command an inject becomes (none for a checkpoint).
std::optional<CommandBody> InjectCommand(const Inject& inject);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_EXERCISE_H_
