#include "lagesbild/server/url.h"

#include <cctype>

namespace lagesbild {

std::string PercentDecode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

Resource ParseResource(const std::string& target) {
  Resource out;
  const auto question = target.find('?');
  out.path = target.substr(0, question);
  if (question == std::string::npos) return out;
  std::size_t start = question + 1;
  while (start <= target.size()) {
    auto end = target.find('&', start);
    if (end == std::string::npos) end = target.size();
    const std::string pair = target.substr(start, end - start);
    const auto equals = pair.find('=');
    if (!pair.empty()) {
      out.query[pair.substr(0, equals)] =
          equals == std::string::npos ? "" : PercentDecode(pair.substr(equals + 1));
    }
    start = end + 1;
  }
  return out;
}

std::optional<std::string> QueryParam(const Resource& resource, const char* name) {
  auto it = resource.query.find(name);
  if (it == resource.query.end()) return std::nullopt;
  return it->second;
}

std::optional<Seq> ParseSeq(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  Seq value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace lagesbild
