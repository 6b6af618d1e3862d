// Tests of nabla::Program: a recording replayed at new points against the
// native function on doubles and against the drivers (reverse mode, forward-
// over-reverse); every registry primitive through the Program against forward
// mode (Dual, nested Duals); guards; the builder and its optimizations;
// dimension errors; NaN; the Program evaluated on Var and TraceVar.
#include "nabla/ad/program.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "nabla/ad/drivers.hpp"
#include "nabla/ad/reductions.hpp"
#include "nabla/core/functions.hpp"

namespace {

using nabla::Program;
using nabla::ProgramBuilder;
using nabla::ProgramOptions;

/// |a - b| <= tol * max(1, |a|, |b|), NaN equal to NaN.
::testing::AssertionResult near(double a, double b, double tol = 1e-12) {
  if (std::isnan(a) && std::isnan(b)) return ::testing::AssertionSuccess();
  if (a == b) return ::testing::AssertionSuccess();
  const double scale = std::max({1.0, std::abs(a), std::abs(b)});
  if (std::abs(a - b) <= tol * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << a << " vs " << b << " (difference " << a - b << ")";
}

void expect_near(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, double tol = 1e-12) {
  ASSERT_EQ(a.rows(), b.rows());
  ASSERT_EQ(a.cols(), b.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < a.cols(); ++j)
      EXPECT_TRUE(near(a(i, j), b(i, j), tol)) << "at (" << i << ", " << j << ")";
}

Eigen::VectorXd random_point(std::mt19937& rng, Eigen::Index n, double lo = -1.5, double hi = 1.5) {
  std::uniform_real_distribution<double> u(lo, hi);
  Eigen::VectorXd x(n);
  for (Eigen::Index i = 0; i < n; ++i) x[i] = u(rng);
  return x;
}

/// A function without branches that exercises operators, unary and binary
/// functions, parameters and constants.
struct Smooth {
  template <class V>
  auto operator()(const V& x) const {
    using T = typename std::decay_t<V>::Scalar;
    using std::atan2;
    using std::exp;
    using std::pow;
    using std::sin;
    using std::sqrt;
    using std::tanh;
    T s = 0.0;
    for (Eigen::Index i = 0; i + 1 < x.size(); ++i)
      s += exp(x[i]) * sin(x[i + 1]) + x[i] / (1.0 + x[i + 1] * x[i + 1]);
    s += nabla::softplus(x[0], 0.5) + pow(x[1], 3) + tanh(x[2]) * sqrt(1.0 + x[3] * x[3]);
    s += atan2(x[0], x[1] + 3.0) + pow(x[2] * x[2] + 1.0, 0.7) - 2.0 * x[3] + nabla::sigmoid(x[4] * x[0]);
    return T(s);
  }
};

/// R^2 -> R^3 (forward-mode Jacobian) and R^4 -> R^2 (reverse-mode Jacobian).
struct Polar {
  template <class V>
  auto operator()(const V& x) const {
    using T = typename std::decay_t<V>::Scalar;
    using std::cos;
    using std::sin;
    nabla::VectorX<T> y(3);
    y << x[0] * cos(x[1]), x[0] * sin(x[1]), x[0] * x[0];
    return y;
  }
};
struct Wide {
  template <class V>
  auto operator()(const V& x) const {
    using T = typename std::decay_t<V>::Scalar;
    using std::exp;
    using std::log1p;
    nabla::VectorX<T> y(2);
    y << x[0] * x[1] * x[2] + exp(x[3]), log1p(x[0] * x[0]) - x[1] / (2.0 + x[2] * x[3]);
    return y;
  }
};

// ---------------------------------------------------- replay vs drivers ---

TEST(Program, ReplayMatchesNativeAndDrivers) {
  std::mt19937 rng(1);
  const Smooth f;
  const Program p = nabla::record(f, random_point(rng, 6));
  EXPECT_EQ(p.inputs(), 6u);
  EXPECT_EQ(p.outputs(), 1u);
  EXPECT_FALSE(p.has_guards());
  for (int trial = 0; trial < 25; ++trial) {
    const Eigen::VectorXd x = random_point(rng, 6);
    const Eigen::VectorXd v = random_point(rng, 6);
    EXPECT_TRUE(near(p.value(x), f(x)));
    EXPECT_TRUE(near(p(x), f(x)));
    const nabla::ValueAndGradient vg = p.value_and_gradient(x);
    EXPECT_TRUE(near(vg.value, f(x)));
    expect_near(vg.gradient, nabla::gradient(f, x));
    expect_near(p.gradient(x), nabla::gradient(f, x));
    expect_near(p.hessian(x), nabla::hessian(f, x));
    expect_near(p.hvp(x, v), nabla::hvp(f, x, v));
    expect_near(p.jacobian(x), nabla::gradient(f, x).transpose());
    expect_near(p.jvp(x, v), nabla::jvp(f, x, v));
  }
}

TEST(Program, BatchMatchesPointByPoint) {
  std::mt19937 rng(11);
  const Program smooth = nabla::record(Smooth{}, random_point(rng, 6));
  const Program polar = nabla::record(Polar{}, random_point(rng, 2, 0.5, 1.5));
  for (const Program* p : {&smooth, &polar}) {
    for (Eigen::Index count : {0, 1, 63, 64, 65, 200}) {
      Eigen::MatrixXd points(static_cast<Eigen::Index>(p->inputs()), count);
      for (Eigen::Index j = 0; j < count; ++j)
        points.col(j) = random_point(rng, points.rows(), p == &polar ? 0.5 : -1.5, 1.5);
      const Eigen::MatrixXd batch = p->values_batch(points);
      ASSERT_EQ(batch.rows(), static_cast<Eigen::Index>(p->outputs()));
      ASSERT_EQ(batch.cols(), count);
      for (Eigen::Index j = 0; j < count; ++j)
        for (Eigen::Index k = 0; k < batch.rows(); ++k)
          EXPECT_EQ(batch(k, j), p->values(points.col(j))[k]) << "point " << j << " of " << count;
    }
  }
  EXPECT_THROW(smooth.values_batch(Eigen::MatrixXd::Zero(5, 3)), nabla::DimensionError);
}

TEST(Program, BatchKeepsNaNAndChecksGuardsAtEveryPoint) {
  const Program p = nabla::record(
      [](const auto& x) {
        using std::log;
        auto y = log(x[0]);
        if (x[1] > 0.0) y = y * x[1];
        return y;
      },
      Eigen::Vector2d(2.0, 1.0));
  Eigen::MatrixXd points(2, 100);
  points.row(0).setConstant(2.0);
  points.row(1).setConstant(1.0);
  points(0, 70) = -1.0;  // log outside its domain: NaN, not an error
  const Eigen::MatrixXd y = p.values_batch(points);
  EXPECT_TRUE(std::isnan(y(0, 70)));
  EXPECT_EQ(y(0, 71), std::log(2.0));
  points(1, 99) = -1.0;  // the branch flips at the last point only
  EXPECT_THROW(p.values_batch(points), nabla::DomainError);
}

TEST(Program, VectorValued) {
  std::mt19937 rng(2);
  const Polar polar;
  const Program p = nabla::record(polar, random_point(rng, 2));
  EXPECT_EQ(p.outputs(), 3u);
  const Wide wide;
  const Program q = nabla::record(wide, random_point(rng, 4, 0.1, 1.0));
  EXPECT_EQ(q.outputs(), 2u);
  for (int trial = 0; trial < 10; ++trial) {
    const Eigen::VectorXd x = random_point(rng, 2);
    expect_near(p.values(x), polar(x));
    expect_near(p.jacobian(x), nabla::jacobian(polar, x));
    const Eigen::VectorXd u = random_point(rng, 2);
    expect_near(p.jvp(x, u), nabla::jvp(polar, x, u));
    const Eigen::VectorXd w = random_point(rng, 3);
    expect_near(p.vjp(x, w), nabla::vjp(polar, x, w));
    EXPECT_TRUE(near(p.value(x), polar(x)[0]));

    const Eigen::VectorXd z = random_point(rng, 4, 0.1, 1.0);
    expect_near(q.values(z), wide(z));
    expect_near(q.jacobian(z), nabla::jacobian(wide, z));
    const Eigen::VectorXd w2 = random_point(rng, 2);
    expect_near(q.vjp(z, w2), nabla::vjp(wide, z, w2));
  }
}

TEST(Program, ManyInputsUseSeveralLaneGroups) {
  // 13 inputs: the Hessian takes lane groups of 8, 4 and 1; the forward
  // Jacobian groups of 8 and 8 (partly empty).
  std::mt19937 rng(3);
  const Smooth f;
  const Program p = nabla::record(f, random_point(rng, 13));
  const Eigen::VectorXd x = random_point(rng, 13);
  expect_near(p.hessian(x), nabla::hessian(f, x));
  auto identity13 = [](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::Scalar;
    nabla::VectorX<T> y(14);
    for (Eigen::Index i = 0; i < 13; ++i) y[i] = v[i] * v[(i + 1) % 13];
    y[13] = v.sum();
    return y;
  };
  const Program q = nabla::record(identity13, x);
  expect_near(q.jacobian(x), nabla::jacobian(identity13, x));
}

// ------------------------------------------------- registry primitives ---

template <class F, class... Ops>
void for_each_primitive(nabla::core::PrimitiveList<Ops...>, F&& f) {
  (f.template operator()<Ops>(), ...);
}

/// The derivative of f(x) = Op(x; p) and its second derivative by nested forward mode.
template <class Op>
std::pair<double, double> forward_derivatives(double x, double p) {
  using D = nabla::Dual<double, 1>;
  using DD = nabla::Dual<D, 1>;
  const DD xx(D::variable(x, 0), DD::Tangent{D(1.0)});
  const DD y = nabla::detail::apply_unary<Op>(xx, p);
  return {y.tangent(0).value(), y.tangent(0).tangent(0)};
}

TEST(Program, EveryUnaryPrimitiveMatchesForwardMode) {
  std::mt19937 rng(4);
  for_each_primitive(nabla::core::UnaryPrimitives{}, [&]<class Op>() {
    SCOPED_TRACE(Op::name);
    std::vector<double> parameters{Op::default_parameter};
    if constexpr (Op::has_parameter) parameters.push_back(Op::default_parameter + 1.0);
    for (double p : parameters) {
      ProgramBuilder b;
      const auto x = b.input();
      b.output(b.unary<Op>(x, p));
      const Program program = std::move(b).build();
      ASSERT_EQ(program.size(), 1u);
      std::uniform_real_distribution<double> u(Op::sample_lo, Op::sample_hi);
      for (int trial = 0; trial < 20; ++trial) {
        const Eigen::VectorXd at = Eigen::VectorXd::Constant(1, u(rng));
        const auto [d1, d2] = forward_derivatives<Op>(at[0], p);
        EXPECT_TRUE(near(program.value(at), Op::value(at[0], p))) << "at " << at[0];
        EXPECT_TRUE(near(program.gradient(at)[0], d1)) << "at " << at[0];
        EXPECT_TRUE(near(program.hessian(at)(0, 0), d2, 1e-10)) << "at " << at[0];
      }
    }
  });
}

TEST(Program, EveryBinaryPrimitiveMatchesForwardMode) {
  std::mt19937 rng(5);
  for_each_primitive(nabla::core::BinaryPrimitives{}, [&]<class Op>() {
    SCOPED_TRACE(Op::name);
    ProgramBuilder b;
    const auto x = b.input();
    const auto y = b.input();
    b.output(b.binary<Op>(x, y));
    const Program program = std::move(b).build();
    using D = nabla::Dual<double, 2>;
    using DD = nabla::Dual<D, 1>;
    std::uniform_real_distribution<double> u(Op::sample_lo, Op::sample_hi);
    for (int trial = 0; trial < 20; ++trial) {
      const Eigen::Vector2d at(u(rng), u(rng));
      const D g = nabla::detail::apply_binary<Op>(D::variable(at[0], 0), D::variable(at[1], 1));
      EXPECT_TRUE(near(program.value(at), Op::value(at[0], at[1])));
      const Eigen::VectorXd grad = program.gradient(at);
      EXPECT_TRUE(near(grad[0], g.tangent(0)));
      EXPECT_TRUE(near(grad[1], g.tangent(1)));
      // The Hessian's first column by nested forward mode: direction e_0.
      const DD h = nabla::detail::apply_binary<Op>(DD(D::variable(at[0], 0), DD::Tangent{D(1.0)}),
                                                   DD(D::variable(at[1], 1), DD::Tangent{D(0.0)}));
      const Eigen::MatrixXd hess = program.hessian(at);
      EXPECT_TRUE(near(hess(0, 0), h.tangent(0).tangent(0), 1e-10));
      EXPECT_TRUE(near(hess(1, 0), h.tangent(0).tangent(1), 1e-10));
    }
  });
}

TEST(Program, TracedFunctionsOfTheRegistry) {
  // The tracing scalar has every named function: f uses each once.
  auto f = [](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    using namespace nabla;
    const T a = x[0], b = x[1];  // a in (0.1, 0.9), b in (1.1, 2)
    T s = sqrt(a) + cbrt(a) + exp(a) + expm1(a) + log(a) + log1p(a) + log2(b) + log10(b) + sin(a) + cos(a);
    s += tan(a) + asin(a) + acos(a) + atan(b) + sinh(a) + cosh(a) + tanh(a) + asinh(b) + acosh(b) + atanh(a);
    s += abs(a - b) + sign(a - b) + erf(a) + erfc(b) + sigmoid(b) + relu(a - b) + leaky_relu(a - b, 0.1);
    s += softplus(b, 0.3) + pow(a, 3) + -a + pow(a, b) + atan2(a, b) + hypot(a, b) + min(a, b) + max(a, b);
    s += logsumexp(a, b) + a * b - b / a;
    return T(s);
  };
  std::mt19937 rng(6);
  const Program p = nabla::record(f, Eigen::Vector2d(0.5, 1.5));
  EXPECT_FALSE(p.has_guards());
  for (int trial = 0; trial < 10; ++trial) {
    const Eigen::Vector2d x(std::uniform_real_distribution<double>(0.1, 0.9)(rng),
                            std::uniform_real_distribution<double>(1.1, 2.0)(rng));
    EXPECT_TRUE(near(p.value(x), f(x)));
    expect_near(p.gradient(x), nabla::gradient(f, x));
    expect_near(p.hessian(x), nabla::hessian(f, x), 1e-10);
  }
}

TEST(Program, EigenExpressionsOnTracedVectors) {
  const Eigen::Vector3d weights(0.5, -1.0, 2.0);
  auto f = [&weights](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    const nabla::VectorX<T> w = weights.cast<T>();
    return T(x.squaredNorm() + x.sum() * x.dot(w) + x.norm() + (2.0 * x).prod());
  };
  const Program p = nabla::record(f, Eigen::Vector3d(1.0, 2.0, 3.0));
  const Eigen::Vector3d x(-0.3, 0.8, 1.7);
  EXPECT_TRUE(near(p.value(x), f(x)));
  expect_near(p.gradient(x), nabla::gradient(f, x));
  expect_near(p.hessian(x), nabla::hessian(f, x));
}

// --------------------------------------------------------------- guards ---

TEST(Program, GuardHoldsThenFlips) {
  auto f = [](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    if (x[0] < 0.0) return T(-x[0] * x[1]);
    return T(x[0] * x[1] + 1.0);
  };
  const Program p = nabla::record(f, Eigen::Vector2d(1.0, 2.0));
  EXPECT_TRUE(p.has_guards());
  ASSERT_EQ(p.guards().size(), 1u);
  const Eigen::Vector2d same_branch(3.0, -1.0);
  EXPECT_TRUE(p.guards_hold(same_branch));
  EXPECT_EQ(p.value(same_branch), f(same_branch));
  expect_near(p.gradient(same_branch), nabla::gradient(f, same_branch));

  const Eigen::Vector2d other_branch(-1.0, 2.0);
  EXPECT_FALSE(p.guards_hold(other_branch));
  EXPECT_THROW(p.value(other_branch), nabla::DomainError);
  EXPECT_THROW(p.values(other_branch), nabla::DomainError);
  EXPECT_THROW(p.gradient(other_branch), nabla::DomainError);
  EXPECT_THROW(p.hessian(other_branch), nabla::DomainError);
  EXPECT_THROW(p.hvp(other_branch, same_branch), nabla::DomainError);
  EXPECT_THROW(p.jacobian(other_branch), nabla::DomainError);
  try {
    p.value(other_branch);
  } catch (const nabla::DomainError& e) {
    EXPECT_NE(std::string(e.what()).find("record again"), std::string::npos) << e.what();
  }
  // Recording again at the new point gives the other branch.
  const Program q = nabla::record(f, other_branch);
  EXPECT_EQ(q.value(other_branch), f(other_branch));
  EXPECT_THROW(q.value(same_branch), nabla::DomainError);
}

TEST(Program, EveryComparisonIsAGuard) {
  auto f = [](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    T s = x[0];
    if (x[0] == 1.0) s += 1.0;
    if (x[0] != x[1]) s *= x[1];
    if (2.0 <= x[1]) s += x[0];
    if (x[1] >= x[0]) s += 1.0;
    if (0.0 > x[0]) s -= 1.0;
    return s;
  };
  const Program p = nabla::record(f, Eigen::Vector2d(1.0, 2.0));
  EXPECT_EQ(p.guards().size(), 5u);
  EXPECT_EQ(p.value(Eigen::Vector2d(1.0, 3.0)), f(Eigen::Vector2d(1.0, 3.0)));
  EXPECT_THROW(p.value(Eigen::Vector2d(1.5, 3.0)), nabla::DomainError);  // x0 == 1 no longer
  EXPECT_THROW(p.value(Eigen::Vector2d(1.0, 1.0)), nabla::DomainError);  // x0 != x1 no longer
  EXPECT_THROW(p.value(Eigen::Vector2d(1.0, 1.5)), nabla::DomainError);  // 2 <= x1 no longer
  std::ostringstream listing;
  listing << p;
  EXPECT_NE(listing.str().find("guard x0 == c0 is true"), std::string::npos) << listing.str();
}

TEST(Program, GuardsInLoopsAreRecordedOnce) {
  auto f = [](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    T s = 0.0;
    for (int k = 0; k < 10; ++k) s += x[0] > 0.0 ? T(x[0] * k) : T(x[1]);
    return s;
  };
  const Program p = nabla::record(f, Eigen::Vector2d(1.0, 2.0));
  EXPECT_EQ(p.guards().size(), 1u);
  const Program all = nabla::record(f, Eigen::Vector2d(1.0, 2.0), ProgramOptions{true, false, true});
  EXPECT_EQ(all.guards().size(), 10u);
}

TEST(Program, PrimitivesWithKinksAreNotGuards) {
  auto f = [](const auto& x) {
    using namespace nabla;
    return max(x[0], x[1]) + abs(x[0]) + relu(x[1]) + min(x[0], 0.0);
  };
  const Program p = nabla::record(f, Eigen::Vector2d(1.0, 2.0));
  EXPECT_FALSE(p.has_guards());
  const Eigen::Vector2d x(-3.0, -4.0);
  EXPECT_EQ(p.value(x), f(x));
  expect_near(p.gradient(x), nabla::gradient(f, x));
}

TEST(Program, GuardOnNaNFailsLoudly) {
  auto f = [](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    return x[0] < 0.0 ? T(-x[0]) : T(x[0]);
  };
  const Program p = nabla::record(f, Eigen::VectorXd::Constant(1, -1.0));
  EXPECT_THROW(p.value(Eigen::VectorXd::Constant(1, std::nan(""))), nabla::DomainError);
}

TEST(Program, LogSumExpOfTracedVectorRecordsNoGuard) {
  auto f = [](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    return nabla::logsumexp(nabla::VectorX<T>(x));
  };
  const Program p = nabla::record(f, Eigen::Vector3d(1.0, 2.0, 3.0));
  EXPECT_FALSE(p.has_guards());
  const Eigen::Vector3d x(3.0, -1.0, 0.5);
  EXPECT_TRUE(near(p.value(x), f(x)));
  expect_near(p.gradient(x), nabla::gradient(f, x));
}

// -------------------------------------------------------------- builder ---

TEST(Program, Builder) {
  ProgramBuilder b;
  const auto x = b.input();
  const auto y = b.input();
  const auto two = b.constant(2.0);
  const auto s = b.unary<nabla::core::Sin>(x);
  const auto xy = b.binary<nabla::core::Mul>(x, y);
  const auto yx = b.binary(nabla::Opcode::Mul, y, x);  // the same instruction
  EXPECT_EQ(xy.id, yx.id);
  EXPECT_EQ(b.unary<nabla::core::Sin>(x).id, s.id);
  EXPECT_TRUE(b.is_constant(b.unary<nabla::core::Exp>(two)));  // folded
  EXPECT_EQ(b.constant_value(b.binary<nabla::core::Pow>(two, b.constant(3.0))), 8.0);
  b.unary<nabla::core::Cos>(y);  // dead
  const auto out = b.binary<nabla::core::Add>(b.binary<nabla::core::Mul>(two, s), xy);
  b.output(out);
  b.output(b.unary<nabla::core::Softplus>(y, 0.5));
  EXPECT_EQ(b.size(), 6u);
  const Program p = std::move(b).build();
  EXPECT_EQ(p.inputs(), 2u);
  EXPECT_EQ(p.outputs(), 2u);
  EXPECT_EQ(p.size(), 5u);       // the dead cos is gone
  EXPECT_EQ(p.constants(), 2u);  // 2 and the parameter 0.5
  const Eigen::Vector2d at(0.3, -0.7);
  const double sp = nabla::core::Softplus::value(-0.7, 0.5);
  expect_near(p.values(at), Eigen::Vector2d(2.0 * std::sin(0.3) + 0.3 * -0.7, sp));
  expect_near(p.jacobian(at), (Eigen::Matrix2d() << 2.0 * std::cos(0.3) - 0.7, 0.3, 0.0,
                               nabla::core::Sigmoid::value(-0.7 / 0.5, 0.0))
                                  .finished());
  std::ostringstream listing;
  listing << p;
  EXPECT_NE(listing.str().find("sin(x0)"), std::string::npos) << listing.str();
  EXPECT_NE(listing.str().find("softplus(x1; 0.5)"), std::string::npos) << listing.str();
}

TEST(Program, BuilderErrors) {
  ProgramBuilder b;
  const auto x = b.input();
  EXPECT_THROW(b.unary(nabla::Opcode::Add, x), nabla::DomainError);
  EXPECT_THROW(b.binary(nabla::Opcode::Sin, x, x), nabla::DomainError);
  EXPECT_THROW(b.unary<nabla::core::PowInt>(x, 2.5), nabla::DomainError);
  EXPECT_THROW(b.unary<nabla::core::PowInt>(x, 3e9), nabla::DomainError);  // beyond int
  EXPECT_THROW(b.output(ProgramBuilder::Slot{7}), nabla::DimensionError);
  EXPECT_THROW(b.constant_value(x), nabla::DomainError);
  ProgramBuilder other;
  other.input();
  other.input();
  EXPECT_THROW(b.binary<nabla::core::Add>(x, ProgramBuilder::Slot{1}), nabla::DimensionError);
}

TEST(Program, AValueOfAnotherRecordingIsNoOutput) {
  // Regression: f kept a TraceVar from an earlier record and returned it;
  // it became the new Program's output with its slot number meaning another
  // value there (x1 * x1 instead of x0 * x1: 9 for 6).
  std::optional<nabla::TraceVar> kept;
  const Eigen::Vector2d x(2.0, 3.0);
  nabla::record([&](const auto& v) { return *(kept = v[0] * v[1]); }, x);
  auto returned = [&](const auto& v) {
    [[maybe_unused]] const nabla::TraceVar square = v[1] * v[1];
    return *kept;
  };
  EXPECT_THROW(nabla::record(returned, x), nabla::Error);
  auto inside = [&](const auto& v) { return v[1] * v[1] + *kept; };  // as an operand it was refused already
  EXPECT_THROW(nabla::record(inside, x), nabla::Error);
}

TEST(Program, EveryIntExponentOfPowIsRecorded) {
  // Regression: record refused pow(x, n) for |n| > 1e9 ("must be an integer,
  // not 2000000000"), which gradient and derivative take.
  for (const int n : {2000000000, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()}) {
    auto f = [n](const auto& v) { return nabla::pow(v[0], n); };
    const Eigen::VectorXd x = Eigen::VectorXd::Constant(1, -1.0);
    const Program p = nabla::record(f, x);
    EXPECT_EQ(p.gradient(x)[0], nabla::gradient(f, x)[0]) << n;
    EXPECT_EQ(p.gradient(x)[0], (n % 2 == 0 ? -1.0 : 1.0) * n) << n;  // n (-1)^(n-1)
  }
}

TEST(Program, OptimizationKeepsValues) {
  auto f = [](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    using std::exp;
    using std::sin;
    const T a = exp(x[0]) * sin(x[1]);
    const T unused = exp(x[1]) * 3.0;
    static_cast<void>(unused);
    return T(a + exp(x[0]) * sin(x[1]) + x[0] * x[1] + x[1] * x[0] + 2.0 * 3.0 * x[2]);
  };
  const Eigen::Vector3d x0(0.1, 0.2, 0.3);
  const Program optimized = nabla::record(f, x0);
  const Program plain = nabla::record(f, x0, ProgramOptions{false, false, false});
  EXPECT_LT(optimized.size(), plain.size());
  // exp, sin, mul (a), add (a + a), mul (x0 x1 once), add, add, mul (6 x2), add
  EXPECT_EQ(optimized.size(), 9u) << optimized;
  std::mt19937 rng(7);
  for (int trial = 0; trial < 10; ++trial) {
    const Eigen::VectorXd x = random_point(rng, 3);
    EXPECT_EQ(optimized.value(x), plain.value(x));
    EXPECT_TRUE(near(optimized.value(x), f(x)));
    expect_near(optimized.gradient(x), plain.gradient(x), 1e-15);
    expect_near(optimized.hessian(x), plain.hessian(x), 1e-15);
  }
}

// ------------------------------------------------ edges and bad inputs ---

TEST(Program, DimensionErrors) {
  const Program p = nabla::record(Smooth{}, Eigen::VectorXd::Constant(5, 0.5));
  const Eigen::VectorXd short_x = Eigen::VectorXd::Constant(4, 0.5);
  const Eigen::VectorXd x = Eigen::VectorXd::Constant(5, 0.5);
  EXPECT_THROW(p.value(short_x), nabla::DimensionError);
  EXPECT_THROW(p.values(short_x), nabla::DimensionError);
  EXPECT_THROW(p.gradient(short_x), nabla::DimensionError);
  EXPECT_THROW(p.jacobian(short_x), nabla::DimensionError);
  EXPECT_THROW(p.hessian(short_x), nabla::DimensionError);
  EXPECT_THROW(p.hvp(x, short_x), nabla::DimensionError);
  EXPECT_THROW(p.jvp(x, short_x), nabla::DimensionError);
  EXPECT_THROW(p.vjp(x, Eigen::VectorXd::Ones(2)), nabla::DimensionError);
  EXPECT_THROW(nabla::record(Smooth{}, Eigen::VectorXd()), nabla::DimensionError);
  const Program polar = nabla::record(Polar{}, Eigen::Vector2d(1.0, 0.5));
  EXPECT_THROW(polar.gradient(Eigen::Vector2d(1.0, 0.5)), nabla::DimensionError);
  EXPECT_THROW(polar.hessian(Eigen::Vector2d(1.0, 0.5)), nabla::DimensionError);
  const Program empty;
  EXPECT_THROW(empty.value(Eigen::VectorXd()), nabla::DimensionError);
  EXPECT_EQ(empty.values(Eigen::VectorXd()).size(), 0);
}

TEST(Program, ASizeErrorNamesTheVectorOfTheWrongSize) {
  // hvp and jvp with a v of 4 entries said that x had 4
  const Program p = nabla::record(Smooth{}, Eigen::VectorXd::Constant(5, 0.5));
  const Eigen::VectorXd x = Eigen::VectorXd::Constant(5, 0.5), v = Eigen::VectorXd::Ones(4);
  const auto message = [](auto&& call) {
    try {
      call();
    } catch (const nabla::DimensionError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([&] { p.hvp(x, v); }),
            "Program::hvp: the vector v has 4 entries but the program has 5 inputs");
  EXPECT_EQ(message([&] { p.jvp(x, v); }),
            "Program::jvp: the direction v has 4 entries but the program has 5 inputs");
  EXPECT_EQ(message([&] { p.hvp(v, x); }), "Program::hvp: x has 4 entries but the program has 5 inputs");
}

TEST(Program, ConstantFunction) {
  auto f = [](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    return T(3.0);
  };
  const Program p = nabla::record(f, Eigen::Vector2d(1.0, 2.0));
  EXPECT_EQ(p.size(), 0u);
  const Eigen::Vector2d x(-5.0, 7.0);
  EXPECT_EQ(p.value(x), 3.0);
  EXPECT_EQ(p.gradient(x), Eigen::Vector2d::Zero());
  EXPECT_EQ(p.hessian(x), Eigen::Matrix2d::Zero());
  // An output that is an input.
  const Program id = nabla::record([](const auto& v) { return v[1]; }, Eigen::Vector2d(1.0, 2.0));
  EXPECT_EQ(id.value(x), 7.0);
  EXPECT_EQ(id.gradient(x), Eigen::Vector2d(0.0, 1.0));
}

TEST(Program, NaNPropagates) {
  const Program p = nabla::record(Smooth{}, Eigen::VectorXd::Constant(5, 0.5));
  Eigen::VectorXd x = Eigen::VectorXd::Constant(5, 0.5);
  x[2] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isnan(p.value(x)));
  EXPECT_TRUE(p.gradient(x).hasNaN());
  EXPECT_TRUE(p.hessian(x).hasNaN());
  const Program logs = nabla::record(
      [](const auto& v) {
        using std::log;
        return log(v[0]);
      },
      Eigen::VectorXd::Constant(1, 1.0));
  EXPECT_TRUE(std::isnan(logs.value(Eigen::VectorXd::Constant(1, -1.0))));
  EXPECT_TRUE(std::isnan(logs.gradient(Eigen::VectorXd::Constant(1, -1.0))[0]));
}

TEST(Program, HessianNearTheLargestDoubleStaysFinite) {
  // Every entry is exp(709.5) ~ 1.35e308: symmetrizing by (H + H^T) / 2
  // would overflow to inf before halving.
  auto f = [](const auto& v) {
    using std::exp;
    return exp(v[0] + v[1]);
  };
  const Program p = nabla::record(f, Eigen::Vector2d(0.0, 0.0));
  const Eigen::Vector2d x(354.0, 355.5);
  const Eigen::MatrixXd h = p.hessian(x);
  ASSERT_TRUE(h.allFinite()) << h;
  expect_near(h, Eigen::Matrix2d::Constant(std::exp(709.5)));
  expect_near(h, nabla::hessian(f, x));
}

// ---------------------------------------------------- other scalar types ---

TEST(Program, EvaluatesOnVarDualAndTraceVar) {
  std::mt19937 rng(8);
  const Smooth f;
  const Program p = nabla::record(f, random_point(rng, 5));
  const Eigen::VectorXd x = random_point(rng, 5);
  // On Var: the program inside a function given to nabla::gradient.
  auto through = [&p](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::Scalar;
    return T(p.evaluate(nabla::VectorX<T>(v))[0]);
  };
  expect_near(nabla::gradient(through, x), p.gradient(x));
  expect_near(nabla::hessian(through, x), p.hessian(x));
  EXPECT_TRUE(near(p.evaluate(x)[0], p.value(x)));
  // On TraceVar: the program inlined into another recording.
  auto twice = [&p](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::Scalar;
    return T(2.0 * p.evaluate(nabla::VectorX<T>(v))[0]);
  };
  const Program q = nabla::record(twice, x);
  EXPECT_EQ(q.size(), p.size() + 1);
  EXPECT_TRUE(near(q.value(x), 2.0 * p.value(x)));
  expect_near(q.gradient(x), 2.0 * p.gradient(x));
}

TEST(Program, InlinedProgramKeepsItsGuards) {
  auto f = [](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    return x[0] < 0.0 ? T(-x[0]) : T(x[0] * x[0]);
  };
  const Program inner = nabla::record(f, Eigen::VectorXd::Constant(1, 2.0));
  auto g = [&inner](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::Scalar;
    return T(inner.evaluate(nabla::VectorX<T>(v))[0] + 1.0);
  };
  const Program outer = nabla::record(g, Eigen::VectorXd::Constant(1, 3.0));
  EXPECT_TRUE(outer.has_guards());
  EXPECT_EQ(outer.value(Eigen::VectorXd::Constant(1, 0.5)), 1.25);
  EXPECT_THROW(outer.value(Eigen::VectorXd::Constant(1, -1.0)), nabla::DomainError);
  EXPECT_THROW(inner.evaluate(Eigen::VectorXd(Eigen::VectorXd::Constant(1, -1.0))), nabla::DomainError);
}

TEST(Program, TraceVarOutsideRecordThrows) {
  nabla::TraceVar leaked;
  nabla::record(
      [&leaked](const auto& v) {
        if constexpr (std::is_same_v<typename std::decay_t<decltype(v)>::Scalar, nabla::TraceVar>)
          leaked = v[0];
        return v[0];
      },
      Eigen::VectorXd::Constant(1, 1.0));
  EXPECT_THROW(sin(leaked), nabla::Error);
  const nabla::TraceVar passive = 2.0;
  EXPECT_EQ(sin(passive).value(), std::sin(2.0));
}

TEST(Program, ConcurrentReplays) {
  std::mt19937 rng(9);
  const Smooth f;
  const Program p = nabla::record(f, random_point(rng, 40));
  std::vector<Eigen::VectorXd> points;
  for (int k = 0; k < 4; ++k) points.push_back(random_point(rng, 40));
  std::vector<Eigen::VectorXd> expected;
  for (const auto& x : points) expected.push_back(p.gradient(x));
  std::vector<int> ok(points.size(), 0);
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < points.size(); ++k)
    threads.emplace_back([&, k] {
      bool all = true;
      for (int r = 0; r < 200; ++r) all = all && p.gradient(points[k]) == expected[k];
      ok[k] = all ? 1 : 0;
    });
  for (auto& t : threads) t.join();
  for (int v : ok) EXPECT_EQ(v, 1);
}

}  // namespace
