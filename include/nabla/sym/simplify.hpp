// simplify(e): e rebuilt bottom-up through the canonical constructors (which
// fold numbers, merge like terms and powers, drop neutral elements, order
// operands, and give log(e) = 1, exp(1) = e, abs, sign, relu, min and max of
// exact numbers and min(x, x) = max(x, x) = x, see expr.hpp), plus the
// rewrites constructors do not make: exact values of functions at exact
// points (sin(0) = 0, cos(0) = 1, exp(0) = 1, log(1) = 0, sqrt(4) = 2,
// cbrt(-8) = -2, log2(8) = 3, log10(100) = 2, sigmoid(0) = 1/2, sin(pi) =
// 0, cos(pi) = -1) and identities that hold
// wherever the original is defined: sqrt(x^2) = abs(x), sqrt(x)^2 = x,
// exp(log(x)) = x, abs(abs(x)) = abs(x), abs(sign(x)) ... It terminates (one
// bottom-up pass) and never changes the value where the original is defined
// (its value is not NaN), as a real number. Evaluated in doubles, the
// rearranged form may overflow or round where the original did not, as
// SymPy's distributed and expanded forms do: 2 (x + y) = 2x + 2y is inf - inf
// at x = 1e308, y = -1e308, and the parser's (x/y)^3 = x^3/y^3 is inf/inf at
// 1e300; sqrt(x^2) = abs(x) is 1e200 where sqrt of the overflowed square
// was inf. 0^0 is 1 (as C's pow and as the constructors).
#pragma once

#include "nabla/sym/expr.hpp"

namespace nabla::sym {

/// e in simplest canonical form; the same real value wherever e is defined.
Expr simplify(const Expr& e);

}  // namespace nabla::sym
