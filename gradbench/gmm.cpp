// The gmm module: objective (double) and jacobian (the gradient, by reverse
// mode, one short tape per chunk of points), in GradBench's JSON shapes.
#include "gmm.hpp"

#include <algorithm>

#include "json_io.hpp"
#include "module.hpp"
#include "nabla/core/errors.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

double log_multigamma(double a, std::size_t p) {
  const double pi = 3.14159265358979323846;
  double r = 0.25 * static_cast<double>(p * (p - 1)) * std::log(pi);
  for (std::size_t j = 1; j <= p; ++j) r += std::lgamma(a + 0.5 * (1.0 - static_cast<double>(j)));
  return r;
}

namespace {

/// Points per tape: about 2^22 recorded arguments (48 MB) per chunk, so that
/// re-recording the k (1 + 2d + d(d-1)/2) parameters per chunk stays cheap.
std::size_t chunk_size(const GmmInput& in) {
  const std::size_t per_point = in.k * (in.d * (in.d + 1) / 2 + in.d + 3) + 1;
  return std::clamp<std::size_t>((std::size_t{1} << 22) / per_point, 1, std::max<std::size_t>(in.n, 1));
}

}  // namespace

Gmm::Gmm(GmmInput input, std::size_t chunk, GmmMethod method)
    : in_(std::move(input)), chunk_(chunk > 0 ? chunk : chunk_size(in_)), g_(in_.parameters()) {
  if (in_.d == 0 || in_.k == 0) throw DimensionError("gmm: d and k must be positive");
  wd_.resize(in_, std::max<std::size_t>(in_.n, 1));
  wv_.resize(in_, chunk_);
  if (method == GmmMethod::tensor) tensor_ = std::make_unique<GmmTensorPoints>(in_, chunk);
}

double Gmm::objective() {
  gmm_prepare(in_, in_.theta.data(), wd_);
  return gmm_global(in_, in_.theta.data(), wd_) + gmm_points(in_, in_.theta.data(), wd_, 0, in_.n);
}

const std::vector<double>& Gmm::gradient() {
  std::fill(g_.begin(), g_.end(), 0.0);
  const std::size_t p = in_.parameters();
  reverse_.accumulate(in_.theta.data(), p, g_.data(), [&](const Var* theta) {
    gmm_prepare(in_, theta, wv_);
    return gmm_global(in_, theta, wv_);
  });
  if (tensor_) {
    tensor_->accumulate(in_, g_.data());
    return g_;
  }
  for (std::size_t first = 0; first < in_.n; first += chunk_) {
    const std::size_t last = std::min(in_.n, first + chunk_);
    reverse_.accumulate(in_.theta.data(), p, g_.data(), [&](const Var* theta) {
      gmm_prepare(in_, theta, wv_);
      return gmm_points(in_, theta, wv_, first, last);
    });
  }
  return g_;
}

namespace {

GmmInput read_input(const Json& input) {
  GmmInput in;
  in.d = static_cast<std::size_t>(read_int(input, "d", 1, 4096));
  in.k = static_cast<std::size_t>(read_int(input, "k", 1, 1 << 20));
  in.n = static_cast<std::size_t>(read_int(input, "n", 0, 1LL << 31));
  auto append = [&](const std::vector<double>& v) { in.theta.insert(in.theta.end(), v.begin(), v.end()); };
  append(read_vector(input, "alpha", in.k));
  append(read_rows(input, "mu", in.k, in.d));
  append(read_rows(input, "q", in.k, in.d));
  append(read_rows(input, "l", in.k, in.tril()));
  in.x = read_rows(input, "x", in.n, in.d);
  in.gamma = read_double(input, "gamma");
  in.m = static_cast<int>(read_int(input, "m", 0, 1 << 20));
  return in;
}

Json gradient_json(const GmmInput& in, const std::vector<double>& g) {
  return Json{{"alpha", std::vector<double>(g.begin(), g.begin() + static_cast<std::ptrdiff_t>(in.k))},
              {"mu", as_rows(&g[in.mu_at()], in.k, in.d)},
              {"q", as_rows(&g[in.q_at()], in.k, in.d)},
              {"l", as_rows(&g[in.l_at()], in.k, in.tril())}};
}

Evaluation run_objective(const Json& input) {
  Gmm gmm(read_input(input));
  double y = 0;
  auto times = repeat(read_runs(input), [&] { y = gmm.objective(); });
  return {y, std::move(times)};
}

Evaluation run_jacobian(const Json& input) {
  Gmm gmm(read_input(input));
  const std::vector<double>* g = nullptr;
  auto times = repeat(read_runs(input), [&] { g = &gmm.gradient(); });
  return {gradient_json(gmm.input(), *g), std::move(times)};
}

}  // namespace

Module gmm_module() { return Module{{{"objective", run_objective}, {"jacobian", run_jacobian}}}; }

}  // namespace nabla::gradbench
