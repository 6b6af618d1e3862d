// Reading the fields of an evaluate input: numbers, vectors and matrices
// given as arrays of rows, each checked for presence, type and shape, with a
// InputError that names the field when something is wrong.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nabla/core/errors.hpp"

namespace nabla::gradbench {

/// An evaluate input of the wrong shape or type (a missing field, a string
/// where numbers belong, rows of different lengths).
class InputError : public Error {
 public:
  using Error::Error;
};

/// The object `j` (an InputError if it is not one).
const nlohmann::json& require_object(const nlohmann::json& j, const std::string& what);
/// Field `key` of object `j` (an InputError if missing).
const nlohmann::json& field(const nlohmann::json& j, const char* key);
/// A finite or non-finite number.
double read_double(const nlohmann::json& j, const char* key);
/// An integer in [min, max].
long long read_int(const nlohmann::json& j, const char* key, long long min, long long max);
/// An array of numbers; its size must be `size` unless size is npos.
std::vector<double> read_vector(const nlohmann::json& j, const char* key,
                                std::size_t size = static_cast<std::size_t>(-1));
/// An array of `rows` arrays of `cols` numbers, flattened row after row
/// (rows or cols npos: any, but every row the same length; `cols_out` gets it).
std::vector<double> read_rows(const nlohmann::json& j, const char* key, std::size_t rows, std::size_t cols,
                              std::size_t* rows_out = nullptr, std::size_t* cols_out = nullptr);
/// A flat vector as an array of `rows` arrays of `cols` numbers.
nlohmann::json as_rows(const double* data, std::size_t rows, std::size_t cols);

}  // namespace nabla::gradbench
