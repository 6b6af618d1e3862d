// The registry of modules and the reading of the Runs fields.
#include <limits>

#include "json_io.hpp"
#include "module.hpp"
#include "nabla/core/errors.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

const std::map<std::string, Module>& modules() {
  static const std::map<std::string, Module> all = {
      {"hello", hello_module()}, {"llsq", llsq_module()}, {"lse", lse_module()},
      {"gmm", gmm_module()},     {"ba", ba_module()},     {"lstm", lstm_module()},
      {"ode", ode_module()},     {"det", det_module()},   {"ht", ht_module()}};
  return all;
}

Runs read_runs(const nlohmann::json& input) {
  Runs runs;
  if (!input.is_object()) return runs;
  constexpr long long most = kMaxRuns;
  if (input.contains("min_runs"))
    runs.min_runs = read_int(input, "min_runs", 1, most);
  else if (input.contains("runs"))
    runs.min_runs = read_int(input, "runs", 1, most);
  if (input.contains("min_seconds")) {
    runs.min_seconds = read_double(input, "min_seconds");
    if (!(runs.min_seconds >= 0 && runs.min_seconds <= 3600))
      throw InputError("input field 'min_seconds' must be in [0, 3600]");
  }
  return runs;
}

}  // namespace nabla::gradbench
