// Reading a scenario file's parts (scenario_read.h): the value helpers and every inject kind.
// ParseScenario (scenario.cpp) reads the file's top level with them.
#include "scenario_read.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "lagesbild/core/json_mapping.h"

namespace lagesbild {

void AllowOnly(const Json& object, const std::string& path, std::set<std::string> allowed) {
  for (const auto& item : object.items()) {
    if (!allowed.count(item.key())) throw Problem{path + "." + item.key(), "unknown field"};
  }
}

std::string Text(const Json& object, const std::string& path, const char* key,
                 std::size_t max_length, bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) throw Problem{path + "." + key, "is missing"};
    return {};
  }
  if (!it->is_string() || (required && it->get_ref<const std::string&>().empty()) ||
      it->get_ref<const std::string&>().size() > 4 * max_length) {
    throw Problem{path + "." + key, "must be a text of at most " + std::to_string(max_length) +
                                        " characters" + (required ? ", not empty" : "")};
  }
  return it->get<std::string>();
}

std::int64_t Count(const Json& value, const std::string& path, std::int64_t max) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
      (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) ||
      value.get<std::int64_t>() > max) {
    throw Problem{path, "must be a whole number from 0 to " + std::to_string(max)};
  }
  return value.get<std::int64_t>();
}

void RequireRegion(const HealthcareRegionConfig& config, const std::string& id,
                   const std::string& path) {
  if (!config.FindRegion(id)) throw Problem{path, "no region '" + id + "' in " + config.id};
}

void RequireHospital(const HealthcareRegionConfig& config, const std::string& id,
                     const std::string& path) {
  if (!config.FindHospital(id)) throw Problem{path, "no hospital '" + id + "' in " + config.id};
}

ReadinessLevel Level(const Json& value, const std::string& path) {
  auto level = value.is_string() ? ParseReadinessLevel(value.get<std::string>()) : std::nullopt;
  if (!level) throw Problem{path, "must be normal, staff, reinforced or disaster"};
  return *level;
}

// A report body (beds, reception, ed_status, readiness) read with the wire's own mapping.
CapacityReport ReportBody(const Json& object, const std::string& path, std::string hospital) {
  auto report = CapacityReportFromJson(object, std::move(hospital));
  if (const Error* error = report.ok() ? nullptr : &report.error()) {
    throw Problem{path + (error->field.empty() ? "" : "." + error->field), error->message};
  }
  if (report.value().Empty()) throw Problem{path, "contains no figures"};
  return std::move(report).value();
}

std::array<std::int64_t, 3> Patients(const Json& object, const std::string& path,
                                     std::int64_t* deceased) {
  std::array<std::int64_t, 3> counts{};
  for (const auto& item : object.items()) {
    if (deceased && item.key() == "deceased") {
      *deceased = Count(item.value(), path + ".deceased", 10000);
      continue;
    }
    auto priority = ParseTriage(item.key());
    if (!priority) {
      if (item.key() == "hospital" && !deceased) continue;
      throw Problem{path + "." + item.key(), "unknown field (P1, P2, P3" +
                                                 std::string(deceased ? ", deceased)" : ")")};
    }
    counts[Index(*priority)] = Count(item.value(), path + "." + item.key(), 10000);
  }
  return counts;
}

namespace {

MessageInject ReadMessage(const Json& json, const std::string& path,
                          const HealthcareRegionConfig& config) {
  AllowOnly(json, path, {"id", "at", "kind", "from", "to", "message_kind", "text", "fields",
                         "methane", "level", "requires_ack", "sender"});
  Json body = json;
  body["kind"] = Field(json, path, "message_kind");
  auto content = MessageContentFromJson(body);
  if (const Error* error = content.ok() ? nullptr : &content.error()) {
    const std::string field = error->field == "kind" ? "message_kind" : error->field;
    throw Problem{path + (field.empty() ? "" : "." + field), error->message};
  }
  MessageInject inject{Text(json, path, "from", 40, false),
                       std::move(content).value()};
  if (!inject.from_region.empty()) RequireRegion(config, inject.from_region, path + ".from");
  for (std::size_t i = 0; i < inject.content.to.size(); ++i) {
    RequireRegion(config, inject.content.to[i], path + ".to[" + std::to_string(i) + "]");
  }
  const auto& c = inject.content;
  if (!c.sender.empty() &&
      std::find(kMessageSenders.begin(), kMessageSenders.end(), c.sender) == kMessageSenders.end()) {
    throw Problem{path + ".sender", "must be sos_alarm, scene_command, socialstyrelsen or rssl"};
  }
  if (c.kind != MessageKind::kMethane && c.text.empty()) throw Problem{path + ".text", "is missing"};
  if ((c.kind == MessageKind::kAlert) != c.level.has_value()) {
    throw Problem{path + ".level", c.level ? "belongs to an alert only" : "an alert needs a level"};
  }
  if ((c.kind == MessageKind::kMethane) != c.methane.has_value()) {
    throw Problem{path + ".methane", c.methane ? "belongs to a methane report only"
                                               : "a methane report needs its fields"};
  }
  return inject;
}

CasualtyWave ReadWave(const Json& json, const std::string& path,
                      const HealthcareRegionConfig& config) {
  AllowOnly(json, path, {"id", "at", "kind", "location", "casualties", "distribution",
                         "transport_minutes", "burns", "region", "dispatch"});
  CasualtyWave wave;
  wave.location = Text(json, path, "location", 200);
  const Json& casualties = Field(json, path, "casualties");
  RequireObject(casualties, path + ".casualties");
  wave.casualties = Patients(casualties, path + ".casualties", &wave.deceased);
  if (auto burns = json.find("burns"); burns != json.end()) {
    RequireObject(*burns, path + ".burns");
    wave.burns = Patients(*burns, path + ".burns", nullptr);
    for (Triage priority : kAllTriage) {
      if (wave.burns[Index(priority)] > wave.casualties[Index(priority)]) {
        throw Problem{path + ".burns." + std::string(WireName(priority)),
                      "more burned than casualties of that priority"};
      }
    }
  }
  wave.region = Text(json, path, "region", 40, false);
  if (!wave.region.empty()) RequireRegion(config, wave.region, path + ".region");
  const std::string dispatch = Text(json, path, "dispatch", 20, false);
  if (!dispatch.empty() && dispatch != "immediate" && dispatch != "on_decision") {
    throw Problem{path + ".dispatch", "must be immediate or on_decision"};
  }
  wave.on_decision = dispatch == "on_decision";
  if (wave.on_decision && wave.region.empty()) {
    throw Problem{path + ".region", "a wave dispatched on decision needs the scene's region"};
  }
  const Json& transport = Field(json, path, "transport_minutes");
  RequireObject(transport, path + ".transport_minutes");
  for (const auto& item : transport.items()) {
    RequireHospital(config, item.key(), path + ".transport_minutes." + item.key());
    wave.transport_minutes.emplace_back(
        item.key(), Count(item.value(), path + ".transport_minutes." + item.key(), 600));
  }
  if (wave.transport_minutes.empty()) throw Problem{path + ".transport_minutes", "is empty"};
  const auto transport_of = [&](const std::string& hospital) -> std::optional<std::int64_t> {
    for (const auto& [id, minutes] : wave.transport_minutes) {
      if (id == hospital) return minutes;
    }
    return std::nullopt;
  };
  if (wave.on_decision) {
    if (json.contains("distribution")) {
      throw Problem{path + ".distribution",
                    "a wave dispatched on decision is distributed when the region decides"};
    }
    return wave;
  }
  const Json& distribution = Field(json, path, "distribution");
  if (distribution.is_string() && distribution.get<std::string>() == "suggest") {
    wave.suggest = true;
    return wave;
  }
  if (!distribution.is_array() || distribution.empty()) {
    throw Problem{path + ".distribution", "must be \"suggest\" or a non-empty list"};
  }
  std::array<std::int64_t, 3> sums{};
  for (std::size_t i = 0; i < distribution.size(); ++i) {
    const std::string item_path = path + ".distribution[" + std::to_string(i) + "]";
    RequireObject(distribution[i], item_path);
    Allocation allocation;
    allocation.hospital = Text(distribution[i], item_path, "hospital", 40);
    RequireHospital(config, allocation.hospital, item_path + ".hospital");
    allocation.patients = Patients(distribution[i], item_path, nullptr);
    auto minutes = transport_of(allocation.hospital);
    if (!minutes) {
      throw Problem{item_path + ".hospital",
                    "'" + allocation.hospital + "' has no transport_minutes"};
    }
    allocation.transport_minutes = *minutes;
    for (std::size_t p = 0; p < sums.size(); ++p) sums[p] += allocation.patients[p];
    wave.scripted.push_back(std::move(allocation));
  }
  for (Triage priority : kAllTriage) {
    if (sums[Index(priority)] != wave.casualties[Index(priority)]) {
      throw Problem{path + ".distribution",
                    std::string(WireName(priority)) + " adds up to " +
                        std::to_string(sums[Index(priority)]) + ", casualties say " +
                        std::to_string(wave.casualties[Index(priority)])};
    }
  }
  return wave;
}

Checkpoint ReadCheckpoint(const Json& json, const std::string& path,
                          const HealthcareRegionConfig& config) {
  AllowOnly(json, path, {"id", "at", "kind", "description", "within_minutes", "expect"});
  Checkpoint checkpoint;
  checkpoint.description = Text(json, path, "description", 500);
  checkpoint.within_ms = Count(Field(json, path, "within_minutes"), path + ".within_minutes", 1440) * 60000;
  if (checkpoint.within_ms == 0) throw Problem{path + ".within_minutes", "must be at least 1"};
  const std::string expect_path = path + ".expect";
  const Json& expect = Field(json, path, "expect");
  RequireObject(expect, expect_path);
  const std::string event = Text(expect, expect_path, "event", 40);
  auto& e = checkpoint.expect;
  if (event == "region_readiness_set") {
    AllowOnly(expect, expect_path, {"event", "region", "min_level"});
    e.event = CheckpointExpectation::Event::kRegionReadinessSet;
    e.region = Text(expect, expect_path, "region", 40);
    RequireRegion(config, e.region, expect_path + ".region");
    if (expect.contains("min_level")) e.min_level = Level(expect["min_level"], expect_path + ".min_level");
  } else if (event == "capacity_reported") {
    AllowOnly(expect, expect_path, {"event", "hospitals"});
    e.event = CheckpointExpectation::Event::kCapacityReported;
    const Json& hospitals = Field(expect, expect_path, "hospitals");
    if (hospitals.is_string() && hospitals.get<std::string>() == "receiving") {
      e.receiving_hospitals = true;
    } else if (hospitals.is_array() && !hospitals.empty()) {
      for (std::size_t i = 0; i < hospitals.size(); ++i) {
        const std::string item = expect_path + ".hospitals[" + std::to_string(i) + "]";
        if (!hospitals[i].is_string()) throw Problem{item, "must be a hospital id"};
        RequireHospital(config, hospitals[i].get<std::string>(), item);
        e.hospitals.push_back(hospitals[i].get<std::string>());
      }
    } else {
      throw Problem{expect_path + ".hospitals", "must be \"receiving\" or a list of hospitals"};
    }
  } else if (event == "message_acknowledged") {
    AllowOnly(expect, expect_path, {"event", "message", "regions"});
    e.event = CheckpointExpectation::Event::kMessageAcknowledged;
    e.message_inject = Text(expect, expect_path, "message", 40);
    if (auto regions = expect.find("regions"); regions != expect.end()) {
      if (!regions->is_array()) throw Problem{expect_path + ".regions", "must be a list"};
      for (std::size_t i = 0; i < regions->size(); ++i) {
        const std::string item = expect_path + ".regions[" + std::to_string(i) + "]";
        if (!(*regions)[i].is_string()) throw Problem{item, "must be a region id"};
        RequireRegion(config, (*regions)[i].get<std::string>(), item);
        e.regions.push_back((*regions)[i].get<std::string>());
      }
    }
  } else if (event == "message_posted") {
    AllowOnly(expect, expect_path, {"event", "from", "message_kind"});
    e.event = CheckpointExpectation::Event::kMessagePosted;
    e.from_region = Text(expect, expect_path, "from", 40, false);
    if (!e.from_region.empty()) RequireRegion(config, e.from_region, expect_path + ".from");
    if (expect.contains("message_kind")) {
      const Json& kind = expect["message_kind"];
      e.message_kind = kind.is_string() ? ParseMessageKind(kind.get<std::string>()) : std::nullopt;
      if (!e.message_kind) throw Problem{expect_path + ".message_kind", "unknown message kind"};
    }
  } else if (event == "decision_recorded") {
    AllowOnly(expect, expect_path, {"event", "decision", "region", "hospital"});
    e.event = CheckpointExpectation::Event::kDecisionRecorded;
    const Json& decision = Field(expect, expect_path, "decision");
    e.decision = decision.is_string() ? ParseDecisionKind(decision.get<std::string>()) : std::nullopt;
    if (!e.decision || *e.decision == DecisionKind::kReadinessSet) {
      throw Problem{expect_path + ".decision", "unknown decision (see record_decision)"};
    }
    e.region = Text(expect, expect_path, "region", 40, false);
    if (!e.region.empty()) RequireRegion(config, e.region, expect_path + ".region");
    e.hospital = Text(expect, expect_path, "hospital", 40, false);
    if (!e.hospital.empty()) RequireHospital(config, e.hospital, expect_path + ".hospital");
  } else {
    throw Problem{expect_path + ".event",
                  "must be region_readiness_set, capacity_reported, message_acknowledged, "
                  "message_posted or decision_recorded"};
  }
  return checkpoint;
}

DecisionInject ReadDecision(const Json& json, const std::string& path,
                            const HealthcareRegionConfig& config) {
  AllowOnly(json, path, {"id", "at", "kind", "decision", "region", "hospital", "hospitals",
                         "incident", "judgement", "icu_beds", "resource", "amount", "to_region",
                         "reason"});
  auto decision = DecisionContentFromJson(json);
  if (const Error* error = decision.ok() ? nullptr : &decision.error()) {
    throw Problem{path + (error->field.empty() ? "" : "." + error->field), error->message};
  }
  const DecisionContent& d = decision.value();
  RequireRegion(config, d.region, path + ".region");
  if (!d.hospital.empty()) RequireHospital(config, d.hospital, path + ".hospital");
  for (std::size_t i = 0; i < d.hospitals.size(); ++i) {
    RequireHospital(config, d.hospitals[i], path + ".hospitals[" + std::to_string(i) + "]");
  }
  if (!d.to_region.empty()) RequireRegion(config, d.to_region, path + ".to_region");
  if (!d.resource.empty() && !IsResource(d.resource)) {
    throw Problem{path + ".resource", "must be a bed type or staff, ambulances, helicopters, "
                                      "blood, equipment, other"};
  }
  return DecisionInject{std::move(decision).value()};
}

}  // namespace

InjectBody ReadInjectBody(const Json& json, const std::string& path, const std::string& kind,
                          const HealthcareRegionConfig& config) {
  if (kind == "message") return ReadMessage(json, path, config);
  if (kind == "casualty_wave") return ReadWave(json, path, config);
  if (kind == "capacity_change") {
    AllowOnly(json, path, {"id", "at", "kind", "hospital", "beds", "reception", "ed_status",
                           "readiness", "reason"});
    const std::string hospital = Text(json, path, "hospital", 40);
    RequireHospital(config, hospital, path + ".hospital");
    return CapacityChange{ReportBody(json, path, hospital), Text(json, path, "reason", 500, false)};
  }
  if (kind == "readiness") {
    AllowOnly(json, path, {"id", "at", "kind", "region", "hospital", "level"});
    ReadinessInject inject;
    inject.region = Text(json, path, "region", 40, false);
    inject.hospital = Text(json, path, "hospital", 40, false);
    if (inject.region.empty() == inject.hospital.empty()) {
      throw Problem{path, "needs exactly one of region and hospital"};
    }
    if (!inject.region.empty()) RequireRegion(config, inject.region, path + ".region");
    if (!inject.hospital.empty()) RequireHospital(config, inject.hospital, path + ".hospital");
    inject.level = Level(Field(json, path, "level"), path + ".level");
    return inject;
  }
  if (kind == "checkpoint") return ReadCheckpoint(json, path, config);
  if (kind == "decision") return ReadDecision(json, path, config);
  if (kind == "transfer") {
    AllowOnly(json, path, {"id", "at", "kind", "from", "to", "patients", "burns",
                           "transport_minutes", "mode", "reason"});
    TransferPatients t;
    t.from = Text(json, path, "from", 40);
    RequireHospital(config, t.from, path + ".from");
    t.to = Text(json, path, "to", 40);
    RequireHospital(config, t.to, path + ".to");
    if (t.from == t.to) throw Problem{path + ".to", "a transfer goes to another hospital"};
    const Json& patients = Field(json, path, "patients");
    RequireObject(patients, path + ".patients");
    t.patients = Patients(patients, path + ".patients", nullptr);
    if (auto burns = json.find("burns"); burns != json.end()) {
      t.burns = Count(*burns, path + ".burns", t.patients[Index(Triage::kP1)]);
    }
    t.transport_minutes = Count(Field(json, path, "transport_minutes"), path + ".transport_minutes", 600);
    const std::string mode = Text(json, path, "mode", 20, false);
    if (!mode.empty() && mode != "ambulance" && mode != "helicopter") {
      throw Problem{path + ".mode", "must be ambulance or helicopter"};
    }
    t.helicopter = mode == "helicopter";
    t.reason = Text(json, path, "reason", 500, false);
    return TransferInject{std::move(t)};
  }
  if (kind == "transport") {
    AllowOnly(json, path, {"id", "at", "kind", "region", "ambulances", "helicopters"});
    TransportReport r;
    r.region = Text(json, path, "region", 40);
    RequireRegion(config, r.region, path + ".region");
    for (auto [group, available, committed] :
         {std::tuple{"ambulances", &r.ambulances_available, &r.ambulances_committed},
          std::tuple{"helicopters", &r.helicopters_available, &r.helicopters_committed}}) {
      auto it = json.find(group);
      if (it == json.end()) continue;
      const std::string group_path = path + "." + group;
      RequireObject(*it, group_path);
      AllowOnly(*it, group_path, {"available", "committed"});
      if (it->contains("available")) *available = Count((*it)["available"], group_path + ".available", kMaxFigure);
      if (it->contains("committed")) *committed = Count((*it)["committed"], group_path + ".committed", kMaxFigure);
    }
    if (!r.ambulances_available && !r.ambulances_committed && !r.helicopters_available &&
        !r.helicopters_committed) {
      throw Problem{path, "reports no figures"};
    }
    return TransportInject{std::move(r)};
  }
  throw Problem{path + ".kind",
                "must be message, casualty_wave, capacity_change, readiness, checkpoint, "
                "decision, transfer or transport"};
}

}  // namespace lagesbild
