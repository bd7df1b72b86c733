// HTTP requests: who sent them (Authorization: Bearer), the routes of the JSON API and the
// board's files. Answers the network thread has at hand are given at once; history, message
// pages and reviews are read on the reader thread (http_reads.cpp) and answered when done.
//
// Thread model: network thread only (network.h), except the reader-thread jobs in http_reads.cpp,
// which touch nothing but their own copies and the store, and post their answer back.
#ifndef LAGESBILD_SERVER_HTTP_SESSION_H_
#define LAGESBILD_SERVER_HTTP_SESSION_H_

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "exercise_runner.h"
#include "scenario_editor.h"
#include "listener.h"
#include "neighbour_watch.h"
#include "network.h"
#include "shared_state.h"

#include "lagesbild/server/static_files.h"
#include "lagesbild/server/url.h"

namespace lagesbild {

class HttpSessions {
 public:
  HttpSessions(Network& net, SharedState& shared, ExerciseRunner& runner, ScenarioEditor& editor,
               const Listener& listener, const NeighbourWatch& neighbours)
      : net_(net), shared_(shared), runner_(runner), editor_(editor), listener_(listener),
        neighbours_(neighbours) {}

  Status LoadFiles() { return files_.Load(net_.options.web_root); }
  void OnHttp(ConnectionHandle handle);

 private:
  // Who sent the request (Authorization: Bearer), or why not.
  Result<Actor> HttpActor(const WsServer::connection_ptr& connection) const;
  std::string HealthJson(bool detailed) const;
  std::string SpacesJson(const Actor& actor) const;
  void ServeScenarioText(WsServer::connection_type& connection, const Resource& resource, bool head);
  void ServeState(WsServer::connection_type& connection, const Resource& resource, bool head);
  // http_interop.cpp: EDXL-HAVE and CAP.
  void ServeHave(WsServer::connection_type& connection, const Resource& resource, bool head);
  void ServeCap(WsServer::connection_type& connection, const Resource& resource, bool head);
  void ServeSummary(WsServer::connection_type& connection, const Resource& resource, bool head);
  // The replica ?space= names (live if none), or nullptr after answering 404.
  const SpaceReplica* ReplicaOrAnswer(WsServer::connection_type& connection, const Resource& resource);
  // The space's time now: the wall clock for live, the exercise's clock for an exercise.
  TimeMs SpaceNow(const SpaceState& state) const;
  // http_reads.cpp: answered from the reader thread.
  void ServeHistory(WsServer::connection_ptr connection, const Resource& resource, bool head);
  void ServeMessages(WsServer::connection_ptr connection, const Resource& resource, bool head);
  void ServeReview(WsServer::connection_ptr connection, const Resource& resource, const Actor& actor);
  void ServeLiveReview(WsServer::connection_ptr connection, const Resource& resource);
  // Reader thread: a review's events (of the period, if given), as far as they could be read.
  struct ReviewLog {
    std::vector<Event> events;
    bool truncated = false;
    nlohmann::json unreadable;
    std::optional<Error> error;
  };
  static ReviewLog ReadReviewLog(EventStore& store, const std::string& space,
                                 std::optional<TimeMs> from, std::optional<TimeMs> to);
  void AnswerReview(WsServer::connection_ptr connection, ReviewLog& log, nlohmann::json review,
                    bool csv, const std::string& file_name);
  // Queues a read on the reader thread; false (after answering 503) when its queue is full.
  bool SubmitRead(const WsServer::connection_ptr& connection, Reader::Job job);
  // Reader thread: hands a read's answer (the error, or `body`) to the network thread.
  void PostReadAnswer(WsServer::connection_ptr connection, const std::optional<Error>& error,
                      std::string type, std::string body, bool head,
                      std::string disposition = "");

  Network& net_;
  SharedState& shared_;
  ExerciseRunner& runner_;
  ScenarioEditor& editor_;
  const Listener& listener_;
  const NeighbourWatch& neighbours_;
  StaticFiles files_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_HTTP_SESSION_H_
