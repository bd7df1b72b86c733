// The one way an HTTP answer is written, so every answer carries the same headers (the security
// headers and Connection: close come from SecureResponse in ws_config.h). Network thread only.
#ifndef LAGESBILD_SERVER_HTTP_ANSWER_H_
#define LAGESBILD_SERVER_HTTP_ANSWER_H_

#include <string>

#include "network.h"

#include "lagesbild/core/error.h"

namespace lagesbild {

// Sets the answer WebSocket++ writes once the handler returns. A HEAD request (or `head`) gets
// the headers only.
void Answer(WsServer::connection_type& connection, HttpStatus status, const std::string& type,
            std::string body, bool head = false);
void AnswerJson(WsServer::connection_type& connection, HttpStatus status, std::string body,
                bool head = false);
// An error as JSON (wire.h ErrorMessage). A 401 also says WWW-Authenticate: Bearer.
void AnswerError(WsServer::connection_type& connection, HttpStatus status, const Error& error);
// Writes a deferred answer (after defer_http_response(), e.g. once the reader thread is done).
void CompleteDeferred(WsServer::connection_type& connection, HttpStatus status,
                      const std::string& type, std::string body, bool head = false);

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_HTTP_ANSWER_H_
