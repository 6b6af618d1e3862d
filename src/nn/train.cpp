// The mini-batch training loop (see nn/train.hpp): seeded shuffles, batches
// gathered into contiguous buffers, one tape pass and one Stepper step per
// batch, per-layer gradient norms, validation, early stopping. The
// full-batch path (L-BFGS, BFGS, Newton) is in train_full_batch.cpp.
#include "nabla/nn/train.hpp"

#include <chrono>
#include <cmath>
#include <limits>

#include "nabla/data/dataset.hpp"
#include "nabla/nn/metrics.hpp"
#include "nabla/optim/stepper.hpp"
#include "parallel.hpp"
#include "progress.hpp"
#include "train_common.hpp"

namespace nabla::nn {
namespace {

constexpr double vanishing_norm = 1e-7;
constexpr double exploding_norm = 1e3;

/// Gathers the rows of a shuffled batch into contiguous buffers.
template <class T>
struct Batches {
  Matrix<T> x, y, xb, yb;
  std::vector<Eigen::Index> order;

  void gather(Eigen::Index begin, Eigen::Index count) {
    xb.resize(count, x.cols());
    yb.resize(count, y.cols());
    for (Eigen::Index k = 0; k < count; ++k) {
      xb.row(k) = x.row(order[static_cast<std::size_t>(begin + k)]);
      yb.row(k) = y.row(order[static_cast<std::size_t>(begin + k)]);
    }
  }
};

/// Adds each layer's gradient norm of this batch into `sums`.
template <class T>
void accumulate_norms(Model<T>& model, std::vector<double>& sums) {
  auto& p = model.parameters();
  for (std::size_t k = 0; k < model.layers().size(); ++k) {
    const double w = p.grad(model.layers()[k].weight()).template cast<double>().squaredNorm();
    const double b = p.grad(model.layers()[k].bias()).template cast<double>().squaredNorm();
    sums[k] += std::sqrt(w + b);
  }
}

std::vector<LayerGradient> layer_report(const std::vector<double>& sums, long batches) {
  std::vector<LayerGradient> out;
  for (std::size_t k = 0; k < sums.size(); ++k) {
    const double norm = sums[k] / double(std::max(1L, batches));
    out.push_back({"layer" + std::to_string(k), norm, norm < vanishing_norm, !(norm <= exploding_norm)});
  }
  return out;
}

/// The Stepper's options: without TrainOptions::weight_decay, which is a
/// penalty in the loss, or for AdamW the decoupled decay of decay_weights
/// (the Stepper would decay the whole buffer, biases too).
optim::Options stepper_options(const TrainOptions& options) {
  optim::Options o = options.optimizer;
  o.weight_decay = 0;
  return o;
}

/// AdamW's decoupled decay, W *= 1 - lr wd, on every weight block (biases
/// are not decayed, as they are not penalized): what the Stepper does to x
/// before its update (see optim/stepper.hpp), at the rate of its next step.
template <class T>
void decay_weights(Model<T>& model, const optim::Stepper<T>& stepper, double decay) {
  if (decay == 0) return;
  const T factor = static_cast<T>(1 - stepper.learning_rate() * decay);
  auto& p = model.parameters();
  for (const Linear<T>& layer : model.layers()) p.value(layer.weight()) *= factor;
}

template <class T>
struct EpochState {
  Model<T>& model;
  Batches<T>& data;
  Tape<T>& tape;
  optim::Stepper<T>& stepper;
  const TrainOptions& options;
  double penalty;  ///< the L2 penalty in the loss
  double decay;    ///< AdamW's decoupled decay
  detail::Progress& progress;
  VectorX<T> lower, upper;  ///< the optimizer's box, empty when unbounded
};

/// One pass over the shuffled rows; returns the mean batch loss (NaN if one diverged).
template <class T>
double run_epoch(EpochState<T>& s, long epoch, std::vector<double>& norm_sums, long& batches) {
  const Eigen::Index n = s.data.x.rows();
  s.data.order = data::permutation(n, s.options.seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
  double total = 0;
  batches = 0;
  auto& params = s.model.parameters();
  for (Eigen::Index begin = 0; begin < n; begin += s.options.batch_size) {
    const Eigen::Index count = std::min(s.options.batch_size, n - begin);
    s.data.gather(begin, count);
    s.tape.clear();
    params.zero_grad();
    Tensor<T> out = s.model.forward(s.tape, s.tape.constant_view(s.data.xb.data(), count, s.data.xb.cols()));
    Tensor<T> l = loss(out, s.tape.constant_view(s.data.yb.data(), count, s.data.yb.cols()), s.options.loss);
    s.tape.backward(l);
    detail::add_penalty_gradient(s.model, s.penalty);
    if (s.options.diagnostics) accumulate_norms(s.model, norm_sums);
    const double value = double(l.item());
    if (!std::isfinite(value)) return value;
    decay_weights(s.model, s.stepper, s.decay);
    s.stepper.step(params.values(), params.grads());
    // Each iterate projected onto the box, as optim::minimize does for the
    // first-order methods (L-BFGS honours the bounds as L-BFGS-B).
    if (s.lower.size() > 0) params.values() = params.values().cwiseMax(s.lower).cwiseMin(s.upper);
    total += value;
    ++batches;
    s.progress.batch(epoch, batches, total / double(batches));
  }
  return total / double(std::max(1L, batches));
}

}  // namespace

template <class T>
History train(Model<T>& model, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
              const TrainOptions& options) {
  detail::validate(model, x, y, options);
  if (!optim::is_first_order(options.optimizer.method)) return detail::train_full_batch(model, x, y, options);
  const detail::ThreadsFor thread_setting(options.threads);
  const detail::Holdout holdout = detail::hold_out(x, y, options);
  Batches<T> data;
  data.x = holdout.x_train.cast<T>();
  data.y = target_matrix<T>(holdout.y_train);
  // Rounded up without rows + batch_size - 1, which overflows for a batch size near its maximum.
  const Eigen::Index rows = data.x.rows();
  const long batch_count = static_cast<long>(rows / options.batch_size + (rows % options.batch_size != 0));
  detail::Progress progress(options.progress, options.epochs, batch_count);
  optim::Stepper<T> stepper(stepper_options(options), model.parameters().size());
  Tape<T> tape;
  const bool adamw = options.optimizer.method == optim::Method::AdamW;
  const double penalty = adamw ? 0.0 : options.weight_decay;
  const double decay = adamw ? options.weight_decay : 0.0;
  EpochState<T> state{model, data, tape, stepper, options, penalty, decay, progress, {}, {}};
  state.lower = options.optimizer.lower.template cast<T>();
  state.upper = options.optimizer.upper.template cast<T>();
  // The starting parameters are projected too, as minimize() projects x0.
  if (state.lower.size() > 0)
    model.parameters().values() = model.parameters().values().cwiseMax(state.lower).cwiseMin(state.upper);
  detail::EarlyStopping<T> early(options);
  History history;
  detail::EpochLog log;
  history.initial_loss = detail::starting_loss(model, holdout, options);
  for (long epoch = 1; epoch <= options.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<double> norm_sums(model.layers().size(), 0.0);
    long batches = 0;
    EpochReport report;
    report.epoch = epoch;
    report.train_loss = run_epoch(state, epoch, norm_sums, batches);
    if (detail::diverges(report.train_loss, history.initial_loss)) {
      history.diverged = true;
      history.stop_reason = detail::divergence_reason(report.train_loss, history.initial_loss,
                                                      "in epoch " + std::to_string(epoch));
      break;
    }
    detail::validate_epoch(model, holdout, options, report);
    report.gradients = options.diagnostics ? layer_report(norm_sums, batches) : std::vector<LayerGradient>{};
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress.epoch(epoch, report.train_loss, detail::validation_text(report, options));
    const bool go_on = !options.callback || options.callback(report);
    // Recorded even when the callback stops the run: its last epoch may be the best one.
    const bool stop_early = early.update(model, report);
    log.add(history, std::move(report));
    if (!go_on) {
      history.stop_reason = "the callback asked to stop";
      break;
    }
    if (stop_early) {
      history.stopped_early = true;
      history.stop_reason = "no better validation loss in " + std::to_string(options.patience) + " epochs";
      break;
    }
  }
  log.close(history);
  early.restore(model, history);
  detail::finish(model, holdout, options, history);
  return history;
}

template History train(Model<float>&, const Eigen::MatrixXd&, const Eigen::VectorXd&, const TrainOptions&);
template History train(Model<double>&, const Eigen::MatrixXd&, const Eigen::VectorXd&, const TrainOptions&);

}  // namespace nabla::nn
