// bench_sym: nabla::sym beside GiNaC in one binary on the symbolic problems of
// issue 3 — (i) the third derivative of the 6-level nest, (ii) the full
// symbolic Hessians of chained Rosenbrock (n = 100) and of a small network's
// loss, (iii) the sizes of f, f', f''' and of a gradient. Every result is
// checked at the problem's points before it is timed (nabla against GiNaC,
// 1e-10 relative); repetitions of the two tools alternate, each builds its
// expression from fresh symbols, and the tables report medians. --json=FILE
// writes the medians and the checked values for sympy_bench.py, which runs
// SymPy on the same problems in the same bench/run.sh invocation.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "problems.hpp"

namespace nabla_sym_bench {

namespace {

double now_wall() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double now_cpu() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace

Stopwatch::Stopwatch() : wall_(now_wall()), cpu_(now_cpu()) {}
Seconds Stopwatch::elapsed() const { return {now_wall() - wall_, now_cpu() - cpu_}; }

namespace {

/// prefix + the indices joined by '_' + tag. (Appending, not operator+:
/// g++ 12 at -O3 warns falsely about "x" + std::to_string(i), PR 105651.)
std::string indexed_name(const char* prefix, std::initializer_list<int> indices, const std::string& tag) {
  std::string name(prefix);
  bool first = true;
  for (int i : indices) {
    if (!first) name += '_';
    name += std::to_string(i);
    first = false;
  }
  name += tag;
  return name;
}

}  // namespace

std::vector<std::string> net_weight_names(const std::string& tag) {
  std::vector<std::string> names;
  for (int j = 0; j < kNetHidden; ++j)
    for (int k = 0; k < kNetInputs; ++k) names.push_back(indexed_name("W1_", {j, k}, tag));
  for (int j = 0; j < kNetHidden; ++j) names.push_back(indexed_name("b1_", {j}, tag));
  for (int j = 0; j < kNetHidden; ++j) names.push_back(indexed_name("w2_", {j}, tag));
  names.push_back(indexed_name("b2", {}, tag));
  return names;
}

std::vector<std::string> rosenbrock_names(int n, const std::string& tag) {
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) names.push_back(indexed_name("x", {i}, tag));
  return names;
}

namespace {

struct Options {
  int repetitions = 9;      // at most, per tool and case
  double budget = 20.0;     // seconds per tool and case, after which no new repetition starts
  int max_depth = 8;        // of the nest's size table (nabla)
  int ginac_max_depth = 7;  // GiNaC's f''' at depth 8 takes minutes
  std::vector<int> rosenbrock_sizes{10, 100, 1000};
  bool sizes = true;
  std::string json;
};

double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

std::string fmt(double v, int digits = 4) {
  if (std::isnan(v)) return "—";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

/// The largest |a_i - b_i| / max(|a_i|, |b_i|, 1) (an absolute floor of 1
/// for entries near zero), or infinity when the sizes differ or a value is NaN.
double max_difference(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.empty()) return INFINITY;
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) return INFINITY;
    worst = std::max(worst, std::abs(a[i] - b[i]) / std::max({std::abs(a[i]), std::abs(b[i]), 1.0}));
  }
  return worst;
}

/// One problem: how a tool runs it, and the results of each tool.
struct Case {
  std::string key;    // in the JSON
  std::string label;  // in the table
  std::function<Seconds(Tool&, const std::string&, std::vector<double>*)> run;
  // The entries whose values are printed, (row, column) of an n x n matrix;
  // empty for a list of values.
  int n = 0;
  std::vector<std::pair<int, int>> shown;
};

struct Result {
  std::vector<double> values;  // at the points, from the untimed warm-up run
  std::vector<Seconds> times;
  std::string failure;  // why it was not timed
};

void time_case(const Case& c, std::vector<std::unique_ptr<Tool>>& tools, std::vector<Result>& results,
               const Options& options) {
  // Checked first: every tool's values against the last tool's (GiNaC, the reference).
  for (std::size_t t = 0; t < tools.size(); ++t) c.run(*tools[t], "_w", &results[t].values);
  const auto& reference = results.back().values;
  for (std::size_t t = 0; t + 1 < tools.size(); ++t) {
    const double d = max_difference(results[t].values, reference);
    if (!(d <= 1e-10))
      results[t].failure = "check failed: differs from " + tools.back()->name() + " by " + fmt(d, 3);
  }
  std::vector<double> spent(tools.size(), 0.0);
  for (int r = 0; r < options.repetitions; ++r) {
    bool any = false;
    for (std::size_t k = 0; k < tools.size(); ++k) {
      // Alternate the order, so that neither tool always runs first.
      const std::size_t t = r % 2 ? tools.size() - 1 - k : k;
      if (!results[t].failure.empty() || spent[t] > options.budget) continue;
      const Seconds s = c.run(*tools[t], "_r" + std::to_string(r), nullptr);
      results[t].times.push_back(s);
      spent[t] += s.wall;
      any = true;
    }
    if (!any) break;
  }
}

std::vector<double> walls(const Result& r) {
  std::vector<double> v;
  for (const auto& s : r.times) v.push_back(s.wall);
  return v;
}

std::vector<double> cpus(const Result& r) {
  std::vector<double> v;
  for (const auto& s : r.times) v.push_back(s.cpu);
  return v;
}

std::string shown_values(const Case& c, const std::vector<double>& values) {
  std::ostringstream out;
  out.precision(15);
  if (c.n == 0) {
    for (std::size_t i = 0; i < values.size() && i < kNestPoints.size(); ++i)
      out << (i ? ", " : "") << "f'''(" << kNestPoints[i] << ") = " << values[i];
    return out.str();
  }
  double sum = 0.0, sumsq = 0.0;
  for (double v : values) sum += v, sumsq += v * v;
  out << "sum " << sum << ", sum of squares " << sumsq;
  for (auto [i, j] : c.shown)
    out << ", H[" << i << "," << j << "] = " << values[static_cast<std::size_t>(i * c.n + j)];
  return out.str();
}

void write_json_case(std::ostream& out, const Case& c, const std::vector<std::unique_ptr<Tool>>& tools,
                     const std::vector<Result>& results) {
  // The values handed to SymPy's script are nabla's when nabla passed its
  // check, else the reference's (GiNaC's), and say whose they are.
  std::size_t from = results.size() - 1;
  if (tools.size() > 1 && results[0].failure.empty()) from = 0;
  const auto& v = results[from].values;
  out.precision(17);
  out << "    \"" << c.key << "\": {";
  auto number = [&](double m) -> std::ostream& { return std::isnan(m) ? out << "null" : out << m; };
  for (std::size_t t = 0; t < tools.size(); ++t) {
    out << "\"" << (tools[t]->name().rfind("nabla", 0) == 0 ? "nabla" : "ginac") << "\": {\"cpu\": ";
    number(median(cpus(results[t]))) << ", \"wall\": ";
    number(median(walls(results[t]))) << "}, ";
  }
  out << "\"values_from\": \"" << tools[from]->name() << "\", ";
  if (c.n == 0) {
    out << "\"values\": [";
    for (std::size_t i = 0; i < v.size(); ++i) out << (i ? ", " : "") << v[i];
    out << "]}";
    return;
  }
  double sum = 0.0, sumsq = 0.0;
  for (double x : v) sum += x, sumsq += x * x;
  out << "\"sum\": " << sum << ", \"sumsq\": " << sumsq << ", \"entries\": {";
  for (std::size_t k = 0; k < c.shown.size(); ++k) {
    auto [i, j] = c.shown[k];
    out << (k ? ", " : "") << "\"" << i << "," << j << "\": " << v[static_cast<std::size_t>(i * c.n + j)];
  }
  out << "}}";
}

std::string size_cell(const Sizes& s) { return std::to_string(s.dag) + " / " + std::to_string(s.tree); }

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&](std::string_view flag) -> std::optional<std::string> {
      if (a.substr(0, flag.size()) == flag) return std::string(a.substr(flag.size()));
      return std::nullopt;
    };
    if (auto v = value("--repetitions=")) {
      o.repetitions = std::atoi(v->c_str());
    } else if (auto b = value("--budget=")) {
      o.budget = std::atof(b->c_str());
    } else if (auto d = value("--max-depth=")) {
      o.max_depth = std::atoi(d->c_str());
    } else if (auto g = value("--ginac-max-depth=")) {
      o.ginac_max_depth = std::atoi(g->c_str());
    } else if (auto j = value("--json=")) {
      o.json = *j;
    } else if (a == "--skip-sizes") {
      o.sizes = false;
    } else {
      (a == "--help" ? std::cout : std::cerr)
          << "usage: bench_sym [--repetitions=9] [--budget=20] [--max-depth=8] [--ginac-max-depth=7]"
             " [--skip-sizes] [--json=FILE]\n";
      std::exit(a == "--help" ? 0 : 2);
    }
  }
  return o;
}

void print_sizes(std::vector<std::unique_ptr<Tool>>& tools, const Options& options, std::ostream& json) {
  Tool& nabla = *tools.front();
  Tool& ginac = *tools.back();
  const bool have_nabla = tools.size() > 1;
  std::cout << "\n#### (iii) Sizes of the nest e <- sin(e) cos(e) + e^2: distinct nodes / nodes as a tree\n\n"
            << "| depth | nabla f | nabla f' | nabla f''' | nabla f''' dag / f dag | GiNaC f | GiNaC f''' |\n"
            << "|---:|---:|---:|---:|---:|---:|---:|\n";
  json << "  \"sizes\": {\"nest\": [";
  for (int depth = 1; depth <= options.max_depth; ++depth) {
    std::cout << "| " << depth << " | ";
    json << (depth > 1 ? ", " : "") << "{\"depth\": " << depth;
    if (have_nabla) {
      const auto s = nabla.nest_sizes(depth);
      std::cout << size_cell(s[0]) << " | " << size_cell(s[1]) << " | " << size_cell(s[2]) << " | "
                << fmt(static_cast<double>(s[2].dag) / static_cast<double>(s[0].dag), 3) << " | ";
      json << ", \"nabla_d3\": {\"dag\": " << s[2].dag << ", \"tree\": " << s[2].tree << "}";
    } else {
      std::cout << "pending | pending | pending | pending | ";
    }
    if (depth <= options.ginac_max_depth) {
      const auto g = ginac.nest_sizes(depth);
      std::cout << size_cell(g[0]) << " | " << size_cell(g[2]) << " |\n";
    } else {
      std::cout << "— | — |\n";
    }
    json << "}";
    std::cout.flush();
  }
  json << "]}\n";
  std::cout
      << "\n#### (iii) Sizes of chained Rosenbrock's f and gradient (the n entries together): distinct nodes"
         " / nodes as a tree\n\n"
      << "| n | nabla f | nabla gradient | nabla gradient dag / f dag | GiNaC f | GiNaC gradient |\n"
      << "|---:|---:|---:|---:|---:|---:|\n";
  for (int n : options.rosenbrock_sizes) {
    std::cout << "| " << n << " | ";
    if (have_nabla) {
      const auto s = nabla.rosenbrock_gradient_sizes(n);
      std::cout << size_cell(s[0]) << " | " << size_cell(s[1]) << " | "
                << fmt(static_cast<double>(s[1].dag) / static_cast<double>(s[0].dag), 3) << " | ";
    } else {
      std::cout << "pending | pending | pending | ";
    }
    const auto g = ginac.rosenbrock_gradient_sizes(n);
    std::cout << size_cell(g[0]) << " | " << size_cell(g[1]) << " |\n";
  }
}

/// The timed problems: (i) and the two Hessians of (ii).
std::vector<Case> make_cases() {
  return {
      {"nest6_d3",
       "(i) f''' of the 6-level nest",
       [](Tool& t, const std::string& tag, std::vector<double>* v) { return t.nest_d3(kNestDepth, tag, v); },
       0,
       {}},
      {"rosenbrock100_hessian",
       "(ii) Hessian of chained Rosenbrock, n = 100 (100 x 100)",
       [](Tool& t, const std::string& tag, std::vector<double>* v) {
         return t.rosenbrock_hessian(kRosenbrockN, tag, v);
       },
       kRosenbrockN,
       {{0, 0}, {49, 50}, {99, 99}}},
      {"net_hessian",
       "(ii) Hessian of the 4-8-1 tanh network's loss (49 x 49)",
       [](Tool& t, const std::string& tag, std::vector<double>* v) { return t.net_hessian(tag, v); },
       kNetWeights,
       {{0, 0}, {10, 40}, {48, 48}}},
  };
}

/// Prints the table row of a case: medians, the ratio, the check.
void print_row(const Case& c, const std::vector<Result>& results, bool have_nabla) {
  const Result& g = results.back();
  const double tg = median(cpus(g));
  std::string nabla_time = "pending", ratio = "pending", nabla_wall = "pending", reps;
  std::string check = shown_values(c, g.values) + " (GiNaC)";
  if (have_nabla) {
    const Result& n = results.front();
    if (!n.failure.empty()) {
      nabla_time = "failed";
      ratio = "—";
      nabla_wall = "—";
      check = n.failure + "; " + check;
    } else {
      const double tn = median(cpus(n));
      nabla_time = fmt(tn);
      nabla_wall = fmt(median(walls(n)));
      ratio = fmt(tg / tn, 3);
      check = "nabla = GiNaC to " + fmt(max_difference(n.values, g.values), 2) + ": " + check;
    }
    reps = std::to_string(n.times.size()) + " / ";
  }
  reps += std::to_string(g.times.size());
  std::cout << "| " << c.label << " | " << nabla_time << " | " << fmt(tg) << " | " << ratio << " | "
            << nabla_wall << " | " << fmt(median(walls(g))) << " | " << reps << " | " << check << " |\n";
}

}  // namespace
}  // namespace nabla_sym_bench

int main(int argc, char** argv) {
  using namespace nabla_sym_bench;
  const Options options = parse_options(argc, argv);

  // nabla first, GiNaC (the reference of the checks) last.
  std::vector<std::unique_ptr<Tool>> tools;
  if (auto nabla = make_nabla_tool()) tools.push_back(std::move(nabla));
  tools.push_back(make_ginac_tool());
  const bool have_nabla = tools.size() > 1;

  const std::vector<Case> cases = make_cases();

  std::cout << "bench_sym: " << (have_nabla ? tools.front()->name() : std::string("nabla::sym pending"))
            << " vs " << tools.back()->name() << "; at most " << options.repetitions
            << " repetitions per tool and case, "
            << "alternating, none started after " << options.budget
            << " s; medians of CPU time (process CPU time: the machine is shared) and of wall-clock time\n\n";
  std::cout << "| problem | nabla CPU (s) | GiNaC CPU (s) | GiNaC / nabla (CPU) | nabla wall (s) | GiNaC "
               "wall (s) | repetitions"
               " | check (values at the points) |\n"
            << "|---|---:|---:|---:|---:|---:|---|---|\n";
  std::ostringstream json;
  json << "{\n  \"cases\": {\n";
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const Case& c = cases[k];
    std::vector<Result> results(tools.size());
    time_case(c, tools, results, options);
    print_row(c, results, have_nabla);
    std::cout.flush();
    write_json_case(json, c, tools, results);
    json << (k + 1 < cases.size() ? ",\n" : "\n");
  }
  json << "  },\n";
  if (options.sizes)
    print_sizes(tools, options, json);
  else
    json << "  \"sizes\": {}\n";
  json << "}\n";
  if (!options.json.empty()) std::ofstream(options.json) << json.str();
  return 0;
}
