// A GradBench module as the tool sees it: a name and its functions, each of
// which takes the message's input (JSON), converts it, runs the computation
// as often as the input asks, and returns the output with one timing per run.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nabla::gradbench {

using Json = nlohmann::json;

/// The result of one evaluate: the output and the nanoseconds of each run.
struct Evaluation {
  Json output;
  std::vector<std::int64_t> nanoseconds;
};

/// One function of a module; throws nabla::Error (or a JSON error) on bad input.
using Function = std::function<Evaluation(const Json& input)>;

/// A module: its functions by name.
struct Module {
  std::map<std::string, Function> functions;
};

/// Every module the tool implements, by name.
const std::map<std::string, Module>& modules();

// One per file.
Module hello_module();
Module llsq_module();
Module lse_module();
Module gmm_module();
Module ba_module();
Module lstm_module();
Module ode_module();
Module det_module();
Module ht_module();

}  // namespace nabla::gradbench
