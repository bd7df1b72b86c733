#include "lagesbild/core/exercise.h"

#include <algorithm>

namespace lagesbild {

void ExerciseClock::Anchor(TimeMs wall) {
  anchor_elapsed_ = Elapsed(wall);
  anchor_wall_ = wall;
}

void ExerciseClock::Start(TimeMs wall, bool paused) {
  anchor_wall_ = wall;
  anchor_elapsed_ = 0;
  status_ = paused ? ExerciseStatus::kPaused : ExerciseStatus::kRunning;
}

void ExerciseClock::Pause(TimeMs wall) {
  if (status_ != ExerciseStatus::kRunning) return;
  Anchor(wall);
  status_ = ExerciseStatus::kPaused;
}

void ExerciseClock::Resume(TimeMs wall) {
  if (status_ != ExerciseStatus::kPaused) return;
  anchor_wall_ = wall;
  status_ = ExerciseStatus::kRunning;
}

void ExerciseClock::SetSpeed(TimeMs wall, int speed) {
  Anchor(wall);
  speed_ = std::clamp(speed, 1, 60);
}

void ExerciseClock::JumpTo(TimeMs wall, ElapsedMs elapsed) {
  Anchor(wall);
  anchor_elapsed_ = std::max(anchor_elapsed_, elapsed);
}

void ExerciseClock::Stop(TimeMs wall) {
  Anchor(wall);
  status_ = ExerciseStatus::kStopped;
}

ElapsedMs ExerciseClock::Elapsed(TimeMs wall) const {
  if (status_ != ExerciseStatus::kRunning) return anchor_elapsed_;
  return anchor_elapsed_ + std::max<TimeMs>(0, wall - anchor_wall_) * speed_;
}

std::optional<TimeMs> ExerciseClock::WallTimeOf(ElapsedMs elapsed, TimeMs now) const {
  if (status_ != ExerciseStatus::kRunning) return std::nullopt;
  const ElapsedMs ahead = elapsed - Elapsed(now);
  if (ahead <= 0) return now;
  return now + (ahead + speed_ - 1) / speed_;
}

SetExerciseClock ExerciseClock::AsCommand(TimeMs wall) const {
  return SetExerciseClock{std::string(WireName(status_)), speed_, Elapsed(wall)};
}

StartExercise StartCommand(const Scenario& scenario, bool paused, bool dry_run) {
  StartExercise start;
  start.scenario_version = scenario.version;
  start.scenario_digest = scenario.digest;
  start.dry_run = dry_run;
  start.scenario_id = scenario.id;
  start.scenario_name = scenario.name;
  start.planned_ms = scenario.planned_ms;
  start.paused = paused;
  start.copy_live = scenario.start_from_live;
  start.baseline_reports = scenario.baseline_reports;
  start.baseline_regions = scenario.baseline_regions;
  start.deterioration = scenario.deterioration;
  start.burns_need_icu = scenario.burns_need_icu;
  return start;
}

void CopyBaseline(const HealthcareRegionConfig& config, const SpaceState& state,
                  StartExercise* start) {
  std::vector<CapacityReport> copied;
  for (std::size_t h = 0; h < state.hospitals.size(); ++h) {
    const HospitalState& hospital = state.hospitals[h];
    CapacityReport report;
    report.hospital = config.hospitals[h].id;
    for (BedType type : kAllBedTypes) {
      const BedFigure& bed = hospital.beds[Index(type)];
      if (bed.stamp.at) report.beds[Index(type)] = BedReport{bed.available, bed.baseline, bed.surge24h, bed.surge72h};
    }
    report.ed_status = hospital.ed_status.value;
    for (Triage priority : kAllTriage) report.reception[Index(priority)] = hospital.reception[Index(priority)].value;
    if (hospital.readiness.stamp.at) report.readiness = hospital.readiness.value;
    if (!report.Empty()) copied.push_back(std::move(report));
  }
  // The scenario's own baseline is applied after the copy, so it wins where both speak.
  copied.insert(copied.end(), start->baseline_reports.begin(), start->baseline_reports.end());
  start->baseline_reports = std::move(copied);
  std::vector<std::pair<std::string, ReadinessLevel>> regions;
  for (std::size_t r = 0; r < state.regions.size(); ++r) {
    if (state.regions[r].readiness.stamp.at) {
      regions.emplace_back(config.regions[r].id, *state.regions[r].readiness.value);
    }
  }
  regions.insert(regions.end(), start->baseline_regions.begin(), start->baseline_regions.end());
  start->baseline_regions = std::move(regions);
  start->copy_live = false;  // done: the event carries the figures themselves
}

std::optional<CommandBody> InjectCommand(const Inject& inject) {
  if (const auto* message = std::get_if<MessageInject>(&inject.body)) {
    return CommandBody{PostMessage(message->content, message->from_region)};
  }
  if (const auto* wave = std::get_if<CasualtyWave>(&inject.body)) {
    PlayCasualtyWave play;
    play.wave = inject.id;
    play.location = wave->location;
    play.elapsed_ms = inject.at;
    play.casualties = wave->casualties;
    play.deceased = wave->deceased;
    play.suggest = wave->suggest;
    play.burns = wave->burns;
    play.region = wave->region;
    play.on_decision = wave->on_decision;
    if (wave->suggest || wave->on_decision) {
      for (const auto& [hospital, minutes] : wave->transport_minutes) {
        play.allocations.push_back(DispatchedPatients{hospital, {}, minutes, {}});
      }
    } else {
      for (const Allocation& allocation : wave->scripted) {
        play.allocations.push_back(DispatchedPatients{allocation.hospital, allocation.patients,
                                                      allocation.transport_minutes, {}});
      }
    }
    return CommandBody{play};
  }
  if (const auto* change = std::get_if<CapacityChange>(&inject.body)) {
    return CommandBody{change->report};
  }
  if (const auto* readiness = std::get_if<ReadinessInject>(&inject.body)) {
    if (!readiness->region.empty()) {
      return CommandBody{SetRegionReadiness{readiness->region, readiness->level, ""}};
    }
    CapacityReport report;
    report.hospital = readiness->hospital;
    report.readiness = readiness->level;
    return CommandBody{report};
  }
  if (const auto* decision = std::get_if<DecisionInject>(&inject.body)) {
    return CommandBody{RecordDecision{decision->decision}};
  }
  if (const auto* transfer = std::get_if<TransferInject>(&inject.body)) {
    return CommandBody{transfer->transfer};
  }
  if (const auto* transport = std::get_if<TransportInject>(&inject.body)) {
    return CommandBody{transport->report};
  }
  return std::nullopt;  // checkpoint
}

std::vector<TimedCommand> ScenarioPlayer::Due(ElapsedMs elapsed) {
  std::vector<TimedCommand> due;
  const auto& injects = scenario_->injects;
  while (next_ < injects.size() && injects[next_].at <= elapsed) {
    const Inject& inject = injects[next_++];
    if (auto command = InjectCommand(inject)) {
      due.push_back(TimedCommand{inject.at, "", AdvanceArrivals{inject.at}});
      due.push_back(TimedCommand{inject.at, inject.id, std::move(*command)});
    }
  }
  due.push_back(TimedCommand{elapsed, "", AdvanceArrivals{elapsed}});
  return due;
}

void ScenarioPlayer::Skip(ElapsedMs elapsed) {
  while (next_ < scenario_->injects.size() && scenario_->injects[next_].at <= elapsed) ++next_;
}

std::optional<ElapsedMs> ScenarioPlayer::NextAt() const {
  if (next_ >= scenario_->injects.size()) return std::nullopt;
  return scenario_->injects[next_].at;
}

}  // namespace lagesbild
