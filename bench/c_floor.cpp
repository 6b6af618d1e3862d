// bench_c_floor: how fast ANY tape could be on problem (c), the extended
// Rosenbrock function at n = 10^4, measured rather than argued. It times,
// beside f on double, the hand-written gradient and nabla::gradient, four
// ideal tapes written out by hand for this one function: arrays sized
// before timing (no test of room), no checks, no Var objects, the partials
// computed inline, and the same layout as nabla's tape (a length byte per
// statement, a partial and a 32-bit index per argument, inputs first):
//
//   - "as written": the statements the benchmark's code makes on any tape,
//     t = x_{2i+1} - x_{2i}^2 (2 arguments), u = 1 - x_{2i} (1) and
//     sum = sum + 100 t^2 + u^2 (3: the previous sum, t and u);
//   - "one per pair": the fewest statements any tape could record, one per
//     pair, sum = sum + 100 (x_{2i+1} - x_{2i}^2)^2 + (1 - x_{2i})^2, whose
//     arguments are the previous sum, x_{2i} and x_{2i+1};
//   - "into the sum": t and u as written, and each pair's sum statement
//     INTO the sum's first index instead of a new one: its first argument
//     names that index, whose adjoint the sweep reads for it and leaves as
//     it is (d sum / d previous sum = 1), so that the sum's adjoint does not
//     pass from pair to pair through memory either (a sweep of its own reads
//     the mark, the length byte's high bit);
//   - "accumulated": the same arguments appended to the sum's statement,
//     kept open as nabla's `x += e` keeps it when nothing is recorded in
//     between, so that the sweep does not carry the sum's adjoint from pair
//     to pair through memory (a new statement, whose first argument is the
//     previous sum, every 127 pairs, when the open one is full).
//
// Each tape's recording and reverse sweep are timed apart (least of the
// repetitions), and its gradient is checked against the hand-written one, so
// that the floor is of a tape that computes the right thing.
//
//   bench_c_floor [repetitions]   (default 1001)
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nabla/nabla.hpp>
#include <utility>
#include <vector>

#include "phase_timing.hpp"
#include "problems.hpp"

namespace nabla_bench {
namespace {

volatile double sink;  // keeps every phase's result alive

/// A tape in nabla's layout, sized once for the largest recording.
struct IdealTape {
  explicit IdealTape(std::size_t n) : partial(3 * n), index(3 * n), length(3 * n), adjoint(3 * n) {}
  std::vector<double> partial;
  std::vector<std::uint32_t> index;
  std::vector<std::uint8_t> length;
  std::vector<double> adjoint;  // by tape index; 0 is the passive slot
  std::size_t statements = 0;   // recorded, inputs included
  std::size_t arguments = 0;
  std::size_t open = 0;  // arguments of the last statement, while "accumulated" may extend it
};

/// Records the n inputs, then what `record_pair` records for each pair;
/// returns f. RecordPair(tape, x, i, sum index, sum) returns the new sum.
template <class RecordPair>
[[gnu::noinline]] double record(IdealTape& tape, const Eigen::VectorXd& x, RecordPair record_pair) {
  const auto n = static_cast<std::size_t>(x.size());
  std::fill_n(tape.length.data(), n, std::uint8_t{0});
  tape.statements = n;
  tape.arguments = 0;
  double sum = 0;
  std::uint32_t sum_index = 0;  // passive until the first pair
  for (std::size_t i = 0; i + 1 < n; i += 2) sum = record_pair(tape, x, i, sum_index, sum);
  return sum;
}

/// The pair x_i, x_{i+1} (i even), their tape indices (inputs first, from
/// 1), t = x_{i+1} - x_i^2, u = 1 - x_i, the pair's term of f and its
/// partials.
struct Pair {
  Pair(const Eigen::VectorXd& x, std::size_t i)
      : x0(x[static_cast<Eigen::Index>(i)]),
        t(x[static_cast<Eigen::Index>(i + 1)] - x0 * x0),
        u(1.0 - x0),
        i0(static_cast<std::uint32_t>(i + 1)),
        i1(static_cast<std::uint32_t>(i + 2)) {}
  double term() const { return 100.0 * t * t + u * u; }
  double d0() const { return -400.0 * x0 * t - 2.0 * u; }
  double d1() const { return 200.0 * t; }
  double x0, t, u;
  std::uint32_t i0, i1;
};

/// One argument of the statement being written.
inline void push(IdealTape& tape, double partial, std::uint32_t index) {
  tape.partial[tape.arguments] = partial;
  tape.index[tape.arguments] = index;
  tape.arguments += index != 0;
}
/// Closes a statement of `count` arguments; its tape index.
inline std::uint32_t close(IdealTape& tape, std::size_t count) {
  tape.length[tape.statements++] = static_cast<std::uint8_t>(count);
  return static_cast<std::uint32_t>(tape.statements);
}

/// The statements of t = x_{i+1} - x_i^2 and u = 1 - x_i; their indices.
std::pair<std::uint32_t, std::uint32_t> record_t_and_u(IdealTape& tape, const Pair& p) {
  push(tape, 1.0, p.i1);
  push(tape, -2.0 * p.x0, p.i0);
  const std::uint32_t t_index = close(tape, 2);
  push(tape, -1.0, p.i0);
  return {t_index, close(tape, 1)};
}

/// t, u and the sum as three statements (the benchmark's code).
double as_written(IdealTape& tape, const Eigen::VectorXd& x, std::size_t i, std::uint32_t& sum_index,
                  double sum) {
  const Pair p(x, i);
  const auto [t_index, u_index] = record_t_and_u(tape, p);
  push(tape, 200.0 * p.t, t_index);
  push(tape, 2.0 * p.u, u_index);
  push(tape, 1.0, sum_index);
  sum_index = close(tape, sum_index != 0 ? 3 : 2);
  return sum + p.term();
}

/// The length byte's mark of a statement into the index of its first argument.
constexpr std::uint8_t kInto = 0x80;

/// t and u as written, the sum as a statement into the sum's first index.
double into_sum(IdealTape& tape, const Eigen::VectorXd& x, std::size_t i, std::uint32_t& sum_index,
                double sum) {
  const Pair p(x, i);
  const auto [t_index, u_index] = record_t_and_u(tape, p);
  if (sum_index != 0) push(tape, 1.0, sum_index);
  push(tape, 200.0 * p.t, t_index);
  push(tape, 2.0 * p.u, u_index);
  if (sum_index != 0)
    close(tape, kInto | 3);
  else
    sum_index = close(tape, 2);
  return sum + p.term();
}

/// The pair's term and the sum as one statement (the fewest possible).
double one_per_pair(IdealTape& tape, const Eigen::VectorXd& x, std::size_t i, std::uint32_t& sum_index,
                    double sum) {
  const Pair p(x, i);
  push(tape, p.d0(), p.i0);
  push(tape, p.d1(), p.i1);
  push(tape, 1.0, sum_index);
  sum_index = close(tape, sum_index != 0 ? 3 : 2);
  return sum + p.term();
}

/// The pair's two arguments appended to the open statement of the sum.
double accumulated(IdealTape& tape, const Eigen::VectorXd& x, std::size_t i, std::uint32_t& sum_index,
                   double sum) {
  const Pair p(x, i);
  const bool extend = sum_index != 0 && tape.open + 2 <= 254;  // 255 marks a long statement in nabla
  if (!extend) push(tape, 1.0, sum_index);
  push(tape, p.d0(), p.i0);
  push(tape, p.d1(), p.i1);
  if (extend) {
    tape.open += 2;
    tape.length[tape.statements - 1] = static_cast<std::uint8_t>(tape.open);
  } else {
    tape.open = sum_index != 0 ? 3 : 2;
    sum_index = close(tape, tape.open);
  }
  return sum + p.term();
}

/// Adjoints cleared, the last statement's seeded, propagated back to the
/// first argument (as nabla's Tape::reverse does).
[[gnu::noinline]] void sweep(IdealTape& tape) {
  double* adjoint = tape.adjoint.data();
  const double* partial = tape.partial.data();
  const std::uint32_t* index = tape.index.data();
  const std::uint8_t* length = tape.length.data();
  std::fill_n(adjoint, tape.statements + 1, 0.0);
  adjoint[tape.statements] = 1.0;
  std::size_t a = tape.arguments;
  for (std::size_t s = tape.statements; s-- > 0 && a > 0;) {
    const std::size_t k = length[s];
    a -= k;
    const double w = adjoint[s + 1];
    if (w == 0) continue;
    for (std::size_t j = 0; j < k; ++j) adjoint[index[a + j]] += partial[a + j] * w;
  }
}

/// sweep() for a tape with statements into an earlier index (kInto): the
/// seed goes to the sum's first index, which every such statement reads.
[[gnu::noinline]] void sweep_into(IdealTape& tape) {
  double* adjoint = tape.adjoint.data();
  const double* partial = tape.partial.data();
  const std::uint32_t* index = tape.index.data();
  const std::uint8_t* length = tape.length.data();
  std::fill_n(adjoint, tape.statements + 1, 0.0);
  std::size_t a = tape.arguments;
  const std::size_t last = length[tape.statements - 1];  // the sum's: seeded
  adjoint[(last & kInto) != 0 ? index[a - (last & 0x7F)] : tape.statements] = 1.0;
  for (std::size_t s = tape.statements; s-- > 0 && a > 0;) {
    const std::size_t into = length[s] >> 7;  // 1 for a statement into its first argument's index
    const std::size_t k = length[s] & 0x7F;
    a -= k;
    const double w = adjoint[into != 0 ? index[a] : s + 1];
    if (w == 0) continue;
    for (std::size_t j = into; j < k; ++j) adjoint[index[a + j]] += partial[a + j] * w;
  }
}

/// Records with `record_pair`, sweeps with `sweep_tape`, checks the
/// gradient against the hand-written one (exit 1 if it differs), and
/// prints the times.
template <class RecordPair>
void report(const char* name, const Eigen::VectorXd& x, RecordPair record_pair, double f_us, int repetitions,
            void (*sweep_tape)(IdealTape&) = sweep) {
  IdealTape tape(static_cast<std::size_t>(x.size()));
  const double recording = time_us([&] { sink = record(tape, x, record_pair); }, repetitions).least;
  const double reverse = time_us([&] { sweep_tape(tape); }, repetitions).least;
  Eigen::VectorXd hand;
  Rosenbrock::gradient(x, hand);
  double worst = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    worst = std::max(worst, std::abs(tape.adjoint[static_cast<std::size_t>(i) + 1] - hand[i]) /
                                std::max(1.0, std::abs(hand[i])));
  const double args_per_pair = static_cast<double>(tape.arguments) / static_cast<double>(x.size() / 2);
  std::printf("%-30s %9.1f %9.1f %9.1f %6.1f   %4.1f arguments per pair, gradient off by %.1e\n", name,
              recording, reverse, recording + reverse, (recording + reverse) / f_us, args_per_pair, worst);
  if (!(worst <= 1e-12)) {
    std::fprintf(stderr, "bench_c_floor: the %s tape's gradient is wrong\n", name);
    std::exit(1);
  }
}

}  // namespace
}  // namespace nabla_bench

int main(int argc, char** argv) {
  using namespace nabla_bench;
  const int repetitions = argc > 1 ? std::atoi(argv[1]) : 1001;
  if (repetitions < 1) {
    std::fprintf(stderr, "usage: bench_c_floor [repetitions >= 1]\n");
    return 2;
  }
  const Eigen::VectorXd x = Rosenbrock::point(10000);
  const Rosenbrock fn;
  const double f_us = time_us([&] { sink = fn(x); }, repetitions).least;
  Eigen::VectorXd g;
  const double hand_us = time_us([&] { sink = Rosenbrock::gradient(x, g); }, repetitions).least;
  const double nabla_us = time_us([&] { sink = nabla::gradient(fn, x)[0]; }, repetitions).least;
  std::printf("(c) extended Rosenbrock, n = 10^4: least times in us of %d repetitions\n", repetitions);
  std::printf("%-30s %9s %9s %9s %6s\n", "", "recording", "sweep", "gradient", "J/f");
  std::printf("%-30s %9s %9s %9.2f\n", "f on double", "", "", f_us);
  std::printf("%-30s %9s %9s %9.1f %6.1f\n", "hand-written gradient", "", "", hand_us, hand_us / f_us);
  report(
      "ideal tape, as written", x, [](auto&... a) { return as_written(a...); }, f_us, repetitions);
  report(
      "ideal tape, into the sum", x, [](auto&... a) { return into_sum(a...); }, f_us, repetitions,
      sweep_into);
  report(
      "ideal tape, one per pair", x, [](auto&... a) { return one_per_pair(a...); }, f_us, repetitions);
  report(
      "ideal tape, accumulated", x, [](auto&... a) { return accumulated(a...); }, f_us, repetitions);
  std::printf("%-30s %9s %9s %9.1f %6.1f\n", "nabla::gradient", "", "", nabla_us, nabla_us / f_us);
  return 0;
}
