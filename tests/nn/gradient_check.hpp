// A test helper: checks the reverse-mode gradient of a tensor function of
// several inputs against nabla::numdiff, entry by entry. The output is
// reduced to a scalar by a fixed random weighting, so that every output
// entry gets a different adjoint.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <vector>

#include "nabla/nn/ops.hpp"
#include "nabla/numdiff/multivariate.hpp"

namespace nabla::nn::testing {

using Mat = Matrix<double>;
using TensorFn = std::function<Tensor<double>(Tape<double>&, const std::vector<Tensor<double>>&)>;

/// A matrix of uniform entries in [lo, hi], seeded.
inline Mat random_matrix(Eigen::Index rows, Eigen::Index cols, unsigned seed, double lo = -2, double hi = 2) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  Mat m(rows, cols);
  for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = u(gen);
  return m;
}

/// sum(f(inputs) * weights) with the inputs given as one flat vector.
inline double weighted_value(const TensorFn& f, const std::vector<Mat>& shapes, const Eigen::VectorXd& flat,
                             const Mat& weights) {
  Tape<double> tape;
  std::vector<Tensor<double>> xs;
  Eigen::Index offset = 0;
  for (const Mat& s : shapes) {
    Mat m = Eigen::Map<const Mat>(flat.data() + offset, s.rows(), s.cols());
    xs.push_back(tape.constant(m));
    offset += s.size();
  }
  Tensor<double> y = f(tape, xs);
  return (y.value().array() * weights.array()).sum();
}

/// Expects the tape's gradient of every input to match the numerical one to `tolerance`
/// (relative to max(1, |entry|)).
inline void expect_gradients_match(const TensorFn& f, const std::vector<Mat>& inputs,
                                   double tolerance = 1e-8) {
  Tape<double> tape;
  {
    // A first pass leaves its adjoints in the tape's reused memory, so that
    // the checked pass fails if a rule reads an adjoint never zeroed.
    std::vector<Tensor<double>> dirty;
    for (const Mat& m : inputs) dirty.push_back(tape.variable(m * 1.5));
    Tensor<double> y = f(tape, dirty);
    tape.backward(sum(mul(y, tape.constant(Mat::Constant(y.rows(), y.cols(), 3.0)))));
    tape.clear();
  }
  std::vector<Tensor<double>> xs;
  for (const Mat& m : inputs) xs.push_back(tape.variable(m));
  Tensor<double> y = f(tape, xs);
  const Mat weights = random_matrix(y.rows(), y.cols(), 99, 0.5, 1.5);
  tape.backward(sum(mul(y, tape.constant(weights))));
  Eigen::Index total = 0;
  for (const Mat& m : inputs) total += m.size();
  Eigen::VectorXd flat(total);
  Eigen::Index offset = 0;
  for (const Mat& m : inputs) {
    flat.segment(offset, m.size()) = Eigen::Map<const Eigen::VectorXd>(m.data(), m.size());
    offset += m.size();
  }
  const Eigen::VectorXd numeric = numdiff::gradient(
      [&](const Eigen::VectorXd& v) { return weighted_value(f, inputs, v, weights); }, flat);
  offset = 0;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const auto g = xs[k].grad();
    for (Eigen::Index e = 0; e < g.size(); ++e) {
      const double exact = numeric(offset + e);
      EXPECT_NEAR(g.data()[e], exact, tolerance * std::max(1.0, std::abs(exact)))
          << "input " << k << ", entry " << e;
    }
    offset += inputs[k].size();
  }
}

}  // namespace nabla::nn::testing
