// Shared fixtures for the unit tests: configurations, commands and a fault-injecting store.
#ifndef LAGESBILD_TESTS_TEST_SUPPORT_H_
#define LAGESBILD_TESTS_TEST_SUPPORT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"
#include "lagesbild/store/store.h"

namespace lagesbild::testing {

// A small two-region configuration written in the test, so expectations do not drift with the
// real data files.
const HealthcareRegionConfig& SmallConfig();
std::shared_ptr<const HealthcareRegionConfig> SharedSmallConfig();
// A real file from config/ in this checkout.
HealthcareRegionConfig LoadRepoConfig(const std::string& name);

Actor Admin(const std::string& id = "admin");      // may write anywhere
Actor Trainer(const std::string& id = "trainer");  // runs exercises, writes only in them
Actor Reporter(const std::string& id, const std::string& region);
Actor Scenario(const std::string& id);

// One minute in milliseconds, and the small configuration's two regions' reporters.
inline constexpr std::int64_t kMinute = 60000;
inline const Actor kNorth = Reporter("tib-nord", "north");
inline const Actor kSouth = Reporter("tib-syd", "south");

// A report of one bed figure, sent by an admin (who may write anywhere).
Command Report(const std::string& hospital, BedType type, std::int64_t available,
               TimeMs at = 1000, const std::string& by = "tib-test");

// An in-memory EventStore; Append fails while `fail_appends` is set.
class MemoryStore : public EventStore {
 public:
  Status Append(const std::vector<StoredEvent>& batch) override;
  Result<std::vector<StoredEvent>> ReadAfter(const std::string& space, Seq after,
                                             std::size_t limit) override;
  Result<std::vector<StoredEvent>> ReadSubject(const std::string& space, const std::string& subject,
                                               TimeMs from, TimeMs to, std::size_t limit) override;
  Result<std::vector<StoredEvent>> ReadKindBefore(const std::string& space, const std::string& kind,
                                                  Seq before, std::size_t limit) override;
  Result<std::vector<std::string>> ListSpaces() override;
  Status CheckWritable() override;
  void SetDeadline(std::optional<std::chrono::steady_clock::time_point>) override {}
  Status SaveState(const std::string& space, Seq seq, const std::string& text) override;
  Result<std::optional<std::string>> LoadSavedState(const std::string& space) override;

  bool fail_appends = false;
  std::map<std::string, std::string> saved_states;  // by space
  std::size_t append_calls = 0;
  std::vector<StoredEvent> events;
};

// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace lagesbild::testing

#endif  // LAGESBILD_TESTS_TEST_SUPPORT_H_
