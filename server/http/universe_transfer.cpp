#include "http/universe_transfer.hpp"

#include "params/schema.hpp"

namespace harmonic::http {

nlohmann::json export_universe(const storage::Universe& universe, const nlohmann::json& parameters) {
  return {
      {"format", kExportFormat},
      {"version", kExportVersion},
      {"name", universe.name},
      {"description", universe.description},
      {"is_public", universe.is_public},
      {"parameters", parameters},
  };
}

ImportedParameters import_parameters(const nlohmann::json& document_parameters) {
  ImportedParameters result;
  result.parameters = params::all_defaults();
  if (!document_parameters.is_object()) {
    result.errors.push_back({"parameters", "must be an object of categories", nullptr});
    return result;
  }
  for (const auto& [category, values] : document_parameters.items()) {
    if (!params::find_category(category)) {
      auto names = nlohmann::json::array();
      for (const auto& known : params::categories()) names.push_back(std::string(known.name));
      result.errors.push_back({"parameters." + category, "is not a parameter category", {{"values", names}}});
      continue;
    }
    if (values.is_object() && values.empty()) continue;  // nothing given: defaults
    auto checked = params::validate_parameters(category, values);
    if (!checked.ok()) {
      result.errors.insert(result.errors.end(), checked.errors.begin(), checked.errors.end());
      continue;
    }
    for (const auto& [name, value] : checked.values.items()) result.parameters[category][name] = value;
  }
  return result;
}

}  // namespace harmonic::http
