// The llsq module: primal (y) and gradient (dy/dx by reverse mode).
#include "llsq.hpp"

#include <algorithm>

#include "json_io.hpp"
#include "module.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

Llsq::Llsq(LlsqInput input)
    : in_(std::move(input)), powers_(in_.x.size()), r_(in_.n), g_(in_.x.size()), rv_(in_.n) {}

double Llsq::primal() { return llsq_objective(in_.x.data(), in_.x.size(), in_.n, powers_.data(), r_.data()); }

const std::vector<double>& Llsq::gradient() {
  std::fill(g_.begin(), g_.end(), 0.0);
  reverse_.accumulate(in_.x.data(), in_.x.size(), g_.data(), [&](const Var* x) {
    return llsq_objective(x, in_.x.size(), in_.n, powers_.data(), rv_.data());
  });
  return g_;
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
