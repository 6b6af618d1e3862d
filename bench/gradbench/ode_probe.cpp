// A probe for bench/gradbench/README.md: how far the ode module's gradient
// is from the floor of any statement-level tape on this machine. It times,
// on one input:
//   - the module's primal, and its gradient by both of its methods
//     (gradbench/ode.hpp: nn tensors, the default, and the scalar tape);
//   - the floor: the scalar tape's statements (k1: 2 arguments, each later
//     stage: 3, the update of y: 5) written by hand into flat arrays of
//     partials, indices and lengths, with the module's chunks, then swept
//     skipping zero adjoints, as nabla's tape does, but with no tape object,
//     no activity tests and no room checks: what an operator-overloading
//     tool could at best record and sweep.
// The floor and the tensors are checked against the scalar tape on a small
// input first. Prints the median over rounds of each gradient's time over
// the primal's (paired, the primal timed just before). Not built by CMake:
//
//   g++ -std=c++20 -O3 -DNDEBUG -Igradbench -Iinclude -isystem /usr/include/eigen3
//     bench/gradbench/ode_probe.cpp build/release/gradbench/libnabla_gradbench.a
//     build/release/src/libnabla.a -o /tmp/ode_probe      (one line)
//   /tmp/ode_probe n s [rounds]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "ode.hpp"

namespace gb = nabla::gradbench;

namespace {

constexpr double kEnd = 2.0;

/// A value and its index, as a Var holds them.
struct Entry {
  double v = 0;
  std::uint32_t i = 0;
};

/// The forward pass of checkpointing, as the module's: y at the start of
/// each chunk of `chunk` steps, chunk after chunk in `starts`.
void store_chunk_starts(const std::vector<double>& x, std::size_t steps, std::size_t chunk,
                        gb::OdeWork<double>& work, std::vector<double>& starts) {
  const std::size_t n = x.size(), chunks = (steps + chunk - 1) / chunk;
  const double h = kEnd / static_cast<double>(steps);
  starts.assign(n * chunks, 0.0);
  std::vector<double> y(n, 0.0);
  for (std::size_t c = 0; c < chunks; ++c) {
    std::copy(y.begin(), y.end(), starts.begin() + static_cast<std::ptrdiff_t>(c * n));
    gb::ode_steps(x.data(), n, h, std::min(chunk, steps - c * chunk), y.data(), work);
  }
}

/// The floor: flat arrays written without any test, one chunk at a time.
/// Lengths are an enum, not a character type, so that storing one does not
/// force the counters to be reloaded (a char may alias anything).
class HandTape {
 public:
  enum class Length : std::uint8_t {};

  HandTape(std::size_t arguments, std::size_t statements)
      : partial_(new double[arguments]),
        index_(new std::uint32_t[arguments]),
        length_(new Length[statements + 1]) {}
  void reset() { arguments_ = statements_ = 0; }
  std::uint32_t input() {
    length_[++statements_] = Length{0};
    return static_cast<std::uint32_t>(statements_);
  }
  template <std::size_t N>
  std::uint32_t record(const double (&p)[N], const std::uint32_t (&ix)[N]) {
    for (std::size_t k = 0; k < N; ++k) {
      partial_[arguments_ + k] = p[k];
      index_[arguments_ + k] = ix[k];
    }
    arguments_ += N;
    length_[++statements_] = static_cast<Length>(N);
    return static_cast<std::uint32_t>(statements_);
  }
  /// adjoint[arg] += partial * adjoint[lhs], last statement first.
  void sweep(std::vector<double>& adjoint) const {
    double* adj = adjoint.data();
    std::size_t a = arguments_;
    for (std::size_t s = statements_; s > 0; --s) {
      const auto n = static_cast<std::size_t>(length_[s]);
      a -= n;
      const double g = adj[s];
      if (g == 0) continue;
      for (std::size_t k = 0; k < n; ++k) adj[index_[a + k]] += partial_[a + k] * g;
    }
  }
  std::size_t statements() const { return statements_; }

 private:
  std::unique_ptr<double[]> partial_;
  std::unique_ptr<std::uint32_t[]> index_;
  std::unique_ptr<Length[]> length_;
  std::size_t arguments_ = 0, statements_ = 0;
};

/// The module's gradient with the floor's recording.
class FloorGradient {
 public:
  FloorGradient(const std::vector<double>& x, std::size_t steps, std::size_t chunk)
      : x_(x),
        steps_(steps),
        chunk_(chunk),
        tape_(16 * x.size() * chunk, 2 * x.size() + 5 * x.size() * chunk),
        xs_(x.size()),
        y_(x.size()),
        k1_(x.size()),
        k2_(x.size()),
        k3_(x.size()),
        k4_(x.size()),
        start_(x.size()) {
    work_.resize(x.size());
  }

  const std::vector<double>& gradient() {
    const std::size_t n = x_.size(), chunks = (steps_ + chunk_ - 1) / chunk_;
    const double h = kEnd / static_cast<double>(steps_);
    store_chunk_starts(x_, steps_, chunk_, work_, checkpoints_);
    g_.assign(n, 0.0);
    ybar_.assign(n, 0.0);
    ybar_[n - 1] = 1.0;
    for (std::size_t c = chunks; c-- > 0;) {
      tape_.reset();
      for (std::size_t i = 0; i < n; ++i) xs_[i] = {x_[i], tape_.input()};
      for (std::size_t i = 0; i < n; ++i) start_[i] = y_[i] = {checkpoints_[c * n + i], tape_.input()};
      for (std::size_t s = 0; s < std::min(chunk_, steps_ - c * chunk_); ++s) step(h);
      adjoint_.assign(tape_.statements() + 1, 0.0);
      for (std::size_t i = 0; i < n; ++i) adjoint_[y_[i].i] += ybar_[i];
      tape_.sweep(adjoint_);
      for (std::size_t i = 0; i < n; ++i) g_[i] += adjoint_[xs_[i].i];
      for (std::size_t i = 0; i < n; ++i) ybar_[i] = adjoint_[start_[i].i];
    }
    return g_;
  }

 private:
  // z_0 = x_0, z_i = x_i (y_{i-1} + c k_{i-1}): one statement of 3 arguments.
  void stage(const std::vector<Entry>& k, double c, std::vector<Entry>& z) {
    z[0] = xs_[0];
    for (std::size_t i = 1; i < x_.size(); ++i) {
      const double u = y_[i - 1].v + c * k[i - 1].v;
      z[i] = {xs_[i].v * u, tape_.record({u, xs_[i].v, xs_[i].v * c}, {xs_[i].i, y_[i - 1].i, k[i - 1].i})};
    }
  }

  void step(double h) {
    const std::size_t n = x_.size();
    k1_[0] = xs_[0];
    for (std::size_t i = 1; i < n; ++i)
      k1_[i] = {xs_[i].v * y_[i - 1].v, tape_.record({y_[i - 1].v, xs_[i].v}, {xs_[i].i, y_[i - 1].i})};
    stage(k1_, h / 2, k2_);
    stage(k2_, h / 2, k3_);
    stage(k3_, h, k4_);
    for (std::size_t i = 0; i < n; ++i) {
      const double v = y_[i].v + h * (k1_[i].v + 2.0 * k2_[i].v + 2.0 * k3_[i].v + k4_[i].v) / 6.0;
      y_[i] = {v, tape_.record({1.0, h / 6, h / 3, h / 3, h / 6},
                               {y_[i].i, k1_[i].i, k2_[i].i, k3_[i].i, k4_[i].i})};
    }
  }

  std::vector<double> x_;
  std::size_t steps_, chunk_;
  HandTape tape_;
  gb::OdeWork<double> work_;
  std::vector<Entry> xs_, y_, k1_, k2_, k3_, k4_, start_;
  std::vector<double> checkpoints_, adjoint_, g_, ybar_;
};

double seconds_of(auto&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::vector<double> random_x(std::size_t n) {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> x(n);
  for (double& v : x) v = u(gen);
  return x;
}

/// max |a - b| over max |b|.
double worst_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double worst = 0, scale = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, std::abs(a[i] - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  return worst / scale;
}

/// The scalar tape's chunk in the module: about 2^21 recorded arguments per tape.
std::size_t module_chunk(std::size_t n, std::size_t steps) {
  return std::clamp<std::size_t>((std::size_t{1} << 21) / (16 * n), 1, steps);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: ode_probe n s [rounds]\n");
    return 2;
  }
  const std::size_t n = std::stoul(argv[1]), steps = std::stoul(argv[2]);
  const int rounds = argc > 3 ? std::stoi(argv[3]) : 7;
  if (n < 2 || steps < 1 || rounds < 1) {
    std::fprintf(stderr, "ode_probe: n >= 2, s >= 1, rounds >= 1\n");
    return 2;
  }
  {  // On a small input, where no entry underflows, all three agree.
    const std::vector<double> x = random_x(12);
    gb::Ode scalar(x, 8, 3, gb::OdeMethod::scalar_tape);
    gb::Ode tensors(x, 8, 3, gb::OdeMethod::tensor);
    FloorGradient floor(x, 8, 3);
    const std::vector<double> g = scalar.gradient();
    const double floor_error = worst_difference(floor.gradient(), g);
    const double tensor_error = worst_difference(tensors.gradient(), g);
    std::printf("check (n = 12, s = 8): floor %.1e, tensors %.1e from the scalar tape\n", floor_error,
                tensor_error);
    if (floor_error > 1e-12 || tensor_error > 1e-12) return 1;
  }
  const std::vector<double> x = random_x(n);
  gb::Ode tensors(x, steps, 0, gb::OdeMethod::tensor);
  gb::Ode scalar(x, steps, 0, gb::OdeMethod::scalar_tape);
  FloorGradient floor(x, steps, module_chunk(n, steps));
  std::vector<double> primal, on_tensors, on_scalar, hand, r_tensors, r_scalar, r_hand;
  for (int r = 0; r < rounds; ++r) {
    const double p = seconds_of([&] { scalar.primal(); });
    const double t = seconds_of([&] { tensors.gradient(); });
    const double m = seconds_of([&] { scalar.gradient(); });
    const double f = seconds_of([&] { floor.gradient(); });
    primal.push_back(p);
    on_tensors.push_back(t);
    on_scalar.push_back(m);
    hand.push_back(f);
    r_tensors.push_back(t / p);
    r_scalar.push_back(m / p);
    r_hand.push_back(f / p);
  }
  std::printf("n = %zu, s = %zu, %d rounds (medians)\n", n, steps, rounds);
  std::printf("primal                        %9.3f ms\n", 1e3 * median(primal));
  std::printf("module, nn tensors            %9.3f ms  J/f %5.1f\n", 1e3 * median(on_tensors),
              median(r_tensors));
  std::printf("module, scalar tape           %9.3f ms  J/f %5.1f\n", 1e3 * median(on_scalar),
              median(r_scalar));
  std::printf("floor (hand-written tape)     %9.3f ms  J/f %5.1f\n", 1e3 * median(hand), median(r_hand));
  return 0;
}
