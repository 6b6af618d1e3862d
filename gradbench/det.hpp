// The det eval (cmpad's det_by_minor): the determinant of an ell x ell
// matrix by expansion along the first row of each minor, recursively, with
// the minor's rows and columns kept as linked lists (nothing is copied).
// Its gradient is by reverse mode up to ell = 12 (56 MB of tape), by forward
// mode with 16 lanes per pass above. Each minor's expansion is one statement
// of 2m arguments (a RunningSum), and each 7 x 7 minor of a larger matrix is
// preaccumulated: recorded on a nested tape of about 7! statements that
// stays in cache, and entered on the tape as one statement of 49 partials.
#pragma once

#include <cstddef>
#include <vector>

#include "nabla/ad/dual.hpp"
#include "nabla/ad/reductions.hpp"
#include "nabla/ad/var.hpp"
#include "nabla/core/primitives.hpp"
#include "recorder.hpp"

namespace nabla::gradbench {

/// The determinant of the m x m minor (m >= 2) of the n x n row-major a
/// whose rows and columns are the lists r and c that start at index n (r[i],
/// c[i]: the next), by expansion along its first row; sub() is the
/// determinant of the (m - 1) x (m - 1) minor the lists describe when called.
template <class T, class Sub>
NABLA_INLINE T expand_first_row(const T* a, std::size_t n, std::size_t m, std::size_t* r, std::size_t* c,
                                Sub&& sub) {
  const std::size_t r0 = r[n];
  std::size_t cj = c[n];
  RunningSum<T> det;  // on Var: one statement of 2m arguments
  bool plus = true;
  r[n] = r[r0];  // drop the first row from every sub-minor
  std::size_t previous = n;
  for (std::size_t j = 0; j < m; ++j) {
    c[previous] = c[cj];  // drop column cj
    const T s = sub();
    c[previous] = cj;
    if (plus)
      det += a[r0 * n + cj] * s;
    else
      det -= a[r0 * n + cj] * s;
    previous = cj;
    cj = c[cj];
    plus = !plus;
  }
  r[n] = r0;
  return T(det);
}

/// The determinant of the m x m minor of a that the lists r and c describe
/// (see expand_first_row), recursively.
template <class T>
T det_of_minor(const T* a, std::size_t n, std::size_t m, std::size_t* r, std::size_t* c) {
  if (m == 1) return a[r[n] * n + c[n]];
  return expand_first_row(a, n, m, r, c, [&] { return det_of_minor(a, n, m - 1, r, c); });
}

/// det(a) for an ell x ell row-major a; `r`, `c` hold ell + 1 indices (workspace).
template <class T>
T det_objective(const T* a, std::size_t ell, std::size_t* r, std::size_t* c) {
  for (std::size_t i = 0; i < ell; ++i) r[i] = c[i] = i + 1;
  r[ell] = c[ell] = 0;
  return det_of_minor(a, ell, ell, r, c);
}

/// Largest ell differentiated in reverse mode.
inline constexpr std::size_t kDetReverseMax = 12;

/// Largest minor recorded apart and entered on the tape as one statement
/// (its preaccumulated gradient), so that the tape of a large det stays small.
inline constexpr std::size_t kDetLocalMinor = 7;

/// det and its gradient with workspaces kept between runs.
class Det {
 public:
  /// Minors of local_minor x local_minor, when smaller than A, are
  /// preaccumulated in reverse mode.
  Det(std::vector<double> a, std::size_t ell, std::size_t local_minor = kDetLocalMinor);
  double primal();
  /// By reverse mode for ell <= kDetReverseMax, forward mode above.
  const std::vector<double>& gradient();
  /// By forward mode whatever ell.
  const std::vector<double>& forward_gradient();

 private:
  std::vector<double> a_, g_;
  std::size_t ell_, local_minor_;
  /// The det of the m x m minor r_ and c_ describe, on the tape, with the
  /// minors of size local_minor_ preaccumulated.
  Var preaccumulated_minor(const Var* a, std::size_t m);

  std::vector<std::size_t> r_, c_, local_r_, local_c_;
  std::vector<Var> local_;
  std::vector<Dual<double, 16>> ad_;
  ReverseGradient reverse_;
};

}  // namespace nabla::gradbench
