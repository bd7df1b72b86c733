// The request target of an HTTP request or WebSocket handshake: "/ws?space=live&since=3".
// Pure string work, unit-tested (tests/unit/url_test.cpp).
#ifndef LAGESBILD_SERVER_URL_H_
#define LAGESBILD_SERVER_URL_H_

#include <map>
#include <optional>
#include <string>

#include "lagesbild/core/domain.h"

namespace lagesbild {

struct Resource {
  std::string path;                          // not percent-decoded: an encoded path never
                                             // matches a served file
  std::map<std::string, std::string> query;  // values percent-decoded ('+' is a space); a
                                             // repeated key keeps its last value
};

Resource ParseResource(const std::string& target);

// "%41" -> "A", "+" -> " "; a '%' not followed by two hex digits stays as it is.
std::string PercentDecode(const std::string& text);

// The value of a query parameter, if it was given (possibly empty).
std::optional<std::string> QueryParam(const Resource& resource, const char* name);

// A sequence number: 1-18 decimal digits, nothing else.
std::optional<Seq> ParseSeq(const std::string& text);

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_URL_H_
