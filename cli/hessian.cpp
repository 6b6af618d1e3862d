// `nabla hessian`: the Hessian of an expression, one row per variable.
#include <CLI/CLI.hpp>

#include "common.hpp"
#include "input.hpp"
#include "matrix_output.hpp"
#include "nabla/sym/diff.hpp"
#include "verb_util.hpp"

namespace nabla::cli {
namespace {

int run_hessian(const std::string& input, const Context& ctx) {
  const sym::Expr f = parse_one(input);
  const std::vector<std::string> vars = variables(ctx.options, {f});
  // n^2 entries of a node at least: past 2^20 the output is refused anyway
  // (output.hpp), so refuse before building them (5000 variables took 10 s)
  if (vars.size() > 1024)
    throw UsageError("the Hessian of " + std::to_string(vars.size()) + " variables is " +
                     std::to_string(vars.size() * vars.size()) +
                     " entries, more than 2^20 nodes written out; ask for fewer variables (--wrt)");
  const sym::ExprMatrix h = sym::hessian(f, vars);
  return print_matrix(input, "hessian", ctx.numbered("H"), h, {f}, vars, symbol_names({f}, vars), ctx);
}

}  // namespace

Verb hessian_verb() {
  Verb v;
  v.name = "hessian";
  v.summary = "Hessian of an expression";
  v.examples =
      "Examples:\n"
      "  nabla hessian \"x^2*y + y^3\"               [2*y, 2*x] / [2*x, 6*y]\n"
      "  nabla hessian \"(1 - x)^2 + 100*(y - x^2)^2\" --at x=1,y=1\n"
      "  nabla hessian \"x*y*z\" --wrt x,y --latex\n"
      "One row and one column per variable (--wrt, or alphabetical).";
  v.add_options = [](CLI::App&, Options&) {};
  v.run = run_hessian;
  return v;
}

}  // namespace nabla::cli
