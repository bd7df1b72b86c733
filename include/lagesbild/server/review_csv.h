// The after-action review as a CSV file for a spreadsheet: Swedish columns and values, ';' as
// the separator (what Swedish spreadsheet programs expect), one row per checkpoint, indicator,
// acknowledgement and hospital. Presentation, so it lives with the server, not the core.
#ifndef LAGESBILD_SERVER_REVIEW_CSV_H_
#define LAGESBILD_SERVER_REVIEW_CSV_H_

#include <string>

#include "lagesbild/core/config.h"
#include "lagesbild/core/json_mapping.h"

namespace lagesbild {

// `review` as BuildReview (core/review.h) makes it.
std::string ReviewCsv(const HealthcareRegionConfig& config, const Json& review);

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_REVIEW_CSV_H_
