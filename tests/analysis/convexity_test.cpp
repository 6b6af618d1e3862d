// Sampled convexity and the gradient's orthogonality to level sets, checked
// against closed forms and finite differences.
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <random>
#include <string>

#include "nabla/analysis/analysis.hpp"
#include "nabla/numdiff/numdiff.hpp"

namespace nabla::analysis {
namespace {

TEST(Convexity, Verdicts) {
  const Box box{{-3, 3}, {-2, 2}};
  const auto bowl = convexity([](const auto& v) { return v[0] * v[0] + 2 * v[1] * v[1]; }, box);
  EXPECT_EQ(bowl.verdict, Convexity::StrictlyConvex);
  EXPECT_NEAR(bowl.smallest_eigenvalue, 2.0, 1e-12);  // H = diag(2, 4)
  // x^4 + y^4: convex, H = diag(12x^2, 12y^2) vanishes at the centre
  const auto quartic =
      convexity([](const auto& v) { return v[0] * v[0] * v[0] * v[0] + v[1] * v[1] * v[1] * v[1]; }, box);
  EXPECT_EQ(quartic.verdict, Convexity::Convex);
  const auto plane = convexity([](const auto& v) { return 3 * v[0] - v[1]; }, box);
  EXPECT_EQ(plane.verdict, Convexity::Convex);
  // x^3 - 3x + y^2 is not convex where x < 0; the witness proves it
  auto cubic = [](const auto& v) { return v[0] * v[0] * v[0] - 3 * v[0] + v[1] * v[1]; };
  const auto report = convexity(cubic, box, 64);
  ASSERT_EQ(report.verdict, Convexity::NotConvex);
  EXPECT_LT(report.witness[0], 0);
  const Eigen::MatrixXd h =
      numdiff::hessian([&](const Eigen::VectorXd& v) { return cubic(v); }, report.witness);
  EXPECT_LT(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(h).eigenvalues()[0], 0);
  EXPECT_NEAR(report.smallest_eigenvalue, -18.0, 1e-9);  // 6x at the corner x = -3
  // on x > 0 it is strictly convex
  EXPECT_EQ(convexity(cubic, Box{{0.5, 3}, {-2, 2}}).verdict, Convexity::StrictlyConvex);
}

TEST(Convexity, BadInput) {
  EXPECT_THROW(convexity([](const auto& v) { return v[0]; }, Box{}), DimensionError);
  EXPECT_THROW(convexity([](const auto& v) { return v[0]; }, Box{{0, 1}}, 0), DomainError);
  auto nowhere = [](const auto& v) {
    using std::log;
    return log(v[0]);
  };
  EXPECT_THROW(convexity(nowhere, Box{{-2, -1}}), DomainError);
  // A dimension of width 0: x^2 - y^2 is convex on [-1, 1] x {0}, though
  // its Hessian there is not positive semidefinite. Refused, not "not convex".
  auto saddle = [](const auto& v) { return v[0] * v[0] - v[1] * v[1]; };
  try {
    convexity(saddle, Box{{-1, 1}, {0, 0}});
    ADD_FAILURE() << "a box of width 0 in y was taken";
  } catch (const DomainError& e) {
    EXPECT_NE(std::string(e.what()).find("dimension 1 of the box is a single point"), std::string::npos)
        << e.what();
  }
}

TEST(LevelSet, GradientIsOrthogonalToTheTangentSpace) {
  auto f = [](const auto& v) {
    using std::exp, std::sin;
    return v[0] * v[0] * v[1] + exp(v[0] * v[1]) - sin(v[2]) * v[0];
  };
  auto f_double = [&](const Eigen::VectorXd& v) { return f(v); };
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1.5, 1.5);
  for (int trial = 0; trial < 20; ++trial) {
    const Eigen::Vector3d x(u(rng), u(rng), u(rng));
    const LevelSetCheck check = gradient_orthogonal_to_level_set(f, x);
    EXPECT_TRUE(check.orthogonal) << x.transpose() << ": " << check.largest_tangential;
    ASSERT_EQ(check.tangent_basis.cols(), 2);
    // independently: finite differences along each tangent vanish, and the
    // basis is orthonormal and orthogonal to the numeric gradient
    const Eigen::VectorXd g = numdiff::gradient(f_double, x);
    EXPECT_LE((check.tangent_basis.transpose() * check.tangent_basis - Eigen::Matrix2d::Identity()).norm(),
              1e-12);
    EXPECT_LE((check.tangent_basis.transpose() * g).norm(), 1e-7 * g.norm());
    EXPECT_NEAR(check.gradient_norm, g.norm(), 1e-7 * g.norm());
  }
}

TEST(LevelSet, TinyAndHugeGradientsHaveATangentSpace) {
  // Householder QR on the unscaled gradient took (1e-154, 1e-154) for zero.
  auto product = [](const auto& v) { return v[0] * v[1]; };
  for (const double at : {1e-154, 1e-200, 1e160}) {
    const LevelSetCheck check = gradient_orthogonal_to_level_set(product, Eigen::Vector2d(at, at));
    EXPECT_TRUE(check.orthogonal) << at;
    const Eigen::Vector2d direction = Eigen::Vector2d(1, 1) / std::sqrt(2.0);  // of the gradient (at, at)
    EXPECT_LE(std::fabs(check.tangent_basis.col(0).dot(direction)), 1e-15) << at;
    EXPECT_NEAR(check.tangent_basis.col(0).norm(), 1, 1e-15) << at;
  }
}

TEST(LevelSet, CriticalPointsHaveNoLevelSetNormal) {
  EXPECT_THROW(gradient_orthogonal_to_level_set([](const auto& v) { return v[0] * v[0] + v[1] * v[1]; },
                                                Eigen::VectorXd::Zero(2)),
               DomainError);
}

}  // namespace
}  // namespace nabla::analysis
