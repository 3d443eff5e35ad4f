#include "load/rest_setup.hpp"

#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace harmonic::bench {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

std::string RestSetup::post(const std::string& target, const std::string& body, const std::string& bearer) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address(host_), port_));
  http::request<http::string_body> request{http::verb::post, target, 11};
  request.set(http::field::host, host_ + ":" + std::to_string(port_));
  request.set(http::field::content_type, "application/json");
  if (!bearer.empty()) request.set(http::field::authorization, "Bearer " + bearer);
  request.body() = body;
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  if (response.result_int() / 100 != 2) {
    throw std::runtime_error("POST " + target + " answered " + std::to_string(response.result_int()) + ": " +
                             response.body().substr(0, 200));
  }
  return response.body();
}

std::vector<BenchUser> RestSetup::register_users(const std::string& prefix, std::size_t count) {
  std::vector<BenchUser> users;
  for (std::size_t i = 0; i < count; ++i) {
    const nlohmann::json body = {{"username", prefix + "_" + std::to_string(i)}, {"password", "benchmark-password"}};
    const auto reply = nlohmann::json::parse(post("/api/auth/register", body.dump(), ""));
    users.push_back({reply.at("user").at("id").get<std::string>(), reply.at("token").get<std::string>()});
  }
  return users;
}

std::string RestSetup::create_universe(const BenchUser& owner, const std::string& name) {
  const nlohmann::json body = {{"name", name}, {"is_public", true}};
  const auto reply = nlohmann::json::parse(post("/api/universes", body.dump(), owner.token));
  const auto& universe = reply.contains("universe") ? reply.at("universe") : reply;
  return universe.at("id").get<std::string>();
}

}  // namespace harmonic::bench
