// The tensor formulation of gmm's points (see gmm_tensor.hpp): the gather
// indices that place exp(q) and l into W, and one nn tape per chunk.
#include "gmm_tensor.hpp"

#include <algorithm>

#include "gmm.hpp"
#include "nabla/nn/ops.hpp"

namespace nabla::gradbench {

namespace {

/// Index of l_c's entry (row j, column i), j > i: stored column after column.
std::size_t tril_at(std::size_t d, std::size_t i, std::size_t j) {
  return i * (d - 1) - i * (i - 1) / 2 + j - i - 1;
}

}  // namespace

GmmTensorPoints::GmmTensorPoints(const GmmInput& in, std::size_t chunk) {
  const std::size_t d = in.d, k = in.k, kd = k * d;
  // About 2^18 entries of Z (2 MB) per tape so that the passes over it stay in
  // cache, but at least 256 points: each tape rebuilds W and b, O(k d^2).
  const std::size_t points = std::max<std::size_t>((std::size_t{1} << 18) / kd, 256);
  chunk_ = chunk > 0 ? chunk : std::clamp<std::size_t>(points, 1, std::max<std::size_t>(in.n, 1));
  w_index_.assign(d * kd, -1);
  mu_index_.resize(d * kd);
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t c = 0; c < k; ++c)
      for (std::size_t j = 0; j < d; ++j) {
        // W(i, c d + j) = Q_c(j, i): exp(q_ci) on the diagonal, l_c below it, 0 above.
        const std::size_t e = i * kd + c * d + j;
        if (j == i) w_index_[e] = static_cast<int>(c * d + i);
        if (j > i) w_index_[e] = static_cast<int>(kd + c * in.tril() + tril_at(d, i, j));
        mu_index_[e] = static_cast<int>(c * d + i);
      }
}

void GmmTensorPoints::accumulate(GmmInput& in, double* g) {
  using Index = Eigen::Index;
  const auto d = static_cast<Index>(in.d), k = static_cast<Index>(in.k), tril = static_cast<Index>(in.tril());
  double* theta = in.theta.data();
  for (std::size_t first = 0; first < in.n; first += chunk_) {
    const auto rows = static_cast<Index>(std::min(in.n - first, chunk_));
    tape_.clear();
    const auto alpha = tape_.parameter(theta, g, 1, k);
    const auto mu = tape_.parameter(theta + in.mu_at(), g + in.mu_at(), k, d);
    const auto q = tape_.parameter(theta + in.q_at(), g + in.q_at(), k, d);
    std::vector<nn::Tensor<double>> source{nn::reshape(nn::exp(q), 1, k * d)};
    if (tril > 0) source.push_back(tape_.parameter(theta + in.l_at(), g + in.l_at(), 1, k * tril));
    const auto w = nn::gather(nn::concat(source, 1), w_index_, d, k * d);
    const auto b = nn::sum(nn::gather(mu, mu_index_, d, k * d) * w, 0);
    const auto z = nn::matmul(tape_.constant_view(&in.x[first * in.d], rows, d), w) - b;
    const auto sq = nn::reshape(nn::sum(nn::reshape(nn::square(z), rows * k, d), 1), rows, k);
    const auto main = (alpha + nn::reshape(nn::sum(q, 1), 1, k)) - 0.5 * sq;
    tape_.backward(nn::sum(nn::logsumexp(main, 1)));
  }
}

}  // namespace nabla::gradbench
