// Mini-batch minimization of objectives that are sums (or means) over
// samples, f(x) = sum_i f_i(x): each epoch shuffles the sample indices with a
// seeded std::mt19937_64, cuts them into batches of batch_size (the last one
// may be shorter), and takes one Stepper step per batch on the batch's
// gradient. The same Stepper as minimize() and as nabla::nn's training.
#pragma once

#include <Eigen/Core>
#include <concepts>
#include <cstdint>
#include <span>

#include "nabla/optim/options.hpp"
#include "nabla/optim/result.hpp"

namespace nabla::optim {

/// An objective over samples: samples() of them, and the value and gradient
/// (written to g, sized like x by the caller) over the batch of sample
/// indices. Whether a batch's value is a sum or a mean is the objective's
/// choice; the learning rate scales with it.
template <class F>
concept MiniBatchObjective = requires(F& f, const Eigen::VectorXd& x, std::span<const Eigen::Index> batch,
                                      Eigen::VectorXd& g) {
  { f.samples() } -> std::convertible_to<Eigen::Index>;
  { f.value_and_gradient(x, batch, g) } -> std::convertible_to<double>;
};

/// How to cut the samples.
struct MiniBatch {
  Eigen::Index batch_size = 32;
  long epochs = 10;
  std::uint64_t seed = 0;
};

/// The type-erased form the compiled loop calls (once per batch).
class SampleObjective {
 public:
  virtual ~SampleObjective() = default;
  virtual Eigen::Index samples() const = 0;
  virtual double value_and_gradient(const Eigen::VectorXd& x, std::span<const Eigen::Index> batch,
                                    Eigen::VectorXd& g) = 0;
};

/// Runs options.method (a first-order method) for batch.epochs epochs.
/// With bounds (options.lower, options.upper), x0 and every step are
/// projected onto the box, as in minimize().
/// Result: iterations = epochs completed; function/gradient evaluations =
/// calls of value_and_gradient: the batches, plus one full pass over all
/// samples at x0 and one at the end of each epoch (max_evaluations counts
/// them all, and a budget that runs out within an epoch ends it with that
/// full pass); f and gradient_norm over all samples at the final x; the
/// trace and the callback see one Iterate per epoch (with the full f). Stops
/// early on the callback, the time limit, max_evaluations, a gradient norm
/// below the tolerance at an epoch's end, or a non-finite batch value
/// (returning the best epoch's x). Throws DomainError for a method that is
/// not first-order, a batch size below 1, no samples, or an f, gradient or
/// gradient norm at x0 that is not finite.
Result minimize_minibatch(SampleObjective& objective, const Eigen::VectorXd& x0, const Options& options,
                          const MiniBatch& batch);

/// The same for any MiniBatchObjective.
template <MiniBatchObjective F>
requires(!std::derived_from<std::remove_cvref_t<F>, SampleObjective>) Result
    minimize_minibatch(F&& f, const Eigen::VectorXd& x0, const Options& options, const MiniBatch& batch) {
  struct Wrapped final : SampleObjective {
    explicit Wrapped(std::remove_reference_t<F>& g) : f(g) {}
    Eigen::Index samples() const override { return static_cast<Eigen::Index>(f.samples()); }
    double value_and_gradient(const Eigen::VectorXd& x, std::span<const Eigen::Index> b,
                              Eigen::VectorXd& g) override {
      return static_cast<double>(f.value_and_gradient(x, b, g));
    }
    std::remove_reference_t<F>& f;
  } wrapped(f);
  return minimize_minibatch(static_cast<SampleObjective&>(wrapped), x0, options, batch);
}

}  // namespace nabla::optim
