#include "exercise_runner.h"

#include "lagesbild/core/patients.h"

#include <algorithm>

#include "lagesbild/core/core.h"
#include "lagesbild/log/log.h"

namespace lagesbild {

Result<std::shared_ptr<const Scenario>> ExerciseRunner::FindScenario(const std::string& id,
                                                                     std::int64_t version) {
  for (const ScenarioFile& file : *catalogue_) {
    if (file.id != id) continue;
    if (version != 0) {
      return MakeError("unknown_scenario", "version",
                       "'" + id + "' is a file of scenarios/: it has no versions");
    }
    if (!file.scenario) {
      return MakeError("invalid_scenario", "scenario",
                       file.errors.empty() ? "the file is broken" : file.errors[0]);
    }
    return file.scenario;
  }
  const SpaceReplica* replica = shared_.Find(kCatalogueSpace);
  const auto& catalogue = replica ? replica->state().catalogue : std::nullopt;
  const ScenarioVersion* saved = catalogue ? catalogue->Find(id, version) : nullptr;
  if (!saved) {
    return MakeError("unknown_scenario", "scenario",
                     "no scenario '" + id + "'" +
                         (version != 0 ? " of version " + std::to_string(version) : ""));
  }
  if (!saved->valid) {
    return MakeError("invalid_scenario", "scenario",
                     "version " + std::to_string(saved->version) + " of '" + id +
                         "' is a draft with problems" +
                         (saved->problems.empty() ? "" : ": " + saved->problems[0]));
  }
  const std::string key = id + "@" + std::to_string(saved->version);
  if (auto cached = parsed_versions_.find(key); cached != parsed_versions_.end()) {
    return cached->second;
  }
  auto parsed = ParseScenario(saved->text, id, *net_.config);
  if (!parsed.ok()) return parsed.error();  // the loader changed since it was saved
  Scenario scenario = std::move(parsed).value();
  scenario.version = saved->version;
  scenario.digest = saved->digest;
  auto shared = std::make_shared<const Scenario>(std::move(scenario));
  parsed_versions_[key] = shared;
  return shared;
}

std::shared_ptr<const Scenario> ExerciseRunner::StartedScenario(const ExerciseInfo& info) {
  auto found = FindScenario(info.scenario_id, info.scenario_version);
  if (!found.ok()) return nullptr;
  // A file may have changed since: only the text it started with will do.
  if (!info.scenario_digest.empty() && found.value()->digest != info.scenario_digest) return nullptr;
  return found.value();
}

std::shared_ptr<const Scenario> ExerciseRunner::ScenarioOf(const std::string& space,
                                                           const ExerciseInfo& info) {
  auto runner = runners_.find(space);
  return runner != runners_.end() ? runner->second->scenario : StartedScenario(info);
}

ExerciseRunner::Runner& ExerciseRunner::Add(const std::string& space,
                                            std::shared_ptr<const Scenario> scenario, TimeMs start) {
  auto runner = std::make_unique<Runner>(
      Runner{space, scenario, start, {}, ScenarioPlayer(*scenario), nullptr});
  runner->timer = std::make_unique<asio::steady_timer>(net_.io);
  Runner& added = *runner;
  runners_[space] = std::move(runner);
  return added;
}

void ExerciseRunner::ResumeAll() {
  for (const auto& [space, replica] : shared_.replicas()) {
    const SpaceState& state = replica.state();
    if (!state.exercise_info || state.exercise_info->status == ExerciseStatus::kStopped) continue;
    if (state.exercise_info->dry_run) {
      // A dry run is not resumed: it is archived (stopped) where it ended.
      SetExerciseClock stop{"stopped", state.exercise_info->speed, state.exercise_info->elapsed_ms};
      net_.engine.Submit(space, Command{SystemActor(), state.exercise_info->start + stop.elapsed_ms, stop},
                         [](const CommandOutcome&) {});
      continue;
    }
    auto scenario = StartedScenario(*state.exercise_info);
    if (!scenario) {
      log::Error("exercise_not_resumed",
                 {{"space", space}, {"scenario", state.exercise_info->scenario_id},
                  {"detail", "the text it started with is gone or changed; it stays as it is"}});
      continue;
    }
    std::int64_t elapsed = state.exercise_info->elapsed_ms;
    for (const MessageState& message : state.messages) {
      elapsed = std::max(elapsed, message.at - state.exercise_info->start);
    }
    for (const HospitalState& hospital : state.hospitals) {
      if (auto last = hospital.LastReportedAt()) elapsed = std::max(elapsed, *last - state.exercise_info->start);
    }
    Runner& runner = Add(space, scenario, state.exercise_info->start);
    const TimeMs now = net_.clock->Now();
    runner.clock.Start(now, /*paused=*/true);
    runner.clock.SetSpeed(now, state.exercise_info->speed);
    runner.clock.JumpTo(now, elapsed);
    runner.player.Skip(elapsed);
    net_.engine.Submit(space, Command{SystemActor(), runner.start + elapsed, runner.clock.AsCommand(now)},
                       [](const CommandOutcome&) {});
    std::printf("lagesbild: exercise %s resumed paused at %s\n", space.c_str(),
                FormatElapsed(elapsed).c_str());
  }
}

TimeMs ExerciseRunner::CommandTime(const std::string& space) {
  auto runner = runners_.find(space);
  if (runner == runners_.end()) return net_.clock->Now();
  // What the scenario owes up to now is played first, so a participant's command is judged
  // after every inject due before it.
  PlayDue(*runner->second);
  return runner->second->start + runner->second->clock.Elapsed(net_.clock->Now());
}

std::optional<SetExerciseClock> ExerciseRunner::ClockNow(const std::string& space) const {
  auto runner = runners_.find(space);
  if (runner == runners_.end()) return std::nullopt;
  return runner->second->clock.AsCommand(net_.clock->Now());
}

std::optional<ExerciseStatus> ExerciseRunner::Status(const std::string& space) const {
  auto runner = runners_.find(space);
  if (runner == runners_.end()) return std::nullopt;
  return runner->second->clock.status();
}

void ExerciseRunner::OnPublished(const Event& event) {
  if (!std::holds_alternative<CasualtiesDispatched>(event.body)) return;
  if (auto runner = runners_.find(event.space); runner != runners_.end()) Schedule(*runner->second);
}

void ExerciseRunner::CancelTimers() {
  for (auto& [space, runner] : runners_) runner->timer->cancel();
}

void ExerciseRunner::PlayDue(Runner& runner) {
  if (runner.clock.status() == ExerciseStatus::kStopped) return;
  const Actor scenario_actor{Actor::Kind::kScenario, runner.scenario->id, Role::kViewer, ""};
  const std::int64_t elapsed = std::min(runner.clock.Elapsed(net_.clock->Now()), runner.scenario->planned_ms);
  for (TimedCommand& due : runner.player.Due(elapsed)) {
    const std::string inject = due.inject_id;
    net_.engine.Submit(runner.space,
                       Command{scenario_actor, runner.start + due.at, std::move(due.body), inject},
                       [space = runner.space, inject](const CommandOutcome& outcome) {
                         if (outcome.error && !inject.empty()) {
                           log::Warning("inject_refused", {{"space", space}, {"inject", inject},
                                                           {"detail", outcome.error->message}});
                         }
                       });
  }
}

void ExerciseRunner::Schedule(Runner& runner) {
  runner.timer->cancel();
  if (runner.clock.status() != ExerciseStatus::kRunning || net_.shutting_down) return;
  // Wake for the next inject, the next arrival, or the planned end, whichever comes first.
  std::int64_t next = runner.scenario->planned_ms;
  if (auto inject = runner.player.NextAt()) next = std::min(next, *inject);
  if (const SpaceReplica* replica = shared_.Find(runner.space)) {
    const auto& info = replica->state().exercise_info;
    if (info) {
      if (auto patient = NextPatientEvent(*info)) next = std::min(next, patient->at_ms);
    }
  }
  const TimeMs now = net_.clock->Now();
  const TimeMs wake = runner.clock.WallTimeOf(next, now).value_or(now);
  runner.timer->expires_after(std::chrono::milliseconds(std::max<TimeMs>(0, wake - now)));
  runner.timer->async_wait([this, space = runner.space](const asio::error_code& error) {
    if (!error) OnWake(space);
  });
}

void ExerciseRunner::OnWake(const std::string& space) {
  auto it = runners_.find(space);
  if (it == runners_.end()) return;
  Runner& current = *it->second;
  PlayDue(current);
  const TimeMs now = net_.clock->Now();
  if (current.clock.Elapsed(now) >= current.scenario->planned_ms) {
    // The planned duration is over: the clock stops for good, and that is logged too.
    current.clock.Stop(now);
    SetExerciseClock stop = current.clock.AsCommand(now);
    stop.elapsed_ms = current.scenario->planned_ms;
    net_.engine.Submit(space, Command{SystemActor(), current.start + stop.elapsed_ms, stop},
                       [](const CommandOutcome&) {});
    return;
  }
  Schedule(current);
}

std::string ExerciseRunner::Start(ConnectionHandle handle, const Actor& actor,
                                  StartExerciseRequest request) {
  auto found = FindScenario(request.scenario, request.version);
  if (!found.ok()) {
    shared_.SendError(handle, request.id, found.error());
    return "";
  }
  const std::string_view prefix = request.dry_run ? kDryRunPrefix : kExercisePrefix;
  std::string space = request.space;
  if (space.empty()) {
    for (int n = 1; space.empty() || shared_.Has(space); ++n) {
      space = std::string(prefix) + request.scenario + "-" + std::to_string(n);
    }
  }
  if (space.rfind(prefix, 0) != 0) {
    shared_.SendError(handle, request.id,
                      MakeError("invalid_value", "space",
                                request.dry_run ? "a dry run's space is named provkorning-…"
                                                : "an exercise space is named ovning-…"));
    return "";
  }
  auto scenario = found.value();
  const TimeMs start = net_.clock->Now();
  net_.engine.Submit(
      space, Command{actor, start, StartCommand(*scenario, request.paused, request.dry_run)},
      [this, handle, id = request.id, space, scenario, start, paused = request.paused,
       dry_run = request.dry_run](
          const CommandOutcome& outcome) {
        asio::post(net_.io, [=] {
          if (outcome.error) {
            shared_.SendError(handle, id, *outcome.error);
            return;
          }
          log::Info("exercise_started", {{"space", space}, {"scenario", scenario->id},
                                         {"version", std::to_string(scenario->version)},
                                         {"dry_run", dry_run ? "yes" : "no"}});
          Runner& started = Add(space, scenario, start);
          started.clock.Start(start, paused);
          if (dry_run) started.clock.SetSpeed(start, kDryRunSpeed);
          shared_.Send(handle, ExerciseAckMessage(id, space, outcome.seq));
          PlayDue(started);
          Schedule(started);
        });
      });
  return space;
}

void ExerciseRunner::Control(ConnectionHandle handle, const Actor& actor,
                             ControlExerciseRequest request) {
  auto it = runners_.find(request.space);
  if (it == runners_.end()) {
    shared_.SendError(handle, request.id,
                      MakeError(shared_.Has(request.space) ? "not_running" : "unknown_space",
                                "space", "no running exercise '" + request.space + "'"));
    return;
  }
  if (request.action == "reset") {
    // A fresh exercise from the same scenario; the old one is stopped and kept for its review.
    ControlExerciseRequest stop = request;
    stop.action = "stop";
    stop.id = request.id + "-stop";
    if (it->second->clock.status() != ExerciseStatus::kStopped) Control(handle, actor, stop);
    const Scenario& scenario = *it->second->scenario;
    Start(handle, actor,
          StartExerciseRequest{request.id, scenario.id, "", false, scenario.version,
                               IsDryRunSpace(request.space)});
    return;
  }
  Runner& runner = *it->second;
  PlayDue(runner);  // everything due before the change, at the old pace
  const TimeMs now = net_.clock->Now();
  ExerciseClock next = runner.clock;
  if (request.action == "pause") next.Pause(now);
  if (request.action == "resume") next.Resume(now);
  if (request.action == "speed") next.SetSpeed(now, request.speed);
  if (request.action == "jump") next.JumpTo(now, std::min(request.to_ms, runner.scenario->planned_ms));
  if (request.action == "stop") next.Stop(now);
  const SetExerciseClock change = next.AsCommand(now);
  net_.engine.Submit(
      request.space, Command{actor, runner.start + runner.clock.Elapsed(now), change},
      [this, handle, id = request.id, space = request.space, next, action = request.action,
       by = actor.id](const CommandOutcome& outcome) {
        asio::post(net_.io, [=] {
          auto runner = runners_.find(space);
          if (outcome.error || runner == runners_.end()) {
            shared_.SendError(handle, id, outcome.error ? *outcome.error
                                                        : MakeError("not_running", "space", "gone"));
            return;
          }
          runner->second->clock = next;
          log::Info("exercise_control", {{"space", space}, {"action", action}, {"by", by}});
          shared_.Send(handle, AckMessage(id, space, outcome.seq));
          PlayDue(*runner->second);  // a jump plays everything up to its target
          Schedule(*runner->second);
        });
      });
}

}  // namespace lagesbild
