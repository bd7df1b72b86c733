// Reading what a client sent (wire.cpp and catalogue_wire.cpp): a problem is thrown as a
// Rejection and turned into a WireError at the top of ParseClientMessage. Private to the core.
#ifndef LAGESBILD_CORE_WIRE_READ_H_
#define LAGESBILD_CORE_WIRE_READ_H_

#include <initializer_list>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "lagesbild/core/wire.h"

namespace lagesbild {

using Json = nlohmann::json;

// Thrown only inside ParseClientMessage's helpers; turned into a WireError at the top.
struct Rejection {
  Error error;
};

[[noreturn]] inline void Reject(std::string code, std::string field, std::string message) {
  throw Rejection{MakeError(std::move(code), std::move(field), std::move(message))};
}

inline void AllowOnlyFields(const Json& message, const std::string& type,
                     std::initializer_list<const char*> fields) {
  std::set<std::string> allowed{"v", "type"};
  allowed.insert(fields.begin(), fields.end());
  for (const auto& item : message.items()) {
    if (allowed.count(item.key()) == 0) {
      Reject("bad_message", item.key(), "unknown field '" + item.key() + "' in " + type);
    }
  }
}

inline std::string RequireText(const Json& message, const char* field, std::size_t max_length) {
  auto it = message.find(field);
  if (it == message.end()) Reject("bad_message", field, std::string(field) + " is missing");
  if (!it->is_string() || it->get_ref<const std::string&>().empty() ||
      it->get_ref<const std::string&>().size() > max_length) {
    Reject("bad_message", field,
           std::string(field) + " must be a text of 1-" + std::to_string(max_length) +
               " characters");
  }
  return it->get<std::string>();
}

// check_scenario, save_scenario, restore_scenario (the scenario editor; catalogue_wire.cpp).
ClientMessage ParseCatalogueMessage(const Json& message, const std::string& type,
                                    const std::string& id);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_WIRE_READ_H_
