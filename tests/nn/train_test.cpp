// The training loop's features: a digits MLP reaching the accuracy PyTorch
// reaches, the smoothed 0-1 loss lowering the true 0-1 error, validation and
// early stopping, the per-layer gradient flags, feature importance against
// its closed form for a linear model, divergence and bad input.
#include "nabla/nn/train.hpp"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <barrier>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "nabla/data/csv.hpp"
#include "nabla/nn/metrics.hpp"

namespace {

using namespace nabla::nn;
namespace data = nabla::data;

TrainOptions quiet(nabla::optim::Method method, double rate, Loss loss, long epochs) {
  TrainOptions o;
  o.optimizer.method = method;
  o.optimizer.learning_rate = rate;
  o.loss.kind = loss;
  o.epochs = epochs;
  o.progress = false;
  return o;
}

data::Split standardized(const std::string& file, std::uint64_t seed) {
  data::Split s = data::split(data::read_csv(std::string(NABLA_DATA_DIR) + "/" + file), 0.25, seed, true);
  const data::Standardizer z = data::Standardizer::fit(s.train.features);
  s.train.features = z.apply(s.train.features);
  s.test.features = z.apply(s.test.features);
  return s;
}

TEST(Train, DigitsMlpReachesReferenceAccuracy) {
  const data::Split s = standardized("digits.csv", 0);
  MLP<float> model({64, 128, 10}, Activation::relu, 0);
  const History h = train(model, s.train.features, s.train.targets,
                          quiet(nabla::optim::Method::Adam, 1e-3, Loss::cross_entropy, 50));
  ASSERT_EQ(h.epochs.size(), 50u);
  EXPECT_LT(h.epochs.back().train_loss, 0.05);
  const Evaluation e = evaluate(model, s.test.features, s.test.targets, {Loss::cross_entropy});
  EXPECT_GT(e.accuracy, 0.95);  // PyTorch: about 0.973 on this split size
}

TEST(Train, SmoothedZeroOneLossLowersTheTrueZeroOneError) {
  // Two Gaussian classes with 10% of the labels flipped far out: the 0-1
  // error is what we want; its sigmoid smoothing is differentiable.
  std::mt19937_64 gen(5);
  std::normal_distribution<double> noise(0, 1);
  const int n = 400;
  Eigen::MatrixXd x(n, 2);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) {
    y(i) = i % 2;
    x(i, 0) = noise(gen) + (y(i) == 1 ? 1.5 : -1.5);
    x(i, 1) = noise(gen);
  }
  LogisticRegression<double> model(2, 2, 3);
  model.parameters().values() << -1.0, 2.0, 0.5;  // a poor start: mostly the wrong feature
  auto zero_one = [&] { return 1 - accuracy(model.predict(x), y); };
  const double before = zero_one();
  TrainOptions o = quiet(nabla::optim::Method::Adam, 0.05, Loss::smoothed_zero_one, 100);
  o.loss.temperature = 0.5;
  o.batch_size = 50;
  const History h = train(model, x, y, o);
  const double after = zero_one();
  EXPECT_GT(before, 0.3);
  EXPECT_LT(after, 0.1);  // the Bayes error here is about 0.067
  EXPECT_LT(h.epochs.back().train_loss, h.epochs.front().train_loss);
}

TEST(Train, ValidationAndEarlyStopping) {
  const data::Split s = standardized("breast_cancer.csv", 1);
  MLP<double> model({30, 64, 1}, Activation::tanh, 2);
  TrainOptions o = quiet(nabla::optim::Method::Adam, 0.01, Loss::binary_cross_entropy, 500);
  o.validation_fraction = 0.2;
  o.patience = 5;
  const History h = train(model, s.train.features, s.train.targets, o);
  EXPECT_TRUE(h.stopped_early);
  EXPECT_LT(h.epochs.size(), 500u);
  const EpochReport& best = h.epochs.at(static_cast<std::size_t>(h.best_epoch - 1));
  for (const EpochReport& r : h.epochs) EXPECT_GE(r.validation_loss, best.validation_loss);
  EXPECT_GT(best.validation_metric, 0.9);
  // The model holds the best epoch's parameters: its validation loss is that epoch's.
  EXPECT_EQ(int(h.epochs.size()), h.best_epoch + 5);
}

TEST(Train, StoppingFromTheCallbackKeepsItsEpochWhenBest) {
  // Validation losses falling every epoch, the callback stopping at the
  // third: early stopping restores the best epoch, which is that last one.
  std::mt19937 gen(3);
  std::normal_distribution<double> noise(0, 1);
  Eigen::MatrixXd x(40, 3);
  Eigen::VectorXd y(40);
  for (int i = 0; i < 40; ++i) {
    for (int j = 0; j < 3; ++j) x(i, j) = noise(gen);
    y(i) = 2 * x(i, 0) - x(i, 1) + 0.5 * x(i, 2) + 0.1 * noise(gen) + 1;
  }
  MLP<double> model({3, 4, 1}, Activation::tanh, 7);
  TrainOptions o = quiet(nabla::optim::Method::Adam, 0.05, Loss::mse, 50);
  o.batch_size = 8;
  o.validation_fraction = 0.25;
  o.patience = 3;
  std::vector<double> losses;
  Eigen::VectorXd last;
  o.callback = [&](const EpochReport& r) {
    losses.push_back(r.validation_loss);
    last = model.parameters().values();
    return r.epoch < 3;
  };
  const History h = train(model, x, y, o);
  ASSERT_EQ(losses.size(), 3u);
  ASSERT_LT(losses[2], losses[1]);
  ASSERT_LT(losses[1], losses[0]);
  EXPECT_EQ(h.stop_reason, "the callback asked to stop");
  EXPECT_EQ(h.best_epoch, 3);
  EXPECT_EQ(model.parameters().values(), last);
}

TEST(Train, ItsThreadsAreItsOwnAndTheCallersSettingStays) {
  // Regression: train set nn::set_threads(options.threads) and kept it, so a
  // training with the default options undid the caller's set_threads(3).
  const Eigen::MatrixXd x = (Eigen::MatrixXd(4, 1) << 1, 2, 3, 4).finished();
  const Eigen::VectorXd t = (Eigen::VectorXd(4) << 2.3, 4.1, 5.9, 8.2).finished();
  for (const auto method : {nabla::optim::Method::GradientDescent, nabla::optim::Method::LBFGS}) {
    set_threads(3);
    LinearRegression<double> model(1);
    train(model, x, t, quiet(method, 0.01, Loss::mse, 3));  // threads = 1
    EXPECT_EQ(nabla::nn::threads(), 3);
  }
  set_threads(1);
}

TEST(Train, TwoTrainingsAtOnceEachKeepTheirOwnThreads) {
  // Regression: a training's thread count was the process-wide one, set on
  // entry and put back on exit. Two trainings on two threads took each
  // other's count, and the one to finish last left the other's entry value
  // behind as the process's setting.
  const Eigen::MatrixXd x = (Eigen::MatrixXd(4, 1) << 1, 2, 3, 4).finished();
  const Eigen::VectorXd t = (Eigen::VectorXd(4) << 2.3, 4.1, 5.9, 8.2).finished();
  set_threads(5);
  std::barrier both_running(2);
  std::vector<int> seen(2, 0);
  const auto run = [&](int slot, int threads) {
    LinearRegression<double> model(1);
    TrainOptions o = quiet(nabla::optim::Method::GradientDescent, 0.01, Loss::mse, 2);
    o.threads = threads;
    o.callback = [&](const EpochReport& r) {
      if (r.epoch == 1) both_running.arrive_and_wait();  // the other has set its count by now
      if (r.epoch == 2) seen[slot] = nabla::nn::threads();
      return true;
    };
    train(model, x, t, o);
  };
  std::thread first(run, 0, 2), second(run, 1, 3);
  first.join();
  second.join();
  EXPECT_EQ(seen[0], 2);
  EXPECT_EQ(seen[1], 3);
  EXPECT_EQ(nabla::nn::threads(), 5);
  set_threads(1);
}

TEST(Train, TheLargestBatchSizeIsOneBatchOfEveryRow) {
  // The batch count was (rows + batch_size - 1) / batch_size, a signed
  // overflow (undefined; UBSan stops there) for a batch size near the maximum.
  const Eigen::MatrixXd x = (Eigen::MatrixXd(4, 1) << 1, 2, 3, 4).finished();
  const Eigen::VectorXd t = (Eigen::VectorXd(4) << 2.3, 4.1, 5.9, 8.2).finished();
  TrainOptions o = quiet(nabla::optim::Method::GradientDescent, 0.01, Loss::mse, 3);
  o.batch_size = 4;
  LinearRegression<double> whole(1), largest(1);
  train(whole, x, t, o);
  o.batch_size = std::numeric_limits<Eigen::Index>::max();
  const History h = train(largest, x, t, o);
  EXPECT_EQ(h.epochs_run, 3);
  EXPECT_EQ(largest.parameters().values(), whole.parameters().values());
}

TEST(Train, LongRunsKeepBoundedEvenlySpacedReports) {
  // 8 rows of y = 2x on a linear model: an epoch takes microseconds, and a
  // run of 10^9 of them must not keep 10^9 reports.
  Eigen::MatrixXd x(8, 1);
  Eigen::VectorXd y(8);
  for (int i = 0; i < 8; ++i) {
    x(i, 0) = i / 8.0;
    y(i) = 2 * x(i, 0);
  }
  const long epochs = 25001;
  MLP<double> model({1, 1}, Activation::identity, 3);
  const History h = train(model, x, y, quiet(nabla::optim::Method::GradientDescent, 1e-3, Loss::mse, epochs));
  EXPECT_EQ(h.epochs_run, epochs);
  EXPECT_GT(h.seconds_per_epoch, 0);
  // Full at epoch 10000: the odd ones go; full again at 20000: all but the
  // multiples of 4. The last epoch stays.
  ASSERT_EQ(h.epochs.size(), 25000u / 4 + 1);
  for (std::size_t i = 0; i + 1 < h.epochs.size(); ++i) EXPECT_EQ(h.epochs[i].epoch, 4 * long(i + 1));
  EXPECT_EQ(h.epochs.back().epoch, epochs);
  EXPECT_LE(h.epochs.size(), max_epoch_reports + 2);

  // Early stopping keeps the best epoch's report even when thinning dropped
  // it: no later epoch is better by min_delta, so the best is the first.
  TrainOptions o = quiet(nabla::optim::Method::GradientDescent, 1e-3, Loss::mse, 30000);
  o.validation_fraction = 0.25;
  o.patience = 20000;
  o.min_delta = 1e9;
  MLP<double> stopped({1, 1}, Activation::identity, 3);
  const History e = train(stopped, x, y, o);
  EXPECT_TRUE(e.stopped_early);
  EXPECT_EQ(e.epochs_run, 20001);
  EXPECT_EQ(e.best_epoch, 1);
  ASSERT_FALSE(e.epochs.empty());
  EXPECT_EQ(e.epochs.front().epoch, 1);
  EXPECT_EQ(e.epochs.back().epoch, 20001);
  for (std::size_t i = 0; i + 1 < e.epochs.size(); ++i) EXPECT_LT(e.epochs[i].epoch, e.epochs[i + 1].epoch);
}

TEST(Train, GradientNormFlags) {
  const data::Split s = standardized("iris.csv", 0);
  // A deep sigmoid stack: the first layer's gradient vanishes.
  MLP<double> deep({4, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 3}, Activation::sigmoid, 1);
  const History h = train(deep, s.train.features, s.train.targets,
                          quiet(nabla::optim::Method::GradientDescent, 1e-3, Loss::cross_entropy, 1));
  ASSERT_EQ(h.epochs[0].gradients.size(), 13u);
  EXPECT_TRUE(h.epochs[0].gradients.front().vanishing) << h.epochs[0].gradients.front().norm;
  EXPECT_FALSE(h.epochs[0].gradients.back().vanishing);
  // Huge weights: the gradient explodes.
  MLP<double> big({4, 16, 3}, Activation::relu, 1);
  big.parameters().values() *= 1e3;
  const History e = train(big, s.train.features, s.train.targets,
                          quiet(nabla::optim::Method::GradientDescent, 1e-12, Loss::cross_entropy, 1));
  EXPECT_TRUE(e.epochs[0].gradients.back().exploding) << e.epochs[0].gradients.back().norm;
}

TEST(Train, FeatureImportanceOfALinearModel) {
  // For y = x w + b, d y / d x_j = w_j: importance_j = mean_i |x_ij w_j|.
  LinearRegression<double> model(3, 1, 4);
  const Eigen::MatrixXd x = Eigen::MatrixXd::Random(20, 3);
  const Eigen::VectorXd importance = feature_importance(model, x);
  const auto w = model.parameters().value(model.layers()[0].weight());
  for (int j = 0; j < 3; ++j)
    EXPECT_NEAR(importance(j), x.col(j).cwiseAbs().mean() * std::abs(w(j, 0)), 1e-14);
}

TEST(Train, WeightDecayReachesRidgeRegression) {
  // Minimize (1/n) |X w + b - t|^2 + (lambda / 2) |w|^2 (b free). With centred
  // X and t, b = 0 and w solves ((2/n) X^T X + lambda I) w = (2/n) X^T t.
  Eigen::MatrixXd x = Eigen::MatrixXd::Random(40, 3);
  x.rowwise() -= x.colwise().mean();
  Eigen::VectorXd t = x * Eigen::Vector3d(1, -2, 3) + 0.1 * Eigen::VectorXd::Random(40);
  t.array() -= t.mean();
  const double lambda = 0.5, n = 40;
  const Eigen::Vector3d ridge = (2 / n * x.transpose() * x + lambda * Eigen::Matrix3d::Identity())
                                    .ldlt()
                                    .solve(2 / n * x.transpose() * t);
  for (auto method : {nabla::optim::Method::GradientDescent, nabla::optim::Method::LBFGS}) {
    LinearRegression<double> model(3);
    TrainOptions o = quiet(method, 0.1, Loss::mse, 3000);
    o.batch_size = 40;
    o.weight_decay = lambda;
    o.optimizer.gradient_tolerance = 1e-12;
    const History h = train(model, x, t, o);
    EXPECT_LT((model.parameters().values().head(3) - ridge).cwiseAbs().maxCoeff(), 1e-8);
    EXPECT_NEAR(model.parameters().values()(3), 0.0, 1e-8);
    // The reports' loss leaves the penalty out, full batch too; final_loss has it.
    const Eigen::VectorXd w = model.parameters().values();
    const double mse = (x * w.head(3) + Eigen::VectorXd::Constant(40, w(3)) - t).squaredNorm() / n;
    const double penalty = lambda / 2 * w.head(3).squaredNorm();
    EXPECT_NEAR(h.epochs.back().train_loss, mse, 1e-9) << nabla::optim::name(method);
    EXPECT_NEAR(h.final_loss, mse + penalty, 1e-9) << nabla::optim::name(method);
  }
}

TEST(Train, AdamWDecaysTheWeightsNotTheBiases) {
  // A perfect fit (X = 0, t = 5, bias 5): the gradient is 0, so Adam's step
  // is 0 and one AdamW step only decays: w *= 1 - lr wd, the bias stays.
  const Eigen::MatrixXd x = Eigen::MatrixXd::Zero(4, 2);
  const Eigen::VectorXd t = Eigen::VectorXd::Constant(4, 5.0);
  LinearRegression<double> model(2);
  model.parameters().values() << 0.4, -0.2, 5.0;
  TrainOptions o = quiet(nabla::optim::Method::AdamW, 0.1, Loss::mse, 1);
  o.batch_size = 4;
  o.weight_decay = 0.5;
  const History h = train(model, x, t, o);
  const double factor = 1 - 0.1 * 0.5;
  EXPECT_NEAR(model.parameters().values()(0), 0.4 * factor, 1e-15);
  EXPECT_NEAR(model.parameters().values()(1), -0.2 * factor, 1e-15);
  EXPECT_EQ(model.parameters().values()(2), 5.0);
  EXPECT_EQ(h.final_loss, 0.0);
}

TEST(Train, ClippingAndSchedulesReachTheStepper) {
  const Eigen::MatrixXd x = Eigen::MatrixXd::Random(20, 2) * 10;
  const Eigen::VectorXd t = x.col(0) * 5;
  // Clipping: one full-batch GD step moves the parameters by at most rate * clip_norm.
  LinearRegression<double> clipped(2);
  const Eigen::VectorXd before = clipped.parameters().values();
  TrainOptions o = quiet(nabla::optim::Method::GradientDescent, 0.1, Loss::mse, 1);
  o.batch_size = 20;
  o.optimizer.clip_norm = 0.01;
  train(clipped, x, t, o);
  EXPECT_NEAR((clipped.parameters().values() - before).norm(), 0.1 * 0.01, 1e-15);
  // An exponential schedule (gamma 0.5): the second full-batch step has half the rate.
  LinearRegression<double> scheduled(2);
  Eigen::Vector3d p = scheduled.parameters().values();
  auto gradient = [&](const Eigen::Vector3d& q) {  // of (1/n) |X w + b - t|^2, by hand
    const Eigen::VectorXd r = x * q.head(2) + Eigen::VectorXd::Constant(20, q(2)) - t;
    Eigen::Vector3d g;
    g << 2.0 / 20 * x.transpose() * r, 2.0 / 20 * r.sum();
    return g;
  };
  p -= 1e-3 * gradient(p);
  p -= 0.5e-3 * gradient(p);
  TrainOptions s = quiet(nabla::optim::Method::GradientDescent, 1e-3, Loss::mse, 2);
  s.batch_size = 20;
  s.optimizer.schedule = nabla::optim::Schedule::Exponential;
  s.optimizer.schedule_gamma = 0.5;
  train(scheduled, x, t, s);
  EXPECT_LT((scheduled.parameters().values() - p).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(Train, DivergenceStopsWithAReason) {
  const Eigen::MatrixXd x = Eigen::MatrixXd::Random(50, 2) * 100;
  const Eigen::VectorXd y = x.col(0) * 3;
  LinearRegression<double> model(2);
  const History h = train(model, x, y, quiet(nabla::optim::Method::GradientDescent, 10.0, Loss::mse, 100));
  EXPECT_LT(h.epochs.size(), 100u);
  EXPECT_NE(h.stop_reason.find("learning rate"), std::string::npos) << h.stop_reason;
}

// A loss that grows by orders of magnitude is a divergence even while it is
// finite: gradient descent at step 1 on diabetes' raw targets went from 3e4
// to 1e19 in the first epoch and 6e92 in the fifth, reported as success.
TEST(Train, AFiniteBlowUpIsADivergence) {
  const data::Dataset d = data::read_csv(std::string(NABLA_DATA_DIR) + "/diabetes.csv");
  const data::Standardizer z = data::Standardizer::fit(d.features);
  LinearRegression<double> model(d.cols());
  const History h = train(model, z.apply(d.features), d.targets,
                          quiet(nabla::optim::Method::GradientDescent, 1.0, Loss::mse, 5));
  EXPECT_TRUE(h.diverged);
  EXPECT_GT(h.initial_loss, 0);
  EXPECT_EQ(h.epochs.size(), 0u);  // the first epoch's loss already is past the bound
  EXPECT_NE(h.stop_reason.find("the loss grew from"), std::string::npos) << h.stop_reason;
  // The same with a sound step: not diverged.
  LinearRegression<double> healthy(d.cols());
  const History ok = train(healthy, z.apply(d.features), d.targets,
                           quiet(nabla::optim::Method::GradientDescent, 0.01, Loss::mse, 5));
  EXPECT_FALSE(ok.diverged) << ok.stop_reason;
}

// Labels of the binary losses are checked before the first batch and named
// by their data row (1-based), not by their place in a shuffled batch
// ("target 5 in row 30" for data index 37).
TEST(Train, BinaryLabelsAreNamedByTheirDataRow) {
  Eigen::MatrixXd x(40, 1);
  Eigen::VectorXd y(40);
  for (int i = 0; i < 40; ++i) {
    x(i, 0) = i;
    y(i) = i % 2;
  }
  y(37) = 5;
  for (Loss loss : {Loss::binary_cross_entropy, Loss::hinge, Loss::squared_hinge, Loss::smoothed_zero_one}) {
    LogisticRegression<double> model(1);
    try {
      train(model, x, y, quiet(nabla::optim::Method::Adam, 0.1, loss, 1));
      ADD_FAILURE() << to_string(loss) << ": no error";
    } catch (const nabla::DomainError& e) {
      EXPECT_NE(std::string(e.what()).find("target 5.000000 in row 38 (counted from 1)"), std::string::npos)
          << e.what();
    }
  }
  // Probabilities are targets of binary cross-entropy, not of the hinge.
  y(37) = 0.5;
  LogisticRegression<double> model(1);
  EXPECT_NO_THROW(train(model, x, y, quiet(nabla::optim::Method::Adam, 0.1, Loss::binary_cross_entropy, 1)));
  EXPECT_THROW(train(model, x, y, quiet(nabla::optim::Method::Adam, 0.1, Loss::hinge, 1)),
               nabla::DomainError);
}

TEST(Train, BadInputIsAClearError) {
  LinearRegression<double> model(2);
  const Eigen::MatrixXd x = Eigen::MatrixXd::Random(5, 2);
  TrainOptions o = quiet(nabla::optim::Method::Adam, 0.1, Loss::mse, 1);
  EXPECT_THROW(train(model, x, Eigen::VectorXd::Zero(4), o), nabla::DimensionError);
  EXPECT_THROW(train(model, Eigen::MatrixXd::Random(5, 3), Eigen::VectorXd::Zero(5), o),
               nabla::DimensionError);
  Eigen::MatrixXd bad = x;
  bad(1, 1) = std::nan("");
  EXPECT_THROW(train(model, bad, Eigen::VectorXd::Zero(5), o), nabla::DomainError);
  try {  // named where it is, not only "the data holds a NaN"
    train(model, bad, Eigen::VectorXd::Zero(5), o);
  } catch (const nabla::DomainError& e) {
    EXPECT_NE(std::string(e.what()).find("feature nan in row 2, column 2 is not finite"), std::string::npos)
        << e.what();
  }
  Eigen::VectorXd infinite_target = Eigen::VectorXd::Zero(5);
  infinite_target(3) = std::numeric_limits<double>::infinity();
  try {
    train(model, x, infinite_target, o);
    ADD_FAILURE() << "an infinite target was trained on";
  } catch (const nabla::DomainError& e) {
    EXPECT_NE(std::string(e.what()).find("target inf in row 4 is not finite"), std::string::npos) << e.what();
  }
  o.batch_size = 0;
  EXPECT_THROW(train(model, x, Eigen::VectorXd::Zero(5), o), nabla::DomainError);
  LogisticRegression<double> classifier(2, 3);
  TrainOptions c = quiet(nabla::optim::Method::Adam, 0.1, Loss::cross_entropy, 1);
  EXPECT_THROW(train(classifier, x, Eigen::VectorXd::Constant(5, 4), c), nabla::DimensionError);
}

// A target whose square overflows makes the mean squared loss infinite from
// the first batch: an input error naming the targets, not a "diverged" run
// advising a lower learning rate. Targets of 1e150 still square finitely.
TEST(Train, TargetsWhoseSquaresOverflowAreRefused) {
  Eigen::MatrixXd x(40, 1);
  Eigen::VectorXd y(40);
  for (int i = 0; i < 40; ++i) {
    x(i, 0) = i / 40.0;
    y(i) = (3.0 * x(i, 0) + 5.0) * 1e160;
  }
  LinearRegression<double> model(1);
  try {
    train(model, x, y, quiet(nabla::optim::Method::Adam, 0.1, Loss::mse, 1));
    ADD_FAILURE() << "no error";
  } catch (const nabla::DomainError& e) {
    EXPECT_NE(std::string(e.what()).find("the targets reach 7.93e+160"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("rescale"), std::string::npos) << e.what();
  }
  // The same data 1e10 smaller is fine; a float model's limit is lower.
  LinearRegression<double> fine(1);
  EXPECT_NO_THROW(train(fine, x, y / 1e10, quiet(nabla::optim::Method::Adam, 0.1, Loss::mse, 1)));
  LinearRegression<float> single(1);
  EXPECT_THROW(train(single, x, y / 1e140, quiet(nabla::optim::Method::Adam, 0.1, Loss::mse, 1)),
               nabla::DomainError);
  // The absolute loss never squares the targets.
  LinearRegression<double> absolute(1);
  EXPECT_NO_THROW(train(absolute, x, y, quiet(nabla::optim::Method::Adam, 0.1, Loss::mae, 1)));
}

// Full-batch training holds the validation rows out, as the header promises:
// L-BFGS's fit is the least-squares line of exactly 7 of the 10 rows, and
// the reported validation loss is the MSE on the other 3. The held-out rows
// are found here by trying every choice of 3, not by asking the library.
TEST(Train, FullBatchHoldsOutTheValidationRows) {
  Eigen::MatrixXd x(10, 1);
  Eigen::VectorXd y(10);
  for (int i = 0; i < 10; ++i) {
    x(i, 0) = i;
    y(i) = 2 * i + 1 + (i * i % 7) * 0.3;  // off a line, so that each subset has its own fit
  }
  LinearRegression<double> model(1);
  TrainOptions o = quiet(nabla::optim::Method::LBFGS, 1, Loss::mse, 200);
  o.validation_fraction = 0.3;
  o.optimizer.gradient_tolerance = 1e-13;
  const History h = train(model, x, y, o);
  ASSERT_EQ(h.epochs.size(), 1u);
  const double w = model.parameters().values()(0), b = model.parameters().values()(1);
  int matches = 0;
  for (int i = 0; i < 10; ++i)
    for (int j = i + 1; j < 10; ++j)
      for (int k = j + 1; k < 10; ++k) {
        std::vector<int> kept;
        for (int r = 0; r < 10; ++r)
          if (r != i && r != j && r != k) kept.push_back(r);
        Eigen::MatrixXd a(7, 2);
        Eigen::VectorXd t(7);
        for (int r = 0; r < 7; ++r) {
          a.row(r) << x(kept[r], 0), 1;
          t(r) = y(kept[r]);
        }
        const Eigen::Vector2d fit = (a.transpose() * a).ldlt().solve(a.transpose() * t);
        if (std::abs(fit(0) - w) > 1e-7 || std::abs(fit(1) - b) > 1e-7) continue;
        ++matches;
        double mse = 0;
        for (int r : {i, j, k}) mse += std::pow(w * x(r, 0) + b - y(r), 2) / 3;
        EXPECT_NEAR(h.epochs[0].validation_loss, mse, 1e-9);
        // The final training loss is over the 7 rows trained on, not all 10.
        double train_mse = 0;
        for (int r : kept) train_mse += std::pow(w * x(r, 0) + b - y(r), 2) / 7;
        EXPECT_NEAR(h.final_loss, train_mse, 1e-9);
      }
  EXPECT_EQ(matches, 1) << "the fit is not the least squares of 7 of the 10 rows: w " << w << ", b " << b;
  EXPECT_TRUE(h.epochs[0].gradients.empty());  // no per-layer norms were measured
  EXPECT_EQ(h.training_rows, 7);
  EXPECT_EQ(h.validation_rows, 3);
}

// Options nn::train cannot honour are refused, not dropped: patience with a
// full-batch method or without a hold-out, optimizer.weight_decay (the
// decay is TrainOptions::weight_decay), bad early-stopping knobs.
TEST(Train, OptionsItWouldIgnoreAreRefused) {
  LinearRegression<double> model(2);
  const Eigen::MatrixXd x = Eigen::MatrixXd::Random(10, 2);
  const Eigen::VectorXd y = x.col(0);
  auto message = [&](const TrainOptions& o) {
    try {
      train(model, x, y, o);
    } catch (const nabla::DomainError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  TrainOptions o = quiet(nabla::optim::Method::LBFGS, 0.1, Loss::mse, 5);
  o.validation_fraction = 0.3;
  o.patience = 3;
  EXPECT_NE(message(o).find("first-order"), std::string::npos) << message(o);
  o.optimizer.method = nabla::optim::Method::Adam;
  EXPECT_EQ(message(o), "accepted");
  o.validation_fraction = 0;
  EXPECT_NE(message(o).find("validation_fraction"), std::string::npos) << message(o);
  TrainOptions d = quiet(nabla::optim::Method::GradientDescent, 0.1, Loss::mse, 1);
  d.optimizer.weight_decay = 0.1;
  EXPECT_NE(message(d).find("TrainOptions.weight_decay"), std::string::npos) << message(d);
  TrainOptions e = quiet(nabla::optim::Method::Adam, 0.1, Loss::mse, 1);
  e.validation_fraction = 0.3;
  e.patience = 2;
  for (double bad : {-1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    e.min_delta = bad;
    EXPECT_NE(message(e).find("min_delta"), std::string::npos) << bad;
  }
  e.min_delta = 0;
  e.patience = -1;
  EXPECT_NE(message(e).find("patience"), std::string::npos);
  e.patience = 0;
  e.weight_decay = std::numeric_limits<double>::infinity();
  EXPECT_NE(message(e).find("weight_decay"), std::string::npos);
}

// Box bounds hold in first-order training as in L-BFGS-B: y = 5 x with the
// weight bounded by 2 ends at the bound (the loss is convex in w, so the
// bounded optimum is w = 2, b = mean(y) - 2 mean(x)), not at 5.
TEST(Train, FirstOrderTrainingStaysInTheBounds) {
  Eigen::MatrixXd x(8, 1);
  x << -3, -2, -1, 0, 1, 2, 3, 4;
  const Eigen::VectorXd y = 5 * x.col(0);
  for (auto method : {nabla::optim::Method::GradientDescent, nabla::optim::Method::LBFGS}) {
    LinearRegression<double> model(1);
    TrainOptions o = quiet(method, 0.05, Loss::mse, 2000);
    o.batch_size = 8;
    o.optimizer.lower = Eigen::Vector2d(-10, -10);
    o.optimizer.upper = Eigen::Vector2d(2, 10);
    train(model, x, y, o);
    EXPECT_LE(model.parameters().values()(0), 2.0);
    EXPECT_NEAR(model.parameters().values()(0), 2.0, 1e-9);
    EXPECT_NEAR(model.parameters().values()(1), 5 * 0.5 - 2 * 0.5, 1e-6);
    // Epoch 0 (no step) is in the box too: the starting parameters are projected.
    LinearRegression<double> fresh(1);
    fresh.parameters().values() = Eigen::Vector2d(7, 20);
    TrainOptions none = o;
    none.epochs = 0;
    train(fresh, x, y, none);
    EXPECT_EQ(fresh.parameters().values(), Eigen::Vector2d(2, 10));
    o.optimizer.lower = Eigen::Vector3d(-1, -1, -1);  // three bounds for two parameters
    o.optimizer.upper = Eigen::Vector3d(1, 1, 1);
    EXPECT_THROW(train(model, x, y, o), nabla::DimensionError);
  }
}

}  // namespace
