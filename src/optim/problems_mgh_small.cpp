// Moré–Garbow–Hillstrom problems 1-5, 7, 13, 14: the small ones without data
// (f = sum of squared residuals f_i, written as in the paper).
#include <cmath>
#include <numbers>

#include "problems_common.hpp"

namespace nabla::optim::problems::detail {

std::vector<Problem> mgh_small() {
  std::vector<Problem> p;
  p.push_back(make_problem(
      "rosenbrock", "Rosenbrock (MGH 1)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const T r1 = 10 * (x[1] - x[0] * x[0]), r2 = 1 - x[0];
        return T(r1 * r1 + r2 * r2);
      },
      vec({-1.2, 1}), 0, vec({1, 1})));
  p.push_back(make_problem("freudenstein_roth", "Freudenstein and Roth (MGH 2)",
                           [](const auto& x) {
                             using T = scalar_of<decltype(x)>;
                             const T r1 = -13 + x[0] + ((5 - x[1]) * x[1] - 2) * x[1];
                             const T r2 = -29 + x[0] + ((x[1] + 1) * x[1] - 14) * x[1];
                             return T(r1 * r1 + r2 * r2);
                           },
                           vec({0.5, -2}), 0, vec({5, 4}), {48.9842}));
  p.push_back(make_problem(
      "powell_badly_scaled", "Powell badly scaled (MGH 3)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const T r1 = 1e4 * x[0] * x[1] - 1, r2 = exp(-x[0]) + exp(-x[1]) - 1.0001;
        return T(r1 * r1 + r2 * r2);
      },
      vec({0, 1}), 0));
  p.push_back(make_problem(
      "brown_badly_scaled", "Brown badly scaled (MGH 4)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const T r1 = x[0] - 1e6, r2 = x[1] - 2e-6, r3 = x[0] * x[1] - 2;
        return T(r1 * r1 + r2 * r2 + r3 * r3);
      },
      vec({1, 1}), 0, vec({1e6, 2e-6})));
  p.push_back(make_problem(
      "beale", "Beale (MGH 5)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const double y[3] = {1.5, 2.25, 2.625};
        T sum = 0, power = 1;
        for (int i = 0; i < 3; ++i) {
          power *= x[1];
          const T r = y[i] - x[0] * (1 - power);
          sum += r * r;
        }
        return sum;
      },
      vec({1, 1}), 0, vec({3, 0.5})));
  p.push_back(make_problem(
      "helical_valley", "Helical valley (MGH 7)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        // theta = atan(x2 / x1) / (2 pi), plus 1/2 when x1 < 0.
        T theta = atan(x[1] / x[0]) / (2 * std::numbers::pi);
        if (x[0] < 0.0) theta += 0.5;
        const T r1 = 10 * (x[2] - 10 * theta), r2 = 10 * (sqrt(x[0] * x[0] + x[1] * x[1]) - 1);
        return T(r1 * r1 + r2 * r2 + x[2] * x[2]);
      },
      vec({-1, 0, 0}), 0, vec({1, 0, 0})));
  p.push_back(make_problem(
      "powell_singular", "Powell singular (MGH 13)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const T r1 = x[0] + 10 * x[1], r2 = std::sqrt(5.0) * (x[2] - x[3]);
        const T d3 = x[1] - 2 * x[2], d4 = x[0] - x[3];
        const T r3 = d3 * d3, r4 = std::sqrt(10.0) * d4 * d4;
        return T(r1 * r1 + r2 * r2 + r3 * r3 + r4 * r4);
      },
      vec({3, -1, 0, 1}), 0, vec({0, 0, 0, 0})));
  p.push_back(make_problem(
      "wood", "Wood (MGH 14)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const T r1 = 10 * (x[1] - x[0] * x[0]), r2 = 1 - x[0];
        const T r3 = std::sqrt(90.0) * (x[3] - x[2] * x[2]), r4 = 1 - x[2];
        const T r5 = std::sqrt(10.0) * (x[1] + x[3] - 2), r6 = (x[1] - x[3]) / std::sqrt(10.0);
        return T(r1 * r1 + r2 * r2 + r3 * r3 + r4 * r4 + r5 * r5 + r6 * r6);
      },
      vec({-3, -1, -3, -1}), 0, vec({1, 1, 1, 1})));
  return p;
}

}  // namespace nabla::optim::problems::detail
