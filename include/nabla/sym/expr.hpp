// Symbolic expressions: nabla::sym::Expr, a handle to an immutable node of a
// hash-consed DAG (equal subexpressions are one node, so equality is pointer
// equality and every node is stored once). Numbers are exact integers and
// rationals where the input is exact (1/3 stays 1/3, 2^10 is 1024) and doubles
// otherwise; symbols; the constants pi and e; sums, products and powers; and
// a call of any primitive of the registry (core/primitives.hpp).
//
// Expressions are built in canonical form: the constructors below flatten
// nested sums and products, fold numbers, merge like terms (2*x + 3*x is 5*x)
// and equal bases (x*x is x^2), drop neutral elements, give calls with an
// exact value that value (log(e) = 1, exp(1) = e, abs, sign, relu, min and
// max of exact numbers, max(x, x) = x) and sort operands in one canonical
// order. So building the same value the same way always gives
// the same node, and printing then parsing an expression gives it back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nabla/core/primitives.hpp"

namespace nabla::sym {

class Node;

/// What a node is.
enum class Kind : std::uint8_t {
  Integer,   ///< an exact integer
  Rational,  ///< an exact fraction p/q, q > 1, in lowest terms
  Real,      ///< a double
  Constant,  ///< pi or e
  Symbol,    ///< a variable, by name
  Add,       ///< a sum of two or more terms
  Mul,       ///< a product of two or more factors
  Pow,       ///< base ^ exponent
  Call,      ///< a registry primitive applied to one or two arguments
};

/// The functions an expression may call: every named primitive of the
/// registry (sin, exp, softplus, atan2, ...), by the registry's name,
/// generated from the registry's lists. Function::pow names the binary power
/// for call("pow", ...), which builds a Pow node, never a Call.
enum class Function : std::uint8_t {
#define NABLA_SYM_FUNCTION_ENTRY(fn, Op) fn,
  NABLA_UNARY_FUNCTIONS(NABLA_SYM_FUNCTION_ENTRY) softplus,
  leaky_relu,
  NABLA_BINARY_FUNCTIONS(NABLA_SYM_FUNCTION_ENTRY)
#undef NABLA_SYM_FUNCTION_ENTRY
};

/// An exact number p/q with q > 0 in lowest terms (q = 1 for an integer).
struct Rational {
  std::int64_t num = 0;
  std::int64_t den = 1;
};

/// A handle to an immutable, hash-consed expression node; cheap to copy.
class Expr {
 public:
  /// The integer 0.
  Expr();
  /// An exact integer.
  Expr(int value);        // NOLINT: implicit by design
  Expr(long value);       // NOLINT: implicit by design
  Expr(long long value);  // NOLINT: implicit by design
  /// A double (a Real node; use rational() for exact fractions).
  Expr(double value);  // NOLINT: implicit by design

  Kind kind() const;
  /// The operands: terms of an Add, factors of a Mul, {base, exponent} of a
  /// Pow, the arguments of a Call; empty for numbers, constants and symbols.
  std::span<const Expr> args() const;
  /// The name of a Symbol or Constant ("x", "pi", "e").
  const std::string& name() const;
  /// The function of a Call, and its passive parameter (a softplus
  /// temperature, a leaky_relu slope; 0 when it has none).
  Function function() const;
  double parameter() const;

  bool is_number() const;  ///< Integer, Rational or Real
  bool is_exact() const;   ///< Integer or Rational
  /// The exact value of an Integer or Rational.
  Rational exact() const;
  /// The value of a number or constant as a double.
  double to_double() const;
  bool is_zero() const;
  bool is_one() const;

  /// Structural identity, which hash-consing makes pointer identity.
  friend bool operator==(const Expr& a, const Expr& b) { return a.node_ == b.node_; }
  friend bool operator!=(const Expr& a, const Expr& b) { return a.node_ != b.node_; }
  /// The canonical order of operands (a strict total order).
  friend bool operator<(const Expr& a, const Expr& b);
  std::size_t hash() const;
  const Node* node() const { return node_; }

 private:
  friend class Node;
  explicit Expr(const Node* node) : node_(node) {}
  const Node* node_;
};

/// A symbol named `name` (letters, digits and '_', not starting with a digit,
/// and not a name the parser reads as a constant or function: e, pi, sin,
/// ...); throws DomainError otherwise.
Expr symbol(std::string_view name);
/// Several symbols from a space- or comma-separated list: symbols("x y z").
std::vector<Expr> symbols(std::string_view names);
/// The exact fraction num/den (den != 0), reduced.
Expr rational(std::int64_t num, std::int64_t den);
/// The constants pi and e.
Expr pi();
Expr e();

Expr operator+(const Expr& a, const Expr& b);
Expr operator-(const Expr& a, const Expr& b);
Expr operator*(const Expr& a, const Expr& b);
Expr operator/(const Expr& a, const Expr& b);
Expr operator-(const Expr& a);
Expr pow(const Expr& base, const Expr& exponent);

/// A sum or product of any number of operands, in canonical form.
Expr add(std::span<const Expr> terms);
Expr mul(std::span<const Expr> factors);

/// A call of a registry primitive by its name, with its arguments (one, or
/// two for atan2, hypot, min, max, logsumexp, xlogy, xdivy, pow) and its parameter when it
/// has one (softplus's temperature, leaky_relu's slope): either `parameter`
/// or a second, numeric argument (softplus(x, 2)); NaN (the default) means
/// the registry's default. "pow" builds a power node. Throws
/// nabla::DomainError for an unknown name or a wrong number of arguments.
Expr call(std::string_view function, std::span<const Expr> args,
          double parameter = std::numeric_limits<double>::quiet_NaN());
/// The function of that name, if any.
bool find_function(std::string_view name, Function& out);
/// The registry name of a function ("sin").
std::string_view function_name(Function f);
/// Every function name, for suggestions and help texts.
std::span<const std::string_view> function_names();

// The registry's functions on expressions (ADL finds them for Expr), so the
// registry's derivative rules, written once for every scalar type, also give
// symbolic derivatives.
Expr sqrt(const Expr& x);
Expr cbrt(const Expr& x);
Expr exp(const Expr& x);
Expr expm1(const Expr& x);
Expr log(const Expr& x);
Expr log1p(const Expr& x);
Expr log2(const Expr& x);
Expr log10(const Expr& x);
Expr sin(const Expr& x);
Expr cos(const Expr& x);
Expr tan(const Expr& x);
Expr asin(const Expr& x);
Expr acos(const Expr& x);
Expr atan(const Expr& x);
Expr sinh(const Expr& x);
Expr cosh(const Expr& x);
Expr tanh(const Expr& x);
Expr asinh(const Expr& x);
Expr acosh(const Expr& x);
Expr atanh(const Expr& x);
Expr abs(const Expr& x);
Expr sign(const Expr& x);
Expr erf(const Expr& x);
Expr erfc(const Expr& x);
Expr sigmoid(const Expr& x);
Expr relu(const Expr& x);
Expr softplus(const Expr& x, double temperature = 1.0);
Expr leaky_relu(const Expr& x, double alpha = 0.01);
Expr atan2(const Expr& y, const Expr& x);
Expr hypot(const Expr& a, const Expr& b);
Expr min(const Expr& a, const Expr& b);
Expr max(const Expr& a, const Expr& b);
Expr logsumexp(const Expr& a, const Expr& b);
Expr xlogy(const Expr& x, const Expr& y);
Expr xdivy(const Expr& x, const Expr& y);

/// The symbols an expression contains, in alphabetical order.
std::vector<Expr> free_symbols(const Expr& e);
/// The number of distinct nodes of the DAG below e (e included).
std::size_t dag_size(const Expr& e);
/// The number of nodes of e written out as a tree (shared nodes counted at
/// every use), saturating at SIZE_MAX.
std::size_t tree_size(const Expr& e);

/// Values of symbols, by name.
using Bindings = std::map<std::string, double, std::less<>>;

}  // namespace nabla::sym
