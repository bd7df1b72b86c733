// GET /api/summary: "Lägesbild nu" (core/summary.h) of a space as JSON, or as CSV with Swedish
// column names (&format=csv, summary_csv.h), made on the network thread from its replica of the
// space (a few kilobytes per hospital). An exercise's summary is in exercise time and labelled
// ÖVNING, and so is its file name.
#include <cctype>

#include "http_answer.h"
#include "http_session.h"
#include "summary_csv.h"

#include "lagesbild/core/summary.h"
#include "lagesbild/core/time_format.h"
#include "lagesbild/core/wire.h"

namespace lagesbild {

void HttpSessions::ServeSummary(WsServer::connection_type& connection, const Resource& resource,
                                bool head) {
  using Http = websocketpp::http::status_code::value;
  const std::string format = QueryParam(resource, "format").value_or("json");
  if (format != "json" && format != "csv") {
    AnswerError(connection, Http::bad_request,
                MakeError("invalid_value", "format", "format must be json or csv"));
    return;
  }
  const SpaceReplica* replica = ReplicaOrAnswer(connection, resource);
  if (!replica) return;
  const SpaceState& state = replica->state();
  const TimeMs now = SpaceNow(state);
  Json summary = BuildSummary(*net_.config, state, now);
  if (format == "json") {
    AnswerJson(connection, Http::ok, Envelope(std::move(summary)), head);
    return;
  }
  // "LAGESBILD-live-2026-12-03-1015.csv", "OVNING-<space>-…": ASCII, as a file name should be.
  const std::string local = FormatSwedishTime(now);  // "2026-12-03 10:15"
  const std::string stamp =
      local.size() == 16 ? local.substr(0, 10) + "-" + local.substr(11, 2) + local.substr(14, 2) : "";
  std::string space_name;
  for (char c : state.space) space_name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
  connection.replace_header("Content-Disposition",
                            "attachment; filename=\"" + std::string(state.exercise ? "OVNING-" : "LAGESBILD-") +
                                space_name + "-" + stamp + ".csv\"");
  Answer(connection, Http::ok, "text/csv; charset=utf-8", SummaryCsv(*net_.config, summary), head);
}

}  // namespace lagesbild
