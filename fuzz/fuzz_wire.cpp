// Any bytes a client can send: ParseClientMessage must answer with a message or an error, and
// never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lagesbild/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = lagesbild::ParseClientMessage(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (auto* error = std::get_if<lagesbild::WireError>(&parsed)) {
    // Every error must be sendable.
    (void)lagesbild::ErrorMessage(error->id, error->error);
  }
  return 0;
}
