// Any bytes a client can send: ParseClientMessage must answer with a message or an error, and
// never crash, hang or leak. Nothing here catches: an exception of any type escaping the parser
// (or the answer built from its result) is a crash the fuzzer reports. The only handled outcomes
// are the documented result types, ClientMessage and WireError.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = lagesbild::ParseClientMessage(
      std::string_view(reinterpret_cast<const char*>(data), size));
  std::string answer;
  if (auto* error = std::get_if<lagesbild::WireError>(&parsed)) {
    if (error->error.code.empty() || error->error.message.empty()) std::abort();  // says why
    answer = lagesbild::ErrorMessage(error->id, error->error);
  } else {
    const auto& message = std::get<lagesbild::ClientMessage>(parsed);
    answer = lagesbild::ErrorMessage(lagesbild::ClientMessageId(message),
                                     lagesbild::MakeError("rate_limited", "", "echo"));
  }
  // Every answer is one JSON object a client can read (this throws if it is not).
  if (!lagesbild::Json::parse(answer).is_object()) std::abort();
  return 0;
}
