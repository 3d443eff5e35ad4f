// A store with a few users, shared by the storage tests; on SQLite unless a test names
// the store (store_backends.hpp).
#pragma once

#include <memory>
#include <string>

#include "store_backends.hpp"

namespace harmonic::test {

inline nlohmann::json default_parameters() {
  return {{"physics", {{"gravity", 9.81}, {"friction", 0.5}}},
          {"music", {{"tempo", 120}, {"scale", "major"}}},
          {"audio", {{"volume", 0.8}}},
          {"visualization", {{"brightness", 1.0}}}};
}

struct StoreWithUsers {
  explicit StoreWithUsers(Backend backend = Backend::sqlite, storage::Retention retention = {})
      : database(backend), owned(database.open(retention)) {}

  TestDatabase database;                   // before the store: dropped after it closes
  std::unique_ptr<storage::Store> owned;
  storage::Store& store = *owned;
  storage::User owner = must(store.create_user("owner", "owner@example.com", "hash-o", 100));
  storage::User friend_ = must(store.create_user("friend", "", "hash-f", 101));
  storage::User stranger = must(store.create_user("stranger", "", "hash-s", 102));

  storage::Universe make_universe(const std::string& name = "Nebula", bool is_public = false, std::int64_t now = 1000) {
    return store.create_universe(owner.id, name, "a description", is_public, 42, default_parameters(), now);
  }

  static storage::User must(std::optional<storage::User> user) {
    if (!user) {
      throw std::runtime_error("fixture user could not be created");
    }
    return *user;
  }
};

}  // namespace harmonic::test
