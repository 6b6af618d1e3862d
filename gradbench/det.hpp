// The det eval (cmpad's det_by_minor): the determinant of an ell x ell
// matrix by expansion along the first row of each minor, recursively, with
// the minor's rows and columns kept as linked lists (nothing is copied).
// Its gradient is by reverse mode while the tape fits (ell <= 10, about
// e * ell! statements, 0.4 GB at 10), and by forward mode with 16 lanes per
// pass above.
#pragma once

#include <cstddef>
#include <vector>

#include "nabla/ad/dual.hpp"
#include "recorder.hpp"

namespace nabla::gradbench {

/// The determinant of the m x m minor of the n x n row-major a whose rows
/// and columns are the lists r and c start at index n (r[i], c[i]: the next).
template <class T>
T det_of_minor(const T* a, std::size_t n, std::size_t m, std::size_t* r, std::size_t* c) {
  const std::size_t r0 = r[n];
  std::size_t cj = c[n];
  if (m == 1) return a[r0 * n + cj];
  T det(0.0);
  bool plus = true;
  r[n] = r[r0];  // drop the first row from every sub-minor
  std::size_t previous = n;
  for (std::size_t j = 0; j < m; ++j) {
    c[previous] = c[cj];  // drop column cj
    const T sub = det_of_minor(a, n, m - 1, r, c);
    c[previous] = cj;
    if (plus)
      det = det + a[r0 * n + cj] * sub;
    else
      det = det - a[r0 * n + cj] * sub;
    previous = cj;
    cj = c[cj];
    plus = !plus;
  }
  r[n] = r0;
  return det;
}

/// det(a) for an ell x ell row-major a; `r`, `c` hold ell + 1 indices (workspace).
template <class T>
T det_objective(const T* a, std::size_t ell, std::size_t* r, std::size_t* c) {
  for (std::size_t i = 0; i < ell; ++i) r[i] = c[i] = i + 1;
  r[ell] = c[ell] = 0;
  return det_of_minor(a, ell, ell, r, c);
}

/// Largest ell differentiated in reverse mode.
inline constexpr std::size_t kDetReverseMax = 10;

/// det and its gradient with workspaces kept between runs.
class Det {
 public:
  Det(std::vector<double> a, std::size_t ell);
  double primal();
  /// By reverse mode for ell <= kDetReverseMax, forward mode above.
  const std::vector<double>& gradient();
  /// By forward mode whatever ell.
  const std::vector<double>& forward_gradient();

 private:
  std::vector<double> a_, g_;
  std::size_t ell_;
  std::vector<std::size_t> r_, c_;
  std::vector<Dual<double, 16>> ad_;
  ReverseGradient reverse_;
};

}  // namespace nabla::gradbench
