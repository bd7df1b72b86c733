#include "metrics.h"

#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace lagesbild {
namespace {

// The text format's pieces: a family's HELP and TYPE once, then its samples.
class PrometheusText {
 public:
  void Family(const char* name, const char* type, const char* help) {
    text_ += "# HELP ";
    text_ += name;
    text_ += ' ';
    text_ += help;
    text_ += "\n# TYPE ";
    text_ += name;
    text_ += ' ';
    text_ += type;
    text_ += '\n';
  }
  // `labels`: name="value" pairs, values escaped here.
  void Sample(const std::string& name, std::initializer_list<std::pair<const char*, std::string>> labels,
              double value) {
    text_ += name;
    if (labels.size() != 0) {
      text_ += '{';
      bool first = true;
      for (const auto& [label, label_value] : labels) {
        if (!first) text_ += ',';
        first = false;
        text_ += label;
        text_ += "=\"";
        for (char c : label_value) {
          if (c == '\\' || c == '"') text_ += '\\';
          if (c == '\n') {
            text_ += "\\n";
            continue;
          }
          text_ += c;
        }
        text_ += '"';
      }
      text_ += '}';
    }
    char number[64];
    std::snprintf(number, sizeof number, " %.17g\n", value);
    text_ += number;
  }
  void Histogram(const char* name, const char* help, const lagesbild::Histogram& histogram) {
    Family(name, "histogram", help);
    const auto reading = histogram.Read();
    const std::string base = name;
    for (std::size_t i = 0; i < reading.bounds.size(); ++i) {
      char bound[32];
      std::snprintf(bound, sizeof bound, "%g", reading.bounds[i]);
      Sample(base + "_bucket", {{"le", bound}}, static_cast<double>(reading.cumulative[i]));
    }
    Sample(base + "_bucket", {{"le", "+Inf"}}, static_cast<double>(reading.cumulative.back()));
    Sample(base + "_sum", {}, reading.sum);
    Sample(base + "_count", {}, static_cast<double>(reading.cumulative.back()));
  }
  void Single(const char* name, const char* type, const char* help, double value) {
    Family(name, type, help);
    Sample(name, {}, value);
  }
  std::string Take() { return std::move(text_); }

 private:
  std::string text_;
};

// Resident and virtual size from /proc/self/statm (pages).
std::pair<double, double> ProcessMemory() {
  std::ifstream statm("/proc/self/statm");
  double size = 0, resident = 0;
  statm >> size >> resident;
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  return {resident * page, size * page};
}

double OpenDescriptors() {
  DIR* fds = opendir("/proc/self/fd");
  if (fds == nullptr) return 0;
  double count = 0;
  while (readdir(fds) != nullptr) ++count;
  closedir(fds);
  return count - 3;  // ".", ".." and the directory itself
}

}  // namespace

std::string MetricsText(const Network& net, const SharedState& shared,
                        const ConnectionLimits& limits,
                        const std::vector<NeighbourFeedState>& neighbours) {
  PrometheusText out;
  const ServerStats& stats = net.stats;
  const auto d = [](auto n) { return static_cast<double>(n); };

  out.Family("lagesbild_connections", "gauge", "WebSocket connections now, by state.");
  out.Sample("lagesbild_connections", {{"state", "open"}}, d(shared.open()));
  out.Sample("lagesbild_connections", {{"state", "lagging"}}, d(shared.lagging()));
  out.Single("lagesbild_accepted_connections", "gauge",
             "TCP connections counted against the caps (WebSocket and HTTP).", d(limits.open()));
  out.Single("lagesbild_connection_limit", "gauge", "Connections allowed at once.", d(limits.total_cap()));
  out.Family("lagesbild_connections_refused_total", "counter", "Connections refused, by reason.");
  out.Sample("lagesbild_connections_refused_total", {{"reason", "at_cap"}}, d(stats.refused_at_cap));
  out.Sample("lagesbild_connections_refused_total", {{"reason", "accept_failed"}}, d(stats.accept_failures));
  out.Sample("lagesbild_connections_refused_total", {{"reason", "origin"}}, d(stats.origin_refused));
  out.Family("lagesbild_connections_closed_total", "counter",
             "Connections the server closed: too slow to read, or no answer to a ping.");
  out.Sample("lagesbild_connections_closed_total", {{"reason", "slow"}}, d(stats.closed_slow));
  out.Sample("lagesbild_connections_closed_total", {{"reason", "no_pong"}}, d(stats.closed_no_pong));
  out.Single("lagesbild_lagging_detected_total", "counter", "Boards found lagging (stopped reading).",
             d(stats.lagging_detected));
  out.Single("lagesbild_resyncs_total", "counter", "Lagging boards sent one fresh snapshot.", d(stats.resynced));

  const Engine::Metrics& engine = net.engine.metrics();
  out.Single("lagesbild_events_committed_total", "counter", "Events committed to the event log.",
             d(engine.events_committed.value()));
  out.Family("lagesbild_space_events_published_total", "counter",
             "Committed events published to boards since start, by space.");
  for (const auto& [space, count] : shared.metrics().events) {
    out.Sample("lagesbild_space_events_published_total", {{"space", space}}, d(count));
  }
  out.Family("lagesbild_space_sequence", "gauge", "The last event's sequence number, by space.");
  for (const auto& [space, replica] : shared.replicas()) {
    out.Sample("lagesbild_space_sequence", {{"space", space}}, d(replica.state().seq));
  }
  out.Histogram("lagesbild_commit_seconds", "A batch's judging, append and fsync, in seconds.",
                engine.commit_seconds);
  out.Histogram("lagesbild_commit_batch_size", "Commands judged and committed in one batch.",
                engine.batch_size);
  out.Histogram("lagesbild_fanout_seconds", "One space's fan-out of new events to its boards, in seconds.",
                shared.metrics().fan_out_seconds);
  out.Family("lagesbild_queue_depth", "gauge", "Work waiting, by queue.");
  out.Sample("lagesbild_queue_depth", {{"queue", "commands"}}, d(net.engine.Queued()));
  out.Sample("lagesbild_queue_depth", {{"queue", "reads"}}, d(net.reader.queued()));
  out.Single("lagesbild_reads_refused_total", "counter", "Reads refused because the queue was full.",
             d(net.reader.refused()));

  out.Family("lagesbild_errors_sent_total", "counter", "Errors sent to clients, by error code.");
  for (const auto& [code, count] : shared.metrics().errors) {
    out.Sample("lagesbild_errors_sent_total", {{"code", code}}, d(count));
  }
  out.Single("lagesbild_rate_limited_total", "counter", "Messages and commands refused as rate_limited.",
             d(stats.rate_limited));
  out.Single("lagesbild_refusals_counted_total", "counter",
             "Refusals counted into a summary instead of stored one by one.", d(stats.refusals_counted));
  out.Single("lagesbild_sign_in_failures_total", "counter", "Sign-ins with an unknown or expired token.",
             d(stats.sign_ins_failed));
  out.Single("lagesbild_sign_ins_throttled_total", "counter",
             "Sign-ins refused because their address was locked out.", d(stats.sign_ins_throttled));
  out.Single("lagesbild_store_failures_total", "counter", "Commits the event log refused.",
             d(engine.store_failures.value()));
  out.Single("lagesbild_store_failed", "gauge", "1 while the event log refuses writes.",
             net.engine.StoreFault() ? 1 : 0);
  out.Single("lagesbild_faults_total", "counter", "Handler faults caught (each closed one connection).",
             d(stats.faults));

  if (!neighbours.empty()) {
    const auto& feeds = net.config->neighbours;
    out.Family("lagesbild_neighbour_up", "gauge", "1 while a neighbour's feed answers (neighbours in the configuration).");
    for (std::size_t i = 0; i < neighbours.size(); ++i) {
      out.Sample("lagesbild_neighbour_up", {{"feed", feeds[i].name}},
                 neighbours[i].health == FeedHealth::kAnswering ? 1 : 0);
    }
    out.Family("lagesbild_neighbour_fetches_total", "counter", "Fetches of a neighbour's feed, by result.");
    for (std::size_t i = 0; i < neighbours.size(); ++i) {
      out.Sample("lagesbild_neighbour_fetches_total", {{"feed", feeds[i].name}, {"result", "answered"}},
                 d(neighbours[i].fetches - neighbours[i].failures));
      out.Sample("lagesbild_neighbour_fetches_total", {{"feed", feeds[i].name}, {"result", "failed"}},
                 d(neighbours[i].failures));
    }
    out.Family("lagesbild_neighbour_last_answer_timestamp_seconds", "gauge",
               "When a neighbour's feed last answered (Unix time; 0: never).");
    for (std::size_t i = 0; i < neighbours.size(); ++i) {
      out.Sample("lagesbild_neighbour_last_answer_timestamp_seconds", {{"feed", feeds[i].name}},
                 neighbours[i].fetched_at ? static_cast<double>(*neighbours[i].fetched_at) / 1000 : 0);
    }
  }

  const auto [resident, virtual_size] = ProcessMemory();
  out.Single("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", resident);
  out.Single("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", virtual_size);
  out.Single("process_open_fds", "gauge", "Open file descriptors.", OpenDescriptors());
  out.Family("lagesbild_build_info", "gauge", "The running version (always 1).");
  out.Sample("lagesbild_build_info", {{"version", LAGESBILD_VERSION}, {"tls", net.endpoint.is_secure() ? "yes" : "no"}}, 1);
  return out.Take();
}

}  // namespace lagesbild
