#include <future>

#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>

#include "lagesbild/engine/engine.h"
#include "test_support.h"

using namespace lagesbild;
using testing::MemoryStore;
using testing::Report;

namespace {

// Collects what the engine publishes and completes, and lets a test wait for it.
class Recorder : public CommitListener {
 public:
  void OnCommitted(std::vector<Event> events) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (Event& event : events) published.push_back(std::move(event));
  }
  Completion Track() {
    return [this](const CommandOutcome& outcome) {
      std::lock_guard<std::mutex> lock(mutex_);
      outcomes.push_back(outcome);
      changed_.notify_all();
    };
  }
  void WaitFor(std::size_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    REQUIRE(changed_.wait_for(lock, std::chrono::seconds(10),
                              [&] { return outcomes.size() >= count; }));
  }
  std::vector<Event> published;
  std::vector<CommandOutcome> outcomes;

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
};

// An engine on a fresh memory store, recovered, with a recorder of what it completes and publishes.
struct Rig {
  Rig() : log(new MemoryStore), engine(testing::SharedSmallConfig(), std::unique_ptr<MemoryStore>(log), &recorder) {
    REQUIRE_FALSE(engine.Recover());
  }
  MemoryStore* log;  // owned by the engine
  Recorder recorder;
  Engine engine;
};

}  // namespace

TEST_CASE("an engine without a listener commits and completes all the same") {
  auto store = std::make_unique<MemoryStore>();
  MemoryStore* log = store.get();
  Engine engine(testing::SharedSmallConfig(), std::move(store), nullptr);
  REQUIRE_FALSE(engine.Recover());
  engine.Start();
  std::promise<CommandOutcome> done;
  engine.Submit("live", Report("big", BedType::kAdultICU, 3),
                [&](const CommandOutcome& outcome) { done.set_value(outcome); });
  const CommandOutcome outcome = done.get_future().get();
  engine.Stop();
  CHECK_FALSE(outcome.error);
  CHECK(outcome.seq == 1);
  CHECK(log->events.size() == 1);
}

TEST_CASE("an accepted report is appended before it is completed and published") {
  Rig rig;
  auto& [log, recorder, engine] = rig;
  engine.Start();
  engine.Submit("live", Report("big", BedType::kAdultICU, 3), recorder.Track());
  engine.Submit("live", Report("nowhere", BedType::kAdultICU, 3), recorder.Track());
  engine.Submit("exercise-9", Report("big", BedType::kAdultICU, 3), recorder.Track());
  recorder.WaitFor(3);
  engine.Stop();

  CHECK_FALSE(recorder.outcomes[0].error);
  CHECK(recorder.outcomes[0].seq == 1);
  CHECK(recorder.outcomes[1].error->code == "unknown_hospital");
  CHECK(recorder.outcomes[2].error->code == "unknown_space");
  REQUIRE(log->events.size() == 1);
  CHECK(log->events[0].seq == 1);
  CHECK(log->events[0].kind == "capacity_reported");
  CHECK(log->events[0].actor_id == "tib-test");
  REQUIRE(recorder.published.size() == 1);
  CHECK(recorder.published[0].seq == 1);
}

TEST_CASE("concurrent reports are group-committed, numbered without gaps") {
  Rig rig;
  auto& [log, recorder, engine] = rig;
  // Queued before the thread starts, so they arrive as one batch.
  constexpr int kReports = 200;
  for (int i = 0; i < kReports; ++i) {
    engine.Submit("live", Report("big", BedType::kAdultICU, i % 14, 1000 + i), recorder.Track());
  }
  engine.Start();
  recorder.WaitFor(kReports);
  engine.Stop();
  CHECK(log->append_calls == 1);
  CHECK(engine.LargestBatch() == kReports);
  REQUIRE(log->events.size() == kReports);
  for (int i = 0; i < kReports; ++i) CHECK(log->events[i].seq == i + 1);
}

TEST_CASE("a failed append stores nothing, acknowledges nothing and keeps the state") {
  Rig rig;
  auto& [log, recorder, engine] = rig;
  engine.Start();
  engine.Submit("live", Report("big", BedType::kAdultICU, 9), recorder.Track());
  recorder.WaitFor(1);
  log->fail_appends = true;  // safe: the engine is idle, waiting for the next submission
  engine.Submit("live", Report("big", BedType::kAdultICU, 1), recorder.Track());
  recorder.WaitFor(2);
  log->fail_appends = false;
  engine.Submit("live", Report("big", BedType::kAdultICU, 2), recorder.Track());
  recorder.WaitFor(3);
  engine.Stop();

  CHECK(recorder.outcomes[1].error->code == "store_failed");
  CHECK_FALSE(recorder.outcomes[2].error);
  CHECK(recorder.outcomes[2].seq == 2);  // the failed event's number was not used
  REQUIRE(recorder.published.size() == 2);
  CHECK(log->events.size() == 2);
}

TEST_CASE("recovery rebuilds the same state from the log, across spaces") {
  auto store = std::make_unique<MemoryStore>();
  MemoryStore* log = store.get();
  SpaceState live_before;
  std::vector<StoredEvent> logged;
  {
    Recorder recorder;
    Engine engine(testing::SharedSmallConfig(), std::move(store), &recorder);
    REQUIRE_FALSE(engine.Recover());
    engine.Start();
    engine.Submit("live", Report("big", BedType::kAdultICU, 4, 10), recorder.Track());
    engine.Submit("live", Report("small", BedType::kAdultICU, 2, 20), recorder.Track());
    recorder.WaitFor(2);
    engine.Stop();
    live_before = *engine.Space("live");
    logged = log->events;  // the store dies with the engine
  }
  auto copy = std::make_unique<MemoryStore>();
  copy->events = logged;
  StoredEvent exercise = copy->events[0];
  exercise.space = "ovning-1";
  exercise.json.replace(exercise.json.find("\"live\""), 6, "\"ovning-1\"");
  copy->events.push_back(exercise);
  Recorder recorder;
  Engine engine(testing::SharedSmallConfig(), std::move(copy), &recorder);
  REQUIRE_FALSE(engine.Recover());
  REQUIRE(engine.Space("live"));
  CHECK(*engine.Space("live") == live_before);
  REQUIRE(engine.Space("ovning-1"));
  CHECK(engine.Space("ovning-1")->exercise);
  CHECK(engine.Space("ovning-1")->seq == 1);
}

TEST_CASE("submissions after Stop are refused, not lost silently") {
  Recorder recorder;
  Engine engine(testing::SharedSmallConfig(), std::make_unique<MemoryStore>(), &recorder);
  REQUIRE_FALSE(engine.Recover());
  engine.Start();
  engine.Stop();
  engine.Submit("live", Report("big", BedType::kAdultICU, 1), recorder.Track());
  recorder.WaitFor(1);
  CHECK(recorder.outcomes[0].error->code == "shutting_down");
}
