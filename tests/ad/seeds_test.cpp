// The worked examples of the seeds, as tests: each derivative is worked out
// by hand in a comment, the numbers are written down, and every AD mode that
// applies (reverse gradient, forward jvp, forward-over-reverse Hessian, the
// Jacobian) must reproduce them: (i) one sigmoid neuron with a squared loss,
// (ii) f(x, y) = x^2 y + e^{xy}, its gradient and Hessian, (iii) the MSE
// gradient of linear regression, (iv) a directional derivative, (v) the
// Jacobian of polar -> Cartesian, (vi) the Hessian of Rosenbrock at (1, 1).
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <Eigen/LU>
#include <array>
#include <cmath>
#include <numbers>
#include <type_traits>

#include "nabla/nabla.hpp"

namespace nabla {
namespace {

template <class V>
using scalar_of = typename std::decay_t<V>::Scalar;

TEST(Seeds, SigmoidNeuron) {
  // x = 2, w = 0.5, b = 0.1, target t = 0.7, L(w, b) = 1/2 (s - t)^2 with s = sigma(w x + b).
  // z = w x + b = 1.1, s = 1 / (1 + e^{-1.1}) = 0.7502601055951177
  // dL/ds = s - t = 0.0502601055951177, ds/dz = s (1 - s) = 0.18736987954752055
  // dL/db = (s - t) s (1 - s) = 0.009417229931402874
  // dL/dw = (s - t) s (1 - s) x = 0.01883445986280575
  const double x = 2.0;
  const double t = 0.7;
  auto loss = [&](const auto& p) {  // p = (w, b)
    using T = scalar_of<decltype(p)>;
    const T s = sigmoid(p[0] * x + p[1]);
    return T(0.5 * (s - t) * (s - t));
  };
  const Eigen::Vector2d p(0.5, 0.1);
  const double s = 1.0 / (1.0 + std::exp(-1.1));
  EXPECT_NEAR(s, 0.7502601055951177, 1e-16);
  const ValueAndGradient vg = nabla::value_and_gradient(loss, p);
  EXPECT_NEAR(vg.value, 0.0012630391072161924, 1e-17);
  EXPECT_NEAR(vg.gradient[0], 0.01883445986280575, 1e-16);
  EXPECT_NEAR(vg.gradient[1], 0.009417229931402874, 1e-16);
  EXPECT_NEAR(vg.gradient[0], (s - t) * s * (1 - s) * x, 1e-16);
  EXPECT_NEAR(vg.gradient[1], (s - t) * s * (1 - s), 1e-16);
  // forward mode agrees
  EXPECT_NEAR(nabla::jvp(loss, p, Eigen::Vector2d(1, 0))[0], vg.gradient[0], 1e-16);
  EXPECT_NEAR(nabla::jvp(loss, p, Eigen::Vector2d(0, 1))[0], vg.gradient[1], 1e-16);
}

/// f(x, y) = x^2 y + e^{xy}
auto seed_f = [](const auto& v) {
  using T = scalar_of<decltype(v)>;
  return T(v[0] * v[0] * v[1] + exp(v[0] * v[1]));
};

TEST(Seeds, GradientAndHessianOfX2YPlusExpXY) {
  // At (1, 2), e^{xy} = e^2 = 7.38905609893065:
  // df/dx = 2xy + y e^{xy} = 4 + 2 e^2 = 18.7781121978613
  // df/dy = x^2 + x e^{xy} = 1 + e^2 = 8.38905609893065
  // f_xx = 2y + y^2 e^{xy} = 4 + 4 e^2 = 33.5562243957226
  // f_xy = 2x + e^{xy} + xy e^{xy} = 2 + 3 e^2 = 24.16716829679195
  // f_yy = x^2 e^{xy} = e^2 = 7.38905609893065
  const Eigen::Vector2d x(1.0, 2.0);
  const double e2 = std::exp(2.0);
  const Eigen::VectorXd g = nabla::gradient(seed_f, x);
  EXPECT_NEAR(g[0], 18.7781121978613, 1e-13);
  EXPECT_NEAR(g[1], 8.38905609893065, 1e-13);
  EXPECT_DOUBLE_EQ(g[0], 4 + 2 * e2);
  EXPECT_DOUBLE_EQ(g[1], 1 + e2);
  const Eigen::MatrixXd h = nabla::hessian(seed_f, x);
  EXPECT_NEAR(h(0, 0), 33.5562243957226, 1e-13);
  EXPECT_NEAR(h(0, 1), 24.16716829679195, 1e-13);
  EXPECT_NEAR(h(1, 0), 24.16716829679195, 1e-13);
  EXPECT_NEAR(h(1, 1), 7.38905609893065, 1e-13);
  EXPECT_DOUBLE_EQ(h(0, 1), 2 + 3 * e2);
}

TEST(Seeds, LinearRegressionMseGradient) {
  // Data (x_i, y_i) = (1, 3), (2, 5), (3, 7.5), (4, 8.5); at w = 0.5, b = 0.2
  // the residuals r_i = w x_i + b - y_i are -2.3, -3.8, -5.8, -6.3, so
  // L = (1/n) sum r_i^2 = 93.06 / 4 = 23.265,
  // dL/dw = (2/n) sum r_i x_i = (2/4)(-52.5) = -26.25,
  // dL/db = (2/n) sum r_i = (2/4)(-18.2) = -9.1.
  const std::array<double, 4> xs{1, 2, 3, 4};
  const std::array<double, 4> ys{3, 5, 7.5, 8.5};
  auto mse = [&](const auto& p) {
    using T = scalar_of<decltype(p)>;
    T total = 0.0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const T r = p[0] * xs[i] + p[1] - ys[i];
      total += r * r;
    }
    return T(total / static_cast<double>(xs.size()));
  };
  const Eigen::Vector2d p(0.5, 0.2);
  const ValueAndGradient vg = nabla::value_and_gradient(mse, p);
  EXPECT_NEAR(vg.value, 23.265, 1e-13);
  EXPECT_NEAR(vg.gradient[0], -26.25, 1e-13);
  EXPECT_NEAR(vg.gradient[1], -9.1, 1e-13);
  // The Hessian of the MSE is constant: (2/n) [[sum x^2, sum x], [sum x, n]] = [[15, 5], [5, 2]]
  const Eigen::MatrixXd h = nabla::hessian(mse, p);
  EXPECT_NEAR(h(0, 0), 15.0, 1e-13);
  EXPECT_NEAR(h(0, 1), 5.0, 1e-13);
  EXPECT_NEAR(h(1, 1), 2.0, 1e-13);
}

TEST(Seeds, DirectionalDerivative) {
  // f(x, y) = x^2 y + e^{xy} at (1, 2) along u = (3, 4), |u| = 5:
  // D_u f = grad f . u / |u| = (3 (4 + 2e^2) + 4 (1 + e^2)) / 5 = 3.2 + 2 e^2 = 17.9781121978613
  const double d =
      nabla::directional_derivative(seed_f, Eigen::Vector2d(1.0, 2.0), Eigen::Vector2d(3.0, 4.0));
  EXPECT_NEAR(d, 17.9781121978613, 1e-13);
  EXPECT_DOUBLE_EQ(d, 3.2 + 2 * std::exp(2.0));
}

TEST(Seeds, JacobianOfPolarToCartesian) {
  // (x, y) = (r cos t, r sin t): J = [[cos t, -r sin t], [sin t, r cos t]],
  // det J = r (cos^2 t + sin^2 t) = r. At (r, t) = (2, pi/6):
  // J = [[sqrt(3)/2, -1], [1/2, sqrt(3)]], det J = 2.
  auto polar = [](const auto& q) {
    using T = scalar_of<decltype(q)>;
    VectorX<T> xy(2);
    xy[0] = q[0] * cos(q[1]);
    xy[1] = q[0] * sin(q[1]);
    return xy;
  };
  const Eigen::Vector2d q(2.0, std::numbers::pi / 6);
  const Eigen::MatrixXd j = nabla::jacobian(polar, q);
  const double r3 = std::sqrt(3.0);
  EXPECT_NEAR(j(0, 0), r3 / 2, 1e-15);
  EXPECT_NEAR(j(0, 1), -1.0, 1e-15);
  EXPECT_NEAR(j(1, 0), 0.5, 1e-15);
  EXPECT_NEAR(j(1, 1), r3, 1e-15);
  EXPECT_NEAR(j.determinant(), 2.0, 1e-14);
  // reverse mode, row by row, agrees
  EXPECT_TRUE(nabla::vjp(polar, q, Eigen::Vector2d(1, 0)).isApprox(j.row(0).transpose(), 1e-15));
  EXPECT_TRUE(nabla::vjp(polar, q, Eigen::Vector2d(0, 1)).isApprox(j.row(1).transpose(), 1e-15));
}

TEST(Seeds, HessianOfRosenbrockAtTheMinimum) {
  // f = (1 - x)^2 + 100 (y - x^2)^2:
  // f_x = -2 (1 - x) - 400 x (y - x^2), f_y = 200 (y - x^2): zero at (1, 1);
  // f_xx = 2 - 400 y + 1200 x^2 = 802, f_xy = -400 x = -400, f_yy = 200.
  auto rosenbrock = [](const auto& v) {
    using T = scalar_of<decltype(v)>;
    const T a = 1.0 - v[0];
    const T b = v[1] - v[0] * v[0];
    return T(a * a + 100.0 * b * b);
  };
  const Eigen::Vector2d x(1.0, 1.0);
  EXPECT_EQ(nabla::gradient(rosenbrock, x), Eigen::Vector2d::Zero());
  const Eigen::MatrixXd h = nabla::hessian(rosenbrock, x);
  Eigen::Matrix2d expected;
  expected << 802, -400, -400, 200;
  EXPECT_EQ(h, expected);
  // Hessian-vector products agree: H (1, 1) = (402, -200)
  EXPECT_EQ(nabla::hvp(rosenbrock, x, Eigen::Vector2d(1.0, 1.0)), Eigen::Vector2d(402.0, -200.0));
}

}  // namespace
}  // namespace nabla
