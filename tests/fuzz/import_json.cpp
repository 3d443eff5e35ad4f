// Fuzzes POST /api/universes/import's reading of a document (the request body):
// http::parse_json_object, read_universe_fields (name, description, is_public) and
// import_parameters (every category and parameter against the schema).
// Invariants:
// - a refusal is an ApiError (400) with serialisable details; nothing else is thrown;
// - an accepted name is trimmed and passes the name rule;
// - an accepted import is complete: every category, every parameter of the schema, each
//   a value the schema accepts as it is;
// - a refused import lists at least one field;
// - export-import round trip: exporting the imported universe and importing that
//   document gives the same parameters.
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "http/input_rules.hpp"
#include "http/json_responses.hpp"
#include "http/request_body.hpp"
#include "http/universe_fields.hpp"
#include "http/universe_transfer.hpp"
#include "params/schema.hpp"

namespace http = harmonic::http;
namespace params = harmonic::params;

namespace {

void check_complete(const nlohmann::json& parameters) {
  FUZZ_CHECK(parameters.is_object() && parameters.size() == params::categories().size());
  for (const auto& category : params::categories()) {
    const auto& values = parameters.at(std::string(category.name));
    FUZZ_CHECK(values.size() == category.parameters.size());
    const auto again = params::validate_parameters(category.name, values);
    FUZZ_CHECK(again.ok() && again.values == values);
  }
}

void import_document(const std::string& body) {
  http::ApiRequest request;
  request.method = "POST";
  request.body = body;
  const auto document = http::parse_json_object(request);
  FUZZ_CHECK(document.is_object());
  const auto fields = http::read_universe_fields(document);
  if (fields.name) {
    FUZZ_CHECK(*fields.name == http::trim_spaces(*fields.name));
    FUZZ_CHECK(!http::check_universe_name(*fields.name));
  }
  if (fields.description) FUZZ_CHECK(!http::check_description(*fields.description));

  const auto parameters = document.find("parameters");
  if (parameters == document.end()) return;
  const auto imported = http::import_parameters(*parameters);
  if (!imported.ok()) {
    (void)params::describe_errors(imported.errors).dump();
    return;
  }
  check_complete(imported.parameters);

  harmonic::storage::Universe universe;
  universe.name = fields.name.value_or("imported");
  universe.description = fields.description.value_or("");
  universe.is_public = fields.is_public.value_or(false);
  request.body = http::export_universe(universe, imported.parameters).dump();
  const auto exported = http::parse_json_object(request);
  FUZZ_CHECK(exported.at("format") == http::kExportFormat && exported.at("version") == http::kExportVersion);
  const auto reimported = http::import_parameters(exported.at("parameters"));
  FUZZ_CHECK(reimported.ok() && reimported.parameters == imported.parameters);
  const auto refields = http::read_universe_fields(exported);
  FUZZ_CHECK(!fields.name || refields.name == fields.name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    import_document(std::string(reinterpret_cast<const char*>(data), size));
  } catch (const http::ApiError& error) {
    FUZZ_CHECK(error.status() == 400);
    (void)error.details().dump();
  }
  return 0;
}
