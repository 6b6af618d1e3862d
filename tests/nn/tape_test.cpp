// The tensor tape's memory sharing, checked against numdiff and closed forms:
// x + s shares x's adjoint, a sum leaves its input's adjoint uniform (one
// number, never written unless needed), and a parameter's adjoint may be
// overwritten instead of accumulated, also when its block is on the tape twice.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "gradient_check.hpp"
#include "nabla/nn/ops.hpp"

namespace {

using nabla::nn::Matrix;
using nabla::nn::ParameterGradient;
using nabla::nn::Tape;
using nabla::nn::Tensor;
using nabla::nn::testing::expect_gradients_match;
using nabla::nn::testing::random_matrix;
using Mat = Matrix<double>;
using Inputs = std::vector<Tensor<double>>;

TEST(Tape, ShiftedInputWithOtherConsumers) {
  // x reaches the loss through x - 1.5 (sharing x's adjoint) and directly.
  expect_gradients_match(
      [](Tape<double>&, const Inputs& x) { return sum(exp(x[0] - 1.5)) + sum(x[0] * x[0]); },
      {random_matrix(3, 4, 1)});
  expect_gradients_match(
      [](Tape<double>&, const Inputs& x) { return (2.0 - x[0]) * (x[0] + 0.5) + tanh(x[0] + 1.0); },
      {random_matrix(2, 3, 2)});
}

TEST(Tape, UniformAdjointsReadOrSettled) {
  // lse: the sum leaves exp's adjoint uniform and exp's rule reads it.
  expect_gradients_match([](Tape<double>&, const Inputs& x) { return log(sum(exp(x[0] + 0.5))); },
                         {random_matrix(4, 5, 3)});
  // Row sums first: the outer sum's input (a column) has a rule that cannot read it uniform.
  expect_gradients_match([](Tape<double>&, const Inputs& x) { return mean(sum(exp(x[0]), 1)); },
                         {random_matrix(3, 5, 4)});
  // Two sums of one tensor: the second adds into the first's uniform adjoint.
  expect_gradients_match(
      [](Tape<double>&, const Inputs& x) {
        const auto e = tanh(x[0]);
        return sum(e) * mean(e);
      },
      {random_matrix(2, 5, 5)});
  // The uniform adjoint lands on the leaf itself (through a shift), and on x
  // before exp's rule adds into it.
  expect_gradients_match([](Tape<double>&, const Inputs& x) { return mean(x[0] + 2.0); },
                         {random_matrix(3, 2, 6)});
  expect_gradients_match([](Tape<double>&, const Inputs& x) { return sum(exp(x[0])) + sum(x[0]); },
                         {random_matrix(3, 2, 7)});
}

TEST(Tape, GradientsOfAnIntermediateAreSettledWhenRead) {
  Tape<double> tape;
  const Mat m = random_matrix(2, 3, 8);
  auto x = tape.variable(m);
  auto e = exp(x);
  tape.backward(3.0 * sum(e));
  EXPECT_EQ(e.grad(), Mat::Constant(2, 3, 3.0));  // left uniform by the sum, filled when read
  EXPECT_EQ(x.grad(), Mat(3.0 * m.unaryExpr([](double v) { return std::exp(v); })));
}

TEST(Tape, ResultsSharingAnAdjointHaveNoGradientOfTheirOwn) {
  Tape<double> tape;
  auto x = tape.variable(random_matrix(2, 2, 9));
  auto y = x + 1.0;
  auto r = reshape(x, 1, 4);
  tape.backward(sum(y * y) + sum(r));
  EXPECT_THROW((void)y.grad(), nabla::DomainError);
  EXPECT_THROW((void)r.grad(), nabla::DomainError);
  EXPECT_NO_THROW((void)x.grad());
}

TEST(Tape, ParameterGradientsOverwriteOrAccumulate) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Mat values = random_matrix(1, 4, 10), unused_values = random_matrix(1, 2, 11);
  Mat grad = Mat::Constant(1, 4, nan), unused_grad = Mat::Constant(1, 2, nan);
  Tape<double> tape;
  for (int pass = 0; pass < 2; ++pass) {  // the second pass reuses the tape's dirty memory
    tape.clear();
    auto p = tape.parameter(values.data(), grad.data(), 1, 4, ParameterGradient::overwrite);
    tape.parameter(unused_values.data(), unused_grad.data(), 1, 2, ParameterGradient::overwrite);
    tape.backward(sum(exp(p - 1.0)));
    EXPECT_EQ(grad, Mat(values.unaryExpr([](double v) { return std::exp(v - 1.0); })));
    EXPECT_EQ(unused_grad, Mat::Zero(1, 2));  // nothing reached it: overwritten with 0
  }
  // Accumulating adds onto what the caller left there.
  Mat sum_grad = Mat::Constant(1, 4, 1.0);
  tape.clear();
  auto q = tape.parameter(values.data(), sum_grad.data(), 1, 4);
  tape.backward(sum(q * 2.0));
  EXPECT_EQ(sum_grad, Mat::Constant(1, 4, 3.0));
}

TEST(Tape, AParameterBlockRegisteredTwiceGetsBothUsesGradients) {
  // One leaf per use of one buffer (weight tying) with overwrite: the block's
  // gradient is the sum over its uses, e^w + 2w by hand, as accumulating gives.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Mat w(2, 2);
  w << 0.5, -1, 2, 0.3;
  const Mat e = w.unaryExpr([](double v) { return std::exp(v); });
  Mat grad = Mat::Constant(2, 2, nan);
  Tape<double> tape;
  auto p1 = tape.parameter(w.data(), grad.data(), 2, 2, ParameterGradient::overwrite);
  auto p2 = tape.parameter(w.data(), grad.data(), 2, 2, ParameterGradient::overwrite);
  tape.backward(sum(exp(p1)) + sum(p2 * p2));
  EXPECT_TRUE(grad.isApprox(e + 2 * w, 1e-15)) << grad;
  EXPECT_EQ(p2.grad(), grad);  // the block's gradient, as accumulating reads it
  Mat accumulated = Mat::Zero(2, 2);
  tape.clear();
  auto a1 = tape.parameter(w.data(), accumulated.data(), 2, 2);
  auto a2 = tape.parameter(w.data(), accumulated.data(), 2, 2);
  tape.backward(sum(exp(a1)) + sum(a2 * a2));
  EXPECT_TRUE(grad.isApprox(accumulated, 1e-15));

  // The second leaf unused: the first's gradient alone; both in one op.
  grad.setConstant(nan);
  tape.clear();
  auto q1 = tape.parameter(w.data(), grad.data(), 2, 2, ParameterGradient::overwrite);
  tape.parameter(w.data(), grad.data(), 2, 2, ParameterGradient::overwrite);
  tape.backward(sum(exp(q1)));
  EXPECT_TRUE(grad.isApprox(e, 1e-15)) << grad;
  grad.setConstant(nan);
  tape.clear();
  auto r1 = tape.parameter(w.data(), grad.data(), 2, 2, ParameterGradient::overwrite);
  auto r2 = tape.parameter(w.data(), grad.data(), 2, 2, ParameterGradient::overwrite);
  tape.backward(sum(r1 * r2) + sum(r2));
  EXPECT_TRUE(grad.isApprox(2 * w + Mat::Ones(2, 2), 1e-15)) << grad;

  // Overlapping otherwise, or in the other mode: which gradient survived
  // would depend on the sweep's order, so it is refused.
  tape.clear();
  tape.parameter(w.data(), grad.data(), 2, 2, ParameterGradient::overwrite);
  EXPECT_THROW(tape.parameter(w.data(), grad.data() + 1, 1, 2, ParameterGradient::overwrite),
               nabla::DomainError);
  EXPECT_THROW(tape.parameter(w.data(), grad.data(), 2, 2), nabla::DomainError);
  EXPECT_NO_THROW(tape.parameter(w.data(), grad.data(), 1, 4, ParameterGradient::overwrite));
}

TEST(Tape, ViewsOfTheCallersMemoryHaveValidShapes) {
  // A negative shape was accepted for views (-2 x -2 had size 4, and a
  // -1 x 4 parameter summed to 0); make() refused it.
  double data[4] = {1, 2, 3, 4}, grad[4] = {};
  Tape<double> tape;
  EXPECT_THROW(tape.constant_view(data, -2, -2), nabla::DimensionError);
  EXPECT_THROW(tape.constant_view(data, 2, -2), nabla::DimensionError);
  EXPECT_THROW(tape.parameter(data, grad, -1, 4), nabla::DimensionError);
  EXPECT_THROW(tape.parameter(data, grad, -1, 4, ParameterGradient::overwrite), nabla::DimensionError);
  EXPECT_THROW(tape.constant_view(data, Eigen::Index{1} << 62, 4), nabla::DimensionError);
  EXPECT_EQ(tape.size(), 0u);
  EXPECT_EQ(tape.constant_view(data, 2, 2).size(), 4);
}

}  // namespace
