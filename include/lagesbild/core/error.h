// An error as a value: a stable machine code, the field at fault (if one is) and a sentence a
// person under stress can act on. Used by the core, the wire layer and the store alike.
#ifndef LAGESBILD_CORE_ERROR_H_
#define LAGESBILD_CORE_ERROR_H_

#include <string>
#include <vector>

namespace lagesbild {

struct Error {
  std::string code;     // stable, documented in docs/protocol.md (e.g. "unknown_hospital")
  std::string field;    // dotted path of the offending field, or empty
  std::string message;  // human-readable, names the value and the rule
  std::vector<std::string> details = {};  // every problem, when there are several (a scenario file)
};

inline Error MakeError(std::string code, std::string field, std::string message) {
  return Error{std::move(code), std::move(field), std::move(message)};
}

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_ERROR_H_
