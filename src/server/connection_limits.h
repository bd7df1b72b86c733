// How many connections are open, in total and per remote address, against their caps. Plain
// bookkeeping (no sockets): the network thread counts a connection when it is accepted and uncounts
// it when WebSocket++ terminates it.
#ifndef LAGESBILD_SERVER_CONNECTION_LIMITS_H_
#define LAGESBILD_SERVER_CONNECTION_LIMITS_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace lagesbild {

class ConnectionLimits {
 public:
  ConnectionLimits(std::size_t total, std::size_t per_address)
      : total_cap_(total), per_address_cap_(per_address) {}

  // One counted connection's place: stays valid until Close() (small enough to be captured in a
  // std::function without a heap allocation).
  using Place = std::map<std::string, std::size_t>::iterator;

  // Counts a new connection from `address`, or refuses it (counts nothing) when a cap is reached.
  // A trusted proxy (`per_address` false) carries many clients and is held to the total only.
  std::optional<Place> TryOpen(const std::string& address, bool per_address = true) {
    auto [place, created] = per_address_.try_emplace(address, 0);
    if (open_ >= total_cap_ || (per_address && place->second >= per_address_cap_)) {
      if (created) per_address_.erase(place);
      return std::nullopt;
    }
    ++place->second;
    ++open_;
    return place;
  }
  void Close(Place place) {
    if (--place->second == 0) per_address_.erase(place);
    --open_;
  }
  std::size_t open() const { return open_; }
  std::size_t addresses() const { return per_address_.size(); }
  std::size_t total_cap() const { return total_cap_; }
  std::size_t per_address_cap() const { return per_address_cap_; }
  void set_total_cap(std::size_t cap) { total_cap_ = cap; }

 private:
  std::size_t total_cap_;
  std::size_t per_address_cap_;
  std::size_t open_ = 0;
  std::map<std::string, std::size_t> per_address_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_CONNECTION_LIMITS_H_
