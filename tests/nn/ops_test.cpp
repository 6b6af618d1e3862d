// Every tensor operation's reverse rule against numerical differences
// (nabla::numdiff), including broadcasting in each direction, every axis of
// the reductions, and the shape operations; plus values against closed forms.
#include "nabla/nn/ops.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <limits>
#include <string>
#include <thread>

#include "gradient_check.hpp"
#include "nabla/core/primitives.hpp"

namespace {

using namespace nabla::nn;
using nabla::nn::testing::expect_gradients_match;
using nabla::nn::testing::Mat;
using nabla::nn::testing::random_matrix;
using Xs = std::vector<Tensor<double>>;

Mat rnd(Eigen::Index r, Eigen::Index c, unsigned seed) { return random_matrix(r, c, seed); }
Mat positive(Eigen::Index r, Eigen::Index c, unsigned seed) { return random_matrix(r, c, seed, 0.3, 3.0); }

TEST(Ops, MatmulAndAffine) {
  expect_gradients_match([](auto&, const Xs& x) { return matmul(x[0], x[1]); }, {rnd(3, 4, 1), rnd(4, 5, 2)});
  expect_gradients_match([](auto&, const Xs& x) { return affine(x[0], x[1], x[2]); },
                         {rnd(6, 3, 3), rnd(3, 2, 4), rnd(1, 2, 5)});
}

TEST(Ops, ArithmeticWithBroadcasting) {
  const std::vector<std::pair<Mat, Mat>> shapes = {{rnd(3, 4, 1), rnd(3, 4, 2)},
                                                   {rnd(3, 4, 3), rnd(1, 4, 4)},
                                                   {rnd(3, 4, 5), rnd(3, 1, 6)},
                                                   {rnd(1, 1, 7), rnd(3, 4, 8)},
                                                   {rnd(3, 1, 9), rnd(1, 4, 10)}};
  for (const auto& [a, b] : shapes) {
    expect_gradients_match([](auto&, const Xs& x) { return x[0] + x[1]; }, {a, b});
    expect_gradients_match([](auto&, const Xs& x) { return x[0] - x[1]; }, {a, b});
    expect_gradients_match([](auto&, const Xs& x) { return x[0] * x[1]; }, {a, b});
    expect_gradients_match([](auto&, const Xs& x) { return x[0] / x[1]; },
                           {a, Mat((b.array().abs() + 0.5).matrix())});
  }
  expect_gradients_match([](auto&, const Xs& x) { return 3.0 - 2.0 * x[0] / 4.0 + 1.5; }, {rnd(2, 3, 11)});
}

TEST(Ops, BroadcastShapesAndErrors) {
  Tape<double> tape;
  auto a = tape.constant(rnd(3, 1, 1));
  auto b = tape.constant(rnd(1, 4, 2));
  auto c = a + b;
  EXPECT_EQ(c.rows(), 3);
  EXPECT_EQ(c.cols(), 4);
  EXPECT_DOUBLE_EQ(c.value()(2, 3), a.value()(2, 0) + b.value()(0, 3));
  EXPECT_THROW(tape.constant(rnd(3, 4, 1)) + tape.constant(rnd(2, 4, 1)), nabla::DimensionError);
  EXPECT_THROW(matmul(tape.constant(rnd(3, 4, 1)), tape.constant(rnd(3, 4, 1))), nabla::DimensionError);
  Tape<double> other;
  EXPECT_THROW(a + other.constant(rnd(3, 1, 1)), nabla::DimensionError);
  // A bias of the right shape on another tape is named as such (the message
  // said it must be 1x2 when it was).
  try {
    (void)affine(tape.constant(rnd(3, 4, 1)), tape.constant(rnd(4, 2, 2)), other.constant(rnd(1, 2, 3)));
    ADD_FAILURE() << "a bias on another tape was accepted";
  } catch (const nabla::DimensionError& e) {
    EXPECT_NE(std::string(e.what()).find("another tape"), std::string::npos) << e.what();
  }
}

TEST(Ops, ElementwiseFunctions) {
  expect_gradients_match([](auto&, const Xs& x) { return exp(x[0]); }, {rnd(3, 4, 1)});
  expect_gradients_match([](auto&, const Xs& x) { return log(x[0]); }, {positive(3, 4, 2)});
  expect_gradients_match([](auto&, const Xs& x) { return tanh(x[0]); }, {rnd(3, 4, 3)});
  expect_gradients_match([](auto&, const Xs& x) { return sigmoid(x[0]); }, {rnd(3, 4, 4)});
  expect_gradients_match([](auto&, const Xs& x) { return relu(x[0]); }, {rnd(3, 4, 5)});
  expect_gradients_match([](auto&, const Xs& x) { return softplus(x[0]); }, {rnd(3, 4, 6)});
  expect_gradients_match([](auto&, const Xs& x) { return softplus(x[0], 0.3); }, {rnd(3, 4, 7)});
  expect_gradients_match([](auto&, const Xs& x) { return gelu(x[0]); }, {rnd(3, 4, 8)});
  expect_gradients_match([](auto&, const Xs& x) { return abs(x[0]); }, {rnd(3, 4, 9)});
  expect_gradients_match([](auto&, const Xs& x) { return sqrt(x[0]); }, {positive(3, 4, 10)});
  expect_gradients_match([](auto&, const Xs& x) { return square(x[0]); }, {rnd(3, 4, 11)});
}

TEST(Ops, ReluAgreesWithTheRegistry) {
  Tape<double> tape;
  Mat x(1, 5);
  x << -1.0, -0.0, 0.0, 2.0, std::nan("");
  auto v = tape.variable(x);
  auto y = relu(v);
  tape.backward(sum(y * tape.constant(Mat::Ones(1, 5))));
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(y.value()(0, k), nabla::core::Relu::value(x(0, k), 0.0));
    EXPECT_EQ(v.grad()(0, k), nabla::core::Relu::derivative(x(0, k), 0.0, 0.0));
  }
  EXPECT_TRUE(std::isnan(y.value()(0, 4)));
}

TEST(Ops, GeluValueIsXTimesNormalCdf) {
  Tape<double> tape;
  Mat x(1, 3);
  x << -1.0, 0.0, 2.0;
  auto y = gelu(tape.constant(x));
  for (int k = 0; k < 3; ++k)
    EXPECT_NEAR(y.value()(0, k), x(0, k) * 0.5 * std::erfc(-x(0, k) / std::sqrt(2.0)), 1e-15);
}

TEST(Ops, Reductions) {
  for (int axis : {all_axes, 0, 1}) {
    expect_gradients_match([axis](auto&, const Xs& x) { return sum(x[0], axis); }, {rnd(3, 4, 1)});
    expect_gradients_match([axis](auto&, const Xs& x) { return mean(x[0], axis); }, {rnd(3, 4, 2)});
    expect_gradients_match([axis](auto&, const Xs& x) { return logsumexp(x[0], axis); }, {rnd(3, 4, 3)});
  }
  for (int axis : {0, 1}) {
    expect_gradients_match([axis](auto&, const Xs& x) { return softmax(x[0], axis); }, {rnd(3, 4, 4)});
    expect_gradients_match([axis](auto&, const Xs& x) { return log_softmax(x[0], axis); }, {rnd(3, 4, 5)});
  }
}

TEST(Ops, ReductionValues) {
  Tape<double> tape;
  Mat m(2, 3);
  m << 1, 2, 3, 4, 5, 6;
  auto x = tape.constant(m);
  EXPECT_DOUBLE_EQ(sum(x).item(), 21);
  EXPECT_DOUBLE_EQ(mean(x).item(), 3.5);
  EXPECT_DOUBLE_EQ(sum(x, 0).value()(0, 2), 9);
  EXPECT_DOUBLE_EQ(mean(x, 1).value()(1, 0), 5);
  EXPECT_NEAR(logsumexp(x, 1).value()(0, 0), std::log(std::exp(1) + std::exp(2) + std::exp(3)), 1e-14);
  // Large entries: no overflow.
  auto big = tape.constant(Mat::Constant(1, 2, 1000.0));
  EXPECT_NEAR(logsumexp(big).item(), 1000 + std::log(2.0), 1e-12);
  EXPECT_NEAR(softmax(big).value()(0, 0), 0.5, 1e-15);
  EXPECT_THROW(sum(x, 2), nabla::DimensionError);
}

TEST(Ops, ShapeOperations) {
  expect_gradients_match([](auto&, const Xs& x) { return reshape(x[0], 2, 6); }, {rnd(3, 4, 1)});
  expect_gradients_match([](auto&, const Xs& x) { return transpose(x[0]); }, {rnd(3, 4, 2)});
  expect_gradients_match([](auto&, const Xs& x) { return slice(x[0], 1, 2, 1, 3); }, {rnd(3, 4, 3)});
  for (int axis : {0, 1})
    expect_gradients_match(
        [axis](auto&, const Xs& x) {
          return concat<double>({x[0], x[1], x[0]}, axis);
        },
        {rnd(3, 3, 4), rnd(3, 3, 5)});
  // Composite: a reshape read by later operations and a transpose of a product.
  expect_gradients_match(
      [](auto&, const Xs& x) { return tanh(reshape(matmul(x[0], transpose(x[1])), 1, 6)) * x[2]; },
      {rnd(2, 4, 6), rnd(3, 4, 7), rnd(1, 6, 8)});
  Tape<double> tape;
  auto x = tape.constant(rnd(3, 4, 1));
  EXPECT_THROW(reshape(x, 5, 2), nabla::DimensionError);
  EXPECT_THROW(slice(x, 2, 2, 0, 1), nabla::DimensionError);
  EXPECT_THROW(concat<double>({x, tape.constant(rnd(2, 3, 1))}, 0), nabla::DimensionError);
  // shapes whose products or sums overflow: rows * cols wrapped around to
  // 12 and the view read another tensor's entries
  const Eigen::Index huge = (Eigen::Index{1} << 61) + 1;
  EXPECT_THROW(reshape(x, huge, 8), nabla::DimensionError);
  EXPECT_THROW(reshape(x, Eigen::Index{1} << 62, 4), nabla::DimensionError);
  EXPECT_THROW(slice(x, 1, std::numeric_limits<Eigen::Index>::max(), 0, 1), nabla::DimensionError);
  EXPECT_THROW(slice(x, 0, 1, 1, std::numeric_limits<Eigen::Index>::max()), nabla::DimensionError);
  EXPECT_THROW(gather(x, {}, Eigen::Index{1} << 62, 4), nabla::DimensionError);
}

TEST(Ops, BlocksThatAreOneRunOfMemory) {
  // Slices and concatenations that are one run of memory (whole rows, a part
  // of one row, a column vector) take a flat path; so do same-shape products,
  // including a tensor times itself.
  expect_gradients_match([](auto&, const Xs& x) { return slice(x[0], 1, 2, 0, 4); }, {rnd(3, 4, 1)});
  expect_gradients_match([](auto&, const Xs& x) { return slice(x[0], 2, 1, 1, 2); }, {rnd(3, 4, 2)});
  expect_gradients_match(
      [](auto&, const Xs& x) {
        return concat<double>({x[0], x[1], x[0]}, 1);
      },
      {rnd(1, 3, 3), rnd(1, 2, 4)});
  expect_gradients_match([](auto&, const Xs& x) { return x[0] * x[0] + x[0] * x[1]; },
                         {rnd(5, 1, 5), rnd(5, 1, 6)});
  // z_0 = x_0, z_i = x_i u_{i-1}: the right-hand side of the ode eval, on a
  // column and on a row.
  for (bool column : {true, false}) {
    const auto shifted_product = [column](auto&, const Xs& x) {
      const Eigen::Index n = x[0].size();
      const auto part = [column](Tensor<double> t, Eigen::Index at, Eigen::Index count) {
        return column ? slice(t, at, count, 0, 1) : slice(t, 0, 1, at, count);
      };
      return concat<double>({part(x[0], 0, 1), part(x[0], 1, n - 1) * part(x[1], 0, n - 1)}, column ? 0 : 1);
    };
    expect_gradients_match(shifted_product, column ? std::vector<Mat>{rnd(6, 1, 7), rnd(6, 1, 8)}
                                                   : std::vector<Mat>{rnd(1, 6, 7), rnd(1, 6, 8)});
  }
  Tape<double> tape;
  const Mat v = rnd(4, 1, 9);
  auto x = tape.constant(v);
  EXPECT_EQ(slice(x, 1, 3, 0, 1).value(), v.block(1, 0, 3, 1));
  EXPECT_EQ(concat<double>({x, x}, 0).value().bottomRows(4), v);
}

TEST(Ops, ShiftRowsAndAddWithAlpha) {
  // Down, up, not at all and past the end; alone (the rule assigns a fresh
  // adjoint) and beside other uses of the same input (it adds).
  for (Eigen::Index k : {1, -2, 0, 5, -7}) {
    expect_gradients_match([k](auto&, const Xs& x) { return shift_rows(x[0], k, 0.5); }, {rnd(4, 3, 1)});
    expect_gradients_match([k](auto&, const Xs& x) { return shift_rows(x[0], k, 1.0) * x[0] + x[0]; },
                           {rnd(5, 1, 2)});
  }
  expect_gradients_match([](auto&, const Xs& x) { return add(x[0], x[1], 0.3); },
                         {rnd(3, 4, 3), rnd(3, 4, 4)});
  expect_gradients_match([](auto&, const Xs& x) { return add(x[0], x[1], -2.0); },
                         {rnd(3, 4, 5), rnd(1, 4, 6)});
  expect_gradients_match([](auto&, const Xs& x) { return add(x[0], x[0], 2.0); }, {rnd(2, 2, 7)});
  // The ode eval's right-hand side x * [1; u_0; ...]: the same numbers as
  // with a slice and a concatenation.
  Tape<double> tape;
  const Mat xm = rnd(6, 1, 8), um = rnd(6, 1, 9);
  auto x = tape.constant(xm), u = tape.constant(um);
  const Mat by_shift = (x * shift_rows(u, 1, 1.0)).value();
  const Mat by_slices =
      concat<double>({slice(x, 0, 1, 0, 1), slice(x, 1, 5, 0, 1) * slice(u, 0, 5, 0, 1)}, 0).value();
  EXPECT_EQ(by_shift, by_slices);
  const Mat m = rnd(3, 2, 10);
  auto t = tape.constant(m);
  Mat up(3, 2);
  up << m(2, 0), m(2, 1), -1, -1, -1, -1;
  EXPECT_EQ(shift_rows(t, -2, -1.0).value(), up);
  EXPECT_EQ(shift_rows(t, 3, 4.0).value(), Mat::Constant(3, 2, 4.0));
  EXPECT_EQ(add(t, t, 0.5).value(), m * 1.5);
}

TEST(Ops, GatherPicksRepeatsAndZeroes) {
  // Entries picked twice, skipped and zero-filled (-1): the reverse rule must add the repeats.
  const std::vector<int> index = {5, -1, 0, 5, 11, 2, -1, 7, 0, 3};
  expect_gradients_match([&](auto&, const Xs& x) { return gather(x[0], index, 2, 5); }, {rnd(3, 4, 1)});
  // Inside a composite, as a triangular matrix built from a vector and used in a product.
  const std::vector<int> tril = {0, -1, -1, 1, 2, -1, 3, 4, 5};
  expect_gradients_match([&](auto&, const Xs& x) { return matmul(x[1], gather(exp(x[0]), tril, 3, 3)); },
                         {rnd(1, 6, 2), rnd(4, 3, 3)});
  Tape<double> tape;
  auto x = tape.constant(rnd(2, 3, 1));
  auto y = gather(x, {4, -1, 1}, 1, 3);
  EXPECT_DOUBLE_EQ(y.value()(0, 0), x.value()(1, 1));
  EXPECT_DOUBLE_EQ(y.value()(0, 1), 0.0);
  EXPECT_DOUBLE_EQ(y.value()(0, 2), x.value()(0, 1));
  EXPECT_THROW(gather(x, {0, 1}, 1, 3), nabla::DimensionError);
  EXPECT_THROW(gather(x, {0, 6, 1}, 1, 3), nabla::DimensionError);
  EXPECT_THROW(gather(x, {0, -2, 1}, 1, 3), nabla::DimensionError);
}

TEST(Ops, SharedSubexpressionAccumulates) {
  // f = sum(x * x + exp(x)), used twice: df/dx = 2x + e^x.
  Tape<double> tape;
  Mat m = rnd(2, 2, 3);
  auto x = tape.variable(m);
  tape.backward(sum(x * x + exp(x)));
  for (Eigen::Index k = 0; k < 4; ++k)
    EXPECT_NEAR(x.grad().data()[k], 2 * m.data()[k] + std::exp(m.data()[k]), 1e-14);
}

TEST(Ops, BackwardRunsOncePerRecording) {
  // A second sweep added to the first one's adjoints and ran its rules
  // again: 5 e^x for a gradient of e^x swept twice
  Tape<double> tape;
  Mat m = rnd(1, 1, 3);
  Mat grad = Mat::Zero(1, 1);
  auto x = tape.parameter(m.data(), grad.data(), 1, 1);
  const auto loss = sum(exp(x));
  tape.backward(loss);
  EXPECT_NEAR(grad(0, 0), std::exp(m(0, 0)), 1e-14);
  EXPECT_THROW(tape.backward(loss), nabla::DomainError);
  EXPECT_THROW(tape.backward(sum(x * x)), nabla::DomainError);
  EXPECT_NEAR(grad(0, 0), std::exp(m(0, 0)), 1e-14);  // untouched by the refused calls
  // after clear(), a new recording accumulates into the parameter's memory
  tape.clear();
  auto x2 = tape.parameter(m.data(), grad.data(), 1, 1);
  tape.backward(sum(exp(x2)));
  EXPECT_NEAR(grad(0, 0), 2 * std::exp(m(0, 0)), 1e-13);
}

TEST(Ops, BackwardNeedsAScalarWithAGradient) {
  Tape<double> tape;
  auto c = tape.constant(rnd(2, 2, 1));
  EXPECT_THROW(tape.backward(sum(c)), nabla::DomainError);
  EXPECT_THROW(tape.backward(tape.variable(rnd(2, 2, 1))), nabla::DimensionError);
  EXPECT_THROW((void)c.grad(), nabla::DomainError);
}

TEST(Ops, FloatTensorsAgreeWithDouble) {
  Tape<float> tf;
  Tape<double> td;
  Mat a = rnd(5, 7, 1), b = rnd(7, 3, 2);
  auto xf = tf.variable(a.cast<float>());
  auto xd = td.variable(a);
  auto yf = sum(softmax(matmul(xf, tf.constant(b.cast<float>()))) * 2.0f);
  auto yd = sum(softmax(matmul(xd, td.constant(b))) * 2.0);
  tf.backward(yf);
  td.backward(yd);
  EXPECT_NEAR(yf.item(), yd.item(), 1e-5);
  EXPECT_LT((xf.grad().cast<double>() - xd.grad()).cwiseAbs().maxCoeff(), 1e-5);
}

TEST(Ops, ThreadedProductsMatchSerial) {
  // Tall products split over rows, wide ones (a batch times a weight) over
  // columns, each with a transposed operand in the reverse rule; every
  // product is large enough to be split.
  for (const auto& [m, k, n] :
       {std::array<Eigen::Index, 3>{600, 200, 150}, std::array<Eigen::Index, 3>{40, 400, 600}}) {
    const Mat a = rnd(m, k, 1), b = rnd(k, n, 2);
    auto run = [&](int threads) {
      set_threads(threads);
      Tape<double> tape;
      auto x = tape.variable(a);
      auto w = tape.variable(b);
      auto y = matmul(x, w);
      tape.backward(sum(square(y)));
      return std::array<Mat, 3>{y.value(), x.grad(), w.grad()};
    };
    const auto serial = run(1), threaded = run(3);
    set_threads(1);
    for (int i = 0; i < 3; ++i)
      EXPECT_LE((threaded[i] - serial[i]).cwiseAbs().maxCoeff(), 1e-12 * serial[i].cwiseAbs().maxCoeff())
          << m << "x" << k << "x" << n << " output " << i;
  }
}

TEST(Ops, AChildOfForkRunsThreadedProductsAndExits) {
  // The pool's workers do not survive fork(): the child waited forever for
  // them in its first threaded product, and at exit in the pool's destructor.
  const Mat a = rnd(600, 200, 1), b = rnd(200, 150, 2);
  auto product = [&]() -> Mat {  // a copy: the value lives on the tape
    Tape<double> tape;
    auto y = matmul(tape.variable(a), tape.variable(b));
    return y.value();
  };
  set_threads(2);
  const Mat expected = product();  // the pool now has a worker
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const bool same = (product() - expected).cwiseAbs().maxCoeff() == 0;
    std::exit(same ? 0 : 1);  // static destructors run
  }
  int status = 0;
  pid_t done = 0;
  for (int waited_ms = 0; waited_ms < 20000 && done == 0; waited_ms += 10) {
    done = waitpid(child, &status, WNOHANG);
    if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (done == 0) {
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
  }
  set_threads(1);
  ASSERT_NE(done, 0) << "the child hung";
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
