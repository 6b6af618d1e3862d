// Ceres' forward mode: one pass of ceres::Jet<double, 16> (16 lanes fixed at
// compile time; inputs past the first 16 carry zero lanes).
#include <ceres/jet.h>

#include <vector>

#include "../harness.hpp"

namespace nabla_bench {

using Jet = ceres::Jet<double, kLanes>;

template <>
struct Passive<Jet> {
  static double value(const Jet& x) { return x.a; }
};

void register_ceres_jet(const Problem& p) {
  visit(p.function, [&](auto fn) {
    add_forward_pass<std::vector<Jet>>(
        p, "ceres_jet", fn, [](int i, double x) { return i < kLanes ? Jet(x, i) : Jet(x); },
        [](const Jet& y, int k) { return y.v[k]; });
  });
}

}  // namespace nabla_bench
