// The ht module on small generated hands (22 bones, a handful of vertices
// and triangles): the objective against an independent evaluation with
// Eigen's rotations and 4 x 4 products written from the eval's description,
// the Jacobian (simple and complicated, plain and mirrored, the ADBench bone
// layout and random parents) against central differences (nabla::numdiff),
// and malformed inputs answered with success: false through the protocol.
#include "ht.hpp"

#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <functional>
#include <limits>
#include <random>

#include "json_io.hpp"
#include "nabla/numdiff/numdiff.hpp"
#include "protocol.hpp"

namespace gb = nabla::gradbench;

namespace {

using Matrix4 = Eigen::Matrix<double, 4, 4, Eigen::RowMajor>;

/// A hand of 22 bones: ADBench's layout (root, palm, 5 fingers of 4) with
/// rigid transforms, or random parents with arbitrary 4 x 4 matrices.
gb::HtInput small_hand(unsigned seed, bool adbench_layout, bool complicated, bool mirrored) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  gb::HtInput in;
  gb::HtModel& m = in.model;
  m.bones = 22;
  m.vertices = 9;
  m.mirrored = mirrored;
  for (std::size_t b = 0; b < m.bones; ++b) {
    int parent = b == 0 ? -1 : b == 1 ? 0 : (b - 2) % 4 == 0 ? 1 : static_cast<int>(b) - 1;
    if (!adbench_layout) parent = b == 0 ? -1 : static_cast<int>(rng() % b);
    m.parents.push_back(parent);
    Matrix4 rel = Matrix4::Identity(), inv = Matrix4::Identity();
    if (adbench_layout) {
      rel.topLeftCorner<3, 3>() =
          Eigen::AngleAxisd(0.3 * u(rng), Eigen::Vector3d(u(rng), u(rng), u(rng)).normalized()).matrix();
      rel.topRightCorner<3, 1>() = Eigen::Vector3d(u(rng), u(rng), 1 + u(rng));
      inv.topRightCorner<3, 1>() = Eigen::Vector3d(u(rng), u(rng), u(rng));
    } else {
      for (int e = 0; e < 16; ++e) rel(e / 4, e % 4) = u(rng), inv(e / 4, e % 4) = u(rng);
    }
    m.base_relatives.insert(m.base_relatives.end(), rel.data(), rel.data() + 16);
    m.inverse_base_absolutes.insert(m.inverse_base_absolutes.end(), inv.data(), inv.data() + 16);
  }
  for (std::size_t v = 0; v < m.vertices; ++v) {
    for (int i = 0; i < 3; ++i) m.base_positions.push_back(u(rng));
    m.base_positions.push_back(adbench_layout ? 1.0 : u(rng));
    std::vector<double> w(m.bones, 0.0);
    for (int k = 0; k < 3; ++k) w[rng() % m.bones] += 0.5 + 0.5 * u(rng);  // 1 - 3 bones
    m.weights.insert(m.weights.end(), w.begin(), w.end());
  }
  m.triangles = {0, 1, 2, 3, 4, 5, 6, 7, 8, 2, 5, 8};
  const std::size_t n = 6;
  for (std::size_t i = 0; i < n; ++i) {
    in.correspondences.push_back(static_cast<int>(rng() % (complicated ? 4 : m.vertices)));
    for (int c = 0; c < 3; ++c) in.points.push_back(u(rng));
    if (complicated) in.us.push_back(0.5 + 0.4 * u(rng)), in.us.push_back(0.25 + 0.2 * u(rng));
  }
  for (int t = 0; t < gb::kHtTheta; ++t) in.theta.push_back(0.6 * u(rng));
  return in;
}

/// The eval's pose columns: column 0 the global rotation, 2 the translation,
/// then finger f's joints at columns 5 + 4f .. 7 + 4f (x angle; the first
/// joint also its z angle) from theta[6 ..] in order.
Eigen::Matrix3Xd pose_columns(const std::vector<double>& theta, std::size_t bones) {
  Eigen::Matrix3Xd pose = Eigen::Matrix3Xd::Zero(3, static_cast<Eigen::Index>(bones) + 3);
  pose.col(0) = Eigen::Vector3d(theta[0], theta[1], theta[2]);
  pose.col(1).setOnes();  // the scale, which multiplies the global rotation's columns
  pose.col(2) = Eigen::Vector3d(theta[3], theta[4], theta[5]);
  std::size_t next = 6;
  for (int finger = 0; finger < 5; ++finger)
    for (int joint = 0; joint < 3; ++joint) {
      const Eigen::Index column = 5 + 4 * finger + joint;
      pose(0, column) = theta[next++];
      if (joint == 0) pose(1, column) = theta[next++];
    }
  return pose;
}

/// The residuals computed independently with Eigen.
std::vector<double> expected_residuals(const gb::HtInput& in) {
  const gb::HtModel& m = in.model;
  const Eigen::Matrix3Xd pose = pose_columns(in.theta, m.bones);
  std::vector<Matrix4> absolute(m.bones);
  Eigen::Matrix3Xd vertices = Eigen::Matrix3Xd::Zero(3, static_cast<Eigen::Index>(m.vertices));
  for (std::size_t b = 0; b < m.bones; ++b) {
    const Eigen::Vector3d xzy = pose.col(static_cast<Eigen::Index>(b) + 3);
    Matrix4 posed = Matrix4::Identity();
    posed.topLeftCorner<3, 3>() = (Eigen::AngleAxisd(xzy[1], Eigen::Vector3d::UnitZ()) *
                                   Eigen::AngleAxisd(xzy[2], Eigen::Vector3d::UnitY()) *
                                   Eigen::AngleAxisd(xzy[0], Eigen::Vector3d::UnitX()))
                                      .matrix();
    const Matrix4 relative = Eigen::Map<const Matrix4>(&m.base_relatives[16 * b]) * posed;
    absolute[b] =
        m.parents[b] < 0 ? relative : Matrix4(absolute[static_cast<std::size_t>(m.parents[b])] * relative);
    const Matrix4 transform = absolute[b] * Eigen::Map<const Matrix4>(&m.inverse_base_absolutes[16 * b]);
    for (std::size_t v = 0; v < m.vertices; ++v)
      vertices.col(static_cast<Eigen::Index>(v)) +=
          m.weights[v * m.bones + b] *
          (transform * Eigen::Map<const Eigen::Vector4d>(&m.base_positions[4 * v])).head<3>();
  }
  if (m.mirrored) vertices.row(0) *= -1;
  const Eigen::Vector3d aa = pose.col(0);
  const Eigen::Matrix3d rotation =
      Eigen::AngleAxisd(aa.norm(), aa.normalized()).matrix() * pose.col(1).asDiagonal();
  vertices = (rotation * vertices).colwise() + pose.col(2);
  std::vector<double> err;
  for (std::size_t i = 0; i < in.n(); ++i) {
    const auto c = static_cast<std::size_t>(in.correspondences[i]);
    Eigen::Vector3d hand = vertices.col(static_cast<Eigen::Index>(c));
    if (in.complicated()) {
      const double u0 = in.us[2 * i], u1 = in.us[2 * i + 1];
      auto vertex = [&](int k) { return vertices.col(m.triangles[3 * c + static_cast<std::size_t>(k)]); };
      hand = u0 * vertex(0) + u1 * vertex(1) + (1 - u0 - u1) * vertex(2);
    }
    for (int r = 0; r < 3; ++r) err.push_back(in.points[3 * i + static_cast<std::size_t>(r)] - hand[r]);
  }
  return err;
}

/// The Jacobian by central differences over (us of each row's own
/// correspondence, theta), laid out as the eval's: [du0 du1] theta.
Eigen::MatrixXd numeric_jacobian(const gb::HtInput& in) {
  const auto rows = static_cast<Eigen::Index>(3 * in.n());
  const Eigen::VectorXd theta = Eigen::Map<const Eigen::VectorXd>(in.theta.data(), gb::kHtTheta);
  auto with_theta = [&](const Eigen::VectorXd& t) {
    gb::HtInput other = in;
    other.theta.assign(t.data(), t.data() + t.size());
    gb::Ht ht(other);
    const std::vector<double>& err = ht.objective();
    return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(err.data(), rows));
  };
  const Eigen::MatrixXd by_theta = nabla::numdiff::jacobian(with_theta, theta);
  if (!in.complicated()) return by_theta;
  const Eigen::VectorXd us = Eigen::Map<const Eigen::VectorXd>(in.us.data(), rows / 3 * 2);
  auto with_us = [&](const Eigen::VectorXd& x) {
    gb::HtInput other = in;
    other.us.assign(x.data(), x.data() + x.size());
    gb::Ht ht(other);
    const std::vector<double>& err = ht.objective();
    return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(err.data(), rows));
  };
  const Eigen::MatrixXd by_us = nabla::numdiff::jacobian(with_us, us);
  Eigen::MatrixXd out(rows, 2 + gb::kHtTheta);
  out.rightCols(gb::kHtTheta) = by_theta;
  for (Eigen::Index r = 0; r < rows; ++r) {
    out(r, 0) = by_us(r, 2 * (r / 3));
    out(r, 1) = by_us(r, 2 * (r / 3) + 1);
    // the rest of row r in by_us (other correspondences' us) must be zero
    EXPECT_LT(by_us.row(r).cwiseAbs().sum() - std::abs(out(r, 0)) - std::abs(out(r, 1)), 1e-9) << r;
  }
  return out;
}

void check_hand(const gb::HtInput& in) {
  gb::Ht ht(in);
  const std::vector<double> expected = expected_residuals(in);
  const std::vector<double>& err = ht.objective();
  ASSERT_EQ(err.size(), expected.size());
  for (std::size_t i = 0; i < err.size(); ++i) EXPECT_NEAR(err[i], expected[i], 1e-12) << i;
  const Eigen::MatrixXd fd = numeric_jacobian(in);
  for (int run = 0; run < 2; ++run) {  // the second run on the kept buffers
    const std::vector<double>& jac = ht.jacobian();
    ASSERT_EQ(jac.size(), static_cast<std::size_t>(fd.size()));
    ASSERT_EQ(ht.columns(), static_cast<std::size_t>(fd.cols()));
    const Eigen::MatrixXd ad =
        Eigen::Map<const Eigen::Matrix<double, -1, -1, Eigen::RowMajor>>(jac.data(), fd.rows(), fd.cols());
    EXPECT_LT((ad - fd).lpNorm<Eigen::Infinity>(), 1e-7 * std::max(1.0, fd.lpNorm<Eigen::Infinity>()));
  }
}

}  // namespace

TEST(GradbenchHt, SimpleCaseMatchesEigenAndFiniteDifferences) {
  check_hand(small_hand(1, true, false, false));
}

TEST(GradbenchHt, ComplicatedCaseMatchesEigenAndFiniteDifferences) {
  check_hand(small_hand(2, true, true, false));
}

TEST(GradbenchHt, MirroredHandMatches) {
  check_hand(small_hand(3, true, false, true));
  check_hand(small_hand(4, true, true, true));
}

TEST(GradbenchHt, RandomParentsAndMatricesMatch) {
  // Bones downstream of several fingers, vertices weighted across fingers.
  for (unsigned seed : {5u, 6u, 7u}) {
    check_hand(small_hand(seed, false, false, seed % 2 == 0));
    check_hand(small_hand(seed + 10, false, true, false));
  }
}

TEST(GradbenchHt, SmallGlobalRotationIsTheIdentityAsInTheReference) {
  gb::HtInput in = small_hand(8, true, false, false);
  in.theta[0] = in.theta[1] = in.theta[2] = 1e-6;
  const std::vector<double> err = gb::Ht(in).objective();
  in.theta[0] = in.theta[1] = in.theta[2] = 0;
  const std::vector<double> at_zero = expected_residuals(in);
  for (std::size_t i = 0; i < err.size(); ++i) EXPECT_NEAR(err[i], at_zero[i], 1e-12) << i;
}

TEST(GradbenchHt, NanInTheGlobalRotationGivesNanResidualsNotTheIdentity) {
  gb::HtInput in = small_hand(11, true, false, false);
  in.theta[1] = std::numeric_limits<double>::quiet_NaN();
  gb::Ht ht(in);
  for (double e : ht.objective()) EXPECT_TRUE(std::isnan(e));
}

namespace {

nlohmann::json message_for(const gb::HtInput& in) {
  const gb::HtModel& m = in.model;
  auto matrices = [&](const std::vector<double>& flat) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t b = 0; b < m.bones; ++b) out.push_back(gb::as_rows(&flat[16 * b], 4, 4));
    return out;
  };
  nlohmann::json model = {{"bone_count", m.bones},
                          {"bone_names", std::vector<std::string>(m.bones, "bone")},
                          {"parents", m.parents},
                          {"base_relatives", matrices(m.base_relatives)},
                          {"inverse_base_absolutes", matrices(m.inverse_base_absolutes)},
                          {"base_positions", gb::as_rows(m.base_positions.data(), m.vertices, 4)},
                          {"weights", gb::as_rows(m.weights.data(), m.vertices, m.bones)},
                          {"triangles", nlohmann::json::array()},
                          {"is_mirrored", m.mirrored}};
  for (std::size_t t = 0; t < m.triangles.size(); t += 3)
    model["triangles"].push_back({m.triangles[t], m.triangles[t + 1], m.triangles[t + 2]});
  nlohmann::json us = nlohmann::json::array();
  for (std::size_t i = 0; i < in.us.size(); i += 2) us.push_back({in.us[i], in.us[i + 1]});
  return {{"id", 1},
          {"kind", "evaluate"},
          {"module", "ht"},
          {"function", "jacobian"},
          {"input",
           {{"theta", in.theta},
            {"us", us},
            {"data",
             {{"model", model},
              {"correspondences", in.correspondences},
              {"points", gb::as_rows(in.points.data(), in.n(), 3)}}}}}};
}

}  // namespace

TEST(GradbenchHt, JsonMessageGivesTheRowsOfTheJacobian) {
  const gb::HtInput in = small_hand(9, true, true, false);
  const nlohmann::json response = gb::respond(message_for(in).dump());
  ASSERT_TRUE(response["success"].get<bool>()) << response.dump();
  const nlohmann::json& rows = response["output"];
  gb::Ht ht(in);
  const std::vector<double>& jac = ht.jacobian();
  ASSERT_EQ(rows.size(), 3 * in.n());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), 28u);
    for (std::size_t c = 0; c < 28; ++c) EXPECT_EQ(rows[r][c].get<double>(), jac[r * 28 + c]);
  }
}

TEST(GradbenchHt, NoCorrespondencesGiveAnEmptyJacobian) {
  // Regression: the passes indexed an empty vector (undefined behaviour,
  // which UBSan reports) when there was no correspondence.
  for (const bool complicated : {false, true}) {
    nlohmann::json message = message_for(small_hand(11, true, complicated, false));
    message["input"]["data"]["correspondences"] = nlohmann::json::array();
    message["input"]["data"]["points"] = nlohmann::json::array();
    message["input"]["us"] = nlohmann::json::array();
    for (const char* function : {"jacobian", "objective"}) {
      message["function"] = function;
      const nlohmann::json response = gb::respond(message.dump());
      ASSERT_TRUE(response["success"].get<bool>()) << response.dump();
      EXPECT_EQ(response["output"].size(), 0u) << function;
    }
  }
}

TEST(GradbenchHt, MalformedInputsFailCleanly) {
  const nlohmann::json good = message_for(small_hand(10, true, true, false));
  auto fails = [&](const std::function<void(nlohmann::json&)>& spoil, const std::string& says) {
    nlohmann::json message = good;
    spoil(message["input"]);
    const nlohmann::json response = gb::respond(message.dump());
    EXPECT_FALSE(response["success"].get<bool>()) << says;
    EXPECT_NE(response["error"].get<std::string>().find(says), std::string::npos) << response.dump();
  };
  fails([](auto& in) { in["theta"].erase(0); }, "theta");
  fails([](auto& in) { in.erase("data"); }, "data");
  fails([](auto& in) { in["data"]["model"]["parents"][3] = 7; }, "parent");
  fails([](auto& in) { in["data"]["model"]["triangles"][0][1] = 99; }, "triangles");
  fails([](auto& in) { in["data"]["correspondences"][0] = 4; }, "triangle out of range");
  fails([](auto& in) { in["data"]["model"]["base_relatives"][2][1] = {1, 2}; }, "base_relatives");
  fails([](auto& in) { in["data"]["model"]["weights"].erase(0); }, "weights");
  fails([](auto& in) { in["data"]["model"]["is_mirrored"] = 1; }, "is_mirrored");
  fails([](auto& in) { in["data"]["points"][0] = "far"; }, "points");
  fails([](auto& in) { in["us"].erase(0); }, "us");
  fails([](auto& in) { in["data"]["model"]["bone_count"] = 5; }, "bone_count");
}
