// The bodies of the HTTP API's answers (docs/protocol.md, "HTTP API"), next to the WebSocket
// messages in wire.h (and written by its Envelope): versioned JSON, built from plain values so the transport only fills them
// in. Errors over HTTP use ErrorMessage() from wire.h.
#ifndef LAGESBILD_CORE_HTTP_WIRE_H_
#define LAGESBILD_CORE_HTTP_WIRE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"
#include "lagesbild/core/scenario.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

// GET /healthz. `status`: ok, stopping or store_failed (with `reason`). The counters are shown
// only when `detailed` (a closed server shows them to signed-in users only).
struct HealthReport {
  std::string status = "ok";
  std::optional<std::string> reason;
  bool detailed = true;
  bool tls = false;                 // the server itself speaks TLS
  bool insecure_plaintext = false;  // plain TCP beyond loopback (--insecure-plaintext)
  std::vector<std::pair<std::string, Seq>> spaces;
  std::vector<std::pair<std::string, std::int64_t>> connections, limits;
};
std::string HealthMessage(const HealthReport& report);

// GET /api/scenarios: every file of scenarios/ and every saved scenario (its newest version, and
// the list of its versions), with the injects summarised as data.
struct SavedScenarioListing {
  ScenarioFile newest;  // catalogue.h SavedScenarioFile
  const std::vector<ScenarioVersion>* versions = nullptr;
};
std::string ScenarioListMessage(const HealthcareRegionConfig& config,
                                const std::vector<ScenarioFile>& files,
                                const std::vector<SavedScenarioListing>& saved = {});

// GET /api/spaces. `clock`: the running exercise's clock now, if the space has one.
struct SpaceListing {
  std::string space;
  bool exercise = false;
  Seq seq = 0;
  std::optional<ExerciseInfo> info;
  std::optional<SetExerciseClock> clock;
};
std::string SpacesMessage(const std::vector<SpaceListing>& spaces, TimeMs now);

// GET /api/history: capacity changes of one hospital. `report` is null for figures_confirmed.
struct HistoryEntry {
  Seq seq = 0;
  TimeMs at = 0;
  std::string by, kind;
  nlohmann::json report;
};
std::string HistoryMessage(const std::string& hospital, const std::string& space,
                           const std::vector<HistoryEntry>& entries, bool truncated);

// GET /api/messages: a page of message records, newest first. `open`: the open=true listing.
// `unreadable`: stored events that could not be read (listed, never dropped silently).
std::string MessagePageMessage(const std::string& space, bool open,
                               const std::vector<MessageState>& messages,
                               std::optional<Seq> older_before,
                               const std::vector<Seq>& unreadable = {});

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_HTTP_WIRE_H_
