// The benchmark problems, each written ONCE as a template on the scalar type
// and run unchanged by every tool (double, nabla, ADOL-C, Sacado, Ceres' Jet,
// Eigen's AutoDiffScalar): the functions take any vector with operator[] and
// size() (an Eigen vector or a std::vector) and call exp, sin, log, tanh
// unqualified so that argument-dependent lookup picks each tool's overloads.
// Beside each function: its hand-written analytic gradient (the "manual"
// baseline) and its hand count of elementary operations (see README.md).
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace nabla_bench {

/// The scalar type held by a vector (Eigen or std).
template <class Vector>
using scalar_t = std::remove_cvref_t<decltype(std::declval<const Vector&>()[0])>;

/// The double inside an AD scalar, for decisions that need no derivative (the
/// shift of log-sum-exp). Each tool's file specializes it for its scalar.
template <class T>
struct Passive {
  static double value(const T& x) { return static_cast<double>(x); }
};

template <class Vector>
std::ptrdiff_t length(const Vector& x) {
  return static_cast<std::ptrdiff_t>(x.size());
}

// ------------------------------------------------------------------ (a) ---

/// (a) f(x) = sum_{i=0}^{n-2} exp(x_i) sin(x_{i+1}) + x_i / (1 + x_{i+1}^2).
/// Elementary operations per term: exp, sin, *, * (the square), + (1 + .),
/// /, + (the two parts), + (into the sum): 8, so 8 (n - 1) in all.
struct ExpSin {
  static constexpr const char* formula = "sum exp(x_i) sin(x_{i+1}) + x_i / (1 + x_{i+1}^2)";

  template <class Vector>
  scalar_t<Vector> operator()(const Vector& x) const {
    using std::exp;
    using std::sin;
    using T = scalar_t<Vector>;
    T sum(0.0);
    for (std::ptrdiff_t i = 0; i + 1 < length(x); ++i)
      sum += exp(x[i]) * sin(x[i + 1]) + x[i] / (1.0 + x[i + 1] * x[i + 1]);
    return sum;
  }

  static std::size_t operations(std::ptrdiff_t n) { return 8 * static_cast<std::size_t>(n - 1); }

  // df/dx_i    += exp(x_i) sin(x_{i+1}) + 1 / q,          q = 1 + x_{i+1}^2
  // df/dx_{i+1} += exp(x_i) cos(x_{i+1}) - 2 x_i x_{i+1} / q^2
  static double gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g.setZero(x.size());
    double sum = 0.0;
    for (Eigen::Index i = 0; i + 1 < x.size(); ++i) {
      const double a = x[i], b = x[i + 1];
      const double e = std::exp(a), s = std::sin(b), c = std::cos(b), q = 1.0 + b * b;
      sum += e * s + a / q;
      g[i] += e * s + 1.0 / q;
      g[i + 1] += e * c - 2.0 * a * b / (q * q);
    }
    return sum;
  }

  static Eigen::VectorXd point(Eigen::Index n);
};

// ------------------------------------------------------------------ (b) ---

/// (b) log-sum-exp, the stable way: m + log sum exp(x_i - m) with m = max x_i.
/// m is taken on the values (a constant to every tool: the gradient, the
/// softmax, does not depend on it). Operations: n subtractions, n exp, n
/// additions into the sum, one log and one addition: 3 n + 2.
struct LogSumExp {
  static constexpr const char* formula = "max + log sum exp(x_i - max)";

  template <class Vector>
  scalar_t<Vector> operator()(const Vector& x) const {
    using std::exp;
    using std::log;
    using T = scalar_t<Vector>;
    double m = Passive<T>::value(x[0]);
    for (std::ptrdiff_t i = 1; i < length(x); ++i) m = std::max(m, Passive<T>::value(x[i]));
    T sum(0.0);
    for (std::ptrdiff_t i = 0; i < length(x); ++i) sum += exp(x[i] - m);
    return m + log(sum);
  }

  static std::size_t operations(std::ptrdiff_t n) { return 3 * static_cast<std::size_t>(n) + 2; }

  // df/dx_i = exp(x_i - m) / sum_j exp(x_j - m), the softmax.
  static double gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    const double m = x.maxCoeff();
    g.resize(x.size());
    double sum = 0.0;
    for (Eigen::Index i = 0; i < x.size(); ++i) sum += (g[i] = std::exp(x[i] - m));
    g /= sum;
    return m + std::log(sum);
  }

  static Eigen::VectorXd point(Eigen::Index n);
};

// ------------------------------------------------------------------ (c) ---

/// (c) The extended Rosenbrock function (More, Garbow and Hillstrom: pairs,
/// not the chained variant): sum_{i<n/2} 100 (x_{2i+1} - x_{2i}^2)^2 + (1 - x_{2i})^2.
/// Operations per pair: t = x_{2i+1} - x_{2i} * x_{2i} (2), u = 1 - x_{2i}
/// (1), 100 * t * t + u * u (4) and + into the sum (1): 8, so 4 n in all.
struct Rosenbrock {
  static constexpr const char* formula = "sum 100 (x_{2i+1} - x_{2i}^2)^2 + (1 - x_{2i})^2 (pairs)";

  template <class Vector>
  scalar_t<Vector> operator()(const Vector& x) const {
    using T = scalar_t<Vector>;
    T sum(0.0);
    for (std::ptrdiff_t i = 0; i + 1 < length(x); i += 2) {
      const T t = x[i + 1] - x[i] * x[i];
      const T u = 1.0 - x[i];
      sum += 100.0 * t * t + u * u;
    }
    return sum;
  }

  static std::size_t operations(std::ptrdiff_t n) { return 4 * static_cast<std::size_t>(n); }

  // df/dx_{2i} = -400 x_{2i} t - 2 u,  df/dx_{2i+1} = 200 t.
  static double gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g.setZero(x.size());
    double sum = 0.0;
    for (Eigen::Index i = 0; i + 1 < x.size(); i += 2) {
      const double t = x[i + 1] - x[i] * x[i], u = 1.0 - x[i];
      sum += 100.0 * t * t + u * u;
      g[i] = -400.0 * x[i] * t - 2.0 * u;
      g[i + 1] = 200.0 * t;
    }
    return sum;
  }

  static Eigen::VectorXd point(Eigen::Index n);
};

// ------------------------------------------------------------------ (d) ---

/// (d) A 2-layer network in scalar code: 20 inputs, 32 tanh hidden units, one
/// linear output, mean squared loss over a fixed batch of 16; the variables
/// are the 705 weights and biases. Parameter layout: W1 (32 x 20, row-major),
/// b1 (32), w2 (32), b2 (1). Operations per sample: 32 x (20 (* and +) + tanh
/// + * + +) + 1 (-) + 2 (r * r, + into the loss) = 1379; 16 x 1379 + 1 (the
/// final / 16) = 22065.
struct TanhNet {
  static constexpr int inputs = 20;
  static constexpr int hidden = 32;
  static constexpr int batch = 16;
  static constexpr int w1 = 0;
  static constexpr int b1 = hidden * inputs;
  static constexpr int w2 = b1 + hidden;
  static constexpr int b2 = w2 + hidden;
  static constexpr int parameters = b2 + 1;
  static constexpr const char* formula = "mean (w2 . tanh(W1 x + b1) + b2 - y)^2, 20-32-1, batch 16";

  /// The fixed batch: inputs (batch x inputs, row-major) and targets.
  struct Data {
    std::vector<double> x;
    std::vector<double> y;
  };
  static const Data& data();

  template <class Vector>
  scalar_t<Vector> operator()(const Vector& theta) const {
    using std::tanh;
    using T = scalar_t<Vector>;
    const Data& d = data();
    T loss(0.0);
    for (int s = 0; s < batch; ++s) {
      const double* in = &d.x[static_cast<std::size_t>(s * inputs)];
      T out = theta[b2];
      for (int j = 0; j < hidden; ++j) {
        T z = theta[b1 + j];
        for (int k = 0; k < inputs; ++k) z += theta[w1 + j * inputs + k] * in[k];
        out += theta[w2 + j] * tanh(z);
      }
      const T r = out - d.y[static_cast<std::size_t>(s)];
      loss += r * r;
    }
    return loss * (1.0 / batch);
  }

  static std::size_t operations(std::ptrdiff_t) {
    return static_cast<std::size_t>(batch * (hidden * (2 * inputs + 3) + 3) + 1);
  }

  // Backpropagation by hand: dL/dout = 2 r / B, dL/dz_j = dL/dout w2_j (1 - h_j^2).
  static double gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& g);

  static Eigen::VectorXd point(Eigen::Index n);
};

// ------------------------------------------------------------ problems ---

enum class Function { ExpSin, LogSumExp, Rosenbrock, TanhNet };

/// Calls visitor(F{}) with the functor type of `function`.
template <class Visitor>
decltype(auto) visit(Function function, Visitor&& visitor) {
  switch (function) {
    case Function::ExpSin:
      return visitor(ExpSin{});
    case Function::LogSumExp:
      return visitor(LogSumExp{});
    case Function::Rosenbrock:
      return visitor(Rosenbrock{});
    case Function::TanhNet:
      break;
  }
  return visitor(TanhNet{});
}

/// One benchmark problem: a function at a point, the direction of the
/// Hessian-vector product and the hand count of its elementary operations.
struct Problem {
  std::string name;  // the benchmark group, e.g. "a_expsin_n10000"
  Function function;
  Eigen::VectorXd x;
  Eigen::VectorXd v;
  std::size_t operations;
  std::string title() const;
};

/// The problem of `function` with n variables (TanhNet ignores n).
Problem make_problem(const std::string& name, Function function, Eigen::Index n);

/// The analytic gradient of a problem's function; returns its value.
double manual_gradient(const Problem& p, Eigen::VectorXd& g);

}  // namespace nabla_bench
