// The passive path: every primitive of the registry as a function of plain
// floating-point numbers, so that user code written once for AD scalars also
// runs on double (nabla::sigmoid(0.5), nabla::softplus(x, 0.1), ...). These
// are templates, so a non-template overload such as ::exp(double) is preferred
// where both are visible and `using namespace nabla;` stays unambiguous.
#pragma once

#include <concepts>

#include "nabla/core/primitives.hpp"

namespace nabla {

#define NABLA_PASSIVE_UNARY(fn, Op) \
  template <std::floating_point S>  \
  S fn(S x) {                       \
    return core::Op::value(x, 0.0); \
  }
NABLA_UNARY_FUNCTIONS(NABLA_PASSIVE_UNARY)
#undef NABLA_PASSIVE_UNARY

#define NABLA_PASSIVE_BINARY(fn, Op) \
  template <std::floating_point S>   \
  S fn(S a, S b) {                   \
    return core::Op::value(a, b);    \
  }
NABLA_BINARY_FUNCTIONS(NABLA_PASSIVE_BINARY)
#undef NABLA_PASSIVE_BINARY

/// x^n for an integer n.
template <std::floating_point S>
S pow(S x, int n) {
  return core::PowInt::value(x, n);
}
/// softplus(x, t) = t log(1 + e^{x/t}).
template <std::floating_point S>
S softplus(S x, double temperature = 1.0) {
  return core::Softplus::value(x, temperature);
}
/// leaky_relu(x, alpha).
template <std::floating_point S>
S leaky_relu(S x, double alpha = core::LeakyRelu::default_parameter) {
  return core::LeakyRelu::value(x, alpha);
}

}  // namespace nabla
