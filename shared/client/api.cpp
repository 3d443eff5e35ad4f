#include "client/api.hpp"

#include <cctype>

#include "client/client_errors.hpp"
#include "protocol/socketio.hpp"

namespace harmonic::client {

using nlohmann::json;

ApiResult decode_response(const HttpResponse& response) {
  ApiResult result;
  result.status = response.status;
  if (!response.body.empty()) {
    auto parsed = protocol::parse_untrusted_json(response.body);
    if (parsed) result.body = std::move(*parsed);
  }
  if (response.status == 0) {
    result.error = errors::make(errors::unreachable);
  } else if (response.status < 200 || response.status >= 300) {
    if (result.body.is_object() && result.body.contains("error") && !result.body["error"].is_null()) {
      result.error = result.body["error"];
    } else {
      result.error = errors::make(errors::http_status, {{"status", response.status}});
    }
  }
  return result;
}

void Api::call(const std::string& method, const std::string& path, const json& body, Callback done) {
  HttpRequest request;
  request.method = method;
  request.url = origin_ + path;
  if (!body.is_null()) request.body = body.dump();
  request.bearer_token = token_;
  http_.request(request, [done = std::move(done)](HttpResponse response) {
    if (done) done(decode_response(response));
  });
}

void Api::register_user(const std::string& username, const std::string& password, Callback done) {
  call("POST", "/api/auth/register", {{"username", username}, {"password", password}}, std::move(done));
}
void Api::login(const std::string& username, const std::string& password, Callback done) {
  call("POST", "/api/auth/login", {{"username", username}, {"password", password}}, std::move(done));
}
void Api::me(Callback done) { call("GET", "/api/auth/me", nullptr, std::move(done)); }
void Api::list_universes(const std::optional<std::string>& cursor, Callback done) {
  std::string path = "/api/universes?limit=" + std::to_string(kUniversePageSize);
  if (cursor) {
    // The server's cursors are decimal ids; anything else is escaped rather than trusted.
    path += "&cursor=";
    for (const unsigned char c : *cursor) {
      static constexpr char hex[] = "0123456789ABCDEF";
      if (std::isalnum(c)) {
        path += static_cast<char>(c);
      } else {
        path += '%';
        path += hex[c >> 4];
        path += hex[c & 15];
      }
    }
  }
  call("GET", path, nullptr, std::move(done));
}
void Api::create_universe(const json& fields, Callback done) {
  call("POST", "/api/universes", fields, std::move(done));
}
void Api::update_universe(const std::string& id, const json& fields, Callback done) {
  call("PATCH", "/api/universes/" + id, fields, std::move(done));
}
void Api::delete_universe(const std::string& id, Callback done) {
  call("DELETE", "/api/universes/" + id, nullptr, std::move(done));
}
void Api::list_collaborators(const std::string& id, Callback done) {
  call("GET", "/api/universes/" + id + "/collaborators", nullptr, std::move(done));
}
void Api::add_collaborator(const std::string& id, const std::string& username, Callback done) {
  call("POST", "/api/universes/" + id + "/collaborators", {{"username", username}}, std::move(done));
}

}  // namespace harmonic::client
