// The server's TLS settings (--tls-cert, --tls-key) as an OpenSSL context: TLS 1.2 and 1.3
// only, forward-secret AEAD ciphers, no compression or renegotiation, a private key that only
// its owner may read. Reload() makes a new context from the same files (SIGHUP); connections
// already open keep the one they started with (tls_socket.h).
//
// Thread model: network thread only.
#ifndef LAGESBILD_SERVER_TLS_CONTEXT_H_
#define LAGESBILD_SERVER_TLS_CONTEXT_H_

#include <memory>
#include <string>

#include "tls_socket.h"

#include "lagesbild/core/error.h"
#include "lagesbild/core/result.h"

namespace lagesbild {

// A context from a PEM certificate chain and key; the error names the file and the reason
// (code "tls", field "tls-cert" or "tls-key").
Result<std::shared_ptr<tls_socket::SslContext>> MakeTlsContext(const std::string& cert_path,
                                                              const std::string& key_path);

class TlsCertificate {
 public:
  TlsCertificate(std::string cert_path, std::string key_path)
      : cert_path_(std::move(cert_path)), key_path_(std::move(key_path)) {}
  // Reads the files; on an error the context in use (if any) stays.
  std::optional<Error> Reload();
  std::shared_ptr<tls_socket::SslContext> current() const { return current_; }
  // The certificate's subject and expiry, for the log ("CN=… until 2027-12-01").
  const std::string& description() const { return description_; }

 private:
  std::string cert_path_, key_path_;
  std::shared_ptr<tls_socket::SslContext> current_;
  std::string description_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_TLS_CONTEXT_H_
