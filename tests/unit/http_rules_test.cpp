// The transport's pure rules that need no socket: the client address behind a trusted proxy.
#include <catch2/catch.hpp>

#include "http_rules.h"  // src/server: private to the transport, pure

using namespace lagesbild;

TEST_CASE("X-Forwarded-For is believed from a trusted proxy only, and only its last entry") {
  const std::vector<std::string> proxies = {"127.0.0.1"};
  CHECK(ClientAddress("10.0.0.9", "6.6.6.6", proxies) == "10.0.0.9");  // not a proxy: ignored
  CHECK(ClientAddress("127.0.0.1", "", proxies) == "127.0.0.1");
  CHECK(ClientAddress("127.0.0.1", "10.1.2.3", proxies) == "10.1.2.3");
  // A client's own header is passed on before the address the proxy adds.
  CHECK(ClientAddress("127.0.0.1", "6.6.6.6, 10.1.2.3", proxies) == "10.1.2.3");
  CHECK(ClientAddress("127.0.0.1", "2001:db8::7", proxies) == "2001:db8::7");
  CHECK(ClientAddress("127.0.0.1", "10.1.2.3, evil\nline", proxies) == "127.0.0.1");
  CHECK(ClientAddress("127.0.0.1", "unknown", proxies) == "127.0.0.1");
  CHECK(ClientAddress("127.0.0.1", "10.1.2.3,", proxies) == "127.0.0.1");
  CHECK(ClientAddress("127.0.0.1", "10.1.2.3", {}) == "127.0.0.1");
}
