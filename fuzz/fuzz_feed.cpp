// Any bytes as a neighbour's answer (feed_fetch.h): the HTTP reader reads them whole and in pieces
// to the same end, within its limits, failing only with its two codes; and the same bytes, and a
// body it read, as an EDXL-HAVE document: the reader accepts or names its problems, never throws
// or crashes (libxml2 with no DTD and no network).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "../src/server/http_response.h"
#include "lagesbild/interop/have_read.h"

namespace {

constexpr std::size_t kMaxHead = 16 * 1024, kMaxBody = 512 * 1024;

using lagesbild::HttpResponseReader;

HttpResponseReader::State ReadAll(HttpResponseReader& reader, std::string_view bytes, std::size_t step) {
  auto state = HttpResponseReader::State::kMore;
  for (std::size_t at = 0; at < bytes.size() && state == HttpResponseReader::State::kMore; at += step) {
    state = reader.Feed(bytes.substr(at, step));
  }
  return state == HttpResponseReader::State::kMore ? reader.End() : state;
}

void CheckHave(std::string_view document) {
  auto reading = lagesbild::ReadHave(document);
  if (!reading.ok() && (reading.error().code != "invalid_have" || reading.error().message.empty())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  HttpResponseReader whole(kMaxHead, kMaxBody);
  const auto state = ReadAll(whole, bytes, bytes.size() + 1);
  HttpResponseReader pieces(kMaxHead, kMaxBody);
  const std::size_t step = size ? 1 + data[0] % 7 : 1;
  if (ReadAll(pieces, bytes, step) != state) std::abort();
  if (state == HttpResponseReader::State::kDone) {
    if (whole.body() != pieces.body() || whole.status() != pieces.status()) std::abort();
    if (whole.body().size() > kMaxBody || whole.status() < 200 || whole.status() > 999) std::abort();
    CheckHave(whole.body());
  } else if (state == HttpResponseReader::State::kError) {
    if (whole.error_code() != "too_large" && whole.error_code() != "invalid_http") std::abort();
    if (whole.error_code() != pieces.error_code()) std::abort();
  }
  CheckHave(bytes);
  return 0;
}
