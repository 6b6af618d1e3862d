// Numbers from expressions: evaluate at bound symbols, and compile to a
// nabla::Program (ad/program.hpp), a flat instruction list with every node of
// the DAG emitted once (common subexpressions shared) that evaluates the
// value, the gradient (reverse sweep) and the Hessian at new points without
// touching the expression again.
//
// Values follow the registry: outside a function's domain the value is NaN
// (log(-1), sqrt(-1)), never an exception; 0^0 = 1 and 0^-n = inf as C's pow.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "nabla/ad/program.hpp"
#include "nabla/sym/expr.hpp"

namespace nabla::sym {

/// The value of e with its symbols bound; throws nabla::DomainError naming
/// the first unbound symbol.
double evaluate(const Expr& e, const Bindings& bindings);

/// The values of several expressions, sharing their common subexpressions.
std::vector<double> evaluate(const std::vector<Expr>& es, const Bindings& bindings);

/// A Program of one output whose inputs are vars, in that order: p(x),
/// p.gradient(x), p.hessian(x). Throws DomainError for a symbol of e that is
/// not among vars.
Program compile(const Expr& e, const std::vector<Expr>& vars);
Program compile(const Expr& e, const std::vector<std::string>& vars);
Program compile(const Expr& e, std::initializer_list<std::string_view> vars);
/// A Program with one output per expression (p.values(x), p.jacobian(x)).
Program compile(const std::vector<Expr>& es, const std::vector<Expr>& vars);
Program compile(const std::vector<Expr>& es, const std::vector<std::string>& vars);
Program compile(const std::vector<Expr>& es, std::initializer_list<std::string_view> vars);

}  // namespace nabla::sym
