// GiNaC as a tool of the symbolic benchmarks: the problems of problems.hpp on
// GiNaC::ex, differentiated with ex::diff, evaluated by subs + evalf.
//
// GiNaC keeps no table of derivatives (sin and cos are not declared with
// `remember`), but an ex caches its hash and its "evaluated" flag; every
// timed call builds its expression from new GiNaC::symbol objects, which are
// distinct from every earlier symbol, so nothing of an earlier call is reused.
#include <ginac/ginac.h>

#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "problems.hpp"

namespace nabla_sym_bench {
namespace {

struct GinacOps {
  static GiNaC::ex rational(long p, long q) { return GiNaC::numeric(p, q); }
  static GiNaC::ex sum(const std::vector<GiNaC::ex>& terms) {
    return GiNaC::add(GiNaC::exvector(terms.begin(), terms.end()));
  }
};

double value_at(const GiNaC::ex& e, const GiNaC::exmap& point) {
  const GiNaC::ex v = e.subs(point).evalf();
  if (!GiNaC::is_a<GiNaC::numeric>(v)) return std::numeric_limits<double>::quiet_NaN();
  return GiNaC::ex_to<GiNaC::numeric>(v).to_double();
}

std::size_t tree_size(const GiNaC::ex& e) {
  std::size_t n = 1;
  for (std::size_t i = 0; i < e.nops(); ++i) n += tree_size(e.op(i));
  return n;
}

/// Distinct subexpressions (structurally), what hash-consing would keep.
void collect(const GiNaC::ex& e, std::set<GiNaC::ex, GiNaC::ex_is_less>& seen) {
  if (!seen.insert(e).second) return;
  for (std::size_t i = 0; i < e.nops(); ++i) collect(e.op(i), seen);
}

Sizes sizes_of(const std::vector<GiNaC::ex>& es) {
  Sizes s;
  std::set<GiNaC::ex, GiNaC::ex_is_less> seen;
  for (const auto& e : es) {
    collect(e, seen);
    s.tree += tree_size(e);
  }
  s.dag = seen.size();
  return s;
}

std::vector<GiNaC::ex> make_symbols(const std::vector<std::string>& names) {
  std::vector<GiNaC::ex> xs;
  for (const auto& name : names) xs.push_back(GiNaC::symbol(name));
  return xs;
}

/// The full Hessian as a GiNaC user writes it: the gradient, then each
/// entry's derivatives for j >= i, mirrored.
std::vector<GiNaC::ex> hessian(const GiNaC::ex& f, const std::vector<GiNaC::ex>& xs) {
  const std::size_t n = xs.size();
  std::vector<GiNaC::ex> h(n * n);
  for (std::size_t i = 0; i < n; ++i) {
    const GiNaC::ex gi = f.diff(GiNaC::ex_to<GiNaC::symbol>(xs[i]));
    for (std::size_t j = i; j < n; ++j) {
      h[i * n + j] = gi.diff(GiNaC::ex_to<GiNaC::symbol>(xs[j]));
      h[j * n + i] = h[i * n + j];
    }
  }
  return h;
}

void evaluate_all(const std::vector<GiNaC::ex>& es, const std::vector<GiNaC::ex>& xs,
                  const std::function<double(int)>& point, std::vector<double>& values) {
  GiNaC::exmap at;
  for (std::size_t i = 0; i < xs.size(); ++i) at[xs[i]] = GiNaC::numeric(point(static_cast<int>(i)));
  values.clear();
  for (const auto& e : es) values.push_back(value_at(e, at));
}

class GinacTool final : public Tool {
 public:
  std::string name() const override { return "GiNaC " + std::string(GINACLIB_VERSION); }

  Seconds nest_d3(int depth, const std::string& tag, std::vector<double>* values) override {
    const GiNaC::symbol x("x" + tag);
    const GiNaC::ex f = nest(GiNaC::ex(x), depth);
    const Stopwatch watch;
    const GiNaC::ex d3 = f.diff(x, 3);
    const Seconds t = watch.elapsed();
    if (values) {
      values->clear();
      for (double p : kNestPoints) values->push_back(value_at(d3, GiNaC::exmap{{x, GiNaC::numeric(p)}}));
    }
    return t;
  }

  Seconds rosenbrock_hessian(int n, const std::string& tag, std::vector<double>* values) override {
    const auto xs = make_symbols(rosenbrock_names(n, tag));
    const GiNaC::ex f = rosenbrock<GinacOps>(xs);
    const Stopwatch watch;
    const auto h = hessian(f, xs);
    const Seconds t = watch.elapsed();
    if (values) evaluate_all(h, xs, rosenbrock_point, *values);
    return t;
  }

  Seconds net_hessian(const std::string& tag, std::vector<double>* values) override {
    const auto ws = make_symbols(net_weight_names(tag));
    const GiNaC::ex f = net_loss<GinacOps>(ws);
    const Stopwatch watch;
    const auto h = hessian(f, ws);
    const Seconds t = watch.elapsed();
    if (values) evaluate_all(h, ws, net_point, *values);
    return t;
  }

  std::vector<Sizes> nest_sizes(int depth) override {
    const GiNaC::symbol x("x");
    const GiNaC::ex f = nest(GiNaC::ex(x), depth);
    return {sizes_of({f}), sizes_of({f.diff(x, 1)}), sizes_of({f.diff(x, 3)})};
  }

  std::vector<Sizes> rosenbrock_gradient_sizes(int n) override {
    const auto xs = make_symbols(rosenbrock_names(n, ""));
    const GiNaC::ex f = rosenbrock<GinacOps>(xs);
    std::vector<GiNaC::ex> g;
    for (const auto& x : xs) g.push_back(f.diff(GiNaC::ex_to<GiNaC::symbol>(x)));
    return {sizes_of({f}), sizes_of(g)};
  }
};

}  // namespace

std::unique_ptr<Tool> make_ginac_tool() { return std::make_unique<GinacTool>(); }

}  // namespace nabla_sym_bench
