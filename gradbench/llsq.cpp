// The llsq module: primal (y) and gradient (dy/dx by reverse mode: nn tensors,
// or the scalar tape).
#include "llsq.hpp"

#include <algorithm>

#include "json_io.hpp"
#include "module.hpp"
#include "nabla/nn/ops.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

namespace {

/// Samples per tape of the tensor method: P (chunk x m) stays in cache.
constexpr std::size_t llsq_chunk = 256;

}  // namespace

Llsq::Llsq(LlsqInput input, LlsqMethod method)
    : in_(std::move(input)), method_(method), powers_(in_.x.size()), r_(in_.n), g_(in_.x.size()) {
  if (method_ == LlsqMethod::scalar_tape) rv_.resize(in_.n);
}

double Llsq::primal() { return llsq_objective(in_.x.data(), in_.x.size(), in_.n, powers_.data(), r_.data()); }

const std::vector<double>& Llsq::gradient() {
  std::fill(g_.begin(), g_.end(), 0.0);
  if (method_ == LlsqMethod::tensor) {
    tensor_gradient();
    return g_;
  }
  reverse_.accumulate(in_.x.data(), in_.x.size(), g_.data(), [&](const Var* x) {
    return llsq_objective(x, in_.x.size(), in_.n, powers_.data(), rv_.data());
  });
  return g_;
}

// y = sum over chunks of 1/2 |s + P x|^2, each chunk on its own nn tape.
void Llsq::tensor_gradient() {
  const std::size_t m = in_.x.size(), n = in_.n;
  if (m == 0) return;  // no coefficients: the empty gradient (an nn tape needs a parameter)
  chunk_powers_.resize(llsq_chunk * m);
  chunk_signs_.resize(llsq_chunk);
  for (std::size_t first = 0; first < n; first += llsq_chunk) {
    const std::size_t rows = std::min(llsq_chunk, n - first);
    for (std::size_t i = 0; i < rows; ++i)
      chunk_signs_[i] = llsq_sample(first + i, n, m, &chunk_powers_[i * m]);
    tape_.clear();
    const auto e_rows = static_cast<Eigen::Index>(rows), e_m = static_cast<Eigen::Index>(m);
    const auto x = tape_.parameter(in_.x.data(), g_.data(), e_m, 1);
    const auto r = nn::matmul(tape_.constant_view(chunk_powers_.data(), e_rows, e_m), x) +
                   tape_.constant_view(chunk_signs_.data(), e_rows, 1);
    tape_.backward(0.5 * nn::sum(nn::square(r)));
  }
}

namespace {

LlsqInput read_input(const Json& input) {
  LlsqInput in;
  in.x = read_vector(input, "x");
  in.n = static_cast<std::size_t>(read_int(input, "n", 2, 1LL << 31));
  return in;
}

Evaluation run_primal(const Json& input) {
  Llsq llsq(read_input(input));
  double y = 0;
  auto times = repeat(read_runs(input), [&] { y = llsq.primal(); });
  return {y, std::move(times)};
}

Evaluation run_gradient(const Json& input) {
  Llsq llsq(read_input(input));
  const std::vector<double>* g = nullptr;
  auto times = repeat(read_runs(input), [&] { g = &llsq.gradient(); });
  return {*g, std::move(times)};
}

}  // namespace

Module llsq_module() { return Module{{{"primal", run_primal}, {"gradient", run_gradient}}}; }

}  // namespace nabla::gradbench
