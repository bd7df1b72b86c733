#include "lagesbild/log/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include <unistd.h>

#include <nlohmann/json.hpp>

namespace lagesbild::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::atomic<Format> g_format{Format::kText};
std::mutex g_write_mutex;

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarning: return "warning";
    case Level::kError: return "error";
  }
  return "info";
}

// A text value: bare when it is a plain word, else quoted with \" \\ and control characters
// escaped, so a client's text can never start a line of its own.
void AppendTextValue(std::string& line, std::string_view value) {
  bool plain = !value.empty();
  for (unsigned char c : value) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) plain = false;
  }
  if (plain) {
    line += value;
    return;
  }
  line += '"';
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      line += '\\';
      line += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      line += escaped;
    } else {
      line += static_cast<char>(c);
    }
  }
  line += '"';
}

std::string Now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms));
  return text;
}

}  // namespace

std::optional<Level> ParseLevel(std::string_view name) {
  for (Level level : {Level::kDebug, Level::kInfo, Level::kWarning, Level::kError}) {
    if (name == LevelName(level)) return level;
  }
  return std::nullopt;
}

std::optional<Format> ParseFormat(std::string_view name) {
  if (name == "text") return Format::kText;
  if (name == "json") return Format::kJson;
  return std::nullopt;
}

void Configure(Format format, Level level) {
  g_format = format;
  g_level = level;
}

bool Enabled(Level level) { return level >= g_level.load(); }

std::string Render(Format format, Level level, std::string_view event,
                   std::initializer_list<Field> fields, std::string_view time) {
  if (format == Format::kJson) {
    nlohmann::ordered_json line;
    if (!time.empty()) line["time"] = time;
    line["level"] = LevelName(level);
    line["event"] = event;
    for (const auto& [name, value] : fields) line[std::string(name)] = value;
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string line;
  if (!time.empty()) {
    line += time;
    line += ' ';
  }
  line += LevelName(level);
  line += ' ';
  AppendTextValue(line, event);
  for (const auto& [name, value] : fields) {
    line += ' ';
    line += name;
    line += '=';
    AppendTextValue(line, value);
  }
  return line;
}

void Write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (!Enabled(level)) return;
  std::string line = Render(g_format.load(), level, event, fields, Now());
  line += '\n';
  std::lock_guard<std::mutex> lock(g_write_mutex);
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
    if (n <= 0) return;  // a closed or full stderr loses the line, never the server
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace lagesbild::log
