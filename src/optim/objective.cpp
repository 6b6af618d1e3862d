// The one out-of-line member of Objective: a Hessian that was never offered.
#include "nabla/optim/objective.hpp"

#include "nabla/core/errors.hpp"

namespace nabla::optim {

void Objective::hessian(const Eigen::VectorXd&, Eigen::MatrixXd&) {
  throw DomainError("optim: this objective has no Hessian (has_hessian() is false)");
}

}  // namespace nabla::optim
