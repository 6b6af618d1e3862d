// The ode module: primal (y(2)) and gradient (d y_{n-1}(2) / dx by reverse
// mode over checkpointed chunks of steps).
#include "ode.hpp"

#include <algorithm>

#include "json_io.hpp"
#include "module.hpp"
#include "nabla/core/errors.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

namespace {
constexpr double kEnd = 2.0;
}

Ode::Ode(std::vector<double> x, std::size_t steps, std::size_t chunk) : x_(std::move(x)), steps_(steps) {
  const std::size_t n = x_.size();
  if (n == 0) throw DimensionError("ode: x is empty");
  if (steps_ == 0) throw DomainError("ode: s must be positive");
  // About 16 recorded arguments per entry and step; about 2^21 per tape.
  chunk_ = std::clamp<std::size_t>(chunk > 0 ? chunk : (std::size_t{1} << 21) / (16 * n), 1, steps_);
  wd_.resize(n);
  wv_.resize(n);
  y_.resize(n);
  ybar_.resize(n);
  g_.resize(n);
  xv_.resize(n);
  yv_.resize(n);
  ystart_.resize(n);
  checkpoints_.resize(n * ((steps_ + chunk_ - 1) / chunk_));
}

const std::vector<double>& Ode::primal() {
  std::fill(y_.begin(), y_.end(), 0.0);
  ode_steps(x_.data(), x_.size(), kEnd / static_cast<double>(steps_), steps_, y_.data(), wd_);
  return y_;
}

const std::vector<double>& Ode::gradient() {
  const std::size_t n = x_.size();
  const double h = kEnd / static_cast<double>(steps_);
  const std::size_t chunks = (steps_ + chunk_ - 1) / chunk_;
  std::fill(y_.begin(), y_.end(), 0.0);
  for (std::size_t c = 0; c < chunks; ++c) {  // the forward pass stores each chunk's start
    std::copy(y_.begin(), y_.end(), checkpoints_.begin() + static_cast<std::ptrdiff_t>(c * n));
    ode_steps(x_.data(), n, h, std::min(chunk_, steps_ - c * chunk_), y_.data(), wd_);
  }
  std::fill(g_.begin(), g_.end(), 0.0);
  std::fill(ybar_.begin(), ybar_.end(), 0.0);
  ybar_[n - 1] = 1.0;
  for (std::size_t c = chunks; c-- > 0;) {
    TapeScope<double> scope;
    Tape& tape = scope.tape();
    for (std::size_t i = 0; i < n; ++i) xv_[i] = tape.input(x_[i]);
    for (std::size_t i = 0; i < n; ++i) ystart_[i] = yv_[i] = tape.input(checkpoints_[c * n + i]);
    ode_steps(xv_.data(), n, h, std::min(chunk_, steps_ - c * chunk_), yv_.data(), wv_);
    tape.clear_adjoints();
    for (std::size_t i = 0; i < n; ++i)
      if (yv_[i].is_active()) tape.adjoint(yv_[i].index()) += ybar_[i];
    tape.reverse();
    for (std::size_t i = 0; i < n; ++i) g_[i] += tape.adjoint(xv_[i].index());
    for (std::size_t i = 0; i < n; ++i) ybar_[i] = tape.adjoint(ystart_[i].index());
  }
  return g_;
}

namespace {

Ode make(const Json& input) {
  return Ode(read_vector(input, "x"), static_cast<std::size_t>(read_int(input, "s", 1, 1LL << 31)));
}

Evaluation run_primal(const Json& input) {
  Ode ode = make(input);
  const std::vector<double>* y = nullptr;
  auto times = repeat(read_runs(input), [&] { y = &ode.primal(); });
  return {*y, std::move(times)};
}

Evaluation run_gradient(const Json& input) {
  Ode ode = make(input);
  const std::vector<double>* g = nullptr;
  auto times = repeat(read_runs(input), [&] { g = &ode.gradient(); });
  return {*g, std::move(times)};
}

}  // namespace

Module ode_module() { return Module{{{"primal", run_primal}, {"gradient", run_gradient}}}; }

}  // namespace nabla::gradbench
