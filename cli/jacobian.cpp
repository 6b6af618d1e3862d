// `nabla jacobian`: the Jacobian of several expressions (comma-separated at
// top level, or several arguments), one row per expression.
#include <CLI/CLI.hpp>

#include "common.hpp"
#include "input.hpp"
#include "matrix_output.hpp"
#include "nabla/sym/diff.hpp"
#include "verb_util.hpp"

namespace nabla::cli {
namespace {

int run_jacobian(const std::string& input, const Context& ctx) {
  const std::vector<sym::Expr> fs = parse_list(input);
  const std::vector<std::string> vars = variables(ctx.options, fs);
  const sym::ExprMatrix j = sym::jacobian(fs, vars);
  return print_matrix(input, "jacobian", ctx.numbered("J"), j, fs, vars, symbol_names(fs, vars), ctx);
}

}  // namespace

Verb jacobian_verb() {
  Verb v;
  v.name = "jacobian";
  v.summary = "Jacobian of several expressions";
  v.examples =
      "Examples:\n"
      "  nabla jacobian \"x*y, x + y\"               [y, x] / [1, 1]\n"
      "  nabla jacobian \"x*y\" \"x + y\"              the same, one expression per argument\n"
      "  nabla jacobian \"r*cos(t), r*sin(t)\" --wrt r,t --at r=2,t=0\n"
      "One row per expression, one column per variable (--wrt, or alphabetical).\n"
      "On stdin, each line is one comma-separated list.";
  v.add_options = [](CLI::App&, Options&) {};
  v.run = run_jacobian;
  v.join_arguments = true;
  return v;
}

}  // namespace nabla::cli
