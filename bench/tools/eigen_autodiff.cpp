// Eigen's forward mode: one pass of Eigen::AutoDiffScalar<VectorXd> with 16
// lanes chosen at run time. Every input carries all 16 lanes (zeros past the
// first 16): AutoDiffScalar's operator/ does not reconcile an empty
// derivative vector (a constant) with a 16-lane one, so inputs left as
// constants give wrong derivatives under NDEBUG (an assertion without it).
#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>
#include <vector>

#include "../harness.hpp"

namespace nabla_bench {

using AutoDiff = Eigen::AutoDiffScalar<Eigen::VectorXd>;

template <>
struct Passive<AutoDiff> {
  static double value(const AutoDiff& x) { return x.value(); }
};

void register_eigen_autodiff(const Problem& p) {
  visit(p.function, [&](auto fn) {
    add_forward_pass<std::vector<AutoDiff>>(
        p, "eigen_autodiff", fn,
        [](int i, double x) {
          return i < kLanes ? AutoDiff(x, kLanes, i) : AutoDiff(x, Eigen::VectorXd::Zero(kLanes));
        },
        [](const AutoDiff& y, int k) { return k < y.derivatives().size() ? y.derivatives()[k] : 0.0; });
  });
}

}  // namespace nabla_bench
