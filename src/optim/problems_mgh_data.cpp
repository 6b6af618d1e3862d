// Moré–Garbow–Hillstrom problems 6, 8-12, 15-20: the data-fitting ones
// (f = sum of squared residuals, data as printed in the paper). Where the
// paper gives no minimizer for Meyer and Osborne 1, x* is the certified
// solution of the same fits in NIST's StRD (MGH10 and MGH17, the
// Osborne 1 fit).
#include <cmath>

#include "problems_common.hpp"

namespace nabla::optim::problems::detail {
namespace {

const double kBardY[15] = {0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39,
                           0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39};
const double kGaussianY[15] = {0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989,
                               0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009};
const double kMeyerY[16] = {34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744,
                            8261,  7030,  6005,  5147,  4427,  3820,  3307,  2872};
const double kKowalikY[11] = {0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627,
                              0.0456, 0.0342, 0.0323, 0.0235, 0.0246};
const double kKowalikU[11] = {4, 2, 1, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625};
const double kOsborne1Y[33] = {0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751,
                               0.718, 0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490,
                               0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406};
const double kOsborne2Y[65] = {1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746,
                               0.679, 0.608, 0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724, 0.649, 0.649,
                               0.694, 0.644, 0.624, 0.661, 0.612, 0.558, 0.533, 0.495, 0.500, 0.423, 0.395,
                               0.375, 0.372, 0.391, 0.396, 0.405, 0.428, 0.429, 0.523, 0.562, 0.607, 0.653,
                               0.672, 0.708, 0.633, 0.668, 0.645, 0.632, 0.591, 0.559, 0.597, 0.625, 0.739,
                               0.710, 0.729, 0.720, 0.636, 0.581, 0.428, 0.292, 0.162, 0.098, 0.054};

void add_first(std::vector<Problem>& p) {
  p.push_back(make_problem(
      "jennrich_sampson", "Jennrich and Sampson (MGH 6, m = 10)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T sum = 0;
        for (int i = 1; i <= 10; ++i) {
          const T r = 2.0 + 2.0 * i - (exp(double(i) * x[0]) + exp(double(i) * x[1]));
          sum += r * r;
        }
        return sum;
      },
      vec({0.3, 0.4}), 124.362));
  p.push_back(make_problem("bard", "Bard (MGH 8)",
                           [](const auto& x) {
                             using T = scalar_of<decltype(x)>;
                             T sum = 0;
                             for (int i = 1; i <= 15; ++i) {
                               const double u = i, v = 16 - i, w = std::min(u, v);
                               const T r = kBardY[i - 1] - (x[0] + u / (v * x[1] + w * x[2]));
                               sum += r * r;
                             }
                             return sum;
                           },
                           vec({1, 1, 1}), 8.21487e-3, {}, {17.4286}));
  p.push_back(make_problem(
      "gaussian", "Gaussian (MGH 9)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T sum = 0;
        for (int i = 1; i <= 15; ++i) {
          const double t = (8.0 - i) / 2;
          const T d = t - x[2];
          const T r = x[0] * exp(-x[1] * d * d / 2) - kGaussianY[i - 1];
          sum += r * r;
        }
        return sum;
      },
      vec({0.4, 1, 0}), 1.12793e-8));
  p.push_back(make_problem(
      "meyer", "Meyer (MGH 10)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T sum = 0;
        for (int i = 1; i <= 16; ++i) {
          const T r = x[0] * exp(x[1] / (45.0 + 5.0 * i + x[2])) - kMeyerY[i - 1];
          sum += r * r;
        }
        return sum;
      },
      vec({0.02, 4000, 250}), 87.9458, vec({5.6096364710e-03, 6.1813463463e+03, 3.4522363462e+02})));
  p.push_back(make_problem(
      "gulf", "Gulf research and development (MGH 11, m = 99)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T sum = 0;
        for (int i = 1; i <= 99; ++i) {
          const double t = i / 100.0;
          const double y = 25 + std::pow(-50 * std::log(t), 2.0 / 3.0);
          const T r = exp(-pow(abs(y - x[1]), x[2]) / x[0]) - t;
          sum += r * r;
        }
        return sum;
      },
      vec({5, 2.5, 0.15}), 0, vec({50, 25, 1.5})));
  p.push_back(make_problem(
      "box_3d", "Box three-dimensional (MGH 12, m = 10)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T sum = 0;
        for (int i = 1; i <= 10; ++i) {
          const double t = 0.1 * i;
          const T r = exp(-t * x[0]) - exp(-t * x[1]) - x[2] * (std::exp(-t) - std::exp(-10 * t));
          sum += r * r;
        }
        return sum;
      },
      vec({0, 10, 20}), 0, vec({1, 10, 1})));
}

void add_second(std::vector<Problem>& p) {
  p.push_back(make_problem("kowalik_osborne", "Kowalik and Osborne (MGH 15)",
                           [](const auto& x) {
                             using T = scalar_of<decltype(x)>;
                             T sum = 0;
                             for (int i = 0; i < 11; ++i) {
                               const double u = kKowalikU[i];
                               const T r =
                                   kKowalikY[i] - x[0] * (u * u + u * x[1]) / (u * u + u * x[2] + x[3]);
                               sum += r * r;
                             }
                             return sum;
                           },
                           vec({0.25, 0.39, 0.415, 0.39}), 3.07505e-4, {}, {1.02734e-3}));
  p.push_back(make_problem(
      "brown_dennis", "Brown and Dennis (MGH 16, m = 20)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T sum = 0;
        for (int i = 1; i <= 20; ++i) {
          const double t = i / 5.0;
          const T a = x[0] + t * x[1] - std::exp(t), b = x[2] + x[3] * std::sin(t) - std::cos(t);
          const T r = a * a + b * b;
          sum += r * r;
        }
        return sum;
      },
      vec({25, 5, -5, -1}), 85822.2));
  p.push_back(make_problem(
      "osborne1", "Osborne 1 (MGH 17)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T sum = 0;
        for (int i = 0; i < 33; ++i) {
          const double t = 10.0 * i;
          const T r = kOsborne1Y[i] - (x[0] + x[1] * exp(-t * x[3]) + x[2] * exp(-t * x[4]));
          sum += r * r;
        }
        return sum;
      },
      vec({0.5, 1.5, -1, 0.01, 0.02}), 5.46489e-5,
      vec({3.7541005211e-01, 1.9358469127e+00, -1.4646871366e+00, 1.2867534640e-02, 2.2122699662e-02})));
  p.push_back(make_problem("biggs_exp6", "Biggs EXP6 (MGH 18, m = 13)",
                           [](const auto& x) {
                             using T = scalar_of<decltype(x)>;
                             T sum = 0;
                             for (int i = 1; i <= 13; ++i) {
                               const double t = 0.1 * i;
                               const double y = std::exp(-t) - 5 * std::exp(-10 * t) + 3 * std::exp(-4 * t);
                               const T r =
                                   x[2] * exp(-t * x[0]) - x[3] * exp(-t * x[1]) + x[5] * exp(-t * x[4]) - y;
                               sum += r * r;
                             }
                             return sum;
                           },
                           vec({1, 2, 1, 1, 1, 1}), 0, vec({1, 10, 1, 5, 4, 3}), {5.65565e-3}));
  p.push_back(make_problem(
      "osborne2", "Osborne 2 (MGH 19)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        T sum = 0;
        for (int i = 0; i < 65; ++i) {
          const double t = i / 10.0;
          const T d9 = t - x[8], d10 = t - x[9], d11 = t - x[10];
          const T model = x[0] * exp(-t * x[4]) + x[1] * exp(-d9 * d9 * x[5]) +
                          x[2] * exp(-d10 * d10 * x[6]) + x[3] * exp(-d11 * d11 * x[7]);
          const T r = kOsborne2Y[i] - model;
          sum += r * r;
        }
        return sum;
      },
      vec({1.3, 0.65, 0.65, 0.7, 0.6, 3, 5, 7, 2, 4.5, 5.5}), 4.01377e-2));
  p.push_back(make_problem(
      "watson", "Watson (MGH 20, n = 6)",
      [](const auto& x) {
        using T = scalar_of<decltype(x)>;
        const Eigen::Index n = x.size();
        T sum = 0;
        for (int i = 1; i <= 29; ++i) {
          const double t = i / 29.0;
          T s1 = 0, s2 = 0;
          double power = 1;  // t^(j-1) for the 0-based j of x[j]
          for (Eigen::Index j = 0; j < n; ++j) {
            if (j > 0) s1 += double(j) * (power / t) * x[j];
            s2 += power * x[j];
            power *= t;
          }
          const T r = s1 - s2 * s2 - 1;
          sum += r * r;
        }
        const T r31 = x[1] - x[0] * x[0] - 1;
        return T(sum + x[0] * x[0] + r31 * r31);
      },
      Eigen::VectorXd::Zero(6), 2.28767e-3));
}

}  // namespace

std::vector<Problem> mgh_data() {
  std::vector<Problem> p;
  add_first(p);
  add_second(p);
  return p;
}

}  // namespace nabla::optim::problems::detail
