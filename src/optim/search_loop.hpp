// The loop Newton, BFGS, L-BFGS and L-BFGS-B share: a direction from a
// model, a line search along it (Armijo or Moré–Thuente, up to the model's
// largest step), the model's update from the step, and one reset to steepest
// descent when the search fails without a trial of sufficient decrease.
// Private to src/optim.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <memory>

#include "run.hpp"

namespace nabla::optim::detail {

/// What distinguishes Newton, BFGS and L-BFGS: how a direction is made and learnt from.
class DirectionModel {
 public:
  virtual ~DirectionModel() = default;
  /// The evaluations of f the next direction() makes at a point of n
  /// variables (Newton's Hessian by differences of the gradient), so that
  /// the loop stops before it would exceed max_evaluations.
  virtual long direction_evaluations(const Run& /*run*/, Eigen::Index /*n*/) const { return 0; }
  /// The search direction p at x with gradient g.
  virtual void direction(const Eigen::VectorXd& x, const Eigen::VectorXd& g, Eigen::VectorXd& p) = 0;
  /// Learns from the step s = x+ - x and the gradient change y = g+ - g.
  virtual void update(const Eigen::VectorXd& s, const Eigen::VectorXd& y) = 0;
  /// Forgets (the next direction is steepest descent); false if there was nothing to forget.
  virtual bool reset() = 0;
  /// Whether the next direction carries no scale (the first trial step is then 1/|g|).
  virtual bool unscaled() const = 0;
  /// The first trial step of the line search along p.
  virtual double initial_step(const Eigen::VectorXd& g, const Eigen::VectorXd& /*p*/) const {
    return unscaled() ? std::min(1.0, 1 / safe_norm(g)) : 1.0;
  }
  /// The largest step the line search may take along p (the box's limit for L-BFGS-B).
  virtual double max_step(const Eigen::VectorXd& /*x*/, const Eigen::VectorXd& /*p*/) const { return 1e20; }
};

/// What the two L-BFGS models share: they learn from a memory of pairs
/// (s, y) with push, size and clear, and forget it on reset.
template <class Memory>
class MemoryModel : public DirectionModel {
 public:
  void update(const Eigen::VectorXd& s, const Eigen::VectorXd& y) override { memory_.push(s, y); }
  bool reset() override {
    if (memory_.size() == 0) return false;
    memory_.clear();
    return true;
  }
  bool unscaled() const override { return memory_.size() == 0; }

 protected:
  MemoryModel(Eigen::Index n, int memory) : memory_(n, memory) {}
  Memory memory_;
};

/// Evaluates x0, throws DomainError when f(x0), its gradient or the
/// gradient's norm is not finite, and accepts x0 as iteration 0. With a
/// decay, f is f(x0) + decay |x0|^2 / 2 and the norm accepted that of
/// g + decay x0 (g stays f's gradient).
std::optional<StopReason> start(Run& run, const Eigen::VectorXd& x, Eigen::VectorXd& g, double& f,
                                double decay = 0);

/// Runs the shared loop from x0.
Result search_loop(Run& run, DirectionModel& model, Eigen::VectorXd x);

/// The model of each method.
std::unique_ptr<DirectionModel> newton_model(Run& run);
std::unique_ptr<DirectionModel> bfgs_model(Eigen::Index n);
std::unique_ptr<DirectionModel> lbfgs_model(Eigen::Index n, int memory);

/// L-BFGS-B: L-BFGS within the box of the options (lbfgsb.cpp).
std::unique_ptr<DirectionModel> lbfgsb_model(const Options& options, Eigen::Index n);

/// Runs the first-order methods (first_order.cpp).
Result first_order(Run& run, Eigen::VectorXd x);

}  // namespace nabla::optim::detail
