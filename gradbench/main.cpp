// nabla-gradbench: nabla as a GradBench tool. Reads one JSON message per line
// on stdin and writes one response per line on stdout (see protocol.hpp).
#include <exception>
#include <iostream>
#include <string>

#include "protocol.hpp"

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string out;
    try {
      out = nabla::gradbench::respond(line).dump();
    } catch (const std::exception& e) {  // e.g. an output that cannot be encoded
      out = nlohmann::json{{"id", nullptr}, {"success", false}, {"error", e.what()}}.dump();
    }
    std::cout << out << '\n' << std::flush;
  }
  return 0;
}
