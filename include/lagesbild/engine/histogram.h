// Monitoring counters any thread may add to and any thread may read (/metrics): a histogram
// with fixed bucket bounds and a plain counter, both relaxed atomics. A read taken while
// another thread observes may be one observation out between buckets, count and sum — fine for
// monitoring, never used for a decision.
#ifndef LAGESBILD_ENGINE_HISTOGRAM_H_
#define LAGESBILD_ENGINE_HISTOGRAM_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace lagesbild {

class Histogram {
 public:
  // `bounds`: the buckets' upper bounds, ascending (+Inf is implicit).
  explicit Histogram(std::vector<double> bounds)
      : bounds_(std::move(bounds)), counts_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
    for (std::size_t i = 0; i <= bounds_.size(); ++i) counts_[i] = 0;
  }

  void Observe(double value) {
    std::size_t bucket = 0;
    while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
    counts_[bucket].fetch_add(1, std::memory_order_relaxed);
    double sum = sum_.load(std::memory_order_relaxed);
    while (!sum_.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) {
    }
  }

  struct Reading {
    std::vector<double> bounds;
    std::vector<std::uint64_t> cumulative;  // per bound, then +Inf (= the count)
    double sum = 0;
  };
  Reading Read() const {
    Reading reading{bounds_, {}, sum_.load(std::memory_order_relaxed)};
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
      running += counts_[i].load(std::memory_order_relaxed);
      reading.cumulative.push_back(running);
    }
    return reading;
  }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

class Counter {
 public:
  void Add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// Latency buckets in seconds, 0.25 ms to 2.5 s.
inline std::vector<double> LatencyBounds() {
  return {0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
}

}  // namespace lagesbild

#endif  // LAGESBILD_ENGINE_HISTOGRAM_H_
