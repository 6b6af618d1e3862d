// The shared pieces of training (see train_common.hpp), and evaluation,
// the full loss and feature importance (nn/train.hpp).
#include "train_common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <type_traits>

#include "nabla/data/dataset.hpp"
#include "nabla/nn/metrics.hpp"

namespace nabla::nn {
namespace detail {

namespace {

/// Early stopping's knobs; patience without a hold-out, or with a method
/// that trains the full batch in one run, would be silently ignored.
void validate_early_stopping(const TrainOptions& options) {
  if (options.patience < 0)
    throw DomainError("nn::train: patience must not be negative (0: no early stopping)");
  if (!(options.min_delta >= 0 && std::isfinite(options.min_delta)))
    throw DomainError(
        "nn::train: min_delta, the improvement of the validation loss that counts, must be finite and not "
        "negative");
  if (options.patience == 0) return;
  if (!(options.validation_fraction > 0))
    throw DomainError("nn::train: patience needs a validation_fraction (the rows whose loss it watches)");
  if (!optim::is_first_order(options.optimizer.method))
    throw DomainError(std::string("nn::train: patience (early stopping between epochs) needs a first-order "
                                  "method; ")
                          .append(optim::name(options.optimizer.method))
                          .append(" minimizes the full-batch loss in one run (set patience to 0)"));
}

/// The optimizer options nn::train reads, and what it refuses rather than
/// drops: optimizer.weight_decay (training has its own, applied as a
/// penalty or as AdamW's decay), and box bounds not one per parameter.
template <class T>
void validate_optimizer(const Model<T>& model, const TrainOptions& options) {
  if (options.optimizer.weight_decay != 0)
    throw DomainError(
        "nn::train: optimizer.weight_decay is not used in training; set TrainOptions.weight_decay (the L2 "
        "penalty, or AdamW's decoupled decay)");
  optim::validate(options.optimizer, model.parameters().size());
}

/// The targets of a binary loss, checked before the first batch so that a
/// bad one is named by its data row (1-based, as data::class_count does),
/// not by its place in a shuffled batch: labels 0 or 1, or for binary
/// cross-entropy probabilities between.
void validate_binary_targets(const Eigen::VectorXd& y, Loss kind) {
  const bool probabilities = kind == Loss::binary_cross_entropy;
  if (!probabilities && kind != Loss::hinge && kind != Loss::squared_hinge && kind != Loss::smoothed_zero_one)
    return;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const bool ok = probabilities ? (y(i) >= 0 && y(i) <= 1) : (y(i) == 0 || y(i) == 1);
    if (!ok)
      throw DomainError("nn::train: target " + std::to_string(y(i)) + " in row " + std::to_string(i + 1) +
                        " (counted from 1) is not " +
                        (probabilities ? "a probability in [0, 1]" : "a label 0 or 1") + " (" +
                        to_string(kind) + " loss)");
  }
}

/// Throws DomainError naming the first entry of x or y that is NaN or
/// infinite by its row and column, counted from 1 as the messages above
/// count rows (it said only that the data held one).
void require_finite(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  if (x.allFinite() && y.allFinite()) return;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      if (!std::isfinite(x(i, j)))
        throw DomainError("nn::train: feature " + std::to_string(x(i, j)) + " in row " +
                          std::to_string(i + 1) + ", column " + std::to_string(j + 1) +
                          " is not finite (counted from 1)");
    if (!std::isfinite(y(i)))
      throw DomainError("nn::train: target " + std::to_string(y(i)) + " in row " + std::to_string(i + 1) +
                        " is not finite (counted from 1)");
  }
}

}  // namespace

template <class T>
void validate(const Model<T>& model, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
              const TrainOptions& options) {
  require_dimension(x.rows() > 0, "nn::train: no training rows");
  require_dimension(x.rows() == y.size(), "nn::train: " + std::to_string(x.rows()) + " rows but " +
                                              std::to_string(y.size()) + " targets");
  require_dimension(x.cols() == model.inputs(), "nn::train: the data has " + std::to_string(x.cols()) +
                                                    " features, the model takes " +
                                                    std::to_string(model.inputs()));
  require_finite(x, y);
  if (options.batch_size < 1) throw DomainError("nn::train: the batch size must be at least 1");
  if (options.epochs < 0) throw DomainError("nn::train: the number of epochs must not be negative");
  if (!(options.weight_decay >= 0 && std::isfinite(options.weight_decay)))
    throw DomainError("nn::train: weight_decay must be finite and not negative");
  if (!(options.validation_fraction >= 0 && options.validation_fraction < 1))
    throw DomainError("nn::train: validation_fraction must be in [0, 1)");
  validate_early_stopping(options);
  validate_optimizer(model, options);
  if (options.loss.kind == Loss::cross_entropy) {
    const int k = data::class_count(y);
    require_dimension(k <= model.outputs(), "nn::train: labels go up to " + std::to_string(k - 1) +
                                                " but the model has " + std::to_string(model.outputs()) +
                                                " outputs");
  }
  validate_binary_targets(y, options.loss.kind);
  if (options.loss.kind == Loss::mse) {
    // A target whose square overflows makes the loss infinite from the start,
    // which would read as a divergence of the run ("lower the learning rate").
    const double largest = y.cwiseAbs().maxCoeff();
    if (largest > std::sqrt(static_cast<double>(std::numeric_limits<T>::max()))) {
      char text[32];
      std::snprintf(text, sizeof text, "%.3g", largest);
      throw DomainError(
          "nn::train: the targets reach " + std::string(text) +
          ", whose square overflows, so the mean squared loss cannot be computed: rescale them");
    }
  }
}

Holdout hold_out(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const TrainOptions& options) {
  Holdout h;
  if (options.validation_fraction <= 0) {
    h.x_train = x;
    h.y_train = y;
    return h;
  }
  data::Dataset all;
  all.features = x;
  all.targets = y;
  const bool stratify = is_classification(options.loss.kind);
  data::Split s;
  try {
    s = data::split(all, options.validation_fraction, options.seed + 0x5eed, stratify);
  } catch (const DimensionError&) {  // it spoke of "a training and a test set"
    char fraction[32];
    std::snprintf(fraction, sizeof fraction, "%g", options.validation_fraction);
    throw DimensionError("nn::train: a validation_fraction of " + std::string(fraction) + " of " +
                         std::to_string(x.rows()) + " rows" + (stratify ? ", split by class," : "") +
                         " leaves no validation row or no row to train on");
  }
  h.x_train = s.train.features;
  h.y_train = s.train.targets;
  h.x_validation = s.test.features;
  h.y_validation = s.test.targets;
  return h;
}

template <class T>
void add_penalty_gradient(Model<T>& model, double decay) {
  if (decay == 0) return;
  auto& p = model.parameters();
  for (const Linear<T>& layer : model.layers()) p.grad(layer.weight()) += T(decay) * p.value(layer.weight());
}

template <class T>
double penalty_value(const Model<T>& model, double decay) {
  if (decay == 0) return 0;
  double total = 0;
  for (const Linear<T>& layer : model.layers())
    total += model.parameters().value(layer.weight()).template cast<double>().squaredNorm();
  return 0.5 * decay * total;
}

template <class T>
void validate_epoch(Model<T>& model, const Holdout& holdout, const TrainOptions& options,
                    EpochReport& report) {
  if (!holdout.active()) {
    report.validation_loss = report.validation_metric = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  const Evaluation e = evaluate(model, holdout.x_validation, holdout.y_validation, options.loss);
  report.validation_loss = e.loss;
  report.validation_metric = is_classification(options.loss.kind) ? e.accuracy : e.r2;
}

std::string validation_text(const EpochReport& report, const TrainOptions& options) {
  if (std::isnan(report.validation_loss)) return "";
  char text[96];
  std::snprintf(text, sizeof text, "  val_loss %.6g  val_%s %.4f", report.validation_loss,
                is_classification(options.loss.kind) ? "acc" : "r2", report.validation_metric);
  return text;
}

template <class T>
bool EarlyStopping<T>::update(const Model<T>& model, const EpochReport& report) {
  if (options_.patience <= 0 || std::isnan(report.validation_loss)) return false;
  if (best_epoch_ == 0 || report.validation_loss < best_ - options_.min_delta) {
    best_ = report.validation_loss;
    best_epoch_ = report.epoch;
    best_report_ = report;
    best_parameters_ = model.parameters().values();
    since_best_ = 0;
    return false;
  }
  return ++since_best_ >= options_.patience;
}

template <class T>
void EarlyStopping<T>::restore(Model<T>& model, History& history) const {
  history.best_epoch = history.epochs.empty() ? 0 : history.epochs.back().epoch;
  if (best_epoch_ == 0) return;
  model.parameters().values() = best_parameters_;
  history.best_epoch = best_epoch_;
  auto by_epoch = [](const EpochReport& r, long epoch) { return r.epoch < epoch; };
  const auto at = std::lower_bound(history.epochs.begin(), history.epochs.end(), best_epoch_, by_epoch);
  if (at == history.epochs.end() || at->epoch != best_epoch_) history.epochs.insert(at, best_report_);
}

void EpochLog::add(History& history, EpochReport report) {
  ++run_;
  seconds_ += report.seconds;
  for (const LayerGradient& g : report.gradients) {
    const bool seen = std::any_of(history.gradient_flags.begin(), history.gradient_flags.end(),
                                  [&](const GradientFlag& f) { return f.layer == g.layer; });
    if ((g.vanishing || g.exploding) && !seen)
      history.gradient_flags.push_back({g.layer, g.vanishing, report.epoch});
  }
  if (report.epoch % stride_ == 0 && history.epochs.size() >= max_epoch_reports) {
    std::erase_if(history.epochs, [&](const EpochReport& r) { return r.epoch % (2 * stride_) != 0; });
    stride_ *= 2;
  }
  if (report.epoch % stride_ == 0)
    history.epochs.push_back(std::move(report));
  else
    last_ = std::move(report);
}

void EpochLog::close(History& history) {
  if (last_.epoch > 0 && (history.epochs.empty() || history.epochs.back().epoch < last_.epoch))
    history.epochs.push_back(last_);
  history.epochs_run = run_;
  history.seconds_per_epoch = run_ == 0 ? 0 : seconds_ / double(run_);
}

namespace {

/// The L2 penalty that is part of the loss (AdamW decays the weights before each step instead).
double loss_penalty(const TrainOptions& options) {
  return options.optimizer.method == optim::Method::AdamW ? 0.0 : options.weight_decay;
}

}  // namespace

template <class T>
double starting_loss(Model<T>& model, const Holdout& holdout, const TrainOptions& options) {
  const double loss = full_loss(model, holdout.x_train, holdout.y_train, options.loss, loss_penalty(options));
  // Not a divergence ("lower the learning rate"): no step was taken.
  if (!std::isfinite(loss))
    throw DomainError(std::string("nn::train: the loss before the first step is ") + std::to_string(loss) +
                      ": the features or targets are too large for it in " +
                      (std::is_same_v<T, float> ? "float" : "double") + " (rescale them)");
  return loss;
}

bool diverges(double loss, double initial) {
  return !std::isfinite(loss) || (initial > 0 && loss > divergence_factor * initial);
}

std::string divergence_reason(double loss, double initial, const std::string& when) {
  char text[160];
  if (std::isfinite(loss))
    std::snprintf(text, sizeof text, "the loss grew from %.6g to %.6g %s, over %.0e times its starting value",
                  initial, loss, when.c_str(), divergence_factor);
  else
    std::snprintf(text, sizeof text, "the loss became %f %s", loss, when.c_str());
  return std::string(text) +
         "; lower the learning rate, or clip the gradient's norm (clip_norm, --clip-norm)";
}

template <class T>
void finish(Model<T>& model, const Holdout& holdout, const TrainOptions& options, History& history) {
  // The rows trained on only: the validation rows have their own loss.
  history.final_loss =
      full_loss(model, holdout.x_train, holdout.y_train, options.loss, loss_penalty(options));
  if (!history.diverged && diverges(history.final_loss, history.initial_loss)) {
    history.diverged = true;
    history.stop_reason = divergence_reason(history.final_loss, history.initial_loss, "at the end");
  }
  history.training_rows = holdout.x_train.rows();
  history.validation_rows = holdout.x_validation.rows();
  if (history.stop_reason.empty()) history.stop_reason = "all epochs done";
}

#define NABLA_NN_TRAIN_COMMON(T)                                                              \
  template void validate(const Model<T>&, const Eigen::MatrixXd&, const Eigen::VectorXd&,     \
                         const TrainOptions&);                                                \
  template void add_penalty_gradient(Model<T>&, double);                                      \
  template double penalty_value(const Model<T>&, double);                                     \
  template void validate_epoch(Model<T>&, const Holdout&, const TrainOptions&, EpochReport&); \
  template class EarlyStopping<T>;                                                            \
  template double starting_loss(Model<T>&, const Holdout&, const TrainOptions&);              \
  template void finish(Model<T>&, const Holdout&, const TrainOptions&, History&);
NABLA_NN_TRAIN_COMMON(float)
NABLA_NN_TRAIN_COMMON(double)
#undef NABLA_NN_TRAIN_COMMON

}  // namespace detail

template <class T>
Matrix<T> target_matrix(const Eigen::VectorXd& y) {
  return y.cast<T>();
}

template <class T>
double full_loss(Model<T>& model, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                 const LossOptions& loss_options, double weight_decay) {
  Tape<T> tape;
  const Matrix<T> xs = x.cast<T>(), ys = target_matrix<T>(y);
  Tensor<T> out = model.forward(tape, tape.constant_view(xs.data(), xs.rows(), xs.cols()));
  const double value = double(loss(out, tape.constant_view(ys.data(), ys.rows(), 1), loss_options).item());
  return value + detail::penalty_value(model, weight_decay);
}

template <class T>
Evaluation evaluate(Model<T>& model, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                    const LossOptions& loss_options) {
  Evaluation e;
  const Eigen::MatrixXd out = model.predict(x.cast<T>()).template cast<double>();
  Tape<double> tape;
  const Eigen::MatrixXd ys = y;
  e.loss = loss(tape.constant(out), tape.constant(ys), loss_options).item();
  if (is_classification(loss_options.kind)) {
    e.accuracy = accuracy(out, y);
  } else {
    e.mse = mean_squared_error(out, ys);
    e.r2 = r2_score(out, ys);
  }
  return e;
}

template <class T>
Eigen::VectorXd feature_importance(Model<T>& model, const Eigen::MatrixXd& x) {
  Tape<T> tape;
  Tensor<T> input = tape.variable(x.cast<T>());
  Tensor<T> out = model.forward(tape, input);
  // Select each row's predicted output with a 0/1 mask, so one backward pass
  // gives every row's d(selected output)/d(input row).
  Matrix<T> mask = Matrix<T>::Zero(out.rows(), out.cols());
  const Eigen::VectorXd classes = predicted_classes(out.value().template cast<double>());
  for (Eigen::Index i = 0; i < out.rows(); ++i)
    if (out.cols() == 1)
      mask(i, 0) = T(1);
    else if (!std::isnan(classes(i)))  // a row of NaN outputs selects none (its class is NaN)
      mask(i, static_cast<Eigen::Index>(classes(i))) = T(1);
  tape.backward(sum(out * tape.constant(mask)));
  const Eigen::MatrixXd gx = input.grad().template cast<double>();
  return (gx.array() * x.array()).abs().colwise().mean().transpose();
}

#define NABLA_NN_TRAIN_EXTRAS(T)                                                                           \
  template Matrix<T> target_matrix<T>(const Eigen::VectorXd&);                                             \
  template double full_loss(Model<T>&, const Eigen::MatrixXd&, const Eigen::VectorXd&, const LossOptions&, \
                            double);                                                                       \
  template Evaluation evaluate(Model<T>&, const Eigen::MatrixXd&, const Eigen::VectorXd&,                  \
                               const LossOptions&);                                                        \
  template Eigen::VectorXd feature_importance(Model<T>&, const Eigen::MatrixXd&);
NABLA_NN_TRAIN_EXTRAS(float)
NABLA_NN_TRAIN_EXTRAS(double)
#undef NABLA_NN_TRAIN_EXTRAS

}  // namespace nabla::nn
