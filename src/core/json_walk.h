// Reading a JSON document top-down (the configuration, scenario files): a problem is thrown with
// the JSON path it is at, and caught where the reader reports it. Private to the core.
#ifndef LAGESBILD_CORE_JSON_WALK_H_
#define LAGESBILD_CORE_JSON_WALK_H_

#include <string>

#include <nlohmann/json.hpp>

namespace lagesbild {

struct JsonProblem {
  std::string path;  // "$.regions[2].id"
  std::string what;
};

inline const nlohmann::json& Field(const nlohmann::json& object, const std::string& path,
                                   const char* key) {
  auto it = object.find(key);
  if (it == object.end()) throw JsonProblem{path + "." + key, "is missing"};
  return *it;
}

inline void RequireObject(const nlohmann::json& value, const std::string& path) {
  if (!value.is_object()) throw JsonProblem{path, "must be an object"};
}

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_JSON_WALK_H_
