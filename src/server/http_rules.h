// What the server accepts as an HTTP/1.1 request head, checked on the raw bytes before WebSocket++
// parses them (its parser is lenient: it joins duplicate headers, reads "abc" as a length of 0,
// keeps control characters and takes any version). Pure: no sockets, unit-tested.
#ifndef LAGESBILD_SERVER_HTTP_RULES_H_
#define LAGESBILD_SERVER_HTTP_RULES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lagesbild {

inline constexpr std::size_t kMaxRequestHeadBytes = 16000;  // WebSocket++'s own limit too
inline constexpr std::size_t kMaxRequestTargetBytes = 4096;
inline constexpr std::size_t kMaxHeaderLines = 100;

struct HttpRefusal {
  int status = 400;
  std::string reason;  // one line, ASCII: goes into the status line and the error body
};

// Where the head of a request ends in `bytes` (the index just past the blank line), or nothing
// while it is incomplete. A refusal when the bytes so far can never become an acceptable head:
// too long, or a bare line feed.
struct HeadScan {
  std::optional<std::size_t> end;
  std::optional<HttpRefusal> refusal;
};
// `from`: bytes before it were scanned already (so a head trickled in byte by byte costs linear
// time).
HeadScan ScanRequestHead(std::string_view bytes, std::size_t from = 0);

// Checks a complete head (request line and header lines, ending with the blank line): one space
// between the parts of the request line, a token method, an origin-form target of visible ASCII,
// HTTP/1.0 or HTTP/1.1, header names as tokens directly followed by ':', no control characters
// in values, no folded lines, exactly one Host, at most one all-digit Content-Length, no
// Transfer-Encoding (nothing here takes a body).
std::optional<HttpRefusal> CheckRequestHead(std::string_view head);

// Whether a WebSocket upgrade from a page at `origin` is accepted: the server's own origin
// ("http://" or "https://" followed by the request's Host), or one of `allowed` (compared without
// case, a trailing slash ignored).
bool OriginAllowed(std::string_view origin, std::string_view host,
                   const std::vector<std::string>& allowed);

// The security headers every answer carries (name, value).
const std::vector<std::pair<std::string, std::string>>& SecurityHeaders();

// The client's address for the log and the sign-in audit: the peer's, or — when the peer is a
// trusted proxy (--trusted-proxy) — the last address in its X-Forwarded-For (the one the proxy
// itself added; earlier ones are the client's own claims). Anything but an IP literal there is
// ignored.
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_HTTP_RULES_H_
