#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "lagesbild/core/error_codes.h"

using namespace lagesbild;

namespace {

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("docs/protocol.md lists exactly the codes a client can get, with their meaning") {
  const std::string doc = Read(std::string(LAGESBILD_SOURCE_DIR) + "/docs/protocol.md");
  const std::string heading = "| code | when |\n|---|---|\n";
  const auto start = doc.find(heading);
  REQUIRE(start != std::string::npos);
  const auto rows_start = start + heading.size();
  const auto rows_end = doc.find("\n\n", rows_start);
  CHECK(doc.substr(rows_start, rows_end + 1 - rows_start) == ErrorCodesMarkdown());
}

TEST_CASE("every error code made in the sources is in the table, once") {
  std::set<std::string> seen;
  for (const ErrorCode& entry : ErrorCodes()) {
    CHECK(seen.insert(std::string(entry.code)).second);
    CHECK_FALSE(entry.meaning.empty());
  }
  // MakeError("code", …) and the wire parser's Reject("code", …), in every source file.
  const std::regex made(R"re((?:MakeError|Reject)\(\s*"([a-z_]+)")re");
  std::set<std::string> used;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(LAGESBILD_SOURCE_DIR) + "/src")) {
    if (!entry.is_regular_file()) continue;
    const std::string text = Read(entry.path());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), made); it != std::sregex_iterator(); ++it) {
      used.insert((*it)[1]);
      INFO(entry.path().string());
      CHECK(FindErrorCode((*it)[1].str()) != nullptr);
    }
  }
  CHECK(used.size() > 30);  // the scan found the sources
  CHECK(used.count("bad_request") == 0);  // made by ws_config.h's refused request head, listed by hand
  CHECK(FindErrorCode("bad_request"));
  CHECK_FALSE(FindErrorCode("no_such_code"));
}
