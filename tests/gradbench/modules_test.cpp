// Each module's derivative against central differences of its own primal on
// doubles (nabla::numdiff), on small generated inputs; det's value also
// against Eigen's LU determinant.
#include <gtest/gtest.h>

#include <Eigen/LU>
#include <array>
#include <random>
#include <string>

#include "ba.hpp"
#include "det.hpp"
#include "gmm.hpp"
#include "llsq.hpp"
#include "lse.hpp"
#include "lstm.hpp"
#include "nabla/numdiff/numdiff.hpp"
#include "ode.hpp"

namespace gb = nabla::gradbench;

namespace {

std::vector<double> random_vector(std::size_t n, unsigned seed, double lo = -1, double hi = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  std::vector<double> v(n);
  for (auto& e : v) e = u(rng);
  return v;
}

Eigen::VectorXd as_eigen(const std::vector<double>& v) {
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

void expect_close(const std::vector<double>& ad, const Eigen::VectorXd& fd, double tol) {
  ASSERT_EQ(static_cast<Eigen::Index>(ad.size()), fd.size());
  const double scale = std::max(1.0, fd.lpNorm<Eigen::Infinity>());
  for (Eigen::Index i = 0; i < fd.size(); ++i)
    EXPECT_NEAR(ad[static_cast<std::size_t>(i)], fd[i], tol * scale) << i;
}

}  // namespace

TEST(GradbenchLlsq, GradientMatchesFiniteDifferences) {
  // n = 21 (one chunk of the tensor method) and n = 600 (three chunks, the last partial).
  for (std::size_t n : {21, 600}) {
    const auto x = random_vector(5, 1);
    const auto fd = nabla::numdiff::gradient(
        [&](const Eigen::VectorXd& v) {
          return gb::Llsq({std::vector<double>(v.data(), v.data() + v.size()), n}).primal();
        },
        as_eigen(x));
    for (auto method : {gb::LlsqMethod::tensor, gb::LlsqMethod::scalar_tape}) {
      SCOPED_TRACE("n = " + std::to_string(n) +
                   (method == gb::LlsqMethod::tensor ? ", tensor" : ", scalar tape"));
      gb::Llsq llsq({x, n}, method);
      expect_close(llsq.gradient(), fd, 1e-7);
      expect_close(llsq.gradient(), fd, 1e-7);  // a second run on the reused tape
    }
  }
  EXPECT_TRUE(gb::Llsq({{}, 3}).gradient().empty());  // no coefficients, as before the tensor method
}

TEST(GradbenchLse, GradientMatchesFiniteDifferencesAndSumsToOne) {
  const auto x = random_vector(9, 2, -50, 50);
  const auto fd = nabla::numdiff::gradient(
      [&](const Eigen::VectorXd& v) {
        return gb::Lse(std::vector<double>(v.data(), v.data() + v.size())).primal();
      },
      as_eigen(x));
  for (auto method : {gb::LseMethod::tensor, gb::LseMethod::scalar_tape}) {
    SCOPED_TRACE(method == gb::LseMethod::tensor ? "tensor" : "scalar tape");
    gb::Lse lse(x, method);
    expect_close(lse.gradient(), fd, 1e-7);
    const auto& g = lse.gradient();
    expect_close(g, fd, 1e-7);
    double total = 0;
    for (double e : g) total += e;
    EXPECT_NEAR(total, 1.0, 1e-12);
  }
}

namespace {

gb::GmmInput small_gmm(std::size_t d, std::size_t k, std::size_t n) {
  gb::GmmInput in;
  in.d = d;
  in.k = k;
  in.n = n;
  in.theta = random_vector(in.parameters(), 3, -0.5, 0.5);
  in.x = random_vector(n * d, 4, -1, 1);
  in.gamma = 1.3;
  in.m = 2;
  return in;
}

}  // namespace

TEST(GradbenchGmm, GradientMatchesFiniteDifferencesInOneOrManyChunks) {
  const gb::GmmInput in = small_gmm(3, 4, 7);
  const auto fd = nabla::numdiff::gradient(
      [&](const Eigen::VectorXd& v) {
        gb::GmmInput other = in;
        other.theta.assign(v.data(), v.data() + v.size());
        return gb::Gmm(other).objective();
      },
      as_eigen(in.theta));
  gb::Gmm whole(in, 0, gb::GmmMethod::scalar_tape);
  expect_close(whole.gradient(), fd, 1e-7);
  gb::Gmm chunked(in, 2, gb::GmmMethod::scalar_tape);
  expect_close(chunked.gradient(), fd, 1e-7);
  expect_close(chunked.gradient(), fd, 1e-7);
}

TEST(GradbenchGmm, TensorGradientMatchesFiniteDifferencesAtEveryShape) {
  // d = 1 has no l; chunks of 1, 3 and all points; one component; k > d and k < d.
  const std::vector<std::array<std::size_t, 4>> shapes = {
      {1, 3, 5, 2}, {3, 4, 7, 3}, {5, 1, 6, 0}, {6, 2, 9, 1}};
  for (const auto& [d, k, n, chunk] : shapes) {
    const gb::GmmInput in = small_gmm(d, k, n);
    const auto fd = nabla::numdiff::gradient(
        [&](const Eigen::VectorXd& v) {
          gb::GmmInput other = in;
          other.theta.assign(v.data(), v.data() + v.size());
          return gb::Gmm(other).objective();
        },
        as_eigen(in.theta));
    gb::Gmm tensor(in, chunk, gb::GmmMethod::tensor);
    SCOPED_TRACE("d = " + std::to_string(d) + ", k = " + std::to_string(k) +
                 ", chunk = " + std::to_string(chunk));
    expect_close(tensor.gradient(), fd, 1e-7);
    expect_close(tensor.gradient(), fd, 1e-7);  // a second run on the reused tape
  }
}

TEST(GradbenchGmm, TensorAndScalarTapeAgreeOnALargerInput) {
  const gb::GmmInput in = small_gmm(12, 5, 40);
  const std::vector<double> scalar = gb::Gmm(in, 0, gb::GmmMethod::scalar_tape).gradient();
  const std::vector<double> tensor = gb::Gmm(in, 16, gb::GmmMethod::tensor).gradient();
  ASSERT_EQ(scalar.size(), tensor.size());
  for (std::size_t i = 0; i < scalar.size(); ++i)
    EXPECT_NEAR(tensor[i], scalar[i], 1e-10 * (1 + std::abs(scalar[i]))) << i;
}

TEST(GradbenchGmm, OneDimensionalOneComponentIsAGaussianLogDensityPlusPrior) {
  // d = k = 1: log N(x; mu, 1/e^{2q}) summed, minus the prior's 0.5 gamma^2 e^{2q} - m q, plus constants.
  gb::GmmInput in;
  in.d = in.k = 1;
  in.n = 2;
  in.theta = {0.3, 0.2, -0.4};  // alpha, mu, q
  in.x = {0.5, -1.0};
  in.gamma = 1.0;
  in.m = 0;
  const double pi = 3.14159265358979323846, q = -0.4, mu = 0.2;
  double expected = 0;
  for (double x : in.x) expected += -0.5 * std::log(2 * pi) + q - 0.5 * std::exp(2 * q) * (x - mu) * (x - mu);
  const double dof = 2;  // d + m + 1
  const double c = dof * (0 - 0.5 * std::log(2.0)) - std::lgamma(0.5 * dof);
  expected += -(0.5 * std::exp(2 * q)) + c;
  EXPECT_NEAR(gb::Gmm(in).objective(), expected, 1e-12);
}

TEST(GradbenchLstm, GradientMatchesFiniteDifferences) {
  gb::LstmInput in;
  in.l = 2;
  in.b = 3;
  in.c = 4;
  in.theta = random_vector(8 * in.b * in.l + 3 * in.b, 5);
  in.state = random_vector(2 * in.l * in.b, 6);
  in.sequence.assign(in.c * in.b, 0.0);
  for (std::size_t t = 0; t < in.c; ++t) in.sequence[t * in.b + t % in.b] = 1.0;
  const auto fd = nabla::numdiff::gradient(
      [&](const Eigen::VectorXd& v) {
        gb::LstmInput other = in;
        other.theta.assign(v.data(), v.data() + v.size());
        return gb::Lstm(other).objective();
      },
      as_eigen(in.theta));
  gb::Lstm lstm(in);
  expect_close(lstm.gradient(), fd, 1e-7);
}

TEST(GradbenchOde, GradientOfLastEntryMatchesFiniteDifferencesWithAndWithoutCheckpoints) {
  const auto x = random_vector(5, 7, 0, 1);
  const auto fd = nabla::numdiff::gradient(
      [&](const Eigen::VectorXd& v) {
        gb::Ode ode(std::vector<double>(v.data(), v.data() + v.size()), 4);
        return ode.primal().back();
      },
      as_eigen(x));
  for (gb::OdeMethod method : {gb::OdeMethod::tensor, gb::OdeMethod::scalar_tape}) {
    gb::Ode one_tape(x, 4, 0, method);
    expect_close(one_tape.gradient(), fd, 1e-7);
    gb::Ode per_step(x, 4, 1, method);
    expect_close(per_step.gradient(), fd, 1e-7);
    gb::Ode uneven(x, 4, 3, method);
    expect_close(uneven.gradient(), fd, 1e-7);
  }
  // n = 1: y_0(2) = 2 x_0, which Runge-Kutta integrates exactly.
  for (gb::OdeMethod method : {gb::OdeMethod::tensor, gb::OdeMethod::scalar_tape}) {
    gb::Ode single({0.7}, 3, 0, method);
    EXPECT_NEAR(single.gradient()[0], 2.0, 1e-14);
  }
}

TEST(GradbenchOde, TensorsAndScalarTapeAgreeOnALargerInputOverManyChunks) {
  // Twelve entries of 1 to 3 keep every gradient entry far from underflow.
  const auto x = random_vector(12, 9, 1, 3);
  gb::Ode tensors(x, 20, 3, gb::OdeMethod::tensor);
  gb::Ode scalar(x, 20, 7, gb::OdeMethod::scalar_tape);
  const std::vector<double> a = tensors.gradient(), b = scalar.gradient();
  double scale = 0;
  for (double v : b) scale = std::max(scale, std::abs(v));
  ASSERT_GT(scale, 1e-6);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-12 * scale) << i;
  // A second call on the same object gives the same gradient (reused tapes and buffers).
  const std::vector<double> again = tensors.gradient();
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(again[i], a[i]) << i;
}

TEST(GradbenchOde, TilesOfRowsGiveTheSameGradient) {
  // 40 entries, 20 steps: the last entry reads every x. One step per tape
  // (4 rows of halo) and three per tape (12 rows), on tiles of 1, 3, 7 and
  // 40 rows, against the scalar tape.
  const auto x = random_vector(40, 12, 1, 3);
  gb::Ode scalar(x, 20, 5, gb::OdeMethod::scalar_tape);
  const std::vector<double> expected = scalar.gradient();
  double scale = 0;
  for (double v : expected) scale = std::max(scale, std::abs(v));
  ASSERT_GT(scale, 0.0);
  ASSERT_NE(expected.front(), 0.0);
  for (std::size_t chunk : {1, 3})
    for (std::size_t tile : {1, 3, 7, 40}) {
      gb::Ode tiled(x, 20, chunk, gb::OdeMethod::tensor, tile);
      for (int call = 0; call < 2; ++call) {
        const std::vector<double>& g = tiled.gradient();
        for (std::size_t i = 0; i < g.size(); ++i)
          EXPECT_NEAR(g[i], expected[i], 1e-12 * scale)
              << "chunk " << chunk << " tile " << tile << " entry " << i;
      }
    }
}

TEST(GradbenchDet, ValueMatchesEigenAndBothModesMatchFiniteDifferences) {
  for (std::size_t ell : {1, 2, 3, 5}) {
    const auto a = random_vector(ell * ell, 8 + static_cast<unsigned>(ell));
    const Eigen::MatrixXd m = Eigen::Map<const Eigen::Matrix<double, -1, -1, Eigen::RowMajor>>(
        a.data(), static_cast<Eigen::Index>(ell), static_cast<Eigen::Index>(ell));
    gb::Det det(a, ell);
    EXPECT_NEAR(det.primal(), m.determinant(), 1e-12) << ell;
    const auto fd = nabla::numdiff::gradient(
        [&](const Eigen::VectorXd& v) {
          return gb::Det(std::vector<double>(v.data(), v.data() + v.size()), ell).primal();
        },
        as_eigen(a));
    expect_close(det.gradient(), fd, 1e-7);
    expect_close(det.forward_gradient(), fd, 1e-7);
  }
}

TEST(GradbenchDet, PreaccumulatedMinorsGiveTheCofactors) {
  // d det A / dA = det(A) A^-T, from Eigen's LU: independent of any AD.
  auto cofactors = [](const std::vector<double>& a, std::size_t ell) {
    const Eigen::MatrixXd m = Eigen::Map<const Eigen::Matrix<double, -1, -1, Eigen::RowMajor>>(
        a.data(), static_cast<Eigen::Index>(ell), static_cast<Eigen::Index>(ell));
    const Eigen::Matrix<double, -1, -1, Eigen::RowMajor> c = m.determinant() * m.inverse().transpose();
    return std::vector<double>(c.data(), c.data() + c.size());
  };
  auto expect_cofactors = [&](gb::Det& det, const std::vector<double>& a, std::size_t ell,
                              std::size_t local) {
    const std::vector<double> expected = cofactors(a, ell);
    for (int call = 0; call < 2; ++call) {  // the second on reused tapes
      const std::vector<double>& g = det.gradient();
      for (std::size_t i = 0; i < g.size(); ++i)
        EXPECT_NEAR(g[i], expected[i], 1e-12) << "ell " << ell << " local " << local << " entry " << i;
    }
  };
  const auto a8 = random_vector(64, 31);
  gb::Det det8(a8, 8);  // eight 7 x 7 minors
  expect_cofactors(det8, a8, 8, gb::kDetLocalMinor);
  const auto a5 = random_vector(25, 32);
  for (std::size_t local : {1, 2, 3, 4, 5}) {
    gb::Det det5(a5, 5, local);
    expect_cofactors(det5, a5, 5, local);
  }
  EXPECT_THROW(gb::Det(a5, 5, 0), nabla::DimensionError);
}

TEST(GradbenchBa, JacobianBlocksMatchFiniteDifferencesAndSitInTheirColumns) {
  gb::BaInput in;
  in.n = 2;
  in.m = 3;
  in.p = 4;
  in.cams = random_vector(11 * in.n, 9, -0.3, 0.3);
  for (std::size_t c = 0; c < in.n; ++c) in.cams[11 * c + 5] -= 5.0;  // camera behind the points
  in.points = random_vector(3 * in.m, 10);
  in.weights = random_vector(in.p, 11, 0.5, 1.5);
  in.feats = random_vector(2 * in.p, 12);
  for (std::size_t i = 0; i < in.p; ++i) {
    in.obs.push_back(static_cast<int>(i % in.n));
    in.obs.push_back(static_cast<int>(i % in.m));
  }
  gb::Ba ba(in);
  const gb::SparseRows& j = ba.jacobian();
  ASSERT_EQ(j.rows.size(), 3 * in.p + 1);
  ASSERT_EQ(j.cols.size(), 31 * in.p);
  // The dense Jacobian of all 3p outputs by finite differences of the objective.
  std::vector<double> all = in.cams;
  all.insert(all.end(), in.points.begin(), in.points.end());
  all.insert(all.end(), in.weights.begin(), in.weights.end());
  const auto fd = nabla::numdiff::jacobian(
      [&](const Eigen::VectorXd& v) {
        gb::BaInput other = in;
        other.cams.assign(v.data(), v.data() + 11 * in.n);
        other.points.assign(v.data() + 11 * in.n, v.data() + 11 * in.n + 3 * in.m);
        other.weights.assign(v.data() + 11 * in.n + 3 * in.m, v.data() + v.size());
        gb::Ba b(other);
        b.objective();
        Eigen::VectorXd out(3 * static_cast<Eigen::Index>(in.p));
        for (std::size_t i = 0; i < 2 * in.p; ++i) out[static_cast<Eigen::Index>(i)] = b.reprojection()[i];
        for (std::size_t i = 0; i < in.p; ++i)
          out[static_cast<Eigen::Index>(2 * in.p + i)] = b.weight_errors()[i];
        return out;
      },
      as_eigen(all));
  Eigen::MatrixXd dense = Eigen::MatrixXd::Zero(fd.rows(), fd.cols());
  for (std::size_t r = 0; r + 1 < j.rows.size(); ++r)
    for (int e = j.rows[r]; e < j.rows[r + 1]; ++e)
      dense(static_cast<Eigen::Index>(r), j.cols[e]) += j.vals[e];
  EXPECT_LT((dense - fd).lpNorm<Eigen::Infinity>(), 1e-7 * std::max(1.0, fd.lpNorm<Eigen::Infinity>()));
}
