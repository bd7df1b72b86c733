#include "lagesbild/core/indicators.h"

#include <algorithm>

#include "lagesbild/core/state.h"

namespace lagesbild {
namespace {

bool Raised(std::optional<ReadinessLevel> level) {
  return level && *level != ReadinessLevel::kNormal;
}

const DecisionContent* DecisionIn(const Event& event, DecisionKind kind) {
  const auto* decided = std::get_if<DecisionRecorded>(&event.body);
  return decided && decided->decision.kind == kind ? &decided->decision : nullptr;
}

// Whether `event` meets indicator `id` for the region (hospital empty) or the hospital.
bool Qualifies(std::string_view id, const Event& event, const std::string& region,
               const std::string& hospital) {
  const auto regional = [&](DecisionKind kind) {
    const DecisionContent* d = DecisionIn(event, kind);
    return d && d->region == region && d->hospital.empty();
  };
  const auto of_hospital = [&](DecisionKind kind) {
    const DecisionContent* d = DecisionIn(event, kind);
    return d && d->hospital == hospital;
  };
  const auto* report = std::get_if<CapacityReported>(&event.body);
  if (report && report->report.hospital != hospital) report = nullptr;
  if (id == "region_major_incident") return regional(DecisionKind::kMajorIncidentDeclared);
  if (id == "region_readiness") {
    const auto* set = std::get_if<RegionReadinessSet>(&event.body);
    return set && set->region == region && Raised(set->level);
  }
  if (id == "region_receiving_hospitals") {
    const DecisionContent* d = DecisionIn(event, DecisionKind::kReceivingHospitals);
    return d && d->region == region;
  }
  if (id == "region_capacity_judgement") return regional(DecisionKind::kCapacityJudgement);
  if (id == "hospital_readiness") return report && Raised(report->report.readiness);
  if (id == "hospital_resources_reported") {
    if (const auto* confirmed = std::get_if<FiguresConfirmed>(&event.body)) {
      return confirmed->hospital == hospital;
    }
    if (!report) return false;
    for (const auto& bed : report->report.beds) {
      if (bed) return true;
    }
    return false;
  }
  if (id == "hospital_icu_need") return of_hospital(DecisionKind::kIcuNeed);
  if (id == "hospital_capacity_shortage") return of_hospital(DecisionKind::kCapacityShortage);
  return false;
}

}  // namespace

std::optional<std::size_t> FindIndicator(std::string_view id) {
  for (std::size_t i = 0; i < kIndicators.size(); ++i) {
    if (kIndicators[i].id == id) return i;
  }
  return std::nullopt;
}

std::string_view WireName(Outcome outcome) {
  static constexpr std::string_view kNames[] = {"met", "not_met", "pending"};
  return kNames[static_cast<std::size_t>(outcome)];
}

Outcome Judge(std::optional<TimeMs> done, TimeMs due, TimeMs now) {
  if (done) return *done <= due ? Outcome::kMet : Outcome::kNotMet;
  return now > due ? Outcome::kNotMet : Outcome::kPending;
}

std::vector<IndicatorResult> ComputeIndicators(const HealthcareRegionConfig& config,
                                               const std::vector<Event>& events,
                                               const IndicatorTargets& targets, TimeMs now,
                                               const std::vector<std::string>& participants) {
  // The first larm that reached each region.
  std::vector<std::optional<std::pair<TimeMs, Seq>>> larm(config.regions.size());
  for (const Event& event : events) {
    const auto* posted = std::get_if<MessagePosted>(&event.body);
    if (!posted || posted->content.kind != MessageKind::kAlert) continue;
    for (std::size_t r = 0; r < config.regions.size(); ++r) {
      const bool reached =
          posted->content.to_all ||
          std::find(posted->content.to.begin(), posted->content.to.end(), config.regions[r].id) !=
              posted->content.to.end();
      if (reached && !larm[r]) larm[r] = std::pair{event.at, event.seq};
    }
  }
  if (!participants.empty()) {
    for (std::size_t r = 0; r < config.regions.size(); ++r) {
      if (std::find(participants.begin(), participants.end(), config.regions[r].id) ==
          participants.end()) {
        larm[r].reset();
      }
    }
  }
  std::vector<IndicatorResult> results;
  const auto evaluate = [&](const IndicatorDefinition& definition, std::size_t r,
                            const std::string& hospital) {
    IndicatorResult result;
    result.definition = &definition;
    result.region = config.regions[r].id;
    result.hospital = hospital;
    auto target = targets.find(std::string(definition.id));
    result.target_minutes = target != targets.end() ? target->second : definition.target_minutes;
    result.trigger_at = larm[r]->first;
    result.trigger_seq = larm[r]->second;
    for (const Event& event : events) {
      if (event.actor.kind != Actor::Kind::kUser) continue;
      if (Qualifies(definition.id, event, result.region, hospital)) {
        result.done_at = event.at;
        result.by = event.actor.id;
        result.seq = event.seq;
        break;
      }
    }
    result.outcome = Judge(result.done_at, result.trigger_at + result.target_minutes * 60000, now);
    results.push_back(std::move(result));
  };
  for (std::size_t r = 0; r < config.regions.size(); ++r) {
    if (!larm[r]) continue;
    for (const IndicatorDefinition& definition : kIndicators) {
      if (definition.level == IndicatorLevel::kRegion) evaluate(definition, r, "");
    }
  }
  for (std::size_t r = 0; r < config.regions.size(); ++r) {
    if (!larm[r]) continue;
    for (std::size_t h : config.regions[r].hospital_indexes) {
      for (const IndicatorDefinition& definition : kIndicators) {
        if (definition.level == IndicatorLevel::kHospital) {
          evaluate(definition, r, config.hospitals[h].id);
        }
      }
    }
  }
  return results;
}

}  // namespace lagesbild
