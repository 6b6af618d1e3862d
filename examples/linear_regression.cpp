// Linear regression y ~ w x + b fitted by gradient descent on the mean squared
// error; the gradient of the MSE comes from reverse mode and is checked against
// the closed form (2/n) sum (w x_i + b - y_i) (x_i, 1).
#include <cstdio>
#include <nabla/nabla.hpp>

int main() {
  const Eigen::VectorXd xs = (Eigen::VectorXd(5) << 1, 2, 3, 4, 5).finished();
  const Eigen::VectorXd ys = (Eigen::VectorXd(5) << 2.1, 3.9, 6.2, 7.8, 10.1).finished();
  auto mse = [&](const auto& p) {
    using T = typename std::decay_t<decltype(p)>::Scalar;
    T total = 0;
    for (Eigen::Index i = 0; i < xs.size(); ++i) {
      const T r = p[0] * xs[i] + p[1] - ys[i];
      total += r * r;
    }
    return T(total / static_cast<double>(xs.size()));
  };
  Eigen::Vector2d p(0.0, 0.0);
  for (int epoch = 0; epoch <= 2000; ++epoch) {
    const auto [value, grad] = nabla::value_and_gradient(mse, p);
    if (epoch % 400 == 0) {
      const Eigen::ArrayXd r = p[0] * xs.array() + p[1] - ys.array();
      const double dw = 2.0 * (r * xs.array()).mean(), db = 2.0 * r.mean();
      std::printf(
          "epoch %4d  w = %.5f  b = %.5f  MSE = %.6f  grad = (%+.6f, %+.6f)  closed form = (%+.6f, %+.6f)\n",
          epoch, p[0], p[1], value, grad[0], grad[1], dw, db);
    }
    p -= 0.02 * grad;
  }
}
