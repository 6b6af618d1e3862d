// Bad input to the drivers: empty vectors and mismatched sizes are a
// nabla::DimensionError (with the sizes in the message), a zero direction is
// a DomainError; NaN and infinite inputs are never an exception or a crash.
// The documented results: a NaN input gives a NaN value and NaN in every
// derivative whose formula reads it (NaN is outside every primitive's domain,
// so each partial of sin, exp, ... at a NaN is NaN; the arithmetic operators
// keep their exact partials, d(a + b)/db = 1); derivatives that do not depend
// on the NaN input stay exact, in forward and in reverse mode alike. Infinite inputs give the IEEE limits
// where they exist (sigmoid'(inf) = 0, e^{-inf} = 0) and NaN where they do
// not (inf - inf, sin(inf)).
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <numbers>
#include <string>
#include <type_traits>

#include "nabla/nabla.hpp"

namespace nabla {
namespace {

template <class V>
using scalar_of = typename std::decay_t<V>::Scalar;

const double kNaN = core::nan;
const double kInf = core::infinity;

auto scalar_f = [](const auto& x) {
  using T = scalar_of<decltype(x)>;
  T s = 0.0;
  for (Eigen::Index i = 0; i < x.size(); ++i) s += x[i] * x[i];
  return s;
};
auto vector_f = [](const auto& x) {
  using T = scalar_of<decltype(x)>;
  VectorX<T> y(2);
  y[0] = x.size() > 0 ? T(x[0]) : T(0.0);
  y[1] = T(1.0);
  return y;
};

/// The message of the DimensionError that `call` throws ("" if none).
template <class Call>
std::string dimension_error(Call call) {
  try {
    call();
  } catch (const DimensionError& e) {
    return e.what();
  }
  return "";
}

TEST(BadInput, EmptyVectorsAreADimensionError) {
  const Eigen::VectorXd empty;
  EXPECT_THROW(nabla::gradient(scalar_f, empty), DimensionError);
  EXPECT_THROW(nabla::value_and_gradient(scalar_f, empty), DimensionError);
  EXPECT_THROW(nabla::jacobian(vector_f, empty), DimensionError);
  EXPECT_THROW(nabla::hessian(scalar_f, empty), DimensionError);
  EXPECT_THROW(nabla::hvp(scalar_f, empty, empty), DimensionError);
  EXPECT_THROW(nabla::jvp(vector_f, empty, empty), DimensionError);
  EXPECT_THROW(nabla::vjp(vector_f, empty, Eigen::Vector2d(1, 1)), DimensionError);
  // Regression: an empty x and u passed the size check and were reported as
  // a zero direction (DomainError); empty input is a DimensionError everywhere.
  EXPECT_THROW(nabla::directional_derivative(scalar_f, empty, empty), DimensionError);
  // Errors are all nabla::Error
  EXPECT_THROW(nabla::gradient(scalar_f, empty), Error);
}

TEST(BadInput, MismatchedSizesAreADimensionErrorThatSaysWhich) {
  const Eigen::Vector3d x(1, 2, 3);
  const std::string hvp = dimension_error([&] { nabla::hvp(scalar_f, x, Eigen::Vector2d(1, 1)); });
  EXPECT_NE(hvp.find("hvp"), std::string::npos) << hvp;
  EXPECT_NE(hvp.find('3'), std::string::npos) << hvp;
  EXPECT_NE(hvp.find('2'), std::string::npos) << hvp;
  const std::string jvp = dimension_error([&] { nabla::jvp(vector_f, x, Eigen::Vector4d::Ones()); });
  EXPECT_NE(jvp.find("jvp"), std::string::npos) << jvp;
  // vjp: w must have one entry per OUTPUT (2 here), not per input
  const std::string vjp = dimension_error([&] { nabla::vjp(vector_f, x, x); });
  EXPECT_NE(vjp.find("vjp"), std::string::npos) << vjp;
  EXPECT_NO_THROW(nabla::vjp(vector_f, x, Eigen::Vector2d(1, 1)));
  EXPECT_THROW(nabla::directional_derivative(scalar_f, x, Eigen::Vector2d(1, 1)), DimensionError);
  // f must be scalar: a vector f gave its first component, an empty one a
  // null read
  EXPECT_THROW(nabla::directional_derivative(vector_f, x, Eigen::Vector3d(1, 0, 0)), DimensionError);
  auto empty_f = [](const auto& v) { return VectorX<scalar_of<decltype(v)>>(0); };
  EXPECT_THROW(nabla::directional_derivative(empty_f, x, Eigen::Vector3d(1, 0, 0)), DimensionError);
  // a function whose result changes size between calls, for the Jacobian
  auto unstable = [](const auto& v) {
    using T = scalar_of<decltype(v)>;
    return VectorX<T>(VectorX<T>::Constant(std::is_floating_point_v<T> ? 2 : 3, T(v[0])));
  };
  EXPECT_THROW(nabla::jacobian(unstable, Eigen::VectorXd::Ones(1)), DimensionError);
}

TEST(BadInput, ZeroDirectionIsADomainError) {
  EXPECT_THROW(nabla::directional_derivative(scalar_f, Eigen::Vector2d(1, 1), Eigen::Vector2d::Zero()),
               DomainError);
  EXPECT_THROW(nabla::directional_derivative(scalar_f, Eigen::Vector2d(1, 1), Eigen::Vector2d(kNaN, 1)),
               DomainError);
}

/// f(x) = x0^2 + sin(x0) x1 + e^{x2}: which entries a NaN in x0 reaches.
auto mixed = [](const auto& x) {
  using T = scalar_of<decltype(x)>;
  return T(x[0] * x[0] + sin(x[0]) * x[1] + exp(x[2]));
};

TEST(BadInput, NaNInputGivesNaNResultsNeverAnException) {
  const Eigen::Vector3d x(kNaN, 1.0, 0.5);
  ValueAndGradient vg{};
  ASSERT_NO_THROW(vg = nabla::value_and_gradient(mixed, x));
  EXPECT_TRUE(std::isnan(vg.value));
  // df/dx0 = 2 x0 + cos(x0) x1 and df/dx1 = sin(x0) involve x0: NaN. df/dx2 =
  // e^{x2} does not: the partials of + are 1 whatever the other operand.
  EXPECT_TRUE(std::isnan(vg.gradient[0]));
  EXPECT_TRUE(std::isnan(vg.gradient[1]));
  EXPECT_DOUBLE_EQ(vg.gradient[2], std::exp(0.5));
  Eigen::MatrixXd h;
  ASSERT_NO_THROW(h = nabla::hessian(mixed, x));
  EXPECT_TRUE(std::isnan(h(0, 0)));
  EXPECT_TRUE(std::isnan(h(0, 1)));
  Eigen::VectorXd jv;
  ASSERT_NO_THROW(jv = nabla::jvp(mixed, x, Eigen::Vector3d(0, 0, 1)));
  EXPECT_DOUBLE_EQ(jv[0], std::exp(0.5));  // forward mode agrees with reverse mode
  ASSERT_NO_THROW(jv = nabla::jvp(mixed, x, Eigen::Vector3d(0, 1, 0)));
  EXPECT_TRUE(std::isnan(jv[0]));
  ASSERT_NO_THROW(nabla::hvp(mixed, x, Eigen::Vector3d::Ones()));
  ASSERT_NO_THROW(nabla::jacobian(vector_f, x));
  EXPECT_TRUE(std::isnan(nabla::derivative([](auto t) { return t * t; }, kNaN)));
  // A NaN that does not reach an output leaves its derivatives exact.
  auto separate = [](const auto& v) {
    using T = scalar_of<decltype(v)>;
    VectorX<T> y(2);
    y[0] = v[0] * v[0];
    y[1] = exp(v[1]);
    return y;
  };
  const Eigen::MatrixXd j = nabla::jacobian(separate, Eigen::Vector2d(kNaN, 0.0));
  EXPECT_TRUE(std::isnan(j(0, 0)));
  EXPECT_EQ(j(0, 1), 0.0);
  EXPECT_EQ(j(1, 0), 0.0);
  EXPECT_EQ(j(1, 1), 1.0);
}

TEST(BadInput, NaNInTheDirectionOrWeightsPropagates) {
  const Eigen::Vector2d x(1.0, 2.0);
  Eigen::VectorXd r;
  ASSERT_NO_THROW(r = nabla::hvp(scalar_f, x, Eigen::Vector2d(kNaN, 1.0)));
  EXPECT_TRUE(std::isnan(r[0]));
  EXPECT_EQ(r[1], 2.0);
  ASSERT_NO_THROW(r = nabla::vjp(vector_f, x, Eigen::Vector2d(kNaN, 1.0)));
  EXPECT_TRUE(std::isnan(r[0]));
  ASSERT_NO_THROW(r = nabla::jvp(vector_f, x, Eigen::Vector2d(kNaN, 1.0)));
  EXPECT_TRUE(std::isnan(r[0]));
}

TEST(BadInput, InfiniteInputsGiveTheLimits) {
  // f(x) = sigmoid(x0) + e^{-x1} + atan(x2): at (inf, inf, -inf) the value is
  // 1 + 0 - pi/2 and every partial is 0 (sigmoid'(inf) = e^{-inf} = atan'(-inf) = 0).
  auto f = [](const auto& x) {
    using T = scalar_of<decltype(x)>;
    return T(sigmoid(x[0]) + exp(-x[1]) + atan(x[2]));
  };
  const Eigen::Vector3d x(kInf, kInf, -kInf);
  ValueAndGradient vg{};
  ASSERT_NO_THROW(vg = nabla::value_and_gradient(f, x));
  EXPECT_DOUBLE_EQ(vg.value, 1.0 - std::numbers::pi / 2);
  EXPECT_EQ(vg.gradient, Eigen::Vector3d::Zero());
  EXPECT_EQ(nabla::vjp(f, x, Eigen::VectorXd::Ones(1)), Eigen::Vector3d::Zero());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(nabla::jvp(f, x, Eigen::Vector3d::Unit(i))[0], 0.0);
  // inf - inf has no limit: NaN, no exception
  auto g = [](const auto& v) { return v[0] - v[1]; };
  ValueAndGradient d{};
  ASSERT_NO_THROW(d = nabla::value_and_gradient(g, Eigen::Vector2d(kInf, kInf)));
  EXPECT_TRUE(std::isnan(d.value));
  // x^2 at inf: value inf, derivative inf
  EXPECT_EQ(nabla::derivative([](auto t) { return t * t; }, kInf), kInf);
  // an overflow inside is an infinity, not a crash: e^{1000} = inf, its derivative inf
  EXPECT_EQ(nabla::gradient([](const auto& v) { return exp(v[0]); }, Eigen::VectorXd::Constant(1, 1000.0))[0],
            kInf);
}

}  // namespace
}  // namespace nabla
