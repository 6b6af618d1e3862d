// The Stepper's updates against numbers worked by hand from the formulas in
// stepper.hpp (x = (1, 2), g = (0.5, -1) unless said otherwise), for double
// and float; the schedules and the clipping likewise.
#include "nabla/optim/stepper.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "nabla/core/errors.hpp"

namespace nabla::optim {
namespace {

Options with(Method m, double lr) {
  Options o;
  o.method = m;
  o.learning_rate = lr;
  return o;
}

template <class T>
VectorX<T> v2(double a, double b) {
  VectorX<T> v(2);
  v << static_cast<T>(a), static_cast<T>(b);
  return v;
}

template <class T>
class StepperTyped : public ::testing::Test {};
using Scalars = ::testing::Types<double, float>;
TYPED_TEST_SUITE(StepperTyped, Scalars);

TYPED_TEST(StepperTyped, EveryMethodByHand) {
  using T = TypeParam;
  const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-15;
  struct Case {
    Method method;
    double x0, x1;  // after one step from (1, 2) with g = (0.5, -1)
    double y0, y1;  // after a second step with g = (1, 1)
  };
  // lr 0.1, mu 0.9, eps 0, rho 0.99, b1 0.9, b2 0.999.
  // Momentum: b = g; then b = 0.9 (0.5, -1) + (1, 1) = (1.45, 0.1).
  // Nesterov: x -= 0.1 (g + 0.9 g) = 0.19 g; then b = (1.45, 0.1), x -= 0.1 ((1, 1) + 0.9 b).
  // AdaGrad: s = g^2, step 0.1 sign(g); then s = (1.25, 2): x -= 0.1 (1/sqrt(1.25), 1/sqrt(2)).
  // RMSProp: s = 0.01 g^2, step 0.1 g / (0.1 |g|) = sign(g); then s = 0.99 s + 0.01 = (0.012475, 0.0199).
  // Adam: first step lr sign(g); second: m = (0.09 * 0.5 + 0.1, -0.09 + 0.1) = (0.145, 0.01),
  //   v = (0.999 * 0.001 * 0.25 + 0.001, 0.999 * 0.001 + 0.001) = (0.00124975, 0.001999),
  //   mhat = m / 0.19, vhat = v / (1 - 0.999^2) = v / 0.001999.
  const double adam_a = (0.145 / 0.19) / std::sqrt(0.00124975 / 0.001999);
  const double adam_b = (0.01 / 0.19) / std::sqrt(0.001999 / 0.001999);
  const Case cases[] = {
      {Method::GradientDescent, 0.95, 2.1, 0.85, 2.0},
      {Method::Momentum, 0.95, 2.1, 0.95 - 0.145, 2.1 - 0.01},
      {Method::Nesterov, 0.905, 2.19, 0.905 - 0.1 * (1 + 0.9 * 1.45), 2.19 - 0.1 * (1 + 0.9 * 0.1)},
      {Method::AdaGrad, 0.9, 2.1, 0.9 - 0.1 / std::sqrt(1.25), 2.1 - 0.1 / std::sqrt(2.0)},
      {Method::RMSProp, 0.0, 3.0, -0.1 / std::sqrt(0.012475), 3.0 - 0.1 / std::sqrt(0.0199)},
      {Method::Adam, 0.9, 2.1, 0.9 - 0.1 * adam_a, 2.1 - 0.1 * adam_b},
  };
  for (const Case& c : cases) {
    Options o = with(c.method, 0.1);
    o.epsilon = 0;
    Stepper<T> s(o, 2);
    VectorX<T> x = v2<T>(1, 2);
    s.step(x, v2<T>(0.5, -1));
    EXPECT_NEAR(x[0], c.x0, tol) << name(c.method);
    EXPECT_NEAR(x[1], c.x1, tol) << name(c.method);
    s.step(x, v2<T>(1, 1));
    EXPECT_NEAR(x[0], c.y0, 4 * tol) << name(c.method);
    EXPECT_NEAR(x[1], c.y1, 4 * tol) << name(c.method);
    EXPECT_EQ(s.steps(), 2);
  }
}

TYPED_TEST(StepperTyped, WeightDecayCoupledAndDecoupled) {
  using T = TypeParam;
  const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-15;
  Options gd = with(Method::GradientDescent, 0.1);
  gd.weight_decay = 0.1;  // g + 0.1 x = (0.6, -0.8)
  Stepper<T> s(gd, 2);
  VectorX<T> x = v2<T>(1, 2);
  s.step(x, v2<T>(0.5, -1));
  EXPECT_NEAR(x[0], 0.94, tol);
  EXPECT_NEAR(x[1], 2.08, tol);
  Options adamw = with(Method::AdamW, 0.1);
  adamw.weight_decay = 0.1;  // x *= 1 - 0.01, then the first Adam step 0.1 sign(g)
  adamw.epsilon = 0;
  Stepper<T> w(adamw, 2);
  x = v2<T>(1, 2);
  w.step(x, v2<T>(0.5, -1));
  EXPECT_NEAR(x[0], 0.89, tol);
  EXPECT_NEAR(x[1], 2.08, tol);
}

TYPED_TEST(StepperTyped, ClippingByValueThenNorm) {
  using T = TypeParam;
  const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-15;
  Options o = with(Method::GradientDescent, 1);
  o.clip_value = 0.5;  // (3, -0.2) -> (0.5, -0.2)
  Stepper<T> a(o, 2);
  VectorX<T> x = v2<T>(0, 0);
  a.step(x, v2<T>(3, -0.2));
  EXPECT_NEAR(x[0], -0.5, tol);
  EXPECT_NEAR(x[1], 0.2, tol);
  o.clip_value = 0;
  o.clip_norm = 1;  // (3, 4) has norm 5 -> (0.6, 0.8)
  Stepper<T> b(o, 2);
  x = v2<T>(0, 0);
  b.step(x, v2<T>(3, 4));
  EXPECT_NEAR(x[0], -0.6, tol);
  EXPECT_NEAR(x[1], -0.8, tol);
  o.clip_value = 2;  // (3, 4) -> (2, 2) -> norm 1: (1/sqrt 2, 1/sqrt 2)
  Stepper<T> c(o, 2);
  x = v2<T>(0, 0);
  c.step(x, v2<T>(3, 4));
  EXPECT_NEAR(x[0], -std::sqrt(0.5), tol);
  EXPECT_NEAR(x[1], -std::sqrt(0.5), tol);
}

TYPED_TEST(StepperTyped, HugeGradientsGiveTheStepsOfSmallOnes) {
  // AdaGrad, RMSProp and Adam divide g by the root of a mean of g^2, so their
  // steps do not depend on g's scale: g = h (1, 0.5) steps as (1, 0.5)
  // does, with h = 1e200 (1e30 for float), whose square overflows. The squares
  // made inf, g / inf = 0: a silent zero step. Clipping by norm likewise.
  using T = TypeParam;
  const double h = std::is_same_v<T, float> ? 1e30 : 1e200;
  for (Method m : {Method::AdaGrad, Method::RMSProp, Method::Adam, Method::AdamW}) {
    Options o = with(m, 0.1);
    o.epsilon = 0;
    Stepper<T> huge(o, 2), small(o, 2);
    VectorX<T> x = v2<T>(1, 2), y = v2<T>(1, 2);
    for (int k = 0; k < 3; ++k) {  // the second and third steps: the state is carried
      huge.step(x, v2<T>(h, 0.5 * h));
      small.step(y, v2<T>(1, 0.5));
      EXPECT_NEAR(x[0], y[0], 1e-5) << name(m) << " step " << k;
      EXPECT_NEAR(x[1], y[1], 1e-5) << name(m) << " step " << k;
      EXPECT_LT(x[0], 1) << name(m);
    }
  }
  Options o = with(Method::GradientDescent, 1);
  o.clip_norm = 1;  // (h, h) -> (1/sqrt 2, 1/sqrt 2)
  Stepper<T> clipped(o, 2);
  VectorX<T> x = v2<T>(0, 0);
  clipped.step(x, v2<T>(h, h));
  EXPECT_NEAR(x[0], -std::sqrt(0.5), 1e-6);
  EXPECT_NEAR(x[1], -std::sqrt(0.5), 1e-6);
}

TEST(Stepper, Schedules) {
  Options o = with(Method::GradientDescent, 1);
  o.schedule = Schedule::Step;
  o.schedule_gamma = 0.5;
  o.schedule_step_size = 2;
  const double step_rates[] = {1, 1, 0.5, 0.5, 0.25};
  Stepper<double> s(o, 1);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  for (double rate : step_rates) {
    EXPECT_DOUBLE_EQ(s.learning_rate(), rate);
    s.step(x, Eigen::VectorXd::Ones(1));
  }
  EXPECT_DOUBLE_EQ(x[0], -(1 + 1 + 0.5 + 0.5 + 0.25));
  o.schedule = Schedule::Exponential;
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(o, 0), 1);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(o, 3), 0.125);
  o.schedule = Schedule::Cosine;
  o.schedule_period = 4;
  o.min_learning_rate = 0.1;
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(o, 0), 1);
  EXPECT_NEAR(scheduled_learning_rate(o, 1), 0.1 + 0.9 * (1 + std::sqrt(0.5)) / 2, 1e-15);
  EXPECT_NEAR(scheduled_learning_rate(o, 2), 0.55, 1e-15);
  EXPECT_NEAR(scheduled_learning_rate(o, 4), 0.1, 1e-15);
  EXPECT_NEAR(scheduled_learning_rate(o, 9), 0.1, 1e-15);
}

TEST(Stepper, RejectsSecondOrderMethodsAndWrongSizes) {
  EXPECT_THROW(Stepper<double>(with(Method::LBFGS, 0.1), 2), DomainError);
  EXPECT_THROW(Stepper<float>(with(Method::Newton, 0.1), 2), DomainError);
  EXPECT_THROW(Stepper<double>(with(Method::Adam, -1), 2), DomainError);
  Stepper<double> s(with(Method::Adam, 0.1), 2);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(3);
  EXPECT_THROW(s.step(x, Eigen::VectorXd::Zero(3)), DimensionError);
}

}  // namespace
}  // namespace nabla::optim
