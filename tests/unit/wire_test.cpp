#include <catch2/catch.hpp>

#include "lagesbild/core/event_log.h"
#include "lagesbild/core/core.h"
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/wire.h"
#include "test_support.h"

using namespace lagesbild;

namespace {

WireError Rejected(const std::string& text) {
  auto parsed = ParseClientMessage(text);
  REQUIRE(std::holds_alternative<WireError>(parsed));
  return std::get<WireError>(parsed);
}

CommandRequest ParsedCommand(const std::string& text) {
  auto parsed = ParseClientMessage(text);
  if (auto* error = std::get_if<WireError>(&parsed)) FAIL(error->error.message);
  return std::get<CommandRequest>(std::get<ClientMessage>(parsed));
}

}  // namespace

TEST_CASE("a full capacity report parses into a command") {
  auto request = ParsedCommand(R"({"v":1,"type":"report_capacity","id":"r-1","space":"live",
    "hospital":"big","beds":{"AdultICU":{"available":5,"baseline":12,"surge24h":3}},
    "ed_status":"closed","reception":{"P1":2,"P3":9},"readiness":"disaster"})");
  CHECK(request.id == "r-1");
  CHECK(request.space == "live");
  const auto& report = std::get<CapacityReport>(request.body);
  CHECK(report.hospital == "big");
  CHECK(report.beds[Index(BedType::kAdultICU)] == BedReport{5, 12, 3, std::nullopt});
  CHECK_FALSE(report.beds[Index(BedType::kBurn)]);
  CHECK(report.ed_status == EdStatus::kClosed);
  CHECK(report.reception[Index(Triage::kP1)] == 2);
  CHECK_FALSE(report.reception[Index(Triage::kP2)]);
  CHECK(report.readiness == ReadinessLevel::kDisaster);
}

TEST_CASE("subscribe, hello and set_region_readiness parse") {
  auto subscribe = std::get<SubscribeRequest>(std::get<ClientMessage>(
      ParseClientMessage(R"({"v":1,"type":"subscribe","space":"live","since":41})")));
  CHECK(subscribe.space == "live");
  CHECK(subscribe.since == 41);
  auto hello = std::get<HelloRequest>(
      std::get<ClientMessage>(ParseClientMessage(R"({"v":1,"type":"hello","token":"abc123"})")));
  CHECK(hello.token == "abc123");
  auto readiness = ParsedCommand(
      R"({"v":1,"type":"set_region_readiness","id":"a","space":"live","region":"north","level":"staff"})");
  CHECK(std::get<SetRegionReadiness>(readiness.body) ==
        SetRegionReadiness{"north", ReadinessLevel::kStaff});
}

TEST_CASE("each kind of bad input gets its own error code") {
  CHECK(Rejected("not json").error.code == "bad_json");
  CHECK(Rejected("[1,2]").error.code == "bad_json");
  CHECK(Rejected("\"text\"").error.code == "bad_json");
  CHECK(Rejected("{\"v\":1,\"type\":\"hello\",\"token\":\"\xff\xfe\"}").error.code == "bad_json");
  CHECK(Rejected(R"({"type":"hello","name":"x"})").error.code == "unsupported_version");
  CHECK(Rejected(R"({"v":2,"type":"hello","name":"x"})").error.code == "unsupported_version");
  CHECK(Rejected(R"({"v":1})").error.code == "unknown_type");
  CHECK(Rejected(R"({"v":1,"type":"drop_tables"})").error.code == "unknown_type");
  CHECK(Rejected(std::string(kMaxClientMessageBytes + 1, ' ')).error.code == "message_too_large");

  const std::string prefix = R"({"v":1,"type":"report_capacity","id":"r-9","space":"live",)";
  WireError no_id = Rejected(R"({"v":1,"type":"report_capacity","space":"live","hospital":"big"})");
  CHECK(no_id.error.code == "bad_message");
  CHECK(no_id.error.field == "id");

  WireError wrong_type = Rejected(prefix + R"("hospital":"big","beds":{"AdultICU":{"available":"5"}}})");
  CHECK(wrong_type.id == "r-9");  // echoed so the sender can match it
  CHECK(wrong_type.error.code == "bad_message");
  CHECK(wrong_type.error.field == "beds.AdultICU.available");

  CHECK(Rejected(prefix + R"("hospital":"big","beds":{"AdultICU":{"available":2.5}}})").error.code == "bad_message");
  CHECK(Rejected(prefix + R"("hospital":"big","beds":{"Sauna":{"available":1}}})").error.code == "invalid_value");
  CHECK(Rejected(prefix + R"("hospital":"big","ed_status":"half-open"})").error.code == "invalid_value");
  CHECK(Rejected(prefix + R"("hospital":"big","readiness":7})").error.code == "bad_message");
  CHECK(Rejected(prefix + R"("hospital":"big","reception":{"P9":1}})").error.code == "invalid_value");
  CHECK(Rejected(prefix + R"("hospital":"big","reception":{"P1":18446744073709551615}})").error.code == "invalid_value");
  CHECK(Rejected(prefix + R"("hospital":"big","recepton":{"P1":1}})").error.field == "recepton");
  CHECK(Rejected(prefix + R"("hospital":42})").error.field == "hospital");
  CHECK(Rejected(R"({"v":1,"type":"report_capacity","id":"r","hospital":"big"})").error.field == "space");
  CHECK(Rejected(R"({"v":1,"type":"subscribe","space":"live","since":-1})").error.field == "since");
  CHECK(Rejected(R"({"v":1,"type":"hello","token":")" + std::string(257, 'x') + "\"}").error.code == "bad_message");
  CHECK(Rejected(R"({"v":1,"type":"hello","name":"x"})").error.field == "name");
}

TEST_CASE("deeply nested input is rejected without crashing") {
  const std::string deep = std::string(8000, '[') + std::string(8000, ']');
  CHECK(Rejected(deep).error.code == "bad_json");
  const std::string deep_field = R"({"v":1,"type":"report_capacity","id":"r","space":"live","hospital":"big","beds":)" +
                                 std::string(3000, '[') + std::string(3000, ']') + "}";
  CHECK(Rejected(deep_field).error.code == "bad_message");
}

TEST_CASE("server messages carry the version, and a delta carries the changed record") {
  const auto& config = testing::SmallConfig();
  SpaceState state = InitialState(config, kLiveSpace, false);
  Decision decision = Decide(config, state, testing::Report("big", BedType::kAdultICU, 4, 1795429800123));
  REQUIRE(decision.ok());
  REQUIRE_FALSE(Apply(config, state, decision.events[0]));

  Json delta = Json::parse(DeltaMessage(config, state, decision.events[0]));
  CHECK(delta["v"] == 1);
  CHECK(delta["type"] == "delta");
  CHECK(delta["seq"] == 1);
  CHECK(delta["event"]["kind"] == "capacity_reported");
  CHECK(delta["event"]["at"] == "2026-11-23T10:30:00.123Z");
  CHECK(delta["event"]["actor"] == Json{{"kind", "user"}, {"id", "tib-test"}, {"role", "admin"}});
  CHECK(delta["event"]["report"]["beds"]["AdultICU"]["available"] == 4);
  CHECK(delta["hospital"]["id"] == "big");
  CHECK(delta["hospital"]["beds"]["AdultICU"]["available"] == 4);
  CHECK(delta["hospital"]["beds"]["AdultICU"]["reported_by"] == "tib-test");
  CHECK(delta["hospital"]["beds"]["Burn"]["available"].is_null());
  CHECK(delta["hospital"]["last_reported_at"] == "2026-11-23T10:30:00.123Z");

  Json snapshot = Json::parse(SnapshotMessage(config, state, 1795429800999));
  CHECK(snapshot["type"] == "snapshot");
  CHECK(snapshot["seq"] == 1);
  CHECK(snapshot["exercise"] == false);
  CHECK(snapshot["state"]["regions"].size() == 2);
  CHECK(snapshot["state"]["hospitals"].size() == 3);
  CHECK(snapshot["state"]["hospitals"][0]["beds"].size() == 7);
  CHECK(snapshot["state"]["stale_after_minutes"] == 30);

  Json error = Json::parse(ErrorMessage("", MakeError("bad_json", "", "x")));
  CHECK(error["id"].is_null());
  CHECK_FALSE(error.contains("field"));
  CHECK(Json::parse(AckMessage("r-1", "live", 9)) ==
        Json{{"v", 1}, {"type", "ack"}, {"id", "r-1"}, {"space", "live"}, {"seq", 9}});
}

TEST_CASE("events survive the trip through their stored JSON") {
  const auto& config = testing::SmallConfig();
  SpaceState state = InitialState(config, kLiveSpace, false);
  CapacityReport report;
  report.hospital = "big";
  report.beds[Index(BedType::kMedicalSurgical)] = BedReport{40, 300, std::nullopt, std::nullopt};
  report.ed_status = EdStatus::kOpen;
  report.reception[Index(Triage::kP2)] = 6;
  report.readiness = ReadinessLevel::kStaff;
  Decision decision = Decide(config, state, lagesbild::Command{testing::Scenario("demo"), 77, report});
  REQUIRE(decision.ok());
  const Event& original = decision.events[0];
  auto round_trip = EventFromJson(Json::parse(EventToJson(original).dump()));
  REQUIRE(round_trip.ok());
  CHECK(round_trip.value() == original);
  CHECK(!(EventFromJson(Json{{"seq", 1}})).ok());
}
