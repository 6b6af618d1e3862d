// Symbolic derivatives: the local partials of every node kind (the registry's
// rules on Expr, with the symbolic spellings of diff.hpp), forward
// differentiation memoized per node, and gradients by reverse accumulation.
#include "nabla/sym/diff.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "nabla/core/errors.hpp"
#include "node.hpp"

namespace nabla::sym {

namespace {

template <class Op>
constexpr bool is_binary_op = requires(double a) {
  Op::d_first(a, a, a);
};

/// Primitives whose registry rule is a branch on the value (or whose numeric
/// constants print badly): spelt symbolically below.
template <class Op>
constexpr bool spelt_here =
    std::is_same_v<Op, core::Abs> || std::is_same_v<Op, core::Relu> || std::is_same_v<Op, core::LeakyRelu> ||
    std::is_same_v<Op, core::Softplus> || std::is_same_v<Op, core::Erf> || std::is_same_v<Op, core::Erfc> ||
    std::is_same_v<Op, core::Log2> || std::is_same_v<Op, core::Log10> || std::is_same_v<Op, core::Min> ||
    std::is_same_v<Op, core::Max> || std::is_same_v<Op, core::LogSumExp> || std::is_same_v<Op, core::Pow> ||
    std::is_same_v<Op, core::XLogY> || std::is_same_v<Op, core::XDivY>;

/// 1 where x > 0, 0 elsewhere (0 at 0): (sign(x) + sign(x)^2)/2.
Expr step(const Expr& x) {
  const Expr s = sign(x);
  return (s + pow(s, Expr(2))) / Expr(2);
}

/// 1 where a > b, 0 where a < b, 1/2 at a tie: (1 + sign(a - b))/2.
Expr tie_step(const Expr& a, const Expr& b) { return (Expr(1) + sign(a - b)) / Expr(2); }

/// dy/dx for y = f(x; p), a unary Call.
Expr unary_partial(Function f, const Expr& x, const Expr& y, double p) {
  detail::ExactLiterals exact;
  switch (f) {
    case Function::abs:
      return sign(x);  // abs'(x) = sign(x)
    case Function::relu:
      return step(x);
    case Function::leaky_relu:  // a + (1 - a) step(x)
      return Expr(p) + (Expr(1) - Expr(p)) * step(x);
    case Function::softplus:  // sigmoid(x / t)
      return sigmoid(x / Expr(p));
    case Function::erf:  // 2 e^{-x^2} / sqrt(pi)
      return Expr(2) * exp(-pow(x, Expr(2))) / sqrt(pi());
    case Function::erfc:  // -2 e^{-x^2} / sqrt(pi)
      return Expr(-2) * exp(-pow(x, Expr(2))) / sqrt(pi());
    case Function::log2:  // 1 / (x log 2)
      return Expr(1) / (x * log(Expr(2)));
    case Function::log10:  // 1 / (x log 10)
      return Expr(1) / (x * log(Expr(10)));
    default:
      break;
  }
  return detail::visit_function(f, [&]<class Op>() -> Expr {
    if constexpr (is_binary_op<Op> || spelt_here<Op>)
      throw DomainError("unary_partial: not a unary primitive");
    else
      return Op::derivative(x, y, p);
  });
}

/// dy/da and dy/db for y = f(a, b), a binary Call.
std::array<Expr, 2> binary_partials(Function f, const Expr& a, const Expr& b, const Expr& y) {
  detail::ExactLiterals exact;
  switch (f) {
    case Function::min:
      return {tie_step(b, a), tie_step(a, b)};
    case Function::max:
      return {tie_step(a, b), tie_step(b, a)};
    case Function::logsumexp:  // softmax weights
      return {sigmoid(a - b), sigmoid(b - a)};
    case Function::xlogy:  // log(b), b/a; 0 where a = 0 (see chain_term)
      return {log(b), xdivy(a, b)};
    case Function::xdivy:  // 1/b, -a/b^2; 0 where a = 0
      return {Expr(1) / b, -xdivy(a, pow(b, Expr(2)))};
    default:
      break;
  }
  return detail::visit_function(f, [&]<class Op>() -> std::array<Expr, 2> {
    if constexpr (!is_binary_op<Op> || spelt_here<Op>)
      throw DomainError("binary_partials: not a binary primitive");
    else
      return {Op::d_first(a, b, y), Op::d_second(a, b, y)};
  });
}

/// The chain rule's term of argument k of a binary Call f(a, b): its partial
/// p times d, the argument's derivative (or, in reverse, the Call's adjoint).
/// Along the first argument of xlogy(a, b) that is xlogy(d, b), d log(b)
/// with 0 where d is, also at b = 0: so the derivatives of xlogy(x^y, x)
/// along y (x^y log(x)^n) keep the limit 0 at x = 0. Likewise xdivy(d, b)
/// along the first argument of xdivy(a, b) (d / b where d is a number, the
/// same value): the derivatives of atan2 keep their 0 at the origin.
Expr chain_term(Function f, std::size_t k, const Expr& p, const Expr& b, const Expr& d) {
  if (f == Function::xlogy && k == 0) return xlogy(d, b);
  if (f == Function::xdivy && k == 0 && !d.is_number()) return xdivy(d, b);
  return p * d;
}

/// Whether e is the number 0, exact or not (0.0, -0.0).
bool zero_number(const Expr& e) { return e.is_number() && e.to_double() == 0; }

/// d/de b^e for the power self = b^e: b^e log(b), as xlogy(b^e, b) (0 where
/// b^e is: the registry's limit 0 at b = 0, e > 0), or as the product for a
/// number or constant b, whose log is a number: 2^x*log(2).
Expr exponent_partial(const Expr& self, const Expr& b) {
  if (b.is_number() || b.kind() == Kind::Constant) return self * log(b);
  return xlogy(self, b);
}

/// Forward differentiation with respect to one symbol, memoized per node;
/// one Differentiator may serve many roots (the rows of a Hessian).
class Differentiator {
 public:
  explicit Differentiator(const Expr& x) : x_(x.node()) {
    if (x.kind() != Kind::Symbol) throw DomainError("diff: can only differentiate with respect to a symbol");
  }

  Expr operator()(const Expr& e) {
    if (auto it = memo_.find(e.node()); it != memo_.end()) return it->second;
    for (const Node* n : detail::topological_order(e))
      if (!memo_.contains(n)) memo_.emplace(n, local(n));
    return memo_.at(e.node());
  }

 private:
  const Expr& d(const Expr& child) const { return memo_.at(child.node()); }

  /// The term of xdivy(a, b)'s second argument b = u^m, m a number:
  /// -m xdivy(a u', u^(m + 1)), the u^(m - 1) of b' = m u^(m - 1) u'
  /// cancelled against the partial -xdivy(a, b^2). Left as the partial times
  /// b', the nth derivative of atan2(y, x) had (x^2 + y^2)^(2^n): at order 12
  /// it overflowed to inf and the value was NaN. Still 0 where a = 0.
  Expr xdivy_power_term(const Expr& a, const Expr& b) const {
    const Expr& u = b.args()[0];
    const Expr& m = b.args()[1];
    return -m * xdivy(a * d(u), pow(u, m + Expr(1)));
  }

  Expr local(const Node* n) const {
    const Expr self = Node::handle(n);
    const auto args = self.args();
    switch (n->kind) {
      case Kind::Symbol:
        return Expr(n == x_ ? 1 : 0);
      case Kind::Add: {
        std::vector<Expr> terms;
        for (const Expr& a : args)
          if (!d(a).is_zero()) terms.push_back(d(a));
        return add(terms);
      }
      case Kind::Mul: {  // (f g h)' = f' g h + f g' h + f g h'
        std::vector<Expr> terms;
        for (std::size_t i = 0; i < args.size(); ++i) {
          if (d(args[i]).is_zero()) continue;
          std::vector<Expr> factors(args.begin(), args.end());
          factors[i] = d(args[i]);
          terms.push_back(mul(factors));
        }
        return add(terms);
      }
      case Kind::Pow: {  // (b^e)' = e b^(e-1) b' + b^e log(b) e'
        const Expr& b = args[0];
        const Expr& e = args[1];
        std::vector<Expr> terms;
        if (!d(b).is_zero()) terms.push_back(mul(std::array<Expr, 3>{e, pow(b, e - Expr(1)), d(b)}));
        // 0^e is 0 for every e > 0: its derivative there is 0 (the kink
        // the registry documents), not 0^e log(0) = 0 * -inf
        if (!d(e).is_zero() && !zero_number(b)) terms.push_back(exponent_partial(self, b) * d(e));
        return add(terms);
      }
      case Kind::Call: {
        if (args.size() == 1) {
          if (d(args[0]).is_zero()) return Expr(0);
          return unary_partial(n->function, args[0], self, n->real) * d(args[0]);
        }
        if (d(args[0]).is_zero() && d(args[1]).is_zero()) return Expr(0);
        const auto p = binary_partials(n->function, args[0], args[1], self);
        std::vector<Expr> terms;
        for (std::size_t k = 0; k < 2; ++k) {
          if (d(args[k]).is_zero()) continue;
          if (n->function == Function::xdivy && k == 1 && args[1].kind() == Kind::Pow &&
              args[1].args()[1].is_number())
            terms.push_back(xdivy_power_term(args[0], args[1]));
          else
            terms.push_back(chain_term(n->function, k, p[k], args[1], d(args[k])));
        }
        return add(terms);
      }
      default:
        return Expr(0);
    }
  }

  const Node* x_;
  std::unordered_map<const Node*, Expr> memo_;
};

}  // namespace

Expr diff(const Expr& e, const Expr& x, int n, std::size_t most_nodes) {
  if (n < 0) throw DomainError("diff: the order must be >= 0, got " + std::to_string(n));
  // A derivative that comes back does so within a few orders (0 at once,
  // exp's after one, sin's after four): the first kRemembered orders are
  // kept to find it, later ones are not.
  constexpr int kRemembered = 64;
  std::size_t all_orders = 0;   // distinct nodes, summed over the orders so far
  std::vector<Expr> orders{e};  // orders[k]: the k-th derivative, k < kRemembered
  std::unordered_map<const Node*, int> order_of{{e.node(), 0}};
  Expr current = e;
  for (int k = 1; k <= n; ++k) {
    current = Differentiator(x)(current);
    if (k < kRemembered) {
      if (const auto again = order_of.find(current.node()); again != order_of.end()) {
        // the k-th derivative is the j-th: orders j, j + 1, ..., k - 1 repeat
        const int j = again->second, period = k - j;
        return orders[static_cast<std::size_t>(j + (n - k) % period)];
      }
      order_of.emplace(current.node(), k);
      orders.push_back(current);
    }
    if (most_nodes == SIZE_MAX) continue;
    const std::size_t size = dag_size(current);
    if (size > most_nodes)
      throw DomainError("diff: the derivative of order " + std::to_string(k) + " has " +
                        std::to_string(size) + " distinct subexpressions, more than " +
                        std::to_string(most_nodes) + "; order " + std::to_string(n) +
                        " would take too long and too much memory");
    // every order's nodes stay interned: their sum is the memory taken
    all_orders += size;
    if (all_orders > kAllOrdersFactor * most_nodes)
      throw DomainError("diff: orders 1 to " + std::to_string(k) + " have " + std::to_string(all_orders) +
                        " distinct subexpressions in all, more than " +
                        std::to_string(kAllOrdersFactor * most_nodes) + "; order " + std::to_string(n) +
                        " would take too long and too much memory");
  }
  return current;
}

Expr diff(const Expr& e, const Expr& x, int n) { return diff(e, x, n, SIZE_MAX); }

Expr diff(const Expr& e, std::string_view x, int n) { return diff(e, symbol(x), n); }

Expr diff(const Expr& e, const std::vector<Expr>& xs) {
  Expr result = e;
  for (const Expr& x : xs) result = diff(result, x);
  return result;
}

Expr diff(const Expr& e, std::initializer_list<std::string_view> xs) {
  Expr result = e;
  for (std::string_view x : xs) result = diff(result, symbol(x));
  return result;
}

std::vector<Expr> to_symbols(const std::vector<std::string>& names) {
  std::vector<Expr> out;
  out.reserve(names.size());
  for (const std::string& name : names) out.push_back(symbol(name));
  return out;
}

std::vector<Expr> to_symbols(std::initializer_list<std::string_view> names) {
  std::vector<Expr> out;
  out.reserve(names.size());
  for (std::string_view name : names) out.push_back(symbol(name));
  return out;
}

std::vector<Expr> gradient(const Expr& e, std::initializer_list<std::string_view> vars) {
  return gradient(e, to_symbols(vars));
}
ExprMatrix jacobian(const std::vector<Expr>& es, std::initializer_list<std::string_view> vars) {
  return jacobian(es, to_symbols(vars));
}
ExprMatrix hessian(const Expr& e, std::initializer_list<std::string_view> vars) {
  return hessian(e, to_symbols(vars));
}

std::vector<Expr> gradient(const Expr& f, const std::vector<Expr>& vars) {
  for (const Expr& v : vars)
    if (v.kind() != Kind::Symbol)
      throw DomainError("gradient: can only differentiate with respect to symbols");
  const std::vector<const Node*> order = detail::topological_order(f);
  std::unordered_map<const Node*, std::size_t> position;
  position.reserve(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) position.emplace(order[i], i);
  // which nodes depend on a variable; the rest have zero adjoint contributions
  std::vector<char> active(order.size(), 0);
  for (const Expr& v : vars)
    if (auto it = position.find(v.node()); it != position.end()) active[it->second] = 1;
  for (std::size_t i = 0; i < order.size(); ++i)
    for (const Expr& a : order[i]->args)
      if (active[position.at(a.node())] != 0) active[i] = 1;

  std::vector<std::vector<Expr>> contributions(order.size());
  contributions.back().push_back(Expr(1));
  auto send = [&](const Expr& child, const Expr& adjoint) {
    const std::size_t j = position.at(child.node());
    if (active[j] && !adjoint.is_zero()) contributions[j].push_back(adjoint);
  };
  std::vector<Expr> adjoint_of(order.size());
  for (std::size_t i = order.size(); i-- > 0;) {
    if (!active[i] || contributions[i].empty()) continue;
    const Expr adj = contributions[i].size() == 1 ? contributions[i][0] : add(contributions[i]);
    contributions[i] = {};
    adjoint_of[i] = adj;
    const Expr self = Node::handle(order[i]);
    const auto args = self.args();
    switch (self.kind()) {
      case Kind::Add:  // d(sum)/d(term) = 1
        for (const Expr& a : args) send(a, adj);
        break;
      case Kind::Mul:  // d(f g h)/d g = f h
        for (std::size_t k = 0; k < args.size(); ++k) {
          if (!active[position.at(args[k].node())]) continue;
          std::vector<Expr> factors{adj};
          for (std::size_t m = 0; m < args.size(); ++m)
            if (m != k) factors.push_back(args[m]);
          send(args[k], mul(factors));
        }
        break;
      case Kind::Pow: {  // d(b^e)/db = e b^(e-1), d(b^e)/de = b^e log(b)
        const Expr& b = args[0];
        const Expr& e = args[1];
        if (active[position.at(b.node())]) send(b, mul(std::array<Expr, 3>{adj, e, pow(b, e - Expr(1))}));
        if (active[position.at(e.node())] && !zero_number(b))  // d/de 0^e = 0, as above
          send(e, adj * exponent_partial(self, b));
        break;
      }
      case Kind::Call:
        if (args.size() == 1) {
          send(args[0], adj * unary_partial(self.function(), args[0], self, self.parameter()));
        } else {
          const auto p = binary_partials(self.function(), args[0], args[1], self);
          for (std::size_t k = 0; k < 2; ++k)
            if (active[position.at(args[k].node())])
              send(args[k], chain_term(self.function(), k, p[k], args[1], adj));
        }
        break;
      default:
        break;
    }
  }
  std::vector<Expr> grad;
  grad.reserve(vars.size());
  for (const Expr& v : vars) {
    auto it = position.find(v.node());
    grad.push_back(it == position.end() ? Expr(0) : adjoint_of[it->second]);
  }
  return grad;
}

std::vector<Expr> gradient(const Expr& e, const std::vector<std::string>& vars) {
  return gradient(e, to_symbols(vars));
}

ExprMatrix jacobian(const std::vector<Expr>& es, const std::vector<Expr>& vars) {
  ExprMatrix jac;
  jac.reserve(es.size());
  for (const Expr& e : es) jac.push_back(gradient(e, vars));
  return jac;
}

ExprMatrix jacobian(const std::vector<Expr>& es, const std::vector<std::string>& vars) {
  return jacobian(es, to_symbols(vars));
}

ExprMatrix hessian(const Expr& e, const std::vector<Expr>& vars) {
  const std::vector<Expr> g = gradient(e, vars);
  const std::size_t n = vars.size();
  // the variables each gradient component contains: a structural zero costs nothing
  std::vector<std::unordered_set<const Node*>> contains(n);
  for (std::size_t i = 0; i < n; ++i)
    for (const Node* m : detail::topological_order(g[i]))
      if (m->kind == Kind::Symbol) contains[i].insert(m);
  ExprMatrix h(n, std::vector<Expr>(n));
  for (std::size_t j = 0; j < n; ++j) {
    Differentiator d(vars[j]);  // one memo per column, shared by its rows
    for (std::size_t i = j; i < n; ++i)
      if (contains[i].contains(vars[j].node())) h[i][j] = h[j][i] = d(g[i]);
  }
  return h;
}

ExprMatrix hessian(const Expr& e, const std::vector<std::string>& vars) {
  return hessian(e, to_symbols(vars));
}

}  // namespace nabla::sym
