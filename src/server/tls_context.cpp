#include "tls_context.h"

#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace lagesbild {
namespace {

// TLS 1.2's suites: Mozilla's "intermediate" list (ECDHE key exchange, AEAD ciphers only).
// TLS 1.3's are OpenSSL's defaults, all of them modern.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

Error TlsError(const std::string& field, const std::string& message) {
  return MakeError("tls", field, message);
}

// OpenSSL's reason for the last failure, or the asio error's text.
std::string Reason(const asio::error_code& error) {
  const unsigned long code = ERR_peek_last_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  ERR_clear_error();
  return reason != nullptr ? reason : error.message();
}

// The key is a secret: refuse it when anyone but its owner may read it.
std::optional<Error> CheckKeyFile(const std::string& key_path) {
  struct stat info {};
  if (stat(key_path.c_str(), &info) != 0) {
    return TlsError("tls-key", "cannot read the key " + key_path);
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return TlsError("tls-key", "the key " + key_path +
                                   " may be read by others than its owner (chmod 600 it)");
  }
  return std::nullopt;
}

std::string Describe(SSL_CTX* context) {
  X509* certificate = SSL_CTX_get0_certificate(context);
  if (certificate == nullptr) return "";
  char subject[256] = {0};
  X509_NAME_oneline(X509_get_subject_name(certificate), subject, sizeof subject);
  std::string text = subject;
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio != nullptr && ASN1_TIME_print(bio, X509_get0_notAfter(certificate)) == 1) {
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    text += " until " + std::string(data, static_cast<std::size_t>(length));
  }
  BIO_free(bio);
  return text;
}

}  // namespace

Result<std::shared_ptr<tls_socket::SslContext>> MakeTlsContext(const std::string& cert_path,
                                                              const std::string& key_path) {
  if (auto refusal = CheckKeyFile(key_path)) return *refusal;
  auto context = std::make_shared<tls_socket::SslContext>(asio::ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                  SSL_OP_SINGLE_ECDH_USE);
  // (Asio sets SSL_MODE_RELEASE_BUFFERS on every stream itself: an idle board holds no OpenSSL
  // record buffers. Its own buffers, 4 x 17 KiB per stream, are fixed: docs/performance.md.)
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return TlsError("tls-cert", "OpenSSL has none of the TLS 1.2 cipher suites");
  }
  asio::error_code error;
  context->use_certificate_chain_file(cert_path, error);
  if (error) return TlsError("tls-cert", "cannot use the certificate " + cert_path + ": " + Reason(error));
  context->use_private_key_file(key_path, asio::ssl::context::pem, error);
  if (error) return TlsError("tls-key", "cannot use the key " + key_path + ": " + Reason(error));
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return TlsError("tls-key", "the key " + key_path + " does not belong to the certificate " + cert_path);
  }
  return context;
}

std::optional<Error> TlsCertificate::Reload() {
  auto made = MakeTlsContext(cert_path_, key_path_);
  if (!made.ok()) return made.error();
  current_ = std::move(made).value();
  description_ = Describe(current_->native_handle());
  return std::nullopt;
}

}  // namespace lagesbild
