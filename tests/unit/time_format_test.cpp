#include <catch2/catch.hpp>

#include "lagesbild/core/time_format.h"

using namespace lagesbild;

TEST_CASE("UTC timestamps format and parse back") {
  CHECK(FormatUtc(0) == "1970-01-01T00:00:00.000Z");
  const TimeMs at = 1795429800123;  // 2026-11-23T10:30:00.123Z
  CHECK(FormatUtc(at) == "2026-11-23T10:30:00.123Z");
  CHECK(ParseUtc("2026-11-23T10:30:00.123Z") == at);
  CHECK(ParseUtc("2026-11-23T10:30:00Z") == at - 123);
  CHECK(ParseUtc(FormatUtc(951782400000)) == 951782400000);  // 2000-02-29, a leap day
}

TEST_CASE("malformed timestamps are rejected") {
  CHECK_FALSE(ParseUtc(""));
  CHECK_FALSE(ParseUtc("2026-11-23 10:30:00Z"));
  CHECK_FALSE(ParseUtc("2026-11-23T10:30:00.123"));
  CHECK_FALSE(ParseUtc("2026-13-01T00:00:00Z"));
  CHECK_FALSE(ParseUtc("2026-02-29T00:00:00Z"));
  CHECK_FALSE(ParseUtc("2026-11-23T24:00:00Z"));
  CHECK_FALSE(ParseUtc("2026-11-23T10:30:00.123Zjunk"));
}
