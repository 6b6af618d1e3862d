// The data behind the benchmark problems: evaluation points, the network's
// fixed batch and its hand-written backpropagation.
#include "problems.hpp"

#include <cstdint>

namespace nabla_bench {
namespace {

/// n numbers uniform in [lo, hi), the same on every run.
Eigen::VectorXd uniform(Eigen::Index n, double lo, double hi, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  Eigen::VectorXd x(n);
  for (Eigen::Index i = 0; i < n; ++i) x[i] = u(rng);
  return x;
}

}  // namespace

Eigen::VectorXd ExpSin::point(Eigen::Index n) { return uniform(n, -1.0, 1.0, 1); }
Eigen::VectorXd LogSumExp::point(Eigen::Index n) { return uniform(n, -5.0, 5.0, 2); }

/// The classical start (-1.2, 1, -1.2, 1, ...), perturbed so that pairs differ.
Eigen::VectorXd Rosenbrock::point(Eigen::Index n) {
  Eigen::VectorXd x = uniform(n, -0.1, 0.1, 3);
  for (Eigen::Index i = 0; i < n; ++i) x[i] += i % 2 == 0 ? -1.2 : 1.0;
  return x;
}

Eigen::VectorXd TanhNet::point(Eigen::Index) {
  Eigen::VectorXd theta = uniform(parameters, -0.3, 0.3, 4);
  return theta;
}

const TanhNet::Data& TanhNet::data() {
  static const Data d = [] {
    Data out;
    const Eigen::VectorXd x = uniform(batch * inputs, -1.0, 1.0, 5);
    const Eigen::VectorXd y = uniform(batch, -1.0, 1.0, 6);
    out.x.assign(x.data(), x.data() + x.size());
    out.y.assign(y.data(), y.data() + y.size());
    return out;
  }();
  return d;
}

double TanhNet::gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& g) {
  const Data& d = data();
  g.setZero(theta.size());
  double h[hidden];
  double loss = 0.0;
  for (int s = 0; s < batch; ++s) {
    const double* in = &d.x[static_cast<std::size_t>(s * inputs)];
    double out = theta[b2];
    for (int j = 0; j < hidden; ++j) {
      double z = theta[b1 + j];
      for (int k = 0; k < inputs; ++k) z += theta[w1 + j * inputs + k] * in[k];
      h[j] = std::tanh(z);
      out += theta[w2 + j] * h[j];
    }
    const double r = out - d.y[static_cast<std::size_t>(s)];
    loss += r * r;
    const double dout = 2.0 * r / batch;
    g[b2] += dout;
    for (int j = 0; j < hidden; ++j) {
      g[w2 + j] += dout * h[j];
      const double dz = dout * theta[w2 + j] * (1.0 - h[j] * h[j]);
      g[b1 + j] += dz;
      for (int k = 0; k < inputs; ++k) g[w1 + j * inputs + k] += dz * in[k];
    }
  }
  return loss / batch;
}

std::string Problem::title() const {
  const char* formula = visit(function, [](auto f) { return decltype(f)::formula; });
  return name + ": " + formula + ", n = " + std::to_string(x.size()) + ", " + std::to_string(operations) +
         " elementary operations";
}

Problem make_problem(const std::string& name, Function function, Eigen::Index n) {
  return visit(function, [&](auto f) {
    using F = decltype(f);
    Problem p{name, function, F::point(n), Eigen::VectorXd(), 0};
    p.v = uniform(p.x.size(), -1.0, 1.0, 7);
    p.operations = F::operations(p.x.size());
    return p;
  });
}

double manual_gradient(const Problem& p, Eigen::VectorXd& g) {
  return visit(p.function, [&](auto f) { return decltype(f)::gradient(p.x, g); });
}

}  // namespace nabla_bench
