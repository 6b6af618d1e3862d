// nabla::sym as a tool of the symbolic benchmarks: the problems of
// problems.hpp on nabla::sym::Expr, differentiated with sym::diff and
// sym::hessian, evaluated by a small evaluator of this file (memoized per
// node, so independent of nabla's own evaluate and linear in the DAG).
//
// Expressions are hash-consed and a derivative is memoized per node, so
// building the same expression again returns the same nodes and could find
// derivatives already made: every timed call uses symbols with new names,
// hence nodes that did not exist before.
#include <cmath>
#include <functional>
#include <nabla/sym/diff.hpp>
#include <nabla/sym/expr.hpp>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "problems.hpp"

namespace nabla_sym_bench {
namespace {

using nabla::sym::Expr;
using nabla::sym::Kind;

struct NablaOps {
  static Expr rational(long p, long q) { return nabla::sym::rational(p, q); }
  static Expr sum(const std::vector<Expr>& terms) { return nabla::sym::add(terms); }
};

/// The value of e where symbols have the values in `at` (by name).
class Evaluator {
 public:
  explicit Evaluator(std::unordered_map<std::string, double> at) : at_(std::move(at)) {}

  double operator()(const Expr& e) {
    if (auto it = memo_.find(e.node()); it != memo_.end()) return it->second;
    const double v = compute(e);
    memo_.emplace(e.node(), v);
    return v;
  }

 private:
  double compute(const Expr& e) {
    switch (e.kind()) {
      case Kind::Integer:
      case Kind::Rational:
      case Kind::Real:
      case Kind::Constant:
        return e.to_double();
      case Kind::Symbol:
        return at_.at(e.name());
      case Kind::Add: {
        double s = 0.0;
        for (const Expr& a : e.args()) s += (*this)(a);
        return s;
      }
      case Kind::Mul: {
        double p = 1.0;
        for (const Expr& a : e.args()) p *= (*this)(a);
        return p;
      }
      case Kind::Pow:
        return std::pow((*this)(e.args()[0]), (*this)(e.args()[1]));
      case Kind::Call:
        return call(e);
    }
    throw std::logic_error("bench_sym: unknown node kind");
  }

  double call(const Expr& e) {
    const std::string_view f = nabla::sym::function_name(e.function());
    const double x = (*this)(e.args()[0]);
    if (f == "sin") return std::sin(x);
    if (f == "cos") return std::cos(x);
    if (f == "tan") return std::tan(x);
    if (f == "tanh") return std::tanh(x);
    if (f == "sinh") return std::sinh(x);
    if (f == "cosh") return std::cosh(x);
    if (f == "exp") return std::exp(x);
    if (f == "log") return std::log(x);
    if (f == "sqrt") return std::sqrt(x);
    throw std::logic_error("bench_sym: the evaluator has no " + std::string(f));
  }

  std::unordered_map<std::string, double> at_;
  std::unordered_map<const nabla::sym::Node*, double> memo_;
};

/// Distinct nodes below all of es together, and their tree sizes summed.
Sizes sizes_of(const std::vector<Expr>& es) {
  Sizes s;
  std::unordered_set<const nabla::sym::Node*> seen;
  std::vector<Expr> stack(es.begin(), es.end());
  while (!stack.empty()) {
    const Expr e = stack.back();
    stack.pop_back();
    if (!seen.insert(e.node()).second) continue;
    for (const Expr& a : e.args()) stack.push_back(a);
  }
  s.dag = seen.size();
  for (const Expr& e : es) s.tree += nabla::sym::tree_size(e);
  if (es.size() == 1 && s.dag != nabla::sym::dag_size(es[0]))
    throw std::logic_error("bench_sym: the count of distinct nodes differs from sym::dag_size");
  return s;
}

std::vector<Expr> flatten(const nabla::sym::ExprMatrix& m) {
  std::vector<Expr> all;
  for (const auto& row : m) all.insert(all.end(), row.begin(), row.end());
  return all;
}

void evaluate_all(const std::vector<Expr>& es, const std::vector<Expr>& xs,
                  const std::function<double(int)>& point, std::vector<double>& values) {
  std::unordered_map<std::string, double> at;
  for (std::size_t i = 0; i < xs.size(); ++i) at[xs[i].name()] = point(static_cast<int>(i));
  Evaluator value(std::move(at));
  values.clear();
  for (const Expr& e : es) values.push_back(value(e));
}

std::vector<Expr> rosenbrock_symbols(int n, const std::string& tag) {
  return nabla::sym::to_symbols(rosenbrock_names(n, tag));
}

class NablaTool final : public Tool {
 public:
  std::string name() const override { return "nabla::sym"; }

  Seconds nest_d3(int depth, const std::string& tag, std::vector<double>* values) override {
    const Expr x = nabla::sym::symbol("x" + tag);
    const Expr f = nest(x, depth);
    const Stopwatch watch;
    const Expr d3 = nabla::sym::diff(f, x, 3);
    const Seconds t = watch.elapsed();
    if (values) {
      values->clear();
      for (double p : kNestPoints) values->push_back(Evaluator({{x.name(), p}})(d3));
    }
    return t;
  }

  Seconds rosenbrock_hessian(int n, const std::string& tag, std::vector<double>* values) override {
    const auto xs = rosenbrock_symbols(n, tag);
    const Expr f = rosenbrock<NablaOps>(xs);
    const Stopwatch watch;
    const auto h = nabla::sym::hessian(f, xs);
    const Seconds t = watch.elapsed();
    if (values) evaluate_all(flatten(h), xs, rosenbrock_point, *values);
    return t;
  }

  Seconds net_hessian(const std::string& tag, std::vector<double>* values) override {
    const auto ws = nabla::sym::to_symbols(net_weight_names(tag));
    const Expr f = net_loss<NablaOps>(ws);
    const Stopwatch watch;
    const auto h = nabla::sym::hessian(f, ws);
    const Seconds t = watch.elapsed();
    if (values) evaluate_all(flatten(h), ws, net_point, *values);
    return t;
  }

  std::vector<Sizes> nest_sizes(int depth) override {
    const Expr x = nabla::sym::symbol("x");
    const Expr f = nest(x, depth);
    return {sizes_of({f}), sizes_of({nabla::sym::diff(f, x, 1)}), sizes_of({nabla::sym::diff(f, x, 3)})};
  }

  std::vector<Sizes> rosenbrock_gradient_sizes(int n) override {
    const auto xs = rosenbrock_symbols(n, "");
    const Expr f = rosenbrock<NablaOps>(xs);
    return {sizes_of({f}), sizes_of(nabla::sym::gradient(f, xs))};
  }
};

}  // namespace

std::unique_ptr<Tool> make_nabla_tool() { return std::make_unique<NablaTool>(); }

}  // namespace nabla_sym_bench
