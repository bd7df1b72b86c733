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

std::optional<TimeMs> SignInThrottle::LockedUntil(const std::string& address, TimeMs now) const {
  const auto found = addresses_.find(address);
  if (found == addresses_.end() || found->second.locked_until <= now) return std::nullopt;
  return found->second.locked_until;
}

bool SignInThrottle::Failed(const std::string& address, TimeMs now) {
  auto found = addresses_.find(address);
  if (found == addresses_.end()) {
    if (addresses_.size() >= max_addresses_) {
      // Forget the address heard from longest ago (a linear scan, only when full).
      auto oldest = addresses_.begin();
      for (auto it = addresses_.begin(); it != addresses_.end(); ++it) {
        if (it->second.last < oldest->second.last) oldest = it;
      }
      addresses_.erase(oldest);
    }
    found = addresses_.emplace(address, Record{now, 0, 0, 0, now}).first;
  }
  Record& record = found->second;
  record.last = now;
  if (now - record.window_start >= window_ms_) {
    if (record.locked_until + window_ms_ <= now) record.lockouts = 0;  // calm for a while
    record.window_start = now;
    record.failures = 0;
  }
  if (++record.failures < max_failures_) return false;
  const TimeMs length = window_ms_ << std::min(record.lockouts, 4);
  ++record.lockouts;
  record.locked_until = now + length;
  record.window_start = now;
  record.failures = 0;
  return true;
}

}  // namespace lagesbild
