// `nabla simplify`: an expression in simplest canonical form; with --at,
// its value on the next line.
#include "nabla/sym/simplify.hpp"

#include <CLI/CLI.hpp>
#include <ostream>

#include "common.hpp"
#include "input.hpp"
#include "nabla/sym/print.hpp"
#include "output.hpp"
#include "verb_util.hpp"

namespace nabla::cli {
namespace {

int run_simplify(const std::string& input, const Context& ctx) {
  const sym::Expr f = parse_one(input);
  const sym::Expr s = sym::simplify(f);
  std::vector<double> value;
  std::string why;
  if (ctx.point.given()) value = values_at({s}, ctx, why);
  if (ctx.options.format() == Format::Json) {
    Json j = {{"input", input}, {"simplified", expression_text(s)}};
    if (ctx.point.given()) {
      j["at"] = json_point(ctx.point);
      j["value"] = json_number(value.front());
      if (!why.empty()) j["nan"] = why;
    }
    print_json(j, ctx);
    return kExitOk;
  }
  ctx.streams.out << render(s, ctx.options.format(), ctx.numbered("f"), symbol_names({f})) << "\n";
  if (ctx.point.given()) ctx.streams.out << number(value.front()) << "\n";
  return kExitOk;
}

}  // namespace

Verb simplify_verb() {
  Verb v;
  v.name = "simplify";
  v.summary = "Simplify an expression";
  v.examples =
      "Examples:\n"
      "  nabla simplify \"2*x + 3*x\"              5*x\n"
      "  nabla simplify \"x*x*y/y\"                x^2\n"
      "  nabla simplify \"sin(0) + exp(log(x))\"   x\n"
      "  nabla simplify \"(x + 1)^2\" --latex";
  v.add_options = [](CLI::App&, Options&) {};
  v.run = run_simplify;
  v.takes_wrt = false;
  return v;
}

}  // namespace nabla::cli
