// Eigen aliases used across nabla's public interface.
#pragma once

#include <Eigen/Core>

namespace nabla {

/// A column vector of any scalar (double, Dual, Var): the argument type of f.
template <class T>
using VectorX = Eigen::Matrix<T, Eigen::Dynamic, 1>;

/// A dynamic matrix of any scalar.
template <class T>
using MatrixX = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

}  // namespace nabla
