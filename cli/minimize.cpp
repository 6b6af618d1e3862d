// `nabla minimize`: minimizes an expression from --from by one or several
// methods of nabla::optim (--method gd,adam,lbfgs compares them in a table),
// on the expression compiled to a Program: gradients by its reverse sweep,
// Newton's Hessian by forward over reverse. --trace writes every iterate as
// CSV, --plot draws the paths over the contours (two variables) or the loss
// curves (any other number).
#include "nabla/optim/minimize.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "common.hpp"
#include "input.hpp"
#include "minimize_output.hpp"
#include "nabla/optim/program_objective.hpp"
#include "nabla/sym/evaluate.hpp"
#include "numbers.hpp"
#include "progress.hpp"
#include "verb_util.hpp"

namespace nabla::cli {
namespace {

/// Whether two paths name one file (the SVG would replace the trace), also as ./a and a.
bool same_file(const std::string& a, const std::string& b) {
  std::error_code error_a;
  std::error_code error_b;
  const auto canonical_a = std::filesystem::weakly_canonical(std::filesystem::absolute(a), error_a);
  const auto canonical_b = std::filesystem::weakly_canonical(std::filesystem::absolute(b), error_b);
  return a == b || (!error_a && !error_b && canonical_a == canonical_b);
}

int run_minimize(const std::string& input, const Context& ctx) {
  const Options& o = ctx.options;
  const sym::Expr f = parse_one(input);
  const std::vector<std::string> vars = variables(o, {f});
  if (vars.empty()) throw UsageError("minimize: the expression has no variable");
  const Eigen::VectorXd x0 = parse_from(o.from, vars);
  require_variables_cover(f, vars, "minimize");
  const Program program = sym::compile(f, vars);
  const std::vector<std::string> methods = split_list(o.methods, "--method");
  require_learning_rate_used(o, methods, "--method");
  if (!o.trace_path.empty() && !o.plot_path.empty() && same_file(o.trace_path, o.plot_path))
    throw UsageError("--trace and --plot name the same file '" + o.trace_path + "': give each its own");

  std::vector<Run> runs;
  for (const std::string& method : methods) {
    optim::Options options = optimizer_options(o, x0, method);
    Progress progress(ctx.streams.err);
    options.callback = [&](const optim::Iterate& it) {
      std::ostringstream line;
      line << "minimize " << method << ": iteration " << it.iteration << ", f = " << std::setprecision(6)
           << it.f << ", |grad f| = " << it.gradient_norm;
      progress.update(line.str());
      return true;
    };
    optim::ProgramObjective objective(program);
    runs.push_back({method, optim::minimize(objective, x0, options)});
  }
  // The results first: a file that cannot be written, or a picture that
  // cannot be drawn, fails the run but keeps what it found on stdout.
  print_runs(input, vars, x0, runs, ctx);
  if (!o.trace_path.empty()) write_trace(o.trace_path, vars, runs);
  if (!o.plot_path.empty()) write_minimize_plot(o.plot_path, input, program, vars, runs);
  return kExitOk;
}

}  // namespace

Verb minimize_verb() {
  Verb v;
  v.name = "minimize";
  v.summary = "Minimize an expression (gradient descent to L-BFGS)";
  v.examples =
      "Examples:\n"
      "  nabla minimize \"(x-5)^2 + (y-3)^2 + x*y\" --from 1,1\n"
      "  nabla minimize \"100*(y - x^2)^2 + (1 - x)^2\" --from -1.2,1 --method gd,adam,bfgs,lbfgs\n"
      "  nabla minimize \"x^2 + 2*y^2\" --from 3,2 --method gd --lr 0.1 --max-iter 2 --json\n"
      "  nabla minimize \"(x-2)^2\" --from 0 --bounds 3:5                 (L-BFGS-B: x = 3)\n"
      "  nabla minimize \"x^4 - 3*x*y + y^2\" --from 1,1 --trace t.csv --plot paths.svg\n"
      "Methods: gd, momentum, nesterov, adagrad, rmsprop, adam, adamw, newton, bfgs, lbfgs.\n"
      "--from gives the start in the order of the variables (default: all 0).";
  v.add_options = [](CLI::App& app, Options& o) {
    app.add_option("--from", o.from, "Starting point: 3,2 (in variable order) or x=3,y=2");
    app.add_option("--method", o.methods, "Method, or a comma list to compare (default lbfgs)");
    app.add_option("--lr", o.learning_rate, "Learning rate of the first-order methods (default 0.01)")
        ->check(positive_real());
    app.add_option("--max-iter", o.max_iterations, "Most iterations (default 1000)")
        ->transform(iteration_limit());
    app.add_option(
        "--bounds", o.bounds,
        "Box bounds lo:hi per variable (or one for all); an end left open (0:) or inf is unbounded");
    app.add_option("--trace", o.trace_path, "Write every iterate to this CSV file")->check(file_name());
    app.add_option("--plot", o.plot_path,
                   "Draw the paths (2 variables) or loss curves (log axis; linear where f reaches 0) to this "
                   "SVG file")
        ->check(file_name());
  };
  v.run = run_minimize;
  v.takes_at = v.takes_code = false;  // it starts at --from
  v.one_input = [](const Options& o) {
    return o.plot_path.empty() && o.trace_path.empty() ? std::string()
                                                       : std::string("--plot and --trace write one file");
  };
  return v;
}

}  // namespace nabla::cli
