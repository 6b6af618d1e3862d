// The main job of `make run`: a tour of nabla on the seeds' worked examples.
// Every derivative is computed by two or three independent methods (forward
// mode, reverse mode, numerical differences) and their agreement is printed.
#include <Eigen/LU>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nabla/nabla.hpp>

namespace {

void section(const char* title) { std::printf("\n== %s\n", title); }

void derivatives_of_one_variable() {
  section("d/dx of functions of one variable: forward mode vs numerical differences");
  auto report = [](const char* name, auto f, double x) {
    const double ad = nabla::derivative(f, x);
    const nabla::numdiff::Estimate num = nabla::numdiff::derivative([&](double t) { return f(t); }, x);
    std::printf("  %-28s at x = %-5g  AD = %+.15f  numeric = %+.15f (+- %.1e)\n", name, x, ad, num.value,
                num.error);
  };
  report(
      "x^4 - 4x^3 + 4x^2", [](auto x) { return pow(x, 4) - 4 * pow(x, 3) + 4 * pow(x, 2); }, 1.5);
  report(
      "sin(3x^2 + 2)", [](auto x) { return sin(3 * x * x + 2); }, 0.7);
  report(
      "x^x", [](auto x) { return pow(x, x); }, 2.0);
  report(
      "sigmoid(x)", [](auto x) { return nabla::sigmoid(x); }, 0.0);
  report(
      "softplus(x, t = 0.1)", [](auto x) { return nabla::softplus(x, 0.1); }, 0.05);
  report(
      "relu(x) at its kink", [](auto x) { return nabla::relu(x); }, 0.0);
  std::printf(
      "  (relu'(0) is documented as 0, as in PyTorch; a central difference sees the mean slope 1/2)\n");
}

void sigmoid_neuron() {
  section("one sigmoid neuron: x = 2, w = 0.5, b = 0.1, target 0.7, L = 1/2 (s(wx + b) - t)^2");
  const double x = 2.0, target = 0.7;
  auto loss = [&](const auto& p) {
    const auto out = nabla::sigmoid(p[0] * x + p[1]);
    return 0.5 * (out - target) * (out - target);
  };
  const Eigen::Vector2d p(0.5, 0.1);
  const auto [value, grad] = nabla::value_and_gradient(loss, p);
  const double s = 1.0 / (1.0 + std::exp(-(0.5 * x + 0.1)));
  const double chain = (s - target) * s * (1 - s);
  std::printf("  L = %.10f   dL/dw = %+.10f   dL/db = %+.10f\n", value, grad[0], grad[1]);
  std::printf("  chain rule by hand: (s - t) s (1 - s) (x, 1) = (%+.10f, %+.10f)\n", chain * x, chain);
}

void gradient_hessian() {
  section("f(x, y) = x^2 y + e^{xy} at (1, 2)");
  auto f = [](const auto& v) { return v[0] * v[0] * v[1] + exp(v[0] * v[1]); };
  const Eigen::Vector2d at(1.0, 2.0);
  std::cout << "  reverse-mode gradient   " << nabla::gradient(f, at).transpose() << "\n";
  std::cout << "  numerical gradient      " << nabla::numdiff::gradient(f, at).transpose() << "\n";
  std::cout << "  by hand (2xy + y e^xy, x^2 + x e^xy) = " << 4 + 2 * std::exp(2.0) << " "
            << 1 + std::exp(2.0) << "\n";
  std::cout << "  Hessian (forward-over-reverse)\n" << nabla::hessian(f, at) << "\n";
  std::cout << "  Hessian (numerical)\n" << nabla::numdiff::hessian(f, at) << "\n";
  const Eigen::Vector2d v(1.0, -1.0);
  std::cout << "  Hessian-vector product H (1, -1) = " << nabla::hvp(f, at, v).transpose() << "\n";
  std::cout << "  directional derivative along (3, 4): "
            << nabla::directional_derivative(f, at, Eigen::Vector2d(3, 4)) << "\n";
}

void regression_mse() {
  section("linear regression: the MSE gradient, reverse mode vs the closed form");
  const Eigen::VectorXd xs = (Eigen::VectorXd(4) << 1, 2, 3, 4).finished();
  const Eigen::VectorXd ys = (Eigen::VectorXd(4) << 3, 5, 7, 9).finished();
  auto mse = [&](const auto& p) {
    using T = typename std::decay_t<decltype(p)>::Scalar;
    T total = 0;
    for (Eigen::Index i = 0; i < xs.size(); ++i) total += pow(p[0] * xs[i] + p[1] - ys[i], 2);
    return T(total / static_cast<double>(xs.size()));
  };
  const Eigen::Vector2d p(1.0, 0.0);
  const Eigen::ArrayXd r = p[0] * xs.array() + p[1] - ys.array();
  std::cout << "  AD gradient at (w, b) = (1, 0): " << nabla::gradient(mse, p).transpose() << "\n";
  std::cout << "  (2/n) sum r_i (x_i, 1):          " << 2 * (r * xs.array()).mean() << " " << 2 * r.mean()
            << "\n";
}

void jacobian_polar() {
  section("Jacobian of (r, theta) -> (r cos theta, r sin theta) at (2, 0.5)");
  auto polar = [](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::Scalar;
    nabla::VectorX<T> out(2);
    out << v[0] * cos(v[1]), v[0] * sin(v[1]);
    return out;
  };
  const Eigen::Vector2d at(2.0, 0.5);
  const Eigen::MatrixXd jac = nabla::jacobian(polar, at);
  std::cout << jac << "\n  det = " << jac.determinant() << " (= r)\n";
}

}  // namespace

int main() {
  std::printf("nabla: exact derivatives by forward mode, reverse mode and numerical differences\n");
  derivatives_of_one_variable();
  sigmoid_neuron();
  gradient_hessian();
  regression_mse();
  jacobian_polar();
}
