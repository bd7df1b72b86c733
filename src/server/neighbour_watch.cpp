#include "neighbour_watch.h"

#include <sys/stat.h>

#include <cctype>
#include <fstream>

#include "lagesbild/interop/have_read.h"
#include "lagesbild/log/log.h"

namespace lagesbild {
namespace {

constexpr std::size_t kMaxTokenFileBytes = 4096;

Error FeedError(const NeighbourFeedConfig& feed, const std::string& what) {
  return MakeError("config", "neighbours", "neighbour '" + feed.name + "': " + what);
}

Result<std::string> ReadToken(const NeighbourFeedConfig& feed) {
  struct stat info {};
  if (::stat(feed.token_file.c_str(), &info) != 0) {
    return FeedError(feed, "cannot read token_file " + feed.token_file);
  }
  if ((info.st_mode & 077) != 0) {
    return FeedError(feed, "token_file " + feed.token_file +
                               " is readable or writable by others: chmod 600 it");
  }
  std::ifstream in(feed.token_file, std::ios::binary);
  std::string token(kMaxTokenFileBytes + 1, '\0');
  in.read(token.data(), static_cast<std::streamsize>(token.size()));
  token.resize(static_cast<std::size_t>(in.gcount()));
  if (token.size() > kMaxTokenFileBytes) return FeedError(feed, "token_file is too long");
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  for (char c : token) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return FeedError(feed, "token_file must hold one token of printable characters");
    }
  }
  if (token.empty()) return FeedError(feed, "token_file is empty");
  return token;
}

Result<std::shared_ptr<asio::ssl::context>> ClientContext(const NeighbourFeedConfig& feed) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  asio::error_code error;
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                           asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                           asio::ssl::context::no_tlsv1_1 | asio::ssl::context::no_compression,
                       error);
  if (!error) context->set_verify_mode(asio::ssl::verify_peer, error);
  if (!error) {
    if (feed.ca_file.empty()) {
      context->set_default_verify_paths(error);
    } else {
      context->load_verify_file(feed.ca_file, error);
    }
  }
  if (error) {
    return FeedError(feed, (feed.ca_file.empty() ? std::string("the system's certificates")
                                                 : "ca_file " + feed.ca_file) +
                               ": " + error.message());
  }
  return context;
}

// What the answer says, or why it says nothing usable.
Result<std::vector<NeighbourHospital>> ReadAnswer(const NeighbourFeedConfig& feed,
                                                  const std::string& body) {
  auto reading = ReadHave(body);
  if (!reading.ok()) {
    // The problems themselves (the reader's message speaks of an import, which this is not).
    const std::vector<std::string>& problems = reading.error().details;
    std::string detail = problems.empty() ? reading.error().message : "";
    for (std::size_t i = 0; i < problems.size() && i < 3; ++i) {
      detail += (i ? "; " : "") + problems[i];
    }
    if (problems.size() > 3) detail += "; …";
    return MakeError("invalid_have", "", detail);
  }
  return NeighbourHospitalsFromHave(feed, reading.value());
}

}  // namespace

std::optional<Error> NeighbourWatch::Open() {
  const auto& configs = net_.config->neighbours;
  feeds_.resize(configs.size());
  states_.assign(configs.size(), NeighbourFeedState{});
  for (std::size_t i = 0; i < configs.size(); ++i) {
    const NeighbourFeedConfig& config = configs[i];
    Feed& feed = feeds_[i];
    feed.timer = std::make_unique<asio::steady_timer>(net_.io);
    if (!config.token_file.empty()) {
      auto token = ReadToken(config);
      if (!token.ok()) return token.error();
      feed.token = std::move(token).value();
    }
    if (config.url.tls) {
      auto context = ClientContext(config);
      if (!context.ok()) return context.error();
      feed.tls = std::move(context).value();
    } else if (!feed.token.empty()) {
      log::Warning("neighbour_plaintext", {{"feed", config.name},
                                           {"detail", "the feed's token travels in clear text"}});
    }
  }
  return std::nullopt;
}

void NeighbourWatch::Start() {
  if (feeds_.empty()) return;
  Publish();  // every feed waiting for its first answer
  for (std::size_t i = 0; i < feeds_.size(); ++i) Fetch(i);
}

void NeighbourWatch::Stop() {
  stopped_ = true;
  for (Feed& feed : feeds_) {
    if (feed.timer) feed.timer->cancel();
    if (feed.fetch) feed.fetch->Cancel();
    feed.fetch.reset();
  }
}

std::string NeighbourWatch::Message() const {
  return NeighboursMessage(net_.config->neighbours, states_, net_.clock->Now(),
                           net_.config->stale_after_minutes);
}

void NeighbourWatch::Fetch(std::size_t index) {
  if (stopped_) return;
  const NeighbourFeedConfig& config = net_.config->neighbours[index];
  Feed& feed = feeds_[index];
  FetchRequest request;
  request.url = config.url;
  request.bearer = feed.token;
  request.timeout = std::chrono::seconds(config.timeout_seconds);
  request.tls = feed.tls;
  request.max_body = kMaxHaveBytes;
  feed.started = std::chrono::steady_clock::now();
  feed.fetch = FeedFetch::Start(net_.io, std::move(request), [this, index](FetchOutcome outcome) {
    Answered(index, std::move(outcome));
  });
}

void NeighbourWatch::Answered(std::size_t index, FetchOutcome outcome) {
  const NeighbourFeedConfig& config = net_.config->neighbours[index];
  Feed& feed = feeds_[index];
  NeighbourFeedState& state = states_[index];
  feed.fetch.reset();  // the handler calling this holds the fetch until it returns
  const TimeMs now = net_.clock->Now();
  std::optional<FeedProblem> problem = std::move(outcome.problem);
  std::vector<NeighbourHospital> hospitals;
  if (!problem) {
    auto read = ReadAnswer(config, outcome.body);
    if (read.ok()) {
      hospitals = std::move(read).value();
    } else {
      const bool exercise = read.error().field == "distributionStatus";
      problem = FeedProblem{exercise ? "exercise" : "invalid_have", read.error().message};
    }
  }
  if (problem) {
    const std::string code = problem->code, detail = problem->detail;
    if (RecordFailure(state, now, std::move(*problem))) {
      log::Warning("neighbour_failing", {{"feed", config.name}, {"url", config.url.text},
                                         {"problem", code}, {"detail", detail}});
    }
  } else if (RecordAnswer(state, now, std::move(hospitals))) {
    log::Info("neighbour_answering", {{"feed", config.name}, {"url", config.url.text},
                                      {"hospitals", std::to_string(state.hospitals.size())}});
  }
  Publish();
  if (stopped_) return;
  feed.timer->expires_at(feed.started + std::chrono::seconds(config.interval_seconds));
  feed.timer->async_wait([this, index](const asio::error_code& error) {
    if (!error) Fetch(index);
  });
}

}  // namespace lagesbild
