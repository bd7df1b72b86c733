#include "lagesbild/engine/engine.h"

#include <chrono>
#include <set>

#include "lagesbild/core/saved_state.h"
#include "lagesbild/core/core.h"
#include "lagesbild/core/exercise.h"
#include "lagesbild/core/event_log.h"
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/log/log.h"

namespace lagesbild {
namespace {

constexpr std::size_t kRecoveryChunk = 10000;

StoredEvent ToStored(const Event& event) {
  return StoredEvent{event.space,
                     event.seq,
                     event.at,
                     std::string(EventKind(event.body)),
                     event.actor.id,
                     EventSubject(event.body),
                     EventToLog(event)};
}

CommandOutcome ShuttingDown(const std::string& space) {
  return CommandOutcome{
      MakeError("shutting_down", "", "the server is stopping; nothing was stored"), space, 0};
}

}  // namespace

Engine::Engine(std::shared_ptr<const HealthcareRegionConfig> config,
               std::unique_ptr<EventStore> store, CommitListener* listener)
    : config_(std::move(config)), store_(std::move(store)), listener_(listener) {}

Engine::~Engine() { Stop(); }

std::optional<Error> Engine::RecoverSpace(const std::string& name, SpaceRecovery& report) {
  SpaceState& state = spaces_[name] =
      InitialState(*config_, name, name != kLiveSpace && name != kCatalogueSpace && name != kAuditSpace);
  report.space = name;
  if (auto saved = store_->LoadSavedState(name); !saved.ok()) {
    report.saved_state_unused = saved.error().message;
  } else if (saved.value()) {
    auto loaded = SavedStateFromText(*config_, *saved.value());
    if (const Error* error = loaded.ok() ? nullptr : &loaded.error()) {
      report.saved_state_unused = error->message;
    } else if (loaded.value().space != name) {
      report.saved_state_unused = "written for another space";
    } else if (!LogHolds(name, loaded.value().seq)) {
      report.saved_state_unused = "ahead of the event log";  // e.g. the log was restored older
    } else {
      state = std::move(loaded).value();
      report.saved_state_seq = state.seq;
    }
  }
  saved_at_[name] = report.saved_state_seq;
  std::size_t read = 0;
  do {
    auto chunk = store_->ReadAfter(name, state.seq, kRecoveryChunk);
    if (!chunk.ok()) return chunk.error();
    read = chunk.value().size();
    for (const StoredEvent& stored : chunk.value()) {
      auto event = EventFromLog(stored.json);
      if (const Error* error = event.ok() ? nullptr : &event.error()) {
        return MakeError(error->code, error->field, name + "#" + std::to_string(stored.seq) + ": " + error->message);
      }
      if (auto error = Apply(*config_, state, event.value())) return error;
      ++report.events_replayed;
    }
  } while (read == kRecoveryChunk);
  report.seq = state.seq;
  SaveState(name, save_interval_);  // the next start need not replay these again
  return std::nullopt;
}

bool Engine::LogHolds(const std::string& name, Seq seq) {
  if (seq == 0) return true;
  auto event = store_->ReadAfter(name, seq - 1, 1);
  return event.ok() && event.value().size() == 1 && event.value()[0].seq == seq;
}

void Engine::SaveState(const std::string& name, Seq at_least) {
  // The catalogue is not saved: its few events are replayed, and its texts would be copied whole.
  if (name == kCatalogueSpace) return;
  // Nor the audit: its state is empty, all it holds is its events.
  if (name == kAuditSpace) return;
  const SpaceState& state = spaces_.at(name);
  Seq& saved = saved_at_[name];
  if (state.seq == 0 || state.seq - saved < at_least || state.seq == saved) return;
  if (store_->SaveState(name, state.seq, SavedStateToText(*config_, state)).ok()) saved = state.seq;
}

std::optional<Error> Engine::Recover() {
  recovery_.clear();
  return Rebuild(&recovery_);
}

std::optional<Error> Engine::Rebuild(std::vector<SpaceRecovery>* report) {
  spaces_.clear();
  auto names = store_->ListSpaces();
  if (!names.ok()) return names.error();
  names.value().push_back(kLiveSpace);
  for (const std::string& name : names.value()) {
    if (spaces_.count(name)) continue;
    SpaceRecovery space;
    if (auto error = RecoverSpace(name, space)) return error;
    if (report) report->push_back(std::move(space));
  }
  return std::nullopt;
}

const SpaceState* Engine::Space(const std::string& name) const {
  auto it = spaces_.find(name);
  return it == spaces_.end() ? nullptr : &it->second;
}

std::vector<std::string> Engine::SpaceNames() const {
  std::vector<std::string> names;
  for (const auto& [name, state] : spaces_) names.push_back(name);
  return names;
}

void Engine::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Engine::Stop() {
  {
    MutexLock lock(&mutex_);
    stopping_ = true;
  }
  wake_.SignalAll();
  if (thread_.joinable()) thread_.join();
  // The engine thread is gone: this thread owns the store now. A clean stop leaves nothing to
  // replay at the next start.
  if (!broken_) {
    for (const auto& [name, state] : spaces_) SaveState(name, 1);
  }
  // Submissions never picked up: before Start(), or Stop() without Start().
  std::vector<Submission> late;
  {
    MutexLock lock(&mutex_);
    late.swap(queue_);
  }
  for (Submission& submission : late) submission.done(ShuttingDown(submission.space));
}

void Engine::Submit(std::string space, Command command, Completion done) {
  {
    MutexLock lock(&mutex_);
    if (!stopping_) {
      queue_.push_back(Submission{std::move(space), std::move(command), std::move(done)});
      done = nullptr;
    }
  }
  if (done) {
    done(ShuttingDown(space));
    return;
  }
  wake_.Signal();
}

std::size_t Engine::LargestBatch() const {
  MutexLock lock(&mutex_);
  return largest_batch_;
}

std::size_t Engine::Queued() const {
  MutexLock lock(&mutex_);
  return queue_.size();
}

void Engine::Query(std::function<void(EventStore&)> job) {
  {
    MutexLock lock(&mutex_);
    if (stopping_) return;
    queries_.push_back(std::move(job));
  }
  wake_.Signal();
}

std::optional<Error> Engine::StoreFault() const {
  MutexLock lock(&mutex_);
  return store_fault_;
}

void Engine::Probe() {
  {
    MutexLock lock(&mutex_);
    if (!store_fault_ || probe_queued_ || stopping_) return;
    probe_queued_ = true;
  }
  Query([this](EventStore& store) {
    auto writable = store.CheckWritable();
    std::optional<Error> fault;
    if (!writable.ok()) fault = writable.error();
    // The state was rolled back to the log when the commit failed; if even that failed, it is
    // rebuilt now that the store answers again.
    if (!fault && broken_) {
      broken_ = Rebuild(nullptr);
      fault = broken_;
    }
    MutexLock lock(&mutex_);
    probe_queued_ = false;
    if (!fault && store_fault_) log::Info("store_recovered", {{"detail", "the store is writable again"}});
    store_fault_ = fault;
  });
}

void Engine::Run() {
  std::vector<Submission> batch;
  std::vector<std::function<void(EventStore&)>> queries;
  for (;;) {
    {
      MutexLock lock(&mutex_);
      while (!stopping_ && queue_.empty() && queries_.empty()) wake_.Wait(&mutex_);
      if (queue_.empty() && queries_.empty()) return;  // stopping, and everything is done
      batch.swap(queue_);
      queries.swap(queries_);
      if (batch.size() > largest_batch_) largest_batch_ = batch.size();
    }
    if (!batch.empty()) {
      const auto started = std::chrono::steady_clock::now();
      ProcessBatch(batch);
      metrics_.commit_seconds.Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      metrics_.batch_size.Observe(static_cast<double>(batch.size()));
    }
    for (auto& query : queries) query(*store_);
    batch.clear();
    queries.clear();
  }
}

void Engine::ProcessBatch(std::vector<Submission>& batch) {
  std::vector<CommandOutcome> outcomes(batch.size());
  std::vector<Event> accepted;
  bool rebuild = false;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Submission& submission = batch[i];
    outcomes[i].space = submission.space;
    if (broken_) {
      outcomes[i].error = broken_;
      continue;
    }
    bool created = false;
    if (auto* start = std::get_if<StartExercise>(&submission.command.body);
        start && submission.space != kLiveSpace && !spaces_.count(submission.space)) {
      spaces_[submission.space] = InitialState(*config_, submission.space, /*exercise=*/true);
      if (start->copy_live) CopyBaseline(*config_, spaces_[kLiveSpace], start);
      created = true;
    }
    if (((std::holds_alternative<SaveScenario>(submission.command.body) &&
          submission.space == kCatalogueSpace) ||
         (std::holds_alternative<RecordSignIn>(submission.command.body) &&
          submission.space == kAuditSpace)) &&
        !spaces_.count(submission.space)) {
      spaces_[submission.space] = InitialState(*config_, submission.space, /*exercise=*/false);
      created = true;
    }
    auto space = spaces_.find(submission.space);
    if (space == spaces_.end()) {
      outcomes[i].error = MakeError("unknown_space", "space",
                                    "no space '" + submission.space + "'");
      continue;
    }
    Decision decision = Decide(*config_, space->second, submission.command);
    outcomes[i].error = decision.error;
    if (created && decision.error) {
      spaces_.erase(space);  // nothing was started
      continue;
    }
    if (decision.already_done_at != 0) {
      outcomes[i].seq = decision.already_done_at;
      outcomes[i].already = true;
    }
    // Applied now so that later commands in the same batch are judged against it; undone by
    // recovery below if the commit fails. A refused write still yields its audit record.
    for (Event& event : decision.events) {
      if (auto error = Apply(*config_, space->second, event)) {
        // Decide() accepted what Apply() refuses: a defect, never the client's fault. The state
        // may be half changed, so it is rebuilt from the log after this batch.
        log::Error("event_not_applied", {{"space", submission.space},
                                         {"seq", std::to_string(event.seq)}, {"detail", error->message}});
        outcomes[i].error = MakeError("internal_error", "", "the server could not apply this command");
        rebuild = true;
        break;
      }
      outcomes[i].seq = event.seq;
      accepted.push_back(std::move(event));
    }
  }
  if (!accepted.empty()) {
    std::vector<StoredEvent> stored;
    stored.reserve(accepted.size());
    for (const Event& event : accepted) stored.push_back(ToStored(event));
    if (auto appended = store_->Append(stored); !appended.ok()) {
      const Error& error = appended.error();
      bool first = false;
      {
        MutexLock lock(&mutex_);
        first = !store_fault_;
        store_fault_ = error;
      }
      metrics_.store_failures.Add();
      if (first) log::Error("store_failed", {{"detail", error.message}});
      for (CommandOutcome& outcome : outcomes) {
        if (!outcome.error && !outcome.already) outcome.error = error;
      }
      accepted.clear();
      // The in-memory state ran ahead of the log; the log is the truth. If even reading it
      // back fails, the state cannot be trusted and every later write is refused.
      rebuild = true;
    } else {
      bool recovered = false;
      {
        MutexLock lock(&mutex_);
        recovered = store_fault_.has_value();
        store_fault_.reset();
      }
      if (recovered) log::Info("store_recovered", {{"detail", "a commit succeeded again"}});
      metrics_.events_committed.Add(accepted.size());
      std::set<std::string> touched;
      for (const Event& event : accepted) touched.insert(event.space);
      if (listener_) listener_->OnCommitted(std::move(accepted));
      for (const std::string& name : touched) SaveState(name, save_interval_);
    }
  }
  if (rebuild) broken_ = Rebuild(nullptr);
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(outcomes[i]);
}

}  // namespace lagesbild
