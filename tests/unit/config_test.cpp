#include <catch2/catch.hpp>

#include "lagesbild/core/config.h"
#include "test_support.h"

using namespace lagesbild;

namespace {

std::string ErrorOf(const std::string& text) {
  auto result = ParseConfig(text, "bad.json");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == "config");
  return result.error().message;
}

const char* const kMinimalRegion =
    R"({"id": "r", "name": "R", "hospitals": [{"id": "h", "name": "H"}]})";

std::string WithRegions(const std::string& regions) {
  return R"({"healthcare_region": {"id": "x", "name": "X"}, "regions": [)" + regions + "]}";
}

}  // namespace

TEST_CASE("the shipped Mellansverige configuration has 7 regions and 18 acute hospitals") {
  const auto config = testing::LoadRepoConfig("mellansverige.json");
  CHECK(config.id == "mellansverige");
  CHECK(config.regions.size() == 7);
  CHECK(config.hospitals.size() == 18);
  REQUIRE(config.FindHospital("akademiska"));
  const auto& akademiska = config.hospitals[*config.FindHospital("akademiska")];
  CHECK(akademiska.region_id == "uppsala");
  CHECK(akademiska.beds[Index(BedType::kBurn)].baseline > 0);  // national burn centre
  for (const auto& hospital : config.hospitals) {
    INFO(hospital.id);
    CHECK(hospital.note.rfind("Baseline approximate", 0) == 0);
  }
}

TEST_CASE("the shipped Sydöstra configuration has 3 regions") {
  const auto config = testing::LoadRepoConfig("sydost.json");
  CHECK(config.regions.size() == 3);
  CHECK(config.hospitals.size() >= 8);
}

TEST_CASE("configuration errors name the file and the field") {
  CHECK(ErrorOf("{not json") .rfind("bad.json: not valid JSON", 0) == 0);
  CHECK(ErrorOf(R"({"regions": []})") == "bad.json: $.healthcare_region: is missing");
  CHECK(ErrorOf(R"({"healthcare_region": {"id": "x", "name": "X"}, "regions": []})") ==
        "bad.json: $.regions: must be a non-empty array");
  CHECK(ErrorOf(WithRegions(R"({"id": "Bad Id", "name": "R", "hospitals": []})")) ==
        "bad.json: $.regions[0].id: must be 1-40 characters of a-z, 0-9 and -");
  CHECK(ErrorOf(WithRegions(
            R"({"id": "r", "name": "R", "hospitals": [{"id": "h", "name": "H",
                "beds": {"AdultICU": {"baseline": -1}}}]})")) ==
        "bad.json: $.regions[0].hospitals[0].beds.AdultICU.baseline: must be an integer from 0 "
        "to 100000");
  CHECK(ErrorOf(WithRegions(
            R"({"id": "r", "name": "R", "hospitals": [{"id": "h", "name": "H",
                "beds": {"Sauna": {"baseline": 1}}}]})")) ==
        "bad.json: $.regions[0].hospitals[0].beds.Sauna: unknown bed type");
  CHECK(ErrorOf(WithRegions(
            R"({"id": "r", "name": "R", "hospitals": [{"id": "h", "name": "H", "bedz": {}}]})")) ==
        "bad.json: $.regions[0].hospitals[0].bedz: unknown key (a typo?)");
  CHECK(ErrorOf(WithRegions(std::string(kMinimalRegion) + "," + kMinimalRegion)) ==
        "bad.json: $.regions[1].id: 'r' is used twice");
  CHECK(ErrorOf(WithRegions(
            R"({"id": "r", "name": "R", "hospitals": [{"id": "h", "name": "H",
                "reception_baseline": {"P4": 1}}]})")) ==
        "bad.json: $.regions[0].hospitals[0].reception_baseline.P4: unknown triage priority "
        "(P1, P2 or P3)");
  CHECK(ErrorOf(R"({"healthcare_region": {"id": "x", "name": "X"}, "stale_after_minutes": 0,
                    "regions": [)" + std::string(kMinimalRegion) + "]}") ==
        "bad.json: $.stale_after_minutes: must be an integer from 1 to 1440");
}

TEST_CASE("a minimal configuration loads with defaults") {
  auto result = ParseConfig(WithRegions(kMinimalRegion), "ok.json");
  REQUIRE(result.ok());
  CHECK(result->stale_after_minutes == 60);
  CHECK(result->hospitals[0].beds[Index(BedType::kAdultICU)].baseline == 0);
  CHECK(result->FindRegion("r") == std::optional<std::size_t>(0));
  CHECK_FALSE(result->FindHospital("nope"));
}
