#include "http_answer.h"

#include "lagesbild/core/wire.h"

namespace lagesbild {

void Answer(WsServer::connection_type& connection, HttpStatus status, const std::string& type,
            std::string body, bool head) {
  // A HEAD request gets the headers of the answer and never a body, errors included.
  head = head || connection.get_request().get_method() == "HEAD";
  connection.set_status(status);
  connection.replace_header("Content-Type", type);
  connection.set_body(head ? std::string() : std::move(body));
}

void AnswerJson(WsServer::connection_type& connection, HttpStatus status, std::string body,
                bool head) {
  Answer(connection, status, "application/json", std::move(body), head);
}

void AnswerError(WsServer::connection_type& connection, HttpStatus status, const Error& error) {
  if (status == websocketpp::http::status_code::unauthorized &&
      connection.get_response_header("WWW-Authenticate").empty()) {
    connection.replace_header("WWW-Authenticate", "Bearer");
  }
  AnswerJson(connection, status, ErrorMessage("", error));
}

void CompleteDeferred(WsServer::connection_type& connection, HttpStatus status,
                      const std::string& type, std::string body, bool head) {
  Answer(connection, status, type, std::move(body), head);
  websocketpp::lib::error_code ignored;
  connection.send_http_response(ignored);
}

}  // namespace lagesbild
