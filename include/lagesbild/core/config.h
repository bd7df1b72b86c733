// The configuration of one healthcare region (sjukvårdsregion): its regions, their acute hospitals
// and each hospital's planning baselines. Immutable once loaded; shared read-only by every thread.
#ifndef LAGESBILD_CORE_CONFIG_H_
#define LAGESBILD_CORE_CONFIG_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "lagesbild/core/domain.h"
#include "lagesbild/core/neighbours.h"
#include "lagesbild/core/result.h"

namespace lagesbild {

struct BedBaseline {
  std::int64_t baseline = 0;
  std::int64_t surge24h = 0;  // extra beds that can be opened within 24 h (EDXL-HAVE)
  std::int64_t surge72h = 0;  // within 72 h, those within 24 h included: >= surge24h
};

// A hospital's public position (WGS84), with where it was taken from.
struct Position {
  double lat = 0;
  double lon = 0;
  std::string source;
};

struct HospitalConfig {
  std::string id;
  std::string name;
  std::string town;
  std::string region_id;
  std::string note;  // provenance of the baseline figures
  std::optional<Position> position;
  std::array<BedBaseline, kAllBedTypes.size()> beds{};
  std::array<std::int64_t, kAllTriage.size()> reception_baseline{};  // patients per hour
  // Planning reception per hour at förstärkningsläge and katastrofläge (disaster-medicine plans);
  // empty: as at the level below. Index: ReadinessLevel.
  std::array<std::optional<std::array<std::int64_t, kAllTriage.size()>>, 4> reception_by_level{};
  // When the ED takes patients (local clock minutes after midnight, open < close or over
  // midnight); empty: always.
  std::optional<std::pair<int, int>> ed_hours;

  // The planning reception per hour at a readiness level.
  std::array<std::int64_t, kAllTriage.size()> ReceptionAt(ReadinessLevel level) const;
  bool EdOpenAt(int minute_of_day) const;
};

// "HH:MM" to minutes after midnight.
std::optional<int> ParseClock(const std::string& text);
std::string FormatClock(int minute_of_day);

struct RegionConfig {
  std::string id;
  std::string name;
  std::vector<std::size_t> hospital_indexes;  // into HealthcareRegionConfig::hospitals
};

struct HealthcareRegionConfig {
  std::string id;
  std::string name;
  std::string source;
  int stale_after_minutes = 60;  // in normalläge
  // Maximum age of a figure per readiness level (index: ReadinessLevel), stricter when higher.
  std::array<int, 4> stale_minutes_by_level = {60, 30, 30, 15};
  std::vector<RegionConfig> regions;
  std::vector<HospitalConfig> hospitals;  // grouped by region, in file order
  // Other healthcare regions' feeds shown read-only on the live board (neighbours.h).
  std::vector<NeighbourFeedConfig> neighbours;

  std::optional<std::size_t> FindHospital(const std::string& id) const;
  std::optional<std::size_t> FindRegion(const std::string& id) const;

  // Builds the id lookups; called once by the loader.
  void Index();

 private:
  std::unordered_map<std::string, std::size_t> hospital_by_id_;
  std::unordered_map<std::string, std::size_t> region_by_id_;
};

// Parses configuration text. The error (code "config") says "<source>: <json path>: <what is
// wrong>"; `source_name` is usually the file path.
Result<HealthcareRegionConfig> ParseConfig(const std::string& text, const std::string& source_name);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_CONFIG_H_
