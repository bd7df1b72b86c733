#include <catch2/catch.hpp>

#include "lagesbild/server/url.h"

using namespace lagesbild;

TEST_CASE("a request target splits into its path and decoded query") {
  Resource r = ParseResource("/ws?space=ovning-1&since=42");
  CHECK(r.path == "/ws");
  CHECK(r.query == std::map<std::string, std::string>{{"space", "ovning-1"}, {"since", "42"}});
  CHECK(ParseResource("/index.html").query.empty());
  CHECK(ParseResource("/").path == "/");
}

TEST_CASE("query values are percent-decoded, the path is not") {
  Resource r = ParseResource("/api/%68istory?hospital=s%C3%B6dersjukhuset&from=2026-11-23T10%3A00%3A00Z&q=a+b");
  CHECK(r.path == "/api/%68istory");
  CHECK(r.query.at("hospital") == "s\xC3\xB6" "dersjukhuset");
  CHECK(r.query.at("from") == "2026-11-23T10:00:00Z");
  CHECK(r.query.at("q") == "a b");
}

TEST_CASE("odd queries: empty pairs, keys without values, repeated keys, broken escapes") {
  Resource r = ParseResource("/x?&&a&b=&c=1&c=2&d=%zz&e=%4");
  CHECK(r.query.at("a").empty());
  CHECK(r.query.at("b").empty());
  CHECK(r.query.at("c") == "2");
  CHECK(r.query.at("d") == "%zz");
  CHECK(r.query.at("e") == "%4");
  CHECK(r.query.count("") == 0);
  CHECK(QueryParam(r, "c") == std::optional<std::string>("2"));
  CHECK_FALSE(QueryParam(r, "zz"));
  CHECK(ParseResource("/x?").query.empty());
  CHECK(PercentDecode("%41%42%4") == "AB%4");
  CHECK(PercentDecode("100%") == "100%");
}

TEST_CASE("a sequence number is 1-18 digits and nothing else") {
  CHECK(ParseSeq("0") == Seq{0});
  CHECK(ParseSeq("41") == Seq{41});
  CHECK(ParseSeq("999999999999999999") == Seq{999999999999999999});
  CHECK_FALSE(ParseSeq(""));
  CHECK_FALSE(ParseSeq("1000000000000000000"));  // 19 digits could overflow
  CHECK_FALSE(ParseSeq("-1"));
  CHECK_FALSE(ParseSeq("1e3"));
  CHECK_FALSE(ParseSeq(" 1"));
}
