// parameters-doc: prints docs/parameters.md, rendered from the schema table.
//   parameters-doc                 the document on stdout
//   parameters-doc --check FILE    exit 1 (and say how to fix it) if FILE differs
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "parameters_markdown.hpp"

int main(int argc, char** argv) {
  const std::string markdown = harmonic::tools::parameters_markdown();
  if (argc == 1) {
    std::cout << markdown;
    return 0;
  }
  if (argc == 3 && std::string(argv[1]) == "--check") {
    std::ifstream file(argv[2], std::ios::binary);
    if (!file) {
      std::cerr << "parameters-doc: cannot read " << argv[2] << "\n";
      return 1;
    }
    std::ostringstream committed;
    committed << file.rdbuf();
    if (committed.str() == markdown) return 0;
    std::cerr << argv[2] << " is stale: the schema table (shared/params/table.hpp) changed.\n"
              << "Regenerate it: build/tools/parameters-doc/parameters-doc > docs/parameters.md\n";
    return 1;
  }
  std::cerr << "usage: parameters-doc [--check FILE]\n";
  return 2;
}
