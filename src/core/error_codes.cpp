#include "lagesbild/core/error_codes.h"

#include <nlohmann/json.hpp>

namespace lagesbild {

const std::vector<ErrorCode>& ErrorCodes() {
  static const std::vector<ErrorCode> codes = {
      {"bad_json", "the frame is not JSON, or not a JSON object"},
      {"unsupported_version", "`v` is missing or not 1"},
      {"unknown_type", "`type` is missing or not a known client message"},
      {"bad_message", "a field is missing or has the wrong JSON type"},
      {"message_too_large",
       "the frame is above 16 KiB (a signed-in trainer's: 516 KiB; frames above 1 MiB close the "
       "connection with 1009), or a scenario above 512 KiB"},
      {"unknown_space", "no such space"},
      {"unknown_hospital", "no hospital with that id in the configuration"},
      {"unknown_region", "no region with that id in the configuration"},
      {"invalid_value",
       "an unknown enum value, a negative or absurd number (above 100 000), an unknown bed type or "
       "priority"},
      {"over_capacity", "`available` is above `baseline + surge24h`"},
      {"empty_report", "a report with nothing in it"},
      {"invalid_have",
       "`import_have` (or `lagesbild import-have`): the EDXL-HAVE document is not well-formed, has a "
       "DOCTYPE, is above 512 KiB, or has invalid values or hospitals this configuration does not "
       "have; `details` lists every problem with its line, and nothing was imported"},
      {"store_failed", "the event log could not commit; nothing was stored"},
      {"corrupt_event",
       "the event log could not be read back after a failed commit; nothing is stored until it "
       "can be (see `GET /healthz`)"},
      {"unauthorized", "`hello` with a token nobody has, or a bad `Authorization` header (HTTP 401)"},
      {"forbidden",
       "the sender's role or region may not do this (recorded as `access_denied` for a signed-in "
       "user, within the budget in Limits; not recorded for a connection that has not signed in)"},
      {"unknown_message",
       "`acknowledge` names a message that does not exist, or one that is closed or archived (the "
       "text says which)"},
      {"not_addressed",
       "`acknowledge` for a region the message is not addressed to, or one that needs no "
       "acknowledgement"},
      {"shutting_down", "the server is stopping; nothing was stored"},
      {"rate_limited",
       "more messages a second than the connection's rate, or more writes than the server takes a "
       "second (see Limits); nothing was done — send it again shortly. Carries the message's `id`"},
      {"sign_in_required",
       "`--require-sign-in`: send `hello` first (WebSocket) or `Authorization: Bearer` (HTTP, 401)"},
      {"busy",
       "a read queue or a scenario reload is full or under way (HTTP 503 with `Retry-After: 1`), "
       "also for `check_scenario`; try again"},
      {"unknown_scenario",
       "`start_exercise`, `restore_scenario` or `GET /api/scenario` names no scenario file, saved "
       "scenario or version"},
      {"invalid_scenario",
       "`start_exercise` names a scenario file with errors or a draft version (the first problem "
       "is in the text)"},
      {"scenario_id_taken",
       "`save_scenario` with the id of a shipped file of scenarios/: save a copy under a new id"},
      {"version_conflict",
       "`save_scenario` whose `base_version` is not the newest: someone saved in between"},
      {"catalogue_full", "the scenario catalogue holds 64 MiB of versions; nothing was saved"},
      {"space_exists", "`start_exercise` into a space that exists already"},
      {"not_an_exercise", "an exercise command to a space that is not an exercise"},
      {"not_running", "`control_exercise` for a space whose exercise is not being run"},
      {"exercise_stopped", "a write to an exercise that has ended; it can only be read"},
      {"too_many_attempts",
       "five failed sign-ins from one address within a minute: every sign-in from it is refused "
       "for a minute, doubling while it goes on (HTTP 429 with Retry-After)"},
      {"origin_forbidden", "HTTP 403 to a WebSocket upgrade from another page's origin"},
      {"method_not_allowed", "HTTP 405: only GET and HEAD are served (with `Allow: GET, HEAD`)"},
      {"bad_request", "HTTP 400/414/431: a request head the server does not accept (see \"HTTP\")"},
      {"internal_error",
       "the server failed on this request (a fault it logged); it closed this connection only "
       "(1011 on WebSocket, 500 on HTTP)"},
      // Never sent to a client: the server's own log, or a refusal to start.
      {"config", "the configuration, the users file or the web files cannot be used", false},
      {"listen", "the server cannot listen on its address and port", false},
      {"tls", "the TLS certificate or key cannot be used, or an address beyond loopback has no TLS",
       false},
      {"users", "the users file cannot be read or written, or a user cannot be added", false},
      {"out_of_sequence", "an event that does not follow the space's last one (a defect)", false},
      {"saved_state_format", "a saved state written in another format; replayed past", false},
      {"saved_state_config", "a saved state written for another configuration; replayed past", false},
      {"saved_state_corrupt", "a saved state that cannot be read; replayed past", false},
  };
  return codes;
}

const ErrorCode* FindErrorCode(std::string_view code) {
  for (const ErrorCode& entry : ErrorCodes()) {
    if (entry.code == code) return &entry;
  }
  return nullptr;
}

std::string ErrorCodesMarkdown() {
  std::string rows;
  for (const ErrorCode& entry : ErrorCodes()) {
    if (!entry.to_clients) continue;
    rows += "| `" + std::string(entry.code) + "` | " + std::string(entry.meaning) + " |\n";
  }
  return rows;
}

std::string ErrorCodesJson() {
  nlohmann::json list = nlohmann::json::array();
  for (const ErrorCode& entry : ErrorCodes()) {
    list.push_back({{"code", entry.code}, {"meaning", entry.meaning}, {"to_clients", entry.to_clients}});
  }
  return list.dump(2);
}

}  // namespace lagesbild
