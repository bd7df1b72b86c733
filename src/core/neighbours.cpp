#include "lagesbild/core/neighbours.h"

#include <cctype>

namespace lagesbild {
namespace {

constexpr std::size_t kMaxUrlLength = 2000;

bool HostNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_';
}

Error UrlProblem(const std::string& what) { return MakeError("config", "url", what); }

}  // namespace

std::string_view WireName(FeedHealth health) {
  switch (health) {
    case FeedHealth::kWaiting: return "waiting";
    case FeedHealth::kAnswering: return "answering";
    case FeedHealth::kFailing: return "failing";
  }
  return "waiting";
}

Result<FeedUrl> ParseFeedUrl(const std::string& text) {
  if (text.size() > kMaxUrlLength) {
    return UrlProblem("is longer than " + std::to_string(kMaxUrlLength) + " characters");
  }
  // Printable ASCII only: nothing that could end the request line or add a header.
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return UrlProblem("may hold printable ASCII only (percent-encode the rest)");
    }
  }
  FeedUrl url;
  url.text = text;
  std::string rest;
  if (text.rfind("https://", 0) == 0) {
    url.tls = true;
    url.port = 443;
    rest = text.substr(8);
  } else if (text.rfind("http://", 0) == 0) {
    url.port = 80;
    rest = text.substr(7);
  } else {
    return UrlProblem("must begin with https:// (or http:// on a network you trust)");
  }
  if (rest.find('#') != std::string::npos) return UrlProblem("must not have a #fragment");
  const std::size_t end = rest.find_first_of("/?");
  std::string authority = rest.substr(0, end);
  url.target = end == std::string::npos ? "/" : rest.substr(end);
  if (url.target[0] == '?') url.target = "/" + url.target;
  if (authority.find('@') != std::string::npos) {
    return UrlProblem("must not carry a user name or password (use token_file)");
  }
  std::string port_text;
  if (!authority.empty() && authority[0] == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string::npos) return UrlProblem("has an IPv6 address without its ]");
    url.host = authority.substr(1, close - 1);
    for (char c : url.host) {
      if (std::isxdigit(static_cast<unsigned char>(c)) == 0 && c != ':' && c != '.') {
        return UrlProblem("has an invalid IPv6 address");
      }
    }
    const std::string after = authority.substr(close + 1);
    if (!after.empty() && after[0] != ':') return UrlProblem("has text after the IPv6 address");
    if (!after.empty()) port_text = after.substr(1);
    if (after == ":") return UrlProblem("has an empty port");
  } else {
    const std::size_t colon = authority.find(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return UrlProblem("has an empty port");
    }
    for (char c : url.host) {
      if (!HostNameChar(c)) return UrlProblem("has an invalid host name");
    }
  }
  if (url.host.empty()) return UrlProblem("names no host");
  if (url.host.size() > 253) return UrlProblem("has a host name longer than 253 characters");
  if (!port_text.empty()) {
    if (port_text.size() > 5) return UrlProblem("has a port above 65535");
    long port = 0;
    for (char c : port_text) {
      if (std::isdigit(static_cast<unsigned char>(c)) == 0) return UrlProblem("has a port that is no number");
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return UrlProblem("has a port outside 1-65535");
    url.port = static_cast<std::uint16_t>(port);
  }
  return url;
}

bool RecordAnswer(NeighbourFeedState& state, TimeMs now, std::vector<NeighbourHospital> hospitals) {
  const bool changed = state.health != FeedHealth::kAnswering;
  state.health = FeedHealth::kAnswering;
  state.fetched_at = now;
  state.attempted_at = now;
  state.failing_since.reset();
  state.failures_in_a_row = 0;
  state.problem.reset();
  ++state.fetches;
  state.hospitals = std::move(hospitals);
  return changed;
}

bool RecordFailure(NeighbourFeedState& state, TimeMs now, FeedProblem problem) {
  const bool changed = state.health != FeedHealth::kFailing ||
                       !state.problem || state.problem->code != problem.code;
  state.health = FeedHealth::kFailing;
  state.attempted_at = now;
  if (!state.failing_since) state.failing_since = now;
  ++state.failures_in_a_row;
  ++state.fetches;
  ++state.failures;
  state.problem = std::move(problem);
  return changed;
}

TimeMs FeedDeadAt(const NeighbourFeedConfig& config, TimeMs fetched_at) {
  return fetched_at + 1000LL * (config.interval_seconds + config.timeout_seconds) + 5000;
}

}  // namespace lagesbild
