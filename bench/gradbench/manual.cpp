// The "manual" baseline of issue 7's targets, measured here: hand-written
// gradients of gmm, lse and llsq (derived from the math, one pass over the
// data each, the way GradBench's manual tool is written), timed against the
// tool's own primals (gb::Gmm::objective, gb::Lse::primal, gb::Llsq::primal)
// at run.py's sizes. Each hand gradient is checked against the tool's AD
// gradient at every size (the largest difference relative to max(1, |g|)
// is printed), so a wrong hand gradient shows. Not part of the tool: the
// issue forbids hand-written derivatives there.
//
// usage: nabla-gradbench-manual [--min-runs N] [--min-seconds S] [gmm|lse|llsq ...]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "gmm.hpp"
#include "llsq.hpp"
#include "lse.hpp"
#include "runs.hpp"

namespace gb = nabla::gradbench;

namespace {

gb::Runs runs;

/// The median milliseconds of `f`, run as `runs` asks.
template <class F>
double median_ms(F&& f) {
  std::vector<std::int64_t> t = gb::repeat(runs, f);
  std::sort(t.begin(), t.end());
  return static_cast<double>(t[t.size() / 2]) * 1e-6;
}

double max_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double scale = 1, diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    scale = std::max(scale, std::abs(b[i]));
    diff = std::max(diff, std::abs(a[i] - b[i]));
  }
  return a.size() == b.size() ? diff / scale : INFINITY;
}

/// One row: the primal, the hand gradient, then each AD method of the tool (name, ms).
void report(const std::string& module, const std::string& input, double f, double manual,
            const std::vector<std::pair<std::string, double>>& ad, double diff) {
  std::printf("%-5s %-18s %9.3f %9.3f %5.2f %8.1e", module.c_str(), input.c_str(), f, manual, manual / f,
              diff);
  for (const auto& [name, ms] : ad) std::printf("   %s %9.3f %5.2f", name.c_str(), ms, ms / f);
  std::printf("\n");
  std::fflush(stdout);
}

// ---------------------------------------------------------------- lse ---

/// d LSE / d x_i = e^{x_i - a} / sum_j e^{x_j - a}.
void lse_manual(const std::vector<double>& x, std::vector<double>& g) {
  double a = x[0];
  for (double v : x) a = std::max(a, v);
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    g[i] = std::exp(x[i] - a);
    s += g[i];
  }
  const double inverse = 1 / s;
  for (double& v : g) v *= inverse;
}

void bench_lse(std::mt19937& gen) {
  std::uniform_real_distribution<double> u(0, 1);
  for (std::size_t n : {10000, 160000, 1280000}) {
    std::vector<double> x(n), g(n);
    for (double& v : x) v = u(gen);
    gb::Lse tool(x), tape(x, gb::LseMethod::scalar_tape);
    const double f = median_ms([&] { tool.primal(); });
    const double manual = median_ms([&] { lse_manual(x, g); });
    const double ad = median_ms([&] { tool.gradient(); });
    const double ad_tape = median_ms([&] { tape.gradient(); });
    report("lse", "n=" + std::to_string(n), f, manual, {{"tensor", ad}, {"tape", ad_tape}},
           std::max(max_difference(g, tool.gradient()), max_difference(g, tape.gradient())));
  }
}

// --------------------------------------------------------------- llsq ---

/// y = 1/2 sum_i r_i^2, r_i = s_i + sum_j p_ij x_j with p_ij = -t_i^j: dy/dx_j = sum_i r_i p_ij.
void llsq_manual(const std::vector<double>& x, std::size_t n, std::vector<double>& powers,
                 std::vector<double>& g) {
  const std::size_t m = x.size();
  std::fill(g.begin(), g.end(), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = -1.0 + static_cast<double>(i) * 2.0 / static_cast<double>(n - 1);
    double r = static_cast<double>((0.0 < t) - (t < 0.0));
    double p = -1.0;
    for (std::size_t j = 0; j < m; ++j) {
      powers[j] = p;
      r += p * x[j];
      p *= t;
    }
    for (std::size_t j = 0; j < m; ++j) g[j] += r * powers[j];
  }
}

void bench_llsq(std::mt19937& gen) {
  std::uniform_real_distribution<double> u(0, 1);
  for (std::size_t n : {1024, 4096, 16392}) {
    std::vector<double> x(128), g(128), powers(128);
    for (double& v : x) v = u(gen);
    gb::Llsq tool({x, n}), tape({x, n}, gb::LlsqMethod::scalar_tape);
    const double f = median_ms([&] { tool.primal(); });
    const double manual = median_ms([&] { llsq_manual(x, n, powers, g); });
    const double ad = median_ms([&] { tool.gradient(); });
    const double ad_tape = median_ms([&] { tape.gradient(); });
    report("llsq", "n=" + std::to_string(n) + ",m=128", f, manual, {{"tensor", ad}, {"tape", ad_tape}},
           std::max(max_difference(g, tool.gradient()), max_difference(g, tape.gradient())));
  }
}

// ---------------------------------------------------------------- gmm ---

/// Work arrays of the hand gradient: Q_k (rows as the tool stores them) and
/// their adjoints, xc = x - mu_k and y = Q_k xc for one point, and the n x k
/// table of the mixture terms, then of their softmax weights.
struct GmmManual {
  std::vector<double> rows, drows, qdiag, sum_q, weight_sum, xc, y, main;
};

/// Q_k from q and l, the sums of q; zeroes the adjoints.
void gmm_manual_prepare(const gb::GmmInput& in, GmmManual& w) {
  const std::size_t d = in.d, tri = d * (d + 1) / 2;
  w.rows.assign(in.k * tri, 0.0);
  w.drows.assign(in.k * tri, 0.0);
  w.qdiag.resize(in.k * d);
  w.sum_q.assign(in.k, 0.0);
  w.weight_sum.assign(in.k, 0.0);
  w.xc.resize(d);
  w.y.resize(d);
  w.main.resize(in.n * in.k);
  for (std::size_t c = 0; c < in.k; ++c) {
    const double* q = &in.theta[in.q_at() + c * d];
    const double* l = &in.theta[in.l_at() + c * in.tril()];
    double* rows = &w.rows[c * tri];
    std::size_t at = 0;
    for (std::size_t i = 0; i < d; ++i) {
      for (std::size_t j = i + 1; j < d; ++j) rows[j * (j + 1) / 2 + i] = l[at++];
      w.qdiag[c * d + i] = std::exp(q[i]);
      rows[i * (i + 1) / 2 + i] = w.qdiag[c * d + i];
      w.sum_q[c] += q[i];
    }
  }
}

/// xc = x - mu, y = Q xc (Q lower triangular by rows); returns |y|^2.
double gmm_manual_form(const double* rows, const double* mu, const double* x, std::size_t d, GmmManual& w) {
  double sq = 0;
  for (std::size_t i = 0; i < d; ++i) w.xc[i] = x[i] - mu[i];
  for (std::size_t j = 0; j < d; ++j) {
    double s = 0;
    for (std::size_t i = 0; i <= j; ++i) s += rows[j * (j + 1) / 2 + i] * w.xc[i];
    w.y[j] = s;
    sq += s * s;
  }
  return sq;
}

/// Component after component (Q_k and its adjoint stay in cache): the mixture
/// terms main_ik, then their softmax over k per point, then with w_ik the
/// weights d/dQ_k,ji += -w_ik y_j xc_i and d/dmu_k += w_ik Q_k^T y.
void gmm_manual_points(const gb::GmmInput& in, GmmManual& w, double* g) {
  const std::size_t d = in.d, k = in.k, tri = d * (d + 1) / 2;
  for (std::size_t c = 0; c < k; ++c)
    for (std::size_t i = 0; i < in.n; ++i) {
      const double sq = gmm_manual_form(&w.rows[c * tri], &in.theta[in.mu_at() + c * d], &in.x[i * d], d, w);
      w.main[i * k + c] = in.theta[c] + w.sum_q[c] - 0.5 * sq;
    }
  for (std::size_t i = 0; i < in.n; ++i) {
    double* m = &w.main[i * k];
    const double top = *std::max_element(m, m + k);
    double total = 0;
    for (std::size_t c = 0; c < k; ++c) total += (m[c] = std::exp(m[c] - top));
    for (std::size_t c = 0; c < k; ++c) m[c] /= total;
  }
  for (std::size_t c = 0; c < k; ++c) {
    const double* rows = &w.rows[c * tri];
    double* drows = &w.drows[c * tri];
    double* dmu = g + in.mu_at() + c * d;
    for (std::size_t i = 0; i < in.n; ++i) {
      const double weight = w.main[i * k + c];
      w.weight_sum[c] += weight;
      gmm_manual_form(rows, &in.theta[in.mu_at() + c * d], &in.x[i * d], d, w);
      for (std::size_t j = 0; j < d; ++j) {
        const double a = weight * w.y[j];
        for (std::size_t e = 0; e <= j; ++e) {
          drows[j * (j + 1) / 2 + e] -= a * w.xc[e];
          dmu[e] += a * rows[j * (j + 1) / 2 + e];
        }
      }
    }
  }
}

/// The gradient of gb::Gmm::objective, written by hand.
void gmm_manual(const gb::GmmInput& in, GmmManual& w, std::vector<double>& g) {
  const std::size_t d = in.d, k = in.k, tri = d * (d + 1) / 2;
  std::fill(g.begin(), g.end(), 0.0);
  gmm_manual_prepare(in, w);
  gmm_manual_points(in, w, g.data());
  double top = in.theta[0], total = 0;
  for (std::size_t c = 0; c < k; ++c) top = std::max(top, in.theta[c]);
  for (std::size_t c = 0; c < k; ++c) total += std::exp(in.theta[c] - top);
  const double n = static_cast<double>(in.n), gamma2 = in.gamma * in.gamma;
  for (std::size_t c = 0; c < k; ++c) {
    g[c] = w.weight_sum[c] - n * std::exp(in.theta[c] - top) / total;
    const double* drows = &w.drows[c * tri];
    std::size_t at = 0;
    for (std::size_t i = 0; i < d; ++i) {
      for (std::size_t j = i + 1; j < d; ++j, ++at) {
        const std::size_t l = in.l_at() + c * in.tril() + at;
        g[l] = drows[j * (j + 1) / 2 + i] - gamma2 * in.theta[l];
      }
      const double e = w.qdiag[c * d + i];
      g[in.q_at() + c * d + i] = w.weight_sum[c] + drows[i * (i + 1) / 2 + i] * e - gamma2 * e * e + in.m;
    }
  }
}

void bench_gmm(std::mt19937& gen) {
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  const std::vector<std::pair<std::size_t, std::size_t>> sizes = {
      {2, 5}, {10, 25}, {20, 50}, {32, 50}, {64, 100}};
  for (const auto& [d, k] : sizes) {
    gb::GmmInput in;
    in.d = d;
    in.k = k;
    in.n = 1000;
    in.theta.resize(in.parameters());
    for (double& v : in.theta) v = normal(gen);
    for (std::size_t i = in.mu_at(); i < in.q_at(); ++i) in.theta[i] = u(gen);
    in.x.resize(in.n * d);
    for (double& v : in.x) v = normal(gen);
    gb::Gmm tool(in, 0, gb::GmmMethod::tensor), tape(in, 0, gb::GmmMethod::scalar_tape);
    GmmManual w;
    std::vector<double> g(in.parameters());
    const double f = median_ms([&] { tool.objective(); });
    const double manual = median_ms([&] { gmm_manual(in, w, g); });
    const double ad = median_ms([&] { tool.gradient(); });
    const double ad_tape = median_ms([&] { tape.gradient(); });
    const std::string name = "d=" + std::to_string(d) + ",k=" + std::to_string(k) + ",n=1000";
    report("gmm", name, f, manual, {{"tensor", ad}, {"tape", ad_tape}},
           std::max(max_difference(g, tool.gradient()), max_difference(g, tape.gradient())));
  }
}

}  // namespace

int main(int argc, char** argv) {
  runs.min_runs = 5;
  runs.min_seconds = 0.5;
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--min-runs" && i + 1 < argc)
      runs.min_runs = std::atoll(argv[++i]);
    else if (a == "--min-seconds" && i + 1 < argc)
      runs.min_seconds = std::atof(argv[++i]);
    else
      only.push_back(a);
  }
  auto wanted = [&](const std::string& m) {
    return only.empty() || std::count(only.begin(), only.end(), m) > 0;
  };
  std::printf("%-5s %-18s %9s %9s %5s %8s   AD method, ms, J/f ...\n", "", "input", "f (ms)", "manual", "J/f",
              "max diff");
  std::mt19937 gen(31337);
  if (wanted("llsq")) bench_llsq(gen);
  if (wanted("lse")) bench_lse(gen);
  if (wanted("gmm")) bench_gmm(gen);
  return 0;
}
