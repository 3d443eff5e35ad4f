// accept_token: the one check every REST request and socket authentication goes through.
// A well-signed, unexpired token still opens no session once it is revoked, once its user
// changed the password (generation), or when its user is gone.
#include <catch2/catch.hpp>

#include "auth/token_sessions.hpp"
#include "storage/sqlite_store.hpp"

using namespace harmonic;

namespace {
const std::string kSecret = "test-secret-0123456789abcdef";
}

TEST_CASE("a token opens a session until it is revoked") {
  storage::SqliteStore store(":memory:");
  auth::TokenService tokens(kSecret);
  const auto ada = *store.create_user("ada", "", "h", 1);
  const auto token = tokens.issue(ada.id, ada.username, ada.token_generation);
  const auto other = tokens.issue(ada.id, ada.username, ada.token_generation);

  const auto session = auth::accept_token(tokens, store, token);
  REQUIRE(session);
  CHECK(session->user.id == ada.id);
  CHECK(session->expires_at_ms() == session->claims.expires_at * 1000);

  store.revoke_token(session->claims.token_id, session->expires_at_ms(), 0);
  CHECK_FALSE(auth::accept_token(tokens, store, token));
  CHECK(auth::accept_token(tokens, store, other));  // only that token
}

TEST_CASE("a password change ends every older token of the user, not newer ones or others'") {
  storage::SqliteStore store(":memory:");
  auth::TokenService tokens(kSecret);
  const auto ada = *store.create_user("ada", "", "h", 1);
  const auto bob = *store.create_user("bob", "", "h", 1);
  const auto old_token = tokens.issue(ada.id, ada.username, ada.token_generation);
  const auto bobs = tokens.issue(bob.id, bob.username, bob.token_generation);
  REQUIRE(auth::accept_token(tokens, store, old_token));

  const auto changed = store.change_password(ada.id, "h2");
  REQUIRE(changed);
  CHECK_FALSE(auth::accept_token(tokens, store, old_token));
  CHECK(auth::accept_token(tokens, store, tokens.issue(ada.id, ada.username, changed->token_generation)));
  CHECK(auth::accept_token(tokens, store, bobs));
}

TEST_CASE("a forged, expired or ownerless token opens no session") {
  storage::SqliteStore store(":memory:");
  auth::TokenService tokens(kSecret);
  const auto ada = *store.create_user("ada", "", "h", 1);
  CHECK_FALSE(auth::accept_token(tokens, store, "not-a-token"));
  CHECK_FALSE(auth::accept_token(tokens, store, tokens.issue(ada.id, ada.username, std::chrono::seconds(-5))));
  CHECK_FALSE(auth::accept_token(tokens, store, auth::TokenService(std::string(40, 'z')).issue(ada.id, "ada")));
  CHECK_FALSE(auth::accept_token(tokens, store, tokens.issue("999", "ghost")));
}
