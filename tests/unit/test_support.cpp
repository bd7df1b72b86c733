#include "test_support.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

namespace lagesbild::testing {

const char* const kSmallConfig = R"json({
  "healthcare_region": {"id": "test", "name": "Testregionen"},
  "stale_after_minutes": 30,
  "regions": [
    {"id": "north", "name": "Region Nord", "hospitals": [
      {"id": "big", "name": "Stora sjukhuset", "town": "Nordstad",
       "beds": {"AdultICU": {"baseline": 10, "surge24h": 4},
                "MedicalSurgical": {"baseline": 300, "surge24h": 30}},
       "reception_baseline": {"P1": 3, "P2": 6, "P3": 15}},
      {"id": "small", "name": "Lilla lasarettet",
       "beds": {"AdultICU": {"baseline": 2}}}]},
    {"id": "south", "name": "Region Syd", "hospitals": [
      {"id": "burns", "name": "Brännskadecentrum",
       "beds": {"Burn": {"baseline": 6, "surge24h": 2}}}]}
  ]})json";

const HealthcareRegionConfig& SmallConfig() {
  static const HealthcareRegionConfig config = [] {
    auto result = ParseConfig(kSmallConfig, "small.json");
    if (!result.ok()) throw std::runtime_error(result.error().message);
    return std::move(result).value();
  }();
  return config;
}

std::shared_ptr<const HealthcareRegionConfig> SharedSmallConfig() {
  return std::make_shared<const HealthcareRegionConfig>(SmallConfig());
}

HealthcareRegionConfig LoadRepoConfig(const std::string& name) {
  const std::string path = std::string(LAGESBILD_SOURCE_DIR) + "/config/" + name;
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  auto result = ParseConfig(text.str(), path);
  if (!result.ok()) throw std::runtime_error(result.error().message);
  return std::move(result).value();
}

Actor Admin(const std::string& id) { return Actor{Actor::Kind::kUser, id, Role::kAdmin, ""}; }
Actor Trainer(const std::string& id) { return Actor{Actor::Kind::kUser, id, Role::kTrainer, ""}; }
Actor Reporter(const std::string& id, const std::string& region) {
  return Actor{Actor::Kind::kUser, id, Role::kReporter, region};
}
Actor Scenario(const std::string& id) {
  return Actor{Actor::Kind::kScenario, id, Role::kViewer, ""};
}

Command Report(const std::string& hospital, BedType type, std::int64_t available, TimeMs at,
               const std::string& by) {
  CapacityReport report;
  report.hospital = hospital;
  report.beds[Index(type)] = BedReport{available, std::nullopt, std::nullopt, std::nullopt};
  return Command{Admin(by), at, report};
}

Status MemoryStore::Append(const std::vector<StoredEvent>& batch) {
  ++append_calls;
  if (fail_appends) return MakeError("store_failed", "", "disk full (injected)");
  events.insert(events.end(), batch.begin(), batch.end());
  return Ok();
}

Result<std::vector<StoredEvent>> MemoryStore::ReadAfter(const std::string& space, Seq after,
                                                        std::size_t limit) {
  std::vector<StoredEvent> out;
  for (const StoredEvent& event : events) {
    if (out.size() >= limit) break;
    if (event.space == space && event.seq > after) out.push_back(event);
  }
  return out;
}

Result<std::vector<StoredEvent>> MemoryStore::ReadSubject(const std::string& space,
                                                          const std::string& subject, TimeMs from,
                                                          TimeMs to, std::size_t limit) {
  std::vector<StoredEvent> out;
  for (const StoredEvent& event : events) {
    if (out.size() >= limit) break;
    if (event.space == space && event.subject == subject && event.at >= from && event.at <= to) {
      out.push_back(event);
    }
  }
  return out;
}

Result<std::vector<StoredEvent>> MemoryStore::ReadKindBefore(const std::string& space,
                                                             const std::string& kind, Seq before,
                                                             std::size_t limit) {
  std::vector<StoredEvent> out;
  for (auto it = events.rbegin(); it != events.rend() && out.size() < limit; ++it) {
    if (it->space == space && it->kind == kind && it->seq < before) out.push_back(*it);
  }
  return out;
}

Status MemoryStore::CheckWritable() {
  if (fail_appends) return MakeError("store_failed", "", "memory store: appends fail");
  return Ok();
}

Result<std::vector<std::string>> MemoryStore::ListSpaces() {
  std::vector<std::string> out;
  for (const StoredEvent& event : events) {
    if (std::find(out.begin(), out.end(), event.space) == out.end()) out.push_back(event.space);
  }
  return out;
}

Status MemoryStore::SaveState(const std::string& space, Seq, const std::string& text) {
  saved_states[space] = text;
  return Ok();
}

Result<std::optional<std::string>> MemoryStore::LoadSavedState(const std::string& space) {
  if (auto it = saved_states.find(space); it != saved_states.end()) {
    return std::optional<std::string>(it->second);
  }
  return std::optional<std::string>();
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = (std::filesystem::temp_directory_path() /
           ("lagesbild-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
              .string();
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace lagesbild::testing
