#include "parameters_markdown.hpp"

#include <sstream>

#include "params/table.hpp"

namespace harmonic::tools {
namespace {

std::string number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string type_name(params::ValueType type) {
  switch (type) {
    case params::ValueType::real: return "number";
    case params::ValueType::integer: return "integer";
    case params::ValueType::choice: return "choice";
    case params::ValueType::color: return "colour";
  }
  return "?";
}

std::string allowed(const params::ParameterSpec& spec) {
  switch (spec.type) {
    case params::ValueType::real:
    case params::ValueType::integer: {
      std::string text = number(spec.min) + " … " + number(spec.max);
      if (spec.type == params::ValueType::real) text += ", step " + number(spec.step);
      if (spec.logarithmic) text += ", log scale";
      return text;
    }
    case params::ValueType::choice: {
      std::string text;
      for (const auto choice : spec.choices) text += (text.empty() ? "`" : ", `") + std::string(choice) + "`";
      return text;
    }
    case params::ValueType::color: return "`#RRGGBB`";
  }
  return "";
}

std::string default_text(const params::ParameterSpec& spec) {
  if (spec.type == params::ValueType::choice || spec.type == params::ValueType::color) {
    return "`" + std::string(spec.default_text) + "`";
  }
  return number(spec.default_number);
}

}  // namespace

std::string parameters_markdown() {
  std::ostringstream out;
  out << "# Parameters\n\n"
         "<!-- Generated from shared/params/table.hpp by tools/parameters-doc; do not edit.\n"
         "     Regenerate: build/tools/parameters-doc/parameters-doc > docs/parameters.md -->\n\n"
         "Every universe has four categories of parameters. This table is the schema the server\n"
         "validates `parameter:update` and `parameter:delta` against (docs/protocol.md), the\n"
         "defaults a new universe starts with and `parameter:reset` restores, the panels the\n"
         "clients draw, and the ranges the simulation and the synthesiser clamp to.\n\n"
         "Values travel as JSON: numbers as numbers (an integer parameter accepts only whole\n"
         "numbers), choices as one of the listed strings, colours as `#RRGGBB` (stored upper-case).\n"
         "A request with any invalid value is refused whole with `invalid_parameters`, naming each\n"
         "offending field and what it allows.\n";
  for (const auto& category : params::categories()) {
    out << "\n## " << category.label << " (`" << category.name << "`)\n\n"
        << "| name | label | type | allowed | default | unit | meaning |\n"
        << "|---|---|---|---|---|---|---|\n";
    for (const auto& spec : category.parameters) {
      out << "| `" << spec.name << "` | " << spec.label << " | " << type_name(spec.type) << " | " << allowed(spec)
          << " | " << default_text(spec) << " | " << spec.unit << " | " << spec.meaning << " |\n";
    }
  }
  return out.str();
}

}  // namespace harmonic::tools
