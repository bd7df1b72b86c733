// The Swedish words the standard exports carry (CAP's info is sv-SE; HAVE's comments), the same
// as the board's (web/common.js). Presentation text lives here, never in the core.
#ifndef LAGESBILD_INTEROP_WORDS_H_
#define LAGESBILD_INTEROP_WORDS_H_

#include <string>
#include <string_view>

#include "lagesbild/core/domain.h"

namespace lagesbild {

std::string ReadinessWords(ReadinessLevel level);  // "Stabsläge"
std::string EdStatusWords(EdStatus status);        // "Stängd för ambulans (omdirigering)"
std::string SenderWords(std::string_view sender);  // "SOS Alarm"; the id itself if unknown
// Said on every exercise document, so it is never read as live data.
std::string ExerciseMark(const std::string& space);

}  // namespace lagesbild

#endif  // LAGESBILD_INTEROP_WORDS_H_
