// The event log's codec: how one event is stored, apart from how it is shown to clients (the
// deltas and snapshots of wire.h keep their own projection).
//
// Versioned: every stored event says "format": kEventLogFormat. Format 1 (before the field
// existed) has the same layout without it; an event of a newer format than this build knows is
// refused as unreadable, never guessed at. Reading checks types only, never the client input
// limits (wire.h, decide.cpp), so a log written by any earlier version always replays
// (tests/unit/event_log_test.cpp keeps a small log of format 1 and replays it). Format 3 adds
// decision_recorded, reasons and message senders; format 4 scenario_saved (the catalogue) and
// the scenario version and dry-run flag of exercise_started; format 5 sign_in (the audit of
// sign-ins, space kAuditSpace); every older event reads unchanged.
#ifndef LAGESBILD_CORE_EVENT_LOG_H_
#define LAGESBILD_CORE_EVENT_LOG_H_

#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "lagesbild/core/error.h"
#include "lagesbild/core/events.h"
#include "lagesbild/core/result.h"

namespace lagesbild {

inline constexpr int kEventLogFormat = 5;

std::string EventToLog(const Event& event);
// An unreadable event: error code corrupt_event.
Result<Event> EventFromLog(std::string_view text);

// The same as JSON objects (the delta's "event" is this object without "space" and "format").
nlohmann::json EventToJson(const Event& event);
Result<Event> EventFromJson(const nlohmann::json& json);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_EVENT_LOG_H_
