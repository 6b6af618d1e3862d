// simplify: one bottom-up pass over the DAG (each node once) that rebuilds
// every node from its simplified arguments through the canonical
// constructors, then rewrites calls at exact points and a few identities.
#include "nabla/sym/simplify.hpp"

#include <unordered_map>

#include "nabla/core/errors.hpp"
#include "node.hpp"

namespace nabla::sym {

namespace {

/// The exact integer root: r with r^k = v, if there is one.
bool integer_root(std::int64_t v, int k, std::int64_t& r) {
  if (v < 0) {
    if (k % 2 == 0 || !integer_root(-v, k, r)) return false;
    r = -r;
    return true;
  }
  const auto guess = static_cast<std::int64_t>(std::llround(std::pow(static_cast<double>(v), 1.0 / k)));
  for (std::int64_t c = std::max<std::int64_t>(0, guess - 1); c <= guess + 1; ++c) {
    const detail::Num p = detail::power(detail::Num::integer(c), k);
    if (p.exact && p.q.num == v) {
      r = c;
      return true;
    }
  }
  return false;
}

/// log_base(v) for an exact integer v = base^k.
bool integer_log(const Expr& x, std::int64_t base, Expr& out) {
  if (x.kind() != Kind::Integer || x.exact().num < 1) return false;
  std::int64_t v = x.exact().num;
  std::int64_t k = 0;
  while (v % base == 0) {
    v /= base;
    ++k;
  }
  if (v != 1) return false;
  out = Expr(static_cast<long long>(k));
  return true;
}

/// f(x) rewritten, or f(x) itself.
Expr rewrite_unary(const Expr& call) {
  const Expr& x = call.args()[0];
  const bool zero = x.is_zero();
  const bool one = x.is_one();
  const bool is_pi = x == pi();
  Expr out;
  switch (call.function()) {
    case Function::sin:
    case Function::tan:
    case Function::asin:
    case Function::atan:
    case Function::sinh:
    case Function::tanh:
    case Function::asinh:
    case Function::atanh:
    case Function::erf:
    case Function::expm1:
    case Function::log1p:
      if (zero) return Expr(0);
      if (is_pi && call.function() == Function::sin) return Expr(0);
      break;
    case Function::cos:
      if (zero) return Expr(1);
      if (is_pi) return Expr(-1);
      break;
    case Function::cosh:
    case Function::erfc:
    case Function::exp:
      if (zero) return Expr(1);
      if (call.function() == Function::exp && x.kind() == Kind::Call && x.function() == Function::log)
        return x.args()[0];  // e^(log x) = x where log x is defined (x >= 0)
      break;
    case Function::acos:
    case Function::acosh:
      if (one) return Expr(0);
      break;
    case Function::log:  // (log(e) = 1 is the canonical form's, exact_call)
      if (one) return Expr(0);
      break;
    case Function::log2:
      if (integer_log(x, 2, out)) return out;
      break;
    case Function::log10:
      if (integer_log(x, 10, out)) return out;
      break;
    case Function::sigmoid:
      if (zero) return rational(1, 2);
      break;
    case Function::sqrt:
    case Function::cbrt: {
      const int k = call.function() == Function::sqrt ? 2 : 3;
      std::int64_t rn = 0;
      std::int64_t rd = 0;
      if (x.is_exact() && integer_root(x.exact().num, k, rn) && integer_root(x.exact().den, k, rd))
        return rational(rn, rd);
      // sqrt(u^2) = |u|
      if (k == 2 && x.kind() == Kind::Pow && x.args()[1] == Expr(2)) return abs(x.args()[0]);
      break;
    }
    case Function::abs:  // (of an exact number: the canonical form's, as sign's and relu's)
      if (x.kind() == Kind::Call && (x.function() == Function::abs || x.function() == Function::sqrt))
        return x;
      break;
    default:
      break;
  }
  return call;
}

Expr rebuild(const Expr& e, const std::unordered_map<const Node*, Expr>& done) {
  std::vector<Expr> args;
  args.reserve(e.args().size());
  for (const Expr& a : e.args()) args.push_back(done.at(a.node()));
  switch (e.kind()) {
    case Kind::Add:
      return add(args);
    case Kind::Mul: {
      // c*(a + b) = c*a + c*b for an exact c, so that like terms meet:
      // -400*(-a^2 + b) + 800*a^2 is 1200*a^2 - 400*b. (Only here, not in the
      // constructors: there it would make the form depend on association.)
      // A product of numbers that overflows or underflows there (2 *
      // (1e308 x + y)) keeps the product as given: the input had none.
      const Expr m = mul(args);
      if (m.kind() == Kind::Mul && m.args().size() == 2 && m.args()[0].is_exact() &&
          m.args()[1].kind() == Kind::Add) {
        std::vector<Expr> terms;
        try {
          for (const Expr& t : m.args()[1].args()) terms.push_back(m.args()[0] * t);
          return add(terms);
        } catch (const DomainError&) {
          return m;
        }
      }
      return m;
    }
    case Kind::Pow: {
      // sqrt(u)^(2k) = u^k where sqrt(u) is defined (u >= 0)
      const Expr& b = args[0];
      const Expr& x = args[1];
      if (b.kind() == Kind::Call && b.function() == Function::sqrt && x.kind() == Kind::Integer &&
          x.exact().num % 2 == 0)
        return pow(b.args()[0], Expr(static_cast<long long>(x.exact().num / 2)));
      return pow(b, x);
    }
    case Kind::Call: {
      const Expr c = call(function_name(e.function()), args, e.parameter());
      if (c.kind() != Kind::Call) return c;
      // (min and max of exact numbers, or of one argument twice, are the
      // canonical form's: exact_call)
      return c.args().size() == 1 ? rewrite_unary(c) : c;
    }
    default:
      return e;
  }
}

}  // namespace

Expr simplify(const Expr& e) {
  std::unordered_map<const Node*, Expr> done;
  for (const Node* n : detail::topological_order(e)) done.emplace(n, rebuild(Node::handle(n), done));
  return done.at(e.node());
}

}  // namespace nabla::sym
