#include "lagesbild/core/scenario.h"

#include "scenario_read.h"

#include <algorithm>
#include <regex>
#include <set>
#include <tuple>

#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/time_format.h"

namespace lagesbild {

std::optional<ElapsedMs> ParseElapsed(const std::string& text) {
  static const std::regex kShort("([0-9]{1,3}):([0-5][0-9])");
  static const std::regex kLong("([0-9]{1,2}):([0-5][0-9]):([0-5][0-9])");
  std::smatch match;
  if (std::regex_match(text, match, kShort)) {
    return (std::stoll(match[1]) * 60 + std::stoll(match[2])) * 1000;
  }
  if (std::regex_match(text, match, kLong)) {
    return ((std::stoll(match[1]) * 60 + std::stoll(match[2])) * 60 + std::stoll(match[3])) * 1000;
  }
  return std::nullopt;
}

std::string FormatElapsed(ElapsedMs elapsed) {
  const ElapsedMs seconds = elapsed / 1000;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld",
                static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                static_cast<long long>(seconds % 60));
  return buffer;
}

std::string_view InjectKind(const InjectBody& body) {
  static constexpr std::string_view kNames[] = {
      "message",  "casualty_wave", "capacity_change", "readiness",
      "checkpoint", "decision",    "transfer",        "transport"};
  return kNames[body.index()];
}

std::string TruncateUtf8(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "…";
}

Json InjectSummary(const HealthcareRegionConfig& config, const Inject& inject) {
  const auto hospital_name = [&](const std::string& id) {
    auto index = config.FindHospital(id);
    return index ? config.hospitals[*index].name : id;
  };
  if (const auto* message = std::get_if<MessageInject>(&inject.body)) {
    return {{"kind", "message"},
            {"message_kind", WireName(message->content.kind)},
            {"text", TruncateUtf8(message->content.text, 120)}};
  }
  if (const auto* wave = std::get_if<CasualtyWave>(&inject.body)) {
    return {{"kind", "casualty_wave"},
            {"location", wave->location},
            {"casualties", PatientsToJson(wave->casualties)},
            {"deceased", wave->deceased},
            {"suggest", wave->suggest}};
  }
  if (const auto* change = std::get_if<CapacityChange>(&inject.body)) {
    return {{"kind", "capacity_change"},
            {"hospital", change->report.hospital},
            {"hospital_name", hospital_name(change->report.hospital)},
            {"reason", change->reason}};
  }
  if (const auto* readiness = std::get_if<ReadinessInject>(&inject.body)) {
    return {{"kind", "readiness"},
            {"region", readiness->region},
            {"hospital", readiness->hospital},
            {"hospital_name", readiness->hospital.empty() ? "" : hospital_name(readiness->hospital)},
            {"level", WireName(readiness->level)}};
  }
  if (const auto* decision = std::get_if<DecisionInject>(&inject.body)) {
    Json out = DecisionContentToJson(decision->decision);
    out["kind"] = "decision";
    return out;
  }
  if (const auto* transfer = std::get_if<TransferInject>(&inject.body)) {
    const TransferPatients& t = transfer->transfer;
    return {{"kind", "transfer"}, {"from", t.from}, {"from_name", hospital_name(t.from)},
            {"to", t.to}, {"to_name", hospital_name(t.to)}, {"patients", PatientsToJson(t.patients)},
            {"burns", t.burns}, {"mode", t.helicopter ? "helicopter" : "ambulance"}};
  }
  if (const auto* transport = std::get_if<TransportInject>(&inject.body)) {
    return {{"kind", "transport"}, {"region", transport->report.region}};
  }
  return {{"kind", "checkpoint"}, {"description", std::get<Checkpoint>(inject.body).description}};
}

Error ScenarioError(std::vector<std::string> problems) {
  Error error = MakeError("invalid_scenario", "", problems.front());
  error.details = std::move(problems);
  return error;
}

const Inject* Scenario::FindInject(const std::string& id) const {
  for (const Inject& inject : injects) {
    if (inject.id == id) return &inject;
  }
  return nullptr;
}

Result<Scenario> ParseScenario(const std::string& text, const std::string& source_name,
                               const HealthcareRegionConfig& config) {
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::exception& e) {
    return ScenarioError({source_name + ": not valid JSON: " + e.what()});
  }
  return ParseScenarioJson(root, source_name, config);
}

Result<Scenario> ParseScenarioJson(const Json& root, const std::string& source_name,
                                   const HealthcareRegionConfig& config) {
  std::vector<std::string> errors;
  const auto problem = [&](const Problem& p) {
    errors.push_back(source_name + ": " + p.path + ": " + p.what);
  };
  Scenario scenario;
  try {
    RequireObject(root, "$");
    AllowOnly(root, "$", {"format", "id", "name", "description", "modelled_on",
                          "healthcare_region", "planned_duration_minutes", "start_from",
                          "baseline", "injects", "note", "indicator_targets",
                          "participating_regions", "deterioration", "burns_need_icu",
                          "starts_at"});
    const Json& format = Field(root, "$", "format");
    if (!format.is_number_integer() || format.get<std::int64_t>() < 1 ||
        format.get<std::int64_t>() > kScenarioFormat) {
      throw Problem{"$.format", "must be 1 or " + std::to_string(kScenarioFormat) +
                                   " (this version reads formats 1-" +
                                   std::to_string(kScenarioFormat) + ")"};
    }
    scenario.format = format.get<int>();
    static const std::regex kId("[a-z0-9-]{1,40}");
    scenario.id = Text(root, "$", "id", 40);
    if (!std::regex_match(scenario.id, kId)) throw Problem{"$.id", "must be 1-40 of a-z, 0-9, -"};
    scenario.name = Text(root, "$", "name", 120);
    scenario.description = Text(root, "$", "description", 2000);
    const Json& modelled_on = Field(root, "$", "modelled_on");
    RequireObject(modelled_on, "$.modelled_on");
    AllowOnly(modelled_on, "$.modelled_on", {"incident", "source"});
    scenario.incident = Text(modelled_on, "$.modelled_on", "incident", 500);
    scenario.source = Text(modelled_on, "$.modelled_on", "source", 2000);
    scenario.healthcare_region = Text(root, "$", "healthcare_region", 40);
    if (scenario.healthcare_region != config.id) {
      throw Problem{"$.healthcare_region", "the scenario is for '" + scenario.healthcare_region +
                                               "', the server runs '" + config.id + "'"};
    }
    scenario.planned_ms = Count(Field(root, "$", "planned_duration_minutes"),
                                "$.planned_duration_minutes", 1440) * 60000;
    if (scenario.planned_ms == 0) throw Problem{"$.planned_duration_minutes", "must be at least 1"};
    const std::string start_from = Text(root, "$", "start_from", 20);
    if (start_from != "live" && start_from != "scenario") {
      throw Problem{"$.start_from", "must be live or scenario"};
    }
    scenario.start_from_live = start_from == "live";
    if (root.contains("starts_at")) {
      const Json& clock = root.at("starts_at");
      scenario.starts_at = clock.is_string() ? ParseClock(clock.get<std::string>()) : std::nullopt;
      if (!scenario.starts_at) throw Problem{"$.starts_at", "must be \"HH:MM\" (local time at 00:00)"};
    }
  } catch (const Problem& p) {
    problem(p);
  }
  if (auto baseline = root.find("baseline"); root.is_object() && baseline != root.end()) {
    try {
      RequireObject(*baseline, "$.baseline");
      AllowOnly(*baseline, "$.baseline", {"hospitals", "regions"});
      if (auto hospitals = baseline->find("hospitals"); hospitals != baseline->end()) {
        RequireObject(*hospitals, "$.baseline.hospitals");
        for (const auto& item : hospitals->items()) {
          const std::string path = "$.baseline.hospitals." + item.key();
          RequireHospital(config, item.key(), path);
          RequireObject(item.value(), path);
          AllowOnly(item.value(), path, {"beds", "reception", "ed_status", "readiness"});
          scenario.baseline_reports.push_back(ReportBody(item.value(), path, item.key()));
        }
      }
      if (auto regions = baseline->find("regions"); regions != baseline->end()) {
        RequireObject(*regions, "$.baseline.regions");
        for (const auto& item : regions->items()) {
          const std::string path = "$.baseline.regions." + item.key();
          RequireRegion(config, item.key(), path);
          scenario.baseline_regions.emplace_back(item.key(), Level(item.value(), path));
        }
      }
    } catch (const Problem& p) {
      problem(p);
    }
  }
  if (auto targets = root.find("indicator_targets"); root.is_object() && targets != root.end()) {
    try {
      RequireObject(*targets, "$.indicator_targets");
      for (const auto& item : targets->items()) {
        const std::string path = "$.indicator_targets." + item.key();
        if (!FindIndicator(item.key())) throw Problem{path, "no indicator of that name"};
        const std::int64_t minutes = Count(item.value(), path, 1440);
        if (minutes < 1) throw Problem{path, "must be 1-1440 minutes"};
        scenario.indicator_targets[item.key()] = minutes;
      }
    } catch (const Problem& p) {
      problem(p);
    }
  }
  if (auto rules = root.find("deterioration"); root.is_object() && rules != root.end()) {
    try {
      if (!rules->is_array()) throw Problem{"$.deterioration", "must be a list of rules"};
      for (std::size_t i = 0; i < rules->size(); ++i) {
        const std::string path = "$.deterioration[" + std::to_string(i) + "]";
        const Json& rule = (*rules)[i];
        RequireObject(rule, path);
        AllowOnly(rule, path, {"from", "to", "after_minutes", "share_percent"});
        DeteriorationRule parsed;
        auto from = ParseTriage(Text(rule, path, "from", 2));
        if (!from) throw Problem{path + ".from", "must be P1, P2 or P3"};
        parsed.from = *from;
        const std::string to = Text(rule, path, "to", 10);
        if (to != "deceased") {
          auto worse = ParseTriage(to);
          if (!worse || Index(*worse) >= Index(*from)) {
            throw Problem{path + ".to", "must be a more urgent priority or deceased"};
          }
          parsed.to = worse;
        }
        parsed.after_minutes = Count(Field(rule, path, "after_minutes"), path + ".after_minutes", 1440);
        if (parsed.after_minutes < 1) throw Problem{path + ".after_minutes", "must be 1-1440"};
        if (rule.contains("share_percent")) {
          parsed.share_percent = Count(rule["share_percent"], path + ".share_percent", 100);
          if (parsed.share_percent < 1) throw Problem{path + ".share_percent", "must be 1-100"};
        }
        for (const DeteriorationRule& other : scenario.deterioration) {
          if (other.from == parsed.from) throw Problem{path + ".from", "one rule per priority"};
        }
        scenario.deterioration.push_back(parsed);
      }
    } catch (const Problem& p) {
      problem(p);
    }
  }
  if (auto burns = root.find("burns_need_icu"); root.is_object() && burns != root.end()) {
    if (!burns->is_boolean()) {
      problem(Problem{"$.burns_need_icu", "must be true or false"});
    } else {
      scenario.burns_need_icu = burns->get<bool>();
    }
  }
  if (auto regions = root.find("participating_regions"); root.is_object() && regions != root.end()) {
    try {
      if (!regions->is_array() || regions->empty()) {
        throw Problem{"$.participating_regions", "must be a non-empty list of region ids"};
      }
      for (std::size_t i = 0; i < regions->size(); ++i) {
        const std::string path = "$.participating_regions[" + std::to_string(i) + "]";
        if (!(*regions)[i].is_string()) throw Problem{path, "must be a region id"};
        RequireRegion(config, (*regions)[i].get<std::string>(), path);
        scenario.participating_regions.push_back((*regions)[i].get<std::string>());
      }
    } catch (const Problem& p) {
      problem(p);
    }
  }
  const Json* injects = root.is_object() && root.contains("injects") ? &root.at("injects") : nullptr;
  if (!injects || !injects->is_array() || injects->empty()) {
    problem(Problem{"$.injects", "must be a non-empty list"});
  }
  std::set<std::string> ids;  // every inject id read, including those of broken injects
  if (injects && injects->is_array()) {
    for (std::size_t i = 0; i < injects->size(); ++i) {
      const std::string path = "$.injects[" + std::to_string(i) + "]";
      try {
        const Json& json = (*injects)[i];
        RequireObject(json, path);
        Inject inject;
        inject.id = Text(json, path, "id", 40);
        if (!ids.insert(inject.id).second) throw Problem{path + ".id", "'" + inject.id + "' is used twice"};
        const Json& at = Field(json, path, "at");
        auto elapsed = at.is_string() ? ParseElapsed(at.get<std::string>()) : std::nullopt;
        if (!elapsed) throw Problem{path + ".at", "must be \"MM:SS\" or \"HH:MM:SS\""};
        if (scenario.planned_ms && *elapsed > scenario.planned_ms) {
          throw Problem{path + ".at", "is after the planned duration"};
        }
        inject.at = *elapsed;
        inject.body = ReadInjectBody(json, path, Text(json, path, "kind", 40), config);
        scenario.injects.push_back(std::move(inject));
      } catch (const Problem& p) {
        problem(p);
      }
    }
  }
  // Checkpoints that name a message inject: it must exist and be a message.
  for (std::size_t i = 0; i < scenario.injects.size(); ++i) {
    const auto* checkpoint = std::get_if<Checkpoint>(&scenario.injects[i].body);
    if (!checkpoint || checkpoint->expect.message_inject.empty()) continue;
    const Inject* target = scenario.FindInject(checkpoint->expect.message_inject);
    const bool reported_already = !target && ids.count(checkpoint->expect.message_inject);
    if (!reported_already && (!target || !std::holds_alternative<MessageInject>(target->body))) {
      problem(Problem{"$.injects[id=" + scenario.injects[i].id + "].expect.message",
                      "no message inject '" + checkpoint->expect.message_inject + "'"});
    }
  }
  // A scenario set at a time of day sends nobody to an ED that is closed then.
  if (scenario.starts_at) {
    for (const Inject& inject : scenario.injects) {
      std::vector<std::string> receiving;
      if (const auto* wave = std::get_if<CasualtyWave>(&inject.body)) {
        if (wave->suggest || wave->on_decision) {
          for (const auto& [hospital, minutes] : wave->transport_minutes) receiving.push_back(hospital);
        } else {
          for (const Allocation& allocation : wave->scripted) receiving.push_back(allocation.hospital);
        }
      } else if (const auto* transfer = std::get_if<TransferInject>(&inject.body)) {
        receiving.push_back(transfer->transfer.to);
      }
      const int minute = (*scenario.starts_at + static_cast<int>(inject.at / 60000)) % 1440;
      for (const std::string& id : receiving) {
        auto index = config.FindHospital(id);
        if (!index || config.hospitals[*index].EdOpenAt(minute)) continue;
        const HospitalConfig& hospital = config.hospitals[*index];
        problem(Problem{"$.injects[id=" + inject.id + "]",
                        "sends patients to " + hospital.name + " at " + FormatClock(minute) +
                            ", when its ED is closed (open " + FormatClock(hospital.ed_hours->first) +
                            "-" + FormatClock(hospital.ed_hours->second) + ")"});
      }
    }
  }
  // The participants set their own levels: a script never does it for them.
  const auto participating = [&](const std::string& region) {
    return std::find(scenario.participating_regions.begin(), scenario.participating_regions.end(),
                     region) != scenario.participating_regions.end();
  };
  for (const Inject& inject : scenario.injects) {
    const auto* readiness = std::get_if<ReadinessInject>(&inject.body);
    if (!readiness) continue;
    std::string region = readiness->region;
    if (auto index = readiness->hospital.empty() ? std::nullopt : config.FindHospital(readiness->hospital)) {
      region = config.hospitals[*index].region_id;
    }
    if (participating(region)) {
      problem(Problem{"$.injects[id=" + inject.id + "]",
                      "sets a level in " + region +
                          ", a participating region: its participants set their own"});
    }
  }
  std::stable_sort(scenario.injects.begin(), scenario.injects.end(),
                   [](const Inject& a, const Inject& b) { return a.at < b.at; });
  if (!errors.empty()) return ScenarioError(std::move(errors));
  return scenario;
}

}  // namespace lagesbild
