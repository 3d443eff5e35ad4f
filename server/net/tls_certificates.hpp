// The server's own TLS (--tls-cert, --tls-key; docs/operations.md, "TLS"): the
// certificate and key, loaded into an OpenSSL context with modern settings, and
// reloadable on SIGHUP (certbot renews files in place).
//
// A reload builds a whole new context from the files; when that fails (a missing or
// half-written file, a key that does not match) the error is logged and the old context
// stays in use, so a bad renewal never takes the server down. Each connection holds a
// shared_ptr to the context it was made with, so open connections are not disturbed.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace harmonic::net {

// TLS 1.2 at least; for 1.2 only ECDHE key exchange with AES-GCM or ChaCha20-Poly1305
// (TLS 1.3's suites are all of that kind and keep OpenSSL's defaults). Throws
// std::runtime_error naming the file and OpenSSL's reason when the files do not load.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const std::string& cert_file, const std::string& key_file);

class TlsCertificates {
 public:
  // Throws like make_tls_context: a server that cannot load its certificate does not start.
  TlsCertificates(std::string cert_file, std::string key_file);
  std::shared_ptr<boost::asio::ssl::context> current() const { return current_; }
  // True when the new files are in use; false (logged) when the old ones stay.
  bool reload();

 private:
  std::string cert_file_;
  std::string key_file_;
  std::shared_ptr<boost::asio::ssl::context> current_;
};

}  // namespace harmonic::net
