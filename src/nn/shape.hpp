// Shapes of tensors in messages and checks: "2x3", and rows * cols without
// overflow (a reshape to 2^61 + 1 by 8 must not wrap around to 8 entries).
#pragma once

#include <Eigen/Core>
#include <string>

namespace nabla::nn::detail {

inline std::string shape(Eigen::Index rows, Eigen::Index cols) {
  return std::to_string(rows) + "x" + std::to_string(cols);
}

/// Whether rows x cols (both >= 0) has exactly `entries` entries.
inline bool has_entries(Eigen::Index rows, Eigen::Index cols, Eigen::Index entries) {
  Eigen::Index product = 0;
  return !__builtin_mul_overflow(rows, cols, &product) && product == entries;
}

}  // namespace nabla::nn::detail
