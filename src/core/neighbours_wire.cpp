// The boards' "neighbours" message: the mapping of core/neighbours.h to JSON.
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/neighbours.h"
#include "lagesbild/core/time_format.h"
#include "lagesbild/core/wire.h"

namespace lagesbild {
namespace {

Json TimeOrNull(const std::optional<TimeMs>& at) { return at ? Json(FormatUtc(*at)) : Json(); }

Json HospitalJson(const NeighbourHospital& hospital, int stale_after_minutes) {
  bool reported = hospital.figures.ed_status.has_value();
  for (const auto& bed : hospital.figures.beds) reported = reported || (bed && bed->available);
  for (const auto& rate : hospital.figures.reception) reported = reported || rate.has_value();
  Json out = {{"id", hospital.id},
              {"reported", reported},  // any figure besides the planning baselines
              {"name", hospital.name},
              {"missing", hospital.missing},
              {"last_update", TimeOrNull(hospital.last_update)},
              {"figures", CapacityReportToJson(hospital.figures)}};
  // No time given, or nothing reported (a Lägesbild gives the document's time then): stale from
  // the start, so that a reader of stale_at alone never takes planning figures for fresh ones.
  out["stale_at"] = hospital.last_update && reported
                        ? Json(FormatUtc(*hospital.last_update + stale_after_minutes * 60000LL))
                        : Json();
  return out;
}

}  // namespace

std::string NeighboursMessage(const std::vector<NeighbourFeedConfig>& feeds,
                              const std::vector<NeighbourFeedState>& states, TimeMs now,
                              int stale_after_minutes) {
  Json list = Json::array();
  for (std::size_t i = 0; i < feeds.size() && i < states.size(); ++i) {
    const NeighbourFeedConfig& feed = feeds[i];
    const NeighbourFeedState& state = states[i];
    Json hospitals = Json::array();
    for (const NeighbourHospital& hospital : state.hospitals) {
      hospitals.push_back(HospitalJson(hospital, stale_after_minutes));
    }
    Json problem;
    if (state.problem) problem = {{"code", state.problem->code}, {"detail", state.problem->detail}};
    list.push_back({{"name", feed.name},
                    {"health", WireName(state.health)},
                    {"interval_seconds", feed.interval_seconds},
                    {"timeout_seconds", feed.timeout_seconds},
                    {"fetched_at", TimeOrNull(state.fetched_at)},
                    {"attempted_at", TimeOrNull(state.attempted_at)},
                    {"failing_since", TimeOrNull(state.failing_since)},
                    {"dead_at", state.fetched_at ? Json(FormatUtc(FeedDeadAt(feed, *state.fetched_at)))
                                                 : Json()},
                    {"failures_in_a_row", state.failures_in_a_row},
                    {"problem", problem},
                    {"hospitals", std::move(hospitals)}});
  }
  return Envelope({{"type", "neighbours"}, {"at", FormatUtc(now)}, {"feeds", std::move(list)}});
}

}  // namespace lagesbild
