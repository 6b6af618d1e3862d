// The symbolic entry point of the critical-point search: every real critical
// point of a polynomial in one variable from the roots of f' (companion
// matrix), and for any other expression the numeric search on its compiled
// Program.
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include "nabla/analysis/critical_points.hpp"
#include "nabla/analysis/polynomial.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/sym/evaluate.hpp"
#include "nabla/sym/simplify.hpp"

namespace nabla::analysis {
namespace {

/// The critical points of the polynomial c in the box: the real roots of p'.
/// A multiple root of p' has p'' = 0, so the second-derivative test cannot
/// decide it.
std::vector<CriticalPoint> polynomial_critical_points(const std::vector<double>& c, const Box& box,
                                                      const CriticalOptions& options) {
  const std::vector<double> d1 = derivative(c);
  const std::vector<double> d2 = derivative(d1);
  if (d1.empty()) throw DomainError("critical_points: f is constant, so every point is critical");
  double scale = std::numeric_limits<double>::min();
  for (int i = 0; i <= 8; ++i)
    scale =
        std::fmax(scale, std::fabs(evaluate_polynomial(d2, box.lo[0] + i / 8.0 * (box.hi[0] - box.lo[0]))));
  std::vector<CriticalPoint> points;
  if (d1.size() < 2) return points;  // f' a non-zero constant
  for (const Root& root : real_roots(d1)) {
    CriticalPoint p;
    p.x = Eigen::VectorXd::Constant(1, root.x);
    if (!box.contains(p.x, 1e-12)) continue;
    p.f = evaluate_polynomial(c, root.x);
    p.gradient_norm = std::fabs(evaluate_polynomial(d1, root.x));
    p.eigenvalues = Eigen::VectorXd::Constant(1, evaluate_polynomial(d2, root.x));
    p.kind = root.multiplicity > 1 ? CriticalKind::Inconclusive
                                   : classify(p.eigenvalues, std::fmax(scale, std::fabs(p.eigenvalues[0])),
                                              options.eigenvalue_tolerance);
    points.push_back(std::move(p));
  }
  return points;
}

SecondOrder from_program(const sym::Expr& f, const std::vector<sym::Expr>& vars) {
  auto program = std::make_shared<const Program>(sym::compile(f, vars));
  return {[program](const Eigen::VectorXd& x) { return program->value(x); },
          [program](const Eigen::VectorXd& x) { return program->gradient(x); },
          [program](const Eigen::VectorXd& x) { return program->hessian(x); }};
}

}  // namespace

std::vector<CriticalPoint> critical_points(const sym::Expr& f, const Box& box,
                                           const CriticalOptions& options) {
  const std::vector<sym::Expr> vars = sym::free_symbols(f);
  if (vars.empty()) throw DimensionError("critical_points: the expression has no variable");
  if (static_cast<Eigen::Index>(vars.size()) != box.dimension())
    throw DimensionError("critical_points: the expression has " + std::to_string(vars.size()) +
                         " variables but the box has " + std::to_string(box.dimension()) + " dimensions");
  if (vars.size() == 1) {
    const sym::Expr simple = sym::simplify(f);
    if (auto c = polynomial_coefficients(simple, vars[0]))
      return polynomial_critical_points(*c, box, options);
  }
  return critical_points(from_program(f, vars), box, options);
}

}  // namespace nabla::analysis
