// A probe for bench/gradbench/README.md: on one ht input (a JSON file as
// `run.py --dump DIR` writes them), the best time over many runs of the
// module's objective and Jacobian (wall clock and thread CPU time), and of
// two other ways to get the same Jacobian with nabla's AD, checked against
// it: dense forward mode (Dual<double, 26> through the whole computation)
// and the scalar reverse tape (one recording, then a sweep per row, or 8
// rows per sweep). Simple case only for the alternatives. Not built by CMake:
//
//   g++ -std=c++20 -O3 -Igradbench -Iinclude -isystem /usr/include/eigen3
//     bench/gradbench/ht_probe.cpp build/release/gradbench/libnabla_gradbench.a
//     build/release/src/libnabla.a -o /tmp/ht_probe      (one line)
//   /tmp/ht_probe DIR/ht_simple_small,n=100.json [runs]
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <vector>

#include "ht.hpp"
#include "nabla/ad/dual.hpp"
#include "nabla/ad/tape.hpp"
#include "nabla/ad/var.hpp"

namespace gb = nabla::gradbench;

namespace {

double thread_cpu_us() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) * 1e-3;
}

/// The best wall-clock and CPU microseconds of `runs` calls of f.
template <class F>
std::array<double, 2> best_us(F&& f, int runs) {
  std::array<double, 2> best = {1e300, 1e300};
  for (int r = 0; r < runs; ++r) {
    const double c0 = thread_cpu_us();
    const auto w0 = std::chrono::steady_clock::now();
    f();
    const auto w1 = std::chrono::steady_clock::now();
    best[0] = std::min(best[0], std::chrono::duration<double, std::micro>(w1 - w0).count());
    best[1] = std::min(best[1], thread_cpu_us() - c0);
  }
  return best;
}

/// The simple case's residuals on scalar type T from theta (26 T's), every
/// needed vertex skinned once (slot_of: vertex -> its posed entry).
template <class T>
void residuals(const gb::HtInput& in, const gb::HtWeights& w, const T* theta, std::vector<T>& abs,
               std::vector<T>& transforms, std::vector<T>& posed, std::vector<int>& slot_of, T* err) {
  const gb::HtModel& m = in.model;
  for (std::size_t b = 0; b < m.bones; ++b) {
    T xzy[3], r[9];
    unsigned bits = 0;
    for (int row = 0; row < 3; ++row) {
      const int t = gb::ht_theta_index(b, row);
      xzy[row] = t < 0 ? T(0.0) : theta[t];
      if (t >= 0) bits |= 1u << row;
    }
    if (bits != 0) gb::ht_euler(xzy, bits, r);
    const T* parent = m.parents[b] < 0 ? nullptr : &abs[12 * static_cast<std::size_t>(m.parents[b])];
    gb::ht_bone(m, b, bits != 0 ? r : nullptr, parent, &abs[12 * b], &transforms[12 * b]);
  }
  T rotation[9];
  gb::ht_angle_axis(theta, rotation);
  std::fill(slot_of.begin(), slot_of.end(), -1);
  posed.clear();
  for (std::size_t i = 0; i < in.n(); ++i) {
    const auto v = static_cast<std::size_t>(in.correspondences[i]);
    if (slot_of[v] < 0) {
      T local[3], p[3];
      gb::ht_skin(m, w, v, transforms.data(), local);
      gb::ht_global(rotation, theta + 3, local, p);
      slot_of[v] = static_cast<int>(posed.size() / 3);
      posed.insert(posed.end(), p, p + 3);
    }
    gb::ht_residual(&in.points[3 * i], &posed[3 * static_cast<std::size_t>(slot_of[v])], &err[3 * i]);
  }
}

double max_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

/// The nonzero weights of every vertex.
gb::HtWeights all_weights(const gb::HtModel& m) {
  gb::HtWeights w;
  w.start.push_back(0);
  for (std::size_t v = 0; v < m.vertices; ++v) {
    for (std::size_t b = 0; b < m.bones; ++b)
      if (m.weights[v * m.bones + b] != 0)
        w.bone.push_back(static_cast<int>(b)), w.weight.push_back(m.weights[v * m.bones + b]);
    w.start.push_back(w.bone.size());
  }
  return w;
}

/// Dense forward mode: all 26 lanes through everything, in one pass.
void time_dense(const gb::HtInput& in, gb::Ht& ht, double primal, int runs) {
  using D26 = nabla::Dual<double, 26>;
  const gb::HtModel& m = in.model;
  const gb::HtWeights w = all_weights(m);
  const std::size_t rows = 3 * in.n();
  std::vector<double> jac(rows * 26);
  std::vector<int> slot_of(m.vertices);
  std::vector<D26> theta(26), abs(12 * m.bones), tr(12 * m.bones), posed, err(rows);
  const auto t = best_us(
      [&] {
        for (std::size_t i = 0; i < 26; ++i) theta[i] = D26::variable(in.theta[i], i);
        residuals(in, w, theta.data(), abs, tr, posed, slot_of, err.data());
        for (std::size_t r = 0; r < rows; ++r)
          for (std::size_t c = 0; c < 26; ++c) jac[r * 26 + c] = err[r].tangent(c);
      },
      runs);
  std::printf("dense Dual<double, 26>: %.1f us, J/f %.1f, max |difference| %.1e\n", t[0], t[0] / primal,
              max_difference(jac, ht.jacobian()));
}

/// The scalar reverse tape: one recording, then L rows per sweep.
template <std::size_t L>
void time_tape(const gb::HtInput& in, gb::Ht& ht, double primal, int runs) {
  using nabla::Var;
  const gb::HtModel& m = in.model;
  const gb::HtWeights w = all_weights(m);
  const std::size_t rows = 3 * in.n();
  std::vector<double> jac(rows * 26);
  std::vector<int> slot_of(m.vertices);
  std::vector<Var> theta(26), abs(12 * m.bones), tr(12 * m.bones), posed, err(rows);
  std::vector<std::array<double, L>> adjoints;
  nabla::TapeScope<double> scope;
  nabla::Tape& tape = scope.tape();
  const auto t = best_us(
      [&] {
        tape.reset();
        for (std::size_t i = 0; i < 26; ++i) theta[i] = tape.input(in.theta[i]);
        residuals(in, w, theta.data(), abs, tr, posed, slot_of, err.data());
        for (std::size_t r0 = 0; r0 < rows; r0 += L) {
          adjoints.assign(tape.statements() + 1, {});
          for (std::size_t l = 0; l < L && r0 + l < rows; ++l)
            if (err[r0 + l].is_active()) adjoints[err[r0 + l].index()][l] = 1;
          tape.reverse_lanes(adjoints.data());
          for (std::size_t l = 0; l < L && r0 + l < rows; ++l)
            for (std::size_t c = 0; c < 26; ++c) jac[(r0 + l) * 26 + c] = adjoints[theta[c].index()][l];
        }
      },
      runs);
  std::printf(
      "reverse tape, %zu row(s) per sweep: %.1f us, J/f %.0f, max |difference| %.1e (%zu statements)\n", L,
      t[0], t[0] / primal, max_difference(jac, ht.jacobian()), tape.statements());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return std::fprintf(stderr, "usage: ht_probe INPUT.json [runs]\n"), 2;
  std::ifstream file(argv[1]);
  const gb::HtInput in = gb::read_ht_input(nlohmann::json::parse(file));
  const int runs = argc > 2 ? std::atoi(argv[2]) : 1000;
  gb::Ht ht(in);
  const auto f = best_us([&] { ht.objective(); }, runs);
  const auto j = best_us([&] { ht.jacobian(); }, runs);
  std::printf("n = %zu, %s: objective %.1f us (cpu %.1f), jacobian %.1f us (cpu %.1f), J/f %.1f\n", in.n(),
              in.complicated() ? "complicated" : "simple", f[0], f[1], j[0], j[1], j[0] / f[0]);
  if (in.complicated()) return 0;
  time_dense(in, ht, f[0], runs / 10 + 1);
  time_tape<1>(in, ht, f[0], runs / 10 + 1);
  time_tape<8>(in, ht, f[0], runs / 10 + 1);
  return 0;
}
