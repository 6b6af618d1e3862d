// `nabla plot`: the contours of an expression of two variables over --box,
// with gradient arrows (--gradient), its critical points (--critical) and
// the paths of optimizers from --from (--paths gd,momentum,adam,lbfgs), as
// SVG on stdout or to -o FILE; one expression per run.
#include <CLI/CLI.hpp>
#include <ostream>

#include "common.hpp"
#include "input.hpp"
#include "minimize_output.hpp"
#include "nabla/analysis/critical_points.hpp"
#include "nabla/core/files.hpp"
#include "nabla/optim/minimize.hpp"
#include "nabla/optim/program_objective.hpp"
#include "nabla/plot/figure.hpp"
#include "nabla/sym/evaluate.hpp"
#include "numbers.hpp"
#include "verb_util.hpp"

namespace nabla::cli {
namespace {

std::vector<plot::Path> optimizer_paths(const Program& program, const Options& o,
                                        const std::vector<std::string>& vars) {
  std::vector<plot::Path> paths;
  if (o.paths.empty()) return paths;
  const Eigen::VectorXd x0 = parse_from(o.from, vars);
  const std::vector<std::string> methods = split_list(o.paths, "--paths");
  require_learning_rate_used(o, methods, "--paths");
  for (const std::string& method : methods) {
    optim::Options options = optimizer_options(o, x0, method);
    options.keep_trace = true;
    optim::ProgramObjective objective(program);
    const optim::Result r = optim::minimize(objective, x0, options);
    plot::Path p{method, {}};
    for (const optim::Iterate& it : r.trace)
      if (it.x.allFinite()) p.points.emplace_back(it.x[0], it.x[1]);
    paths.push_back(std::move(p));
  }
  return paths;
}

int run_plot(const std::string& input, const Context& ctx) {
  const Options& o = ctx.options;
  if (o.format() == Format::Json && o.output_path.empty())
    throw UsageError(
        "plot: --json describes the file written with -o; without -o the SVG itself goes to stdout");
  const sym::Expr f = parse_one(input);
  const std::vector<std::string> vars = variables(o, {f});
  if (vars.size() != 2)
    throw UsageError("plot: draws functions of two variables, this one has " + std::to_string(vars.size()) +
                     " (minimize --plot draws loss curves for any number)");
  const analysis::Box box = parse_box(o.box, 2, -3.0, 3.0);
  require_variables_cover(f, vars, "plot");
  const Program program = sym::compile(f, vars);
  plot::ContourOptions options;
  options.title = input;
  options.x_label = vars[0];
  options.y_label = vars[1];
  options.arrows = o.arrows;
  options.paths = optimizer_paths(program, o, vars);
  // In the order of the plot's axes (--wrt), not the alphabetical one.
  if (o.critical)
    options.critical_points = analysis::critical_points(f, {sym::symbol(vars[0]), sym::symbol(vars[1])}, box);
  const std::string svg = plot::contour_plot(
      plot::Field{[&program](const Eigen::Vector2d& p) { return program.value(p); },
                  [&program](const Eigen::Vector2d& p) { return Eigen::Vector2d(program.gradient(p)); }},
      box, options);
  if (o.output_path.empty()) {
    ctx.streams.out << svg;
  } else {
    write_file_atomically(o.output_path, svg);
    if (o.format() == Format::Json)
      print_json({{"input", input}, {"wrt", vars}, {"output", o.output_path}}, ctx);
    else
      ctx.streams.out << "wrote " << o.output_path << "\n";
  }
  return kExitOk;
}

}  // namespace

Verb plot_verb() {
  Verb v;
  v.name = "plot";
  v.summary = "Contours, gradient arrows and optimizer paths as SVG";
  v.examples =
      "Examples:\n"
      "  nabla plot \"x^2 + 2*y^2\" --box -3:3,-3:3 --gradient -o bowl.svg\n"
      "  nabla plot \"100*(y - x^2)^2 + (1 - x)^2\" --box -2:2,-1:3 --paths gd,momentum,adam,lbfgs \\\n"
      "             --from -1.2,1 --lr 0.001 -o rosenbrock.svg\n"
      "  nabla plot \"x^3 - 3*x + y^2\" --critical -o critical.svg\n"
      "Without -o the SVG goes to stdout; with -o, --json prints what was written as JSON.\n"
      "The box defaults to -3:3 in both variables.\n"
      "One expression per run: an SVG holds one picture.";
  v.add_options = [](CLI::App& app, Options& o) {
    app.add_option("--box", o.box, "The region: lo:hi per variable, or one for both (default -3:3)");
    app.add_flag("--gradient", o.arrows, "Draw gradient arrows");
    app.add_flag("--critical", o.critical, "Mark the critical points by kind");
    CLI::Option* paths =
        app.add_option("--paths", o.paths, "Optimizers whose paths to draw from --from (comma list)");
    // Each of these sets the paths: without --paths it would be ignored.
    app.add_option("--from", o.from, "The paths' start: 3,2 or x=3,y=2")->needs(paths);
    app.add_option("--lr", o.learning_rate, "Learning rate of the first-order methods")
        ->check(positive_real())
        ->needs(paths);
    app.add_option("--max-iter", o.max_iterations, "Most iterations per path (default 1000)")
        ->transform(iteration_limit())
        ->needs(paths);
    app.add_option("-o,--output", o.output_path, "Write the SVG here (default: stdout)")->check(file_name());
  };
  v.run = run_plot;
  v.takes_at = v.takes_code = false;
  v.one_input = [](const Options&) { return std::string("its output is one SVG document"); };
  return v;
}

}  // namespace nabla::cli
