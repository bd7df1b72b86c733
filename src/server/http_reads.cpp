// The HTTP reads answered from the reader thread: a hospital's history, a page of messages, an
// exercise's review. Each job gets copies of what it needs from the network thread, reads the
// store, and posts its answer back; the connection itself is only touched on the network thread.
#include <limits>

#include "http_answer.h"
#include "http_session.h"

#include "lagesbild/core/core.h"
#include "lagesbild/core/event_log.h"
#include "lagesbild/core/http_wire.h"
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/permissions.h"
#include "lagesbild/core/review.h"
#include "lagesbild/core/time_format.h"
#include "lagesbild/core/wire.h"
#include "lagesbild/server/review_csv.h"

namespace lagesbild {
namespace {

// Reads (docs/protocol.md, "Limits"): history entries per answer, messages per page, events a
// review reads.
constexpr std::size_t kMaxHistoryEntries = 10000;
constexpr Seq kDefaultMessagePage = 50;
constexpr Seq kMaxMessagePage = 200;
constexpr std::size_t kMaxReviewEvents = 200000;

using Http = websocketpp::http::status_code::value;

std::optional<Event> ReadEvent(const StoredEvent& stored) {
  auto event = EventFromLog(stored.json);
  if (event.ok()) return std::move(event).value();
  return std::nullopt;
}

}  // namespace

bool HttpSessions::SubmitRead(const WsServer::connection_ptr& connection, Reader::Job job) {
  if (net_.reader.TrySubmit(std::move(job))) {
    connection->defer_http_response();
    return true;
  }
  connection->replace_header("Retry-After", "1");
  AnswerError(*connection, Http::service_unavailable,
              MakeError("busy", "", "too many reads waiting; try again in a second"));
  return false;
}

void HttpSessions::PostReadAnswer(WsServer::connection_ptr connection,
                                  const std::optional<Error>& error, std::string type,
                                  std::string body, bool head, std::string disposition) {
  if (error) {
    type = "application/json";
    body = ErrorMessage("", *error);
  }
  asio::post(net_.io, [connection = std::move(connection), type = std::move(type),
                       body = std::move(body), failed = error.has_value(), head,
                       disposition = std::move(disposition)]() mutable {
    if (!failed && !disposition.empty()) connection->replace_header("Content-Disposition", disposition);
    CompleteDeferred(*connection, failed ? Http::service_unavailable : Http::ok, type,
                     std::move(body), head);
  });
}

void HttpSessions::ServeHistory(WsServer::connection_ptr connection, const Resource& resource,
                                bool head) {
  const std::string hospital = QueryParam(resource, "hospital").value_or("");
  const std::string space = QueryParam(resource, "space").value_or(kLiveSpace);
  if (!net_.config->FindHospital(hospital)) {
    AnswerError(*connection, Http::not_found,
                MakeError("unknown_hospital", "hospital",
                          "no hospital '" + TruncateUtf8(hospital, kMaxIdLength) + "'"));
    return;
  }
  if (!shared_.Has(space)) {
    AnswerError(*connection, Http::not_found,
                MakeError("unknown_space", "space", "no space '" + TruncateUtf8(space, kMaxIdLength) + "'"));
    return;
  }
  std::optional<TimeMs> from = TimeMs{0};
  std::optional<TimeMs> to = std::numeric_limits<TimeMs>::max();
  if (auto text = QueryParam(resource, "from")) from = ParseUtc(*text);
  if (auto text = QueryParam(resource, "to")) to = ParseUtc(*text);
  if (!from || !to) {
    AnswerError(*connection, Http::bad_request,
                MakeError("bad_message", from ? "to" : "from",
                          "from and to must be UTC times like 2026-11-23T10:15:00Z"));
    return;
  }
  // The connection moves on to the network thread's handler: its last reference must not be
  // dropped on the reader thread (WebSocket++ runs single-threaded here).
  SubmitRead(connection, [this, connection, hospital, space, from, to, head](EventStore& store) mutable {
    auto read = store.ReadSubject(space, hospital, *from, *to, kMaxHistoryEntries + 1);
    const std::optional<Error> error = read.ok() ? std::nullopt : std::optional<Error>(read.error());
    std::vector<StoredEvent> events = read.ok() ? std::move(read).value() : std::vector<StoredEvent>();
    const bool truncated = events.size() > kMaxHistoryEntries;
    if (truncated) events.resize(kMaxHistoryEntries);
    std::vector<HistoryEntry> entries;
    for (const StoredEvent& event : events) {
      if (event.kind != "capacity_reported" && event.kind != "figures_confirmed") continue;
      HistoryEntry entry{event.seq, event.at, event.actor_id, event.kind, nullptr};
      if (event.kind == "capacity_reported") {
        const Json stored = Json::parse(event.json, nullptr, /*allow_exceptions=*/false);
        entry.report = stored.is_object() ? stored.value("report", Json::object()) : Json::object();
      }
      entries.push_back(std::move(entry));
    }
    PostReadAnswer(std::move(connection), error, "application/json",
                   HistoryMessage(hospital, space, entries, truncated), head);
  });
}

void HttpSessions::ServeMessages(WsServer::connection_ptr connection, const Resource& resource,
                                 bool head) {
  const std::string space = QueryParam(resource, "space").value_or(kLiveSpace);
  const SpaceReplica* replica = shared_.Find(space);
  if (!replica) {
    AnswerError(*connection, Http::not_found,
                MakeError("unknown_space", "space", "no space '" + TruncateUtf8(space, kMaxIdLength) + "'"));
    return;
  }
  std::optional<Seq> before = std::numeric_limits<Seq>::max();
  if (auto text = QueryParam(resource, "before")) before = ParseSeq(*text);
  std::optional<Seq> limit = kDefaultMessagePage;
  if (auto text = QueryParam(resource, "limit")) limit = ParseSeq(*text);
  if (!before || !limit || *limit < 1 || *limit > kMaxMessagePage) {
    AnswerError(*connection, Http::bad_request,
                MakeError("bad_message", before ? "limit" : "before",
                          "before must be a sequence number and limit 1-" + std::to_string(kMaxMessagePage)));
    return;
  }
  const auto open = QueryParam(resource, "open");
  if (open && *open != "true" && *open != "false") {
    AnswerError(*connection, Http::bad_request,
                MakeError("bad_message", "open", "open must be true or false"));
    return;
  }
  if (open && *open == "true") {
    // Open messages are all in the state (up to kOpenMessagesKept): served from the replica.
    const SpaceState& state = replica->state();
    std::vector<MessageState> page;
    std::optional<Seq> next;
    for (auto it = state.messages.rbegin(); it != state.messages.rend(); ++it) {
      if (it->seq >= *before || it->Pending().empty()) continue;
      if (page.size() == static_cast<std::size_t>(*limit)) {
        next = page.back().seq;
        break;
      }
      page.push_back(*it);
    }
    AnswerJson(*connection, Http::ok, MessagePageMessage(space, true, page, next), head);
    return;
  }
  SubmitRead(connection, [this, connection, space, before = *before, limit = *limit,
                          head](EventStore& store) mutable {
    // A page of posted messages, newest first, each with its acknowledgements.
    auto read = store.ReadKindBefore(space, "message_posted", before, static_cast<std::size_t>(limit) + 1);
    std::optional<Error> error = read.ok() ? std::nullopt : std::optional<Error>(read.error());
    std::vector<StoredEvent> posted = read.ok() ? std::move(read).value() : std::vector<StoredEvent>();
    const bool more = posted.size() > static_cast<std::size_t>(limit);
    if (more) posted.resize(static_cast<std::size_t>(limit));
    std::vector<MessageState> page;
    std::vector<Seq> unreadable;
    for (const StoredEvent& stored : posted) {
      if (error) break;
      const auto event = ReadEvent(stored);
      const auto* body = event ? std::get_if<MessagePosted>(&event->body) : nullptr;
      if (!body) {
        unreadable.push_back(stored.seq);  // reported, never dropped silently
        continue;
      }
      MessageState message = PostedMessage(*net_.config, *event, *body);
      auto acks = store.ReadSubject(space, MessageId(space, stored.seq), std::numeric_limits<TimeMs>::min(),
                                    std::numeric_limits<TimeMs>::max(), 1000);
      if (!acks.ok()) {
        error = acks.error();
        break;
      }
      for (const StoredEvent& ack : acks.value()) {
        const auto acked = ReadEvent(ack);
        const auto* ack_body = acked ? std::get_if<MessageAcknowledged>(&acked->body) : nullptr;
        if (ack_body) RecordAcknowledgement(message, *acked, *ack_body);
      }
      page.push_back(std::move(message));
    }
    const std::optional<Seq> older = more ? std::optional<Seq>(posted.back().seq) : std::nullopt;
    PostReadAnswer(std::move(connection), error, "application/json",
                   MessagePageMessage(space, false, page, older, unreadable), head);
  });
}

void HttpSessions::ServeReview(WsServer::connection_ptr connection, const Resource& resource,
                               const Actor& actor) {
  const std::string space = QueryParam(resource, "space").value_or("");
  const SpaceReplica* replica = shared_.Find(space);
  if (replica && space == kLiveSpace) {
    // Reading up to 200,000 live events is the reader's heaviest job: signed-in users only.
    if (actor.id == AnonymousViewer().id) {
      AnswerError(*connection, Http::unauthorized,
                  MakeError("sign_in_required", "",
                            "the after-action report of live operation is for signed-in users"));
      return;
    }
    ServeLiveReview(std::move(connection), resource);
    return;
  }
  if (!replica || !replica->state().exercise_info) {
    AnswerError(*connection, Http::not_found,
                MakeError("unknown_space", "space", "no exercise '" + TruncateUtf8(space, kMaxIdLength) + "'"));
    return;
  }
  // While the exercise runs its review shows what is still to come (injects, checkpoint
  // targets): trainers only. Once stopped it is open to the participants.
  const ExerciseStatus status = runner_.Status(space).value_or(replica->state().exercise_info->status);
  if (status != ExerciseStatus::kStopped && !RunsExercises(actor.role)) {
    const bool signed_in = actor.id != AnonymousViewer().id;
    AnswerError(*connection, signed_in ? Http::forbidden : Http::unauthorized,
                MakeError(signed_in ? "forbidden" : "sign_in_required", "",
                          "the review of a running exercise is shown to trainers only; "
                          "it opens to everyone when the exercise stops"));
    return;
  }
  const bool csv = QueryParam(resource, "format").value_or("") == "csv";
  // What the review needs from this thread, copied: the reader builds it.
  SpaceState state = replica->state();
  auto scenario = runner_.ScenarioOf(space, *state.exercise_info);
  const auto clock = runner_.ClockNow(space);
  const std::int64_t elapsed = clock ? clock->elapsed_ms : state.exercise_info->elapsed_ms;
  SubmitRead(connection, [this, connection, space, csv, state = std::move(state), scenario,
                          elapsed](EventStore& store) mutable {
    ReviewLog log = ReadReviewLog(store, space, std::nullopt, std::nullopt);
    Json review = BuildReview(*net_.config, scenario.get(), state, log.events, elapsed);
    AnswerReview(std::move(connection), log, std::move(review), csv, "OVNING-" + space);
  });
}

HttpSessions::ReviewLog HttpSessions::ReadReviewLog(EventStore& store, const std::string& space,
                                                    std::optional<TimeMs> from,
                                                    std::optional<TimeMs> to) {
  // Read the log (at most kMaxReviewEvents) and keep the period's events.
  ReviewLog log;
  auto read = store.ReadAfter(space, 0, kMaxReviewEvents + 1);
  if (!read.ok()) log.error = read.error();
  std::vector<StoredEvent> stored = read.ok() ? std::move(read).value() : std::vector<StoredEvent>();
  log.truncated = stored.size() > kMaxReviewEvents;
  if (log.truncated) stored.resize(kMaxReviewEvents);
  log.events.reserve(stored.size());
  log.unreadable = Json::array();
  for (const StoredEvent& entry : stored) {
    if (auto event = ReadEvent(entry)) {
      if ((from && event->at < *from) || (to && event->at > *to)) continue;
      log.events.push_back(std::move(*event));
    } else {
      log.unreadable.push_back(entry.seq);
    }
  }
  return log;
}

void HttpSessions::AnswerReview(WsServer::connection_ptr connection, ReviewLog& log, Json review,
                                bool csv, const std::string& file_name) {
  review["truncated"] = log.truncated;  // the review covers only the first kMaxReviewEvents
  review["events_read"] = log.events.size();
  review["unreadable"] = std::move(log.unreadable);
  if (csv) {
    PostReadAnswer(std::move(connection), log.error, "text/csv; charset=utf-8",
                   ReviewCsv(*net_.config, review), false,
                   "attachment; filename=\"" + file_name + ".csv\"");
  } else {
    PostReadAnswer(std::move(connection), log.error, "application/json",
                   Envelope(std::move(review)), false);
  }
}

// Live operation's after-action report: the same indicators over a period (from/to, ISO 8601).
void HttpSessions::ServeLiveReview(WsServer::connection_ptr connection, const Resource& resource) {
  std::optional<TimeMs> from, to;
  for (auto [name, out] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    if (auto text = QueryParam(resource, name)) {
      *out = ParseUtc(*text);
      if (!*out) {
        AnswerError(*connection, Http::bad_request,
                    MakeError("invalid_value", name,
                              std::string(name) + " must be a time like 2026-11-23T10:15:00Z"));
        return;
      }
    }
  }
  const bool csv = QueryParam(resource, "format").value_or("") == "csv";
  SpaceState state = shared_.Find(kLiveSpace)->state();
  const TimeMs now = net_.clock->Now();
  SubmitRead(connection, [this, connection, csv, state = std::move(state), from, to,
                          now](EventStore& store) mutable {
    ReviewLog log = ReadReviewLog(store, kLiveSpace, from, to);
    const TimeMs start = from ? *from : log.events.empty() ? now : log.events.front().at;
    const TimeMs end = to ? std::min(*to, now) : now;
    Json review = BuildReview(*net_.config, nullptr, state, log.events, end - start, start);
    AnswerReview(std::move(connection), log, std::move(review), csv, "LIVE-" + FormatUtc(start).substr(0, 10));
  });
}

}  // namespace lagesbild
