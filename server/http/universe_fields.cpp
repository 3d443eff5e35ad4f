#include "http/universe_fields.hpp"

#include "http/input_rules.hpp"
#include "http/json_responses.hpp"
#include "http/request_body.hpp"

namespace harmonic::http {

UniverseFields read_universe_fields(const nlohmann::json& body) {
  UniverseFields fields;
  fields.name = optional_string(body, "name");
  fields.description = optional_string(body, "description");
  fields.is_public = optional_bool(body, "is_public");
  if (fields.name) {
    fields.name = trim_spaces(*fields.name);  // surrounding spaces neither count nor stay
    if (auto problem = check_universe_name(*fields.name)) throw bad_request(*problem, {{"field", "name"}});
  }
  if (fields.description) {
    if (auto problem = check_description(*fields.description)) {
      throw bad_request(*problem, {{"field", "description"}});
    }
  }
  return fields;
}

}  // namespace harmonic::http
