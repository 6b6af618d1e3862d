// Polynomials in one variable, for the exact path of the critical-point
// search: the coefficients of an expression that is a polynomial in its one
// variable (taken exactly, as f^(k)(0)/k! from repeated symbolic
// derivatives), and every real root of a polynomial with its multiplicity
// (refined from the eigenvalues of its balanced companion matrix, then
// polished).
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "nabla/sym/expr.hpp"

namespace nabla::analysis {

/// A real root and its multiplicity.
struct Root {
  double x = 0;
  int multiplicity = 1;
};

/// The polynomial's degree in x when e is one (numbers, constants, x, sums,
/// products and non-negative integer powers of polynomials), else nullopt.
std::optional<int> polynomial_degree(const sym::Expr& e, const sym::Expr& x);

/// c_0, ..., c_d with e = sum c_k x^k, when e is a polynomial in x of degree
/// at most max_degree; else nullopt. Trailing coefficients that are exactly
/// zero are dropped (the zero polynomial is {}); small ones are kept, since
/// whether c_k x^k is negligible depends on the range of x.
std::optional<std::vector<double>> polynomial_coefficients(const sym::Expr& e, const sym::Expr& x,
                                                           int max_degree = 100);

/// p(x) for coefficients c_0, ..., c_d (Horner).
double evaluate_polynomial(const std::vector<double>& c, double x);
/// The coefficients of p'.
std::vector<double> derivative(const std::vector<double>& c);
/// What rounding can leave of p(x) (Horner) where p(x) is really zero: a
/// generous multiple of the bound eps (d + 1) sum |c_k| |x|^k. The sum is
/// taken scaled by a power of two, so the result is +inf only when the bound
/// itself exceeds the largest double (where p(x) overflowed, p is no root).
double rounding_bound(const std::vector<double>& c, double x);

/// The real part of every complex root (eigenvalue of the companion matrix,
/// balanced and in a variable scaled to the roots' geometric mean) of c, with 0
/// when the low coefficients vanish: starting points for a refinement, not
/// roots (a root of multiplicity m spreads into a ring of radius ~eps^(1/m)).
std::vector<double> root_estimates(const std::vector<double>& c);

/// A zero found as an interval: the points merged into it (a multiple root,
/// which rounding makes a flat zero), and the one of the smallest residual.
struct FlatZero {
  double best = 0;
  double first = 0;  ///< the smallest and largest point merged
  double last = 0;
};

/// Sorted points where a function vanishes, merged where it vanishes too at
/// three points evenly between two neighbours: one FlatZero per zero.
std::vector<FlatZero> merge_flat_zeros(const std::vector<double>& sorted,
                                       const std::function<bool(double)>& vanishes,
                                       const std::function<double(double)>& residual);

/// Every real root of the polynomial with coefficients c_0, ..., c_d (d >= 1,
/// c_d != 0), ascending, each once with its multiplicity. A root is where p
/// vanishes within the rounding of Horner's rule (Higham's running error
/// bound, far tighter than rounding_bound where the terms cancel), and two
/// are one where p vanishes so at three points evenly between them: roots
/// closer than rounding can tell apart
/// (a root of multiplicity m is only known to about eps^(1/m) relative) are
/// one root of their summed multiplicity, and a complex pair that close to
/// the real axis is a double real root. Throws DomainError for the zero
/// polynomial (every x is a root) or non-finite coefficients.
std::vector<Root> real_roots(const std::vector<double>& c);

}  // namespace nabla::analysis
