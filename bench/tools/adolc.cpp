// ADOL-C's rows, two of them. "Record": trace_on (keeping the Taylor
// values), the function on adoubles, trace_off, then one reverse sweep -- the
// work nabla::gradient does on every call, since nabla re-records too.
// "Replay": the tape recorded once, then ADOL-C's gradient() driver (a
// forward and a reverse sweep over the stored tape) per evaluation.
// Tape buffers are sized to hold the whole tape in memory (no tape files).
#include <adolc/adolc.h>

#include <vector>

#include "../harness.hpp"

namespace nabla_bench {

template <>
struct Passive<adouble> {
  static double value(const adouble& x) { return x.getValue(); }
};

namespace {

short next_tag() {
  static short tag = 0;
  return ++tag;
}

/// Records p's function on tape `tag`; keep = 1 keeps the values for reverse().
template <class F>
double record(const Problem& p, F fn, short tag, int keep) {
  const int n = static_cast<int>(p.x.size());
  const auto buffer = static_cast<unsigned>(4 * (p.operations + static_cast<std::size_t>(n)) + 4096);
  double value = 0;
  trace_on(tag, keep, buffer, buffer, buffer, buffer);
  {
    std::vector<adouble> ax(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) ax[static_cast<std::size_t>(i)] <<= p.x[i];
    adouble y = fn(ax);
    y >>= value;
  }
  trace_off();
  return value;
}

}  // namespace

void register_adolc(const Problem& p) {
  visit(p.function, [&](auto fn) {
    const int n = static_cast<int>(p.x.size());
    const short record_tag = next_tag();
    add_benchmark(p, "adolc_record", [p, fn, n, record_tag](benchmark::State& state) {
      Eigen::VectorXd g(n);
      auto evaluate = [&] {
        const double value = record(p, fn, record_tag, 1);
        reverse(record_tag, 1, n, 0, 1.0, g.data());
        return value;
      };
      if (!check_value(state, p, evaluate()) || !check_gradient(state, p, g)) return;
      for (auto _ : state) {
        double value = evaluate();
        benchmark::DoNotOptimize(value);
        benchmark::DoNotOptimize(g.data());
      }
    });
    const short replay_tag = next_tag();
    add_benchmark(p, "adolc_replay", [p, fn, n, replay_tag](benchmark::State& state) {
      Eigen::VectorXd g(n);
      record(p, fn, replay_tag, 0);
      if (gradient(replay_tag, n, p.x.data(), g.data()) < 0 || !check_gradient(state, p, g)) return;
      for (auto _ : state) {
        gradient(replay_tag, n, p.x.data(), g.data());
        benchmark::DoNotOptimize(g.data());
      }
    });
  });
}

}  // namespace nabla_bench
