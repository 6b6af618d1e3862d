// How often an evaluate message asks a function to run: at least `min_runs`
// times and until the runs add up to `min_seconds` (GradBench's Runs fields;
// the older `runs` field is read as min_runs), at most kMaxRuns times.
// Each run is timed on its own with a steady clock; parsing and converting
// the input happen before and are not timed.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "json_io.hpp"

namespace nabla::gradbench {

/// The most runs one evaluate message makes (and reports, one timing each):
/// min_runs above it is an InputError, and a function faster than
/// min_seconds / kMaxRuns stops there short of min_seconds, so that a fast
/// function does not make millions of timings (8 million, 3 GB of JSON, for
/// lse on one number over 0.2 s).
constexpr long long kMaxRuns = 100000;

/// The repetition request of one evaluate message.
struct Runs {
  long long min_runs = 1;
  double min_seconds = 0;
};

/// The Runs fields of an input object (defaults when absent); a field of the
/// wrong type or a negative count is an InputError.
Runs read_runs(const nlohmann::json& input);

/// Runs `run` as `runs` asks, at most kMaxRuns times; returns the
/// nanoseconds of each run.
template <class F>
std::vector<std::int64_t> repeat(const Runs& runs, F&& run) {
  using Clock = std::chrono::steady_clock;
  std::vector<std::int64_t> times;
  double total = 0;
  for (long long i = 0; i < kMaxRuns && (i < runs.min_runs || total < runs.min_seconds); ++i) {
    const auto start = Clock::now();
    run();
    const auto stop = Clock::now();
    const std::int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start).count();
    times.push_back(ns);
    total += static_cast<double>(ns) * 1e-9;
  }
  return times;
}

}  // namespace nabla::gradbench
