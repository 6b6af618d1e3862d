// Timing of one phase of a computation, repeated, for the programs that are
// not Google Benchmark programs (bench_phases, bench_c_floor): they time
// pieces a benchmark cannot expose one by one.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace nabla_bench {

struct Times {
  double least = 0;
  double median = 0;
};

/// Runs `phase` `repetitions` (>= 1) times; its least and median time in us.
template <class Phase>
Times time_us(Phase&& phase, int repetitions) {
  std::vector<double> us;
  us.reserve(static_cast<std::size_t>(repetitions));
  for (int r = 0; r < repetitions; ++r) {
    const auto start = std::chrono::steady_clock::now();
    phase();
    const auto stop = std::chrono::steady_clock::now();
    us.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
  }
  std::sort(us.begin(), us.end());
  return {us.front(), us[us.size() / 2]};
}

}  // namespace nabla_bench
