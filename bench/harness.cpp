// main() of every benchmark program and the summary it prints: a reporter
// that keeps the median of each (problem, tool) while Google Benchmark runs,
// then prints one Markdown table per problem with the ratios computed from
// those medians (all measured in the same process, one after the other).
#include "harness.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace nabla_bench {
namespace {

enum class Kind { Function, Manual, Reverse, Replay, Hvp, Forward };

struct Tool {
  const char* key;
  const char* label;
  Kind kind;
};

// The rows of a summary table, in order.
constexpr Tool kTools[] = {
    {"f_double", "f(x) on double (the J/f baseline)", Kind::Function},
    {"manual", "hand-written gradient", Kind::Manual},
    {"nabla_gradient", "nabla::gradient (Var, re-records)", Kind::Reverse},
    {"nabla_hvp", "nabla::hvp (Var<Dual<double,1>>)", Kind::Hvp},
    {"adolc_record", "ADOL-C: trace_on/off + reverse (re-records)", Kind::Reverse},
    {"adolc_replay", "ADOL-C: gradient() on a recorded tape", Kind::Replay},
    {"sacado_rad", "Sacado Rad::ADvar (re-records)", Kind::Reverse},
    {"nabla_dual", "nabla::Dual<double,16>", Kind::Forward},
    {"ceres_jet", "ceres::Jet<double,16>", Kind::Forward},
    {"sacado_sfad", "Sacado ELRFad::SFad<double,16>", Kind::Forward},
    {"sacado_dfad", "Sacado ELRFad::DFad<double>, 16 lanes", Kind::Forward},
    {"eigen_autodiff", "Eigen AutoDiffScalar<VectorXd>, 16 lanes", Kind::Forward},
};

std::vector<Problem>& problems() {
  static std::vector<Problem> all;
  return all;
}

struct Result {
  double seconds = 0;  // median CPU time per iteration
  benchmark::UserCounters counters;
  std::string error;
  bool median = false;  // from the median of repetitions, not a single run
};

double counter(const Result& r, const char* name) {
  auto it = r.counters.find(name);
  return it == r.counters.end() ? 0.0 : static_cast<double>(it->second);
}

std::string format(const char* fmt, double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, fmt, x);
  return buffer;
}

/// A time in microseconds with four significant digits.
std::string micros(double seconds) {
  const double us = seconds * 1e6;
  return format(us >= 1000 ? "%.0f" : us >= 100 ? "%.1f" : us >= 10 ? "%.2f" : "%.3f", us);
}

/// The console reporter of Google Benchmark, which also keeps the medians.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) keep(run);
  }

  void print_summary(std::ostream& out) const {
    for (const Problem& p : problems()) {
      auto it = results_.find(p.name);
      if (it != results_.end()) print_problem(out, p, it->second);
    }
  }

 private:
  void keep(const Run& run) {
    const std::string& name = run.run_name.function_name;
    const auto slash = name.find('/');
    if (slash == std::string::npos) return;
    Result& r = results_[name.substr(0, slash)][name.substr(slash + 1)];
    const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
    if (run.error_occurred) {
      r.error = run.error_message;
    } else if (median || (run.run_type == Run::RT_Iteration && !r.median)) {
      r.seconds = run.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
      r.counters = run.counters;
      r.median = median;
    }
  }

  static void print_problem(std::ostream& out, const Problem& p, const std::map<std::string, Result>& rows) {
    auto find = [&](const char* key) -> const Result* {
      auto it = rows.find(key);
      return it == rows.end() || !it->second.error.empty() ? nullptr : &it->second;
    };
    const Result* f = find("f_double");
    const Result* nabla = find("nabla_gradient");
    out << "\n### " << p.title() << "\n\n"
        << "| tool | gradient time (us) | J/f | time / nabla::gradient | notes |\n"
        << "|---|---:|---:|---:|---|\n";
    std::string targets;
    for (const Tool& tool : kTools) {
      auto it = rows.find(tool.key);
      if (it == rows.end()) continue;
      const Result& r = it->second;
      if (!r.error.empty()) {
        out << "| " << tool.label << " | failed | | | " << r.error << " |\n";
        continue;
      }
      double seconds = r.seconds;
      std::string note;
      if (tool.kind == Kind::Forward) {
        const double passes = counter(r, "passes");
        note = "one 16-lane pass " + micros(r.seconds) + " us x " + format("%.0f", passes) +
               " passes (extrapolated)";
        seconds *= passes;
      }
      const std::string jf = f ? format("%.2f", seconds / f->seconds) : "";
      const std::string vs =
          nabla && tool.kind != Kind::Function ? format("%.2f", seconds / nabla->seconds) : "";
      if (tool.kind == Kind::Function) note = "time of f itself";
      if (tool.kind == Kind::Hvp && nabla) {
        note = "one HVP = " + format("%.2f", seconds / nabla->seconds) + " gradients (target <= 5)";
      }
      if (std::string(tool.key) == "nabla_gradient") {
        const double bytes_per_op = counter(r, "bytes_per_op");
        note = "tape " + format("%.2f", bytes_per_op) +
               " bytes/op (target <= 16): " + format("%.0f", counter(r, "tape_bytes")) + " bytes, " +
               format("%.0f", counter(r, "statements")) + " statements, " +
               format("%.0f", counter(r, "arguments")) + " arguments";
        if (f) targets += "nabla J/f " + format("%.2f", seconds / f->seconds) + " (target <= 4)";
      }
      if ((std::string(tool.key) == "adolc_record" || std::string(tool.key) == "sacado_rad") && nabla) {
        targets += std::string("; ") + tool.label + " is " + format("%.1f", seconds / nabla->seconds) +
                   "x nabla (target >= 3x)";
      }
      out << "| " << tool.label << " | " << micros(seconds) << " | " << jf << " | " << vs << " | " << note
          << " |\n";
    }
    if (!targets.empty()) out << "\n" << targets << "\n";
  }

  std::map<std::string, std::map<std::string, Result>> results_;
};

/// The peers compiled in, as configured.
std::string peers() {
  std::string list;
#if NABLA_BENCH_HAVE_ADOLC
  list += " ADOL-C";
#endif
#if NABLA_BENCH_HAVE_SACADO
  list += " Sacado";
#endif
#if NABLA_BENCH_HAVE_CERES
  list += " Ceres-Jet";
#endif
#if NABLA_BENCH_HAVE_EIGEN_AUTODIFF
  list += " Eigen-AutoDiffScalar";
#endif
  return list.empty() ? "none" : list.substr(1);
}

}  // namespace

bool check_gradient(benchmark::State& state, const Problem& p, const Eigen::VectorXd& g, Eigen::Index lanes) {
  Eigen::VectorXd ref;
  manual_gradient(p, ref);
  const Eigen::Index m = lanes > 0 ? std::min(lanes, ref.size()) : ref.size();
  if (g.size() < m) {
    state.SkipWithError("gradient has the wrong size");
    return false;
  }
  const double error = (g.head(m) - ref.head(m)).cwiseAbs().maxCoeff();
  const double scale = 1.0 + ref.head(m).cwiseAbs().maxCoeff();
  if (!(error <= 1e-8 * scale)) {
    static std::string message;
    message = "gradient differs from the analytic one by " + format("%.3g", error);
    state.SkipWithError(message.c_str());
    return false;
  }
  return true;
}

bool check_value(benchmark::State& state, const Problem& p, double value) {
  Eigen::VectorXd g;
  const double ref = manual_gradient(p, g);
  if (!(std::abs(value - ref) <= 1e-10 * (1.0 + std::abs(ref)))) {
    state.SkipWithError("value differs from the analytic gradient's");
    return false;
  }
  return true;
}

bool check_hvp(benchmark::State& state, const Problem& p, const Eigen::VectorXd& hv) {
  const double h = 1e-5;
  Eigen::VectorXd plus, minus;
  visit(p.function, [&](auto fn) {
    decltype(fn)::gradient(p.x + h * p.v, plus);
    decltype(fn)::gradient(p.x - h * p.v, minus);
  });
  const Eigen::VectorXd ref = (plus - minus) / (2 * h);
  const double error = (hv - ref).cwiseAbs().maxCoeff();
  if (hv.size() != ref.size() || !(error <= 1e-5 * (1.0 + ref.cwiseAbs().maxCoeff()))) {
    state.SkipWithError("HVP differs from central differences of the analytic gradient");
    return false;
  }
  return true;
}

void register_all(const Problem& p) {
  problems().push_back(p);
  register_baseline(p);
  register_nabla(p);
#if NABLA_BENCH_HAVE_ADOLC
  register_adolc(p);
#endif
#if NABLA_BENCH_HAVE_SACADO
  register_sacado(p);
#endif
#if NABLA_BENCH_HAVE_CERES
  register_ceres_jet(p);
#endif
#if NABLA_BENCH_HAVE_EIGEN_AUTODIFF
  register_eigen_autodiff(p);
#endif
}

int run(int argc, char** argv) {
  // Defaults first: a flag given on the command line comes later and wins.
  // Repetitions of all benchmarks run in random order, so that a slow spell
  // of a shared machine does not fall on one tool only.
  static std::string defaults[] = {"--benchmark_repetitions=9", "--benchmark_min_time=0.1",
                                   "--benchmark_enable_random_interleaving=true",
                                   "--benchmark_report_aggregates_only=true"};
  std::vector<char*> args{argv[0]};
  for (std::string& d : defaults) args.push_back(d.data());
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 2;
  std::cout << "compiler: " << __VERSION__ << "; peers: " << peers() << "\n" << std::flush;
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::cout << "\nMedians of CPU time per evaluation; J/f = gradient time / time of f on double.\n";
  reporter.print_summary(std::cout);
  benchmark::Shutdown();
  return 0;
}

}  // namespace nabla_bench
