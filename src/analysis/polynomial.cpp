// Polynomials in one variable: recognizing one in an expression, its exact
// coefficients (c_k = f^(k)(0)/k! from repeated symbolic derivatives), and
// every real root: refined from the eigenvalues of the balanced companion matrix,
// verified (p vanishes there within rounding), merged where p stays within
// rounding of zero between two of them (a root of multiplicity m is known
// only to about eps^(1/m)), counted by the eigenvalues around it, and
// polished by Newton's method on p^(m-1), of which it is a simple root.
#include "nabla/analysis/polynomial.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "nabla/core/errors.hpp"
#include "nabla/sym/diff.hpp"
#include "nabla/sym/evaluate.hpp"

namespace nabla::analysis {
namespace {

constexpr long long kNotPolynomial = -1;
constexpr long long kHuge = 1LL << 40;  // degrees are capped here, never overflow

/// The degree of node e in x from the degrees of its arguments (in memo).
long long local_degree(const sym::Expr& e, const sym::Expr& x,
                       const std::unordered_map<const sym::Node*, long long>& memo) {
  const auto degree = [&](const sym::Expr& a) { return memo.at(a.node()); };
  long long d = 0;
  switch (e.kind()) {
    case sym::Kind::Integer:
    case sym::Kind::Rational:
    case sym::Kind::Real:
    case sym::Kind::Constant:
      return 0;
    case sym::Kind::Symbol:
      return e == x ? 1 : kNotPolynomial;
    case sym::Kind::Add:
    case sym::Kind::Mul:
      for (const sym::Expr& a : e.args()) {
        const long long da = degree(a);
        if (da == kNotPolynomial) return kNotPolynomial;
        d = e.kind() == sym::Kind::Add ? std::max(d, da) : std::min(kHuge, d + da);
      }
      return d;
    case sym::Kind::Pow: {
      const long long base = degree(e.args()[0]);
      const long long exponent = degree(e.args()[1]);
      if (base == 0 && exponent == 0) return 0;
      if (base > 0 && e.args()[1].kind() == sym::Kind::Integer && e.args()[1].exact().num >= 0)
        return std::min(kHuge, base * std::min(kHuge, static_cast<long long>(e.args()[1].exact().num)));
      return kNotPolynomial;
    }
    case sym::Kind::Call:
      for (const sym::Expr& a : e.args())
        if (degree(a) != 0) return kNotPolynomial;
      return 0;
  }
  return kNotPolynomial;
}

/// The degree of e in x, or kNotPolynomial: each node once, children first,
/// by an explicit stack (an expression built through the API can be nested
/// far deeper than the call stack allows).
long long degree_of(const sym::Expr& e, const sym::Expr& x) {
  std::unordered_map<const sym::Node*, long long> memo;
  std::vector<std::pair<sym::Expr, std::size_t>> stack{{e, 0}};
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next < node.args().size()) {
      const sym::Expr child = node.args()[next++];
      if (!memo.contains(child.node())) stack.emplace_back(child, 0);
      continue;
    }
    const sym::Expr done = node;
    stack.pop_back();
    memo.emplace(done.node(), local_degree(done, x, memo));
  }
  return memo.at(e.node());
}

}  // namespace

std::optional<int> polynomial_degree(const sym::Expr& e, const sym::Expr& x) {
  const long long d = degree_of(e, x);
  if (d == kNotPolynomial || d > (1 << 30)) return std::nullopt;
  return static_cast<int>(d);
}

std::optional<std::vector<double>> polynomial_coefficients(const sym::Expr& e, const sym::Expr& x,
                                                           int max_degree) {
  const std::optional<int> degree = polynomial_degree(e, x);
  if (!degree || *degree > max_degree) return std::nullopt;
  std::vector<double> c;
  sym::Expr derivative_k = e;
  double factorial = 1;
  const sym::Bindings at_zero{{x.name(), 0.0}};
  for (int k = 0; k <= *degree; ++k) {
    if (k > 0) {
      derivative_k = sym::diff(derivative_k, x);
      factorial *= k;
    }
    c.push_back(sym::evaluate(derivative_k, at_zero) / factorial);  // c_k = f^(k)(0) / k!
    if (!std::isfinite(c.back())) return std::nullopt;
  }
  // Only exact zeros are dropped: whether a small leading coefficient is
  // negligible depends on how large x gets, which only the caller knows.
  while (!c.empty() && c.back() == 0) c.pop_back();
  return c;
}

double evaluate_polynomial(const std::vector<double>& c, double x) {
  double p = 0;
  for (auto it = c.rbegin(); it != c.rend(); ++it) p = p * x + *it;
  return p;
}

std::vector<double> derivative(const std::vector<double>& c) {
  std::vector<double> d;
  for (std::size_t k = 1; k < c.size(); ++k) d.push_back(static_cast<double>(k) * c[k]);
  return d;
}

namespace {

constexpr double kUnitRoundoff = std::numeric_limits<double>::epsilon() / 2;  // u

/// The power of two of the largest |c_k x^k| (by frexp exponents: within a
/// factor 2^(d+1)), for scaling p(x) by a power of two that keeps it finite.
/// x = m 2^t with 1/2 <= |m| < 1; nullopt when every c_k is zero.
std::optional<long long> largest_term_exponent(const std::vector<double>& c, int t) {
  std::optional<long long> top;
  for (std::size_t k = 0; k < c.size(); ++k) {
    if (c[k] == 0) continue;
    int e = 0;
    std::frexp(c[k], &e);
    const long long term = e + static_cast<long long>(t) * static_cast<long long>(k);
    top = top ? std::max(*top, term) : term;
  }
  return top;
}

/// c_k 2^(t k - top): exact, unless it underflows (then it is below 2^-1074
/// of the largest term, which is near 1).
double scaled_coefficient(double ck, std::size_t k, int t, long long top) {
  const long long shift = static_cast<long long>(t) * static_cast<long long>(k) - top;
  return std::ldexp(ck, static_cast<int>(std::clamp(shift, -100000LL, 100000LL)));
}

/// p(x) and a bound on what rounding leaves of it where p really vanishes,
/// both divided by the same power of two (that of the largest term), so that
/// neither overflows. The bound is Higham's running error bound of Horner's
/// rule (Accuracy and Stability of Numerical Algorithms, Algorithm 5.1:
/// u (2 mu - |p|), mu summing the magnitudes of Horner's partial results,
/// valid to first order in u), plus u |x p'(x)| for the root's distance to
/// the nearest double. Built from the partial results, it is far tighter than
/// the a priori gamma_2d sum |c_k| |x|^k where these cancel: Wilkinson's
/// polynomial of degree 20 exceeds it halfway between its roots, though
/// not that a priori bound.
struct ScaledValue {
  double value = 0;
  double bound = 0;
  double a_priori = 0;  ///< rounding_bound(c, x), scaled alike
  long long scale = 0;  ///< the power of two divided out
};

ScaledValue scaled_value(const std::vector<double>& c, double x) {
  int t = 0;
  const double m = std::frexp(x, &t);
  const std::optional<long long> top = largest_term_exponent(c, t);
  if (!top) return {};
  double value = 0, slope = 0, mu = 0, sum = 0;
  for (std::size_t k = c.size(); k-- > 0;) {
    const double ck = scaled_coefficient(c[k], k, t, *top);
    sum = sum * std::fabs(m) + std::fabs(ck);
    if (k + 1 == c.size()) {
      value = ck;
      mu = std::fabs(ck) / 2;
      continue;
    }
    slope = slope * m + value;
    value = value * m + ck;
    mu = mu * std::fabs(m) + std::fabs(value);
  }
  // (a scaled coefficient or partial result that underflowed lost less than
  // the smallest subnormal)
  const double underflow = 2 * static_cast<double>(c.size()) * std::numeric_limits<double>::denorm_min();
  const double bound = kUnitRoundoff * (2 * mu - std::fabs(value)) + kUnitRoundoff * std::fabs(m * slope);
  const double factor = 64.0 * static_cast<double>(c.size() + 1) * std::numeric_limits<double>::epsilon();
  return {value, bound + underflow, factor * sum, *top};
}

/// v 2^scale, the scaling of ScaledValue undone.
double unscaled(double v, long long scale) {
  return std::ldexp(v, static_cast<int>(std::clamp(scale, -100000LL, 100000LL)));
}

}  // namespace

double rounding_bound(const std::vector<double>& c, double x) {
  if (c.empty()) return 0;
  if (!std::isfinite(x)) return std::numeric_limits<double>::infinity();
  // sum |c_k| |x|^k taken scaled, so that it overflows only when the bound
  // itself does
  const ScaledValue v = scaled_value(c, x);
  return unscaled(v.a_priori, v.scale);
}

namespace {

/// Whether p vanishes within rounding at x (never where x is not finite).
bool vanishes_at(const std::vector<double>& c, double x) {
  if (!std::isfinite(x)) return false;
  const ScaledValue v = scaled_value(c, x);
  return std::fabs(v.value) <= v.bound;
}

/// |p(x)|, without the overflow of the intermediate terms of Horner's rule.
double residual_at(const std::vector<double>& c, double x) {
  if (!std::isfinite(x)) return std::numeric_limits<double>::infinity();
  const ScaledValue v = scaled_value(c, x);
  return unscaled(std::fabs(v.value), v.scale);
}

/// Scales rows and columns of a by powers of two (exactly) until each row
/// and its column have about the same norm off the diagonal (Parlett and
/// Reinsch's balancing, as LAPACK's dgebal does before its QR iteration):
/// the eigenvalues are the same, and those far smaller than the largest no
/// longer drown in its rounding.
void balance(Eigen::MatrixXd& a) {
  for (bool changed = true; changed;) {
    changed = false;
    for (Eigen::Index i = 0; i < a.rows(); ++i) {
      const double column = a.col(i).cwiseAbs().sum() - std::fabs(a(i, i));
      const double row = a.row(i).cwiseAbs().sum() - std::fabs(a(i, i));
      if (!(column > 0 && row > 0) || !std::isfinite(column + row)) continue;
      // 2^e such that column 2^e and row 2^-e are within a factor 2 of each other
      int e = 0;
      double scaled_column = column;
      while (scaled_column < row / 2) {
        scaled_column *= 4;
        ++e;
      }
      while (scaled_column > 2 * row) {
        scaled_column /= 4;
        --e;
      }
      if ((scaled_column + row) / std::ldexp(1.0, e) < 0.95 * (column + row)) {
        a.col(i) *= std::ldexp(1.0, e);
        a.row(i) *= std::ldexp(1.0, -e);
        changed = true;
      }
    }
  }
}

/// The eigenvalues of the companion matrix of c_0 + ... + c_d x^d, c_0, c_d != 0.
/// In the variable y = x / 2^t, 2^t about (|c_0| / |c_d|)^(1/d) (the
/// geometric mean of the roots' magnitudes), with the coefficients divided by
/// the power of two of the largest: none of c_k / c_d overflows. Then the
/// matrix is balanced.
Eigen::VectorXcd companion_roots(const std::vector<double>& c) {
  int low = 0, high = 0;
  std::frexp(c.front(), &low);
  std::frexp(c.back(), &high);
  const int t =
      static_cast<int>(std::lround(static_cast<double>(low - high) / static_cast<double>(c.size() - 1)));
  const long long top = *largest_term_exponent(c, t);
  std::vector<double> scaled;
  for (std::size_t k = 0; k < c.size(); ++k) scaled.push_back(scaled_coefficient(c[k], k, t, top));
  // (a coefficient 2^1074 below the largest underflows: its roots are out
  // of range of the others, at 0 or infinity as far as doubles go)
  while (scaled.size() > 1 && scaled.back() == 0) scaled.pop_back();
  Eigen::Index zeros = 0;
  while (scaled.size() > 1 && scaled.front() == 0) {
    scaled.erase(scaled.begin());
    ++zeros;
  }
  if (scaled.size() < 2) return Eigen::VectorXcd::Zero(zeros);
  const Eigen::Index d = static_cast<Eigen::Index>(scaled.size()) - 1;
  Eigen::MatrixXd companion = Eigen::MatrixXd::Zero(d, d);
  for (Eigen::Index i = 1; i < d; ++i) companion(i, i - 1) = 1;
  for (Eigen::Index i = 0; i < d; ++i)
    companion(i, d - 1) = -scaled[static_cast<std::size_t>(i)] / scaled.back();
  balance(companion);
  Eigen::VectorXcd z = Eigen::VectorXcd::Zero(d + zeros);
  z.head(d) = Eigen::EigenSolver<Eigen::MatrixXd>(companion, false).eigenvalues() * std::ldexp(1.0, t);
  return z;
}

/// Newton on p^(m-1) from x, staying within `reach` of x: its root is simple
/// when x approximates a root of p of multiplicity m.
double polish(const std::vector<double>& c, int multiplicity, double x, double reach) {
  std::vector<double> q = c;
  for (int k = 1; k < multiplicity; ++k) q = derivative(q);
  const std::vector<double> dq = derivative(q);
  const double start = x;
  double best = x, best_residual = std::fabs(evaluate_polynomial(q, x));
  for (int it = 0; it < 60 && best_residual > 0; ++it) {
    const double slope = evaluate_polynomial(dq, x);
    if (!(slope != 0)) break;
    x -= evaluate_polynomial(q, x) / slope;
    if (!std::isfinite(x) || std::fabs(x - start) > reach) break;
    const double residual = std::fabs(evaluate_polynomial(q, x));
    if (residual < best_residual) {
      best = x;
      best_residual = residual;
    } else if (it > 3) {
      break;
    }
  }
  return best;
}

/// Schroeder's iteration from x: Newton's method on u = p/p', whose roots
/// are the roots of p, each simple whatever its multiplicity in p (so the
/// convergence stays quadratic at a multiple root). Returns the iterate of
/// the smallest |p|; once the steps are down to rounding it takes a few
/// more, each evaluated, since the last step may have gone a few units in
/// the last place beyond the double nearest the root.
double refine_root(const std::vector<double>& c, double x) {
  const std::vector<double> d1 = derivative(c);
  const std::vector<double> d2 = derivative(d1);
  double best = x, best_residual = std::numeric_limits<double>::infinity();
  int tiny_steps = 0;
  for (int it = 0; it < 100 && std::isfinite(x) && tiny_steps < 4; ++it) {
    const double residual = residual_at(c, x);
    if (residual < best_residual) {
      best = x;
      best_residual = residual;
    }
    const double p = evaluate_polynomial(c, x);
    if (p == 0) break;
    const double slope = evaluate_polynomial(d1, x);
    const double u = p / slope;  // u' = 1 - u p''/p'
    const double step = u / (1 - u * (evaluate_polynomial(d2, x) / slope));
    if (!std::isfinite(step)) break;
    x -= step;
    tiny_steps =
        std::fabs(step) <= 4 * std::numeric_limits<double>::epsilon() * std::fabs(x) ? tiny_steps + 1 : 0;
  }
  return best;
}

/// About how far from x (a root) p stays within the a priori rounding_bound
/// of zero: the uncertainty of a root of multiplicity m grows like
/// eps^(1/m), and the companion eigenvalues spread about that far. (The
/// tighter running bound would make this too narrow to count them by.)
double flat_half_width(const std::vector<double>& c, double x) {
  const auto generous = [&](double at) {
    if (!std::isfinite(at)) return false;
    const ScaledValue v = scaled_value(c, at);
    return std::fabs(v.value) <= v.a_priori;
  };
  const auto vanishes_within = [&](double w) { return generous(x - w) && generous(x + w); };
  double inside = 0, w = std::numeric_limits<double>::epsilon() * std::fmax(1.0, std::fabs(x));
  while (w < std::numeric_limits<double>::max() / 4 && vanishes_within(w)) {
    inside = w;
    w *= 2;
  }
  for (int i = 0; i < 20; ++i) {  // bisect between inside (vanishes) and w (does not)
    const double mid = inside + (w - inside) / 2;
    (vanishes_within(mid) ? inside : w) = mid;
  }
  return std::fmax(inside, std::numeric_limits<double>::epsilon() * std::fmax(1.0, std::fabs(x)));
}

}  // namespace

std::vector<double> root_estimates(const std::vector<double>& coefficients) {
  std::vector<double> c = coefficients;
  while (!c.empty() && c.back() == 0) c.pop_back();
  std::vector<double> estimates;
  if (c.size() > 1 && c.front() == 0) estimates.push_back(0.0);
  while (c.size() > 1 && c.front() == 0) c.erase(c.begin());
  if (c.size() < 2) return estimates;
  for (const std::complex<double>& z : companion_roots(c)) estimates.push_back(z.real());
  return estimates;
}

std::vector<FlatZero> merge_flat_zeros(const std::vector<double>& sorted,
                                       const std::function<bool(double)>& vanishes,
                                       const std::function<double(double)>& residual) {
  std::vector<FlatZero> zeros;
  for (double r : sorted) {
    if (!zeros.empty()) {
      FlatZero& last = zeros.back();
      bool flat = true;
      for (int i = 1; i <= 3 && flat; ++i) flat = vanishes(last.last + i / 4.0 * (r - last.last));
      if (flat) {
        last.last = r;
        if (residual(r) < residual(last.best)) last.best = r;
        continue;
      }
    }
    zeros.push_back({r, r, r});
  }
  return zeros;
}

std::vector<Root> real_roots(const std::vector<double>& coefficients) {
  std::vector<double> c = coefficients;
  for (double ck : c)
    if (!std::isfinite(ck)) throw DomainError("real_roots: the coefficients must be finite");
  while (!c.empty() && c.back() == 0) c.pop_back();
  if (c.empty()) throw DomainError("real_roots: the zero polynomial vanishes everywhere");
  std::vector<Root> roots;
  int zeros = 0;  // x = 0 exactly, of the multiplicity of the vanishing low coefficients
  while (c.size() > 1 && c.front() == 0) {
    c.erase(c.begin());
    ++zeros;
  }
  if (zeros > 0) roots.push_back({0.0, zeros});
  if (c.size() < 2) return roots;

  const Eigen::VectorXcd z = companion_roots(c);
  const auto vanishes = [&](double x) { return vanishes_at(c, x); };
  std::vector<double> found;
  for (const std::complex<double>& zi : z) {
    const double r = refine_root(c, zi.real());
    if (vanishes(r)) found.push_back(r);
  }
  std::sort(found.begin(), found.end());
  // One root per interval over which p vanishes within rounding: a multiple
  // root is such a flat zero, and Newton stops anywhere on it.
  const std::vector<FlatZero> zeros_found =
      merge_flat_zeros(found, vanishes, [&](double x) { return residual_at(c, x); });
  // The multiplicity of each is the number of eigenvalues (rounding spreads
  // a root of multiplicity m into a ring of m of them, some complex) nearer
  // to it than a few times the width of its flat zero.
  std::vector<double> reach;
  for (const FlatZero& zero : zeros_found)
    reach.push_back(4 * std::fmax(flat_half_width(c, zero.best), zero.last - zero.first));
  std::vector<int> multiplicity(zeros_found.size(), 0);
  for (const std::complex<double>& zi : z) {
    std::size_t nearest = zeros_found.size();
    double nearest_ratio = 1;
    for (std::size_t k = 0; k < zeros_found.size(); ++k) {
      const double ratio = std::abs(zi - zeros_found[k].best) / reach[k];
      if (ratio <= nearest_ratio) {
        nearest = k;
        nearest_ratio = ratio;
      }
    }
    if (nearest < zeros_found.size()) ++multiplicity[nearest];
  }
  for (std::size_t k = 0; k < zeros_found.size(); ++k) {
    const int m = std::max(1, multiplicity[k]);
    roots.push_back({polish(c, m, zeros_found[k].best, reach[k]), m});
  }
  std::sort(roots.begin(), roots.end(), [](const Root& a, const Root& b) { return a.x < b.x; });
  return roots;
}

}  // namespace nabla::analysis
