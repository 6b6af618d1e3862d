// L-BFGS-B against answers found without it: the exact minimizers of random
// box-constrained convex quadratics (by enumerating every active set), and
// the first-order optimality (KKT) conditions on non-convex problems whose
// solutions sit on bounds.
#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <optional>
#include <random>

#include "nabla/optim/minimize.hpp"
#include "nabla/optim/problems.hpp"

namespace nabla::optim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// f(x) = x'Ax/2 + b'x on a box.
struct BoxQuadratic {
  Eigen::MatrixXd a;
  Eigen::VectorXd b, lower, upper;

  template <class Vector>
  auto operator()(const Vector& x) const {
    using T = typename Vector::Scalar;
    T f(0.0);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      T row(0.0);
      for (Eigen::Index j = 0; j < x.size(); ++j) row += a(i, j) * x[j];
      f += x[i] * (0.5 * row + b[i]);
    }
    return f;
  }
};

BoxQuadratic random_box_quadratic(std::mt19937& rng, Eigen::Index n) {
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform(0, 1);
  BoxQuadratic q;
  Eigen::MatrixXd r(n, n);
  for (Eigen::Index i = 0; i < n * n; ++i) r.data()[i] = normal(rng);
  q.a = r * r.transpose() +
        0.1 * Eigen::MatrixXd::Identity(n, n);  // positive definite, ill-conditioned at times
  q.b.resize(n), q.lower.resize(n), q.upper.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    q.b[i] = 3 * normal(rng);
    q.lower[i] = uniform(rng) < 0.2 ? -kInf : -uniform(rng);
    q.upper[i] = uniform(rng) < 0.2 ? kInf : uniform(rng);
  }
  return q;
}

/// The minimizer by brute force: for every assignment of each variable to
/// free, its lower or its upper bound, solve for the free ones and keep the
/// assignment that is feasible and satisfies the KKT conditions (the
/// minimizer of a strictly convex quadratic on a box is unique).
std::optional<Eigen::VectorXd> enumerate_active_sets(const BoxQuadratic& q) {
  const Eigen::Index n = q.b.size();
  long combinations = 1;
  for (Eigen::Index i = 0; i < n; ++i) combinations *= 3;
  for (long code = 0; code < combinations; ++code) {
    Eigen::VectorXi state(n);  // 0 free, 1 lower, 2 upper
    long c = code;
    bool possible = true;
    for (Eigen::Index i = 0; i < n; ++i, c /= 3) {
      state[i] = static_cast<int>(c % 3);
      if ((state[i] == 1 && !std::isfinite(q.lower[i])) || (state[i] == 2 && !std::isfinite(q.upper[i])))
        possible = false;
    }
    if (!possible) continue;
    Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
    std::vector<Eigen::Index> free;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (state[i] == 1) x[i] = q.lower[i];
      if (state[i] == 2) x[i] = q.upper[i];
      if (state[i] == 0) free.push_back(i);
    }
    if (!free.empty()) {
      const auto nf = static_cast<Eigen::Index>(free.size());
      Eigen::MatrixXd aff(nf, nf);
      Eigen::VectorXd rhs(nf);
      for (Eigen::Index r = 0; r < nf; ++r) {
        rhs[r] = -q.b[free[r]];
        for (Eigen::Index j = 0; j < n; ++j)
          if (state[j] != 0) rhs[r] -= q.a(free[r], j) * x[j];
        for (Eigen::Index s = 0; s < nf; ++s) aff(r, s) = q.a(free[r], free[s]);
      }
      const Eigen::VectorXd xf = aff.llt().solve(rhs);
      for (Eigen::Index r = 0; r < nf; ++r) x[free[r]] = xf[r];
    }
    const Eigen::VectorXd g = q.a * x + q.b;
    bool kkt = true;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double tol = 1e-12 * (1 + std::abs(q.b[i]));
      if (state[i] == 0) kkt = kkt && x[i] >= q.lower[i] && x[i] <= q.upper[i];
      if (state[i] == 1) kkt = kkt && g[i] >= -tol;
      if (state[i] == 2) kkt = kkt && g[i] <= tol;
    }
    if (kkt) return x;
  }
  return std::nullopt;
}

Options lbfgsb(const Eigen::VectorXd& lower, const Eigen::VectorXd& upper) {
  Options o;
  o.method = Method::LBFGS;
  o.lower = lower;
  o.upper = upper;
  o.keep_trace = true;
  return o;
}

TEST(Lbfgsb, MatchesTheEnumeratedMinimizerOfRandomBoxQuadratics) {
  std::mt19937 rng(20261122);
  int on_a_bound = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const Eigen::Index n = 2 + trial % 6;
    const BoxQuadratic q = random_box_quadratic(rng, n);
    const std::optional<Eigen::VectorXd> exact = enumerate_active_sets(q);
    ASSERT_TRUE(exact.has_value()) << trial;
    for (Eigen::Index i = 0; i < n; ++i) on_a_bound += (*exact)[i] == q.lower[i] || (*exact)[i] == q.upper[i];
    const Options o = lbfgsb(q.lower, q.upper);
    const Result r = minimize(q, Eigen::VectorXd::Zero(n), o);
    EXPECT_LE((r.x - *exact).norm(), 1e-6 * (1 + exact->norm())) << trial << " " << name(r.stop_reason);
    EXPECT_TRUE(r.stop_reason == StopReason::GradientSmall || r.stop_reason == StopReason::FStalled)
        << trial << " " << name(r.stop_reason);
    EXPECT_LE(r.function_evaluations, 60) << trial;
    for (const Iterate& it : r.trace)
      ASSERT_TRUE((it.x.array() >= q.lower.array()).all() && (it.x.array() <= q.upper.array()).all())
          << trial;
  }
  EXPECT_GT(on_a_bound, 40);  // the bounds did matter
}

/// x'Ax/2 + b'x with its gradient written out (as the search that found the
/// failures below had it; the gradient by AD rounds differently).
struct AnalyticQuadratic {
  Eigen::MatrixXd a;
  Eigen::VectorXd b;
  double value(const Eigen::VectorXd& x) const { return x.dot(a * x) / 2 + b.dot(x); }
  Eigen::VectorXd gradient(const Eigen::VectorXd& x) const { return a * x + b; }
};

TEST(Lbfgsb, BadlyScaledQuadraticsFromOutsideTheBoxDoNotStall) {
  // Regression: a projected subspace step almost perpendicular to g (g'd =
  // -9e-16 against |g| |d| = 5.8) made a line-search step of 3e-18 and the
  // run stopped as stalled far from the minimizer (-0.121 against -2.645 in
  // trial 250); more pairs than variables made the compact matrix wrong in
  // rounding (-0.124 against -0.615 on a 2-variable problem). 7 runs of the
  // 1200 here failed.
  std::mt19937 rng(1);
  std::normal_distribution<double> normal;
  for (int trial = 0; trial < 300; ++trial) {
    const Eigen::Index n = 2 + trial % 5;
    Eigen::MatrixXd r(n, n);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < n; ++j) r(i, j) = normal(rng);
    BoxQuadratic q;  // for enumerate_active_sets
    q.a = r * r.transpose() + 0.01 * Eigen::MatrixXd::Identity(n, n);
    for (Eigen::Index i = 0; i < n; ++i) {  // variables of scales 1 to 10^3 n
      const double scale = std::sqrt(1 + std::pow(10.0, trial % 4) * static_cast<double>(i));
      q.a.row(i) *= scale;
      q.a.col(i) *= scale;
    }
    q.b.resize(n), q.lower.resize(n), q.upper.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      q.b[i] = -3 * normal(rng);
      q.lower[i] = i % 3 == 2 ? -kInf : -1;
      q.upper[i] = i % 4 == 3 ? kInf : 1;
    }
    const std::optional<Eigen::VectorXd> exact = enumerate_active_sets(q);
    ASSERT_TRUE(exact.has_value()) << trial;
    const double best = q(*exact);
    for (const int memory : {10, 2})
      for (const LineSearch search : {LineSearch::StrongWolfe, LineSearch::Armijo}) {
        Options o = lbfgsb(q.lower, q.upper);
        o.line_search = search;
        o.lbfgs_memory = memory;
        o.max_iterations = 2000;
        const Result run = minimize(AnalyticQuadratic{q.a, q.b}, Eigen::VectorXd::Constant(n, 5.0), o);
        EXPECT_NEAR(run.f, best, 1e-6 * std::max(1.0, std::abs(best)))
            << trial << " memory " << memory << " " << name(run.stop_reason);
      }
  }
}

/// The KKT conditions at x with gradient g: a variable strictly inside its
/// bounds has a zero derivative, one at its lower bound a derivative >= 0,
/// one at its upper bound <= 0 (all within tol).
void expect_kkt(const Eigen::VectorXd& g, const Eigen::VectorXd& x, const Eigen::VectorXd& lower,
                const Eigen::VectorXd& upper, double tol) {
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    ASSERT_GE(x[i], lower[i]);
    ASSERT_LE(x[i], upper[i]);
    if (x[i] == lower[i] && x[i] == upper[i]) continue;
    if (x[i] == lower[i])
      EXPECT_GE(g[i], -tol) << i;
    else if (x[i] == upper[i])
      EXPECT_LE(g[i], tol) << i;
    else
      EXPECT_NEAR(g[i], 0, tol) << i;
  }
}

TEST(Lbfgsb, KktPointsOfBoundedMghProblems) {
  // Each problem in a box that cuts off its unconstrained minimizer.
  struct Case {
    const char* problem;
    double lower, upper;
  };
  for (const Case& c : {Case{"extended_rosenbrock", -kInf, 0.5}, Case{"extended_powell_singular", 0.1, 10},
                        Case{"wood", -0.5, 0.9}, Case{"trigonometric", 0.05, 0.5},
                        Case{"broyden_tridiagonal", -0.5, -0.1}, Case{"penalty1", 0.3, 2}}) {
    SCOPED_TRACE(c.problem);
    const problems::Problem& p = problems::find(c.problem);
    const Eigen::Index n = p.x0.size();
    const Options o = lbfgsb(Eigen::VectorXd::Constant(n, c.lower), Eigen::VectorXd::Constant(n, c.upper));
    const Result r = minimize(p, p.x0, o);
    EXPECT_TRUE(r.stop_reason == StopReason::GradientSmall || r.stop_reason == StopReason::FStalled)
        << name(r.stop_reason);
    expect_kkt(p.gradient(r.x), r.x, o.lower, o.upper, 1e-6);
    for (const Iterate& it : r.trace)
      ASSERT_TRUE((it.x.array() >= o.lower.array()).all() && (it.x.array() <= o.upper.array()).all());
  }
}

TEST(Lbfgsb, AStartOutsideTheBoxIsProjectedAndAFixedVariableStays) {
  const problems::Problem& p = problems::find("rosenbrock");
  Eigen::VectorXd lower(2), upper(2);
  lower << 0.2, -1;
  upper << 0.2, 1;  // x0 fixed at 0.2: the minimizer is (0.2, 0.04)
  const Result r = minimize(p, Eigen::Vector2d(3, 5), lbfgsb(lower, upper));
  EXPECT_EQ(r.x[0], 0.2);
  EXPECT_NEAR(r.x[1], 0.04, 1e-8);
  EXPECT_EQ(r.stop_reason, StopReason::GradientSmall);
}

}  // namespace
}  // namespace nabla::optim
