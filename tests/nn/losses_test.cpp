// Losses against their formulas computed here entry by entry, their
// gradients against numdiff, the smooth relaxations' error bounds, and bad
// targets.
#include "nabla/nn/losses.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "gradient_check.hpp"

namespace {

using namespace nabla::nn;
using nabla::nn::testing::expect_gradients_match;
using nabla::nn::testing::Mat;
using nabla::nn::testing::random_matrix;
using Xs = std::vector<Tensor<double>>;

Mat labels01(Eigen::Index n) {
  Mat y(n, 1);
  for (Eigen::Index i = 0; i < n; ++i) y(i, 0) = double(i % 2);
  return y;
}

TEST(Losses, RegressionValues) {
  Tape<double> tape;
  Mat o(3, 1), t(3, 1);
  o << 1.0, -2.0, 0.5;
  t << 0.0, 1.0, 0.5;
  auto out = tape.constant(o), tgt = tape.constant(t);
  EXPECT_DOUBLE_EQ(mse_loss(out, tgt).item(), (1.0 + 9.0 + 0.0) / 3);
  EXPECT_DOUBLE_EQ(mae_loss(out, tgt).item(), (1.0 + 3.0 + 0.0) / 3);
  // Huber with delta 1.5: r = 1 (square), r = -3 (linear), r = 0.
  EXPECT_DOUBLE_EQ(huber_loss(out, tgt, 1.5).item(), (0.5 + 1.5 * (3 - 0.75) + 0.0) / 3);
}

TEST(Losses, ClassificationValues) {
  Tape<double> tape;
  Mat z(2, 1), y(2, 1);
  z << 2.0, -1.0;
  y << 1.0, 1.0;
  auto zt = tape.constant(z), yt = tape.constant(y);
  const double bce = (std::log(1 + std::exp(-2.0)) + std::log(1 + std::exp(1.0))) / 2;
  EXPECT_NEAR(binary_cross_entropy_with_logits(zt, yt).item(), bce, 1e-15);
  EXPECT_DOUBLE_EQ(hinge_loss(zt, yt).item(), (0.0 + 2.0) / 2);
  EXPECT_DOUBLE_EQ(squared_hinge_loss(zt, yt).item(), (0.0 + 4.0) / 2);
  // Huge logits: BCE stays finite and exact.
  Mat big(2, 1);
  big << 800.0, -800.0;
  EXPECT_NEAR(binary_cross_entropy_with_logits(tape.constant(big), yt).item(), 400.0, 1e-12);
  // Softmax cross-entropy: rows (1, 2, 3) with label 2 and (0, 0, 0) with label 0.
  Mat logits(2, 3), labels(2, 1);
  logits << 1, 2, 3, 0, 0, 0;
  labels << 2, 0;
  const double ce = (std::log(std::exp(1) + std::exp(2) + std::exp(3)) - 3 + std::log(3.0)) / 2;
  EXPECT_NEAR(cross_entropy(tape.constant(logits), tape.constant(labels)).item(), ce, 1e-14);
}

TEST(Losses, GradientsMatchNumdiff) {
  const Mat o = random_matrix(5, 2, 1), t = random_matrix(5, 2, 2);
  expect_gradients_match([](auto&, const Xs& x) { return mse_loss(x[0], x[1]); }, {o, t});
  expect_gradients_match([](auto&, const Xs& x) { return mae_loss(x[0], x[1]); }, {o, t});
  expect_gradients_match([](auto&, const Xs& x) { return huber_loss(x[0], x[1], 0.7); }, {o, t});
  const Mat z = random_matrix(6, 1, 3), y = labels01(6);
  auto with_labels = [&y](auto loss) {
    return [loss, &y](Tape<double>& tp, const Xs& x) { return loss(x[0], tp.constant(y)); };
  };
  expect_gradients_match(with_labels([](auto a, auto b) { return binary_cross_entropy_with_logits(a, b); }),
                         {z});
  expect_gradients_match(with_labels([](auto a, auto b) { return hinge_loss(a, b); }), {z});
  expect_gradients_match(with_labels([](auto a, auto b) { return squared_hinge_loss(a, b); }), {z});
  expect_gradients_match(with_labels([](auto a, auto b) { return smoothed_zero_one_loss(a, b, 0.5); }), {z});
  Mat classes(6, 1);
  classes << 0, 2, 1, 3, 3, 0;
  expect_gradients_match(
      [&classes](auto& tp, const Xs& x) { return cross_entropy(x[0], tp.constant(classes)); },
      {random_matrix(6, 4, 4)});
}

TEST(Losses, SmoothRelaxationsConvergeWithinTheirBounds) {
  Tape<double> tape;
  const Mat m = random_matrix(4, 5, 7);
  auto x = tape.constant(m);
  for (double tau : {1.0, 0.1, 0.01}) {
    const Mat r = smooth_relu(x, tau).value();
    const Mat a = smooth_abs(x, tau).value();
    const Mat s = smooth_step(x, tau).value();
    for (Eigen::Index k = 0; k < m.size(); ++k) {
      const double v = m.data()[k];
      EXPECT_GE(r.data()[k], std::max(v, 0.0));
      EXPECT_LE(r.data()[k], std::max(v, 0.0) + tau * std::log(2.0) + 1e-15);
      EXPECT_GE(a.data()[k], std::abs(v));
      EXPECT_LE(a.data()[k], std::abs(v) + tau + 1e-15);
      EXPECT_NEAR(s.data()[k], 1 / (1 + std::exp(-v / tau)), 1e-15);
    }
    const double mx = smooth_max(x, tau).item();
    EXPECT_GE(mx, m.maxCoeff());
    EXPECT_LE(mx, m.maxCoeff() + tau * std::log(20.0) + 1e-12);
  }
  expect_gradients_match([](auto&, const Xs& v) { return smooth_abs(v[0], 0.3); }, {m});
  expect_gradients_match([](auto&, const Xs& v) { return smooth_max(v[0], 0.3, 1); }, {m});
}

TEST(Losses, BadTargetsAreClearErrors) {
  Tape<double> tape;
  auto z = tape.constant(random_matrix(3, 1, 1));
  Mat bad(3, 1);
  bad << 0, 2, 1;
  EXPECT_THROW(hinge_loss(z, tape.constant(bad)), nabla::DomainError);
  // BCE takes probabilities (soft labels): 2 or -0.5 is not one, 0.25 is.
  EXPECT_THROW(binary_cross_entropy_with_logits(z, tape.constant(bad)), nabla::DomainError);
  Mat below = Mat::Constant(3, 1, -0.5), soft = Mat::Constant(3, 1, 0.25);
  EXPECT_THROW(binary_cross_entropy_with_logits(z, tape.constant(below)), nabla::DomainError);
  EXPECT_NO_THROW(binary_cross_entropy_with_logits(z, tape.constant(soft)));
  EXPECT_THROW(mse_loss(z, tape.constant(random_matrix(2, 1, 1))), nabla::DimensionError);
  EXPECT_THROW(cross_entropy(tape.constant(random_matrix(3, 2, 1)), tape.constant(bad)), nabla::DomainError);
  EXPECT_THROW(parse_loss("nope"), nabla::DomainError);
  EXPECT_EQ(parse_loss(to_string(Loss::squared_hinge)), Loss::squared_hinge);
}

// The fused cross-entropy entry reads its labels by node id: labels from
// another tape would be another node there (a heap write in backward), so
// it refuses them like every binary op does.
TEST(Losses, CrossEntropyRefusesLabelsFromAnotherTape) {
  Tape<double> tape, other;
  Mat labels(3, 1);
  labels << 0, 1, 1;
  auto z = tape.variable(random_matrix(3, 2, 1));
  try {
    cross_entropy(z, other.constant(labels));
    FAIL() << "labels on another tape were accepted";
  } catch (const nabla::DimensionError& e) {
    EXPECT_NE(std::string(e.what()).find("different tapes"), std::string::npos) << e.what();
  }
  EXPECT_THROW(mse_loss(z, other.constant(random_matrix(3, 2, 2))), nabla::DimensionError);
}

}  // namespace
