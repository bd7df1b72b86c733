// Neighbours (core/neighbours.h): the feeds' configuration and addresses, their health, the
// hospitals taken from a feed's EDXL-HAVE answer, and the boards' message.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "lagesbild/core/config.h"
#include "lagesbild/core/neighbours.h"
#include "lagesbild/core/state.h"
#include "lagesbild/interop/have.h"
#include "lagesbild/interop/have_read.h"
#include "test_support.h"

using namespace lagesbild;

namespace {

std::string ConfigWith(const std::string& neighbours) {
  return R"json({"healthcare_region": {"id": "prov", "name": "Prov"},
    "regions": [{"id": "a", "name": "A", "hospitals": [{"id": "egen", "name": "Eget sjukhus"}]}],
    "neighbours": )json" + neighbours + "}";
}

Result<HealthcareRegionConfig> Parse(const std::string& neighbours) {
  return ParseConfig(ConfigWith(neighbours), "prov.json");
}

constexpr TimeMs kFeedAt = 1795428900000;  // 2026-11-23T10:15:00Z

}  // namespace

TEST_CASE("a feed's address: https or http, host, port and target; nothing that could inject") {
  auto url = ParseFeedUrl("https://lagesbild.sydost.example/api/have?space=live");
  REQUIRE(url.ok());
  CHECK(url->tls);
  CHECK(url->host == "lagesbild.sydost.example");
  CHECK(url->port == 443);
  CHECK(url->target == "/api/have?space=live");
  auto plain = ParseFeedUrl("http://127.0.0.1:8081");
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->tls);
  CHECK(plain->port == 8081);
  CHECK(plain->target == "/");
  auto v6 = ParseFeedUrl("http://[::1]:9000?x=1");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 9000);
  CHECK(v6->target == "/?x=1");
  for (const char* bad : {"ftp://x/", "https://", "https://user:pw@host/", "https://host:0/",
                          "https://host:65536/", "https://host:/", "https://ho st/",
                          "https://host/a b", "https://host/\r\nX-Evil: 1", "https://host/#frag",
                          "https://[::1/", "https://[::1]x/", "https://host:12a/", "//host/"}) {
    INFO(bad);
    auto refused = ParseFeedUrl(bad);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "config");
  }
  CHECK_FALSE(ParseFeedUrl("https://host/" + std::string(2000, 'a')).ok());
}

TEST_CASE("neighbours in the configuration: defaults, limits and mistakes named by path") {
  auto config = Parse(R"([{"name": "Sydöstra", "url": "https://sydost.example/api/have",
                           "hospitals": ["linkoping"]}])");
  REQUIRE(config.ok());
  REQUIRE(config->neighbours.size() == 1);
  const NeighbourFeedConfig& feed = config->neighbours[0];
  CHECK(feed.name == "Sydöstra");
  CHECK(feed.url.tls);
  CHECK(feed.hospitals == std::vector<std::string>{"linkoping"});
  CHECK(feed.interval_seconds == 60);
  CHECK(feed.timeout_seconds == 10);
  // A short interval shortens the default time-out with it.
  auto quick = Parse(R"([{"name": "S", "url": "http://127.0.0.1:1/", "interval_seconds": 2}])");
  REQUIRE(quick.ok());
  CHECK(quick->neighbours[0].timeout_seconds == 2);
  CHECK(quick->neighbours[0].hospitals.empty());

  const std::vector<std::pair<std::string, std::string>> mistakes = {
      {R"({"name": "S"})", "$.neighbours"},
      {R"([{"url": "http://h/"}])", "$.neighbours[0].name"},
      {R"([{"name": "S", "url": "gopher://h/"}])", "$.neighbours[0].url"},
      {R"([{"name": "S", "url": "http://h/", "interval_seconds": 0}])", "$.neighbours[0].interval_seconds"},
      {R"([{"name": "S", "url": "http://h/", "timeout_seconds": 61}])", "$.neighbours[0].timeout_seconds"},
      {R"([{"name": "S", "url": "http://h/", "hospitals": ["x", "x"]}])", "$.neighbours[0].hospitals[1]"},
      {R"([{"name": "S", "url": "http://h/", "hospitals": ["egen"]}])", "$.neighbours[0].hospitals[0]"},
      {R"([{"name": "S", "url": "http://h/", "hospitals": [""]}])", "$.neighbours[0].hospitals[0]"},
      {R"([{"name": "S", "url": "http://h/", "ca_file": "/x.pem"}])", "$.neighbours[0].ca_file"},
      {R"([{"name": "S", "url": "http://h/", "colour": "red"}])", "$.neighbours[0].colour"},
      {R"([{"name": "S", "url": "http://h/"}, {"name": "S", "url": "http://g/"}])", "$.neighbours[1].name"},
  };
  for (const auto& [neighbours, path] : mistakes) {
    INFO(neighbours);
    auto refused = Parse(neighbours);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().field == path);
  }
  std::string many = "[";
  for (std::size_t i = 0; i <= kMaxNeighbourFeeds; ++i) {
    many += std::string(i ? "," : "") + R"({"name": "S)" + std::to_string(i) + R"(", "url": "http://h/"})";
  }
  CHECK_FALSE(Parse(many + "]").ok());
}

TEST_CASE("a feed's health: waiting, answering, failing since its first failure, figures kept") {
  NeighbourFeedState state;
  CHECK(state.health == FeedHealth::kWaiting);
  NeighbourHospital linkoping;
  linkoping.id = "linkoping";
  linkoping.figures.beds[Index(BedType::kBurn)] = BedReport{2, 3, std::nullopt, std::nullopt};
  CHECK(RecordAnswer(state, kFeedAt, {linkoping}));
  CHECK(state.health == FeedHealth::kAnswering);
  CHECK_FALSE(RecordAnswer(state, kFeedAt + 1000, {linkoping}));  // no change of health
  CHECK(state.fetched_at == kFeedAt + 1000);

  CHECK(RecordFailure(state, kFeedAt + 2000, FeedProblem{"timeout", "no answer"}));
  CHECK_FALSE(RecordFailure(state, kFeedAt + 3000, FeedProblem{"timeout", "no answer"}));
  CHECK(RecordFailure(state, kFeedAt + 4000, FeedProblem{"unreachable", "refused"}));  // a new reason
  CHECK(state.health == FeedHealth::kFailing);
  CHECK(state.failing_since == kFeedAt + 2000);
  CHECK(state.failures_in_a_row == 3);
  CHECK(state.fetched_at == kFeedAt + 1000);  // the last good answer, and its figures, stay
  REQUIRE(state.hospitals.size() == 1);
  CHECK(state.attempted_at == kFeedAt + 4000);

  CHECK(RecordAnswer(state, kFeedAt + 5000, {}));
  CHECK_FALSE(state.failing_since);
  CHECK(state.failures_in_a_row == 0);
  CHECK_FALSE(state.problem);
  CHECK(state.fetches == 6);
  CHECK(state.failures == 3);
}

TEST_CASE("the boards' message: a dead feed's time and each hospital's staleness go with it") {
  auto config = Parse(R"([{"name": "Sydöstra", "url": "http://127.0.0.1:1/", "hospitals": ["linkoping"],
                           "interval_seconds": 30, "timeout_seconds": 5}])");
  REQUIRE(config.ok());
  std::vector<NeighbourFeedState> states(1);
  auto waiting = nlohmann::json::parse(NeighboursMessage(config->neighbours, states, kFeedAt, 60));
  CHECK(waiting["type"] == "neighbours");
  CHECK(waiting["v"] == 1);
  CHECK(waiting["feeds"][0]["health"] == "waiting");
  CHECK(waiting["feeds"][0]["dead_at"].is_null());
  CHECK(waiting["feeds"][0]["hospitals"].empty());

  NeighbourHospital linkoping;
  linkoping.id = "linkoping";
  linkoping.name = "Universitetssjukhuset i Linköping";
  linkoping.last_update = kFeedAt - 60000;
  linkoping.figures.beds[Index(BedType::kBurn)] = BedReport{2, 3, 1, 2};
  NeighbourHospital quiet;  // only planning baselines: nothing reported
  quiet.id = "quiet";
  quiet.figures.beds[Index(BedType::kAdultICU)] = BedReport{std::nullopt, 8, 2, 4};
  RecordAnswer(states[0], kFeedAt, {linkoping, quiet});
  RecordFailure(states[0], kFeedAt + 30000, FeedProblem{"http_status", "HTTP 503"});
  auto message = nlohmann::json::parse(NeighboursMessage(config->neighbours, states, kFeedAt + 30000, 60));
  const auto& feed = message["feeds"][0];
  CHECK(feed["name"] == "Sydöstra");
  CHECK(feed["health"] == "failing");
  CHECK(feed["fetched_at"] == "2026-11-23T10:15:00.000Z");
  CHECK(feed["dead_at"] == "2026-11-23T10:15:40.000Z");  // + interval + time-out + 5 s
  CHECK(feed["failing_since"] == "2026-11-23T10:15:30.000Z");
  CHECK(feed["problem"]["code"] == "http_status");
  const auto& hospital = feed["hospitals"][0];
  CHECK(hospital["id"] == "linkoping");
  CHECK(hospital["reported"] == true);
  CHECK(hospital["stale_at"] == "2026-11-23T11:14:00.000Z");
  CHECK(hospital["figures"]["beds"]["Burn"]["available"] == 2);
  CHECK(feed["hospitals"][1]["reported"] == false);
  CHECK(feed["hospitals"][1]["stale_at"].is_null());  // planning figures are never fresh
}

TEST_CASE("a feed's HAVE answer: the configured hospitals in order, missing ones kept, no exercise") {
  const HealthcareRegionConfig sydost = testing::LoadRepoConfig("sydost.json");
  SpaceState live = InitialState(sydost, kLiveSpace, false);
  auto reading = ReadHave(HaveDocument(sydost, live, HaveRequest{std::nullopt, kFeedAt, false}));
  REQUIRE(reading.ok());

  NeighbourFeedConfig feed;
  feed.name = "Sydöstra";
  feed.hospitals = {"linkoping", "Länssjukhuset Ryhov", "gone"};
  auto chosen = NeighbourHospitalsFromHave(feed, reading.value());
  REQUIRE(chosen.ok());
  REQUIRE(chosen.value().size() == 3);
  CHECK(chosen.value()[0].id == "linkoping");
  CHECK(chosen.value()[0].name == sydost.hospitals[*sydost.FindHospital("linkoping")].name);
  CHECK(chosen.value()[0].figures.hospital.empty());
  CHECK_FALSE(chosen.value()[1].missing);  // matched by its name
  CHECK(chosen.value()[1].name == "Länssjukhuset Ryhov");
  CHECK(chosen.value()[2].missing);
  CHECK(chosen.value()[2].id == "gone");

  feed.hospitals.clear();
  auto every = NeighbourHospitalsFromHave(feed, reading.value());
  REQUIRE(every.ok());
  CHECK(every.value().size() == sydost.hospitals.size());

  SpaceState drill = InitialState(sydost, "ovning-1", true);
  auto exercise = ReadHave(HaveDocument(sydost, drill, HaveRequest{std::nullopt, kFeedAt, true}));
  REQUIRE(exercise.ok());
  auto refused = NeighbourHospitalsFromHave(feed, exercise.value());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "invalid_have");
  CHECK(refused.error().field == "distributionStatus");
}
