// Layers and models: shapes, seeded initialization (same seed, same weights;
// Xavier and He scales), the whole model's parameter gradient against
// numdiff, and LinearRegression's closed form against the normal equations.
#include "nabla/nn/layers.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "gradient_check.hpp"
#include "nabla/nn/losses.hpp"
#include "nabla/numdiff/multivariate.hpp"

namespace {

using namespace nabla::nn;
using nabla::nn::testing::Mat;
using nabla::nn::testing::random_matrix;

TEST(Layers, ModelShapesAndOneBuffer) {
  MLP<double> mlp({4, 8, 3}, Activation::tanh, 1);
  EXPECT_EQ(mlp.parameters().size(), 4 * 8 + 8 + 8 * 3 + 3);
  EXPECT_EQ(mlp.parameters().blocks().size(), 4u);
  EXPECT_EQ(mlp.predict(random_matrix(5, 4, 1)).cols(), 3);
  Tape<double> tape;
  EXPECT_THROW(mlp.forward(tape, tape.constant(random_matrix(5, 3, 1))), nabla::DimensionError);
  EXPECT_THROW(MLP<double>({4}), nabla::DimensionError);
  EXPECT_THROW(parse_activation("swish"), nabla::DomainError);
}

TEST(Layers, SeededInitialization) {
  MLP<double> a({50, 200, 10}, Activation::relu, 7), b({50, 200, 10}, Activation::relu, 7);
  MLP<double> c({50, 200, 10}, Activation::relu, 8);
  EXPECT_EQ(a.parameters().values(), b.parameters().values());
  EXPECT_NE(a.parameters().values(), c.parameters().values());
  // He: weights of layer 0 have variance 2 / 50.
  const auto w = a.parameters().value(a.layers()[0].weight());
  const double var = w.array().square().mean();
  EXPECT_NEAR(var, 2.0 / 50, 0.1 * 2.0 / 50);
  EXPECT_TRUE(a.parameters().value(a.layers()[0].bias()).isZero());
  // Xavier uniform for tanh: bound sqrt(6 / (50 + 200)), variance bound^2 / 3.
  MLP<double> t({50, 200, 10}, Activation::tanh, 7);
  const auto wt = t.parameters().value(t.layers()[0].weight());
  const double bound = std::sqrt(6.0 / 250);
  EXPECT_LE(wt.cwiseAbs().maxCoeff(), bound);
  EXPECT_NEAR(wt.array().square().mean(), bound * bound / 3, 0.1 * bound * bound / 3);
}

TEST(Layers, ParameterGradientMatchesNumdiff) {
  for (Activation act :
       {Activation::relu, Activation::tanh, Activation::sigmoid, Activation::gelu, Activation::softplus}) {
    MLP<double> model({3, 5, 4, 2}, act, 3);
    const Mat x = random_matrix(7, 3, 4);
    Mat labels(7, 1);
    labels << 0, 1, 1, 0, 1, 0, 0;
    auto value = [&](const Eigen::VectorXd& p) {
      model.parameters().values() = p;
      Tape<double> tape;
      return cross_entropy(model.forward(tape, tape.constant(x)), tape.constant(labels)).item();
    };
    const Eigen::VectorXd p0 = model.parameters().values();
    const Eigen::VectorXd numeric = nabla::numdiff::gradient(value, p0);
    model.parameters().values() = p0;
    model.parameters().zero_grad();
    Tape<double> tape;
    tape.backward(cross_entropy(model.forward(tape, tape.constant(x)), tape.constant(labels)));
    EXPECT_LT((model.parameters().grads() - numeric).cwiseAbs().maxCoeff(), 1e-8) << to_string(act);
  }
}

TEST(Layers, LinearRegressionClosedFormSolvesNormalEquations) {
  const Eigen::MatrixXd x = random_matrix(30, 3, 5);
  Eigen::MatrixXd y = x * Eigen::Vector3d(1, -2, 0.5) + Eigen::VectorXd::Constant(30, 3.0);
  y += 0.01 * Eigen::MatrixXd(random_matrix(30, 1, 6));
  const Eigen::MatrixXd wb = LinearRegression<double>::closed_form(x, y);
  Eigen::MatrixXd design(30, 4);
  design << x, Eigen::VectorXd::Ones(30);
  // Normal equations: A^T (A wb - y) = 0.
  EXPECT_LT((design.transpose() * (design * wb - y)).cwiseAbs().maxCoeff(), 1e-12);
  LinearRegression<double> model(3);
  model.fit_closed_form(x, y);
  EXPECT_LT((model.predict(x) - design * wb).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(Layers, LogisticRegressionProbabilities) {
  LogisticRegression<double> binary(3, 2, 1), multi(3, 4, 1);
  const Mat x = random_matrix(5, 3, 2);
  const Mat pb = binary.predict_proba(x), pm = multi.predict_proba(x);
  EXPECT_EQ(pb.cols(), 1);
  EXPECT_EQ(pm.cols(), 4);
  EXPECT_LT((pm.rowwise().sum().array() - 1).abs().maxCoeff(), 1e-14);
  const Mat z = binary.predict(x);
  EXPECT_NEAR(pb(0, 0), 1 / (1 + std::exp(-z(0, 0))), 1e-15);
}

}  // namespace
