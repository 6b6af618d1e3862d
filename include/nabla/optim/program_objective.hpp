// An optimizer's objective over a recorded or compiled Program: values,
// gradients by its reverse sweep and exact Hessians by forward over reverse,
// all in compiled code. The command line and Python minimize expressions and
// branch-free functions through it.
#pragma once

#include <utility>

#include "nabla/ad/program.hpp"
#include "nabla/optim/objective.hpp"

namespace nabla::optim {

/// The Objective of a single-output Program (which must outlive it).
class ProgramObjective final : public Objective {
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

}  // namespace nabla::optim
