// The seeds' exact answers: gradient descent on x^2 + 2y^2 from (3, 2) at rate
// 0.1 visits (2.4, 1.2) and then (1.92, 0.72); J(w) = w^2 - 4w + 5 is minimal
// at w = 2 (J = 1); the cost (x-5)^2 + (y-3)^2 + 2xy has gradient (-6, -2) at
// (1, 1). Worked by hand: x - 0.1 (2x, 4y) = (0.8 x, 0.6 y).
#include <gtest/gtest.h>

#include "nabla/optim/minimize.hpp"
#include "nabla/optim/problems.hpp"

namespace nabla::optim {
namespace {

TEST(Seeds, GradientDescentOnTheBowl) {
  Options o;
  o.method = Method::GradientDescent;
  o.learning_rate = 0.1;
  o.max_iterations = 2;
  o.keep_trace = true;
  const Result r =
      minimize([](const auto& x) { return x[0] * x[0] + 2 * x[1] * x[1]; }, Eigen::Vector2d(3, 2), o);
  ASSERT_EQ(r.trace.size(), 3u);
  EXPECT_NEAR(r.trace[1].x[0], 2.4, 1e-15);
  EXPECT_NEAR(r.trace[1].x[1], 1.2, 1e-15);
  EXPECT_NEAR(r.trace[2].x[0], 1.92, 1e-15);
  EXPECT_NEAR(r.trace[2].x[1], 0.72, 1e-15);
  EXPECT_EQ(r.stop_reason, StopReason::MaxIterations);
  EXPECT_EQ(r.iterations, 2);
  EXPECT_NEAR(r.f, 1.92 * 1.92 + 2 * 0.72 * 0.72, 1e-14);
}

TEST(Seeds, CostJIsMinimalAtTwo) {
  const problems::Problem& j = problems::find("cost_j");
  for (Method m : {Method::GradientDescent, Method::Newton, Method::BFGS, Method::LBFGS}) {
    Options o;
    o.method = m;
    o.learning_rate = 0.1;  // GD: w <- w - 0.1 (2w - 4) contracts by 0.8 toward 2
    o.f_tolerance = 0;      // stop on the gradient only
    o.gradient_tolerance = 1e-10;
    const Result r = minimize(j, Eigen::VectorXd::Constant(1, -3.0), o);
    EXPECT_NEAR(r.x[0], 2.0, 1e-8) << name(m);
    EXPECT_NEAR(r.f, 1.0, 1e-14) << name(m);
  }
}

TEST(Seeds, ShiftedCostGradient) {
  const problems::Problem& c = problems::find("shifted_cost");
  const Eigen::VectorXd g = c.gradient(Eigen::Vector2d(1, 1));
  EXPECT_DOUBLE_EQ(g[0], -6);
  EXPECT_DOUBLE_EQ(g[1], -2);
  EXPECT_DOUBLE_EQ(c.value(Eigen::Vector2d(1, 1)), 16 + 4 + 2);
  EXPECT_TRUE(std::isinf(c.f_star) && c.f_star < 0);  // unbounded below along x = -y
}

}  // namespace
}  // namespace nabla::optim
