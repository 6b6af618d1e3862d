// The exact answers of issue 5: one gradient step on the seed data against
// the MSE formulas worked out here; gradient descent reaching the
// least-squares solution to 1e-6; L2-regularized logistic regression on all
// 569 standardized breast-cancer rows reaching 37.7589459619 (the figure of
// ../shared/data/README.md, made by SciPy's BFGS and L-BFGS-B).
#include <gtest/gtest.h>

#include <cmath>

#include "nabla/data/csv.hpp"
#include "nabla/nn/train.hpp"

namespace {

using namespace nabla::nn;

TrainOptions gradient_descent(double rate, long epochs, Eigen::Index batch) {
  TrainOptions o;
  o.optimizer.method = nabla::optim::Method::GradientDescent;
  o.optimizer.learning_rate = rate;
  o.loss.kind = Loss::mse;
  o.epochs = epochs;
  o.batch_size = batch;
  o.progress = false;
  return o;
}

TEST(TrainExact, OneGradientStepOnTheSeedData) {
  const double xs[] = {1, 2, 3, 4}, ts[] = {2.3, 4.1, 5.9, 8.2};
  const double w = 0.5, b = 0, rate = 0.01;
  // L = (1/n) sum (w x + b - t)^2; dL/dw = (2/n) sum r x; dL/db = (2/n) sum r.
  double loss = 0, dw = 0, db = 0;
  for (int i = 0; i < 4; ++i) {
    const double r = w * xs[i] + b - ts[i];
    loss += r * r / 4;
    dw += 2 * r * xs[i] / 4;
    db += 2 * r / 4;
  }
  EXPECT_NEAR(loss, 17.6625, 1e-12);  // residuals -1.8, -3.1, -4.4, -6.2
  EXPECT_NEAR(dw, -23.0, 1e-12);
  EXPECT_NEAR(db, -7.75, 1e-12);

  LinearRegression<double> model(1);
  model.parameters().value(model.layers()[0].weight())(0, 0) = w;
  model.parameters().value(model.layers()[0].bias())(0, 0) = b;
  const Eigen::MatrixXd x = Eigen::Map<const Eigen::VectorXd>(xs, 4);
  const Eigen::VectorXd t = Eigen::Map<const Eigen::VectorXd>(ts, 4);
  const History h = train(model, x, t, gradient_descent(rate, 1, 4));
  EXPECT_NEAR(h.epochs.at(0).train_loss, loss, 1e-12);
  EXPECT_NEAR(model.parameters().value(model.layers()[0].weight())(0, 0), w - rate * dw, 1e-14);  // 0.73
  EXPECT_NEAR(model.parameters().value(model.layers()[0].bias())(0, 0), b - rate * db, 1e-14);    // 0.0775
}

TEST(TrainExact, GradientDescentReachesLeastSquares) {
  const Eigen::MatrixXd x = (Eigen::MatrixXd(4, 1) << 1, 2, 3, 4).finished();
  const Eigen::VectorXd t = (Eigen::VectorXd(4) << 2.3, 4.1, 5.9, 8.2).finished();
  // Least squares by hand: w = sum (x - 2.5)(t - 5.125) / sum (x - 2.5)^2 = 9.75 / 5, b = 5.125 - 2.5 w.
  const Eigen::MatrixXd exact = LinearRegression<double>::closed_form(x, t);
  EXPECT_NEAR(exact(0, 0), 1.95, 1e-12);
  EXPECT_NEAR(exact(1, 0), 0.25, 1e-12);
  LinearRegression<double> model(1);
  train(model, x, t, gradient_descent(0.01, 20000, 4));
  EXPECT_NEAR(model.parameters().values()(0), exact(0, 0), 1e-6);
  EXPECT_NEAR(model.parameters().values()(1), exact(1, 0), 1e-6);
}

TEST(TrainExact, GradientDescentReachesLeastSquaresOnDiabetes) {
  nabla::data::Dataset d = nabla::data::read_csv(std::string(NABLA_DATA_DIR) + "/diabetes.csv");
  const Eigen::MatrixXd x = nabla::data::Standardizer::fit(d.features).apply(d.features);
  const Eigen::VectorXd t = (d.targets.array() - d.targets.mean()) / 100.0;
  const Eigen::MatrixXd exact = LinearRegression<double>::closed_form(x, t);
  LinearRegression<double> model(10);
  TrainOptions o = gradient_descent(0.2, 1000, d.rows());
  o.optimizer.method = nabla::optim::Method::LBFGS;  // first a check that the full-batch path agrees
  o.optimizer.gradient_tolerance = 1e-12;
  train(model, x, t, o);
  EXPECT_LT((model.parameters().values() - exact).cwiseAbs().maxCoeff(), 1e-6);
  LinearRegression<double> gd(10);
  train(gd, x, t, gradient_descent(0.2, 60000, d.rows()));
  EXPECT_LT((gd.parameters().values() - exact).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(TrainExact, RegularizedLogisticRegressionOnBreastCancer) {
  const nabla::data::Dataset d = nabla::data::read_csv(std::string(NABLA_DATA_DIR) + "/breast_cancer.csv");
  ASSERT_EQ(d.rows(), 569);
  // Standardized with the population standard deviation over all 569 rows.
  const Eigen::MatrixXd x = nabla::data::Standardizer::fit(d.features).apply(d.features);
  // 1/2 |w|^2 + sum log(1 + e^{-y (w.x + b)}) = n (mean BCE + (1 / 2n) |w|^2), b free.
  LogisticRegression<double> model(30, 2, 0);
  TrainOptions o;
  o.optimizer.method = nabla::optim::Method::LBFGS;
  o.optimizer.max_iterations = o.epochs = 5000;  // full batch: both bound the iterations
  o.optimizer.gradient_tolerance = 1e-10;
  o.loss.kind = Loss::binary_cross_entropy;
  o.weight_decay = 1.0 / 569;
  o.progress = false;
  const History h = train(model, x, d.targets, o);
  EXPECT_NEAR(569 * h.final_loss, 37.7589459619, 1e-8) << h.stop_reason;
}

}  // namespace
