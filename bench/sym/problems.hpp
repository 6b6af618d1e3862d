// The problems of the symbolic benchmarks, each written ONCE as a template on
// the expression type and built unchanged by every tool (nabla::sym::Expr,
// GiNaC::ex); bench/sym/sympy_bench.py writes the same formulas in SymPy.
// sin, cos, tanh and pow are called unqualified, so that argument-dependent
// lookup picks each tool's overloads. A tool supplies its exact numbers and
// its n-ary sum through a small traits struct (Ops):
//   static E rational(long p, long q);  static E sum(const std::vector<E>&);
// Also here: the points of the checks and the interface every tool implements.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace nabla_sym_bench {

// ------------------------------------------------------------ problems ---

/// (i) e <- sin(e) cos(e) + e^2, `depth` times, from e = x.
template <class E>
E nest(const E& x, int depth) {
  E e = x;
  for (int level = 0; level < depth; ++level) e = sin(e) * cos(e) + pow(e, 2);
  return e;
}

/// (ii) extended Rosenbrock, the CHAINED variant (as SymPy users write it):
/// sum_{i < n-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2.
template <class Ops, class E>
E rosenbrock(const std::vector<E>& x) {
  std::vector<E> terms;
  for (std::size_t i = 0; i + 1 < x.size(); ++i)
    terms.push_back(100 * pow(x[i + 1] - pow(x[i], 2), 2) + pow(1 - x[i], 2));
  return Ops::sum(terms);
}

/// The network: 4 inputs -> 8 tanh -> 1, loss summed over a fixed batch of 4.
inline constexpr int kNetInputs = 4;
inline constexpr int kNetHidden = 8;
inline constexpr int kNetBatch = 4;
/// Its weights: W1 (8 x 4, row by row), b1 (8), w2 (8), b2: 49.
inline constexpr int kNetWeights = kNetHidden * kNetInputs + 2 * kNetHidden + 1;

/// Names of the weights in the order above, each ending in `tag`.
std::vector<std::string> net_weight_names(const std::string& tag);
/// Names of Rosenbrock's variables: x0, x1, ..., each ending in `tag`.
std::vector<std::string> rosenbrock_names(int n, const std::string& tag);

/// (ii) sum_s (b2 + sum_j w2_j tanh(sum_k W1_jk x_sk + b1_j) - y_s)^2 with
/// inputs x_sk = ((5 s + 3 k) mod 9 - 4) / 4 and targets y_s = ((7 s) mod 5 - 2) / 2,
/// exact rationals; w holds the 49 weights in the order of net_weight_names.
template <class Ops, class E>
E net_loss(const std::vector<E>& w) {
  auto w1 = [&](int j, int k) { return w[static_cast<std::size_t>(j * kNetInputs + k)]; };
  auto b1 = [&](int j) { return w[static_cast<std::size_t>(kNetHidden * kNetInputs + j)]; };
  auto w2 = [&](int j) { return w[static_cast<std::size_t>(kNetHidden * kNetInputs + kNetHidden + j)]; };
  const E b2 = w.back();
  std::vector<E> squares;
  for (int s = 0; s < kNetBatch; ++s) {
    std::vector<E> out{b2, Ops::rational(-(((7 * s) % 5) - 2), 2)};
    for (int j = 0; j < kNetHidden; ++j) {
      std::vector<E> pre{b1(j)};
      for (int k = 0; k < kNetInputs; ++k)
        pre.push_back(Ops::rational((5 * s + 3 * k) % 9 - 4, 4) * w1(j, k));
      out.push_back(w2(j) * tanh(Ops::sum(pre)));
    }
    squares.push_back(pow(Ops::sum(out), 2));
  }
  return Ops::sum(squares);
}

// -------------------------------------------------------------- points ---

/// The nest's depth in (i) and the points where its f''' is checked.
inline constexpr int kNestDepth = 6;
inline const std::vector<double> kNestPoints{0.3, 0.7, -0.4};
/// The Rosenbrock size in (ii) and its point: x_i = (i mod 7 - 3) / 4.
inline constexpr int kRosenbrockN = 100;
inline double rosenbrock_point(int i) { return (i % 7 - 3) / 4.0; }
/// The network's point: w_p = ((37 p) mod 17 - 8) / 16.
inline double net_point(int p) { return ((37 * p) % 17 - 8) / 16.0; }

// --------------------------------------------------------------- tools ---

/// Wall-clock and CPU seconds of one timed section.
struct Seconds {
  double wall = 0.0;
  double cpu = 0.0;
};

/// Sizes of an expression: distinct nodes (the DAG) and nodes written out as a tree.
struct Sizes {
  std::size_t dag = 0;
  std::size_t tree = 0;
};

/// One symbolic engine under test. Every timed call builds its expression
/// anew from fresh symbols whose names end in `tag` (so no cache of an
/// earlier call can serve it: hash-consing tables, memo tables, GiNaC's
/// cached hashes) and times the differentiation only. When `values` is not
/// null the result is then evaluated at the problem's point(s) (untimed).
class Tool {
 public:
  virtual ~Tool() = default;
  virtual std::string name() const = 0;
  /// (i) diff(f, x, 3) of the nest of `depth`; values: f''' at kNestPoints.
  virtual Seconds nest_d3(int depth, const std::string& tag, std::vector<double>* values) = 0;
  /// (ii) the full n x n symbolic Hessian of chained Rosenbrock; values: its
  /// entries at rosenbrock_point, row by row.
  virtual Seconds rosenbrock_hessian(int n, const std::string& tag, std::vector<double>* values) = 0;
  /// (ii) the full 49 x 49 symbolic Hessian of the network's loss; values:
  /// its entries at net_point, row by row.
  virtual Seconds net_hessian(const std::string& tag, std::vector<double>* values) = 0;
  /// (iii) sizes of the nest's f, f', f''' at `depth`.
  virtual std::vector<Sizes> nest_sizes(int depth) = 0;
  /// (iii) sizes of chained Rosenbrock's f and of its gradient (the n entries
  /// together: shared nodes counted once in the DAG, the trees summed).
  virtual std::vector<Sizes> rosenbrock_gradient_sizes(int n) = 0;
};

std::unique_ptr<Tool> make_ginac_tool();
std::unique_ptr<Tool> make_nabla_tool();

/// Starts a stopwatch; elapsed() returns the time since.
class Stopwatch {
 public:
  Stopwatch();
  Seconds elapsed() const;

 private:
  double wall_;
  double cpu_;
};

}  // namespace nabla_sym_bench
