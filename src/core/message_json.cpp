// The JSON of status messages (meddelanden): their content as sent and as read back, and a
// message's record with its acknowledgements (json_mapping.h).
#include <set>

#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/time_format.h"
#include "lagesbild/core/wire.h"
#include "json_read.h"

namespace lagesbild {

Json MessageContentToJson(const MessageContent& content) {
  Json out{{"kind", WireName(content.kind)}, {"text", content.text}};
  out["to"] = content.to_all ? Json("all") : Json(content.to);
  if (!content.fields.empty()) {
    Json& fields = out["fields"] = Json::object();
    for (const auto& [key, value] : content.fields) fields[key] = value;
  }
  if (content.methane) {
    Json& methane = out["methane"] = Json::object();
    for (std::size_t i = 0; i < kMethaneFields.size(); ++i) {
      methane[std::string(kMethaneFields[i])] = (*content.methane)[i];
    }
  }
  if (content.level) out["level"] = WireName(*content.level);
  if (content.requires_ack) out["requires_ack"] = true;
  if (!content.sender.empty()) out["sender"] = content.sender;
  return out;
}

Json MessageToJson(const std::string& space, const MessageState& message) {
  Json out = MessageContentToJson(message.content);
  out["id"] = MessageId(space, message.seq);
  out["seq"] = message.seq;
  out["at"] = FormatUtc(message.at);
  out["from"] = message.from_region.empty() ? Json(nullptr) : Json(message.from_region);
  out["sent_by"] = message.sent_by;
  out["to"] = message.addressees;
  out["to_all"] = message.content.to_all;
  if (!out.contains("fields")) out["fields"] = Json::object();
  if (!out.contains("methane")) out["methane"] = nullptr;
  if (!out.contains("level")) out["level"] = nullptr;
  out["requires_ack"] = message.RequiresAck();
  if (!out.contains("sender")) out["sender"] = nullptr;
  out["scripted"] = message.scripted;
  Json& acks = out["acks"] = Json::object();
  for (const auto& [region, ack] : message.acks) {
    acks[region] = {{"at", FormatUtc(*ack.stamp.at)}, {"by", ack.stamp.by}, {"seq", ack.seq}};
  }
  out["pending"] = message.Pending();
  return out;
}

Result<MessageContent> MessageContentFromJson(const Json& object, InputLimits limits) {
  const bool client = limits == InputLimits::kClient;
  MessageContent content;
  std::optional<MessageKind> kind;
  auto it = object.find("kind");
  if (it == object.end()) return MakeError("bad_message", "kind", "kind is missing");
  if (auto error = ReadEnum(*it, "kind", ParseMessageKind,
                            "situation_report, methane, alert, information", &kind)) {
    return *error;
  }
  content.kind = *kind;
  it = object.find("to");
  if (it == object.end()) return MakeError("bad_message", "to", "to is missing");
  if (it->is_string() && it->get_ref<const std::string&>() == "all") {
    content.to_all = true;
  } else if (it->is_array()) {
    for (const Json& region : *it) {
      if (!region.is_string() || (client && region.get_ref<const std::string&>().size() > 64)) {
        return MakeError("bad_message", "to", "to must list region ids (texts)");
      }
      content.to.push_back(region.get<std::string>());
    }
    if (client && content.to.size() > 64) return MakeError("invalid_value", "to", "too many addressees");
  } else {
    return MakeError("bad_message", "to", "to must be \"all\" or a list of region ids");
  }
  if (it = object.find("text"); it != object.end()) {
    if (!it->is_string()) return MakeError("bad_message", "text", "text must be a text");
    content.text = it->get<std::string>();
  }
  if (it = object.find("fields"); it != object.end()) {
    if (!it->is_object()) return MakeError("bad_message", "fields", "fields must be an object");
    if (client && it->size() > 20) return MakeError("invalid_value", "fields", "at most 20 fields are allowed");
    for (const auto& item : it->items()) {
      if (!item.value().is_string()) {
        return MakeError("bad_message", "fields." + item.key(), "every field must be a text");
      }
      content.fields.emplace_back(item.key(), item.value().get<std::string>());
    }
  }
  if (it = object.find("methane"); it != object.end() && !it->is_null()) {
    if (!it->is_object()) return MakeError("bad_message", "methane", "methane must be an object");
    std::array<std::string, kMethaneFields.size()> methane;
    for (const auto& item : it->items()) {
      auto known = std::find(kMethaneFields.begin(), kMethaneFields.end(), item.key());
      if (known == kMethaneFields.end()) {
        return MakeError("bad_message", "methane." + item.key(),
                         "unknown METHANE field '" + item.key() + "'");
      }
      if (!item.value().is_string()) {
        return MakeError("bad_message", "methane." + item.key(), "METHANE fields are texts");
      }
      methane[static_cast<std::size_t>(known - kMethaneFields.begin())] = item.value().get<std::string>();
    }
    content.methane = methane;
  }
  if (it = object.find("level"); it != object.end() && !it->is_null()) {
    if (auto error = ReadEnum(*it, "level", ParseReadinessLevel,
                              "normal, staff, reinforced, disaster", &content.level)) {
      return *error;
    }
  }
  if (it = object.find("requires_ack"); it != object.end()) {
    if (!it->is_boolean()) return MakeError("bad_message", "requires_ack", "requires_ack must be true or false");
    content.requires_ack = it->get<bool>();
  }
  if (it = object.find("sender"); it != object.end() && !it->is_null()) {
    if (!it->is_string() || it->get_ref<const std::string&>().size() > kMaxIdLength) {
      return MakeError("bad_message", "sender", "sender must be a text");
    }
    content.sender = it->get<std::string>();
  }
  return content;
}

}  // namespace lagesbild
