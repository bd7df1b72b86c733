// The operator's log lines: one line each, whatever the text; JSON that parses.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "lagesbild/log/log.h"

using namespace lagesbild;

TEST_CASE("a text log line keeps plain words bare and quotes the rest, on one line") {
  const std::string line = log::Render(log::Format::kText, log::Level::kWarning, "sign_in_failed",
                                       {{"user", "tib-uppsala"}, {"address", "10.0.0.7"},
                                        {"detail", "bad \"token\"\nsecond=line\\"}},
                                       "2026-12-02T10:00:00.000Z");
  CHECK(line ==
        "2026-12-02T10:00:00.000Z warning sign_in_failed user=tib-uppsala address=10.0.0.7 "
        "detail=\"bad \\\"token\\\"\\x0asecond=line\\\\\"");
  CHECK(line.find('\n') == std::string::npos);
  CHECK(log::Render(log::Format::kText, log::Level::kInfo, "x", {{"empty", ""}}, "") ==
        "info x empty=\"\"");
}

TEST_CASE("a JSON log line is one object with time, level, event and the fields in order") {
  const std::string line = log::Render(log::Format::kJson, log::Level::kInfo, "tls_reloaded",
                                       {{"certificate", "CN=lägesbild\n"}, {"bad", "\xff"}},
                                       "2026-12-02T10:00:00.000Z");
  CHECK(line.find('\n') == std::string::npos);
  const auto parsed = nlohmann::json::parse(line);
  CHECK(parsed["time"] == "2026-12-02T10:00:00.000Z");
  CHECK(parsed["level"] == "info");
  CHECK(parsed["event"] == "tls_reloaded");
  CHECK(parsed["certificate"] == "CN=lägesbild\n");
  CHECK(parsed["bad"] == "\xEF\xBF\xBD");  // invalid UTF-8 replaced, never thrown
  CHECK(line.rfind("{\"time\":", 0) == 0);
}

TEST_CASE("log levels and formats parse from their option names only") {
  CHECK(log::ParseLevel("warning") == log::Level::kWarning);
  CHECK(!log::ParseLevel("WARN"));
  CHECK(log::ParseFormat("json") == log::Format::kJson);
  CHECK(!log::ParseFormat("xml"));
  log::Configure(log::Format::kText, log::Level::kWarning);
  CHECK(!log::Enabled(log::Level::kInfo));
  CHECK(log::Enabled(log::Level::kError));
  log::Configure(log::Format::kText, log::Level::kInfo);
}
