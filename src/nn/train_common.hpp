// What the mini-batch and full-batch training paths share (private to
// src/nn): input checks, the validation hold-out, the L2 penalty on weights,
// per-epoch validation, early stopping, and the final full-set loss.
#pragma once

#include <string>

#include "nabla/nn/train.hpp"

namespace nabla::nn::detail {

/// Throws DimensionError or DomainError for data or options that cannot be trained on.
template <class T>
void validate(const Model<T>& model, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
              const TrainOptions& options);

/// The training rows and the held-out validation rows (none when
/// validation_fraction is 0).
struct Holdout {
  Eigen::MatrixXd x_train, x_validation;
  Eigen::VectorXd y_train, y_validation;
  bool active() const { return x_validation.rows() > 0; }
};
Holdout hold_out(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const TrainOptions& options);

/// grads += decay W on every weight block (biases are not penalized).
template <class T>
void add_penalty_gradient(Model<T>& model, double decay);
/// (decay / 2) sum ||W||^2.
template <class T>
double penalty_value(const Model<T>& model, double decay);

/// Fills the report's validation loss and metric (NaN without a hold-out).
template <class T>
void validate_epoch(Model<T>& model, const Holdout& holdout, const TrainOptions& options,
                    EpochReport& report);
/// "  val_loss ... val_acc ..." for the progress line, or "".
std::string validation_text(const EpochReport& report, const TrainOptions& options);

/// Adds the epochs' reports to a History within max_epoch_reports (see
/// there) and sums their time.
class EpochLog {
 public:
  /// Keeps the report (or thins it out, see max_epoch_reports) and notes its
  /// layers' first gradient flags in history.gradient_flags.
  void add(History& history, EpochReport report);
  /// Appends the last epoch's report if it was thinned out; sets epochs_run
  /// and seconds_per_epoch.
  void close(History& history);

 private:
  long stride_ = 1;  // the epochs kept are the multiples of stride_
  long run_ = 0;
  double seconds_ = 0;
  EpochReport last_;
};

/// Tracks the best validation loss and its parameters.
template <class T>
class EarlyStopping {
 public:
  explicit EarlyStopping(const TrainOptions& options) : options_(options) {}
  /// Records the epoch; true when training should stop.
  bool update(const Model<T>& model, const EpochReport& report);
  /// Puts the best epoch's parameters back (when early stopping was on),
  /// and its report, if the history thinned it out.
  void restore(Model<T>& model, History& history) const;

 private:
  const TrainOptions& options_;
  double best_ = 0;
  long best_epoch_ = 0, since_best_ = 0;
  EpochReport best_report_;
  VectorX<T> best_parameters_;
};

/// The full loss on the hold-out's training rows (with the penalty, as
/// final_loss has it): the starting value divergence is measured against.
/// DomainError when it is not finite (data too large for the loss).
template <class T>
double starting_loss(Model<T>& model, const Holdout& holdout, const TrainOptions& options);

/// Whether `loss` is a diverged one: not finite, or above divergence_factor
/// times the starting loss (when that is positive).
bool diverges(double loss, double initial);

/// The stop reason of a loss that diverged `when` ("in epoch 3", "at the end").
std::string divergence_reason(double loss, double initial, const std::string& when);

/// Sets the history's final loss (on the training rows of the hold-out) and
/// row counts, and marks it diverged when the final loss is (see diverges).
template <class T>
void finish(Model<T>& model, const Holdout& holdout, const TrainOptions& options, History& history);

/// L-BFGS, BFGS or Newton on the full-batch loss (train_full_batch.cpp).
template <class T>
History train_full_batch(Model<T>& model, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                         const TrainOptions& options);

}  // namespace nabla::nn::detail
