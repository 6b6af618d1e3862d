// Must NOT compile: a function of Eigen::VectorXd only (no scalar template,
// so no derivatives by AD) and no value/gradient members. The expected error
// is the static_assert of nabla/optim/objective.hpp naming the two kinds.
#include <Eigen/Core>

#include "nabla/optim/minimize.hpp"

int main() {
  auto f = [](const Eigen::VectorXd& x) { return x.squaredNorm(); };
  return static_cast<int>(nabla::optim::minimize(f, Eigen::VectorXd::Ones(2)).f);
}
