#include "lagesbild/core/saved_state.h"

#include <cstdint>

#include "lagesbild/core/digest.h"
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/time_format.h"

namespace lagesbild {
namespace {

// Raised when the layout of the text changes; older saved states are then replayed past.
// 2: messages are bounded (recent and open ones) and the state counts every message posted.
// 3: over capacity as data, not text. 4: decisions, major incidents, scripted messages; patient
// groups, transport figures, the time of the last event. 5: an exercise's scenario version and
// digest, dry runs. 6: surge72h per bed. 7: the committed commands' ids. (The catalogue space is
// never saved: its few events are replayed.)
constexpr int kSavedStateFormat = 7;

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
    out["s72"] = bed.surge72h;
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
    bed.surge72h = beds.at(i).at("s72").get<std::int64_t>();
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
    if (kind < 0 || kind > 2 || priority >= kAllTriage.size()) throw std::invalid_argument("over");
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
  Json groups = Json::array();
  for (const PatientGroup& g : info.patients) {
    groups.push_back({{"wave", g.wave}, {"location", g.location}, {"hospital", g.hospital},
                      {"arrives", g.arrives_ms ? Json(*g.arrives_ms) : Json(nullptr)},
                      {"p", Index(g.priority)}, {"count", g.count}, {"burns", g.burns},
                      {"since", g.since_ms}, {"judged", g.judged}});
  }
  Json waiting = Json::array();
  for (const WaitingWave& w : info.waiting_waves) {
    waiting.push_back({{"wave", w.wave}, {"location", w.location}, {"region", w.region},
                       {"transport", w.transport_minutes}});
  }
  Json rules = Json::array();
  for (const DeteriorationRule& r : info.deterioration) {
    rules.push_back({Index(r.from), r.to ? Json(Index(*r.to)) : Json(nullptr), r.after_minutes,
                     r.share_percent});
  }
  return {{"scenario_id", info.scenario_id}, {"scenario_name", info.scenario_name},
          {"start", info.start},             {"planned_ms", info.planned_ms},
          {"status", WireName(info.status)}, {"speed", info.speed},
          {"elapsed_ms", info.elapsed_ms},   {"patients", groups},
          {"waiting", waiting},              {"rules", rules},
          {"burns_need_icu", info.burns_need_icu},
          {"deceased_waiting", info.deceased_waiting},
          {"scenario_version", info.scenario_version},
          {"scenario_digest", info.scenario_digest},
          {"dry_run", info.dry_run}};
}

Triage TriageAt(const Json& json) {
  const std::size_t index = json.get<std::size_t>();
  if (index >= kAllTriage.size()) throw std::invalid_argument("priority");
  return kAllTriage[index];
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
  for (const Json& g : json.at("patients")) {
    PatientGroup group;
    group.wave = g.at("wave").get<std::string>();
    group.location = g.at("location").get<std::string>();
    group.hospital = g.at("hospital").get<std::string>();
    if (!g.at("arrives").is_null()) group.arrives_ms = g.at("arrives").get<std::int64_t>();
    group.priority = TriageAt(g.at("p"));
    group.count = g.at("count").get<std::int64_t>();
    group.burns = g.at("burns").get<std::int64_t>();
    group.since_ms = g.at("since").get<std::int64_t>();
    group.judged = g.at("judged").get<bool>();
    info.patients.push_back(std::move(group));
  }
  for (const Json& w : json.at("waiting")) {
    info.waiting_waves.push_back(WaitingWave{
        w.at("wave").get<std::string>(), w.at("location").get<std::string>(),
        w.at("region").get<std::string>(),
        w.at("transport").get<std::vector<std::pair<std::string, std::int64_t>>>()});
  }
  for (const Json& r : json.at("rules")) {
    info.deterioration.push_back(DeteriorationRule{
        TriageAt(r.at(0)), r.at(1).is_null() ? std::nullopt : std::optional<Triage>(TriageAt(r.at(1))),
        r.at(2).get<std::int64_t>(), r.at(3).get<std::int64_t>()});
  }
  info.burns_need_icu = json.at("burns_need_icu").get<bool>();
  info.scenario_version = json.at("scenario_version").get<std::int64_t>();
  info.scenario_digest = json.at("scenario_digest").get<std::string>();
  info.dry_run = json.at("dry_run").get<bool>();
  info.deceased_waiting = json.at("deceased_waiting").get<std::int64_t>();
  return info;
}

// Changes whenever anything the initial state is built from changes: a saved state written under
// another configuration must not be mixed with this one's figures.
std::string Fingerprint(const HealthcareRegionConfig& config) {
  const SpaceState initial = InitialState(config, "", false);
  Json basis = Json::array();
  for (const HospitalConfig& hospital : config.hospitals) basis.push_back(hospital.id);
  for (const RegionConfig& region : config.regions) basis.push_back(region.id);
  for (const HospitalState& hospital : initial.hospitals) {
    basis.push_back(HospitalToSaved(hospital));
  }
  return TextDigest(basis.dump());
}

}  // namespace

std::string SavedStateToText(const HealthcareRegionConfig& config, const SpaceState& state) {
  Json hospitals = Json::array();
  for (const HospitalState& hospital : state.hospitals) {
    hospitals.push_back(HospitalToSaved(hospital));
  }
  Json regions = Json::array();
  for (const RegionState& region : state.regions) {
    const TransportFigures& t = region.transport;
    regions.push_back({{"readiness", ReportedToJson(region.readiness, kWire)},
                       {"mi", ReportedToJson(region.major_incident, kBool)},
                       {"transport", {ReportedToJson(t.ambulances_available, kSame),
                                      ReportedToJson(t.ambulances_committed, kSame),
                                      ReportedToJson(t.helicopters_available, kSame),
                                      ReportedToJson(t.helicopters_committed, kSame)}},
                       {"receiving", region.receiving_hospitals}});
  }
  Json messages = Json::array();
  for (const MessageState& message : state.messages) messages.push_back(MessageToSaved(message));
  Json decisions = Json::array();
  for (const DecisionRecord& record : state.decisions) {
    decisions.push_back(DecisionRecordToJson(record));
  }
  Json committed = Json::array();  // [user, command id, seq, at], oldest first
  for (const CommittedCommands::Key& key : state.committed.order()) {
    const CommittedCommands::Entry* entry = state.committed.Find(key.first, key.second);
    if (entry) committed.push_back(Json::array({key.first, key.second, entry->seq, entry->at}));
  }
  return Json{{"format", kSavedStateFormat},
              {"config", Fingerprint(config)},
              {"space", state.space},
              {"exercise", state.exercise},
              {"seq", state.seq},
              {"at", state.at},
              {"hospitals", hospitals},
              {"regions", regions},
              {"messages", messages},
              {"messages_posted", state.messages_posted},
              {"decisions", decisions},
              {"committed", committed},
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
    state.at = json.at("at").get<TimeMs>();
    for (const Json& hospital : json.at("hospitals")) {
      state.hospitals.push_back(HospitalFromSaved(hospital));
    }
    for (const Json& region : json.at("regions")) {
      const Json& t = region.at("transport");
      state.regions.push_back(RegionState{
          ReportedFromJson<ReadinessLevel>(region.at("readiness"), kLevelFromJson),
          ReportedFromJson<bool>(region.at("mi"), kBoolFrom),
          TransportFigures{ReportedFromJson<std::int64_t>(t.at(0), kInt),
                           ReportedFromJson<std::int64_t>(t.at(1), kInt),
                           ReportedFromJson<std::int64_t>(t.at(2), kInt),
                           ReportedFromJson<std::int64_t>(t.at(3), kInt)},
          region.at("receiving").get<std::vector<std::string>>()});
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
    for (const Json& entry : json.at("committed")) {
      state.committed.Record(entry.at(0).get<std::string>(), entry.at(1).get<std::string>(),
                             entry.at(2).get<Seq>(), entry.at(3).get<TimeMs>());
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
