// Full-batch training with the line-search methods of nabla::optim (L-BFGS,
// BFGS, Newton): the mean loss over all rows plus the L2 penalty, as an
// optim::Objective whose gradient is one tape pass over the whole set.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "nabla/optim/minimize.hpp"
#include "parallel.hpp"
#include "train_common.hpp"

namespace nabla::nn::detail {
namespace {

template <class T>
class FullBatchObjective final : public optim::Objective {
 public:
  FullBatchObjective(Model<T>& model, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                     const TrainOptions& options)
      : model_(model), x_(x.cast<T>()), y_(target_matrix<T>(y)), options_(options) {}

  double value(const Eigen::VectorXd& p) override {
    Eigen::VectorXd g(p.size());
    return value_and_gradient(p, g);
  }

  double value_and_gradient(const Eigen::VectorXd& p, Eigen::VectorXd& g) override {
    auto& params = model_.parameters();
    params.values() = p.cast<T>();
    params.zero_grad();
    tape_.clear();
    Tensor<T> out = model_.forward(tape_, tape_.constant_view(x_.data(), x_.rows(), x_.cols()));
    Tensor<T> l = loss(out, tape_.constant_view(y_.data(), y_.rows(), 1), options_.loss);
    tape_.backward(l);
    add_penalty_gradient(model_, options_.weight_decay);
    g = params.grads().template cast<double>();
    return double(l.item()) + penalty_value(model_, options_.weight_decay);
  }

 private:
  Model<T>& model_;
  Matrix<T> x_, y_;
  const TrainOptions& options_;
  Tape<T> tape_;
};

}  // namespace

template <class T>
History train_full_batch(Model<T>& model, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                         const TrainOptions& options) {
  const ThreadsFor thread_setting(options.threads);
  // The validation rows are held out here as in mini-batch training: the
  // minimizer never sees them, and their loss is reported at the end.
  const Holdout holdout = hold_out(x, y, options);
  FullBatchObjective<T> objective(model, holdout.x_train, holdout.y_train, options);
  History history;
  history.initial_loss = starting_loss(model, holdout, options);
  const auto start = std::chrono::steady_clock::now();
  const Eigen::VectorXd x0 = model.parameters().values().template cast<double>();
  optim::Options optimizer = options.optimizer;  // an iteration passes over every row, like an epoch
  optimizer.max_iterations = std::min(optimizer.max_iterations, options.epochs);
  const optim::Result result = optim::minimize(objective, x0, optimizer);
  model.parameters().values() = result.x.cast<T>();
  EpochReport report;  // one report for the whole run; no per-layer gradient norms (gradients stays empty)
  report.epoch = result.iterations;
  // result.f has the penalty in it; the report's loss does not (as a batch's).
  report.train_loss = full_loss(model, holdout.x_train, holdout.y_train, options.loss);
  validate_epoch(model, holdout, options, report);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  history.epochs.push_back(report);
  history.epochs_run = result.iterations;
  history.best_epoch = report.epoch;
  history.stop_reason = std::string(optim::describe(result.stop_reason));
  if (options.callback) options.callback(report);  // nothing is left to stop
  finish(model, holdout, options, history);
  history.seconds_per_epoch = report.seconds / double(std::max(1L, result.iterations));
  return history;
}

template History train_full_batch(Model<float>&, const Eigen::MatrixXd&, const Eigen::VectorXd&,
                                  const TrainOptions&);
template History train_full_batch(Model<double>&, const Eigen::MatrixXd&, const Eigen::VectorXd&,
                                  const TrainOptions&);

}  // namespace nabla::nn::detail
