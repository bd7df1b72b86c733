// Signing in, the same over WebSocket (hello) and HTTP (Authorization: Bearer): the client's
// address, the lockout of an address after failed sign-ins (Network::sign_ins), the directory's
// answer, and for a failure its count, log line and audit event — never the token itself.
//
// Thread model: network thread only (network.h).
#ifndef LAGESBILD_SERVER_SIGN_IN_H_
#define LAGESBILD_SERVER_SIGN_IN_H_

#include <string>
#include <string_view>

#include "network.h"

namespace lagesbild {

// The client behind a connection (http_rules.h ClientAddress): its peer, or the address a
// trusted proxy forwarded.
std::string ClientAddressOf(const WsServer::connection_ptr& connection, const ServerOptions& options);

// `token` presented by the client at `address` over `via` ("websocket", "http"): an error
// too_many_attempts while the address is locked out (the token is not looked at), else what the
// users file says of it now. A failure is counted, logged, audited and throttled here.
Result<SignInResult> CheckToken(Network& net, std::string_view token, const std::string& address,
                                const char* via);

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_SIGN_IN_H_
