// GET /metrics: the server's counters in Prometheus' text format (version 0.0.4), for an
// operator's monitoring: connections, events and commit and fan-out latencies, batch sizes,
// queues, refusals by code, rate limiting, resyncs and slow closes, store failures, the sequence
// of each space, sign-ins, the neighbours' feeds, and the process's memory and descriptors. docs/operations.md lists
// every metric.
//
// Thread model: network thread (it reads the engine's and reader's counters, which are atomic).
#ifndef LAGESBILD_SERVER_METRICS_H_
#define LAGESBILD_SERVER_METRICS_H_

#include <string>
#include <vector>

#include "connection_limits.h"
#include "network.h"
#include "shared_state.h"

#include "lagesbild/core/neighbours.h"

namespace lagesbild {

std::string MetricsText(const Network& net, const SharedState& shared,
                        const ConnectionLimits& limits,
                        const std::vector<NeighbourFeedState>& neighbours);

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_METRICS_H_
