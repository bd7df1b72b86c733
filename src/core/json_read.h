// Reading one value of a client's (or the log's) JSON into a domain value, with the error a
// client is told. Shared by the core's mappings (json_mapping.cpp, decision_json.cpp). Private.
#ifndef LAGESBILD_CORE_JSON_READ_H_
#define LAGESBILD_CORE_JSON_READ_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "lagesbild/core/domain.h"
#include "lagesbild/core/error.h"

namespace lagesbild {

using Json = nlohmann::json;

// A whole number (the range is the core's business, but it must fit).
inline std::optional<Error> ReadFigure(const Json& value, const std::string& field,
                                std::optional<std::int64_t>* out) {
  if (!value.is_number_integer()) {
    return MakeError("bad_message", field, field + " must be a whole number");
  }
  if (value.is_number_unsigned() &&
      value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return MakeError("invalid_value", field,
                     field + ": " + value.dump() + " is outside 0-" + std::to_string(kMaxFigure));
  }
  *out = value.get<std::int64_t>();
  return std::nullopt;
}

template <typename Enum, typename Parser>
std::optional<Error> ReadEnum(const Json& value, const std::string& field, Parser parse,
                              const char* allowed, std::optional<Enum>* out) {
  if (!value.is_string()) return MakeError("bad_message", field, field + " must be a text");
  auto parsed = parse(value.get<std::string>());
  if (!parsed) {
    return MakeError("invalid_value", field,
                     field + ": '" + value.get<std::string>() + "' is not one of " + allowed);
  }
  *out = *parsed;
  return std::nullopt;
}

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_JSON_READ_H_
