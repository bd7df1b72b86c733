// Neighbours (grannar): other healthcare regions' hospitals shown read-only on the live board,
// from an EDXL-HAVE feed each (another Lägesbild's GET /api/have, or any HAVE producer).
//
// Here: a feed's configuration and address, and what the server knows of each feed — its health
// (waiting for a first answer, answering, failing since when and why) and the hospitals of its
// last good answer. The server's poller (server/neighbour_watch.h) fetches and records; this
// file decides what that means. A feed that stops answering keeps its last figures, flagged as
// such, and is never shown as fresh: every record carries the time after which the board itself
// must flag it, even if no further word comes from the server. Pure: no I/O, no clock, no
// threads.
#ifndef LAGESBILD_CORE_NEIGHBOURS_H_
#define LAGESBILD_CORE_NEIGHBOURS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/domain.h"
#include "lagesbild/core/result.h"

namespace lagesbild {

// http://host[:port]/path?query or https://…; no user information, no fragment.
struct FeedUrl {
  bool tls = false;
  std::string host;    // a name, an IPv4 address, or an IPv6 address without its brackets
  std::uint16_t port = 0;
  std::string target;  // "/api/have?space=live"
  std::string text;    // as configured
};
// An error (code "config") saying what is wrong with the address.
Result<FeedUrl> ParseFeedUrl(const std::string& text);

inline constexpr int kMinFeedIntervalSeconds = 1;
inline constexpr int kMaxFeedIntervalSeconds = 3600;
inline constexpr int kMaxFeedTimeoutSeconds = 60;
// Every live board gets the whole neighbours message after each fetch of any feed: at most
// 16 × 25 hospitals (about 0.7 KB each) keeps it below 300 KB, well within a board's send buffer.
inline constexpr std::size_t kMaxNeighbourFeeds = 16;
inline constexpr std::size_t kMaxNeighbourHospitals = 25;  // shown per feed

struct NeighbourFeedConfig {
  std::string name;     // "Sydöstra sjukvårdsregionen", shown on the board
  FeedUrl url;
  // The feed's hospital identifiers (xpil IdentifierElement; a Lägesbild's hospital ids) to show,
  // in this order; empty: every hospital of the feed, in its order.
  std::vector<std::string> hospitals;
  int interval_seconds = 60;  // from the start of one fetch to the start of the next
  int timeout_seconds = 10;   // a whole fetch: connect, TLS, request and answer
  std::string ca_file;        // https: the certificates to trust; empty: the system's
  std::string token_file;     // a token sent as Authorization: Bearer (a viewer's is enough)
};

// A neighbour's hospital as its feed last said.
struct NeighbourHospital {
  std::string id;    // the feed's identifier (or its name when it gives none)
  std::string name;
  CapacityReport figures;             // hospital left empty
  std::optional<TimeMs> last_update;  // the feed's LastUpdateTime
  bool missing = false;  // configured but not in the feed's last answer
  bool operator==(const NeighbourHospital& o) const {
    return id == o.id && name == o.name && figures == o.figures && last_update == o.last_update &&
           missing == o.missing;
  }
};

enum class FeedHealth { kWaiting, kAnswering, kFailing };
std::string_view WireName(FeedHealth health);

// Why a fetch failed, as a code the pages word: "timeout", "unreachable" (name, connection),
// "tls", "http_status", "too_large", "invalid_http", "invalid_have", "exercise".
struct FeedProblem {
  std::string code;
  std::string detail;  // for the operator (English, from the fetch or the reader)
};

struct NeighbourFeedState {
  FeedHealth health = FeedHealth::kWaiting;
  std::optional<TimeMs> fetched_at;     // the last good answer
  std::optional<TimeMs> attempted_at;   // the last attempt's end
  std::optional<TimeMs> failing_since;  // the first failure since the last good answer
  std::int64_t failures_in_a_row = 0;
  std::int64_t fetches = 0, failures = 0;  // since start
  std::optional<FeedProblem> problem;   // of the last attempt, if it failed
  std::vector<NeighbourHospital> hospitals;  // of the last good answer (kept while failing)
};

// A good answer at `now`: its hospitals, already chosen by the configured list (interop
// NeighbourHospitalsFromHave). True if the health changed (worth a log line).
bool RecordAnswer(NeighbourFeedState& state, TimeMs now, std::vector<NeighbourHospital> hospitals);
// A failed attempt ending at `now`. True if the health changed.
bool RecordFailure(NeighbourFeedState& state, TimeMs now, FeedProblem problem);

// When the board must show the feed as not answering even if the server says nothing more: one
// interval and one time-out after the last good answer, and a grace of 5 s.
TimeMs FeedDeadAt(const NeighbourFeedConfig& config, TimeMs fetched_at);

// The boards' "neighbours" message (docs/protocol.md, "neighbours"): each feed's health and
// hospitals (`states` parallel to `feeds`), with when the board must flag the feed (dead_at) and
// each hospital's figures (stale_at: its LastUpdateTime plus `stale_after_minutes`).
std::string NeighboursMessage(const std::vector<NeighbourFeedConfig>& feeds,
                              const std::vector<NeighbourFeedState>& states, TimeMs now,
                              int stale_after_minutes);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_NEIGHBOURS_H_
