// The inside of nabla::sym (private to src/sym): the Node every Expr points
// to, the intern table that makes equal nodes one node, exact and inexact
// number arithmetic (Num) with overflow falling back to doubles, the
// canonical orders of factors and terms, and a walk of a DAG in topological
// order. Nodes are never freed: they live in a global arena for the
// program's lifetime (interned under a mutex, so building expressions is
// thread-safe), which is what makes an Expr a plain pointer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nabla/sym/expr.hpp"

namespace nabla::sym {

/// One interned node. Immutable once in the table.
class Node {
 public:
  Kind kind = Kind::Integer;
  Function function = Function::sqrt;  ///< of a Call
  double real = 0.0;                   ///< a Real's value, or a Call's parameter
  Rational q;                          ///< an Integer's or Rational's value
  std::string name;                    ///< a Symbol's or Constant's name
  std::vector<Expr> args;
  std::size_t hash = 0;
  /// Polynomial degree, for the printed order of terms (saturating).
  std::int64_t degree = 0;

  /// The unique node equal to `proto` (which is consumed).
  static Expr intern(Node&& proto);
  static Expr handle(const Node* n) { return Expr(n); }
};

namespace detail {

/// A 128-bit integer for exact arithmetic without overflow in between.
__extension__ typedef __int128 Int128;

/// An exact rational or a double: the arithmetic of numeric coefficients.
struct Num {
  bool exact = true;
  Rational q{0, 1};
  double d = 0.0;

  static Num integer(std::int64_t v) { return Num{true, {v, 1}, 0.0}; }
  static Num real(double v) { return Num{false, {0, 1}, v}; }
  /// The exact num/den reduced, or a double when it does not fit in int64.
  static Num ratio(Int128 num, Int128 den);
  static Num of(const Expr& e);  ///< e must be a number

  double value() const { return exact ? static_cast<double>(q.num) / static_cast<double>(q.den) : d; }
  bool is_zero() const { return exact ? q.num == 0 : d == 0.0; }
  bool is_exact_one() const { return exact && q.num == 1 && q.den == 1; }
  bool is_negative() const { return exact ? q.num < 0 : d < 0; }
  Expr expr() const;
};
Num operator+(const Num& a, const Num& b);
Num operator*(const Num& a, const Num& b);
/// a^n for an integer n: exact when it fits, a double otherwise.
Num power(const Num& a, std::int64_t n);

/// A strict structural total order: <0, 0, >0.
int compare(const Expr& a, const Expr& b);
/// How many pairs of nodes compare has visited on this thread (for tests of
/// its cost).
std::uint64_t compare_visits();
/// The order of factors in a product: the number first, then by base
/// (symbols alphabetically, then calls, sums, ...), then by exponent.
bool factor_less(const Expr& a, const Expr& b);
/// The order of terms in a sum: by descending degree, then lexicographically
/// by factors (higher powers of earlier symbols first), the number last.
bool term_less(const Expr& a, const Expr& b);

/// The base and exponent of a factor (x is x^1).
Expr base_of(const Expr& f);
Expr exponent_of(const Expr& f);
/// Whether f is h^-1: a factor evaluate() and compile() divide by.
bool is_reciprocal(const Expr& f);

/// The nodes of the DAG below `root` (root last), each once, every node
/// after its arguments. Iterative: deep expressions do not overflow the stack.
std::vector<const Node*> topological_order(const Expr& root);
std::vector<const Node*> topological_order(std::span<const Expr> roots);

/// While alive on this thread, Expr(double) of a small dyadic value (1.0,
/// 0.5, 3.0, ...) is exact: the registry's derivative rules, written with
/// double literals for every scalar type, then give exact symbolic results.
class ExactLiterals {
 public:
  ExactLiterals();
  ~ExactLiterals();
  ExactLiterals(const ExactLiterals&) = delete;
  ExactLiterals& operator=(const ExactLiterals&) = delete;
};

/// Calls `visit.template operator()<core::Op>()` with the registry primitive
/// of a Call's function.
template <class Visitor>
decltype(auto) visit_function(Function f, Visitor&& visit) {
  switch (f) {
#define NABLA_SYM_VISIT(fn, Op) \
  case Function::fn:            \
    return visit.template operator()<core::Op>();
    NABLA_UNARY_FUNCTIONS(NABLA_SYM_VISIT)
    NABLA_BINARY_FUNCTIONS(NABLA_SYM_VISIT)
#undef NABLA_SYM_VISIT
    case Function::softplus:
      return visit.template operator()<core::Softplus>();
    case Function::leaky_relu:
      return visit.template operator()<core::LeakyRelu>();
  }
  return visit.template operator()<core::Sin>();  // unreachable
}

/// Whether a function takes two arguments.
bool is_binary(Function f);

/// For an odd integer exponent n beyond 2^53, which a double rounds to an
/// even number (x^9007199254740993 at -1 evaluated to 1): 1 if n > 0, -1 if
/// n < 0, so that x^n is evaluated as x x^(n - 1) or x^(n + 1) / x, whose
/// exponent is even as a double too; 0 for every other exponent.
inline int odd_beyond_doubles(const Expr& exponent) {
  if (exponent.kind() != Kind::Integer) return 0;
  const std::int64_t n = exponent.exact().num;
  constexpr std::int64_t kExact = std::int64_t{1} << 53;
  if (n % 2 == 0 || (n <= kExact && n >= -kExact)) return 0;
  return n > 0 ? 1 : -1;
}

}  // namespace detail
}  // namespace nabla::sym
