#include "lagesbild/core/saved_state.h"

#include <cstdint>

#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/time_format.h"

namespace lagesbild {
namespace {

// Raised when the layout of the text changes; older saved states are then replayed past.
// 2: messages are bounded (recent and open ones) and the state counts every message posted.
// 3: over capacity as data, not text. 4: decisions, major incidents, scripted messages.
constexpr int kSavedStateFormat = 4;

// Short keys: a saved state is read at every start and written every few thousand events.
Json StampToJson(const Stamp& stamp) {
  return {{"t", stamp.at ? Json(*stamp.at) : Json(nullptr)}, {"by", stamp.by}};
}

Stamp StampFromJson(const Json& json) {
  Stamp stamp;
  if (!json.at("t").is_null()) stamp.at = json.at("t").get<TimeMs>();
  stamp.by = json.at("by").get<std::string>();
  return stamp;
}

template <typename T, typename ToJson>
Json ReportedToJson(const Reported<T>& reported, ToJson to_json) {
  Json out = StampToJson(reported.stamp);
  out["v"] = reported.value ? to_json(*reported.value) : Json(nullptr);
  return out;
}

template <typename T, typename FromJson>
Reported<T> ReportedFromJson(const Json& json, FromJson from_json) {
  Reported<T> reported;
  reported.stamp = StampFromJson(json);
  if (!json.at("v").is_null()) reported.value = from_json(json.at("v"));
  return reported;
}

template <typename Enum, typename Parse>
auto EnumFrom(Parse parse) {
  return [parse](const Json& json) {
    auto value = parse(json.get<std::string>());
    if (!value) throw std::invalid_argument("unknown value " + json.dump());
    return *value;
  };
}

const auto kLevelFromJson = EnumFrom<ReadinessLevel>(ParseReadinessLevel);
const auto kEdFromJson = EnumFrom<EdStatus>(ParseEdStatus);
const auto kInt = [](const Json& json) { return json.get<std::int64_t>(); };
const auto kWire = [](auto value) { return Json(std::string(WireName(value))); };
const auto kSame = [](std::int64_t value) { return Json(value); };
const auto kBool = [](bool value) { return Json(value); };
const auto kBoolFrom = [](const Json& json) { return json.get<bool>(); };

PatientCounts CountsFromJson(const Json& json) {
  PatientCounts counts{};
  if (json.size() != counts.size()) throw std::invalid_argument("patient counts");
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] = json.at(i).get<std::int64_t>();
  return counts;
}

Json HospitalToSaved(const HospitalState& hospital) {
  Json beds = Json::array();
  for (const BedFigure& bed : hospital.beds) {
    Json out = StampToJson(bed.stamp);
    out["a"] = bed.available ? Json(*bed.available) : Json(nullptr);
    out["b"] = bed.baseline;
    out["s"] = bed.surge24h;
    beds.push_back(std::move(out));
  }
  Json reception = Json::array();
  for (const auto& figure : hospital.reception) reception.push_back(ReportedToJson(figure, kSame));
  const Casualties& c = hospital.casualties;
  Json arrivals = Json::array();
  for (const auto& [at, counts] : c.arrivals) arrivals.push_back({at, counts});
  return {{"beds", beds},
          {"ed", ReportedToJson(hospital.ed_status, kWire)},
          {"reception", reception},
          {"readiness", ReportedToJson(hospital.readiness, kWire)},
          {"mi", ReportedToJson(hospital.major_incident, kBool)},
          {"casualties",
           {{"incoming", c.incoming}, {"received", c.received}, {"arrivals", arrivals},
            {"over", c.over_capacity ? Json::array({static_cast<int>(c.over_capacity->kind),
                                                     Index(c.over_capacity->priority),
                                                     c.over_capacity->patients,
                                                     c.over_capacity->capacity})
                                     : Json(nullptr)}}}};
}

HospitalState HospitalFromSaved(const Json& json) {
  HospitalState hospital;
  const Json& beds = json.at("beds");
  if (beds.size() != hospital.beds.size()) throw std::invalid_argument("bed types");
  for (std::size_t i = 0; i < hospital.beds.size(); ++i) {
    BedFigure& bed = hospital.beds[i];
    bed.stamp = StampFromJson(beds.at(i));
    if (!beds.at(i).at("a").is_null()) bed.available = beds.at(i).at("a").get<std::int64_t>();
    bed.baseline = beds.at(i).at("b").get<std::int64_t>();
    bed.surge24h = beds.at(i).at("s").get<std::int64_t>();
  }
  hospital.ed_status = ReportedFromJson<EdStatus>(json.at("ed"), kEdFromJson);
  const Json& reception = json.at("reception");
  if (reception.size() != hospital.reception.size()) throw std::invalid_argument("triage levels");
  for (std::size_t i = 0; i < hospital.reception.size(); ++i) {
    hospital.reception[i] = ReportedFromJson<std::int64_t>(reception.at(i), kInt);
  }
  hospital.readiness = ReportedFromJson<ReadinessLevel>(json.at("readiness"), kLevelFromJson);
  hospital.major_incident = ReportedFromJson<bool>(json.at("mi"), kBoolFrom);
  const Json& c = json.at("casualties");
  hospital.casualties.incoming = CountsFromJson(c.at("incoming"));
  hospital.casualties.received = CountsFromJson(c.at("received"));
  for (const Json& arrival : c.at("arrivals")) {
    hospital.casualties.arrivals.emplace_back(arrival.at(0).get<TimeMs>(),
                                              CountsFromJson(arrival.at(1)));
  }
  if (const Json& over = c.at("over"); !over.is_null()) {
    const int kind = over.at(0).get<int>();
    const std::size_t priority = over.at(1).get<std::size_t>();
    if (kind < 0 || kind > 1 || priority >= kAllTriage.size()) throw std::invalid_argument("over");
    hospital.casualties.over_capacity =
        OverCapacity{static_cast<OverCapacity::Kind>(kind), kAllTriage[priority],
                     over.at(2).get<std::int64_t>(), over.at(3).get<std::int64_t>()};
  }
  return hospital;
}

Json MessageToSaved(const MessageState& message) {
  Json acks = Json::object();
  for (const auto& [region, ack] : message.acks) {
    acks[region] = StampToJson(ack.stamp);
    acks[region]["seq"] = ack.seq;
  }
  return {{"seq", message.seq},         {"at", message.at},
          {"from", message.from_region}, {"by", message.sent_by},
          {"scripted", message.scripted},
          {"content", MessageContentToJson(message.content)},
          {"to", message.addressees},   {"acks", acks}};
}

MessageState MessageFromSaved(const Json& json) {
  MessageState message;
  message.seq = json.at("seq").get<Seq>();
  message.at = json.at("at").get<TimeMs>();
  message.from_region = json.at("from").get<std::string>();
  message.sent_by = json.at("by").get<std::string>();
  message.scripted = json.at("scripted").get<bool>();
  auto content = MessageContentFromJson(json.at("content"), InputLimits::kNone);
  if (const Error* error = content.ok() ? nullptr : &content.error()) throw std::invalid_argument(error->message);
  message.content = std::move(content).value();
  message.addressees = json.at("to").get<std::vector<std::string>>();
  for (const auto& [region, ack] : json.at("acks").items()) {
    message.acks[region] = Acknowledgement{StampFromJson(ack), ack.at("seq").get<Seq>()};
  }
  return message;
}

DecisionRecord DecisionFromSaved(const Json& json) {
  DecisionRecord record;
  record.seq = json.at("seq").get<Seq>();
  auto at = ParseUtc(json.at("at").get<std::string>());
  auto kind = ParseActorKind(json.at("actor_kind").get<std::string>());
  if (!at || !kind) throw std::invalid_argument("decision record");
  record.at = *at;
  record.by = json.at("by").get<std::string>();
  record.actor_kind = *kind;
  auto content = DecisionContentFromJson(json, InputLimits::kNone);
  if (const Error* error = content.ok() ? nullptr : &content.error()) throw std::invalid_argument(error->message);
  record.content = std::move(content).value();
  return record;
}

Json ExerciseToSaved(const ExerciseInfo& info) {
  Json pending = Json::array();
  for (const PendingArrival& arrival : info.pending_arrivals) {
    pending.push_back({{"due", arrival.due_elapsed_ms}, {"wave", arrival.wave},
                       {"hospital", arrival.hospital}, {"patients", arrival.patients}});
  }
  return {{"scenario_id", info.scenario_id}, {"scenario_name", info.scenario_name},
          {"start", info.start},             {"planned_ms", info.planned_ms},
          {"status", WireName(info.status)}, {"speed", info.speed},
          {"elapsed_ms", info.elapsed_ms},   {"pending", pending}};
}

ExerciseInfo ExerciseFromSaved(const Json& json) {
  ExerciseInfo info;
  info.scenario_id = json.at("scenario_id").get<std::string>();
  info.scenario_name = json.at("scenario_name").get<std::string>();
  info.start = json.at("start").get<TimeMs>();
  info.planned_ms = json.at("planned_ms").get<std::int64_t>();
  auto status = ParseExerciseStatus(json.at("status").get<std::string>());
  if (!status) throw std::invalid_argument("exercise status");
  info.status = *status;
  info.speed = json.at("speed").get<int>();
  info.elapsed_ms = json.at("elapsed_ms").get<std::int64_t>();
  for (const Json& arrival : json.at("pending")) {
    info.pending_arrivals.push_back(PendingArrival{
        arrival.at("due").get<std::int64_t>(), arrival.at("wave").get<std::string>(),
        arrival.at("hospital").get<std::string>(), CountsFromJson(arrival.at("patients"))});
  }
  return info;
}

// Changes whenever anything the initial state is built from changes: a saved state written under
// another configuration must not be mixed with this one's figures. FNV-1a: stable across builds.
std::string Fingerprint(const HealthcareRegionConfig& config) {
  const SpaceState initial = InitialState(config, "", false);
  Json basis = Json::array();
  for (const HospitalConfig& hospital : config.hospitals) basis.push_back(hospital.id);
  for (const RegionConfig& region : config.regions) basis.push_back(region.id);
  for (const HospitalState& hospital : initial.hospitals) {
    basis.push_back(HospitalToSaved(hospital));
  }
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char byte : basis.dump()) {
    hash = (hash ^ byte) * 1099511628211ULL;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

}  // namespace

std::string SavedStateToText(const HealthcareRegionConfig& config, const SpaceState& state) {
  Json hospitals = Json::array();
  for (const HospitalState& hospital : state.hospitals) {
    hospitals.push_back(HospitalToSaved(hospital));
  }
  Json regions = Json::array();
  for (const RegionState& region : state.regions) {
    regions.push_back({{"readiness", ReportedToJson(region.readiness, kWire)},
                       {"mi", ReportedToJson(region.major_incident, kBool)}});
  }
  Json messages = Json::array();
  for (const MessageState& message : state.messages) messages.push_back(MessageToSaved(message));
  Json decisions = Json::array();
  for (const DecisionRecord& record : state.decisions) {
    decisions.push_back(DecisionRecordToJson(record));
  }
  return Json{{"format", kSavedStateFormat},
              {"config", Fingerprint(config)},
              {"space", state.space},
              {"exercise", state.exercise},
              {"seq", state.seq},
              {"hospitals", hospitals},
              {"regions", regions},
              {"messages", messages},
              {"messages_posted", state.messages_posted},
              {"decisions", decisions},
              {"exercise_info", state.exercise_info ? ExerciseToSaved(*state.exercise_info)
                                                    : Json(nullptr)}}
      .dump();
}

Result<SpaceState> SavedStateFromText(const HealthcareRegionConfig& config,
                                                   const std::string& text) {
  try {
    const Json json = Json::parse(text);
    if (json.at("format") != kSavedStateFormat) {
      return MakeError("saved_state_format", "format", "written in another format");
    }
    if (json.at("config") != Fingerprint(config)) {
      return MakeError("saved_state_config", "config", "written for another configuration");
    }
    SpaceState state;
    state.space = json.at("space").get<std::string>();
    state.exercise = json.at("exercise").get<bool>();
    state.seq = json.at("seq").get<Seq>();
    for (const Json& hospital : json.at("hospitals")) {
      state.hospitals.push_back(HospitalFromSaved(hospital));
    }
    for (const Json& region : json.at("regions")) {
      state.regions.push_back(
          RegionState{ReportedFromJson<ReadinessLevel>(region.at("readiness"), kLevelFromJson),
                      ReportedFromJson<bool>(region.at("mi"), kBoolFrom)});
    }
    if (state.hospitals.size() != config.hospitals.size() ||
        state.regions.size() != config.regions.size()) {
      return MakeError("saved_state_config", "hospitals", "hospitals or regions do not match");
    }
    for (const Json& message : json.at("messages")) {
      state.messages.push_back(MessageFromSaved(message));
    }
    state.messages_posted = json.at("messages_posted").get<std::int64_t>();
    for (const Json& record : json.at("decisions")) {
      state.decisions.push_back(DecisionFromSaved(record));
    }
    if (!json.at("exercise_info").is_null()) {
      state.exercise_info = ExerciseFromSaved(json.at("exercise_info"));
    }
    return state;
  } catch (const std::exception& e) {  // parse, missing key, wrong type, unknown enum
    return MakeError("saved_state_corrupt", "", e.what());
  }
}

}  // namespace lagesbild
