// Training of nabla::nn models: mini-batches of seeded shuffles over epochs
// with any first-order optimizer of nabla::optim (one optim::Stepper steps
// the model's whole parameter buffer), or full-batch L-BFGS / BFGS through
// optim::minimize for convex models; a validation split with early stopping;
// L2 weight decay; per-layer gradient norms flagged as vanishing or
// exploding; a progress bar on a terminal; and evaluation and feature
// importance (gradient x input).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nabla/nn/layers.hpp"
#include "nabla/nn/losses.hpp"
#include "nabla/optim/options.hpp"

namespace nabla::nn {

/// One layer's gradient norm over an epoch (the mean over its batches).
struct LayerGradient {
  std::string layer;
  double norm = 0;
  bool vanishing = false;  ///< norm < 1e-7
  bool exploding = false;  ///< norm > 1e3, or not finite
};

/// What one epoch did.
struct EpochReport {
  long epoch = 0;                ///< 1-based
  double train_loss = 0;         ///< mean of the batch losses (penalty excluded)
  double validation_loss = 0;    ///< NaN without a validation split
  double validation_metric = 0;  ///< accuracy (classification) or R^2; NaN without a split
  double seconds = 0;
  std::vector<LayerGradient> gradients;
};

/// How to train.
struct TrainOptions {
  /// The method and its knobs (learning rate, schedule, clipping). A
  /// first-order method steps once per batch; LBFGS, BFGS or Newton minimize
  /// the full-batch loss (epochs then bounds the iterations, as does
  /// optimizer.max_iterations) and make one report, with the validation
  /// loss but no per-layer gradient norms. Box bounds (one entry per
  /// parameter, else DimensionError) project every first-order step and
  /// make L-BFGS run as L-BFGS-B. optimizer.weight_decay must be 0
  /// (DomainError): the decay is TrainOptions::weight_decay.
  optim::Options optimizer = [] {
    optim::Options o;
    o.method = optim::Method::Adam;
    o.learning_rate = 1e-3;
    return o;
  }();
  LossOptions loss;
  long epochs = 50;
  Eigen::Index batch_size = 32;
  std::uint64_t seed = 0;
  /// L2: (weight_decay / 2) ||W||^2 on the weights (not the biases) added to
  /// the loss; with AdamW instead the decoupled decay W *= 1 - lr weight_decay
  /// before each step, also on the weights only (optim::Stepper's AdamW
  /// decays all of x, so training does not pass it the decay).
  double weight_decay = 0;
  /// Rows held out of training for validation (stratified for classification).
  double validation_fraction = 0;
  /// Stop after this many epochs without a validation loss better by min_delta
  /// (0: never), restoring the best epoch's parameters. Needs a
  /// validation_fraction and a first-order method (else DomainError);
  /// min_delta must be finite and not negative.
  int patience = 0;
  double min_delta = 0;
  /// Draw a progress bar on stderr when it is a terminal.
  bool progress = true;
  /// Threads for the products, for this training only: nn::threads() gives
  /// it on the training's thread while it runs, and nn::set_threads' setting
  /// is left as it was (0: every hardware thread).
  int threads = 1;
  /// Compute per-layer gradient norms each epoch.
  bool diagnostics = true;
  /// Sees each epoch's report; return false to stop (full-batch training
  /// calls it once, at the end).
  std::function<bool(const EpochReport&)> callback;
};

/// A run diverged when its loss is not finite or grows past this factor
/// times the loss before training (its starting value): 1e6 is beyond what
/// a healthy run reaches (the loss of a converging run falls; a noisy first
/// epoch may rise a few times), and far below the blow-ups of a too large
/// step, which grow by tens of orders of magnitude.
inline constexpr double divergence_factor = 1e6;

/// History::epochs keeps every epoch's report up to this many. A longer
/// run keeps evenly spaced ones (each time the list is full every other one
/// goes: epochs 2, 4, 6, ..., then 4, 8, 12, ...) and always the last
/// epoch's and the best one's (early stopping), so that a run of 10^9
/// epochs does not keep 10^9 reports.
inline constexpr std::size_t max_epoch_reports = 10000;

/// A layer whose gradient was flagged, at the first epoch it was.
struct GradientFlag {
  std::string layer;
  bool vanishing = false;  ///< else exploding
  long epoch = 0;
};

/// What training did.
struct History {
  /// The epochs' reports (at most max_epoch_reports + 2 of them), by epoch.
  std::vector<EpochReport> epochs;
  /// Each layer whose gradient norm was flagged vanishing or exploding in
  /// any epoch, with the first such epoch, in that order: over every epoch,
  /// also those thinned out of `epochs`.
  std::vector<GradientFlag> gradient_flags;
  /// Epochs run (first-order methods; the diverging one not counted), or
  /// the iterations of a full-batch method.
  long epochs_run = 0;
  long best_epoch = 0;  ///< the epoch whose parameters the model holds (early stopping)
  bool stopped_early = false;
  double seconds_per_epoch = 0;
  /// The loss (with the penalty) at the end on the rows trained on (not the
  /// validation_fraction held out, which have their own loss in the reports).
  double final_loss = 0;
  /// The same loss before the first step, the reference of divergence_factor.
  double initial_loss = 0;
  /// The loss became non-finite or grew past divergence_factor times
  /// initial_loss (stop_reason says when); the parameters are not a model.
  bool diverged = false;
  Eigen::Index training_rows = 0, validation_rows = 0;  ///< how the rows given were used
  std::string stop_reason;
};

/// Trains `model` on rows x with targets y (values, or class labels 0..k-1).
template <class T>
History train(Model<T>& model, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
              const TrainOptions& options);

/// The mean loss over all rows, plus (weight_decay / 2) ||W||^2.
template <class T>
double full_loss(Model<T>& model, const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const LossOptions& loss,
                 double weight_decay = 0);

/// Loss and metrics on a data set.
struct Evaluation {
  double loss = 0;
  double accuracy = 0;  ///< classification
  double mse = 0;       ///< regression
  double r2 = 0;        ///< regression
};
template <class T>
Evaluation evaluate(Model<T>& model, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                    const LossOptions& loss);

/// Per feature, the mean over rows of |x_ij d(output)/d(x_ij)|, the output
/// being the predicted class's logit (or the single output).
template <class T>
Eigen::VectorXd feature_importance(Model<T>& model, const Eigen::MatrixXd& x);

/// The targets as the loss wants them (n x 1 labels or values).
template <class T>
Matrix<T> target_matrix(const Eigen::VectorXd& y);

}  // namespace nabla::nn
