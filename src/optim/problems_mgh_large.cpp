// Moré–Garbow–Hillstrom problems 21-35: the variable-dimension ones, at the
// sizes for which the paper reports f* (n = 4 for the penalty functions, 8
// for Chebyquad, 10 otherwise; m = 20 for the three linear functions, whose
// f* the paper gives for any m >= n: the defaults n = 10, m = 20 of
// NLSProblems.jl's mgh32-34).
#include <cmath>

#include "problems_common.hpp"

namespace nabla::optim::problems::detail {
namespace {

/// m, the number of residuals, of the three linear functions (32-34).
constexpr Eigen::Index kLinearM = 20;

Eigen::VectorXd repeated(std::initializer_list<double> block, int times) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(block.size()) * times);
  Eigen::Index i = 0;
  for (int k = 0; k < times; ++k)
    for (double value : block) v[i++] = value;
  return v;
}

/// The start of the discrete boundary value and integral equation functions:
/// t_j (t_j - 1) at t_j = j / (n + 1).
Eigen::VectorXd grid_start(Eigen::Index n) {
  const Eigen::VectorXd t = Eigen::VectorXd::LinSpaced(n, 1, double(n)) / double(n + 1);
  return t.array() * (t.array() - 1);
}

/// The point of the hyperplane a.x = c nearest to x0: one of the minimizers
/// of the linear functions of rank 1, whose minimizers fill such a plane.
Eigen::VectorXd nearest_on_plane(const Eigen::VectorXd& a, double c, const Eigen::VectorXd& x0) {
  return x0 - (a.dot(x0) - c) / a.squaredNorm() * a;
}

void add_first(std::vector<Problem>& p) {
  p.push_back(make_problem(
      "extended_rosenbrock", "Extended Rosenbrock (MGH 21, n = 10)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T sum = 0;
        for (Eigen::Index i = 0; i + 1 < x.size(); i += 2) {
          const T r1 = 10 * (x[i + 1] - x[i] * x[i]), r2 = 1 - x[i];
          sum += r1 * r1 + r2 * r2;
        }
        return sum;
      },
      repeated({-1.2, 1}, 5), 0, Eigen::VectorXd::Ones(10)));
  p.push_back(make_problem(
      "extended_powell_singular", "Extended Powell singular (MGH 22, n = 8)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T sum = 0;
        for (Eigen::Index i = 0; i + 3 < x.size(); i += 4) {
          const T r1 = x[i] + 10 * x[i + 1], r2 = std::sqrt(5.0) * (x[i + 2] - x[i + 3]);
          const T d3 = x[i + 1] - 2 * x[i + 2], d4 = x[i] - x[i + 3];
          const T r3 = d3 * d3, r4 = std::sqrt(10.0) * d4 * d4;
          sum += r1 * r1 + r2 * r2 + r3 * r3 + r4 * r4;
        }
        return sum;
      },
      repeated({3, -1, 0, 1}, 2), 0, Eigen::VectorXd::Zero(8)));
  p.push_back(make_problem(
      "penalty1", "Penalty I (MGH 23, n = 4)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T sum = 0, squares = 0;
        for (Eigen::Index i = 0; i < x.size(); ++i) {
          const T r = std::sqrt(1e-5) * (x[i] - 1);
          sum += r * r;
          squares += x[i] * x[i];
        }
        const T last = squares - 0.25;
        return T(sum + last * last);
      },
      Eigen::VectorXd::LinSpaced(4, 1, 4), 2.24997e-5));
  p.push_back(make_problem(
      "penalty2", "Penalty II (MGH 24, n = 4)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const Eigen::Index n = x.size();
        const double a = std::sqrt(1e-5);
        const T r1 = x[0] - 0.2;
        T sum = r1 * r1, weighted = 0;
        for (Eigen::Index i = 1; i < n; ++i) {  // i is the paper's i - 1
          const auto at = static_cast<double>(i);
          const double y = std::exp((at + 1) / 10.0) + std::exp(at / 10.0);
          const T r = a * (exp(x[i] / 10) + exp(x[i - 1] / 10) - y);
          sum += r * r;
        }
        for (Eigen::Index i = 1; i < n; ++i) {
          const T r = a * (exp(x[i] / 10) - std::exp(-0.1));
          sum += r * r;
        }
        for (Eigen::Index j = 0; j < n; ++j) weighted += double(n - j) * x[j] * x[j];
        const T last = weighted - 1;
        return T(sum + last * last);
      },
      Eigen::VectorXd::Constant(4, 0.5), 9.37629e-6));
  p.push_back(make_problem(
      "variably_dimensioned", "Variably dimensioned (MGH 25, n = 10)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T sum = 0, weighted = 0;
        for (Eigen::Index j = 0; j < x.size(); ++j) {
          const T r = x[j] - 1;
          sum += r * r;
          weighted += double(j + 1) * r;
        }
        const T w2 = weighted * weighted;
        return T(sum + w2 + w2 * w2);
      },
      1 - Eigen::VectorXd::LinSpaced(10, 1, 10).array() / 10, 0, Eigen::VectorXd::Ones(10)));
  p.push_back(make_problem("trigonometric", "Trigonometric (MGH 26, n = 10)",
                           [](const auto& x) {
                             using T = scalar_of<decltype(x)>;
                             const Eigen::Index n = x.size();
                             T cosines = 0, sum = 0;
                             for (Eigen::Index j = 0; j < n; ++j) cosines += cos(x[j]);
                             for (Eigen::Index i = 0; i < n; ++i) {
                               const T r = double(n) - cosines + double(i + 1) * (1 - cos(x[i])) - sin(x[i]);
                               sum += r * r;
                             }
                             return sum;
                           },
                           Eigen::VectorXd::Constant(10, 0.1), 0, {}, {2.79506e-5}));
}

void add_second(std::vector<Problem>& p) {
  p.push_back(make_problem("brown_almost_linear", "Brown almost-linear (MGH 27, n = 10)",
                           [](const auto& x) {
                             using T = scalar_of<decltype(x)>;
                             const Eigen::Index n = x.size();
                             T total = 0, product = 1, sum = 0;
                             for (Eigen::Index j = 0; j < n; ++j) total += x[j], product *= x[j];
                             for (Eigen::Index i = 0; i + 1 < n; ++i) {
                               const T r = x[i] + total - double(n + 1);
                               sum += r * r;
                             }
                             const T last = product - 1;
                             return T(sum + last * last);
                           },
                           Eigen::VectorXd::Constant(10, 0.5), 0, Eigen::VectorXd::Ones(10), {1.0}));
  p.push_back(make_problem(
      "discrete_boundary_value", "Discrete boundary value (MGH 28, n = 10)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const Eigen::Index n = x.size();
        const double h = 1.0 / double(n + 1);
        T sum = 0;
        for (Eigen::Index i = 0; i < n; ++i) {
          const double t = double(i + 1) * h;
          const T left = i > 0 ? T(x[i - 1]) : T(0), right = i + 1 < n ? T(x[i + 1]) : T(0);
          const T c = x[i] + t + 1;
          const T r = 2 * x[i] - left - right + h * h * c * c * c / 2;
          sum += r * r;
        }
        return sum;
      },
      grid_start(10), 0));
  p.push_back(make_problem(
      "discrete_integral_equation", "Discrete integral equation (MGH 29, n = 10)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const Eigen::Index n = x.size();
        const double h = 1.0 / double(n + 1);
        // f_i = x_i + h/2 [(1 - t_i) sum_{j <= i} t_j c_j + t_i sum_{j > i} (1 - t_j) c_j],
        // c_j = (x_j + t_j + 1)^3: the second sum by a backward pass, the first as i runs.
        std::vector<T> cubes(static_cast<std::size_t>(n)), after(static_cast<std::size_t>(n) + 1, T(0));
        for (Eigen::Index j = 0; j < n; ++j) {
          const T c = x[j] + double(j + 1) * h + 1;
          cubes[static_cast<std::size_t>(j)] = c * c * c;
        }
        for (Eigen::Index j = n - 1; j >= 0; --j) {
          const auto k = static_cast<std::size_t>(j);
          after[k] = after[k + 1] + (1 - double(j + 1) * h) * cubes[k];
        }
        T upto = 0, sum = 0;
        for (Eigen::Index i = 0; i < n; ++i) {
          const auto k = static_cast<std::size_t>(i);
          const double t = double(i + 1) * h;
          upto += t * cubes[k];
          const T r = x[i] + h * ((1 - t) * upto + t * after[k + 1]) / 2;
          sum += r * r;
        }
        return sum;
      },
      grid_start(10), 0));
  p.push_back(make_problem(
      "broyden_tridiagonal", "Broyden tridiagonal (MGH 30, n = 10)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const Eigen::Index n = x.size();
        T sum = 0;
        for (Eigen::Index i = 0; i < n; ++i) {
          const T left = i > 0 ? T(x[i - 1]) : T(0), right = i + 1 < n ? T(x[i + 1]) : T(0);
          const T r = (3 - 2 * x[i]) * x[i] - left - 2 * right + 1;
          sum += r * r;
        }
        return sum;
      },
      Eigen::VectorXd::Constant(10, -1), 0));
  p.push_back(make_problem(
      "broyden_banded", "Broyden banded (MGH 31, n = 10)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const Eigen::Index n = x.size();
        T sum = 0;
        for (Eigen::Index i = 0; i < n; ++i) {
          T r = x[i] * (2 + 5 * x[i] * x[i]) + 1;
          for (Eigen::Index j = std::max<Eigen::Index>(0, i - 5); j <= std::min(n - 1, i + 1); ++j)
            if (j != i) r -= x[j] * (1 + x[j]);
          sum += r * r;
        }
        return sum;
      },
      Eigen::VectorXd::Constant(10, -1), 0));
}

void add_third(std::vector<Problem>& p) {
  p.push_back(make_problem(
      "linear_full_rank", "Linear function, full rank (MGH 32, n = 10, m = 20)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const Eigen::Index n = x.size(), m = kLinearM;
        T total = 0, sum = 0;
        for (Eigen::Index j = 0; j < n; ++j) total += x[j];
        for (Eigen::Index i = 0; i < n; ++i) {
          const T r = x[i] - 2.0 / double(m) * total - 1;
          sum += r * r;
        }
        const T rest = -2.0 / double(m) * total - 1;
        return T(sum + double(m - n) * rest * rest);
      },
      Eigen::VectorXd::Ones(10), 10, Eigen::VectorXd::Constant(10, -1)));
  // f* = m (m - 1) / (2 (2m + 1)) wherever sum_j j x_j = 3 / (2m + 1).
  p.push_back(make_problem(
      "linear_rank_1", "Linear function, rank 1 (MGH 33, n = 10, m = 20)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T weighted = 0, sum = 0;
        for (Eigen::Index j = 0; j < x.size(); ++j) weighted += double(j + 1) * x[j];
        for (Eigen::Index i = 1; i <= kLinearM; ++i) {
          const T r = double(i) * weighted - 1;
          sum += r * r;
        }
        return sum;
      },
      Eigen::VectorXd::Ones(10), double(kLinearM * (kLinearM - 1)) / double(2 * (2 * kLinearM + 1)),
      nearest_on_plane(Eigen::VectorXd::LinSpaced(10, 1, 10), 3.0 / double(2 * kLinearM + 1),
                       Eigen::VectorXd::Ones(10))));
  // f_1 = f_m = -1 and x_1, x_n appear nowhere; f* = (m^2 + 3m - 6) / (2 (2m - 3))
  // wherever sum_{j=2}^{n-1} j x_j = 3 / (2m - 3).
  p.push_back(make_problem(
      "linear_rank_1_zero_columns_rows",
      "Linear function, rank 1 with zero columns and rows (MGH 34, n = 10, m = 20)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T weighted = 0;
        for (Eigen::Index j = 1; j + 1 < x.size(); ++j) weighted += double(j + 1) * x[j];
        T sum = 2;
        for (Eigen::Index i = 2; i < kLinearM; ++i) {
          const T r = double(i - 1) * weighted - 1;
          sum += r * r;
        }
        return sum;
      },
      Eigen::VectorXd::Ones(10),
      double(kLinearM * kLinearM + 3 * kLinearM - 6) / double(2 * (2 * kLinearM - 3)),
      [] {
        Eigen::VectorXd a = Eigen::VectorXd::LinSpaced(10, 1, 10);
        a[0] = a[9] = 0;
        return nearest_on_plane(a, 3.0 / double(2 * kLinearM - 3), Eigen::VectorXd::Ones(10));
      }()));
  p.push_back(make_problem(
      "chebyquad", "Chebyquad (MGH 35, n = m = 8)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const Eigen::Index n = x.size();
        std::vector<T> r(static_cast<std::size_t>(n), T(0));
        for (Eigen::Index j = 0; j < n; ++j) {  // shifted Chebyshev T_i(x) = T_i(2x - 1) by recurrence
          T previous = 1, current = 2 * x[j] - 1;
          const T two_y = 2 * current;
          for (Eigen::Index i = 0; i < n; ++i) {
            r[static_cast<std::size_t>(i)] += current;
            const T next = two_y * current - previous;
            previous = current;
            current = next;
          }
        }
        T sum = 0;
        for (Eigen::Index i = 0; i < n; ++i) {
          const double degree = double(i + 1);
          const double integral = (i + 1) % 2 == 0 ? -1 / (degree * degree - 1) : 0;
          const T residual = r[static_cast<std::size_t>(i)] / double(n) - integral;
          sum += residual * residual;
        }
        return sum;
      },
      Eigen::VectorXd::LinSpaced(8, 1, 8) / 9.0, 3.51687e-3));
}

}  // namespace

std::vector<Problem> mgh_large() {
  std::vector<Problem> p;
  add_first(p);
  add_second(p);
  add_third(p);
  return p;
}

}  // namespace nabla::optim::problems::detail
