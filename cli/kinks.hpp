// Where a point sits on a kink of the expression: a call of a non-smooth
// primitive (abs, sign, relu, leaky_relu, min, max, atan2, hypot) evaluated
// exactly at its non-differentiable point. There the derivative does not
// exist; forward and reverse mode return the registry's documented choice,
// while the symbolic derivative and finite differences may give something
// else (NaN, the average of the two slopes). `nabla check` says so.
#pragma once

#include <string>
#include <vector>

#include "nabla/sym/evaluate.hpp"
#include "nabla/sym/expr.hpp"

namespace nabla::cli {

/// One note per distinct call of f at a kink, e.g.
/// "relu(x - 1) at its kink: relu'(0) = 0 (as PyTorch and TensorFlow)".
std::vector<std::string> kinks_at(const sym::Expr& f, const sym::Bindings& point);

}  // namespace nabla::cli
