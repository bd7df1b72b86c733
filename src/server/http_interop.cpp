// GET /api/have and GET /api/cap: the standard exports (interop/have.h, interop/cap.h), made on
// the network thread from its replica of the space (a few kilobytes per hospital or larm).
#include "http_answer.h"
#include "http_session.h"

#include "lagesbild/core/time_format.h"
#include "lagesbild/interop/cap.h"
#include "lagesbild/interop/have.h"

namespace lagesbild {

namespace {

constexpr const char* kXml = "application/xml; charset=utf-8";

}  // namespace

const SpaceReplica* HttpSessions::ReplicaOrAnswer(WsServer::connection_type& connection,
                                                  const Resource& resource) {
  const std::string name = QueryParam(resource, "space").value_or(kLiveSpace);
  const SpaceReplica* replica = shared_.Find(name);
  if (!replica) {
    AnswerError(connection, websocketpp::http::status_code::not_found,
                MakeError("unknown_space", "space",
                          "no space '" + TruncateUtf8(name, kMaxIdLength) + "'"));
  }
  return replica;
}

TimeMs HttpSessions::SpaceNow(const SpaceState& state) const {
  if (!state.exercise_info) return net_.clock->Now();
  const ExerciseInfo& info = *state.exercise_info;
  const auto clock = runner_.ClockNow(state.space);
  return info.start + (clock ? clock->elapsed_ms : info.elapsed_ms);
}

void HttpSessions::ServeHave(WsServer::connection_type& connection, const Resource& resource,
                             bool head) {
  using Http = websocketpp::http::status_code::value;
  const SpaceReplica* replica = ReplicaOrAnswer(connection, resource);
  if (!replica) return;
  const SpaceState& state = replica->state();
  HaveRequest request;
  request.now = SpaceNow(state);
  if (auto hospital = QueryParam(resource, "hospital")) {
    request.hospital = net_.config->FindHospital(*hospital);
    if (!request.hospital) {
      AnswerError(connection, Http::not_found,
                  MakeError("unknown_hospital", "hospital",
                            "no hospital '" + TruncateUtf8(*hospital, kMaxIdLength) + "'"));
      return;
    }
  }
  const std::string envelope = QueryParam(resource, "envelope").value_or("");
  if (!envelope.empty() && envelope != "de") {
    AnswerError(connection, Http::bad_request,
                MakeError("invalid_value", "envelope", "envelope must be de (EDXL-DE) or left out"));
    return;
  }
  request.envelope = envelope == "de";
  Answer(connection, Http::ok, kXml, HaveDocument(*net_.config, state, request), head);
}

void HttpSessions::ServeCap(WsServer::connection_type& connection, const Resource& resource,
                            bool head) {
  using Http = websocketpp::http::status_code::value;
  const SpaceReplica* replica = ReplicaOrAnswer(connection, resource);
  if (!replica) return;
  const SpaceState& state = replica->state();
  const auto id = QueryParam(resource, "id");
  if (!id) {
    AnswerJson(connection, Http::ok, CapIndexJson(*net_.config, state), head);
    return;
  }
  const MessageState* message = state.FindMessage(*id);
  if (!message || message->content.kind != MessageKind::kAlert) {
    AnswerError(connection, Http::not_found,
                MakeError("unknown_message", "id",
                          message ? "message " + *id + " is no larm (alert)"
                          : MessageMayBeArchived(state, *id)
                              ? "larm " + TruncateUtf8(*id, 2 * kMaxIdLength) +
                                    " is no longer held (only recent and open messages are); "
                                    "read it in GET /api/messages"
                              : "no larm " + TruncateUtf8(*id, 2 * kMaxIdLength)));
    return;
  }
  if (auto region = QueryParam(resource, "ack")) {
    if (message->acks.count(*region) == 0) {
      AnswerError(connection, Http::not_found,
                  MakeError("unknown_message", "ack",
                            "no acknowledgement of " + *id + " for '" +
                                TruncateUtf8(*region, kMaxIdLength) + "'"));
      return;
    }
    Answer(connection, Http::ok, kXml, CapAck(*net_.config, state, *message, *region), head);
    return;
  }
  Answer(connection, Http::ok, kXml, CapAlert(*net_.config, state, *message), head);
}

}  // namespace lagesbild
