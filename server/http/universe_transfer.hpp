// A universe as a portable JSON document, for GET /api/universes/{id}/export.json and
// POST /api/universes/import:
//   {"format":"harmonic-universe","version":1,"name":...,"description":...,
//    "is_public":...,"parameters":{"physics":{...},"music":{...},"audio":{...},"visualization":{...}}}
// Import checks every parameter against the schema (params::validate_parameters) and
// reports every offending field at once. Categories or parameters left out take their
// defaults, so a document from an older version with fewer parameters still imports.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "params/validation.hpp"
#include "storage/store.hpp"

namespace harmonic::http {

inline constexpr const char* kExportFormat = "harmonic-universe";
inline constexpr int kExportVersion = 1;

nlohmann::json export_universe(const storage::Universe& universe, const nlohmann::json& parameters);

struct ImportedParameters {
  nlohmann::json parameters = nlohmann::json::object();  // complete: every category, every parameter
  std::vector<params::FieldError> errors;
  bool ok() const { return errors.empty(); }
};

// `document_parameters` is the "parameters" member of an import.
ImportedParameters import_parameters(const nlohmann::json& document_parameters);

}  // namespace harmonic::http
