#include "http_rules.h"

#include <algorithm>
#include <cctype>

namespace lagesbild {
namespace {

bool IsTokenChar(unsigned char c) {
  static constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
  return std::isalnum(c) || kSpecials.find(static_cast<char>(c)) != std::string_view::npos;
}

bool IsToken(std::string_view text) {
  if (text.empty()) return false;
  for (unsigned char c : text) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// host = reg-name / IPv4 / "[" IPv6 "]", optionally ":" port.
bool IsHost(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (unsigned char c : host) {
    if (!std::isalnum(c) && c != '.' && c != '-' && c != '_' && c != ':' && c != '[' && c != ']') {
      return false;
    }
  }
  return true;
}

HttpRefusal Refuse(std::string reason, int status = 400) { return HttpRefusal{status, std::move(reason)}; }

}  // namespace

HeadScan ScanRequestHead(std::string_view bytes, std::size_t from) {
  HeadScan scan;
  for (std::size_t i = from; i < bytes.size(); ++i) {
    if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) {
      scan.refusal = Refuse("bare line feed in the request head");
      return scan;
    }
    if (bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] != '\n') {
      scan.refusal = Refuse("bare carriage return in the request head");
      return scan;
    }
    if (i >= 3 && bytes.compare(i - 3, 4, "\r\n\r\n") == 0) {
      scan.end = i + 1;
      return scan;
    }
    if (i + 1 >= kMaxRequestHeadBytes) {
      scan.refusal = Refuse("request head larger than 16000 bytes", 431);
      return scan;
    }
  }
  return scan;
}

std::optional<HttpRefusal> CheckRequestHead(std::string_view head) {
  std::size_t line_end = head.find("\r\n");
  if (line_end == std::string_view::npos) return Refuse("no request line");
  const std::string_view line = head.substr(0, line_end);
  const std::size_t first = line.find(' ');
  const std::size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
    return Refuse("malformed request line: expected METHOD TARGET HTTP/1.1");
  }
  const std::string_view method = line.substr(0, first);
  const std::string_view target = line.substr(first + 1, second - first - 1);
  const std::string_view version = line.substr(second + 1);
  if (!IsToken(method)) return Refuse("malformed request line: bad method");
  if (target.empty() || target.front() != '/') {
    return Refuse("malformed request line: the target must be a path starting with /");
  }
  if (target.size() > kMaxRequestTargetBytes) return Refuse("request target too long", 414);
  for (unsigned char c : target) {
    if (c < 0x21 || c > 0x7e) return Refuse("malformed request line: control or non-ASCII byte in the target");
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return Refuse("unsupported HTTP version (HTTP/1.1 and HTTP/1.0 are served)");
  }
  int hosts = 0, lengths = 0;
  std::size_t lines = 0;
  std::size_t start = line_end + 2;
  for (;;) {
    const std::size_t end = head.find("\r\n", start);
    if (end == std::string_view::npos) return Refuse("incomplete request head");
    if (end == start) break;  // the blank line
    if (++lines > kMaxHeaderLines) return Refuse("more than 100 header lines", 431);
    const std::string_view header = head.substr(start, end - start);
    start = end + 2;
    if (header.front() == ' ' || header.front() == '\t') return Refuse("folded header line");
    const std::size_t colon = header.find(':');
    if (colon == std::string_view::npos || !IsToken(header.substr(0, colon))) {
      return Refuse("malformed header line (NAME: value)");
    }
    const std::string_view name = header.substr(0, colon);
    const std::string_view value = Trim(header.substr(colon + 1));
    for (unsigned char c : value) {
      if ((c < 0x20 && c != '\t') || c == 0x7f) return Refuse("control character in a header value");
    }
    if (EqualsIgnoringCase(name, "Host")) {
      ++hosts;
      if (!IsHost(value)) return Refuse("invalid Host header");
    } else if (EqualsIgnoringCase(name, "Content-Length")) {
      ++lengths;
      if (value.empty() || value.size() > 15) return Refuse("invalid Content-Length");
      for (unsigned char c : value) {
        if (!std::isdigit(c)) return Refuse("invalid Content-Length");
      }
    } else if (EqualsIgnoringCase(name, "Transfer-Encoding")) {
      return Refuse("Transfer-Encoding is not accepted: nothing here takes a request body");
    }
  }
  if (hosts != 1) return Refuse(hosts == 0 ? "missing Host header" : "more than one Host header");
  if (lengths > 1) return Refuse("more than one Content-Length header");
  return std::nullopt;
}

bool OriginAllowed(std::string_view origin, std::string_view host,
                   const std::vector<std::string>& allowed) {
  if (!origin.empty() && origin.back() == '/') origin.remove_suffix(1);
  for (std::string_view scheme : {"http://", "https://"}) {
    if (!host.empty() && origin.size() == scheme.size() + host.size() &&
        EqualsIgnoringCase(origin.substr(0, scheme.size()), scheme) &&
        EqualsIgnoringCase(origin.substr(scheme.size()), host)) {
      return true;
    }
  }
  for (std::string_view listed : allowed) {
    if (!listed.empty() && listed.back() == '/') listed.remove_suffix(1);
    if (EqualsIgnoringCase(origin, listed)) return true;
  }
  return false;
}

const std::vector<std::pair<std::string, std::string>>& SecurityHeaders() {
  static const std::vector<std::pair<std::string, std::string>> kHeaders = {
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Content-Security-Policy",
       "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
       "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"}};
  return kHeaders;
}

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  if (forwarded_for.empty() ||
      std::find(trusted_proxies.begin(), trusted_proxies.end(), peer) == trusted_proxies.end()) {
    return peer;
  }
  std::string_view last = forwarded_for.substr(forwarded_for.rfind(',') + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  const bool literal = !last.empty() && last.size() <= 45 &&
                       last.find_first_not_of("0123456789abcdefABCDEF.:") == std::string_view::npos;
  return literal ? std::string(last) : peer;
}

}  // namespace lagesbild
