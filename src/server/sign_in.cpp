#include "sign_in.h"

#include "http_rules.h"

#include "lagesbild/log/log.h"

namespace lagesbild {

std::string ClientAddressOf(const WsServer::connection_ptr& connection, const ServerOptions& options) {
  asio::error_code error;
  const auto remote = connection->get_raw_socket().remote_endpoint(error);
  const std::string peer = error ? std::string("?") : remote.address().to_string();
  return ClientAddress(peer, connection->get_request_header("X-Forwarded-For"),
                       options.trusted_proxies);
}

Result<SignInResult> CheckToken(Network& net, std::string_view token, const std::string& address,
                                const char* via) {
  const TimeMs now = net.clock->Now();
  if (auto until = net.sign_ins.LockedUntil(address, now)) {
    ++net.stats.sign_ins_throttled;
    return MakeError("too_many_attempts", "token",
                     "too many failed sign-ins from " + address + "; try again in " +
                         std::to_string((*until - now + 999) / 1000) + " s");
  }
  SignInResult result = net.users->Authenticate(token, now);
  if (!result.actor) {
    ++net.stats.sign_ins_failed;
    net.audit.Failed(address, result.failure, via, now);
    log::Warning("sign_in_failed", {{"address", address}, {"reason", result.failure}, {"via", via}});
    if (net.sign_ins.Failed(address, now)) {
      log::Warning("sign_in_throttled", {{"address", address},
                                         {"detail", "too many failed sign-ins; refused for a while"}});
    }
  }
  return result;
}

}  // namespace lagesbild
