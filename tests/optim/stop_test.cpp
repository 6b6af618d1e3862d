// Each stop reason produced by a scenario built for it; bounds respected (the
// whole trace inside the box, the bound-constrained minimum found); bad input
// rejected with the right exception; the method names.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

#include "nabla/core/errors.hpp"
#include "nabla/optim/minimize.hpp"
#include "nabla/optim/problems.hpp"

namespace nabla::optim {
namespace {

auto bowl = [](const auto& x) { return x[0] * x[0] + 2 * x[1] * x[1]; };

Options with(Method m) {
  Options o;
  o.method = m;
  return o;
}

TEST(StopReasons, GradientSmallAndMaxIterations) {
  EXPECT_EQ(minimize(bowl, Eigen::Vector2d(3, 2), with(Method::LBFGS)).stop_reason,
            StopReason::GradientSmall);
  Options o = with(Method::GradientDescent);
  o.max_iterations = 7;
  const Result r = minimize(bowl, Eigen::Vector2d(3, 2), o);
  EXPECT_EQ(r.stop_reason, StopReason::MaxIterations);
  EXPECT_EQ(r.iterations, 7);
}

TEST(StopReasons, Callback) {
  Options o = with(Method::GradientDescent);
  long seen = 0;
  o.callback = [&](const Iterate& it) {
    EXPECT_EQ(it.iteration, seen++);
    return it.iteration < 3;
  };
  const Result r = minimize(bowl, Eigen::Vector2d(3, 2), o);
  EXPECT_EQ(r.stop_reason, StopReason::Callback);
  EXPECT_EQ(r.iterations, 3);
  EXPECT_EQ(seen, 4);
}

TEST(StopReasons, MaxEvaluationsIsNeverExceeded) {
  const problems::Problem& p = problems::find("rosenbrock");
  for (Method m : {Method::GradientDescent, Method::Newton, Method::BFGS, Method::LBFGS}) {
    Options o = with(m);
    o.learning_rate = 1e-4;  // gradient descent at the default 0.01 diverges on Rosenbrock (NonFinite)
    o.max_evaluations = 10;
    const Result r = minimize(p, p.x0, o);
    EXPECT_EQ(r.stop_reason, StopReason::MaxEvaluations) << name(m);
    EXPECT_LE(r.function_evaluations, 10) << name(m);
  }
  Options bounded = with(Method::LBFGS);
  bounded.max_evaluations = 5;
  bounded.lower = Eigen::Vector2d(-2, -2);
  bounded.upper = Eigen::Vector2d(2, 2);
  const Result r = minimize(p, p.x0, bounded);
  EXPECT_EQ(r.stop_reason, StopReason::MaxEvaluations);
  EXPECT_LE(r.function_evaluations, 5);
}

TEST(StopReasons, TimeLimit) {
  Options o = with(Method::GradientDescent);
  o.learning_rate = 1e-6;
  o.max_iterations = 1000000000;
  o.f_tolerance = 0;
  o.time_limit_seconds = 0.05;
  auto slow = [](const auto& x) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return x[0] * x[0];
  };
  const Result r = minimize(slow, Eigen::VectorXd::Ones(1), o);
  EXPECT_EQ(r.stop_reason, StopReason::TimeLimit);
}

TEST(StopReasons, NonFiniteReturnsTheBestFinitePoint) {
  // Gradient descent at rate 1.5 on x^2 maps x to -2x: 1, -2, 4, -8, 16, ...; f is NaN beyond |x| > 10.
  struct BlowsUp {
    double value(const Eigen::VectorXd& x) const { return std::abs(x[0]) > 10 ? std::nan("") : x[0] * x[0]; }
    Eigen::VectorXd gradient(const Eigen::VectorXd& x) const { return 2 * x; }
  } f;
  Options o = with(Method::GradientDescent);
  o.learning_rate = 1.5;
  const Result r = minimize(f, Eigen::VectorXd::Ones(1), o);
  EXPECT_EQ(r.stop_reason, StopReason::NonFinite);
  EXPECT_EQ(r.x[0], 1);
  EXPECT_EQ(r.f, 1);
  EXPECT_EQ(r.gradient_norm, 2);
  EXPECT_EQ(r.iterations, 3);  // x = -2, 4, -8 were accepted; 16 was not
}

TEST(StopReasons, LineSearchFailedOnAWrongGradient) {
  struct WrongGradient {  // the gradient of -f: every "descent" direction goes uphill
    double value(const Eigen::VectorXd& x) const { return x.squaredNorm(); }
    Eigen::VectorXd gradient(const Eigen::VectorXd& x) const { return -2 * x; }
  } f;
  for (Method m : {Method::BFGS, Method::LBFGS})
    for (LineSearch ls : {LineSearch::Armijo, LineSearch::StrongWolfe}) {
      Options o = with(m);
      o.line_search = ls;
      const Result r = minimize(f, Eigen::Vector2d(1, 1), o);
      EXPECT_EQ(r.stop_reason, StopReason::LineSearchFailed) << name(m);
      EXPECT_EQ(r.x, Eigen::Vector2d(1, 1));
    }
}

TEST(StopReasons, FStalledAndStepSmall) {
  const problems::Problem& p = problems::find("rosenbrock");
  Options o = with(Method::GradientDescent);
  o.learning_rate = 1e-4;
  o.f_tolerance = 1e-3;
  EXPECT_EQ(minimize(p, p.x0, o).stop_reason, StopReason::FStalled);
  o.f_tolerance = 0;
  o.x_tolerance = 1e-3;
  EXPECT_EQ(minimize(p, p.x0, o).stop_reason, StopReason::StepSmall);
}

TEST(StopReasons, EveryReasonIsDescribed) {
  for (int i = 0; i <= static_cast<int>(StopReason::Callback); ++i) {
    EXPECT_GT(describe(static_cast<StopReason>(i)).size(), 10u);
    EXPECT_NE(name(static_cast<StopReason>(i)), "unknown");
  }
}

TEST(Bounds, LbfgsFindsTheMinimumOnTheBoundAndStaysInside) {
  const problems::Problem& p = problems::find("rosenbrock");
  Options o = with(Method::LBFGS);
  o.lower = Eigen::Vector2d(-2, -2);
  o.upper = Eigen::Vector2d(0.5, 2);  // the minimizer is (0.5, 0.25), f = 0.25
  o.keep_trace = true;
  const Result r = minimize(p, p.x0, o);
  EXPECT_NEAR(r.x[0], 0.5, 1e-12);
  EXPECT_NEAR(r.x[1], 0.25, 1e-7);
  EXPECT_NEAR(r.f, 0.25, 1e-12);
  EXPECT_LE(r.gradient_norm, 1e-6);  // the projected gradient
  for (const Iterate& it : r.trace)
    EXPECT_TRUE((it.x.array() >= o.lower.array()).all() && (it.x.array() <= o.upper.array()).all());
}

TEST(Bounds, BoxOnAQuadraticAndInfiniteBounds) {
  // sum (x_i - c_i)^2 over [0, 1]^4: the minimizer is clamp(c, 0, 1).
  const Eigen::Vector4d c(-1, 0.3, 2, 0.9);
  auto f = [c](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    T sum = 0;
    for (int i = 0; i < 4; ++i) sum += (x[i] - c[i]) * (x[i] - c[i]);
    return sum;
  };
  for (Method m : {Method::LBFGS, Method::GradientDescent, Method::Adam}) {
    Options o = with(m);
    o.learning_rate = 0.1;
    o.max_iterations = 5000;
    o.lower = Eigen::Vector4d::Zero();
    o.upper = Eigen::Vector4d(1, 1, 1, std::numeric_limits<double>::infinity());
    o.schedule = m == Method::Adam ? Schedule::Cosine : Schedule::None;
    o.schedule_period = 5000;
    const Result r = minimize(f, Eigen::Vector4d(0.5, 0.5, 0.5, 5), o);
    EXPECT_LE((r.x - Eigen::Vector4d(0, 0.3, 1, 0.9)).norm(), m == Method::Adam ? 1e-5 : 1e-6) << name(m);
    EXPECT_TRUE((r.x.array() >= o.lower.array()).all() && (r.x.array() <= o.upper.array()).all()) << name(m);
  }
}

TEST(BadInput, ClearErrors) {
  EXPECT_THROW(minimize(bowl, Eigen::VectorXd(), with(Method::LBFGS)), DimensionError);
  EXPECT_THROW(minimize(bowl, Eigen::Vector2d(std::nan(""), 1), with(Method::LBFGS)), DomainError);
  struct NanAtStart {
    double value(const Eigen::VectorXd&) const { return std::nan(""); }
    Eigen::VectorXd gradient(const Eigen::VectorXd& x) const { return x; }
  } nan_f;
  EXPECT_THROW(minimize(nan_f, Eigen::Vector2d(1, 1), with(Method::BFGS)), DomainError);
  Options o = with(Method::LBFGS);
  o.lower = Eigen::Vector3d::Zero();
  o.upper = Eigen::Vector3d::Ones();
  EXPECT_THROW(minimize(bowl, Eigen::Vector2d(1, 1), o), DimensionError);
  o.lower = Eigen::Vector2d(1, 1);
  o.upper = Eigen::Vector2d(0, 0);
  EXPECT_THROW(minimize(bowl, Eigen::Vector2d(1, 1), o), DomainError);
  o.lower = Eigen::Vector2d(0, 0);
  o.upper = Eigen::Vector2d(1, 1);
  o.method = Method::Newton;
  EXPECT_THROW(minimize(bowl, Eigen::Vector2d(1, 1), o), DomainError);
  Options bad = with(Method::Adam);
  bad.beta1 = 1;
  EXPECT_THROW(minimize(bowl, Eigen::Vector2d(1, 1), bad), DomainError);
  for (double xtol : {-0.1, 1.0, std::nan("")}) {
    Options wrong = with(Method::LBFGS);
    wrong.line_search_xtol = xtol;
    EXPECT_THROW(minimize(bowl, Eigen::Vector2d(1, 1), wrong), DomainError) << xtol;
  }
}

TEST(Names, RoundTripAndDidYouMean) {
  for (int i = 0; i <= static_cast<int>(Method::LBFGS); ++i) {
    const auto m = static_cast<Method>(i);
    EXPECT_EQ(method_from_name(name(m)), m);
  }
  EXPECT_EQ(method_from_name("L-BFGS"), Method::LBFGS);
  EXPECT_EQ(method_from_name("Gradient_Descent"), Method::GradientDescent);
  try {
    method_from_name("adma");
    FAIL() << "no exception";
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'adam'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(method_from_name(""), ParseError);
}

}  // namespace
}  // namespace nabla::optim
