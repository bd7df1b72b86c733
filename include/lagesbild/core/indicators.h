// The Swedish timed performance indicators for the medical command of a major incident
// (Rådestad et al., Scand J Trauma Resusc Emerg Med 2012;20:58; docs/scenarios.md), computed
// from a space's event log. Pure: the events, the targets and "now" are given.
//
// Each indicator is started by the first larm (an alert message) that reached the region (a
// hospital: its region) and is met by the first qualifying event by a participant — a signed-in
// user, never the script — at any time up to the trigger plus the target, before the larm too.
#ifndef LAGESBILD_CORE_INDICATORS_H_
#define LAGESBILD_CORE_INDICATORS_H_

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lagesbild/core/config.h"
#include "lagesbild/core/events.h"

namespace lagesbild {

enum class IndicatorLevel { kRegion, kHospital };

struct IndicatorDefinition {
  std::string_view id;
  IndicatorLevel level;
  std::int64_t target_minutes;
};

inline constexpr std::array<IndicatorDefinition, 8> kIndicators = {{
    {"region_major_incident", IndicatorLevel::kRegion, 1},
    {"region_readiness", IndicatorLevel::kRegion, 3},
    {"region_receiving_hospitals", IndicatorLevel::kRegion, 5},
    {"region_capacity_judgement", IndicatorLevel::kRegion, 30},
    {"hospital_readiness", IndicatorLevel::kHospital, 3},
    {"hospital_resources_reported", IndicatorLevel::kHospital, 25},
    {"hospital_icu_need", IndicatorLevel::kHospital, 45},
    {"hospital_capacity_shortage", IndicatorLevel::kHospital, 120},
}};
std::optional<std::size_t> FindIndicator(std::string_view id);

// Targets that differ from the defaults: indicator id -> minutes.
using IndicatorTargets = std::map<std::string, std::int64_t>;

// A checkpoint's or an indicator's outcome.
enum class Outcome { kMet, kNotMet, kPending };
std::string_view WireName(Outcome outcome);
// Met when done no later than `due`; not met when done later, or not done and `now` is past it.
Outcome Judge(std::optional<TimeMs> done, TimeMs due, TimeMs now);

struct IndicatorResult {
  const IndicatorDefinition* definition = nullptr;
  std::string region;
  std::string hospital;  // hospital indicators
  std::int64_t target_minutes = 0;
  TimeMs trigger_at = 0;
  Seq trigger_seq = 0;  // the larm's message event
  std::optional<TimeMs> done_at;
  std::string by;
  Seq seq = 0;  // of the qualifying event; 0 when not done
  Outcome outcome = Outcome::kPending;
};

// One result per indicator for every region a larm reached (in configuration order), then per
// indicator for every hospital of those regions. With `participants` (a scenario's
// participating regions), only those: the regions the script plays (motspel) are not judged.
std::vector<IndicatorResult> ComputeIndicators(const HealthcareRegionConfig& config,
                                               const std::vector<Event>& events,
                                               const IndicatorTargets& targets, TimeMs now,
                                               const std::vector<std::string>& participants = {});

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_INDICATORS_H_
