// The Jacobian of the polar-to-Cartesian map (r, theta) -> (r cos theta,
// r sin theta); its determinant is r, the area scale of the map.
#include <Eigen/LU>
#include <iostream>
#include <nabla/nabla.hpp>

int main() {
  auto polar = [](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::Scalar;
    nabla::VectorX<T> out(2);
    out << v[0] * cos(v[1]), v[0] * sin(v[1]);
    return out;
  };
  const Eigen::Vector2d at(2.0, 0.5);
  const Eigen::MatrixXd jac = nabla::jacobian(polar, at);
  std::cout << "J =\n" << jac << "\ndet J = " << jac.determinant() << " (r = " << at[0] << ")\n";
}
