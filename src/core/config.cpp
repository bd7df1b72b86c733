#include "lagesbild/core/config.h"

#include "json_walk.h"

#include <algorithm>
#include <cstdio>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

namespace lagesbild {
namespace {

using Json = nlohmann::json;

// Thrown only inside this file, caught in ParseConfig, so the walk reads top-down.
using ConfigProblem = JsonProblem;

void AllowOnlyKeys(const Json& object, const std::string& path,
                   const std::set<std::string>& allowed) {
  for (const auto& item : object.items()) {
    if (allowed.count(item.key()) == 0) {
      throw ConfigProblem{path + "." + item.key(), "unknown key (a typo?)"};
    }
  }
}

std::string ReadId(const Json& object, const std::string& path) {
  static const std::regex kIdPattern("[a-z0-9-]{1,40}");
  const Json& value = Field(object, path, "id");
  if (!value.is_string() || !std::regex_match(value.get<std::string>(), kIdPattern)) {
    throw ConfigProblem{path + ".id", "must be 1-40 characters of a-z, 0-9 and -"};
  }
  return value.get<std::string>();
}

std::string ReadText(const Json& object, const std::string& path, const char* key,
                     bool required, std::size_t max_length) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) throw ConfigProblem{path + "." + key, "is missing"};
    return {};
  }
  if (!it->is_string() || (required && it->get<std::string>().empty()) ||
      it->get<std::string>().size() > max_length) {
    throw ConfigProblem{path + "." + key, required ? "must be a non-empty text of at most " +
                                                         std::to_string(max_length) + " bytes"
                                                   : "must be a text"};
  }
  return it->get<std::string>();
}

std::int64_t ReadCount(const Json& value, const std::string& path, std::int64_t min,
                       std::int64_t max) {
  if (!value.is_number_integer() || (value.is_number_unsigned() && value.get<std::uint64_t>() >
                                                                      static_cast<std::uint64_t>(max)) ||
      value.get<std::int64_t>() < min || value.get<std::int64_t>() > max) {
    throw ConfigProblem{path, "must be an integer from " + std::to_string(min) + " to " +
                                  std::to_string(max)};
  }
  return value.get<std::int64_t>();
}

double ReadDegrees(const Json& object, const std::string& path, const char* key, double limit) {
  const Json& value = Field(object, path, key);
  if (!value.is_number() || !(value.get<double>() >= -limit && value.get<double>() <= limit)) {
    throw ConfigProblem{path + "." + key, "must be a number of degrees from -" +
                                              std::to_string(static_cast<int>(limit)) + " to " +
                                              std::to_string(static_cast<int>(limit))};
  }
  return value.get<double>();
}

Position ReadPosition(const Json& json, const std::string& path) {
  RequireObject(json, path);
  AllowOnlyKeys(json, path, {"lat", "lon", "source"});
  return Position{ReadDegrees(json, path, "lat", 90), ReadDegrees(json, path, "lon", 180),
                  ReadText(json, path, "source", true, 500)};
}

HospitalConfig ReadHospital(const Json& json, const std::string& path,
                            const std::string& region_id) {
  RequireObject(json, path);
  AllowOnlyKeys(json, path, {"id", "name", "town", "position", "note", "beds",
                             "reception_baseline", "reception_by_level", "ed_hours"});
  HospitalConfig hospital;
  hospital.id = ReadId(json, path);
  hospital.name = ReadText(json, path, "name", true, 120);
  hospital.town = ReadText(json, path, "town", false, 120);
  hospital.note = ReadText(json, path, "note", false, 2000);
  hospital.region_id = region_id;
  if (auto position = json.find("position"); position != json.end()) {
    hospital.position = ReadPosition(*position, path + ".position");
  }
  if (auto beds = json.find("beds"); beds != json.end()) {
    RequireObject(*beds, path + ".beds");
    for (const auto& item : beds->items()) {
      const std::string bed_path = path + ".beds." + item.key();
      auto type = ParseBedType(item.key());
      if (!type) throw ConfigProblem{bed_path, "unknown bed type"};
      RequireObject(item.value(), bed_path);
      AllowOnlyKeys(item.value(), bed_path, {"baseline", "surge24h", "surge72h"});
      BedBaseline& bed = hospital.beds[Index(*type)];
      bed.baseline = ReadCount(Field(item.value(), bed_path, "baseline"),
                               bed_path + ".baseline", 0, kMaxFigure);
      if (auto surge = item.value().find("surge24h"); surge != item.value().end()) {
        bed.surge24h = ReadCount(*surge, bed_path + ".surge24h", 0, kMaxFigure);
      }
      bed.surge72h = bed.surge24h;
      if (auto surge = item.value().find("surge72h"); surge != item.value().end()) {
        bed.surge72h = ReadCount(*surge, bed_path + ".surge72h", bed.surge24h, kMaxFigure);
      }
    }
  }
  if (auto reception = json.find("reception_baseline"); reception != json.end()) {
    RequireObject(*reception, path + ".reception_baseline");
    for (const auto& item : reception->items()) {
      const std::string rate_path = path + ".reception_baseline." + item.key();
      auto priority = ParseTriage(item.key());
      if (!priority) throw ConfigProblem{rate_path, "unknown triage priority (P1, P2 or P3)"};
      hospital.reception_baseline[Index(*priority)] =
          ReadCount(item.value(), rate_path, 0, kMaxFigure);
    }
  }
  if (auto levels = json.find("reception_by_level"); levels != json.end()) {
    RequireObject(*levels, path + ".reception_by_level");
    for (const auto& item : levels->items()) {
      const std::string level_path = path + ".reception_by_level." + item.key();
      auto level = ParseReadinessLevel(item.key());
      if (!level || (*level != ReadinessLevel::kReinforced && *level != ReadinessLevel::kDisaster)) {
        throw ConfigProblem{level_path, "must be reinforced or disaster"};
      }
      RequireObject(item.value(), level_path);
      std::array<std::int64_t, kAllTriage.size()> rates = hospital.reception_baseline;
      for (const auto& rate : item.value().items()) {
        auto priority = ParseTriage(rate.key());
        if (!priority) throw ConfigProblem{level_path + "." + rate.key(), "unknown triage priority"};
        rates[Index(*priority)] = ReadCount(rate.value(), level_path + "." + rate.key(), 0, kMaxFigure);
      }
      hospital.reception_by_level[static_cast<std::size_t>(*level)] = rates;
    }
  }
  if (auto hours = json.find("ed_hours"); hours != json.end()) {
    RequireObject(*hours, path + ".ed_hours");
    AllowOnlyKeys(*hours, path + ".ed_hours", {"open", "close"});
    const auto clock = [&](const char* key) {
      const Json& value = Field(*hours, path + ".ed_hours", key);
      auto minutes = value.is_string() ? ParseClock(value.get<std::string>()) : std::nullopt;
      if (!minutes) throw ConfigProblem{path + ".ed_hours." + key, "must be \"HH:MM\""};
      return *minutes;
    };
    hospital.ed_hours = std::pair{clock("open"), clock("close")};
    if (hospital.ed_hours->first == hospital.ed_hours->second) {
      throw ConfigProblem{path + ".ed_hours", "open and close must differ"};
    }
  }
  return hospital;
}

NeighbourFeedConfig ReadNeighbour(const Json& json, const std::string& path) {
  RequireObject(json, path);
  AllowOnlyKeys(json, path, {"name", "url", "hospitals", "interval_seconds", "timeout_seconds",
                             "ca_file", "token_file", "note"});
  NeighbourFeedConfig feed;
  feed.name = ReadText(json, path, "name", true, 120);
  auto url = ParseFeedUrl(ReadText(json, path, "url", true, 2000));
  if (!url.ok()) throw ConfigProblem{path + ".url", url.error().message};
  feed.url = std::move(url).value();
  if (auto hospitals = json.find("hospitals"); hospitals != json.end()) {
    if (!hospitals->is_array() || hospitals->size() > kMaxNeighbourHospitals) {
      throw ConfigProblem{path + ".hospitals", "must be an array of at most " +
                                                   std::to_string(kMaxNeighbourHospitals) +
                                                   " identifiers"};
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < hospitals->size(); ++i) {
      const Json& id = (*hospitals)[i];
      const std::string item = path + ".hospitals[" + std::to_string(i) + "]";
      if (!id.is_string() || id.get<std::string>().empty() || id.get<std::string>().size() > 200) {
        throw ConfigProblem{item, "must be a non-empty text of at most 200 bytes"};
      }
      if (!seen.insert(id.get<std::string>()).second) {
        throw ConfigProblem{item, "'" + id.get<std::string>() + "' is named twice"};
      }
      feed.hospitals.push_back(id.get<std::string>());
    }
  }
  if (auto interval = json.find("interval_seconds"); interval != json.end()) {
    feed.interval_seconds = static_cast<int>(ReadCount(*interval, path + ".interval_seconds",
                                                       kMinFeedIntervalSeconds, kMaxFeedIntervalSeconds));
  }
  if (auto timeout = json.find("timeout_seconds"); timeout != json.end()) {
    feed.timeout_seconds = static_cast<int>(
        ReadCount(*timeout, path + ".timeout_seconds", 1, kMaxFeedTimeoutSeconds));
  } else {
    feed.timeout_seconds = std::min(feed.timeout_seconds, std::max(1, feed.interval_seconds));
  }
  feed.ca_file = ReadText(json, path, "ca_file", false, 4000);
  feed.token_file = ReadText(json, path, "token_file", false, 4000);
  ReadText(json, path, "note", false, 2000);  // for the reader of the file: checked, not kept
  if (!feed.url.tls && !feed.ca_file.empty()) {
    throw ConfigProblem{path + ".ca_file", "is for https:// feeds only"};
  }
  return feed;
}

std::vector<NeighbourFeedConfig> ReadNeighbours(const Json& json,
                                                const std::set<std::string>& own_hospitals) {
  if (!json.is_array() || json.size() > kMaxNeighbourFeeds) {
    throw ConfigProblem{"$.neighbours", "must be an array of at most " +
                                            std::to_string(kMaxNeighbourFeeds) + " feeds"};
  }
  std::vector<NeighbourFeedConfig> feeds;
  std::set<std::string> names;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const std::string path = "$.neighbours[" + std::to_string(i) + "]";
    NeighbourFeedConfig feed = ReadNeighbour(json[i], path);
    if (!names.insert(feed.name).second) {
      throw ConfigProblem{path + ".name", "'" + feed.name + "' is used twice"};
    }
    for (std::size_t h = 0; h < feed.hospitals.size(); ++h) {
      if (own_hospitals.count(feed.hospitals[h]) != 0) {
        throw ConfigProblem{path + ".hospitals[" + std::to_string(h) + "]",
                            "'" + feed.hospitals[h] + "' is a hospital of this configuration"};
      }
    }
    feeds.push_back(std::move(feed));
  }
  return feeds;
}

HealthcareRegionConfig ReadConfig(const Json& root) {
  RequireObject(root, "$");
  AllowOnlyKeys(root, "$", {"healthcare_region", "source", "note", "stale_after_minutes",
                            "stale_after_minutes_by_level", "regions", "neighbours"});
  HealthcareRegionConfig config;
  const Json& healthcare_region = Field(root, "$", "healthcare_region");
  RequireObject(healthcare_region, "$.healthcare_region");
  AllowOnlyKeys(healthcare_region, "$.healthcare_region", {"id", "name"});
  config.id = ReadId(healthcare_region, "$.healthcare_region");
  config.name = ReadText(healthcare_region, "$.healthcare_region", "name", true, 120);
  config.source = ReadText(root, "$", "source", false, 4000);
  if (auto stale = root.find("stale_after_minutes"); stale != root.end()) {
    config.stale_after_minutes =
        static_cast<int>(ReadCount(*stale, "$.stale_after_minutes", 1, 1440));
  }
  config.stale_minutes_by_level = {config.stale_after_minutes,
                                   std::min(config.stale_after_minutes, 30),
                                   std::min(config.stale_after_minutes, 30),
                                   std::min(config.stale_after_minutes, 15)};
  if (auto by_level = root.find("stale_after_minutes_by_level"); by_level != root.end()) {
    const std::string path = "$.stale_after_minutes_by_level";
    RequireObject(*by_level, path);
    for (const auto& item : by_level->items()) {
      auto level = ParseReadinessLevel(item.key());
      if (!level || *level == ReadinessLevel::kNormal) {
        throw ConfigProblem{path + "." + item.key(),
                            "must be staff, reinforced or disaster (normal is "
                            "stale_after_minutes)"};
      }
      config.stale_minutes_by_level[static_cast<std::size_t>(*level)] = static_cast<int>(
          ReadCount(item.value(), path + "." + item.key(), 1, config.stale_after_minutes));
    }
  }
  const Json& regions = Field(root, "$", "regions");
  if (!regions.is_array() || regions.empty()) {
    throw ConfigProblem{"$.regions", "must be a non-empty array"};
  }
  std::set<std::string> region_ids, hospital_ids;
  for (std::size_t r = 0; r < regions.size(); ++r) {
    const std::string path = "$.regions[" + std::to_string(r) + "]";
    const Json& region_json = regions[r];
    RequireObject(region_json, path);
    AllowOnlyKeys(region_json, path, {"id", "name", "note", "hospitals"});
    RegionConfig region;
    region.id = ReadId(region_json, path);
    if (!region_ids.insert(region.id).second) {
      throw ConfigProblem{path + ".id", "'" + region.id + "' is used twice"};
    }
    region.name = ReadText(region_json, path, "name", true, 120);
    const Json& hospitals = Field(region_json, path, "hospitals");
    if (!hospitals.is_array() || hospitals.empty()) {
      throw ConfigProblem{path + ".hospitals", "must be a non-empty array"};
    }
    for (std::size_t h = 0; h < hospitals.size(); ++h) {
      const std::string hospital_path = path + ".hospitals[" + std::to_string(h) + "]";
      HospitalConfig hospital = ReadHospital(hospitals[h], hospital_path, region.id);
      if (!hospital_ids.insert(hospital.id).second) {
        throw ConfigProblem{hospital_path + ".id", "'" + hospital.id + "' is used twice"};
      }
      region.hospital_indexes.push_back(config.hospitals.size());
      config.hospitals.push_back(std::move(hospital));
    }
    config.regions.push_back(std::move(region));
  }
  if (auto neighbours = root.find("neighbours"); neighbours != root.end()) {
    config.neighbours = ReadNeighbours(*neighbours, hospital_ids);
  }
  config.Index();
  return config;
}

}  // namespace

std::optional<std::size_t> HealthcareRegionConfig::FindHospital(const std::string& id) const {
  auto it = hospital_by_id_.find(id);
  if (it == hospital_by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> HealthcareRegionConfig::FindRegion(const std::string& id) const {
  auto it = region_by_id_.find(id);
  if (it == region_by_id_.end()) return std::nullopt;
  return it->second;
}

void HealthcareRegionConfig::Index() {
  hospital_by_id_.clear();
  region_by_id_.clear();
  for (std::size_t i = 0; i < hospitals.size(); ++i) hospital_by_id_[hospitals[i].id] = i;
  for (std::size_t i = 0; i < regions.size(); ++i) region_by_id_[regions[i].id] = i;
}

Result<HealthcareRegionConfig> ParseConfig(const std::string& text, const std::string& source_name) {
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::exception& e) {
    return MakeError("config", "", source_name + ": not valid JSON: " + e.what());
  }
  try {
    return ReadConfig(root);
  } catch (const ConfigProblem& problem) {
    return MakeError("config", problem.path, source_name + ": " + problem.path + ": " + problem.what);
  }
}

std::array<std::int64_t, kAllTriage.size()> HospitalConfig::ReceptionAt(ReadinessLevel level) const {
  for (std::size_t l = static_cast<std::size_t>(level) + 1; l-- > 0;) {
    if (reception_by_level[l]) return *reception_by_level[l];
  }
  return reception_baseline;
}

bool HospitalConfig::EdOpenAt(int minute_of_day) const {
  if (!ed_hours) return true;
  const auto [open, close] = *ed_hours;
  return open < close ? minute_of_day >= open && minute_of_day < close
                      : minute_of_day >= open || minute_of_day < close;
}

std::optional<int> ParseClock(const std::string& text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (std::size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

std::string FormatClock(int minute_of_day) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d", minute_of_day / 60 % 24, minute_of_day % 60);
  return text;
}

}  // namespace lagesbild
