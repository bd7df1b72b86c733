#include "lagesbild/interop/cap.h"

#include <nlohmann/json.hpp>

#include "lagesbild/core/time_format.h"
#include "lagesbild/interop/words.h"
#include "lagesbild/interop/xml_writer.h"

namespace lagesbild {

namespace {

std::string RegionName(const HealthcareRegionConfig& config, const std::string& id) {
  const auto index = config.FindRegion(id);
  return index ? config.regions[*index].name : id;
}

const char* Severity(const std::optional<ReadinessLevel>& level) {
  if (!level) return "Unknown";
  switch (*level) {
    case ReadinessLevel::kNormal: return "Minor";
    case ReadinessLevel::kStaff: return "Moderate";
    case ReadinessLevel::kReinforced: return "Severe";
    case ReadinessLevel::kDisaster: return "Extreme";
  }
  return "Unknown";
}

// The header every alert and ack shares, up to and including `scope` and `addresses`.
void WriteHeader(xml::Writer& out, const std::string& identifier, const std::string& sender,
                 TimeMs sent, const SpaceState& state, const char* type,
                 const std::string& addresses) {
  out.Open("alert", {{"xmlns", kCapNamespace}});
  out.Leaf("identifier", identifier);
  out.Leaf("sender", sender);
  out.Leaf("sent", xml::DateTime(sent));
  out.Leaf("status", state.exercise ? "Exercise" : "Actual");
  out.Leaf("msgType", type);
  out.Leaf("source", "Lägesbild");
  out.Leaf("scope", "Private");
  out.Leaf("addresses", addresses);
}

std::string Joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

}  // namespace

std::string CapSender(const HealthcareRegionConfig& config) { return "lagesbild@" + config.id; }

std::string CapIdentifier(const HealthcareRegionConfig& config, const SpaceState& state,
                          const MessageState& message) {
  return "lagesbild." + config.id + "." + state.space + "." + std::to_string(message.seq);
}

std::string CapAlert(const HealthcareRegionConfig& config, const SpaceState& state,
                     const MessageState& message) {
  xml::Writer out;
  // Region ids have no spaces: CAP's space-separated address list takes them as they are.
  WriteHeader(out, CapIdentifier(config, state, message), CapSender(config), message.at, state,
              "Alert", Joined(message.addressees, " "));
  out.Leaf("code", "lagesbild:message=" + MessageId(state.space, message.seq));
  if (state.exercise) out.Leaf("note", ExerciseMark(state.space));
  out.Open("info");
  out.Leaf("language", "sv-SE");
  out.Leaf("category", "Health");
  const auto& level = message.content.level;
  out.Leaf("event", level ? "Larm: " + ReadinessWords(*level) : std::string("Larm"));
  out.Leaf("responseType", level == ReadinessLevel::kNormal ? "AllClear" : "Prepare");
  out.Leaf("urgency", "Immediate");
  out.Leaf("severity", Severity(level));
  out.Leaf("certainty", "Observed");
  out.Leaf("audience", "Sjukvårdens krisledning (TiB) i de larmade regionerna");
  std::string sender_name = message.content.sender.empty() ? "" : SenderWords(message.content.sender);
  if (sender_name.empty() && !message.from_region.empty()) {
    sender_name = RegionName(config, message.from_region);
  }
  if (sender_name.empty()) sender_name = config.name;
  out.Leaf("senderName", (state.exercise ? "ÖVNING – " : "") + sender_name);
  std::vector<std::string> names;
  for (const std::string& region : message.addressees) names.push_back(RegionName(config, region));
  out.Leaf("headline", (state.exercise ? "ÖVNING: " : "") + std::string("Larm till ") +
                           Joined(names, ", ") + (level ? ": " + ReadinessWords(*level) : ""));
  out.Leaf("description", message.content.text);
  out.Leaf("instruction", (level ? "Begärt beredskapsläge: " + ReadinessWords(*level) + ". " : "") +
                              "Kvittera larmet i Lägesbild.");
  if (level) {
    out.Open("parameter");
    out.Leaf("valueName", "lagesbild:readiness_level");
    out.Leaf("value", WireName(*level));
    out.Close();
  }
  for (const std::string& region : message.addressees) {
    out.Open("area");
    out.Leaf("areaDesc", RegionName(config, region));
    out.Open("geocode");
    out.Leaf("valueName", "lagesbild:region");
    out.Leaf("value", region);
    out.Close();
    out.Close();
  }
  out.Close();
  out.Close();
  return out.Finish();
}

std::string CapAck(const HealthcareRegionConfig& config, const SpaceState& state,
                   const MessageState& message, const std::string& region) {
  const Acknowledgement& ack = message.acks.at(region);
  const std::string alert = CapIdentifier(config, state, message);
  xml::Writer out;
  WriteHeader(out, alert + ".ack." + region, CapSender(config) + "." + region,
              ack.stamp.at.value_or(message.at), state, "Ack", CapSender(config));
  out.Leaf("note", (state.exercise ? "ÖVNING – " : "") + std::string("Kvitterat för ") +
                       RegionName(config, region) + " av " + ack.stamp.by);
  // CAP's reference form: sender,identifier,sent of the alert acknowledged.
  out.Leaf("references", CapSender(config) + "," + alert + "," + xml::DateTime(message.at));
  out.Close();
  return out.Finish();
}

std::string CapIndexJson(const HealthcareRegionConfig& config, const SpaceState& state) {
  using Json = nlohmann::json;
  Json alerts = Json::array();
  for (const MessageState& message : state.messages) {
    if (message.content.kind != MessageKind::kAlert) continue;
    const std::string id = MessageId(state.space, message.seq);
    const std::string href = "/api/cap?space=" + state.space + "&id=" + id;
    Json acks = Json::array();
    for (const auto& [region, ack] : message.acks) {
      acks.push_back({{"region", region},
                      {"at", ack.stamp.at ? Json(FormatUtc(*ack.stamp.at)) : Json(nullptr)},
                      {"by", ack.stamp.by},
                      {"href", href + "&ack=" + region}});
    }
    alerts.push_back({{"id", id},
                      {"identifier", CapIdentifier(config, state, message)},
                      {"sent", FormatUtc(message.at)},
                      {"level", message.content.level ? Json(WireName(*message.content.level))
                                                      : Json(nullptr)},
                      {"addressees", message.addressees},
                      {"pending", message.Pending()},
                      {"acks", std::move(acks)},
                      {"href", href}});
  }
  return Json{{"v", 1},
              {"space", state.space},
              {"exercise", state.exercise},
              {"status", state.exercise ? "Exercise" : "Actual"},
              {"sender", CapSender(config)},
              {"alerts", std::move(alerts)}}
      .dump();
}

}  // namespace lagesbild
