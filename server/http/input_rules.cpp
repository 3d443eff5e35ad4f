#include "http/input_rules.hpp"

#include <algorithm>
#include <cctype>

namespace harmonic::http {

namespace {

bool is_username_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

}  // namespace

std::optional<std::string> check_username(std::string_view username) {
  if (username.size() < kUsernameMin || username.size() > kUsernameMax ||
      !std::all_of(username.begin(), username.end(), is_username_char)) {
    return "username must be 3 to 32 characters of letters, digits, '_', '-' or '.'";
  }
  return std::nullopt;
}

std::optional<std::string> check_password(std::string_view password) {
  if (password.size() > kPasswordMaxBytes) return "password must be at most 1024 bytes";
  const auto length = utf8_length(password);
  if (!length) return "password must be valid UTF-8";
  if (*length < kPasswordMinChars) return "password must be at least 8 characters";
  return std::nullopt;
}

std::optional<std::string> check_email(std::string_view email) {
  // The shape only (local@domain.tld); whether it exists is for a confirmation mail.
  const auto invalid = std::optional<std::string>("email must look like name@example.org");
  if (email.size() > kEmailMaxBytes) return invalid;
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) return invalid;
  const auto domain = email.substr(at + 1);
  const auto dot = domain.rfind('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size()) return invalid;
  if (domain.find("..") != std::string_view::npos || domain.front() == '.') return invalid;
  const auto bad = [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
           c == ';' || c == ':' || c == '\\' || c == '"' || c == '[' || c == ']';
  };
  if (std::any_of(email.begin(), email.end(), bad)) return invalid;
  if (!utf8_length(email)) return invalid;
  return std::nullopt;
}

}  // namespace harmonic::http
