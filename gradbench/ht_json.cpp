// The ht module: reading the eval's input (theta, data.model, data.
// correspondences, data.points, us) into an HtInput, and its two functions,
// objective (the 3n residuals) and jacobian (3n rows of columns()).
// Matrices arrive as arrays of rows: base_relatives and
// inverse_base_absolutes as bones arrays of 4 rows of 4, base_positions as
// vertices rows of 4, weights as vertices rows of bones, points as n rows of
// 3, us as n rows of 2 (or flat, or empty for the simple case).
#include <cmath>
#include <limits>
#include <string>

#include "ht.hpp"
#include "json_io.hpp"
#include "module.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

namespace {

constexpr std::size_t kAny = static_cast<std::size_t>(-1);

std::vector<int> read_ints(const Json& j, const char* key, long long min, long long max) {
  std::vector<int> out;
  for (double d : read_vector(j, key)) {
    if (!(d >= static_cast<double>(min) && d <= static_cast<double>(max)) || d != std::floor(d))
      throw InputError(std::string("input field '") + key + "' must hold integers in [" +
                       std::to_string(min) + ", " + std::to_string(max) + "]");
    out.push_back(static_cast<int>(d));
  }
  return out;
}

/// `count` 4 x 4 matrices given as arrays of 4 rows, flattened row-major.
std::vector<double> read_matrices(const Json& model, const char* key, std::size_t count) {
  const Json& all = field(model, key);
  if (!all.is_array() || all.size() != count)
    throw InputError(std::string("input field '") + key + "' must be an array of " + std::to_string(count) +
                     " 4 x 4 matrices (one per bone)");
  std::vector<double> out;
  out.reserve(16 * count);
  for (const Json& matrix : all) {
    const std::vector<double> rows = read_rows(Json{{key, matrix}}, key, 4, 4);
    out.insert(out.end(), rows.begin(), rows.end());
  }
  return out;
}

HtModel read_model(const Json& data) {
  const Json& j = require_object(field(data, "model"), "input field 'model'");
  HtModel m;
  m.bones = static_cast<std::size_t>(read_int(j, "bone_count", kHtMinBones, 1 << 16));
  const Json& names = field(j, "bone_names");
  if (!names.is_array() || names.size() != m.bones)
    throw InputError("input field 'bone_names' must have bone_count entries");
  m.parents = read_ints(j, "parents", -1, static_cast<long long>(m.bones) - 1);
  m.base_relatives = read_matrices(j, "base_relatives", m.bones);
  m.inverse_base_absolutes = read_matrices(j, "inverse_base_absolutes", m.bones);
  m.base_positions = read_rows(j, "base_positions", kAny, 4, &m.vertices);
  m.weights = read_rows(j, "weights", m.vertices, m.bones);
  std::size_t triangles = 0;
  const std::vector<double> t = read_rows(j, "triangles", kAny, 3, &triangles);
  for (double v : t) {
    if (!(v >= 0 && v < static_cast<double>(m.vertices)) || v != std::floor(v))
      throw InputError("input field 'triangles' must hold vertex indices in [0, " +
                       std::to_string(m.vertices) + ")");
    m.triangles.push_back(static_cast<int>(v));
  }
  const Json& mirrored = field(j, "is_mirrored");
  if (!mirrored.is_boolean()) throw InputError("input field 'is_mirrored' must be true or false");
  m.mirrored = mirrored.get<bool>();
  return m;
}

std::vector<double> read_us(const Json& input, std::size_t n) {
  const Json& us = field(input, "us");
  if (!us.is_array()) throw InputError("input field 'us' must be an array");
  if (us.empty()) return {};
  if (us.size() == 2 * n && us[0].is_number()) return read_vector(input, "us", 2 * n);  // flat
  return read_rows(input, "us", n, 2);
}

}  // namespace

HtInput read_ht_input(const Json& input) {
  const Json& data = require_object(field(input, "data"), "input field 'data'");
  HtInput in;
  in.model = read_model(data);
  in.correspondences = read_ints(data, "correspondences", 0, std::numeric_limits<int>::max());
  in.points = read_rows(data, "points", in.n(), 3);
  in.theta = read_vector(input, "theta", kHtTheta);
  in.us = read_us(input, in.n());
  return in;
}

namespace {

Evaluation run_objective(const Json& input) {
  Ht ht(read_ht_input(input));
  const std::vector<double>* err = nullptr;
  auto times = repeat(read_runs(input), [&] { err = &ht.objective(); });
  return {*err, std::move(times)};
}

Evaluation run_jacobian(const Json& input) {
  Ht ht(read_ht_input(input));
  const std::vector<double>* jac = nullptr;
  auto times = repeat(read_runs(input), [&] { jac = &ht.jacobian(); });
  return {as_rows(jac->data(), 3 * ht.input().n(), ht.columns()), std::move(times)};
}

}  // namespace

Module ht_module() { return Module{{{"objective", run_objective}, {"jacobian", run_jacobian}}}; }

}  // namespace nabla::gradbench
