// Elementwise tensor operations: the broadcasting binary arithmetic and the
// unary functions, each forward loop beside its reverse rule. Values and
// derivatives come from the registry (core/primitives.hpp), so the tensor
// ops agree with every other mode of nabla by construction.
#include <cmath>
#include <numbers>
#include <string>

#include "elementwise.hpp"
#include "nabla/core/primitives.hpp"
#include "nabla/nn/ops.hpp"

namespace nabla::nn {
namespace {

using detail::binary;
using detail::unary;

/// s x: y' = s (the parameter).
struct Scale {
  template <class T>
  static T value(const T& x, double s) {
    return T(s * x);
  }
  template <class T>
  static T derivative(const T&, const T&, double s) {
    return T(s);
  }
};

/// a + alpha b (PyTorch's add with alpha): one pass over memory, where a
/// scale and an add take two forward and three reverse.
struct AddScaled {
  static constexpr const char* name = "add";
  template <class T>
  static T value(const T& a, const T& b, double alpha) {
    return a + T(alpha) * b;
  }
  template <class T>
  static T d_first(const T&, const T&, const T&, double) {
    return T(1);
  }
  template <class T>
  static T d_second(const T&, const T&, const T&, double alpha) {
    return T(alpha);
  }
};

/// x^2: y' = 2 x. The registry's PowInt with n = 2 computes the same values
/// through a loop over the exponent's bits, which keeps the loops from vectorizing.
struct Square {
  template <class T>
  static T value(const T& x, double) {
    return x * x;
  }
  template <class T>
  static T derivative(const T& x, const T&, double) {
    return T(2) * x;
  }
};

/// relu as the registry defines it (relu(NaN) = NaN, relu'(0) = 0), written
/// so that the loops vectorize: !(x <= 0) is true for x > 0 and for NaN.
/// tests/nn/ops_test.cpp checks it against core::Relu.
struct VectorRelu {
  template <class T>
  static T value(const T& x, double) {
    return !(x <= T(0)) ? x : T(0);
  }
  template <class T>
  static T derivative(const T& x, const T&, double) {
    return T(x > T(0));  // a compare and a mask, no branch to mispredict
  }
};

/// x Phi(x), the exact GELU.
struct Gelu {
  template <class T>
  static T value(const T& x, double) {
    return T(0.5 * x * (1.0 + std::erf(x * std::numbers::sqrt2 / 2)));
  }
  // gelu'(x) = Phi(x) + x phi(x), phi(x) = e^{-x^2/2} / sqrt(2 pi)
  template <class T>
  static T derivative(const T& x, const T&, double) {
    const double xd = x;
    const double phi = std::exp(-0.5 * xd * xd) * std::numbers::inv_sqrtpi / std::numbers::sqrt2;
    return T(0.5 * (1.0 + std::erf(xd * std::numbers::sqrt2 / 2)) + xd * phi);
  }
};

}  // namespace

template <class T>
Tensor<T> add(Tensor<T> a, Tensor<T> b) {
  return binary<T, core::Add>(a, b);
}
template <class T>
Tensor<T> add(Tensor<T> a, Tensor<T> b, std::type_identity_t<T> alpha) {
  return binary<T, AddScaled>(a, b, double(alpha));
}
template <class T>
Tensor<T> sub(Tensor<T> a, Tensor<T> b) {
  return binary<T, core::Sub>(a, b);
}
template <class T>
Tensor<T> mul(Tensor<T> a, Tensor<T> b) {
  return binary<T, core::Mul>(a, b);
}
template <class T>
Tensor<T> div(Tensor<T> a, Tensor<T> b) {
  return binary<T, core::Div>(a, b);
}
template <class T>
Tensor<T> scale(Tensor<T> x, T s) {
  return unary<T, Scale>(x, double(s));
}
template <class T>
Tensor<T> shift(Tensor<T> x, T s) {
  // d(x + s)/dx = 1: the result shares x's adjoint, and backward does nothing for it.
  Tensor<T> out = x.tape().pass_through(x.id());
  const T* __restrict v = x.value().data();
  T* __restrict y = out.value().data();
  const Eigen::Index size = x.size();
  for (Eigen::Index k = 0; k < size; ++k) y[k] = v[k] + s;
  return out;
}
template <class T>
Tensor<T> exp(Tensor<T> x) {
  return unary<T, core::Exp>(x);
}
template <class T>
Tensor<T> log(Tensor<T> x) {
  return unary<T, core::Log>(x);
}
template <class T>
Tensor<T> tanh(Tensor<T> x) {
  return unary<T, core::Tanh>(x);
}
template <class T>
Tensor<T> sigmoid(Tensor<T> x) {
  return unary<T, core::Sigmoid>(x);
}
template <class T>
Tensor<T> relu(Tensor<T> x) {
  return unary<T, VectorRelu>(x);
}
template <class T>
Tensor<T> softplus(Tensor<T> x, double temperature) {
  if (!(temperature > 0)) throw DomainError("nn::softplus: the temperature must be positive");
  return unary<T, core::Softplus>(x, temperature);
}
template <class T>
Tensor<T> gelu(Tensor<T> x) {
  return unary<T, Gelu>(x);
}
template <class T>
Tensor<T> abs(Tensor<T> x) {
  return unary<T, core::Abs>(x);
}
template <class T>
Tensor<T> sqrt(Tensor<T> x) {
  return unary<T, core::Sqrt>(x);
}
template <class T>
Tensor<T> square(Tensor<T> x) {
  return unary<T, Square>(x);
}

#define NABLA_NN_ELEMENTWISE(T)                    \
  template Tensor<T> add(Tensor<T>, Tensor<T>);    \
  template Tensor<T> add(Tensor<T>, Tensor<T>, T); \
  template Tensor<T> sub(Tensor<T>, Tensor<T>);    \
  template Tensor<T> mul(Tensor<T>, Tensor<T>);    \
  template Tensor<T> div(Tensor<T>, Tensor<T>);    \
  template Tensor<T> scale(Tensor<T>, T);          \
  template Tensor<T> shift(Tensor<T>, T);          \
  template Tensor<T> exp(Tensor<T>);               \
  template Tensor<T> log(Tensor<T>);               \
  template Tensor<T> tanh(Tensor<T>);              \
  template Tensor<T> sigmoid(Tensor<T>);           \
  template Tensor<T> relu(Tensor<T>);              \
  template Tensor<T> softplus(Tensor<T>, double);  \
  template Tensor<T> gelu(Tensor<T>);              \
  template Tensor<T> abs(Tensor<T>);               \
  template Tensor<T> sqrt(Tensor<T>);              \
  template Tensor<T> square(Tensor<T>);
NABLA_NN_ELEMENTWISE(float)
NABLA_NN_ELEMENTWISE(double)
#undef NABLA_NN_ELEMENTWISE

}  // namespace nabla::nn
