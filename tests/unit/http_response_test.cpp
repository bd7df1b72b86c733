// Reading a feed's HTTP answer (src/server/http_response.h): framing, limits, malformed input.
#include <catch2/catch.hpp>

#include <string>

#include "http_response.h"

using namespace lagesbild;
using State = HttpResponseReader::State;

namespace {

// Feeds `text` `step` bytes at a time (every split of the input must read the same).
State FeedInSteps(HttpResponseReader& reader, const std::string& text, std::size_t step) {
  State state = State::kMore;
  for (std::size_t i = 0; i < text.size() && state == State::kMore; i += step) {
    state = reader.Feed(std::string_view(text).substr(i, step));
  }
  return state;
}

}  // namespace

TEST_CASE("an answer with Content-Length, in any split, ends with its body") {
  const std::string answer =
      "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 5\r\nX-A: 1\r\nx-a: 2\r\n\r\nhelloIGNORED";
  for (std::size_t step : {1, 2, 3, 7, 1000}) {
    INFO(step);
    HttpResponseReader reader(1024, 1024);
    CHECK(FeedInSteps(reader, answer, step) == State::kDone);
    CHECK(reader.status() == 200);
    CHECK(reader.body() == "hello");
    CHECK(reader.headers().at("content-type") == "application/xml");
    CHECK(reader.headers().at("x-a") == "1, 2");
  }
}

TEST_CASE("a chunked answer is decoded, extensions and trailers aside, in any split") {
  const std::string answer =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;ext=1\r\nhello\r\n1A\r\n abcdefghijklmnopqrstuvwxy\r\n0\r\nTrailer: x\r\n\r\n";
  for (std::size_t step : {1, 4, 1000}) {
    INFO(step);
    HttpResponseReader reader(1024, 1024);
    CHECK(FeedInSteps(reader, answer, step) == State::kDone);
    CHECK(reader.body() == "hello abcdefghijklmnopqrstuvwxy");
  }
}

TEST_CASE("an answer without length ends with the connection; one with length must not") {
  HttpResponseReader until_end(1024, 1024);
  CHECK(until_end.Feed("HTTP/1.0 200 OK\r\n\r\n<a/>") == State::kMore);
  CHECK(until_end.End() == State::kDone);
  CHECK(until_end.body() == "<a/>");

  HttpResponseReader cut(1024, 1024);
  CHECK(cut.Feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc") == State::kMore);
  CHECK(cut.End() == State::kError);
  CHECK(cut.error_code() == "invalid_http");

  HttpResponseReader cut_chunk(1024, 1024);
  CHECK(cut_chunk.Feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab") == State::kMore);
  CHECK(cut_chunk.End() == State::kError);

  HttpResponseReader no_head(1024, 1024);
  CHECK(no_head.Feed("HTTP/1.1 200 OK\r\n") == State::kMore);
  CHECK(no_head.End() == State::kError);
}

TEST_CASE("limits: a long head, a long body, an announced or chunked giant, all too_large") {
  HttpResponseReader head(64, 1024);
  CHECK(head.Feed("HTTP/1.1 200 OK\r\nX: " + std::string(100, 'a')) == State::kError);
  CHECK(head.error_code() == "too_large");

  HttpResponseReader announced(1024, 100);
  CHECK(announced.Feed("HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n") == State::kError);
  CHECK(announced.error_code() == "too_large");

  HttpResponseReader huge_length(1024, 100);
  CHECK(huge_length.Feed("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n") == State::kError);
  CHECK(huge_length.error_code() == "too_large");

  HttpResponseReader streamed(1024, 100);
  CHECK(streamed.Feed("HTTP/1.1 200 OK\r\n\r\n") == State::kMore);
  CHECK(streamed.Feed(std::string(60, 'x')) == State::kMore);
  CHECK(streamed.Feed(std::string(60, 'x')) == State::kError);
  CHECK(streamed.error_code() == "too_large");

  HttpResponseReader chunk(1024, 100);
  CHECK(chunk.Feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n") == State::kError);
  HttpResponseReader chunks(1024, 100);
  std::string many = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 60; ++i) many += "2\r\nab\r\n";
  CHECK(chunks.Feed(many) == State::kError);
  CHECK(chunks.error_code() == "too_large");
}

TEST_CASE("malformed answers are errors, never guesses") {
  for (const char* bad : {
           "HTTP/2 200 OK\r\n\r\n",
           "ICY 200 OK\r\n\r\n",
           "HTTP/1.1 20 OK\r\n\r\n",
           "HTTP/1.1 200OK\r\n\r\n",
           "HTTP/1.1 100 Continue\r\n\r\n",
           "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
           "HTTP/1.1 200 OK\r\n folded: header\r\n\r\n",
           "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
           "HTTP/1.1 200 OK\r\nX: a\x01" "b\r\n\r\n",
           "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
           "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
           "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
           "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",
       }) {
    INFO(bad);
    HttpResponseReader reader(1024, 1024);
    CHECK(reader.Feed(bad) == State::kError);
    CHECK(reader.error_code() == "invalid_http");
    CHECK_FALSE(reader.error().empty());
  }
}

TEST_CASE("the status of an error answer is known from its head") {
  HttpResponseReader reader(1024, 1024);
  CHECK(reader.Feed("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100\r\n\r\n") == State::kMore);
  CHECK(reader.head_done());
  CHECK(reader.status() == 503);
  HttpResponseReader empty(1024, 1024);
  CHECK(empty.Feed("HTTP/1.1 204 No Content\r\n\r\n") == State::kDone);
}
