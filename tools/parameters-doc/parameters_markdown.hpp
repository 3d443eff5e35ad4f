// docs/parameters.md as text, rendered from the schema table.
#pragma once

#include <string>

namespace harmonic::tools {

std::string parameters_markdown();

}  // namespace harmonic::tools
