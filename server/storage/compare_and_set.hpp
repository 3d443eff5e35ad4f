// The compare-and-set check of UniverseChange::expected_parameters, shared by every Store
// so that "what counts as the same value" is written once.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace harmonic::storage {

// {category: {name: committed value}} for every expected value that differs from the
// committed one (an absent parameter is null); empty when all hold. `committed` maps a
// category to its committed values (an object; absent categories may be missing).
// JSON equality compares numbers by value, so 1 and 1.0 are the same.
inline nlohmann::json parameter_conflicts(const std::map<std::string, nlohmann::json>& expected,
                                          const std::map<std::string, nlohmann::json>& committed) {
  auto conflicts = nlohmann::json::object();
  for (const auto& [category, values] : expected) {
    const auto found = committed.find(category);
    for (const auto& [name, value] : values.items()) {
      nlohmann::json stored;
      if (found != committed.end() && found->second.is_object()) stored = found->second.value(name, nlohmann::json());
      if (stored != value) conflicts[category][name] = stored;
    }
  }
  return conflicts;
}

}  // namespace harmonic::storage
