// The ode eval (cmpad's an_ode): y_0' = x_0, y_i' = x_i y_{i-1}, y(0) = 0,
// integrated to t = 2 by s steps of classical Runge-Kutta. primal returns
// y(2); gradient returns d y_{n-1}(2) / dx. The gradient is taken by reverse
// mode with checkpoints: the steps are recorded a chunk at a time (a chunk
// small enough for a short tape), from the last chunk back to the first,
// each starting from the state the double pass stored. Each chunk is
// recorded on nn tensors (whole vectors: a shift of rows, a product and an
// add with alpha per stage), a tile of rows at a time when the vectors are
// long, or, by choice, on the scalar tape (one statement per entry and
// stage).
#pragma once

#include <cstddef>
#include <vector>

#include "ad_ops.hpp"
#include "nabla/ad/var.hpp"
#include "nabla/nn/tape.hpp"

namespace nabla::gradbench {

/// The work arrays of a Runge-Kutta step.
template <class T>
struct OdeWork {
  std::vector<T> k1, k2, k3, k4;
  void resize(std::size_t n) {
    for (auto* v : {&k1, &k2, &k3, &k4}) v->resize(n);
  }
};

/// z = f(y + c k): z_0 = x_0, z_i = x_i (y_{i-1} + c k_{i-1}), the right-hand
/// side at a Runge-Kutta stage's point, written as one expression per entry
/// (one tape statement of three arguments on Var) with the stage's point
/// never stored. `half` selects c = h / 2 (computed as h k / 2) over c = h.
template <class T>
void ode_stage(const T* x, const T* y, const T* k, double h, bool half, T* z, std::size_t n) {
  z[0] = x[0];
  if (half) {
    for (std::size_t i = 1; i < n; ++i) z[i] = x[i] * (y[i - 1] + h * k[i - 1] / 2.0);
  } else {
    for (std::size_t i = 1; i < n; ++i) z[i] = x[i] * (y[i - 1] + h * k[i - 1]);
  }
}

/// `steps` Runge-Kutta steps of size h from y (updated in place).
template <class T>
void ode_steps(const T* x, std::size_t n, double h, std::size_t steps, T* y, OdeWork<T>& w) {
  for (std::size_t s = 0; s < steps; ++s) {
    w.k1[0] = x[0];
    for (std::size_t i = 1; i < n; ++i) w.k1[i] = x[i] * y[i - 1];
    ode_stage(x, y, w.k1.data(), h, true, w.k2.data(), n);
    ode_stage(x, y, w.k2.data(), h, true, w.k3.data(), n);
    ode_stage(x, y, w.k3.data(), h, false, w.k4.data(), n);
    for (std::size_t i = 0; i < n; ++i)
      y[i] = y[i] + h * (w.k1[i] + 2.0 * w.k2[i] + 2.0 * w.k3[i] + w.k4[i]) / 6.0;
  }
}

/// Values on a tensor tape of the ode gradient: 0.5 MB, so that the tape and
/// its adjoints stay in a 2 MB L2 cache (2^15 to 2^19 measured: 2^15 and
/// 2^16 best, 2^19 as slow as whole columns at n = 10^5).
inline constexpr std::size_t kOdeTileValues = std::size_t{1} << 16;

/// How each chunk of steps is recorded.
enum class OdeMethod { scalar_tape, tensor };

/// The ODE's primal and gradient with their buffers kept between runs.
class Ode {
 public:
  /// `chunk`: steps per tape (0: about 2^21 recorded arguments per scalar
  /// tape, kOdeTileValues per tensor tape). `tile`: rows of the output per
  /// tensor tape (0: as many as kOdeTileValues allow).
  Ode(std::vector<double> x, std::size_t steps, std::size_t chunk = 0, OdeMethod method = OdeMethod::tensor,
      std::size_t tile = 0);
  const std::vector<double>& primal();
  const std::vector<double>& gradient();

 private:
  /// Adds d(ybar . y_end)/dx into g_ and sets ybar_ to d(ybar . y_end)/d y_start
  /// for the `steps` steps from checkpoint c.
  void reverse_chunk_on_scalar_tape(std::size_t c, std::size_t steps);
  void reverse_chunk_on_tensors(std::size_t c, std::size_t steps);
  /// The same for output rows [a, b), recorded from row `top` (a tensor tape).
  void reverse_tile(std::size_t c, std::size_t steps, std::size_t top, std::size_t a, std::size_t b);

  std::vector<double> x_;
  std::size_t steps_, chunk_, tile_ = 0;
  OdeMethod method_;
  OdeWork<double> wd_;
  OdeWork<Var> wv_;
  std::vector<double> y_, checkpoints_, ybar_, g_, start_bar_;
  std::vector<Var> xv_, yv_, ystart_;
  nn::Tape<double> tensors_;
};

}  // namespace nabla::gradbench
