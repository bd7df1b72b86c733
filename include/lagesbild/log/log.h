// The operator's log: one line per significant event on standard error (the journal under
// systemd), as text or as JSON (--log-format), at or above a level (--log-level).
//
//   text: 2026-12-02T14:30:00.123Z info sign_in user=tib-uppsala address=10.1.2.3
//   json: {"time":"2026-12-02T14:30:00.123Z","level":"info","event":"sign_in","user":"tib-uppsala",...}
//
// Every line has an event name (a fixed word, documented in docs/operations.md) and fields.
// Callers never pass a token or other secret. Configure() once at start, before any thread;
// Write() is then safe from any thread (one write(2) per line, under a mutex).
#ifndef LAGESBILD_LOG_LOG_H_
#define LAGESBILD_LOG_LOG_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace lagesbild::log {

enum class Level { kDebug, kInfo, kWarning, kError };
enum class Format { kText, kJson };

std::optional<Level> ParseLevel(std::string_view name);    // debug, info, warning, error
std::optional<Format> ParseFormat(std::string_view name);  // text, json

using Field = std::pair<std::string_view, std::string>;

void Configure(Format format, Level level);
bool Enabled(Level level);
// The line as it would be written (without the time), for tests.
std::string Render(Format format, Level level, std::string_view event,
                   std::initializer_list<Field> fields, std::string_view time);
void Write(Level level, std::string_view event, std::initializer_list<Field> fields = {});

inline void Debug(std::string_view event, std::initializer_list<Field> fields = {}) {
  Write(Level::kDebug, event, fields);
}
inline void Info(std::string_view event, std::initializer_list<Field> fields = {}) {
  Write(Level::kInfo, event, fields);
}
inline void Warning(std::string_view event, std::initializer_list<Field> fields = {}) {
  Write(Level::kWarning, event, fields);
}
inline void Error(std::string_view event, std::initializer_list<Field> fields = {}) {
  Write(Level::kError, event, fields);
}

}  // namespace lagesbild::log

#endif  // LAGESBILD_LOG_LOG_H_
