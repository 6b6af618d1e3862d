// The gradient and Hessian of f(x, y) = x^2 y + e^{xy} at (1, 2): one generic
// function, differentiated by reverse mode and by forward-over-reverse.
#include <iostream>
#include <nabla/nabla.hpp>

int main() {
  auto f = [](const auto& v) { return v[0] * v[0] * v[1] + exp(v[0] * v[1]); };
  const Eigen::Vector2d at(1.0, 2.0);
  std::cout << "f(1, 2)  = " << f(at) << "\n";
  std::cout << "gradient = " << nabla::gradient(f, at).transpose() << "\n";
  std::cout << "Hessian  =\n" << nabla::hessian(f, at) << "\n";
}
