#include "lagesbild/core/forecast.h"

#include <algorithm>
#include <vector>

namespace lagesbild {
namespace {

constexpr std::array<BedType, 3> kForecastTypes = {BedType::kAdultICU, BedType::kOperatingRooms,
                                                   BedType::kMedicalSurgical};
constexpr TimeMs kHour = 3600000;

// What one patient of `priority` (burned or not) takes of `type` (see patients.h).
std::int64_t Need(BedType type, Triage priority, bool burned, bool burns_need_icu) {
  switch (type) {
    case BedType::kAdultICU:
      return priority == Triage::kP1 && (!burned || burns_need_icu) ? 1 : 0;
    case BedType::kOperatingRooms:
      return priority == Triage::kP1 ? 1 : 0;
    case BedType::kMedicalSurgical:
      return priority == Triage::kP2 && !burned ? 1 : 0;
    default:
      return 0;
  }
}

}  // namespace

std::optional<CapacityForecast> ForecastCapacity(const HealthcareRegionConfig& config,
                                                 const SpaceState& state, std::size_t index) {
  if (!state.exercise_info) return std::nullopt;
  const ExerciseInfo& info = *state.exercise_info;
  const HospitalState& hospital = state.hospitals[index];
  const std::string& id = config.hospitals[index].id;
  const TimeMs now = state.at;
  struct Arrival {
    TimeMs at;
    const PatientGroup* group;
  };
  std::vector<Arrival> arrivals;  // patients on the way here, in arrival order
  for (const PatientGroup& group : info.patients) {
    if (group.arrives_ms && group.hospital == id) {
      arrivals.push_back({info.start + *group.arrives_ms, &group});
    }
  }
  std::stable_sort(arrivals.begin(), arrivals.end(),
                   [](const Arrival& a, const Arrival& b) { return a.at < b.at; });
  PatientCounts last_hour{};  // the current rate, patients per hour
  bool flowing = !arrivals.empty();
  for (const auto& [at, counts] : hospital.casualties.arrivals) {
    if (now - at >= kHour) continue;
    for (std::size_t p = 0; p < last_hour.size(); ++p) last_hour[p] += counts[p];
    flowing = true;
  }
  if (!flowing) return std::nullopt;
  CapacityForecast forecast;
  forecast.basis_at = now;
  for (std::size_t r = 0; r < kForecastTypes.size(); ++r) {
    ResourceForecast& out = forecast.resources[r];
    out.type = kForecastTypes[r];
    out.free = hospital.beds[Index(out.type)].available;
    if (!out.free) continue;
    std::int64_t demand = 0;
    TimeMs last = now;
    for (const Arrival& arrival : arrivals) {
      const PatientGroup& g = *arrival.group;
      demand += Need(out.type, g.priority, true, info.burns_need_icu) * g.burns +
                Need(out.type, g.priority, false, info.burns_need_icu) * (g.count - g.burns);
      last = std::max(last, arrival.at);
      if (demand > *out.free) {
        out.runs_out_at = arrival.at;
        break;
      }
    }
    if (out.runs_out_at) continue;
    std::int64_t per_hour = 0;
    for (Triage priority : kAllTriage) {
      per_hour += Need(out.type, priority, false, info.burns_need_icu) * last_hour[Index(priority)];
    }
    if (per_hour == 0) continue;
    // The k-th patient at the current rate arrives k / per_hour hours after the last scheduled
    // arrival; the one that no longer fits is number free - demand + 1.
    const std::int64_t k = *out.free - demand + 1;
    out.runs_out_at = last + (k * kHour + per_hour - 1) / per_hour;
  }
  return forecast;
}

}  // namespace lagesbild
