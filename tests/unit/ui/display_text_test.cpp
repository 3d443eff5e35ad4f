// How facts read on screen (shared/ui/display_text.hpp).
#include <algorithm>

#include <catch2/catch.hpp>

#include "client/client_errors.hpp"
#include "ui/display_text.hpp"

using namespace harmonic::ui;

TEST_CASE("display: a user's colour is stable, distinct and bright enough on dark") {
  CHECK(user_color("42") == user_color("42"));
  CHECK(user_color("42") != user_color("43"));
  for (const char* id : {"1", "2", "alice", ""}) {
    const auto rgb = user_color(id);
    CHECK(rgb <= 0xFFFFFFu);
    const auto brightest = std::max({rgb >> 16, (rgb >> 8) & 0xFFu, rgb & 0xFFu});
    CHECK(brightest >= 200u);  // value 0.98: never a dark colour on the dark theme
  }
}

TEST_CASE("display: relative times") {
  const double now = 1'000'000'000;
  CHECK(relative_time(now - 1000, now) == "just now");
  CHECK(relative_time(now + 5000, now) == "just now");  // a clock a little ahead
  CHECK(relative_time(now - 42'000, now) == "42 s ago");
  CHECK(relative_time(now - 5 * 60'000, now) == "5 min ago");
  CHECK(relative_time(now - 3 * 3'600'000, now) == "3 h ago");
  CHECK(relative_time(now - 2 * 86'400'000.0, now) == "2 d ago");
}

TEST_CASE("display: an error object reads as its message and each invalid field") {
  const nlohmann::json error = {
      {"code", "invalid_parameters"},
      {"message", "invalid parameters"},
      {"details",
       {{"fields",
         {{{"field", "physics.gravity"}, {"message", "must be between 0 and 20"}},
          {{"field", "music.key"}, {"message", "must be one of C, D"}}}}}}};
  CHECK(describe_error(error) == "invalid parameters: physics.gravity must be between 0 and 20; music.key must be one of C, D");
  // An ack {ok: false, error} reads as its error.
  CHECK(describe_error({{"ok", false}, {"error", error}}) == describe_error(error));
  // A message that already lists the fields is not repeated.
  CHECK(describe_error({{"message", "bad: physics.gravity must be positive"},
                        {"details", {{"fields", {{{"field", "physics.gravity"}, {"message", "must be positive"}}}}}}}) ==
        "bad: physics.gravity must be positive");
  CHECK(describe_error({{"code", "forbidden"}}) == "forbidden");  // no message: the code
  CHECK(describe_error("plain words") == "plain words");
  CHECK(describe_error(nlohmann::json()) == "Something went wrong.");
  CHECK(describe_error(nlohmann::json::object()) == "Something went wrong.");
}

TEST_CASE("display: the client's own errors have their sentences here") {
  namespace errors = harmonic::client::errors;
  CHECK(describe_error(errors::make(errors::unreachable)) == "Cannot reach the server.");
  CHECK(describe_error(errors::make(errors::http_status, {{"status", 502}})) == "The server answered 502.");
  CHECK(describe_error(errors::make(errors::unexpected_answer)) == "Unexpected answer from the server.");
  CHECK(describe_error(errors::make(errors::session_expired)) == "Your session has expired. Please sign in again.");
}

TEST_CASE("display: a toast's text is its error worded, or its own text") {
  harmonic::client::Notice plain;
  plain.text = "bob joined";
  CHECK(notice_text(plain) == "bob joined");
  harmonic::client::Notice failed;
  failed.error = {{"code", "forbidden"}, {"message", "only the owner can delete"}};
  CHECK(notice_text(failed) == "only the owner can delete");
}
