// The sample function of the compile tests, written twice: as a sym::Expr and
// as C++ on any scalar, so that compiled code (Program, compile_native) is
// checked against the same formula evaluated by the compiler and by AD.
#pragma once

#include <cmath>

#include "nabla/sym/expr.hpp"

namespace nabla::sym::testing {

/// f(x, y) = x^2 y + exp(x y) - sin(x)/y + sqrt(x^2 + 1).
inline Expr f_symbolic() {
  const Expr x = symbol("x"), y = symbol("y");
  return pow(x, Expr(2)) * y + exp(x * y) - sin(x) / y + sqrt(pow(x, Expr(2)) + Expr(1));
}
template <class V>
auto f_cpp(const V& v) {
  using std::exp, std::sin, std::sqrt;
  return v[0] * v[0] * v[1] + exp(v[0] * v[1]) - sin(v[0]) / v[1] + sqrt(v[0] * v[0] + 1.0);
}

}  // namespace nabla::sym::testing
