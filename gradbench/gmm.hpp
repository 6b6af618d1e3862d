// The gmm eval (ADBench's Gaussian mixture objective with GradBench's
// fixes): the log posterior of k Gaussian components in d dimensions for n
// points, with a Wishart prior on the precision matrices Q_k = L_k, lower
// triangular with diagonal exp(q_k) and strictly lower part l_k (stored
// column after column). Parameters theta = [alpha (k), mu (k x d),
// q (k x d), l (k x d(d-1)/2)]. The objective is the sum of a global part
// (prior, mixture weights) and one log-sum-exp per point, so its gradient is
// taken chunk of points by chunk, each chunk on a short tape: nn tensors
// (gmm_tensor.hpp), or the scalar tape.
#pragma once

#include <cmath>
#include <cstddef>
#include <memory>
#include <vector>

#include "ad_ops.hpp"
#include "gmm_tensor.hpp"
#include "recorder.hpp"

namespace nabla::gradbench {

/// The sizes of a GMM problem and its passive data.
struct GmmInput {
  std::size_t d = 0, k = 0, n = 0;
  std::vector<double> theta;  ///< alpha, mu, q, l, flattened
  std::vector<double> x;      ///< n x d points, row after row
  double gamma = 1;
  int m = 0;

  std::size_t tril() const { return d * (d - 1) / 2; }
  std::size_t parameters() const { return k * (1 + 2 * d + tril()); }
  std::size_t mu_at() const { return k; }
  std::size_t q_at() const { return k + k * d; }
  std::size_t l_at() const { return k + 2 * k * d; }
};

/// Per-evaluation intermediate values of the GMM objective (reused).
template <class T>
struct GmmWork {
  std::vector<T> rows;          ///< per component, Q_k row-major lower incl. diagonal
  std::vector<T> qdiag;         ///< exp(q), k x d
  std::vector<T> sum_q;         ///< sum_j q_kj
  std::vector<T> xc, qx;        ///< d each
  std::vector<T> main;          ///< k
  std::vector<T> point;         ///< one log-sum-exp per point of a chunk
  std::vector<double> scratch;  ///< 3d doubles for the Var quadratic form
  void resize(const GmmInput& in, std::size_t chunk) {
    rows.resize(in.k * in.d * (in.d + 1) / 2);
    qdiag.resize(in.k * in.d);
    sum_q.resize(in.k);
    xc.resize(in.d);
    qx.resize(in.d);
    main.resize(in.k);
    point.resize(chunk);
    scratch.resize(3 * in.d);
  }
};

/// |Q (x - mu)|^2 for Q lower triangular (`rows`: row j holds Q_j0 .. Q_jj).
template <class T>
T gmm_sqdist(const T* rows, const T* mu, const double* x, std::size_t d, GmmWork<T>& w) {
  for (std::size_t j = 0; j < d; ++j) w.xc[j] = x[j] - mu[j];
  for (std::size_t j = 0; j < d; ++j) w.qx[j] = dot(rows + j * (j + 1) / 2, w.xc.data(), j + 1);
  return sqnorm(w.qx.data(), d);
}

/// The quadratic form on Vars as ONE statement (the same arithmetic for its
/// value), with partials d/dQ_ji = 2 (Q xc)_j xc_i and d/dmu_i = -2 (Q^T Q xc)_i,
/// xc = x - mu: d(d+1)/2 + d arguments instead of the d(d+1) + d of a
/// statement per row.
inline Var gmm_sqdist(const Var* rows, const Var* mu, const double* x, std::size_t d, GmmWork<Var>& w) {
  double* xc = w.scratch.data();
  double* qx = xc + d;
  double* g = qx + d;  // Q^T (2 Q xc)
  double sq = 0;
  for (std::size_t j = 0; j < d; ++j) xc[j] = x[j] - mu[j].value();
  for (std::size_t j = 0; j < d; ++j) {
    const Var* r = rows + j * (j + 1) / 2;
    double s = 0;
    for (std::size_t i = 0; i <= j; ++i) s += r[i].value() * xc[i];
    qx[j] = s;
    sq += s * s;
    g[j] = 0;
  }
  Tape& tape = Tape::active();
  auto writer = tape.begin_statement(d * (d + 1) / 2 + d);
  double* partial = writer.partial;
  Tape::Index* index = writer.index;
  std::size_t count = 0;  // passive arguments are written, then overwritten
  for (std::size_t j = 0; j < d; ++j) {
    const Var* r = rows + j * (j + 1) / 2;
    const double q2 = 2 * qx[j];
    for (std::size_t i = 0; i <= j; ++i) g[i] += q2 * r[i].value();
    for (std::size_t i = 0; i <= j; ++i) {
      partial[count] = q2 * xc[i];
      index[count] = r[i].index();
      count += r[i].is_active() ? 1 : 0;
    }
  }
  for (std::size_t i = 0; i < d; ++i) {
    partial[count] = -g[i];
    index[count] = mu[i].index();
    count += mu[i].is_active() ? 1 : 0;
  }
  writer.count = count;
  return Var(sq, tape.end_statement(writer));
}

/// Q_k's diagonal, rows and the sums of q from theta.
template <class T>
void gmm_prepare(const GmmInput& in, const T* theta, GmmWork<T>& w) {
  using std::exp;
  const std::size_t d = in.d, tri = d * (d + 1) / 2;
  for (std::size_t c = 0; c < in.k; ++c) {
    const T* q = theta + in.q_at() + c * d;
    const T* l = theta + in.l_at() + c * in.tril();
    w.sum_q[c] = sum_of(q, d);
    T* rows = &w.rows[c * tri];
    std::size_t at = 0;  // index in l of (row j, column i): column-major strictly lower
    for (std::size_t i = 0; i < d; ++i) {
      for (std::size_t j = i + 1; j < d; ++j) rows[j * (j + 1) / 2 + i] = l[at++];
      w.qdiag[c * d + i] = exp(q[i]);
      rows[i * (i + 1) / 2 + i] = w.qdiag[c * d + i];
    }
  }
}

/// sum over points [first, last) of log sum_k exp(alpha_k + sum q_k - |Q_k (x_i - mu_k)|^2 / 2).
template <class T>
T gmm_points(const GmmInput& in, const T* theta, GmmWork<T>& w, std::size_t first, std::size_t last) {
  const std::size_t d = in.d, tri = d * (d + 1) / 2;
  for (std::size_t i = first; i < last; ++i) {
    const double* x = &in.x[i * d];
    for (std::size_t c = 0; c < in.k; ++c) {
      const T sq = gmm_sqdist(&w.rows[c * tri], theta + in.mu_at() + c * d, x, d, w);
      w.main[c] = theta[c] + w.sum_q[c] - 0.5 * sq;
    }
    w.point[i - first] = logsumexp(w.main.data(), in.k);
  }
  return sum_of(w.point.data(), last - first);
}

/// log Gamma_p(a), the multivariate gamma function.
double log_multigamma(double a, std::size_t p);

/// The part without points: -n log sum_k e^{alpha_k}, the Wishart prior, the constants.
template <class T>
T gmm_global(const GmmInput& in, const T* theta, GmmWork<T>& w) {
  const double d = static_cast<double>(in.d), n = static_cast<double>(in.n), k = static_cast<double>(in.k);
  const double pi = 3.14159265358979323846;
  const double constant = -n * d * 0.5 * std::log(2 * pi);
  const double dof = d + in.m + 1;
  const double c = dof * d * (std::log(in.gamma) - 0.5 * std::log(2.0)) - log_multigamma(0.5 * dof, in.d);
  T out(0.0);
  for (std::size_t j = 0; j < in.k; ++j) {
    const T frobenius =
        sqnorm(&w.qdiag[j * in.d], in.d) + sqnorm(theta + in.l_at() + j * in.tril(), in.tril());
    out += 0.5 * in.gamma * in.gamma * frobenius - in.m * w.sum_q[j];
  }
  return constant - n * logsumexp(theta, in.k) - out + k * c;
}

/// How the gradient's sum over points is taken: the scalar tape (one
/// statement per point and component) or nn tensors (gmm_tensor.hpp, the
/// default: faster at every size measured, d = 1 .. 64, see
/// bench/gradbench/README.md).
enum class GmmMethod { scalar_tape, tensor };

/// The GMM objective and its gradient, workspaces kept between runs.
class Gmm {
 public:
  /// `chunk`: points per tape (0: the method's default).
  explicit Gmm(GmmInput input, std::size_t chunk = 0, GmmMethod method = GmmMethod::tensor);
  double objective();
  const std::vector<double>& gradient();
  const GmmInput& input() const { return in_; }

 private:
  GmmInput in_;
  std::size_t chunk_;
  GmmWork<double> wd_;
  GmmWork<Var> wv_;
  std::vector<double> g_;
  ReverseGradient reverse_;
  std::unique_ptr<GmmTensorPoints> tensor_;  ///< set when the tensor method is used
};

}  // namespace nabla::gradbench
