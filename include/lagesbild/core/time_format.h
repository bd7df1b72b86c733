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

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_TIME_FORMAT_H_
