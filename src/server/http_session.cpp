#include "http_session.h"

#include "http_answer.h"
#include "metrics.h"
#include "sign_in.h"

#include "lagesbild/core/http_wire.h"
#include "lagesbild/core/permissions.h"
#include "lagesbild/core/time_format.h"
#include "lagesbild/core/wire.h"
#include "lagesbild/log/log.h"

namespace lagesbild {

void HttpSessions::OnHttp(ConnectionHandle handle) {
  auto connection = net_.Connection(handle);
  if (!connection) return;
  using Http = websocketpp::http::status_code::value;
  const std::string& method = connection->get_request().get_method();
  const bool head = method == "HEAD";
  const Resource resource = ParseResource(connection->get_resource());
  if (method != "GET" && method != "HEAD") {
    connection->replace_header("Allow", "GET, HEAD");
    AnswerError(*connection, Http::method_not_allowed,
                MakeError("method_not_allowed", "",
                          "only GET and HEAD are served over HTTP; write over WebSocket"));
    return;
  }
  const bool api = resource.path.rfind("/api/", 0) == 0;
  auto actor = HttpActor(connection);
  if (const Error* refused = actor.ok() ? nullptr : &actor.error()) {
    if (refused->code == "too_many_attempts") {
      connection->replace_header("Retry-After", "60");
      AnswerError(*connection, Http::too_many_requests, *refused);
      return;
    }
    connection->replace_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    AnswerError(*connection, Http::unauthorized, *refused);
    return;
  }
  const Actor& user = actor.value();
  const bool signed_in = user.id != AnonymousViewer().id;
  if (api && net_.options.require_sign_in && !signed_in) {
    AnswerError(*connection, Http::unauthorized,
                MakeError("sign_in_required", "Authorization",
                          "this server shows its picture to signed-in users only: "
                          "send Authorization: Bearer <token>"));
    return;
  }
  // The catalogue is no space to read; a dry run is the trainers' alone.
  if (auto space = QueryParam(resource, "space"); api && space) {
    if (auto refused = SpaceRefusal(*space, user)) {
      const bool forbidden = refused->code == "forbidden";
      AnswerError(*connection,
                  !forbidden ? Http::not_found : signed_in ? Http::forbidden : Http::unauthorized,
                  *refused);
      return;
    }
  }
  if (resource.path == "/healthz") {
    const bool detailed = !net_.options.require_sign_in || signed_in;
    AnswerJson(*connection, net_.engine.StoreFault() ? Http::service_unavailable : Http::ok,
               HealthJson(detailed), head);
  } else if (resource.path == "/metrics") {
    if ((net_.options.metrics_sign_in || net_.options.require_sign_in) && !signed_in) {
      connection->replace_header("WWW-Authenticate", "Bearer");
      AnswerError(*connection, Http::unauthorized,
                  MakeError("sign_in_required", "", "/metrics needs a token here (--metrics-sign-in)"));
    } else {
      Answer(*connection, Http::ok, "text/plain; version=0.0.4; charset=utf-8",
             MetricsText(net_, shared_, listener_.limits(), neighbours_.states()), head);
    }
  } else if (resource.path == "/api/state") {
    ServeState(*connection, resource, head);
  } else if (resource.path == "/api/have") {
    ServeHave(*connection, resource, head);
  } else if (resource.path == "/api/cap") {
    ServeCap(*connection, resource, head);
  } else if (resource.path == "/api/summary") {
    ServeSummary(*connection, resource, head);
  } else if (resource.path == "/api/scenarios" || resource.path == "/api/scenario") {
    // The script of every exercise (injects, checkpoints) is the trainers' alone.
    if (!RunsExercises(user.role)) {
      AnswerError(*connection, signed_in ? Http::forbidden : Http::unauthorized,
                  MakeError(signed_in ? "forbidden" : "sign_in_required", "",
                            "the scenarios are shown to trainers only"));
    } else if (resource.path == "/api/scenario") {
      ServeScenarioText(*connection, resource, head);
    } else {
      AnswerJson(*connection, Http::ok, editor_.ListJson(), head);
    }
  } else if (resource.path == "/api/spaces") {
    AnswerJson(*connection, Http::ok, SpacesJson(user), head);
  } else if (resource.path == "/api/review") {
    ServeReview(connection, resource, user);
  } else if (resource.path == "/api/history") {
    ServeHistory(connection, resource, head);
  } else if (resource.path == "/api/messages") {
    ServeMessages(connection, resource, head);
  } else if (resource.path == "/api/neighbours") {
    // The live boards' neighbours section (neighbour_watch.h), now.
    AnswerJson(*connection, Http::ok, neighbours_.Message(), head);
  } else if (const StaticFile* file = files_.Find(resource.path)) {
    Answer(*connection, Http::ok, file->content_type, file->content, head);
  } else {
    Answer(*connection, Http::not_found, "text/plain; charset=utf-8",
           "404 – finns inte: " + TruncateUtf8(resource.path, 200) + "\n", head);
  }
}

void HttpSessions::ServeState(WsServer::connection_type& connection, const Resource& resource,
                              bool head) {
  using Http = websocketpp::http::status_code::value;
  const SpaceReplica* replica = ReplicaOrAnswer(connection, resource);
  if (!replica) return;
  const TimeMs now = net_.clock->Now();
  std::optional<TimeMs> at = now;
  if (auto text = QueryParam(resource, "at")) at = ParseUtc(*text);
  if (!at) {
    AnswerError(connection, Http::bad_request,
                MakeError("bad_message", "at", "at must be a UTC time like 2026-11-23T10:15:00Z"));
    return;
  }
  AnswerJson(connection, Http::ok,
             StateApiMessage(*net_.config, replica->state(), now, *at,
                             runner_.ClockNow(replica->state().space)), head);
}

void HttpSessions::ServeScenarioText(WsServer::connection_type& connection,
                                     const Resource& resource, bool head) {
  using Http = websocketpp::http::status_code::value;
  const std::string id = QueryParam(resource, "id").value_or("");
  std::int64_t version = 0;
  if (auto text = QueryParam(resource, "version")) {
    auto parsed = ParseSeq(*text);
    if (!parsed || *parsed < 1) {
      AnswerError(connection, Http::bad_request,
                  MakeError("invalid_value", "version", "version must be a version number (1 or more)"));
      return;
    }
    version = *parsed;
  }
  auto text = IsScenarioId(id) ? editor_.Text(id, version)
                               : Result<std::string>(MakeError("unknown_scenario", "id", "no such scenario id"));
  if (!text.ok()) {
    AnswerError(connection, Http::not_found, text.error());
    return;
  }
  if (QueryParam(resource, "download").value_or("") == "1") {
    // The id is a-z, 0-9 and '-' only: safe in the header as it is.
    connection.replace_header("Content-Disposition", "attachment; filename=\"" + id + ".json\"");
  }
  Answer(connection, Http::ok, "application/json; charset=utf-8", std::move(text).value(), head);
}

Result<Actor> HttpSessions::HttpActor(const WsServer::connection_ptr& connection) const {
  const std::string header = connection->get_request_header("Authorization");
  if (header.empty()) return AnonymousViewer();
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0 ||
      header.size() > kBearer.size() + kMaxTokenLength) {
    return MakeError("unauthorized", "Authorization", "Authorization must be: Bearer <token>");
  }
  auto checked = CheckToken(net_, std::string_view(header).substr(kBearer.size()),
                            ClientAddressOf(connection, net_.options), "http");
  if (!checked.ok()) return checked.error();
  if (checked->actor) return *checked->actor;
  return MakeError("unauthorized", "Authorization", checked->failure);
}

std::string HttpSessions::HealthJson(bool detailed) const {
  const auto fault = net_.engine.StoreFault();
  HealthReport report;
  report.status = net_.shutting_down ? "stopping" : fault ? "store_failed" : "ok";
  if (fault) report.reason = fault->message;
  report.detailed = detailed;
  report.tls = net_.endpoint.is_secure();
  report.insecure_plaintext = !report.tls && net_.options.insecure_plaintext && !listener_.loopback();
  for (const auto& [name, replica] : shared_.replicas()) report.spaces.emplace_back(name, replica.state().seq);
  const ServerStats& stats = net_.stats;
  const ConnectionLimits& limits = listener_.limits();
  const auto count = [](std::size_t n) { return static_cast<std::int64_t>(n); };
  report.connections = {{"open", count(shared_.open())},
                        {"accepted_open", count(limits.open())},
                        {"max", count(limits.total_cap())},
                        {"max_per_address", count(limits.per_address_cap())},
                        {"refused_at_cap", stats.refused_at_cap},
                        {"accept_failures", stats.accept_failures},
                        {"origin_refused", stats.origin_refused},
                        {"sign_ins_failed", stats.sign_ins_failed},
                        {"sign_ins_throttled", stats.sign_ins_throttled},
                        {"lagging", count(shared_.lagging())},
                        {"lagging_detected", stats.lagging_detected},
                        {"resynced", stats.resynced},
                        {"closed_slow", stats.closed_slow},
                        {"closed_no_pong", stats.closed_no_pong}};
  report.limits = {{"rate_limited", stats.rate_limited},
                   {"refusals_not_stored", stats.refusals_counted},
                   {"faults", stats.faults},
                   {"reads_queued", count(net_.reader.queued())},
                   {"reads_refused", count(net_.reader.refused())}};
  return HealthMessage(report);
}

std::string HttpSessions::SpacesJson(const Actor& actor) const {
  std::vector<SpaceListing> spaces;
  for (const auto& [name, replica] : shared_.replicas()) {
    if (SpaceRefusal(name, actor)) continue;  // the catalogue; dry runs but for trainers
    const SpaceState& state = replica.state();
    spaces.push_back({name, state.exercise, state.seq, state.exercise_info, runner_.ClockNow(name)});
  }
  return SpacesMessage(spaces, net_.clock->Now());
}

}  // namespace lagesbild
