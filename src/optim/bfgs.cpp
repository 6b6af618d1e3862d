// BFGS with a dense inverse Hessian H (Nocedal & Wright, Numerical
// Optimization, 2nd ed., 2006, section 6.1): p = -H g, and after a step s with
// gradient change y, rho = 1 / s'y,
//   H+ = (I - rho s y') H (I - rho y s') + rho s s'
//      = H + rho [(1 + rho y'Hy) s s' - Hy s' - s (Hy)'],
// with H0 = (s'y / y'y) I set just before the first update (their eq. 6.20).
// A pair with s'y <= eps |s| |y| is skipped.
#include <cmath>
#include <limits>

#include "search_loop.hpp"

namespace nabla::optim::detail {
namespace {

class Bfgs final : public DirectionModel {
 public:
  explicit Bfgs(Eigen::Index n) : h_(Eigen::MatrixXd::Identity(n, n)), hy_(n) {}
  void direction(const Eigen::VectorXd&, const Eigen::VectorXd& g, Eigen::VectorXd& p) override {
    p.noalias() = -(h_ * g);
  }
  void update(const Eigen::VectorXd& s, const Eigen::VectorXd& y) override {
    const double sy = s.dot(y);
    if (!(sy > std::numeric_limits<double>::epsilon() * s.norm() * y.norm()) || !std::isfinite(sy)) return;
    if (fresh_) h_ *= sy / y.squaredNorm();
    fresh_ = false;
    const double rho = 1 / sy;
    hy_.noalias() = h_ * y;
    const double yhy = y.dot(hy_);
    h_.noalias() += (rho * (1 + rho * yhy)) * s * s.transpose();
    h_.noalias() -= rho * (hy_ * s.transpose() + s * hy_.transpose());
  }
  bool reset() override {
    if (fresh_) return false;
    h_.setIdentity();
    fresh_ = true;
    return true;
  }
  bool unscaled() const override { return fresh_; }

 private:
  Eigen::MatrixXd h_;
  Eigen::VectorXd hy_;
  bool fresh_ = true;
};

}  // namespace

std::unique_ptr<DirectionModel> bfgs_model(Eigen::Index n) { return std::make_unique<Bfgs>(n); }

}  // namespace nabla::optim::detail
