// The ht eval (ADBench's hand tracking): a skinned hand model posed by 26
// parameters theta (global rotation as an angle-axis vector, global
// translation, then 4 angles per finger), and for each correspondence i the
// residual point_i - hand point, where the hand point is vertex c_i of the
// posed mesh (us empty: the "simple" case) or the point u0 a + u1 b +
// (1 - u0 - u1) c of triangle c_i (the "complicated" case). The objective is
// the 3n residuals; the Jacobian is dense, 3n rows by 26 theta columns,
// preceded in the complicated case by two columns holding each row's
// derivative by its own correspondence's u0 and u1.
//
// The posed mesh: bone b's relative transform is its base relative times the
// rotation Rz(tz) Ry(ty) Rx(tx) of its pose angles, absolutes chain through
// the parents, each vertex is the weight-blended image of its base position
// under (absolute x inverse base absolute) of its bones, mirrored in x if the
// model says so, then rotated and translated by the global pose. Only the
// vertices some residual reads are skinned.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "ad_ops.hpp"
#include "nabla/ad/dual.hpp"

namespace nabla::gradbench {

inline constexpr int kHtTheta = 26;   ///< theta's length
inline constexpr int kHtGlobal = 6;   ///< angle-axis rotation and translation
inline constexpr int kHtFingers = 5;  ///< theta[6 + 4k .. 10 + 4k) poses finger k
inline constexpr int kHtMinBones = 21;

/// The hand model, flattened: matrices row-major.
struct HtModel {
  std::size_t bones = 0, vertices = 0;
  std::vector<int> parents;                                    ///< -1 or an earlier bone
  std::vector<double> base_relatives, inverse_base_absolutes;  ///< bones x 16 (4 x 4)
  std::vector<double> base_positions;                          ///< vertices x 4 (homogeneous)
  std::vector<double> weights;                                 ///< vertices x bones
  std::vector<int> triangles;                                  ///< 3 vertex indices per triangle
  bool mirrored = false;
};

/// One ht problem.
struct HtInput {
  HtModel model;
  std::vector<int> correspondences;  ///< n: a vertex, or a triangle when us is not empty
  std::vector<double> points;        ///< n x 3
  std::vector<double> theta;         ///< 26
  std::vector<double> us;            ///< n x 2, or empty
  bool complicated() const { return !us.empty(); }
  std::size_t n() const { return correspondences.size(); }
};

/// The eval's input (theta, us, data) as an HtInput; an InputError names a
/// missing or malformed field (the model's consistency is checked by Ht).
HtInput read_ht_input(const nlohmann::json& input);

/// The theta index that sets row `row` (0: x angle, 1: z angle, 2: y angle)
/// of bone b's pose angles, or -1 where that angle is fixed at 0: pose
/// column j = b + 3 takes theta[j + 1], theta[j + 2] when j % 4 == 1 and
/// theta[j + 2] (x only) when j % 4 is 2 or 3, for 5 <= j <= 23.
inline int ht_theta_index(std::size_t bone, int row) {
  const int j = static_cast<int>(bone) + 3;
  if (j < 5 || j > 23 || j % 4 == 0) return -1;
  if (j % 4 == 1) return row == 0 ? j + 1 : row == 1 ? j + 2 : -1;
  return row == 0 ? j + 2 : -1;
}

/// The rotation matrix (3 x 3) of an angle-axis vector; the identity when its
/// norm is below 1e-4, as the eval's reference does.
template <class T>
void ht_angle_axis(const T* aa, T* r) {
  using std::cos;
  using std::sin;
  using std::sqrt;
  const T sq = aa[0] * aa[0] + aa[1] * aa[1] + aa[2] * aa[2];
  if (std::sqrt(value_of(sq)) < 1e-4) {  // NaN goes on, and comes out NaN
    for (int i = 0; i < 9; ++i) r[i] = T(i % 4 == 0 ? 1.0 : 0.0);
    return;
  }
  const T norm = sqrt(sq);
  const T x = aa[0] / norm, y = aa[1] / norm, z = aa[2] / norm;
  const T s = sin(norm), c = cos(norm), d = 1.0 - c;
  r[0] = x * x + (1.0 - x * x) * c;
  r[1] = x * y * d - z * s;
  r[2] = x * z * d + y * s;
  r[3] = x * y * d + z * s;
  r[4] = y * y + (1.0 - y * y) * c;
  r[5] = y * z * d - x * s;
  r[6] = x * z * d - y * s;
  r[7] = z * y * d + x * s;
  r[8] = z * z + (1.0 - z * z) * c;
}

/// Rz(tz) Ry(ty) Rx(tx) (3 x 3) for the pose angles xzy = (tx, tz, ty); an
/// angle whose bit in `posed` is clear is a fixed 0 (cosine 1, sine 0), and
/// the products by those exact ones and zeros are left out (the values are
/// the full product's, but for the signs of zeros).
template <class T>
void ht_euler(const T* xzy, unsigned posed, T* r) {
  using std::cos;
  using std::sin;
  const T cx = cos(xzy[0]), sx = sin(xzy[0]);
  if (posed == 1u) {  // Rx alone (the eval's middle and last joints)
    r[0] = T(1.0), r[1] = T(0.0), r[2] = T(0.0);
    r[3] = T(0.0), r[4] = cx, r[5] = -sx;
    r[6] = T(0.0), r[7] = sx, r[8] = cx;
    return;
  }
  const T cz = cos(xzy[1]), sz = sin(xzy[1]);
  if (posed == 3u) {  // Rz Rx (the eval's first joints)
    r[0] = cz, r[1] = -(cx * sz), r[2] = sx * sz;
    r[3] = sz, r[4] = cx * cz, r[5] = -(sx * cz);
    r[6] = T(0.0), r[7] = sx, r[8] = cx;
    return;
  }
  const T cy = cos(xzy[2]), sy = sin(xzy[2]);
  r[0] = cy * cz;
  r[1] = sx * sy * cz - cx * sz;
  r[2] = sx * sz + cx * sy * cz;
  r[3] = cy * sz;
  r[4] = cx * cz + sx * sy * sz;
  r[5] = cx * sy * sz - sx * cz;
  r[6] = -sy;
  r[7] = sx * cy;
  r[8] = cx * cy;
}

/// Rows 0..2 (3 x 4) of bone b's absolute transform and of its skinning
/// transform (absolute x inverse base absolute), from rows 0..2 of its
/// parent's absolute (nullptr at a root; T or passive double) and its pose
/// rotation r (nullptr: the identity, for a bone theta does not pose).
template <class T, class P>
void ht_bone(const HtModel& m, std::size_t b, const T* r, const P* parent, T* abs, T* transform) {
  const double* base = &m.base_relatives[16 * b];
  T rel[16];
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 3; ++j)
      rel[4 * i + j] = r == nullptr
                           ? T(base[4 * i + j])
                           : base[4 * i] * r[j] + base[4 * i + 1] * r[3 + j] + base[4 * i + 2] * r[6 + j];
    rel[4 * i + 3] = T(base[4 * i + 3]);
  }
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j)
      abs[4 * i + j] = parent == nullptr
                           ? rel[4 * i + j]
                           : T(parent[4 * i] * rel[j] + parent[4 * i + 1] * rel[4 + j] +
                               parent[4 * i + 2] * rel[8 + j] + parent[4 * i + 3] * rel[12 + j]);
  const double* inv = &m.inverse_base_absolutes[16 * b];
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j)
      transform[4 * i + j] = abs[4 * i] * inv[j] + abs[4 * i + 1] * inv[4 + j] + abs[4 * i + 2] * inv[8 + j] +
                             abs[4 * i + 3] * inv[12 + j];
}

/// What one finger's pass carries: the bones and the needed vertices
/// (slots) downstream of its parameters, and the passive values they read.
struct HtPass {
  std::vector<int> bones, passive_bones;  ///< passive: skinning bones read
  std::vector<int> slots, passive_slots;  ///< passive: other corners of a triangle read
};

/// The nonzero skinning weights of each vertex (bone, weight), in bone order.
struct HtWeights {
  std::vector<std::size_t> start;  ///< vertices + 1
  std::vector<int> bone;
  std::vector<double> weight;
};

/// Vertex v skinned by the bone transforms (bones x 12) and mirrored in x if asked.
template <class T>
void ht_skin(const HtModel& m, const HtWeights& w, std::size_t v, const T* transforms, T* out) {
  const double* x = &m.base_positions[4 * v];
  for (int i = 0; i < 3; ++i) out[i] = T(0.0);
  for (std::size_t e = w.start[v]; e < w.start[v + 1]; ++e) {
    const T* t = &transforms[12 * static_cast<std::size_t>(w.bone[e])];
    for (int i = 0; i < 3; ++i)
      out[i] +=
          (t[4 * i] * x[0] + t[4 * i + 1] * x[1] + t[4 * i + 2] * x[2] + t[4 * i + 3] * x[3]) * w.weight[e];
  }
  if (m.mirrored) out[0] = -out[0];
}

/// out = r p + t (r 3 x 3).
template <class Out, class A, class P>
void ht_global(const A* r, const A* t, const P* p, Out* out) {
  for (int i = 0; i < 3; ++i) out[i] = (r[3 * i] * p[0] + r[3 * i + 1] * p[1] + r[3 * i + 2] * p[2]) + t[i];
}

/// err = point - a (simple case).
template <class Out, class V>
void ht_residual(const double* point, const V* a, Out* err) {
  for (int i = 0; i < 3; ++i) err[i] = point[i] - a[i];
}

/// err = point - (u0 a + u1 b + (1 - u0 - u1) c) (complicated case).
template <class Out, class U, class V>
void ht_residual(const double* point, const U* u, const V* a, const V* b, const V* c, Out* err) {
  for (int i = 0; i < 3; ++i) err[i] = point[i] - (u[0] * a[i] + u[1] * b[i] + (1.0 - u[0] - u[1]) * c[i]);
}

/// HT objective and Jacobian with their buffers kept between runs.
///
/// The Jacobian is forward mode (nabla::Dual) in passes that each seed some
/// inputs and evaluate only the part of the computation that depends on
/// them, the rest passive: the posed vertices in 6 lanes for the global pose
/// (the skinned vertices passive), and in 4 lanes per finger (only the bones
/// and vertices downstream of that finger's parameters, found from the
/// parents and the weights). Then one sweep over the correspondences runs
/// each residual on those (and, in the complicated case, on its own u0, u1
/// in 2 lanes) and writes its 3 rows whole; the blocks of fingers a row does
/// not depend on are structural zeros.
class Ht {
 public:
  explicit Ht(HtInput input);
  /// The 3n residuals.
  const std::vector<double>& objective();
  /// The 3n x columns() Jacobian, row-major.
  const std::vector<double>& jacobian();
  std::size_t columns() const { return (in_.complicated() ? 2 : 0) + kHtTheta; }
  const HtInput& input() const { return in_; }

 private:
  using D4 = Dual<double, 4>;
  using D6 = Dual<double, kHtGlobal>;
  using D2 = Dual<double, 2>;

  void primal();
  void global_pass();       ///< posed6_: the posed vertices in the global pose's 6 lanes
  void finger_pass(int k);  ///< posed4_ block k: the posed vertices in finger k's 4 lanes
  void residual_rows();     ///< every row of the Jacobian from the residuals on those
  /// The needed-vertex slots of correspondence i (1 or 3).
  const int* slots(std::size_t i, int& count) const;
  /// slot_fingers_, bone_fingers_ and passes_ from the parents and the weights.
  void plan();

  HtInput in_;
  HtWeights weights_;
  std::vector<int> needed_;      ///< the vertices some residual reads
  std::vector<int> corr_slots_;  ///< per correspondence, 1 or 3 indices into needed_
  std::vector<std::uint32_t> bone_fingers_, slot_fingers_;  ///< bit k: depends on finger k
  HtPass passes_[kHtFingers];
  std::vector<double> abs_, transforms_, local_, posed_, rotation_, err_, jac_;
  std::vector<D4> abs4_, transforms4_, posed4_;
  std::vector<D6> posed6_;
};

}  // namespace nabla::gradbench
