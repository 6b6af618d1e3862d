// Printing expressions: to_string in the syntax the parser reads, with minimal
// parentheses and in human order (a polynomial by descending degree, a
// negative coefficient as subtraction, a negative power as division:
// 4*x^3 - 12*x^2 + 8*x, x/(2*sqrt(y))), so that parse(to_string(e)) is e
// again; to_latex; and to_c, C code with the nodes used more than once as
// temporaries. The printers recurse once per level of nesting (beyond 1000
// levels on a thread of their own with a 256 MB stack) and refuse
// (DomainError) an expression nested more than 20000 levels deep, which only
// the API can build (the parser reads at most 512 levels of text, and their
// derivatives are a few times deeper).
//
// Numbers: exact integers and rationals as written (1/3); doubles in the
// shortest form that reads back to the same double, always with a '.' or an
// exponent so they read back as doubles (2.0, 0.1, 1e+100). A parameter of a
// call is a trailing argument when it is not the registry's default
// (softplus(x, 2), leaky_relu(x, 0.2)).
#pragma once

#include <string>
#include <vector>

#include "nabla/sym/expr.hpp"

namespace nabla::sym {

/// e in the syntax the parser reads: "4*x^3 - 12*x^2 + 8*x". A NaN number
/// prints as (0/0), which reads back as NaN; an infinite number (made by
/// Expr(double), since folding never overflows silently) has no spelling the
/// parser reads back: DomainError.
std::string to_string(const Expr& e);
/// to_string for people to read (Python's str and repr): the same text,
/// except that an infinite number prints as inf or -inf (which the parser
/// would read as a symbol), where to_string refuses it.
std::string to_display_string(const Expr& e);
/// e as LaTeX: "\frac{\sin\left(x\right)}{x^{2}}".
std::string to_latex(const Expr& e);
/// e as the body of a C function of doubles: one `const double tK = ...;`
/// line per node used more than once, then `return ...;`. Uses <math.h>.
/// Symbols are spelled c_identifier(name); the temporaries avoid those
/// spellings and `parameters` (the function's, which may name more).
std::string to_c(const Expr& e, const std::vector<std::string>& parameters = {});
/// to_c of e, a derivative of `guard`, as the body of a function that returns
/// NaN where the guard is NaN (`if (isnan(...)) return NAN;` before the
/// return): a derivative is undefined wherever its function is, as in the AD
/// modes, even where its own formula has a value (1/(x + 1) for log1p(x) at
/// x = -2). The guard and e share their temporaries.
std::string to_c(const Expr& e, const std::vector<std::string>& parameters, const Expr& guard);
/// A symbol's name in C: the name, with '_' appended when it is a C or C++
/// keyword or a name of <math.h> (double, fabs, NAN, M_PI, errno), which C
/// code could not declare as a variable of its own, or such a name followed
/// by '_'s (double_ -> double__), so that distinct names stay distinct.
std::string c_identifier(const std::string& name);

/// The shortest text of a double that reads back to it, with a '.' or an
/// exponent ("2.0", "0.1", "1e+100", "inf", "nan").
std::string format_double(double v);

}  // namespace nabla::sym
