#include "websocket_session.h"

#include <algorithm>

#include "http_answer.h"
#include "http_rules.h"
#include "sign_in.h"

#include "lagesbild/core/permissions.h"
#include "lagesbild/interop/have_read.h"
#include "lagesbild/log/log.h"
#include "lagesbild/server/scenario_files.h"
#include "lagesbild/server/url.h"

namespace lagesbild {
namespace {

// A connection that sends this many messages in a row that are refused as rate_limited is closed
// (1008): it is not a client that waits and retries.
constexpr int kMaxRateLimitedInARow = 1000;

}  // namespace

bool WebSocketSessions::Validate(ConnectionHandle handle) {
  auto connection = net_.Connection(handle);
  if (!connection || net_.shutting_down || ParseResource(connection->get_resource()).path != "/ws") {
    return false;
  }
  // A browser names the page that opens a WebSocket in Origin; only the server's own pages (or
  // a listed origin) may, so another site open in a browser on the hospital network cannot use
  // a signed-in duty officer's browser against it. Clients that are not browsers send no Origin.
  const std::string origin = connection->get_request_header("Origin");
  if (origin.empty() || OriginAllowed(origin, connection->get_request_header("Host"),
                                      net_.options.allowed_origins)) {
    return true;
  }
  ++net_.stats.origin_refused;
  AnswerError(*connection, websocketpp::http::status_code::forbidden,
              MakeError("origin_forbidden", "Origin",
                        "a page from " + TruncateUtf8(origin, 100) +
                            " may not open a WebSocket here (see --allow-origin)"));
  return false;
}

void WebSocketSessions::OnOpen(ConnectionHandle handle) {
  websocketpp::lib::error_code ec;
  if (net_.shutting_down) {  // a handshake in flight when shutdown began
    net_.endpoint.close(handle, websocketpp::close::status::going_away, "server shutting down", ec);
    return;
  }
  auto connection = net_.Connection(handle);
  if (!connection) return;
  Session& session = shared_.Open(handle, connection);
  const Resource resource = ParseResource(connection->get_resource());
  std::optional<Seq> since;
  if (auto text = QueryParam(resource, "since")) {
    since = ParseSeq(*text);
    if (!since) {
      shared_.SendError(handle, "", MakeError("bad_message", "since",
                                              "since must be a sequence number; sending a snapshot"));
    }
  }
  const std::string name = QueryParam(resource, "space").value_or(kLiveSpace);
  if (net_.options.require_sign_in) {
    // Nothing is read before a sign-in; the subscription asked for waits for it.
    session.waiting_subscription = std::make_unique<std::pair<std::string, std::optional<Seq>>>(name, since);
    shared_.SendError(handle, "", MakeError("sign_in_required", "",
                                            "this server shows its picture to signed-in users only: "
                                            "send hello with your token"));
    return;
  }
  shared_.Subscribe(handle, session, name, since);
}

void WebSocketSessions::OnMessage(ConnectionHandle handle, WsServer::message_ptr message) {
  Session* found = shared_.Find(handle);
  if (!found) return;
  Session& session = *found;
  if (message->get_opcode() != websocketpp::frame::opcode::text) {
    shared_.SendError(handle, "", MakeError("bad_json", "", "binary frames are not accepted; send JSON text"));
    return;
  }
  // A trainer's editor sends whole scenarios, a writer an EDXL-HAVE document to import; every
  // other message is small.
  const bool writer = session.signed_in && session.actor.role != Role::kViewer;
  auto parsed = ParseClientMessage(message->get_payload(),
                                   writer ? kMaxTrainerMessageBytes : kMaxClientMessageBytes);
  if (!session.frames.Take(net_.clock->Now())) {
    // Refused, with the message's id so the client knows what to send again. A connection that
    // goes on sending regardless is closed: it costs a parse per message and heeds nothing.
    ++net_.stats.rate_limited;
    if (++session.limited_in_a_row > kMaxRateLimitedInARow) {
      websocketpp::lib::error_code ec;
      net_.endpoint.close(handle, websocketpp::close::status::policy_violation,
                          "rate limit: too many messages", ec);
      return;
    }
    auto* request = std::get_if<ClientMessage>(&parsed);
    shared_.SendError(handle, request ? ClientMessageId(*request) : std::get<WireError>(parsed).id,
                      MakeError("rate_limited", "",
                                "more than " + std::to_string(static_cast<int>(net_.options.message_rate)) +
                                    " messages a second from this connection; nothing was done, "
                                    "send it again in a moment"));
    return;
  }
  session.limited_in_a_row = 0;
  // Only a scenario or a HAVE document may be larger than every other message.
  if (message->get_payload().size() > kMaxClientMessageBytes) {
    auto* request = std::get_if<ClientMessage>(&parsed);
    if (!request || (!std::holds_alternative<CheckScenarioRequest>(*request) &&
                     !std::holds_alternative<SaveScenarioRequest>(*request) &&
                     !std::holds_alternative<ImportHaveRequest>(*request))) {
      shared_.SendError(handle, request ? ClientMessageId(*request) : std::get<WireError>(parsed).id,
                        MakeError("message_too_large", "",
                                  "message is " + std::to_string(message->get_payload().size()) +
                                      " bytes; the limit is " + std::to_string(kMaxClientMessageBytes) +
                                      " (a scenario's or an EDXL-HAVE import's: " +
                                      std::to_string(kMaxTrainerMessageBytes) + ")"));
      return;
    }
  }
  if (auto* rejected = std::get_if<WireError>(&parsed)) {
    shared_.SendError(handle, rejected->id, rejected->error);
    return;
  }
  auto& request = std::get<ClientMessage>(parsed);
  if (auto* subscribe = std::get_if<SubscribeRequest>(&request)) {
    if (net_.options.require_sign_in && !session.signed_in) {
      session.waiting_subscription =
          std::make_unique<std::pair<std::string, std::optional<Seq>>>(subscribe->space, subscribe->since);
      shared_.SendError(handle, "", MakeError("sign_in_required", "", "send hello with your token first"));
      return;
    }
    shared_.Subscribe(handle, session, subscribe->space, subscribe->since);
  } else if (auto* hello = std::get_if<HelloRequest>(&request)) {
    const std::string address = ClientAddressOf(session.connection, net_.options);
    auto checked = CheckToken(net_, hello->token, address, "websocket");
    if (!checked.ok()) {
      shared_.SendError(handle, "", checked.error());
      return;
    }
    const SignInResult& result = checked.value();
    if (const auto& user = result.actor) {
      session.actor = *user;
      session.signed_in = true;
      session.expires_ms = result.expires_ms;
      log::Info("sign_in", {{"user", user->id}, {"role", std::string(WireName(user->role))},
                            {"address", address}});
      net_.audit.Succeeded(*user, address, "websocket", net_.clock->Now());
      shared_.Send(handle, WelcomeMessage(*user));
      if (auto waiting = std::move(session.waiting_subscription)) {
        shared_.Subscribe(handle, session, waiting->first, waiting->second);
      }
    } else {
      shared_.SendError(handle, "", MakeError("unauthorized", "token",
                                              result.failure + "; still signed in as " + session.actor.id));
    }
  } else if (auto* start = std::get_if<StartExerciseRequest>(&request)) {
    runner_.Start(handle, session.actor, std::move(*start));
  } else if (auto* control = std::get_if<ControlExerciseRequest>(&request)) {
    runner_.Control(handle, session.actor, std::move(*control));
  } else if (auto* reload = std::get_if<ReloadScenariosRequest>(&request)) {
    ReloadScenarios(handle, session, reload->id);
  } else if (auto* check = std::get_if<CheckScenarioRequest>(&request)) {
    editor_.Check(handle, session.actor, std::move(*check));
  } else if (auto* save = std::get_if<SaveScenarioRequest>(&request)) {
    editor_.Save(handle, session.actor, std::move(*save));
  } else if (auto* restore = std::get_if<RestoreScenarioRequest>(&request)) {
    editor_.Restore(handle, session.actor, *restore);
  } else if (auto* import = std::get_if<ImportHaveRequest>(&request)) {
    ImportHave(handle, session, std::move(*import));
  } else {
    HandleCommand(handle, session, std::get<CommandRequest>(std::move(request)));
  }
}

void WebSocketSessions::HandleCommand(ConnectionHandle handle, const Session& session,
                                      CommandRequest request) {
  if (net_.shutting_down) {
    shared_.SendError(handle, request.id,
                      MakeError("shutting_down", "", "the server is stopping; nothing was stored"));
    return;
  }
  if (auto refused = SpaceRefusal(request.space, session.actor)) {
    shared_.SendError(handle, request.id, *refused);
    return;
  }
  if (!shared_.Has(request.space)) {
    shared_.SendError(handle, request.id,
                      MakeError("unknown_space", "space", "no space '" + request.space + "'"));
    return;
  }
  // A refusal is answered here when storing it would only let a sender fill the disk: one that
  // has not signed in is refused without a record (it is nobody); a signed-in user's refusals
  // beyond the budget are counted into one summary a minute (RecordCountedRefusals). The engine
  // judges the rest with the same DenialReason() and stores their short record.
  const TimeMs now = net_.clock->Now();
  const bool exercise = shared_.Find(request.space)->state().exercise;
  if (auto reason = DenialReason(*net_.config, session.actor, request.body, exercise)) {
    if (!session.signed_in ||
        !refusals_.Admit(session.actor.id, request.space, std::string(CommandName(request.body)), now)) {
      ++net_.stats.refusals_counted;
      shared_.SendError(handle, request.id, MakeError("forbidden", "", *reason));
      return;
    }
    // Within the budget: stored as access_denied, and said in the log (as often, no more).
    log::Info("refused", {{"user", session.actor.id}, {"space", request.space},
                          {"command", std::string(CommandName(request.body))}, {"reason", *reason}});
  }
  if (!writes_.Take(now)) {
    ++net_.stats.rate_limited;
    shared_.SendError(handle, request.id,
                      MakeError("rate_limited", "",
                                "the server is taking more than " +
                                    std::to_string(static_cast<int>(net_.options.write_rate)) +
                                    " writes a second; nothing was stored, send it again in a moment"));
    return;
  }
  Command command{session.actor, runner_.CommandTime(request.space), std::move(request.body)};
  command.command_id = request.id;  // a repeat of a committed one is answered as already done
  net_.engine.Submit(request.space, std::move(command),
                     [this, handle, id = std::move(request.id)](const CommandOutcome& outcome) {
                       // Engine thread: only hand off.
                       asio::post(net_.io, [this, handle, id, outcome] {
                         if (outcome.error) {
                           shared_.SendError(handle, id, *outcome.error);
                         } else {
                           shared_.Send(handle, AckMessage(id, outcome.space, outcome.seq, outcome.already));
                         }
                       });
                     });
}

void WebSocketSessions::ImportHave(ConnectionHandle handle, const Session& session,
                                   ImportHaveRequest request) {
  // Who may write where is judged first, by the command path, once the hospitals are known; an
  // anonymous or viewer connection is refused before its document is parsed.
  if (!session.signed_in || session.actor.role == Role::kViewer) {
    shared_.SendError(handle, request.id,
                      MakeError("forbidden", "", "an EDXL-HAVE import needs a reporter, trainer or admin"));
    return;
  }
  const SpaceReplica* replica = shared_.Find(request.space);
  if (auto refused = SpaceRefusal(request.space, session.actor); refused || !replica) {
    shared_.SendError(handle, request.id,
                      refused ? *refused
                              : MakeError("unknown_space", "space", "no space '" + request.space + "'"));
    return;
  }
  auto reading = ReadHave(request.document);
  auto import = reading.ok() ? ImportFromHave(*net_.config, reading.value(), replica->state().exercise)
                             : Result<ImportReports>(reading.error());
  if (!import.ok()) {
    log::Info("import_refused", {{"user", session.actor.id}, {"space", request.space},
                                 {"detail", import.error().message}});
    shared_.SendError(handle, request.id, import.error());
    return;
  }
  HandleCommand(handle, session,
                CommandRequest{std::move(request.id), std::move(request.space), std::move(import).value()});
}

void WebSocketSessions::ReloadScenarios(ConnectionHandle handle, const Session& session,
                                        const std::string& id) {
  if (!RunsExercises(session.actor.role)) {
    shared_.SendError(handle, id, MakeError("forbidden", "", "only a trainer reloads the scenarios"));
    return;
  }
  if (reloading_) {
    shared_.SendError(handle, id, MakeError("busy", "", "the scenarios are being read already; try again"));
    return;
  }
  reloading_ = true;
  const bool queued = net_.reader.TrySubmit([this, handle, id](EventStore&) {
    // Reader thread: the disk reads happen here, never on the network thread.
    auto files = std::make_shared<const std::vector<ScenarioFile>>(
        LoadScenarioFiles(net_.options.scenarios_dir, *net_.config));
    asio::post(net_.io, [this, handle, id, files = std::move(files)] {
      reloading_ = false;
      runner_.set_catalogue(files);
      const auto broken = std::count_if(files->begin(), files->end(),
                                        [](const ScenarioFile& f) { return !f.scenario; });
      shared_.Send(handle, ScenariosReloadedMessage(id, files->size(), static_cast<std::size_t>(broken)));
    });
  });
  if (!queued) {
    reloading_ = false;
    shared_.SendError(handle, id, MakeError("busy", "", "the server is busy reading; try again in a moment"));
  }
}

void WebSocketSessions::RecordCountedRefusals(TimeMs now) {
  for (RefusalBudget::Counted& counted : refusals_.TakeEnded(now)) {
    if (!shared_.Has(counted.space)) continue;
    const std::string space = counted.space;
    net_.engine.Submit(space,
                       Command{SystemActor(), runner_.CommandTime(space),
                               RecordRefusals{counted.user, counted.commands, counted.count,
                                              counted.from, counted.to}},
                       [](const CommandOutcome&) {});
  }
}

void WebSocketSessions::RecheckSignIns(const UserDirectory* before, TimeMs now) {
  std::vector<std::pair<ConnectionHandle, std::string>> closing;
  shared_.ForEachSession([&](ConnectionHandle handle, const Session& session) {
    if (!session.signed_in) return;
    if (session.expires_ms && *session.expires_ms <= now) {
      closing.emplace_back(handle, "signed out: the token has expired");
    } else if (before) {
      const UserRecord* was = before->Find(session.actor.id);
      const UserRecord* is = net_.users->Find(session.actor.id);
      if (!is) {
        closing.emplace_back(handle, "signed out: the user was removed");
      } else if (!was || !(*was == *is)) {
        closing.emplace_back(handle, "signed out: the user was changed; sign in again");
      }
    }
  });
  for (const auto& [handle, reason] : closing) {
    log::Info("signed_out", {{"reason", reason}});
    websocketpp::lib::error_code ec;
    net_.endpoint.close(handle, websocketpp::close::status::policy_violation, reason, ec);
  }
}

}  // namespace lagesbild
