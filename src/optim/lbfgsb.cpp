// L-BFGS-B (Byrd, Lu, Nocedal & Zhu, SIAM J. Sci. Comput. 16, 1995, with the
// subspace step of Morales & Nocedal, ACM TOMS 38, 2011), as a direction
// model of the shared line-search loop. At x with gradient g, on the
// quadratic model m(x + d) = f + g'd + d'Bd/2 of the compact L-BFGS matrix B:
//  1. the generalized Cauchy point: the first local minimizer of m along the
//     projected steepest-descent path P(x - t g), found segment by segment
//     between the breakpoints where variables reach their bounds;
//  2. the variables at a bound there are fixed, and m is minimized over the
//     others from the Cauchy point (a 2k x 2k system by Sherman-Morrison-
//     Woodbury), the result projected into the box, or, when that is not a
//     descent direction or is higher on m than the Cauchy point, cut back to
//     the box along the step;
//  3. the direction is that point minus x, and the strong Wolfe search runs
//     along it up to the largest step that stays in the box.
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "compact_lbfgs.hpp"
#include "search_loop.hpp"

namespace nabla::optim::detail {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// The generalized Cauchy point of section 4 of Byrd et al.: xcp, and
/// c = W'(xcp - x) for the subspace step.
void cauchy_point(const CompactLbfgs& b, const Eigen::VectorXd& lower, const Eigen::VectorXd& upper,
                  const Eigen::VectorXd& x, const Eigen::VectorXd& g, Eigen::VectorXd& xcp,
                  Eigen::VectorXd& c) {
  const Eigen::Index n = x.size();
  const double theta = b.theta();
  const Eigen::MatrixXd& w = b.w();
  const Eigen::MatrixXd& m = b.m();
  Eigen::VectorXd d = Eigen::VectorXd::Zero(n);
  std::vector<std::pair<double, Eigen::Index>> breakpoints;
  for (Eigen::Index i = 0; i < n; ++i) {
    double t = kInfinity;  // where x_i - t g_i reaches its bound
    if (g[i] < 0) t = (x[i] - upper[i]) / g[i];
    if (g[i] > 0) t = (x[i] - lower[i]) / g[i];
    if (t > 0) d[i] = -g[i];
    if (t > 0 && t < kInfinity) breakpoints.emplace_back(t, i);
  }
  std::sort(breakpoints.begin(), breakpoints.end());
  xcp = x;
  Eigen::VectorXd p = w.transpose() * d;  // W'd, updated as variables reach bounds
  c = Eigen::VectorXd::Zero(w.cols());
  double slope = -d.squaredNorm();  // f' of the segment
  if (slope == 0) return;           // every variable is held at a bound by g (or g = 0)
  double curvature = -theta * slope - (w.cols() ? p.dot(m * p) : 0.0);  // f''
  if (!(curvature > 0)) curvature = -theta * slope;                     // B not positive definite in rounding
  const double curvature_floor = std::numeric_limits<double>::epsilon() * curvature;
  double dt_min = -slope / curvature;
  double t_old = 0;
  Eigen::VectorXd wi(w.cols()), mw(w.cols());  // row i of W and M times it
  for (const auto& [t, i] : breakpoints) {
    const double dt = t - t_old;
    if (dt_min < dt) break;  // the minimizer lies on this segment
    // Variable i reaches its bound and leaves the path.
    xcp[i] = d[i] > 0 ? upper[i] : lower[i];
    const double z = xcp[i] - x[i], gi = g[i];
    c += dt * p;
    double wmc = 0, wmp = 0, wmw = 0;
    if (w.cols() > 0) {
      wi = w.row(i).transpose();
      mw.noalias() = m * wi;
      wmc = mw.dot(c), wmp = mw.dot(p), wmw = mw.dot(wi);
      p += gi * wi;
    }
    slope += dt * curvature + gi * gi + theta * gi * z - gi * wmc;
    curvature = std::max(curvature - theta * gi * gi - 2 * gi * wmp - gi * gi * wmw, curvature_floor);
    d[i] = 0;
    dt_min = -slope / curvature;
    t_old = t;
  }
  dt_min = std::max(dt_min, 0.0);
  t_old += dt_min;
  for (Eigen::Index i = 0; i < n; ++i)
    if (d[i] != 0) xcp[i] = std::clamp(x[i] + t_old * d[i], lower[i], upper[i]);
  c += dt_min * p;
}

/// Step 2: minimizes the model over the variables strictly inside their
/// bounds at xcp, from xcp (the direct primal method of Byrd et al.).
void subspace_step(const CompactLbfgs& b, const Eigen::VectorXd& lower, const Eigen::VectorXd& upper,
                   const Eigen::VectorXd& x, const Eigen::VectorXd& g, const Eigen::VectorXd& xcp,
                   const Eigen::VectorXd& c, Eigen::VectorXd& xbar) {
  std::vector<Eigen::Index> free;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (xcp[i] > lower[i] && xcp[i] < upper[i]) free.push_back(i);
  xbar = xcp;
  if (free.empty()) return;
  const auto nf = static_cast<Eigen::Index>(free.size());
  const double theta = b.theta();
  const Eigen::Index k2 = b.w().cols();
  Eigen::MatrixXd wf(nf, k2);  // the free rows of W
  Eigen::VectorXd r(nf);       // the model's reduced gradient at xcp
  const Eigen::VectorXd mc = k2 > 0 ? Eigen::VectorXd(b.m() * c) : Eigen::VectorXd();
  for (Eigen::Index j = 0; j < nf; ++j) {
    const Eigen::Index i = free[static_cast<std::size_t>(j)];
    if (k2 > 0) wf.row(j) = b.w().row(i);
    r[j] = g[i] + theta * (xcp[i] - x[i]) - (k2 > 0 ? wf.row(j).dot(mc) : 0.0);
  }
  Eigen::VectorXd du = -r / theta;
  if (k2 > 0) {
    // (Z'BZ)^-1 = I/theta + Z'W (I - M W'ZZ'W / theta)^-1 M W'Z / theta^2
    const Eigen::MatrixXd n_matrix =
        Eigen::MatrixXd::Identity(k2, k2) - b.m() * (wf.transpose() * wf) / theta;
    const Eigen::PartialPivLU<Eigen::MatrixXd> lu(n_matrix);
    const Eigen::VectorXd v = lu.solve(Eigen::VectorXd(b.m() * (wf.transpose() * r)));
    if (v.allFinite()) du -= wf * v / (theta * theta);
  }
  // Projected (Morales & Nocedal); cut back to the box when that is not
  // downhill, or, beyond their test, not as low on the model as the Cauchy
  // point: a projection can turn the step almost perpendicular to g (on a
  // 2-variable quadratic in a box, g'd = -9e-16 against |g||d| = 5.8, a
  // line search step of 3e-18, and the run stopped as stalled).
  auto model = [&](const Eigen::VectorXd& d) {  // m(x + d) - f = g'd + d'Bd / 2
    double value = g.dot(d) + theta * d.squaredNorm() / 2;
    if (k2 > 0) {
      const Eigen::VectorXd wd = b.w().transpose() * d;
      value -= wd.dot(b.m() * wd) / 2;
    }
    return value;
  };
  const double cauchy_model = model(xcp - x);
  for (Eigen::Index j = 0; j < nf; ++j) {
    const Eigen::Index i = free[static_cast<std::size_t>(j)];
    xbar[i] = std::clamp(xcp[i] + du[j], lower[i], upper[i]);
  }
  if (g.dot(xbar - x) < 0 && model(xbar - x) <= cauchy_model) return;
  double alpha = 1;
  for (Eigen::Index j = 0; j < nf; ++j) {
    const Eigen::Index i = free[static_cast<std::size_t>(j)];
    if (du[j] > 0) alpha = std::min(alpha, (upper[i] - xcp[i]) / du[j]);
    if (du[j] < 0) alpha = std::min(alpha, (lower[i] - xcp[i]) / du[j]);
  }
  for (Eigen::Index j = 0; j < nf; ++j) {
    const Eigen::Index i = free[static_cast<std::size_t>(j)];
    xbar[i] = std::clamp(xcp[i] + alpha * du[j], lower[i], upper[i]);
  }
  // along du the model falls from xcp where B is positive definite; in rounding it may not
  if (!(model(xbar - x) <= cauchy_model)) xbar = xcp;
}

class BoundedLbfgs final : public MemoryModel<CompactLbfgs> {
 public:
  BoundedLbfgs(const Options& o, Eigen::Index n)
      : MemoryModel(n, o.lbfgs_memory),
        lower_(o.lower),
        upper_(o.upper),
        boxed_(o.lower.allFinite() && o.upper.allFinite()),
        xcp_(n),
        c_(n),
        xbar_(n) {}

  void direction(const Eigen::VectorXd& x, const Eigen::VectorXd& g, Eigen::VectorXd& p) override {
    cauchy_point(memory_, lower_, upper_, x, g, xcp_, c_);
    subspace_step(memory_, lower_, upper_, x, g, xcp_, c_, xbar_);
    p = xbar_ - x;
  }
  /// L-BFGS-B's rule: with an empty memory (B = I) a whole step to the
  /// projected point when every variable has two finite bounds, a step of
  /// length 1 otherwise; 1 once the model has curvature.
  double initial_step(const Eigen::VectorXd&, const Eigen::VectorXd& p) const override {
    return unscaled() && !boxed_ ? std::min(1.0, 1 / safe_norm(p)) : 1.0;
  }

  /// The largest step along p that stays in the box (at least 1: x + p is the
  /// projected point xbar).
  double max_step(const Eigen::VectorXd& x, const Eigen::VectorXd& p) const override {
    double alpha = kInfinity;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      if (p[i] > 0) alpha = std::min(alpha, (upper_[i] - x[i]) / p[i]);
      if (p[i] < 0) alpha = std::min(alpha, (lower_[i] - x[i]) / p[i]);
    }
    return alpha;
  }

 private:
  Eigen::VectorXd lower_, upper_;
  bool boxed_;  // every variable has two finite bounds
  Eigen::VectorXd xcp_, c_, xbar_;
};

}  // namespace

std::unique_ptr<DirectionModel> lbfgsb_model(const Options& options, Eigen::Index n) {
  return std::make_unique<BoundedLbfgs>(options, n);
}

}  // namespace nabla::optim::detail
