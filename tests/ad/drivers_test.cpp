// The derivative drivers, each against a closed form AND against another
// mode: derivative; gradient and value_and_gradient vs the Jacobian's row,
// jvp with unit vectors and vjp; jacobian by its forward path (n <= m) and
// its reverse path (n > m), both observed to be taken, also with more inputs
// than the 8 lanes of a pass; hessian (symmetric, for sizes around every lane
// count) vs closed forms and nested Duals; hvp = H v; jvp = J v, vjp = J^T w;
// directional_derivative = grad . u / |u|; and the passive path: the same
// generic function on plain doubles gives the same value.
// GCC 12 at -O3 reports -Wmaybe-uninitialized inside the forward pass of
// nabla::jacobian (instantiated, not taken) for a function reading x[3] of a
// vector whose size it cannot see: a false positive, x has n = 4 entries.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <limits>
#include <type_traits>

#include "nabla/nabla.hpp"

namespace nabla {
namespace {

template <class V>
using scalar_of = typename std::decay_t<V>::Scalar;

/// f(x) = x0^2 x1 + sin(x2) e^{x0} + x1 x2^3, with its gradient and Hessian.
auto f3 = [](const auto& x) {
  using T = scalar_of<decltype(x)>;
  return T(x[0] * x[0] * x[1] + sin(x[2]) * exp(x[0]) + x[1] * x[2] * x[2] * x[2]);
};
Eigen::Vector3d f3_gradient(const Eigen::Vector3d& x) {
  const double e = std::exp(x[0]);
  return {2 * x[0] * x[1] + std::sin(x[2]) * e, x[0] * x[0] + std::pow(x[2], 3),
          std::cos(x[2]) * e + 3 * x[1] * x[2] * x[2]};
}
Eigen::Matrix3d f3_hessian(const Eigen::Vector3d& x) {
  const double e = std::exp(x[0]);
  Eigen::Matrix3d h;
  h << 2 * x[1] + std::sin(x[2]) * e, 2 * x[0], std::cos(x[2]) * e,  //
      2 * x[0], 0.0, 3 * x[2] * x[2],                                //
      std::cos(x[2]) * e, 3 * x[2] * x[2], -std::sin(x[2]) * e + 6 * x[1] * x[2];
  return h;
}

/// g: R^3 -> R^4, g(x) = (x0 x1, sin(x1 + x2), x0^2 - x2, e^{x0 x2}), with its Jacobian.
auto g34 = [](const auto& x) {
  using T = scalar_of<decltype(x)>;
  VectorX<T> y(4);
  y[0] = x[0] * x[1];
  y[1] = sin(x[1] + x[2]);
  y[2] = x[0] * x[0] - x[2];
  y[3] = exp(x[0] * x[2]);
  return y;
};
Eigen::MatrixXd g34_jacobian(const Eigen::Vector3d& x) {
  const double c = std::cos(x[1] + x[2]);
  const double e = std::exp(x[0] * x[2]);
  Eigen::MatrixXd j(4, 3);
  j << x[1], x[0], 0.0,  //
      0.0, c, c,         //
      2 * x[0], 0.0, -1.0, x[2] * e, 0.0, x[0] * e;
  return j;
}

const Eigen::Vector3d kX(0.3, -1.2, 0.8);

TEST(Drivers, DerivativeMatchesTheClosedForm) {
  // (x^3 - 2 sin x)' = 3x^2 - 2 cos x
  EXPECT_NEAR(nabla::derivative([](auto x) { return x * x * x - 2.0 * sin(x); }, 0.7),
              3 * 0.49 - 2 * std::cos(0.7), 1e-15);
  // a function that ignores its argument
  EXPECT_EQ(nabla::derivative([](auto) { return 3.0; }, 0.7), 0.0);
}

TEST(Drivers, GradientMatchesTheClosedForm) {
  EXPECT_TRUE(nabla::gradient(f3, kX).isApprox(f3_gradient(kX), 1e-14));
  const ValueAndGradient vg = nabla::value_and_gradient(f3, kX);
  EXPECT_DOUBLE_EQ(vg.value, f3(Eigen::VectorXd(kX)));
  EXPECT_TRUE(vg.gradient.isApprox(f3_gradient(kX), 1e-14));
}

TEST(Drivers, GradientAgreesWithJacobianRowJvpAndVjp) {
  const Eigen::VectorXd g = nabla::gradient(f3, kX);
  const Eigen::MatrixXd j = nabla::jacobian(f3, kX);  // 1 x 3: the reverse path
  ASSERT_EQ(j.rows(), 1);
  ASSERT_EQ(j.cols(), 3);
  EXPECT_TRUE(j.row(0).transpose().isApprox(g, 1e-15));
  for (int i = 0; i < 3; ++i) {
    const Eigen::VectorXd jv = nabla::jvp(f3, kX, Eigen::Vector3d::Unit(i));  // forward mode
    ASSERT_EQ(jv.size(), 1);
    EXPECT_NEAR(jv[0], g[i], 1e-14 * std::max(1.0, std::fabs(g[i])));
  }
  EXPECT_TRUE(nabla::vjp(f3, kX, Eigen::VectorXd::Ones(1)).isApprox(g, 1e-15));
}

/// Counts the calls of f on each kind of scalar, to see which mode a driver chose.
struct ModeCounter {
  int dual = 0;
  int var = 0;
  int passive = 0;
  template <class T>
  void count() {
    if constexpr (is_dual<T>::value)
      ++dual;
    else if constexpr (is_var<T>::value)
      ++var;
    else
      ++passive;
  }
};

TEST(Drivers, JacobianTakesTheForwardPathWhenInputsAreFewer) {
  ModeCounter calls;
  auto g = [&calls](const auto& x) {
    calls.count<scalar_of<decltype(x)>>();
    return g34(x);
  };
  const Eigen::MatrixXd j = nabla::jacobian(g, kX);  // n = 3 <= m = 4
  EXPECT_GT(calls.dual, 0);
  EXPECT_EQ(calls.var, 0);
  EXPECT_TRUE(j.isApprox(g34_jacobian(kX), 1e-14));
  // n = m is forward too
  ModeCounter square_calls;
  auto square = [&square_calls](const auto& x) {
    square_calls.count<scalar_of<decltype(x)>>();
    return g34(x).head(3).eval();
  };
  EXPECT_TRUE(nabla::jacobian(square, kX).isApprox(g34_jacobian(kX).topRows(3), 1e-14));
  EXPECT_GT(square_calls.dual, 0);
  EXPECT_EQ(square_calls.var, 0);
  // vs reverse mode: the rows by vjp
  for (int r = 0; r < 4; ++r)
    EXPECT_TRUE(nabla::vjp(g34, kX, Eigen::Vector4d::Unit(r)).isApprox(j.row(r).transpose(), 1e-14)) << r;
}

TEST(Drivers, JacobianTakesTheReversePathWhenOutputsAreFewer) {
  // h: R^4 -> R^2, h(x) = (x0 x1 x2 x3, log(1 + x0^2) + x3 / x1)
  auto h = [](const auto& x) {
    using T = scalar_of<decltype(x)>;
    VectorX<T> y(2);
    y[0] = x[0] * x[1] * x[2] * x[3];
    y[1] = log(1.0 + x[0] * x[0]) + x[3] / x[1];
    return y;
  };
  const Eigen::Vector4d x(0.5, 2.0, -1.0, 3.0);
  Eigen::MatrixXd expected(2, 4);
  expected << -6.0, -1.5, 3.0, -1.0,  // x1 x2 x3, x0 x2 x3, x0 x1 x3, x0 x1 x2
      2 * 0.5 / 1.25, -3.0 / 4.0, 0.0, 0.5;
  ModeCounter calls;
  auto counted = [&](const auto& v) {
    calls.count<scalar_of<decltype(v)>>();
    return h(v);
  };
  const Eigen::MatrixXd j = nabla::jacobian(counted, x);
  EXPECT_GT(calls.var, 0);
  EXPECT_EQ(calls.dual, 0);
  EXPECT_TRUE(j.isApprox(expected, 1e-14));
  // vs forward mode: the columns by jvp
  for (int c = 0; c < 4; ++c) {
    const Eigen::VectorXd jv = nabla::jvp(h, x, Eigen::Vector4d::Unit(c));
    ASSERT_EQ(jv.size(), 2);
    EXPECT_NEAR(jv[0], j(0, c), 1e-14) << c;
    EXPECT_NEAR(jv[1], j(1, c), 1e-14) << c;
  }
}

TEST(Drivers, JacobianWithMoreInputsThanLanes) {
  // y = A x + (x_i^2 for i < n, then 0): J = A + diag(2 x) padded; n = 11 in
  // two forward passes (m = 13), and the transpose problem (m = 5) in reverse.
  const int n = 11;
  Eigen::MatrixXd A = Eigen::MatrixXd::Zero(13, n);
  for (int r = 0; r < 13; ++r)
    for (int c = 0; c < n; ++c) A(r, c) = std::sin(1.0 + r * 0.7 + c * 0.3);
  auto f = [&A](const auto& x) {
    using T = scalar_of<decltype(x)>;
    VectorX<T> y = A.cast<T>() * x;
    for (Eigen::Index i = 0; i < x.size(); ++i) y[i] += x[i] * x[i];
    return y;
  };
  const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(n, -1.0, 2.0);
  Eigen::MatrixXd expected = A;
  for (int i = 0; i < n; ++i) expected(i, i) += 2 * x[i];
  EXPECT_TRUE(nabla::jacobian(f, x).isApprox(expected, 1e-14));

  auto g = [&A](const auto& v) {
    using T = scalar_of<decltype(v)>;
    const VectorX<T> y = A.topRows(5).cast<T>() * v;
    return VectorX<T>(y.array() * y.array());
  };  // J = 2 diag(A5 x) A5
  const Eigen::VectorXd y5 = A.topRows(5) * x;
  EXPECT_TRUE(nabla::jacobian(g, x).isApprox(2.0 * y5.asDiagonal() * A.topRows(5), 1e-13));
}

TEST(Drivers, JacobianOfAScalarFunctionIsARow) {
  auto one = [](const auto& x) { return x[0] * x[0]; };  // n = m = 1: forward
  EXPECT_EQ(nabla::jacobian(one, Eigen::VectorXd::Constant(1, 3.0))(0, 0), 6.0);
  const Eigen::MatrixXd j = nabla::jacobian(f3, kX);
  EXPECT_TRUE(j.transpose().isApprox(f3_gradient(kX), 1e-14));
}

/// f(x) = (x.x)^2 / 4 + sum_i sin(x_i) x_{i+1}: H = (x.x) I + 2 x x^T + the band of the sum.
auto quartic = [](const auto& x) {
  using T = scalar_of<decltype(x)>;
  const T s = x.squaredNorm();
  T band = 0.0;
  for (Eigen::Index i = 0; i + 1 < x.size(); ++i) band += sin(x[i]) * x[i + 1];
  return T(s * s / 4.0 + band);
};
Eigen::MatrixXd quartic_hessian(const Eigen::VectorXd& x) {
  const Eigen::Index n = x.size();
  Eigen::MatrixXd h = x.squaredNorm() * Eigen::MatrixXd::Identity(n, n) + 2.0 * x * x.transpose();
  for (Eigen::Index i = 0; i + 1 < n; ++i) {
    h(i, i) -= std::sin(x[i]) * x[i + 1];  // d2/dxi2 sin(xi) x_{i+1}
    h(i, i + 1) += std::cos(x[i]);
    h(i + 1, i) += std::cos(x[i]);
  }
  return h;
}

/// The Hessian by nested forward mode, Dual<Dual<double, Dynamic>, Dynamic>.
template <class F>
Eigen::MatrixXd nested_dual_hessian(F& f, const Eigen::VectorXd& x) {
  using D = Dual<double, Dynamic>;
  using DD = Dual<D, Dynamic>;
  const Eigen::Index n = x.size();
  const auto un = static_cast<std::size_t>(n);
  VectorX<DD> xs(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    typename DD::Tangent t(un, D(0.0));
    t[static_cast<std::size_t>(i)] = D(1.0);
    xs[i] = DD(D::variable(x[i], static_cast<std::size_t>(i), un), t);
  }
  const DD y = f(xs);
  Eigen::MatrixXd h(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j)
      h(i, j) = y.tangent(static_cast<std::size_t>(i)).tangent(static_cast<std::size_t>(j));
  return h;
}

TEST(Drivers, HessianForEveryLaneCountIsSymmetricAndMatches) {
  for (int n : {1, 2, 3, 4, 5, 7, 8, 9, 11, 16, 17}) {
    SCOPED_TRACE(n);
    const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(n, -0.9, 1.3);
    const Eigen::MatrixXd h = nabla::hessian(quartic, x);
    EXPECT_EQ(h, h.transpose());
    EXPECT_TRUE(h.isApprox(quartic_hessian(x), 1e-13));
    EXPECT_TRUE(h.isApprox(nested_dual_hessian(quartic, x), 1e-13));
  }
  const Eigen::MatrixXd h3 = nabla::hessian(f3, kX);
  EXPECT_TRUE(h3.isApprox(f3_hessian(kX), 1e-14));
  EXPECT_TRUE(h3.isApprox(nested_dual_hessian(f3, kX), 1e-14));
}

TEST(Drivers, HvpIsTheHessianTimesV) {
  for (int n : {1, 3, 9}) {
    const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(n, -0.9, 1.3);
    const Eigen::VectorXd v = Eigen::VectorXd::LinSpaced(n, 2.0, -1.0);
    EXPECT_TRUE(nabla::hvp(quartic, x, v).isApprox(quartic_hessian(x) * v, 1e-13)) << n;
    EXPECT_TRUE(nabla::hvp(quartic, x, v).isApprox(nabla::hessian(quartic, x) * v, 1e-13)) << n;
  }
  const Eigen::Vector3d v(1.0, -2.0, 0.5);
  EXPECT_TRUE(nabla::hvp(f3, kX, v).isApprox(f3_hessian(kX) * v, 1e-14));
}

TEST(Drivers, JvpAndVjpAreJacobianProducts) {
  const Eigen::Vector3d v(0.5, -1.0, 2.0);
  const Eigen::Vector4d w(1.0, 2.0, -3.0, 0.25);
  const Eigen::MatrixXd j = g34_jacobian(kX);
  EXPECT_TRUE(nabla::jvp(g34, kX, v).isApprox(j * v, 1e-14));
  EXPECT_TRUE(nabla::vjp(g34, kX, w).isApprox(j.transpose() * w, 1e-14));
  // and against each other: w . (J v) = (J^T w) . v
  EXPECT_NEAR(w.dot(nabla::jvp(g34, kX, v)), nabla::vjp(g34, kX, w).dot(v), 1e-13);
}

TEST(Drivers, DirectionalDerivativeIsGradientDotUnitDirection) {
  const Eigen::Vector3d u(3.0, 0.0, 4.0);
  const double expected = f3_gradient(kX).dot(u) / 5.0;
  EXPECT_NEAR(nabla::directional_derivative(f3, kX, u), expected, 1e-14);
  // the length of u does not matter, only its direction
  EXPECT_NEAR(nabla::directional_derivative(f3, kX, 1e-3 * u), expected, 1e-14);
  EXPECT_NEAR(nabla::directional_derivative(f3, kX, -7.0 * u), -expected, 1e-14);
  // vs reverse mode
  EXPECT_NEAR(nabla::directional_derivative(f3, kX, u), nabla::gradient(f3, kX).dot(u.normalized()), 1e-14);
}

TEST(Drivers, ZeroOrNonFiniteDirectionIsADomainError) {
  EXPECT_THROW(nabla::directional_derivative(f3, kX, Eigen::Vector3d::Zero()), DomainError);
  EXPECT_THROW(nabla::directional_derivative(f3, kX, Eigen::Vector3d(1.0, std::nan(""), 0.0)), DomainError);
  EXPECT_THROW(nabla::directional_derivative(f3, kX, Eigen::Vector3d(1.0, core::infinity, 0.0)), DomainError);
}

TEST(Drivers, TinyAndHugeDirectionsAreNotZeroOrInfinite) {
  // Regression: |u| was computed as sqrt(u.u), which underflows to 0 for
  // u = 1e-200 (3, 0, 4) ("zero direction") and overflows to inf for 1e300 u.
  const Eigen::Vector3d u(3.0, 0.0, 4.0);
  const double expected = f3_gradient(kX).dot(u) / 5.0;
  EXPECT_NEAR(nabla::directional_derivative(f3, kX, 1e-200 * u), expected, 1e-14);
  EXPECT_NEAR(nabla::directional_derivative(f3, kX, 1e300 * u), expected, 1e-14);
  EXPECT_NEAR(nabla::directional_derivative(f3, kX, Eigen::Vector3d(0.0, 0.0, 5e-324)), f3_gradient(kX)[2],
              1e-14);
  // Regression: stableNorm overflowed for entries near the largest double
  // (a DomainError for a finite u), and (5e-324, 5e-324) lost its direction.
  auto linear = [](const auto& x) { return 3.0 * x[0] + 5.0 * x[1]; };
  const double diagonal = 8.0 / std::sqrt(2.0);
  for (const double s : {std::numeric_limits<double>::max(), 5e-324, 1e-320}) {
    EXPECT_NEAR(nabla::directional_derivative(linear, Eigen::Vector2d(1.0, 2.0), Eigen::Vector2d(s, s)),
                diagonal, 1e-14)
        << s;
  }
}

TEST(Drivers, PassivePathGivesTheSameValue) {
  // One generic function with registry functions that have no std:: spelling
  // (sigmoid, softplus, relu, logsumexp), run on doubles, Duals and Vars.
  auto f = [](const auto& x) {
    using T = scalar_of<decltype(x)>;
    return T(sigmoid(x[0]) * softplus(x[1], 0.5) + relu(x[2]) + logsumexp(x[0], x[2]) + pow(x[1], 3) +
             exp(x[0]) * x[2]);
  };
  const Eigen::VectorXd x = kX;
  const double passive = f(x);
  EXPECT_EQ(nabla::value_and_gradient(f, x).value, passive);
  using D = Dual<double, 3>;
  VectorX<D> xd(3);
  for (int i = 0; i < 3; ++i) xd[i] = D::variable(x[i], static_cast<std::size_t>(i));
  const D yd = f(xd);
  EXPECT_EQ(yd.value(), passive);
  // and the derivatives of the two modes agree
  const Eigen::VectorXd g = nabla::gradient(f, x);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(yd.tangent(static_cast<std::size_t>(i)), g[i], 1e-15);
  // a vector function: jacobian evaluates f on doubles first
  auto v = [](const auto& x2) {
    using T = scalar_of<decltype(x2)>;
    VectorX<T> y(2);
    y[0] = sigmoid(x2[0]);
    y[1] = softplus(x2[0] * x2[1]);
    return y;
  };
  const Eigen::MatrixXd j = nabla::jacobian(v, Eigen::Vector2d(0.5, -1.0));
  const double s = 1.0 / (1.0 + std::exp(-0.5));
  const double t = 1.0 / (1.0 + std::exp(0.5));  // sigmoid(x0 x1) = sigmoid(-0.5)
  EXPECT_NEAR(j(0, 0), s * (1 - s), 1e-15);
  EXPECT_EQ(j(0, 1), 0.0);
  EXPECT_NEAR(j(1, 0), t * -1.0, 1e-15);
  EXPECT_NEAR(j(1, 1), t * 0.5, 1e-15);
}

TEST(Drivers, ConstantAndPartlyConstantFunctions) {
  auto constant = [](const auto& x) {
    using T = scalar_of<decltype(x)>;
    return T(42.0);
  };
  const ValueAndGradient vg = nabla::value_and_gradient(constant, kX);
  EXPECT_EQ(vg.value, 42.0);
  EXPECT_EQ(vg.gradient, Eigen::Vector3d::Zero());
  EXPECT_EQ(nabla::hessian(constant, kX), Eigen::Matrix3d::Zero());
  EXPECT_EQ(nabla::hvp(constant, kX, Eigen::Vector3d::Ones()), Eigen::Vector3d::Zero());
  EXPECT_EQ(nabla::jacobian(constant, kX), Eigen::RowVector3d::Zero());
  // only x1 matters
  auto partial = [](const auto& x) { return x[1] * x[1]; };
  EXPECT_EQ(nabla::gradient(partial, kX), Eigen::Vector3d(0.0, -2.4, 0.0));
  EXPECT_EQ(nabla::hessian(partial, kX), Eigen::Vector3d(0.0, 2.0, 0.0).asDiagonal().toDenseMatrix());
}

TEST(Drivers, EigenExpressionsReturnedByFAreReadWhileTheirInputsLive) {
  // Regression: vjp and the reverse path of jacobian moved the inputs away
  // before reading f's result, an expression that refers to them (ASan:
  // stack-use-after-scope). jvp and the forward path always kept them.
  auto twice = [](const auto& v) { return 2.0 * v; };
  auto head = [](const auto& v) { return v.head(2) * 3.0; };
  const Eigen::Vector3d x(1.0, 2.0, 3.0);
  EXPECT_EQ(nabla::vjp(twice, x, Eigen::Vector3d::Ones()), Eigen::Vector3d(2.0, 2.0, 2.0));
  Eigen::MatrixXd expected = Eigen::MatrixXd::Zero(2, 3);
  expected(0, 0) = expected(1, 1) = 3.0;
  EXPECT_EQ(nabla::jacobian(head, x), expected);  // n > m: the reverse path
  EXPECT_EQ(nabla::jvp(head, x, Eigen::Vector3d(1.0, 1.0, 1.0)), Eigen::Vector2d(3.0, 3.0));
}

TEST(Drivers, AResultFromAnotherRecordingIsADomainError) {
  // A Var recorded on the thread's own tape, with an index past anything a
  // small gradient records: returned from f, the sweep would write past the
  // driver's adjoints.
  Tape& tape = Tape::active();
  tape.reset();
  Var outer = tape.input(2.0);
  for (int k = 0; k < 100; ++k) outer = outer * 1.01;
  auto returns_outer = [&](const VectorX<Var>&) { return outer; };
  EXPECT_THROW(nabla::gradient(returns_outer, Eigen::Vector2d(1.0, 2.0)), DomainError);
  auto outer_in_vector = [&](const auto& v) {
    using T = scalar_of<decltype(v)>;
    if constexpr (std::is_same_v<T, Var>)
      return VectorX<Var>::Constant(1, outer);
    else
      return VectorX<T>::Constant(1, v[0]);
  };
  EXPECT_THROW(nabla::jacobian(outer_in_vector, Eigen::Vector2d(1.0, 2.0)), DomainError);
  EXPECT_THROW(nabla::vjp(outer_in_vector, Eigen::Vector2d(1.0, 2.0), Eigen::VectorXd::Ones(1)), DomainError);
  // The drivers still work afterwards.
  EXPECT_EQ(nabla::gradient([](const auto& v) { return v[0] * v[1]; }, Eigen::Vector2d(1.0, 2.0)),
            Eigen::Vector2d(2.0, 1.0));
}

TEST(Drivers, ResettingTheDriversTapeInsideFIsADomainError) {
  // f doing what a top-level recording does (Tape::active().reset()) would
  // discard the statements the driver is about to sweep.
  auto resets = [](const auto& v) {
    Tape::active().reset();
    return v[0] * v[0];
  };
  EXPECT_THROW(nabla::gradient(resets, Eigen::Vector2d(1.0, 2.0)), DomainError);
  EXPECT_THROW(nabla::vjp(resets, Eigen::Vector2d(1.0, 2.0), Eigen::VectorXd::Ones(1)), DomainError);
  // A recording of f's own, in a TapeScope, is fine; so is the next call.
  auto own_recording = [](const auto& v) {
    {
      TapeScope<double> scope;
      scope.tape().reset();
      const Var a = scope.tape().input(3.0);
      const Var b = a * a;
      scope.tape().adjoint(b.index()) = 1.0;
      scope.tape().reverse();
      EXPECT_EQ(scope.tape().adjoint(a.index()), 6.0);
    }
    return v[0] * v[1];
  };
  EXPECT_EQ(nabla::gradient(own_recording, Eigen::Vector2d(1.0, 2.0)), Eigen::Vector2d(2.0, 1.0));
  Tape::active().reset();  // the thread's own tape is not a driver's
}

TEST(Drivers, ReverseJacobianChecksThatFKeepsItsOutputSize) {
  // Two outputs on double (what jacobian asks first), one on Var: the
  // reverse path (n = 3 > m) used to return a 1 x 3 matrix.
  auto changes = [](const auto& v) {
    using T = scalar_of<decltype(v)>;
    return VectorX<T>(v.head(std::is_same_v<T, double> ? 2 : 1));
  };
  EXPECT_THROW(nabla::jacobian(changes, Eigen::Vector3d(1.0, 2.0, 3.0)), DimensionError);
}

TEST(Drivers, HessianNearTheLargestDoubleIsFinite) {
  // Regression: symmetrizing as 0.5 (H + H^T) overflowed for entries above
  // half the largest double; d2/dx2 e^x at 709.5 is 1.355e308.
  const Eigen::MatrixXd h =
      nabla::hessian([](const auto& v) { return exp(v[0]); }, Eigen::VectorXd::Constant(1, 709.5));
  EXPECT_DOUBLE_EQ(h(0, 0), std::exp(709.5));
}

TEST(Drivers, VectorLogsumexpWithInfiniteEntriesSharesTheWeight) {
  // As the binary logsumexp documents: an entry +inf alone takes the whole
  // weight, entries tied at +inf or all at -inf share it. The vector form
  // used to compute inf - inf.
  const double inf = core::infinity;
  auto lse = [](const auto& v) {
    using T = scalar_of<decltype(v)>;
    return T(logsumexp(VectorX<T>(v)));
  };
  const struct {
    Eigen::Vector3d x;
    double value;
    Eigen::Vector3d gradient;
  } cases[] = {
      {{inf, 0.0, 1.0}, inf, {1.0, 0.0, 0.0}},
      {{inf, inf, 1.0}, inf, {0.5, 0.5, 0.0}},
      {{-inf, -inf, -inf}, -inf, {1.0 / 3, 1.0 / 3, 1.0 / 3}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(lse(c.x), c.value);
    const ValueAndGradient vg = nabla::value_and_gradient(lse, c.x);
    EXPECT_EQ(vg.value, c.value);
    EXPECT_TRUE(vg.gradient.isApprox(c.gradient)) << vg.gradient.transpose();
    const Eigen::Vector3d v(1.0, 3.0, 5.0);
    EXPECT_DOUBLE_EQ(nabla::jvp(lse, c.x, v)[0], c.gradient.dot(v));
  }
}

}  // namespace
}  // namespace nabla
