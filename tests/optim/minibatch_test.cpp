// Mini-batch minimization of a least-squares sum over samples, against the
// closed-form solution of the normal equations; the seeded shuffle makes runs
// repeatable, and a different seed takes a different path.
#include "nabla/optim/minibatch.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <numeric>
#include <random>
#include <vector>

#include "nabla/core/errors.hpp"

namespace nabla::optim {
namespace {

/// Mean over the batch of (a_i . x - b_i)^2 / 2.
struct LeastSquares {
  Eigen::MatrixXd a;
  Eigen::VectorXd b;
  Eigen::Index samples() const { return a.rows(); }
  double value_and_gradient(const Eigen::VectorXd& x, std::span<const Eigen::Index> batch,
                            Eigen::VectorXd& g) {
    g.setZero(x.size());
    double f = 0;
    for (Eigen::Index i : batch) {
      const double r = a.row(i).dot(x) - b[i];
      f += r * r / 2;
      g += r * a.row(i).transpose();
    }
    const double scale = 1.0 / static_cast<double>(batch.size());
    g *= scale;
    return f * scale;
  }
};

LeastSquares make_problem() {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  LeastSquares ls{Eigen::MatrixXd(200, 3), Eigen::VectorXd(200)};
  for (Eigen::Index i = 0; i < 200; ++i) {
    for (Eigen::Index j = 0; j < 3; ++j) ls.a(i, j) = normal(rng);
    ls.b[i] = ls.a.row(i).dot(Eigen::Vector3d(1, -2, 0.5)) + 0.1 * normal(rng);
  }
  return ls;
}

TEST(MiniBatch, ReachesTheLeastSquaresSolution) {
  LeastSquares ls = make_problem();
  const Eigen::VectorXd exact = (ls.a.transpose() * ls.a).ldlt().solve(ls.a.transpose() * ls.b);
  for (Method m : {Method::GradientDescent, Method::Momentum, Method::Adam}) {
    Options o;
    o.method = m;
    o.learning_rate = 0.05;
    o.schedule = Schedule::Cosine;
    o.schedule_period = 200L / 20 * 100;  // batches in 100 epochs
    o.keep_trace = true;
    const Result r = minimize_minibatch(ls, Eigen::Vector3d::Zero(), o, MiniBatch{20, 100, 42});
    EXPECT_LE((r.x - exact).norm(), 1e-3) << name(m);
    EXPECT_EQ(r.iterations, 100);
    EXPECT_EQ(r.trace.size(), 101u);
    EXPECT_EQ(r.function_evaluations, 100 * 10 + 101);  // batches plus one full pass per epoch and at x0
    EXPECT_EQ(r.stop_reason, StopReason::MaxIterations);
  }
}

TEST(MiniBatch, SeededAndRepeatable) {
  LeastSquares ls = make_problem();
  Options o;
  o.method = Method::GradientDescent;
  o.learning_rate = 0.01;
  const Result a = minimize_minibatch(ls, Eigen::Vector3d::Zero(), o, MiniBatch{7, 3, 1});
  const Result b = minimize_minibatch(ls, Eigen::Vector3d::Zero(), o, MiniBatch{7, 3, 1});
  const Result c = minimize_minibatch(ls, Eigen::Vector3d::Zero(), o, MiniBatch{7, 3, 2});
  EXPECT_EQ(a.x, b.x);
  EXPECT_NE(a.x, c.x);
}

TEST(MiniBatch, StopsAndRejects) {
  LeastSquares ls = make_problem();
  Options o;
  o.method = Method::Adam;
  o.callback = [](const Iterate& it) { return it.iteration < 2; };
  EXPECT_EQ(minimize_minibatch(ls, Eigen::Vector3d::Zero(), o, MiniBatch{50, 10, 0}).stop_reason,
            StopReason::Callback);
  o.callback = nullptr;
  o.max_evaluations = 3;
  const Result r = minimize_minibatch(ls, Eigen::Vector3d::Zero(), o, MiniBatch{50, 10, 0});
  EXPECT_EQ(r.stop_reason, StopReason::MaxEvaluations);
  EXPECT_LE(r.function_evaluations, 3);
  // Every budget holds, also where it runs out at an epoch's end (the full
  // pass there went one over), and x and f are where the run stopped.
  std::vector<Eigen::Index> all(200);
  std::iota(all.begin(), all.end(), Eigen::Index{0});
  Eigen::VectorXd g;
  for (long budget = 1; budget <= 12; ++budget) {
    o.max_evaluations = budget;
    const Result b = minimize_minibatch(ls, Eigen::Vector3d::Zero(), o, MiniBatch{50, 10, 0});
    EXPECT_EQ(b.stop_reason, StopReason::MaxEvaluations) << budget;
    EXPECT_LE(b.function_evaluations, budget);
    EXPECT_GE(b.function_evaluations, budget - 1);
    EXPECT_NEAR(b.f, ls.value_and_gradient(b.x, all, g), 1e-12 * b.f) << budget;
  }
  o.method = Method::LBFGS;
  EXPECT_THROW(minimize_minibatch(ls, Eigen::Vector3d::Zero(), o, MiniBatch{}), DomainError);
  o.method = Method::Adam;
  EXPECT_THROW(minimize_minibatch(ls, Eigen::Vector3d::Zero(), o, MiniBatch{0, 1, 0}), DomainError);
}

TEST(MiniBatch, CountsAsDocumented) {
  // 5 epochs of 2 batches: one full pass at x0, then per epoch 2 batches and a full pass.
  LeastSquares ls = make_problem();
  Options o;
  o.method = Method::GradientDescent;
  o.gradient_tolerance = 0;
  const Result r = minimize_minibatch(ls, Eigen::Vector3d::Zero(), o, MiniBatch{100, 5, 0});
  EXPECT_EQ(r.stop_reason, StopReason::MaxIterations);
  EXPECT_EQ(r.iterations, 5);
  EXPECT_EQ(r.function_evaluations, 1 + 5 * (2 + 1));
}

TEST(MiniBatch, BoundsProjectX0AndEveryStep) {
  // The unconstrained solution is near (1, -2, 0.5); the box [0, 0.5]^3 holds none of it.
  LeastSquares ls = make_problem();
  Options o;
  o.method = Method::GradientDescent;
  o.learning_rate = 0.1;
  o.lower = Eigen::Vector3d::Zero();
  o.upper = Eigen::Vector3d::Constant(0.5);
  o.keep_trace = true;
  const Result r = minimize_minibatch(ls, Eigen::Vector3d(3, -3, 3), o, MiniBatch{20, 30, 1});
  ASSERT_FALSE(r.trace.empty());
  for (const Iterate& it : r.trace)
    EXPECT_TRUE((it.x.array() >= 0).all() && (it.x.array() <= 0.5).all()) << it.x.transpose();
  EXPECT_NEAR(r.x[0], 0.5, 0.05);
  EXPECT_NEAR(r.x[1], 0, 0.05);
}

}  // namespace
}  // namespace nabla::optim
