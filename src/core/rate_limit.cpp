#include "lagesbild/core/rate_limit.h"

#include <algorithm>

namespace lagesbild {
namespace {
constexpr TimeMs kMinute = 60000;

void AddCommand(std::string& commands, const std::string& command) {
  if (commands.size() > 200) return;
  std::size_t start = 0;
  while (start <= commands.size()) {
    const std::size_t end = std::min(commands.find(',', start), commands.size());
    if (commands.compare(start, end - start, command) == 0) return;
    start = end + 1;
  }
  commands += (commands.empty() ? "" : ",") + command;
}
}  // namespace

TokenBucket::TokenBucket(double rate_per_second, double burst)
    : rate_per_ms_(static_cast<float>(rate_per_second / 1000.0)),
      burst_(static_cast<float>(burst)),
      tokens_(static_cast<float>(burst)) {}

bool TokenBucket::Take(TimeMs now) {
  if (started_ && now > last_) {
    tokens_ = std::min(burst_, tokens_ + static_cast<float>(now - last_) * rate_per_ms_);
  }
  if (!started_ || now > last_) last_ = now;
  started_ = true;
  if (tokens_ < 1.0f) return false;
  tokens_ -= 1.0f;
  return true;
}

bool RefusalBudget::Admit(const std::string& user, const std::string& space,
                          const std::string& command, TimeMs now) {
  auto [it, created] = windows_.try_emplace({user, space});
  Window& window = it->second;
  if (created || now - window.start >= kMinute) {
    if (!created && window.counted.count > 0) ended_.push_back(std::move(window.counted));
    window = Window{now, 0, Counted{user, space, "", 0, 0, 0}};
  }
  if (window.stored < per_minute_) {
    ++window.stored;
    return true;
  }
  Counted& counted = window.counted;
  if (counted.count == 0) counted.from = now;
  ++counted.count;
  counted.to = now;
  AddCommand(counted.commands, command);
  return false;
}

std::vector<RefusalBudget::Counted> RefusalBudget::TakeEnded(TimeMs now) {
  std::vector<Counted> ended = std::move(ended_);
  ended_.clear();
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (now - it->second.start >= kMinute) {
      if (it->second.counted.count > 0) ended.push_back(std::move(it->second.counted));
      it = windows_.erase(it);
    } else {
      ++it;
    }
  }
  return ended;
}

}  // namespace lagesbild
