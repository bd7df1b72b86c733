// "Lägesbild nu": the one-page summary a regional command sends upward every hour, as data — per
// region its readiness level and who decided it, the free IVA beds, vårdplatser and operating
// rooms, reception P1–P3 per hour, what is unreported or stale, and the open larm with the regions
// that have not acknowledged them; each region's hospitals the same way, and the healthcare region
// as a whole. Unknown is never zero: a figure no hospital reported is null, and each sum says how
// many hospitals it covers and how many are missing.
//
// Pure: the space's state and "now" (exercise time in an exercise) are given. The words (Swedish
// column names, the printable page) are the server's CSV and the board's page.
#ifndef LAGESBILD_CORE_SUMMARY_H_
#define LAGESBILD_CORE_SUMMARY_H_

#include "lagesbild/core/config.h"
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

// The bed types the summary counts, in its order: IVA, vårdplatser, operationssalar.
inline constexpr std::array<BedType, 3> kSummaryBedTypes = {
    BedType::kAdultICU, BedType::kMedicalSurgical, BedType::kOperatingRooms};

// {type: "summary", space, exercise, label, healthcare_region, scenario?, at, seq, regions[],
// total, open_messages[]} — docs/protocol.md "Lägesbild nu".
Json BuildSummary(const HealthcareRegionConfig& config, const SpaceState& state, TimeMs now);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_SUMMARY_H_
