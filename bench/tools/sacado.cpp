// Sacado's rows: its reverse mode Rad::ADvar (the function is re-recorded on
// every evaluation, then Gradcomp() sweeps back) and one 16-lane pass of its
// expression-template forward mode ELRFad, with the lanes fixed at compile
// time (SFad) and chosen at run time (DFad). As with every forward tool here,
// all inputs carry the 16 lanes (zeros past the first 16).
#include <Sacado_ELRFad_DFad.hpp>
#include <Sacado_ELRFad_SFad.hpp>
#include <Sacado_trad.hpp>
#include <vector>

#include "../harness.hpp"

namespace nabla_bench {

using Rad = Sacado::Rad::ADvar<double>;
using SFad = Sacado::ELRFad::SFad<double, kLanes>;
using DFad = Sacado::ELRFad::DFad<double>;

template <>
struct Passive<Rad> {
  static double value(const Rad& x) { return x.val(); }
};
template <>
struct Passive<SFad> {
  static double value(const SFad& x) { return x.val(); }
};
template <>
struct Passive<DFad> {
  static double value(const DFad& x) { return x.val(); }
};

void register_sacado(const Problem& p) {
  visit(p.function, [&](auto fn) {
    add_benchmark(p, "sacado_rad", [p, fn](benchmark::State& state) {
      const Eigen::Index n = p.x.size();
      std::vector<Rad> ax(static_cast<std::size_t>(n));
      Eigen::VectorXd g(n);
      auto evaluate = [&] {
        for (Eigen::Index i = 0; i < n; ++i) ax[static_cast<std::size_t>(i)] = p.x[i];
        const Rad y = fn(ax);
        const double value = y.val();
        Rad::Gradcomp();
        for (Eigen::Index i = 0; i < n; ++i) g[i] = ax[static_cast<std::size_t>(i)].adj();
        return value;
      };
      if (!check_value(state, p, evaluate()) || !check_gradient(state, p, g)) return;
      for (auto _ : state) {
        double value = evaluate();
        benchmark::DoNotOptimize(value);
        benchmark::DoNotOptimize(g.data());
      }
    });
    add_forward_pass<std::vector<SFad>>(
        p, "sacado_sfad", fn, [](int i, double x) { return i < kLanes ? SFad(kLanes, i, x) : SFad(x); },
        [](const SFad& y, int k) { return y.dx(k); });
    add_forward_pass<std::vector<DFad>>(
        p, "sacado_dfad", fn,
        [](int i, double x) { return i < kLanes ? DFad(kLanes, i, x) : DFad(kLanes, x); },
        [](const DFad& y, int k) { return y.dx(k); });
  });
}

}  // namespace nabla_bench
