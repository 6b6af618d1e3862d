// The symbolic entry point of the critical-point search: every real critical
// point of a polynomial in one variable from the roots of f' (companion
// matrix), and for any other expression the numeric search on its compiled
// Program.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "nabla/analysis/critical_points.hpp"
#include "nabla/analysis/polynomial.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/sym/diff.hpp"
#include "nabla/sym/evaluate.hpp"
#include "nabla/sym/simplify.hpp"

namespace nabla::analysis {
namespace {

/// f, f', f'' and f''' evaluated from the expression itself: a factored
/// form such as (x - 1)^30 (x^2 + 1)^30 is accurate near its multiple roots,
/// where the expanded coefficients are not (their rounding alone spreads a
/// root of multiplicity m over a radius of about eps^(1/m)).
class Derivatives {
 public:
  Derivatives(const sym::Expr& f, const sym::Expr& x) : name_(x.name()) {
    es_.push_back(f);
    for (int k = 1; k <= 3; ++k) es_.push_back(sym::diff(es_.back(), x));
  }
  /// {f, f', f'', f'''} at x.
  std::vector<double> at(double x) const { return sym::evaluate(es_, {{name_, x}}); }

 private:
  std::vector<sym::Expr> es_;
  std::string name_;
};

/// Newton's method on u = f'/f'', whose roots are the roots of f', every one
/// of them simple whatever its multiplicity in f' (so convergence stays
/// quadratic at a multiple root). Returns the iterate of the smallest |f'|.
double refine(const Derivatives& d, double x, double lo, double hi) {
  const double reach = 2 * (hi - lo) + 1;
  double best = x, best_residual = std::numeric_limits<double>::infinity();
  for (int it = 0; it < 100; ++it) {
    const std::vector<double> v = d.at(x);
    if (std::fabs(v[1]) < best_residual) {
      best = x;
      best_residual = std::fabs(v[1]);
    }
    if (v[1] == 0) break;
    // u / u' with u' = 1 - u f'''/f'', in ratios: the products of powers
    // of (x - r) underflow long before the ratios do
    const double u = v[1] / v[2];
    const double step = u / (1 - u * (v[3] / v[2]));
    if (!std::isfinite(step)) break;
    x -= step;
    if (!(x >= lo - reach && x <= hi + reach)) break;
    if (std::fabs(step) <= 4 * std::numeric_limits<double>::epsilon() * std::fabs(x)) break;
  }
  return best;
}

/// c without the leading coefficients that are negligible over |x| <= r
/// (|c_k| r^k below rounding of the largest term): they would only send
/// companion eigenvalues out towards infinity. Compared as logarithms, since
/// r^k overflows on a wide box.
std::vector<double> truncated_for_radius(std::vector<double> c, double r) {
  const double log_r = std::log2(std::fmax(r, std::numeric_limits<double>::min()));
  const auto log_term = [&](std::size_t k) {
    return std::log2(std::fabs(c[k])) + static_cast<double>(k) * log_r;
  };
  double largest = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < c.size(); ++k) largest = std::fmax(largest, log_term(k));
  while (c.size() > 1 && log_term(c.size() - 1) <= std::log2(1e-16) + largest) c.pop_back();
  return c;
}

/// The roots of f' in [lo, hi]: Newton on f'/f'' from every companion
/// eigenvalue's real part (clamped into the box) and from the box's ends and
/// middle, kept when f' vanishes there within rounding, and merged when f'
/// stays within rounding between two of them (one root, which the rounding
/// of a multiple root turned into a flat zero).
std::vector<FlatZero> roots_of_derivative(const Derivatives& d, const std::vector<double>& d1, double lo,
                                          double hi) {
  std::vector<double> seeds{lo, hi, lo + (hi - lo) / 2};
  for (double s : root_estimates(truncated_for_radius(d1, std::fmax(std::fabs(lo), std::fabs(hi)))))
    if (std::isfinite(s)) seeds.push_back(std::clamp(s, lo, hi));
  // (an f' that overflowed is no root, though the bound may overflow too)
  const auto vanishes = [&](double x) {
    const double slope = d.at(x)[1];
    return std::isfinite(slope) && std::fabs(slope) <= rounding_bound(d1, x);
  };
  std::vector<double> found;
  for (double s : seeds) {
    const double r = refine(d, s, lo, hi);
    if (vanishes(r)) found.push_back(r);
  }
  std::sort(found.begin(), found.end());
  return merge_flat_zeros(found, vanishes, [&](double x) { return std::fabs(d.at(x)[1]); });
}

/// The sign of f' (+1 or -1) on the side `side` (+1 right, -1 left) of the
/// root `i` of f', between its flat zero and the next root's (or the box's
/// end): f' vanishes nowhere there (every root in the box was found), so its
/// sign is the one at every point where it is beyond rounding, sampled from
/// halfway there towards the root. 0 when no point is, or two disagree.
int slope_sign_beside(const Derivatives& d, const std::vector<double>& d1, const std::vector<FlatZero>& roots,
                      std::size_t i, int side, const Box& box) {
  const double edge = side > 0 ? roots[i].last : roots[i].first;
  double limit = side > 0 ? box.hi[0] : box.lo[0];
  if (side > 0 && i + 1 < roots.size()) limit = std::fmin(limit, roots[i + 1].first);
  if (side < 0 && i > 0) limit = std::fmax(limit, roots[i - 1].last);
  int sign = 0;
  for (int k = 1; k <= 64; ++k) {
    const double x = edge + std::ldexp(limit - edge, -k);
    if (!(side * (x - edge) > 0)) break;
    const double slope = d.at(x)[1];
    if (!(std::fabs(slope) > rounding_bound(d1, x))) continue;
    const int here = slope > 0 ? 1 : -1;
    if (sign != 0 && here != sign) return 0;
    sign = here;
  }
  return sign;
}

/// A multiple root of f' (or one where f'' is negligible) by the sign of f'
/// on either side: a minimum where it goes from - to +, a maximum from + to
/// -, and a saddle (an inflection, no extremum) where it keeps its sign.
CriticalKind multiple_root_kind(const Derivatives& d, const std::vector<double>& d1,
                                const std::vector<FlatZero>& roots, std::size_t i, const Box& box) {
  const int left = slope_sign_beside(d, d1, roots, i, -1, box);
  const int right = slope_sign_beside(d, d1, roots, i, 1, box);
  if (left == 0 || right == 0) return CriticalKind::Inconclusive;
  if (left == right) return CriticalKind::Saddle;
  return left < 0 ? CriticalKind::Minimum : CriticalKind::Maximum;
}

/// The critical points of the polynomial f (coefficients c) in the box: the
/// real roots of f'. At a multiple root of f', f'' vanishes too and the
/// second-derivative test cannot decide; the sign of f' around it does.
std::vector<CriticalPoint> polynomial_critical_points(const sym::Expr& f, const sym::Expr& x,
                                                      const std::vector<double>& c, const Box& box,
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
  const Derivatives d(f, x);
  const std::vector<FlatZero> roots = roots_of_derivative(d, d1, box.lo[0], box.hi[0]);
  for (std::size_t i = 0; i < roots.size(); ++i) {
    const FlatZero& root = roots[i];
    CriticalPoint p;
    p.x = Eigen::VectorXd::Constant(1, root.best);
    if (!box.contains(p.x, 1e-12)) continue;
    const std::vector<double> v = d.at(root.best);
    p.f = v[0];
    p.gradient_norm = std::fabs(v[1]);
    p.eigenvalues = Eigen::VectorXd::Constant(1, v[2]);
    // Multiple when f'' vanishes too, or when f' vanishes within rounding
    // over a wider interval than |f''| allows at a simple root.
    const bool multiple = std::fabs(v[2]) <= rounding_bound(d2, root.best) ||
                          std::fabs(v[2]) * (root.last - root.first) > 2 * rounding_bound(d1, root.best);
    p.kind = multiple
                 ? CriticalKind::Inconclusive
                 : classify(p.eigenvalues, std::fmax(scale, std::fabs(v[2])), options.eigenvalue_tolerance);
    if (p.kind == CriticalKind::Inconclusive) p.kind = multiple_root_kind(d, d1, roots, i, box);
    // (a multiple root too is isolated: the roots of a polynomial f' that is
    // not zero are; its flat zero is only how well the root is known)
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
  return critical_points(f, sym::free_symbols(f), box, options);
}

std::vector<CriticalPoint> critical_points(const sym::Expr& f, const std::vector<sym::Expr>& vars,
                                           const Box& box, const CriticalOptions& options) {
  const std::vector<sym::Expr> symbols = sym::free_symbols(f);
  if (symbols.empty()) throw DimensionError("critical_points: the expression has no variable");
  std::vector<std::string> given, wanted;
  for (const sym::Expr& v : vars) {
    if (v.kind() != sym::Kind::Symbol) throw DimensionError("critical_points: a variable is not a symbol");
    given.push_back(v.name());
  }
  for (const sym::Expr& v : symbols) wanted.push_back(v.name());
  std::sort(given.begin(), given.end());
  std::vector<std::string> sorted_wanted = wanted;
  std::sort(sorted_wanted.begin(), sorted_wanted.end());
  if (given != sorted_wanted) {
    std::string names;
    for (const std::string& name : wanted) names += (names.empty() ? "" : ", ") + name;
    throw DimensionError("critical_points: the variables must name each of the expression's (" + names +
                         ") exactly once");
  }
  if (static_cast<Eigen::Index>(vars.size()) != box.dimension())
    throw DimensionError("critical_points: the expression has " + std::to_string(vars.size()) +
                         " variables but the box has " + std::to_string(box.dimension()) + " dimensions");
  require_widths(box, "critical_points");  // as on the numeric path, which this may take
  if (vars.size() == 1) {
    const sym::Expr simple = sym::simplify(f);
    if (auto c = polynomial_coefficients(simple, vars[0]))
      return polynomial_critical_points(simple, vars[0], *c, box, options);
  }
  return critical_points(from_program(f, vars), box, options);
}

}  // namespace nabla::analysis
