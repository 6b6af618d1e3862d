// One sigmoid neuron trained by the chain rule: input x = 2, weight w = 0.5,
// bias b = 0.1, target t = 0.7, loss L = 1/2 (sigmoid(w x + b) - t)^2.
// The gradient with respect to (w, b) comes from reverse mode; a few steps of
// gradient descent then lower the loss.
#include <cstdio>
#include <nabla/nabla.hpp>

int main() {
  const double x = 2.0, target = 0.7;
  auto loss = [&](const auto& p) {
    const auto out = nabla::sigmoid(p[0] * x + p[1]);
    return 0.5 * (out - target) * (out - target);
  };
  Eigen::Vector2d params(0.5, 0.1);
  for (int step = 0; step <= 5; ++step) {
    const auto [value, grad] = nabla::value_and_gradient(loss, params);
    std::printf("step %d  w = %.6f  b = %.6f  L = %.8f  dL/dw = %+.8f  dL/db = %+.8f\n", step, params[0],
                params[1], value, grad[0], grad[1]);
    params -= 0.5 * grad;
  }
}
