// The ba eval (ADBench's bundle adjustment): for each observation of point X
// by camera cam = [r (3, Rodrigues), C (3), f, u0, v0, k1, k2], the weighted
// reprojection error w (proj(cam, X) - feat) (2 outputs), and for each
// weight the error 1 - w^2. The Jacobian is sparse: each observation's two
// rows depend on 15 inputs only (11 of its camera, 3 of its point, its
// weight), so each 2 x 15 block is computed on its own short tape (one
// vector-mode reverse sweep carrying both rows) and the blocks are laid out as a CSR matrix of
// (2p + p) x (11n + 3m + p), as the eval's spec describes.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include "ad_ops.hpp"
#include "nabla/ad/dual.hpp"
#include "nabla/ad/var.hpp"

namespace nabla::gradbench {

inline constexpr int kBaCamera = 11;

/// A BA problem: n cameras, m points, p observations (obs i sees point i % m
/// from camera i % n, as the eval replicates its data).
struct BaInput {
  std::size_t n = 0, m = 0, p = 0;
  std::vector<double> cams, points, weights, feats;  ///< 11n, 3m, p, 2p
  std::vector<int> obs;                              ///< 2p: camera, point
};

template <class T>
void cross3(const T* a, const T* b, T* out) {
  out[0] = a[1] * b[2] - a[2] * b[1];
  out[1] = a[2] * b[0] - a[0] * b[2];
  out[2] = a[0] * b[1] - a[1] * b[0];
}

/// pt rotated by the angle-axis vector rot (Rodrigues' formula; its first
/// order form at rot = 0).
template <class T>
void rodrigues_rotate(const T* rot, const T* pt, T* out) {
  using std::cos;
  using std::sin;
  using std::sqrt;
  const T sqtheta = rot[0] * rot[0] + rot[1] * rot[1] + rot[2] * rot[2];
  if (value_of(sqtheta) != 0) {
    const T theta = sqrt(sqtheta);
    const T c = cos(theta), s = sin(theta), inverse = 1.0 / theta;
    const T w[3] = {rot[0] * inverse, rot[1] * inverse, rot[2] * inverse};
    T w_cross_pt[3];
    cross3(w, pt, w_cross_pt);
    const T tmp = (w[0] * pt[0] + w[1] * pt[1] + w[2] * pt[2]) * (1.0 - c);
    for (int i = 0; i < 3; ++i) out[i] = pt[i] * c + w_cross_pt[i] * s + w[i] * tmp;
  } else {
    T rot_cross_pt[3];
    cross3(rot, pt, rot_cross_pt);
    for (int i = 0; i < 3; ++i) out[i] = pt[i] + rot_cross_pt[i];
  }
}

/// err = w (project(cam, X) - feat).
template <class T>
void ba_reprojection(const T* cam, const T* x, const T& w, const double* feat, T* err) {
  const T xo[3] = {x[0] - cam[3], x[1] - cam[4], x[2] - cam[5]};
  T xcam[3];
  rodrigues_rotate(cam, xo, xcam);
  const T p0 = xcam[0] / xcam[2], p1 = xcam[1] / xcam[2];
  const T rsq = p0 * p0 + p1 * p1;
  const T distortion = 1.0 + cam[9] * rsq + cam[10] * rsq * rsq;
  err[0] = w * (p0 * distortion * cam[6] + cam[7] - feat[0]);
  err[1] = w * (p1 * distortion * cam[6] + cam[8] - feat[1]);
}

/// 1 - w^2.
template <class T>
T ba_weight_error(const T& w) {
  return 1.0 - w * w;
}

/// The Jacobian in compressed sparse rows.
struct SparseRows {
  std::vector<int> rows, cols;
  std::vector<double> vals;
};

/// BA objective and Jacobian with their buffers kept between runs.
class Ba {
 public:
  explicit Ba(BaInput input);
  /// reprojection errors (2p) and weight errors (p).
  void objective();
  /// The sparse Jacobian of all 3p outputs.
  const SparseRows& jacobian();
  const std::vector<double>& reprojection() const { return reproj_; }
  const std::vector<double>& weight_errors() const { return werr_; }
  const BaInput& input() const { return in_; }

 private:
  BaInput in_;
  std::vector<double> reproj_, werr_;
  SparseRows jac_;
  std::vector<std::array<double, 2>> adjoints_;  ///< two adjoint lanes per tape index
};

}  // namespace nabla::gradbench
