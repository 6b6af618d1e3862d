// Evaluating expressions at doubles (one pass over the DAG in topological
// order, each node once) and compiling them to a Program through a
// ProgramBuilder, each node one instruction or a few: a sum as a chain of
// additions and subtractions, a product as multiplications and one division
// by its reciprocal factors, an integer power (a negative one too) as PowInt.
#include "nabla/sym/evaluate.hpp"

#include <cmath>
#include <unordered_map>

#include "nabla/core/errors.hpp"
#include "node.hpp"

namespace nabla::sym {

namespace {

template <class Op>
constexpr bool is_binary_op = requires(double a) {
  Op::d_first(a, a, a);
};

double value_of(const Node* n, const std::unordered_map<const Node*, double>& values,
                const Bindings& bindings) {
  const Expr e = Node::handle(n);
  auto v = [&](const Expr& a) { return values.at(a.node()); };
  switch (n->kind) {
    case Kind::Integer:
    case Kind::Rational:
    case Kind::Real:
    case Kind::Constant:
      return e.to_double();
    case Kind::Symbol: {
      auto it = bindings.find(n->name);
      if (it == bindings.end()) throw DomainError("evaluate: no value for the symbol '" + n->name + "'");
      return it->second;
    }
    case Kind::Add: {
      double s = -0.0;  // the neutral element: -0.0 + -0.0 stays -0.0
      for (const Expr& a : n->args) s += v(a);
      return s;
    }
    case Kind::Mul: {  // reciprocals divide: x / y is rounded once
      double p = 1.0;
      for (const Expr& a : n->args)
        if (!detail::is_reciprocal(a)) p *= v(a);
      // one after another: x / y / z as x / (y z) was inf at (1e-300,
      // 1e-200, 1e-200), where it is 1e100 (y z underflows)
      for (const Expr& a : n->args)
        if (detail::is_reciprocal(a)) p /= v(a.args()[0]);
      return p;
    }
    case Kind::Pow: {
      const double base = v(n->args[0]);
      if (const int odd = detail::odd_beyond_doubles(n->args[1])) {
        const double even = core::Pow::value(base, static_cast<double>(n->args[1].exact().num - odd));
        return odd > 0 ? base * even : even / base;
      }
      // u^(1/2) is sqrt(u), as compile() and the C output have it: pow gives
      // +inf at -inf (log(0)^(1/2)), where sqrt gives NaN
      const Expr& exponent = n->args[1];
      if (exponent.kind() == Kind::Rational && exponent.exact().num == 1 && exponent.exact().den == 2)
        return core::Sqrt::value(base, 0.0);
      return core::Pow::value(base, v(n->args[1]));
    }
    case Kind::Call:
      return detail::visit_function(n->function, [&]<class Op>() {
        if constexpr (is_binary_op<Op>)
          return Op::value(v(n->args[0]), v(n->args[1]));
        else
          return Op::value(v(n->args[0]), n->real);
      });
  }
  return core::nan;
}

Opcode opcode_of_function(Function f) {
  switch (f) {
#define NABLA_SYM_OPCODE(fn, Op) \
  case Function::fn:             \
    return Opcode::Op;
    NABLA_UNARY_FUNCTIONS(NABLA_SYM_OPCODE)
    NABLA_BINARY_FUNCTIONS(NABLA_SYM_OPCODE)
#undef NABLA_SYM_OPCODE
    case Function::softplus:
      return Opcode::Softplus;
    case Function::leaky_relu:
      return Opcode::LeakyRelu;
  }
  return Opcode::Sin;
}

/// Emits the nodes of a DAG into a ProgramBuilder, each once.
class Emitter {
 public:
  using Slot = ProgramBuilder::Slot;

  explicit Emitter(const std::vector<Expr>& vars) {
    for (const Expr& v : vars) {
      if (v.kind() != Kind::Symbol) throw DomainError("compile: the variables must be symbols");
      slots_.emplace(v.node(), builder_.input());
    }
  }

  /// The slot of e; its arguments are emitted first if they are not yet.
  Slot emit(const Expr& e) {
    if (auto it = slots_.find(e.node()); it != slots_.end()) return it->second;
    for (const Node* n : detail::topological_order(e))
      if (!slots_.contains(n)) slots_.emplace(n, local(Node::handle(n)));
    return slots_.at(e.node());
  }

  Program build(const std::vector<Expr>& outputs) && {
    for (const Expr& e : outputs) builder_.output(emit(e));
    return std::move(builder_).build();
  }

 private:
  Slot local(const Expr& e) {
    const auto args = e.args();
    switch (e.kind()) {
      case Kind::Integer:
      case Kind::Rational:
      case Kind::Real:
      case Kind::Constant:
        return builder_.constant(e.to_double());
      case Kind::Symbol:
        throw DomainError("compile: the symbol '" + e.name() + "' is not among the variables");
      case Kind::Add: {
        // Terms with a negative exact coefficient are subtracted (x1 - x0^2,
        // not x1 + neg(x0^2)), starting from a positive term when there is one.
        auto negative = [](const Expr& t) {
          return t.kind() == Kind::Mul && t.args().front().is_exact() && t.args().front().to_double() < 0;
        };
        std::size_t start = 0;
        while (start + 1 < args.size() && negative(args[start])) ++start;
        Slot acc = emit(args[start]);
        for (std::size_t i = 0; i < args.size(); ++i) {
          if (i == start) continue;
          const Expr& t = args[i];
          acc = negative(t) ? builder_.binary<core::Sub>(acc, emit(-t))
                            : builder_.binary<core::Add>(acc, emit(t));
        }
        return acc;
      }
      case Kind::Mul:
        return product(e);
      case Kind::Pow: {
        const Expr& x = args[1];
        if (x.kind() == Kind::Integer && std::abs(x.exact().num) < (1 << 30))
          return builder_.unary<core::PowInt>(emit(args[0]), static_cast<double>(x.exact().num));
        if (x.kind() == Kind::Rational && x.exact().num == 1 && x.exact().den == 2)
          return builder_.unary<core::Sqrt>(emit(args[0]));
        if (const int odd = detail::odd_beyond_doubles(x)) {  // x^n = x x^(n - 1), or x^(n + 1) / x
          const Slot base = emit(args[0]);
          const Slot even =
              builder_.binary<core::Pow>(base, emit(Expr(static_cast<double>(x.exact().num - odd))));
          return odd > 0 ? builder_.binary<core::Mul>(base, even) : builder_.binary<core::Div>(even, base);
        }
        return builder_.binary<core::Pow>(emit(args[0]), emit(x));
      }
      case Kind::Call: {
        const Opcode op = opcode_of_function(e.function());
        if (args.size() == 2) return builder_.binary(op, emit(args[0]), emit(args[1]));
        return builder_.unary(op, emit(args[0]), e.parameter());
      }
    }
    throw DomainError("compile: unknown node");
  }

  /// c * f * g / h / k * m^-n: a reciprocal factor (h^-1) divides, so a
  /// quotient such as x / y is rounded once, as evaluate() does, and the
  /// divisions come one after another, never by a product of divisors that
  /// may overflow or underflow where the quotient does not; a higher
  /// negative power is a PowInt factor, never a division by m^n: at the pole
  /// m = 0 that division's derivative is -(num)/0^2 times (m^n)' = 0, NaN,
  /// where that of m^-n is -n m^(-n-1), the infinity symbolic diff and AD give.
  Slot product(const Expr& e) {
    std::span<const Expr> factors = e.kind() == Kind::Mul ? e.args() : std::span<const Expr>(&e, 1);
    double c = 1.0;
    if (factors.front().is_number()) {
      c = factors.front().to_double();
      factors = factors.subspan(1);
    }
    bool have_num = false;
    Slot num{};
    for (const Expr& f : factors) {
      if (detail::is_reciprocal(f)) continue;
      const Slot s = emit(f);  // m^-n: a PowInt (case Kind::Pow)
      num = have_num ? builder_.binary<core::Mul>(num, s) : s;
      have_num = true;
    }
    if (!have_num) {
      num = builder_.constant(c);
    } else if (c == -1.0) {
      num = builder_.unary<core::Neg>(num, 0.0);
    } else if (c != 1.0) {
      num = builder_.binary<core::Mul>(builder_.constant(c), num);
    }
    for (const Expr& f : factors)
      if (detail::is_reciprocal(f)) num = builder_.binary<core::Div>(num, emit(f.args()[0]));
    return num;
  }

  ProgramBuilder builder_;
  std::unordered_map<const Node*, Slot> slots_;
};

}  // namespace

std::vector<double> evaluate(const std::vector<Expr>& es, const Bindings& bindings) {
  std::unordered_map<const Node*, double> values;
  for (const Node* n : detail::topological_order(es)) values.emplace(n, value_of(n, values, bindings));
  std::vector<double> out;
  out.reserve(es.size());
  for (const Expr& e : es) out.push_back(values.at(e.node()));
  return out;
}

double evaluate(const Expr& e, const Bindings& bindings) {
  return evaluate(std::vector<Expr>{e}, bindings)[0];
}

Program compile(const std::vector<Expr>& es, const std::vector<Expr>& vars) {
  return Emitter(vars).build(es);
}
Program compile(const std::vector<Expr>& es, const std::vector<std::string>& vars) {
  std::vector<Expr> symbols;
  symbols.reserve(vars.size());
  for (const std::string& v : vars) symbols.push_back(symbol(v));
  return compile(es, symbols);
}
Program compile(const std::vector<Expr>& es, std::initializer_list<std::string_view> vars) {
  std::vector<Expr> symbols;
  for (std::string_view v : vars) symbols.push_back(symbol(v));
  return compile(es, symbols);
}
Program compile(const Expr& e, std::initializer_list<std::string_view> vars) {
  return compile(std::vector<Expr>{e}, vars);
}
Program compile(const Expr& e, const std::vector<Expr>& vars) { return compile(std::vector<Expr>{e}, vars); }
Program compile(const Expr& e, const std::vector<std::string>& vars) {
  return compile(std::vector<Expr>{e}, vars);
}

}  // namespace nabla::sym
