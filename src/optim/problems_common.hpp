// Shorthands for writing the test problems once for every scalar (double,
// Var, and Var over Duals): the scalar of the argument and vector literals.
// Private to src/optim.
#pragma once

#include <Eigen/Core>
#include <initializer_list>
#include <type_traits>
#include <vector>

#include "nabla/ad/var.hpp"
#include "nabla/core/functions.hpp"
#include "nabla/optim/problems.hpp"

namespace nabla::optim::problems::detail {

/// The scalar type of the vector argument x.
template <class V>
using scalar_of = typename std::decay_t<V>::Scalar;

/// A vector from a list of numbers.
inline Eigen::VectorXd vec(std::initializer_list<double> values) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (double value : values) v[i++] = value;
  return v;
}

/// The problems of each file, in the paper's order.
std::vector<Problem> mgh_small();
std::vector<Problem> mgh_data();
std::vector<Problem> mgh_large();

}  // namespace nabla::optim::problems::detail
