// Newton's method with the exact Hessian (from AD, the objective, or central
// differences of the gradient), modified when not positive definite: Cholesky
// of H + tau I with tau = 0, then tau0 = beta - min_i H_ii (or beta), doubled
// until the factorization succeeds (Nocedal & Wright 2006, Algorithm 3.3),
// beta = 1e-6 max(1, max_ij |H_ij|). The direction p = -(H + tau I)^-1 g is
// then a descent direction, searched along from alpha = 1. After a failed
// search it takes one steepest-descent step.
#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>

#include "search_loop.hpp"

namespace nabla::optim::detail {
namespace {

class Newton final : public DirectionModel {
 public:
  explicit Newton(Run& run) : run_(run) {}
  long direction_evaluations(const Run& run, Eigen::Index n) const override {
    return steepest_ ? 0 : run.hessian_evaluations(n);
  }
  void direction(const Eigen::VectorXd& x, const Eigen::VectorXd& g, Eigen::VectorXd& p) override {
    if (steepest_) {
      p = -g;
      return;
    }
    run_.hessian(x, h_);
    if (!h_.allFinite()) {
      p = -g;
      steepest_ = true;
      return;
    }
    const Eigen::Index n = x.size();
    const double beta = 1e-6 * std::max(1.0, h_.cwiseAbs().maxCoeff());
    const double min_diagonal = h_.diagonal().minCoeff();
    double tau = min_diagonal > 0 ? 0 : beta - min_diagonal;
    for (int attempt = 0; attempt < 200; ++attempt) {
      llt_.compute(h_ + tau * Eigen::MatrixXd::Identity(n, n));
      if (llt_.info() == Eigen::Success) break;
      tau = std::max(2 * tau, beta);
    }
    if (llt_.info() != Eigen::Success) {
      p = -g;
      return;
    }
    p = -llt_.solve(g);
  }
  void update(const Eigen::VectorXd&, const Eigen::VectorXd&) override { steepest_ = false; }
  bool reset() override {
    if (steepest_) return false;
    steepest_ = true;
    return true;
  }
  bool unscaled() const override { return steepest_; }

 private:
  Run& run_;
  Eigen::MatrixXd h_;
  Eigen::LLT<Eigen::MatrixXd> llt_;
  bool steepest_ = false;
};

}  // namespace

std::unique_ptr<DirectionModel> newton_model(Run& run) { return std::make_unique<Newton>(run); }

}  // namespace nabla::optim::detail
