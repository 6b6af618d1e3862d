// nabla::optim::problems: test problems with known minima, for tests and for
// users benchmarking their own methods. The 35 Moré–Garbow–Hillstrom
// problems (J. J. Moré, B. S. Garbow and K. E. Hillstrom, "Testing
// unconstrained optimization software", ACM TOMS 7(1), 1981) with the
// paper's standard starting points and minima f*, plus the functions of the
// project's seed examples. Each is
// written once as a template on the scalar; its gradient comes from reverse
// mode and its Hessian from forward-over-reverse, so a Problem is itself an
// objective for minimize() (value, gradient, value_and_gradient, hessian).
#pragma once

#include <Eigen/Core>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "nabla/ad/drivers.hpp"

namespace nabla::optim::problems {

/// One test problem.
struct Problem {
  std::string name;    ///< e.g. "rosenbrock", "powell_badly_scaled"
  std::string title;   ///< e.g. "Rosenbrock (MGH 1)"
  Eigen::VectorXd x0;  ///< the standard starting point
  double f_star = 0;   ///< the known minimum (-infinity when f is unbounded below)
  /// A minimizer where one is known to working precision (the paper's, or
  /// NIST's certified fit); else empty (the paper's 4-digit x* of Jennrich
  /// and Sampson and of Powell badly scaled are left out). Not always the
  /// only one: the minimizers of the linear functions of rank 1 (MGH 33 and
  /// 34) fill a hyperplane, and x_star is its point nearest to x0.
  Eigen::VectorXd x_star;
  /// Other minima (local minima some methods reach from x0): the paper's,
  /// and the Trigonometric function's 2.79506e-5, where BFGS, L-BFGS and
  /// Levenberg–Marquardt stop from x0.
  std::vector<double> local_minima;

  double value(const Eigen::VectorXd& x) const { return value_(x); }
  Eigen::VectorXd gradient(const Eigen::VectorXd& x) const { return value_and_gradient_(x).gradient; }
  ValueAndGradient value_and_gradient(const Eigen::VectorXd& x) const { return value_and_gradient_(x); }
  Eigen::MatrixXd hessian(const Eigen::VectorXd& x) const { return hessian_(x); }
  Eigen::Index size() const { return x0.size(); }

  std::function<double(const Eigen::VectorXd&)> value_;
  std::function<ValueAndGradient(const Eigen::VectorXd&)> value_and_gradient_;
  std::function<Eigen::MatrixXd(const Eigen::VectorXd&)> hessian_;
};

/// The 35 Moré–Garbow–Hillstrom problems above, in the paper's order.
const std::vector<Problem>& mgh();
/// The seeds' functions: x^2 + 2y^2, w^2 - 4w + 5, (x-5)^2 + (y-3)^2 + 2xy
/// (unbounded below) and Rosenbrock.
const std::vector<Problem>& seeds();
/// Both lists.
std::vector<Problem> all();
/// The problem of that name from either list; throws DomainError naming the
/// known names when there is none.
const Problem& find(std::string_view name);

/// Builds a Problem from a generic callable f(const VectorX<T>&) -> T.
template <class F>
Problem make_problem(std::string name, std::string title, F f, Eigen::VectorXd x0, double f_star,
                     Eigen::VectorXd x_star = {}, std::vector<double> local_minima = {}) {
  Problem p;
  p.name = std::move(name);
  p.title = std::move(title);
  p.x0 = std::move(x0);
  p.f_star = f_star;
  p.x_star = std::move(x_star);
  p.local_minima = std::move(local_minima);
  p.value_ = [f](const Eigen::VectorXd& x) { return static_cast<double>(f(x)); };
  p.value_and_gradient_ = [f](const Eigen::VectorXd& x) { return nabla::value_and_gradient(f, x); };
  // Eight lanes whatever n: f compiled for one tape of duals, not four.
  p.hessian_ = [f](const Eigen::VectorXd& x) {
    return nabla::detail::hessian_in_lanes<nabla::detail::kLanes>(f, x);
  };
  return p;
}

}  // namespace nabla::optim::problems
