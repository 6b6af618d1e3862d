// Field readers for evaluate inputs (see json_io.hpp).
#include "json_io.hpp"

#include <limits>

#include "nabla/core/errors.hpp"

namespace nabla::gradbench {

namespace {

std::string quoted(const char* key) { return std::string("'") + key + "'"; }

double number(const nlohmann::json& v, const char* key) {
  if (!v.is_number())
    throw InputError("input field " + quoted(key) + ": expected numbers, got " + v.type_name());
  return v.get<double>();
}

}  // namespace

const nlohmann::json& require_object(const nlohmann::json& j, const std::string& what) {
  if (!j.is_object()) throw InputError(what + " must be a JSON object, got " + j.type_name());
  return j;
}

const nlohmann::json& field(const nlohmann::json& j, const char* key) {
  require_object(j, "input");
  const auto it = j.find(key);
  if (it == j.end()) throw InputError("input has no field " + quoted(key));
  return *it;
}

double read_double(const nlohmann::json& j, const char* key) { return number(field(j, key), key); }

long long read_int(const nlohmann::json& j, const char* key, long long min, long long max) {
  const nlohmann::json& v = field(j, key);
  if (!v.is_number()) throw InputError("input field " + quoted(key) + " must be an integer");
  const double d = v.get<double>();
  if (!(d >= static_cast<double>(min) && d <= static_cast<double>(max)) ||
      d != static_cast<double>(static_cast<long long>(d)))
    throw InputError("input field " + quoted(key) + " must be an integer in [" + std::to_string(min) + ", " +
                     std::to_string(max) + "]");
  return static_cast<long long>(d);
}

std::vector<double> read_vector(const nlohmann::json& j, const char* key, std::size_t size) {
  const nlohmann::json& v = field(j, key);
  if (!v.is_array()) throw InputError("input field " + quoted(key) + " must be an array");
  if (size != static_cast<std::size_t>(-1) && v.size() != size)
    throw InputError("input field " + quoted(key) + " has " + std::to_string(v.size()) +
                     " entries, expected " + std::to_string(size));
  std::vector<double> out;
  out.reserve(v.size());
  for (const auto& e : v) out.push_back(number(e, key));
  return out;
}

std::vector<double> read_rows(const nlohmann::json& j, const char* key, std::size_t rows, std::size_t cols,
                              std::size_t* rows_out, std::size_t* cols_out) {
  constexpr std::size_t any = static_cast<std::size_t>(-1);
  const nlohmann::json& v = field(j, key);
  if (!v.is_array()) throw InputError("input field " + quoted(key) + " must be an array of rows");
  if (rows != any && v.size() != rows)
    throw InputError("input field " + quoted(key) + " has " + std::to_string(v.size()) + " rows, expected " +
                     std::to_string(rows));
  std::vector<double> out;
  std::size_t width = cols;
  for (const auto& row : v) {
    if (!row.is_array()) throw InputError("input field " + quoted(key) + ": every row must be an array");
    if (width == any) width = row.size();
    if (row.size() != width)
      throw InputError("input field " + quoted(key) + " has a row of " + std::to_string(row.size()) +
                       " entries, expected " + std::to_string(width));
    for (const auto& e : row) out.push_back(number(e, key));
  }
  if (rows_out != nullptr) *rows_out = v.size();
  if (cols_out != nullptr) *cols_out = width == any ? 0 : width;
  return out;
}

nlohmann::json as_rows(const double* data, std::size_t rows, std::size_t cols) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t r = 0; r < rows; ++r)
    out.push_back(std::vector<double>(data + r * cols, data + (r + 1) * cols));
  return out;
}

}  // namespace nabla::gradbench
