// Reading the answer to one HTTP/1.1 GET (a neighbour's feed, feed_fetch.h), byte by byte as it
// arrives: the status line, the headers and the body by Content-Length, chunked transfer coding,
// or up to the end of the connection. Hostile input: the head and the body each have a limit,
// and anything malformed is an error rather than a guess. Pure string work, unit-tested
// (tests/unit/http_response_test.cpp).
#ifndef LAGESBILD_SERVER_HTTP_RESPONSE_H_
#define LAGESBILD_SERVER_HTTP_RESPONSE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lagesbild {

class HttpResponseReader {
 public:
  enum class State { kMore, kDone, kError };

  HttpResponseReader(std::size_t max_head_bytes, std::size_t max_body_bytes)
      : max_head_(max_head_bytes), max_body_(max_body_bytes) {}

  // The next bytes of the connection.
  State Feed(std::string_view bytes);
  // The connection ended (cleanly). Done if the body was delimited by it, else an error.
  State End();

  State state() const { return state_; }
  bool head_done() const { return head_done_; }
  int status() const { return status_; }
  // Header names in lower case; a repeated header keeps its values joined by ", ".
  const std::map<std::string, std::string>& headers() const { return headers_; }
  const std::string& body() const { return body_; }
  // When kError: "too_large" or "invalid_http", and what was wrong.
  const std::string& error_code() const { return error_code_; }
  const std::string& error() const { return error_; }

 private:
  State Fail(const char* code, std::string what);
  State ParseHead(std::string_view head);
  State FeedBody(std::string_view bytes);
  State FeedChunked(std::string_view bytes);
  State AddBody(std::string_view bytes);

  const std::size_t max_head_, max_body_;
  State state_ = State::kMore;
  std::string head_;  // until the blank line
  bool head_done_ = false;
  int status_ = 0;
  std::map<std::string, std::string> headers_;
  enum class Framing { kLength, kChunked, kUntilEnd } framing_ = Framing::kUntilEnd;
  std::uint64_t remaining_ = 0;  // kLength: body bytes still to come; kChunked: of this chunk
  enum class ChunkPart { kSize, kData, kDataEnd, kTrailer } chunk_part_ = ChunkPart::kSize;
  std::string line_;   // a chunk-size or trailer line being read
  std::size_t trailer_bytes_ = 0;
  std::string body_;
  std::string error_code_, error_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_HTTP_RESPONSE_H_
