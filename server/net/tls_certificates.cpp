#include "net/tls_certificates.hpp"

#include <stdexcept>

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

namespace harmonic::net {

namespace ssl = boost::asio::ssl;

namespace {

// Mozilla's "intermediate" list for TLS 1.2 (forward secrecy, AEAD ciphers only).
constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

std::string reason(const boost::system::system_error& error) { return error.code().message(); }

}  // namespace

std::shared_ptr<ssl::context> make_tls_context(const std::string& cert_file, const std::string& key_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression |
                       ssl::context::single_dh_use);
  auto* native = context->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 || SSL_CTX_set_cipher_list(native, tls12_ciphers) != 1) {
    throw std::runtime_error("OpenSSL refused the TLS settings");
  }
  // An idle connection gives OpenSSL's record buffers back (most realtime connections
  // idle between bursts; docs/operations.md, "TLS", gives the measured cost).
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  try {
    context->use_certificate_chain_file(cert_file);
  } catch (const boost::system::system_error& error) {
    throw std::runtime_error("cannot load the TLS certificate " + cert_file + ": " + reason(error));
  }
  try {
    context->use_private_key_file(key_file, ssl::context::pem);
  } catch (const boost::system::system_error& error) {
    throw std::runtime_error("cannot load the TLS key " + key_file + ": " + reason(error));
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    throw std::runtime_error("the TLS key " + key_file + " does not match the certificate " + cert_file);
  }
  return context;
}

TlsCertificates::TlsCertificates(std::string cert_file, std::string key_file)
    : cert_file_(std::move(cert_file)), key_file_(std::move(key_file)), current_(make_tls_context(cert_file_, key_file_)) {}

bool TlsCertificates::reload() {
  try {
    current_ = make_tls_context(cert_file_, key_file_);
    spdlog::info("TLS certificate reloaded from {}", cert_file_);
    return true;
  } catch (const std::exception& error) {
    spdlog::error("TLS certificate not reloaded, the previous one stays in use: {}", error.what());
    return false;
  }
}

}  // namespace harmonic::net
