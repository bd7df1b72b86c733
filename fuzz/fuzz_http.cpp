// Any bytes as an HTTP request head: the scanner and the checker answer (accept or refuse with a
// status and a reason) without crashing; an accepted head is one the scanner found complete, and a
// refusal's reason is one printable line (it goes into the status line).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "../src/server/http_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Scanning in pieces finds the same end as scanning at once.
  const lagesbild::HeadScan whole = lagesbild::ScanRequestHead(bytes);
  std::size_t from = 0;
  lagesbild::HeadScan pieces;
  for (std::size_t cut = size / 3 + 1;; cut = std::min(size, cut * 2)) {
    pieces = lagesbild::ScanRequestHead(bytes.substr(0, cut), from);
    if (pieces.end || pieces.refusal || cut == size) break;
    from = cut < 3 ? 0 : cut - 3;
  }
  if (whole.end != pieces.end || whole.refusal.has_value() != pieces.refusal.has_value()) std::abort();
  const auto check_reason = [](const lagesbild::HttpRefusal& refusal) {
    if (refusal.status < 400 || refusal.status > 599 || refusal.reason.empty()) std::abort();
    for (char c : refusal.reason) {
      if (c < 0x20 || c > 0x7e) std::abort();
    }
  };
  if (whole.refusal) check_reason(*whole.refusal);
  if (whole.end) {
    if (auto refusal = lagesbild::CheckRequestHead(bytes.substr(0, *whole.end))) check_reason(*refusal);
  }
  (void)lagesbild::OriginAllowed(bytes.substr(0, size / 2), bytes.substr(size / 2), {"https://a.example"});
  return 0;
}
