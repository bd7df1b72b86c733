#include "lagesbild/core/distribution.h"

#include "lagesbild/core/staleness.h"

#include <algorithm>

namespace lagesbild {

std::vector<DispatchedPatients> SuggestDistribution(const HealthcareRegionConfig& config,
                                                    const SpaceState& state,
                                                    const PatientCounts& casualties,
                                                    std::vector<DispatchedPatients> candidates) {
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](const DispatchedPatients& a, const DispatchedPatients& b) {
                     return config.FindHospital(a.hospital).value_or(0) <
                            config.FindHospital(b.hospital).value_or(0);
                   });
  // Remaining reception capacity in the first hour: the reported rate (the planning figure when
  // none is reported) less the patients already on their way.
  std::vector<PatientCounts> remaining(candidates.size());
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    candidates[c].patients = {};
    const auto index = config.FindHospital(candidates[c].hospital);
    if (!index) continue;
    const HospitalState& hospital = state.hospitals[*index];
    for (Triage priority : kAllTriage) {
      const std::size_t p = Index(priority);
      const std::int64_t rate = hospital.reception[p].value.value_or(
          config.hospitals[*index].ReceptionAt(EffectiveLevel(config, state, *index))[p]);
      remaining[c][p] = rate - hospital.casualties.incoming[p];
    }
  }
  if (candidates.empty()) return candidates;
  const auto closest = std::min_element(
      candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
        return a.transport_minutes < b.transport_minutes;
      }) - candidates.begin();
  for (Triage priority : kAllTriage) {
    const std::size_t p = Index(priority);
    for (std::int64_t patient = 0; patient < casualties[p]; ++patient) {
      std::ptrdiff_t best = -1;
      for (std::size_t c = 0; c < candidates.size(); ++c) {
        if (remaining[c][p] <= 0) continue;
        if (best < 0 || remaining[c][p] > remaining[best][p] ||
            (remaining[c][p] == remaining[best][p] &&
             candidates[c].transport_minutes < candidates[best].transport_minutes)) {
          best = static_cast<std::ptrdiff_t>(c);
        }
      }
      if (best < 0) best = closest;  // everyone is full: the nearest takes it, over capacity
      ++candidates[best].patients[p];
      --remaining[best][p];
    }
  }
  candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                  [](const DispatchedPatients& c) {
                                    return c.patients == PatientCounts{};
                                  }),
                   candidates.end());
  return candidates;
}

}  // namespace lagesbild
