// "Lägesbild nu" (core/summary.h) as a CSV file for a spreadsheet: Swedish column names and
// values, ';' as the separator, times in Swedish local time. One row per region followed by its
// hospitals, a row for the whole healthcare region, then the open larm and messages awaiting a
// kvittens. The file starts with a UTF-8 byte order mark, then a line that says LIVE or ÖVNING. Presentation, so it lives with the server.
#ifndef LAGESBILD_SERVER_SUMMARY_CSV_H_
#define LAGESBILD_SERVER_SUMMARY_CSV_H_

#include <string>

#include "lagesbild/core/config.h"
#include "lagesbild/core/json_mapping.h"

namespace lagesbild {

// `summary` as BuildSummary makes it.
std::string SummaryCsv(const HealthcareRegionConfig& config, const Json& summary);

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_SUMMARY_CSV_H_
