// The ode module: primal (y(2)) and gradient (d y_{n-1}(2) / dx by reverse
// mode over checkpointed chunks of steps).
#include "ode.hpp"

#include <algorithm>

#include "json_io.hpp"
#include "module.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/nn/ops.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

namespace {
constexpr double kEnd = 2.0;
}

Ode::Ode(std::vector<double> x, std::size_t steps, std::size_t chunk, OdeMethod method, std::size_t tile)
    : x_(std::move(x)), steps_(steps), method_(method) {
  const std::size_t n = x_.size();
  if (n == 0) throw DimensionError("ode: x is empty");
  if (steps_ == 0) throw DomainError("ode: s must be positive");
  // Scalar tape: about 16 recorded arguments per entry and step, 2^21 per
  // tape. Tensors: 15 values per entry and step, kOdeTileValues per tape
  // (whole columns for as many steps as fit, else one step on tiles of rows).
  const std::size_t per_tape =
      method_ == OdeMethod::tensor ? kOdeTileValues / (15 * n) : (std::size_t{1} << 21) / (16 * n);
  chunk_ = std::clamp<std::size_t>(chunk > 0 ? chunk : per_tape, 1, steps_);
  tile_ = std::clamp<std::size_t>(tile > 0 ? tile : kOdeTileValues / (15 * chunk_), 1, n);
  wd_.resize(n);
  y_.resize(n);
  ybar_.resize(n);
  g_.resize(n);
  if (method_ == OdeMethod::scalar_tape) {
    wv_.resize(n);
    xv_.resize(n);
    yv_.resize(n);
    ystart_.resize(n);
  } else {
    start_bar_.resize(n);
  }
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
    if (method_ == OdeMethod::tensor)
      reverse_chunk_on_tensors(c, std::min(chunk_, steps_ - c * chunk_));
    else
      reverse_chunk_on_scalar_tape(c, std::min(chunk_, steps_ - c * chunk_));
  }
  return g_;
}

void Ode::reverse_chunk_on_scalar_tape(std::size_t c, std::size_t steps) {
  const std::size_t n = x_.size();
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  for (std::size_t i = 0; i < n; ++i) xv_[i] = tape.input(x_[i]);
  for (std::size_t i = 0; i < n; ++i) ystart_[i] = yv_[i] = tape.input(checkpoints_[c * n + i]);
  ode_steps(xv_.data(), n, kEnd / static_cast<double>(steps_), steps, yv_.data(), wv_);
  tape.clear_adjoints();
  for (std::size_t i = 0; i < n; ++i)
    if (yv_[i].is_active()) tape.adjoint(yv_[i].index()) += ybar_[i];
  tape.reverse();
  for (std::size_t i = 0; i < n; ++i) g_[i] += tape.adjoint(xv_[i].index());
  for (std::size_t i = 0; i < n; ++i) ybar_[i] = tape.adjoint(ystart_[i].index());
}

void Ode::reverse_chunk_on_tensors(std::size_t c, std::size_t steps) {
  // Output row i of a step reads rows i - 4 .. i of its start (one row per
  // stage), so rows [a, b) of the chunk's end are exact on a tile that
  // starts `halo` rows above a; the tile's own first rows, filled with the
  // boundary's 1 where there was a row above, are left out of the loss.
  const std::size_t n = x_.size(), halo = 4 * steps;
  std::fill(start_bar_.begin(), start_bar_.end(), 0.0);
  for (std::size_t a = 0; a < n; a += tile_) {
    const std::size_t top = a > halo ? a - halo : 0;
    reverse_tile(c, steps, top, a, std::min(n, a + tile_));
  }
  std::swap(ybar_, start_bar_);
}

void Ode::reverse_tile(std::size_t c, std::size_t steps, std::size_t top, std::size_t a, std::size_t b) {
  using nn::Tensor;
  const auto rows = static_cast<Eigen::Index>(b - top);
  const double h = kEnd / static_cast<double>(steps_);
  tensors_.clear();
  const Tensor<double> x = tensors_.parameter(x_.data() + top, g_.data() + top, rows, 1);
  Tensor<double> y =
      tensors_.parameter(checkpoints_.data() + c * x_.size() + top, start_bar_.data() + top, rows, 1);
  // f(u) = x * [1; u_0; ...; u_{n-2}], the right-hand side at u; y + c k as
  // one op (add with alpha): fifteen tensor ops per step.
  const auto f = [&](Tensor<double> u) { return x * nn::shift_rows(u, 1, 1.0); };
  for (std::size_t s = 0; s < steps; ++s) {
    const Tensor<double> k1 = f(y);
    const Tensor<double> k2 = f(nn::add(y, k1, h / 2));
    const Tensor<double> k3 = f(nn::add(y, k2, h / 2));
    const Tensor<double> k4 = f(nn::add(y, k3, h));
    y = nn::add(nn::add(y, k1 + k4, h / 6), k2 + k3, h / 3);
  }
  const auto out = static_cast<Eigen::Index>(b - a);
  if (a > top) y = nn::slice(y, static_cast<Eigen::Index>(a - top), out, 0, 1);
  tensors_.backward(nn::sum(y * tensors_.constant_view(ybar_.data() + a, out, 1)));
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
