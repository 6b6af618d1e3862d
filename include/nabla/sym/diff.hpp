// Symbolic differentiation of expressions: derivatives of any order, mixed
// partials, gradients, Jacobians and Hessians as expressions.
//
// A derivative is memoized per node (each node of the DAG is differentiated
// once), and a gradient is built by reverse accumulation on the DAG (each
// node's adjoint is one expression, shared by everything below it), so the
// size of a derivative or gradient grows linearly with the size of f: no
// expression swell. The rules are the registry's (core/primitives.hpp)
// instantiated on Expr, with these symbolic spellings:
//   abs'(x) = sign(x)                              (0 at the kink, as the registry)
//   relu'(x) = (sign(x) + sign(x)^2)/2             (0 at the kink)
//   leaky_relu'(x) = a + (1 - a)(sign(x) + sign(x)^2)/2   (a at the kink)
//   min(a, b): d/da = (1 + sign(b - a))/2          (1/2 at a tie), max alike
//   softplus'(x; t) = sigmoid(x/t), logsumexp: d/da = sigmoid(a - b)
//   erf'(x) = 2 exp(-x^2)/sqrt(pi), log2'(x) = 1/(x log(2))
//   (a^b)' = b a^(b-1) a' + xlogy(a^b, a) b'  (the second term only if b
//            varies; a^b*log(a) for a number a, and none for a = 0)
//   atan2(y, x): d/dy = xdivy(x, x^2 + y^2), hypot(a, b): d/da = xdivy(a, hypot(a, b))
//   xlogy(a, b): a' log(b) as xlogy(a', b), b' xdivy(a, b)
//   xdivy(a, b): a' / b as xdivy(a', b), -b' a / b^2 as -xdivy(a, b^2) b', or
//                -m xdivy(a u', u^(m+1)) for b = u^m with a number m (so the
//                nth derivative of atan2 has (x^2 + y^2)^(n+1), not ^(2^n))
// Where the registry's derivative is a limit at a 0/0 or 0 * inf (atan2 and
// hypot at the origin, d/db a^b at a = 0 with b > 0), the symbolic formula
// is the textbook one with xdivy(x, y) for x / y and xlogy(x, y) for x log y,
// registry primitives that are 0 where x is: so it evaluates to the
// registry's value there (in evaluate, a compiled Program and C code), and
// its derivatives (x^y log(x)^2 along y) keep that limit. A chain rule
// whose outer partial is infinite or NaN where the inner derivative is 0
// still gives NaN: sqrt(relu(x)) for x < 0 is sqrt'(0) * 0 = inf * 0, as in
// reverse mode and in a compiled Program; forward mode (Dual) skips a zero
// tangent and gives 0.
//
// Coefficients that overflow a double while folding (second derivatives of
// exp(1e200 x), of x^1e300) are a DomainError, as everywhere in sym.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "nabla/sym/expr.hpp"

namespace nabla::sym {

/// A matrix of expressions, by rows.
using ExprMatrix = std::vector<std::vector<Expr>>;

/// The n-th derivative of e with respect to the symbol x (n >= 0). A
/// derivative that comes back (sin's fourth is sin) ends the work: the rest
/// of the orders repeat the cycle, so diff(sin(x), x, 10^9) is immediate.
Expr diff(const Expr& e, const Expr& x, int n = 1);
/// The n-th derivative of e with respect to the symbol named x.
Expr diff(const Expr& e, std::string_view x, int n = 1);
/// The n-th derivative, refused with a DomainError (naming the order) as soon
/// as one of orders 1 to n has more than `most_nodes` distinct nodes (the
/// derivatives of x^x atan2(y, x) grow about as n^4: 3e5 nodes and 4 s by
/// n = 25), or all of them together
/// more than kAllOrdersFactor times that: the nodes stay interned, and the
/// 10^8th derivative of x exp(x), a few nodes at every order, filled 24 GB
/// before it was killed.
Expr diff(const Expr& e, const Expr& x, int n, std::size_t most_nodes);
inline constexpr std::size_t kAllOrdersFactor = 64;
/// The limit the CLI and Python give that diff (seconds, not minutes and
/// gigabytes, before a refusal).
inline constexpr std::size_t kMostDerivativeNodes = std::size_t{1} << 17;
/// The mixed partial d/dx_k ... d/dx_1 e, in the order given: diff(e, {"x", "y"}).
Expr diff(const Expr& e, std::initializer_list<std::string_view> xs);
Expr diff(const Expr& e, const std::vector<Expr>& xs);

/// The gradient of e with respect to vars, by reverse accumulation.
std::vector<Expr> gradient(const Expr& e, const std::vector<Expr>& vars);
std::vector<Expr> gradient(const Expr& e, const std::vector<std::string>& vars);
std::vector<Expr> gradient(const Expr& e, std::initializer_list<std::string_view> vars);
/// The Jacobian (one row per expression, one column per variable).
ExprMatrix jacobian(const std::vector<Expr>& es, const std::vector<Expr>& vars);
ExprMatrix jacobian(const std::vector<Expr>& es, const std::vector<std::string>& vars);
ExprMatrix jacobian(const std::vector<Expr>& es, std::initializer_list<std::string_view> vars);
/// The Hessian (symmetric: entry (i, j) and (j, i) are the same node).
ExprMatrix hessian(const Expr& e, const std::vector<Expr>& vars);
ExprMatrix hessian(const Expr& e, const std::vector<std::string>& vars);
ExprMatrix hessian(const Expr& e, std::initializer_list<std::string_view> vars);

/// The symbols named in names, in that order.
std::vector<Expr> to_symbols(const std::vector<std::string>& names);
std::vector<Expr> to_symbols(std::initializer_list<std::string_view> names);

}  // namespace nabla::sym
