// The REST API of harmonic-server as typed calls over an abstract HttpClient.
// Answers arrive through callbacks as either the decoded JSON or an error object.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "client/transport.hpp"

namespace harmonic::client {

struct ApiResult {
  int status = 0;
  nlohmann::json body;   // the decoded answer (null if none)
  nlohmann::json error;  // null on success; else an error object (the server's, or client_errors.hpp's)
  bool ok() const { return error.is_null(); }
};

// Universes asked for per page of the list (the server allows 1 to 200).
inline constexpr int kUniversePageSize = 50;

class Api {
 public:
  using Callback = std::function<void(const ApiResult&)>;

  Api(HttpClient& http, std::string origin) : http_(http), origin_(std::move(origin)) {}
  void set_token(std::string token) { token_ = std::move(token); }
  const std::string& origin() const { return origin_; }

  void register_user(const std::string& username, const std::string& password, Callback done);
  void login(const std::string& username, const std::string& password, Callback done);
  void me(Callback done);
  // One page of GET /api/universes (docs/protocol.md: `limit`, `cursor`, `next_cursor`):
  // the first without a cursor, the next with the previous page's next_cursor.
  void list_universes(const std::optional<std::string>& cursor, Callback done);
  void create_universe(const nlohmann::json& fields, Callback done);
  void update_universe(const std::string& id, const nlohmann::json& fields, Callback done);
  void delete_universe(const std::string& id, Callback done);
  void list_collaborators(const std::string& id, Callback done);
  void add_collaborator(const std::string& id, const std::string& username, Callback done);

 private:
  void call(const std::string& method, const std::string& path, const nlohmann::json& body, Callback done);
  HttpClient& http_;
  std::string origin_;
  std::string token_;
};

// Turns an HTTP answer into an ApiResult (exposed for tests).
ApiResult decode_response(const HttpResponse& response);

}  // namespace harmonic::client
