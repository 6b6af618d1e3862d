// An optimizer's objective (optim::Objective) over a compiled expression:
// values, gradients (reverse sweep) and exact Hessians (forward over
// reverse) from a Program, so minimize and critical run on compiled code.
#pragma once

#include <utility>

#include "nabla/ad/program.hpp"
#include "nabla/optim/objective.hpp"

namespace nabla::cli {

class ProgramObjective final : public optim::Objective {
 public:
  explicit ProgramObjective(const Program& program) : program_(program) {}
  double value(const Eigen::VectorXd& x) override { return program_.value(x); }
  double value_and_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g) override {
    ValueAndGradient vg = program_.value_and_gradient(x);
    g = std::move(vg.gradient);
    return vg.value;
  }
  bool has_hessian() const override { return true; }
  void hessian(const Eigen::VectorXd& x, Eigen::MatrixXd& h) override { h = program_.hessian(x); }

 private:
  const Program& program_;
};

}  // namespace nabla::cli
