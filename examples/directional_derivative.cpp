// The directional derivative of f(x, y) = x^2 y + e^{xy} at (1, 2) along
// u = (3, 4): the rate of change per unit length, grad f . u / |u|, largest
// along the gradient itself and zero along a level set.
#include <iostream>
#include <nabla/nabla.hpp>

int main() {
  auto f = [](const auto& v) { return v[0] * v[0] * v[1] + exp(v[0] * v[1]); };
  const Eigen::Vector2d at(1.0, 2.0);
  const Eigen::Vector2d u(3.0, 4.0);
  const Eigen::VectorXd g = nabla::gradient(f, at);
  const Eigen::Vector2d along_level_set(-g[1], g[0]);
  std::cout << "D_u f          = " << nabla::directional_derivative(f, at, u) << "\n";
  std::cout << "grad . u / |u| = " << g.dot(u) / u.norm() << "\n";
  std::cout << "along grad     = " << nabla::directional_derivative(f, at, g) << " (= |grad| = " << g.norm()
            << ")\n";
  std::cout << "along a level  = " << nabla::directional_derivative(f, at, along_level_set) << "\n";
}
