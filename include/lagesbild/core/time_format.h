// UTC timestamps on the wire: ISO 8601 with milliseconds, e.g. "2026-11-23T10:15:00.000Z".
#ifndef LAGESBILD_CORE_TIME_FORMAT_H_
#define LAGESBILD_CORE_TIME_FORMAT_H_

#include <optional>
#include <string>
#include <string_view>

#include "lagesbild/core/domain.h"

namespace lagesbild {

std::string FormatUtc(TimeMs at);
// Accepts "YYYY-MM-DDTHH:MM:SS[.mmm]Z". Anything else is rejected.
std::optional<TimeMs> ParseUtc(std::string_view text);

// Swedish local time (CET, CEST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the
// last Sunday of October): the offset from UTC in minutes (60 or 120), and "YYYY-MM-DD HH:MM".
int SwedishOffsetMinutes(TimeMs at);
std::string FormatSwedishTime(TimeMs at);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_TIME_FORMAT_H_
