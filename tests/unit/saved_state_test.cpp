#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>

#include "lagesbild/core/saved_state.h"
#include "lagesbild/core/core.h"
#include "lagesbild/engine/engine.h"
#include "test_support.h"

using namespace lagesbild;
using testing::MemoryStore;
using testing::SmallConfig;

namespace {

using testing::kNorth;
using testing::kSouth;

// A live space with something in every field a saved state must keep.
SpaceState BusyLiveSpace() {
  SpaceState state = InitialState(SmallConfig(), kLiveSpace, false);
  TimeMs now = 1000;
  auto send = [&](const Actor& actor, CommandBody body) {
    Decision decision = Decide(SmallConfig(), state, Command{actor, now += 1000, std::move(body)});
    REQUIRE(decision.ok());
    for (const Event& event : decision.events) REQUIRE_FALSE(Apply(SmallConfig(), state, event));
  };
  CapacityReport report;
  report.hospital = "big";
  report.beds[Index(BedType::kAdultICU)] = BedReport{4, std::nullopt, std::nullopt, std::nullopt};
  report.ed_status = EdStatus::kClosed;
  report.reception[Index(Triage::kP1)] = 2;
  report.readiness = ReadinessLevel::kReinforced;
  send(kNorth, report);
  send(kNorth, SetRegionReadiness{"north", ReadinessLevel::kStaff});
  MessageContent methane;
  methane.kind = MessageKind::kMethane;
  methane.to = {"south", "north"};
  methane.methane = std::array<std::string, 7>{"Ja", "E18", "Buss", "Halka", "Norr", "51", "3 amb"};
  methane.requires_ack = true;
  send(kNorth, PostMessage{methane});
  MessageContent sitrep;
  sitrep.kind = MessageKind::kSituationReport;
  sitrep.to_all = true;
  sitrep.text = "Läget på akuten";
  sitrep.fields = {{"beslut", "Stabsläge"}, {"resurser", "2 IVA-platser"}};
  send(kSouth, PostMessage{sitrep});
  send(kSouth, Acknowledge{MessageId(kLiveSpace, state.seq - 1), ""});
  send(kNorth, ConfirmFigures{"big"});
  return state;
}

std::string SavedStateField(const std::string& text, const std::string& key, const std::string& value) {
  std::string changed = text;
  const auto at = changed.find("\"" + key + "\":");
  REQUIRE(at != std::string::npos);
  const auto end = changed.find_first_of(",}", at);
  changed.replace(at, end - at, "\"" + key + "\":" + value);
  return changed;
}

class CountingListener : public CommitListener {
 public:
  void OnCommitted(std::vector<Event>) override {}
  Completion Track() {
    return [this](const CommandOutcome& outcome) {
      std::lock_guard<std::mutex> lock(mutex_);
      REQUIRE_FALSE(outcome.error);
      ++done_;
      changed_.notify_all();
    };
  }
  void WaitFor(int count) {
    std::unique_lock<std::mutex> lock(mutex_);
    REQUIRE(changed_.wait_for(lock, std::chrono::seconds(10), [&] { return done_ >= count; }));
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int done_ = 0;
};

}  // namespace

TEST_CASE("a saved state gives back exactly the state it was written from") {
  const SpaceState live = BusyLiveSpace();
  REQUIRE(live.messages.size() == 2);
  REQUIRE_FALSE(live.messages[0].acks.empty());
  auto read = SavedStateFromText(SmallConfig(), SavedStateToText(SmallConfig(), live));
  REQUIRE(read.ok());
  CHECK(read.value() == live);
}

TEST_CASE("a saved state that is damaged, of another format or configuration is refused") {
  const std::string text = SavedStateToText(SmallConfig(), BusyLiveSpace());
  auto code = [](const Result<SpaceState>& read) {
    return !read.ok() ? read.error().code : std::string("read");
  };
  CHECK(code(SavedStateFromText(SmallConfig(), text.substr(0, text.size() / 2))) == "saved_state_corrupt");
  CHECK(code(SavedStateFromText(SmallConfig(), "[]")) == "saved_state_corrupt");
  CHECK(code(SavedStateFromText(SmallConfig(), SavedStateField(text, "format", "99"))) == "saved_state_format");
  CHECK(code(SavedStateFromText(SmallConfig(), SavedStateField(text, "seq", "\"x\""))) == "saved_state_corrupt");

  HealthcareRegionConfig other = SmallConfig();
  other.hospitals[0].beds[Index(BedType::kAdultICU)].baseline += 1;  // a changed baseline
  CHECK(code(SavedStateFromText(other, text)) == "saved_state_config");
}

TEST_CASE("recovery starts from the latest saved state and replays only the events after it") {
  auto store = std::make_unique<MemoryStore>();
  MemoryStore* log = store.get();
  SpaceState before;
  std::map<std::string, std::string> mid_run_saved_states;
  std::vector<StoredEvent> events;
  {
    CountingListener counter;
    Engine engine(testing::SharedSmallConfig(), std::move(store), &counter);
    engine.set_save_interval(3);
    REQUIRE_FALSE(engine.Recover());
    engine.Start();
    for (int i = 0; i < 10; ++i) {
      engine.Submit("live", testing::Report(i % 2 ? "big" : "small", BedType::kAdultICU, i % 3, 100 + i),
                    counter.Track());
      counter.WaitFor(i + 1);  // one batch each: a saved state after seq 3, 6 and 9
    }
    mid_run_saved_states = log->saved_states;  // as a crash here would leave them
    engine.Stop();
    before = *engine.Space("live");
    events = log->events;
    CHECK(SavedStateFromText(SmallConfig(), log->saved_states.at("live")).value() == before);
  }
  REQUIRE(before.seq == 10);

  SECTION("after a crash: saved state 9, one event replayed") {
    auto copy = std::make_unique<MemoryStore>();
    copy->events = events;
    copy->saved_states = mid_run_saved_states;
    Engine engine(testing::SharedSmallConfig(), std::move(copy), nullptr);
    REQUIRE_FALSE(engine.Recover());
    CHECK(*engine.Space("live") == before);
    REQUIRE(engine.recovery().size() == 1);
    CHECK(engine.recovery()[0].saved_state_seq == 9);
    CHECK(engine.recovery()[0].events_replayed == 1);
  }
  SECTION("after a clean stop: nothing to replay") {
    auto copy = std::make_unique<MemoryStore>();
    copy->events = events;
    copy->saved_states["live"] = SavedStateToText(SmallConfig(), before);
    Engine engine(testing::SharedSmallConfig(), std::move(copy), nullptr);
    REQUIRE_FALSE(engine.Recover());
    CHECK(*engine.Space("live") == before);
    CHECK(engine.recovery()[0].events_replayed == 0);
  }
  SECTION("a saved state ahead of the log (an older log restored): the log is replayed") {
    auto copy = std::make_unique<MemoryStore>();
    copy->events.assign(events.begin(), events.begin() + 5);
    copy->saved_states["live"] = SavedStateToText(SmallConfig(), before);  // seq 10
    Engine engine(testing::SharedSmallConfig(), std::move(copy), nullptr);
    REQUIRE_FALSE(engine.Recover());
    CHECK(engine.Space("live")->seq == 5);
    CHECK(engine.recovery()[0].saved_state_unused == "ahead of the event log");
    CHECK(engine.recovery()[0].events_replayed == 5);
  }
  SECTION("a damaged saved state: the whole log is replayed, and the reason is told") {
    auto copy = std::make_unique<MemoryStore>();
    copy->events = events;
    copy->saved_states["live"] = "{\"format\":1";
    Engine engine(testing::SharedSmallConfig(), std::move(copy), nullptr);
    REQUIRE_FALSE(engine.Recover());
    CHECK(*engine.Space("live") == before);
    CHECK(engine.recovery()[0].saved_state_seq == 0);
    CHECK(engine.recovery()[0].events_replayed == 10);
    CHECK_FALSE(engine.recovery()[0].saved_state_unused.empty());
  }
}
