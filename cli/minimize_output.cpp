// Printing and writing the runs of `nabla minimize` (see minimize_output.hpp).
#include "minimize_output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "nabla/core/files.hpp"
#include "nabla/optim/options.hpp"
#include "nabla/plot/figure.hpp"
#include "numbers.hpp"
#include "output.hpp"
#include "verb_util.hpp"

namespace nabla::cli {
namespace {

std::string format_number(double v) {
  std::ostringstream out;
  out << std::setprecision(8) << v;
  return out.str();
}

std::string describe_x(const std::vector<std::string>& vars, const Eigen::VectorXd& x) {
  std::string out;
  for (std::size_t i = 0; i < vars.size(); ++i)
    out.append(i ? ", " : "")
        .append(vars[i])
        .append(" = ")
        .append(format_number(x[static_cast<Eigen::Index>(i)]));
  return out;
}

std::string counted(long n, const char* noun) {
  return std::to_string(n).append(" ").append(noun).append(n == 1 ? "" : "s");
}

Json json_vector(const Eigen::VectorXd& x) {
  Json a = Json::array();
  for (Eigen::Index i = 0; i < x.size(); ++i) a.push_back(json_number(x[i]));
  return a;
}

Json json_run(const Run& run) {
  const optim::Result& r = run.result;
  return {{"method", run.method},
          {"x", json_vector(r.x)},
          {"f", json_number(r.f)},
          {"gradient_norm", json_number(r.gradient_norm)},
          {"iterations", r.iterations},
          {"function_evaluations", r.function_evaluations},
          {"gradient_evaluations", r.gradient_evaluations},
          {"stop_reason", std::string(optim::name(r.stop_reason))},
          {"message", std::string(optim::describe(r.stop_reason))}};
}

/// With bounds, the gradient reported is the projected one (zero at a
/// minimum on the boundary), and the labels say so.
void print_one(const std::vector<std::string>& vars, const Run& run, bool bounded, std::ostream& out) {
  const optim::Result& r = run.result;
  out << run.method << ": f = " << format_number(r.f) << " at " << describe_x(vars, r.x) << "\n"
      << (bounded ? "  |projected grad f| = " : "  |grad f| = ") << format_number(r.gradient_norm) << ", "
      << counted(r.iterations, "iteration") << ", " << counted(r.function_evaluations, "evaluation")
      << " of f, " << r.gradient_evaluations << " of the gradient\n"
      << "  stopped: " << optim::describe(r.stop_reason) << " (" << optim::name(r.stop_reason) << ")\n";
}

void print_table(const std::vector<std::string>& vars, const std::vector<Run>& runs, bool bounded,
                 std::ostream& out) {
  out << std::left << std::setw(10) << "method" << std::setw(16) << "f" << std::setw(12)
      << (bounded ? "|proj grad|" : "|grad f|") << std::setw(8) << "iter" << std::setw(8) << "f evals"
      << std::setw(19) << "stop"
      << "x\n";
  for (const Run& run : runs) {
    const optim::Result& r = run.result;
    std::ostringstream g;
    g << std::setprecision(3) << r.gradient_norm;
    out << std::left << std::setw(10) << run.method << std::setw(16) << format_number(r.f) << std::setw(12)
        << g.str() << std::setw(8) << r.iterations << std::setw(8) << r.function_evaluations << std::setw(19)
        << optim::name(r.stop_reason) << describe_x(vars, r.x) << "\n";
  }
}

/// Whether every finite value is positive, so a log axis shows them all;
/// f = x^2 - 10 reaches 0 and below, and gets a linear axis instead.
bool positive_throughout(const std::vector<plot::Series>& series) {
  for (const plot::Series& s : series)
    for (double v : s.values)
      if (std::isfinite(v) && v <= 0) return false;
  return true;
}

}  // namespace

void require_learning_rate_used(const Options& o, const std::vector<std::string>& methods,
                                const char* option) {
  if (std::isnan(o.learning_rate)) return;
  std::string listed;
  for (const std::string& method : methods) {
    if (optim::is_first_order(optim::method_from_name(method))) return;
    listed += (listed.empty() ? "" : ",") + method;
  }
  throw UsageError("--lr has no effect with " + std::string(option) + " " + listed +
                   ": newton, bfgs and lbfgs choose their steps by a line search (give --lr to gd, momentum, "
                   "nesterov, adagrad, rmsprop, adam or adamw)");
}

optim::Options optimizer_options(const Options& o, const Eigen::VectorXd& x0, const std::string& method) {
  optim::Options options;
  options.method = optim::method_from_name(method);
  if (!std::isnan(o.learning_rate)) options.learning_rate = o.learning_rate;
  options.max_iterations = o.max_iterations;
  options.keep_trace = !o.trace_path.empty() || !o.plot_path.empty();
  if (!o.bounds.empty()) {
    auto [lower, upper] = parse_bounds(o.bounds, static_cast<std::size_t>(x0.size()));
    options.lower = std::move(lower);
    options.upper = std::move(upper);
  }
  optim::validate(options, x0.size());
  return options;
}

void print_runs(const std::string& input, const std::vector<std::string>& vars, const Eigen::VectorXd& x0,
                const std::vector<Run>& runs, const Context& ctx) {
  const bool bounded = !ctx.options.bounds.empty();
  if (ctx.options.format() == Format::Json) {
    Json results = Json::array();
    for (const Run& run : runs) results.push_back(json_run(run));
    print_json({{"input", input},
                {"wrt", vars},
                {"from", json_vector(x0)},
                {"gradient_projected", bounded},
                {"results", results}},
               ctx);
    return;
  }
  if (runs.size() == 1)
    print_one(vars, runs.front(), bounded, ctx.streams.out);
  else
    print_table(vars, runs, bounded, ctx.streams.out);
}

void write_trace(const std::string& path, const std::vector<std::string>& vars,
                 const std::vector<Run>& runs) {
  std::ostringstream csv;
  csv << std::setprecision(17) << "method,iteration";
  for (const std::string& v : vars) csv << "," << v;
  csv << ",f,gradient_norm,step\n";
  for (const Run& run : runs)
    for (const optim::Iterate& it : run.result.trace) {
      csv << run.method << "," << it.iteration;
      for (Eigen::Index i = 0; i < it.x.size(); ++i) csv << "," << it.x[i];
      csv << "," << it.f << "," << it.gradient_norm << "," << it.step << "\n";
    }
  write_file_atomically(path, csv.str());
}

void write_minimize_plot(const std::string& path, const std::string& title, const Program& f,
                         const std::vector<std::string>& vars, const std::vector<Run>& runs) {
  if (vars.size() != 2) {
    std::vector<plot::Series> series;
    for (const Run& run : runs) {
      plot::Series s{run.method, {}};
      for (const optim::Iterate& it : run.result.trace) s.values.push_back(it.f);
      series.push_back(std::move(s));
    }
    plot::LossOptions options;
    options.title = title;
    options.y_label = "f";
    options.log_y = positive_throughout(series);
    write_file_atomically(path, plot::loss_plot(series, options));
    return;
  }
  // The picture spans the iterates where f is at most its start plus the
  // run's whole descent (a momentum method's overshoot stays in): a run that
  // diverged (Nesterov to 1e36 on Rosenbrock) set the axes, and the paths
  // that converged shrank to a dot. Its path is drawn up to the edge.
  std::vector<plot::Path> paths;
  Eigen::Vector2d lo = Eigen::Vector2d::Constant(std::numeric_limits<double>::infinity());
  Eigen::Vector2d hi = -lo;
  for (const Run& run : runs) {
    plot::Path p{run.method, {}};
    const std::vector<optim::Iterate>& trace = run.result.trace;
    double best = std::numeric_limits<double>::infinity();
    for (const optim::Iterate& it : trace) best = std::fmin(best, it.f);
    const double start = trace.empty() ? 0 : trace.front().f;
    const double highest = start + std::fabs(start - best);
    for (const optim::Iterate& it : trace) {
      const Eigen::Vector2d q(it.x[0], it.x[1]);
      if (!q.allFinite()) continue;
      p.points.push_back(q);
      if (&it != &trace.front() && !(it.f <= highest)) continue;
      lo = lo.cwiseMin(q);
      hi = hi.cwiseMax(q);
    }
    paths.push_back(std::move(p));
  }
  // A margin of 15% of the iterates' span, and at least a billionth of
  // their magnitude, so that the bounds stay apart in doubles (a margin of
  // 0.5 at x = 1e13 was below the plot's resolution, and at 1e17 below the
  // rounding of x); where they do not spread, half a unit or a tenth of their
  // magnitude. (A margin of at least 0.5 made a path within 1e-3 a dot.)
  Eigen::Vector2d pad;
  for (int i = 0; i < 2; ++i) {
    const double span = hi[i] - lo[i], magnitude = std::fmax(std::fabs(lo[i]), std::fabs(hi[i]));
    pad[i] = span > 0 ? std::fmax(0.15 * span, 1e-9 * magnitude) : std::fmax(0.5, 0.1 * magnitude);
  }
  plot::ContourOptions options;
  options.title = title;
  options.x_label = vars[0];
  options.y_label = vars[1];
  options.arrows = true;
  options.paths = std::move(paths);
  write_file_atomically(
      path, plot::contour_plot(
                plot::Field{[&f](const Eigen::Vector2d& p) { return f.value(p); },
                            [&f](const Eigen::Vector2d& p) { return Eigen::Vector2d(f.gradient(p)); }},
                analysis::Box(lo - pad, hi + pad), options));
}

}  // namespace nabla::cli
