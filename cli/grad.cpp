// `nabla grad`: the gradient of an expression as a vector of expressions,
// one entry per variable (--wrt, or every symbol in alphabetical order).
#include <CLI/CLI.hpp>
#include <ostream>

#include "common.hpp"
#include "input.hpp"
#include "nabla/sym/diff.hpp"
#include "output.hpp"
#include "verb_util.hpp"

namespace nabla::cli {
namespace {

int run_grad(const std::string& input, const Context& ctx) {
  const Options& o = ctx.options;
  const sym::Expr f = parse_one(input);
  const std::vector<std::string> vars = variables(o, {f});
  const std::vector<sym::Expr> g = sym::gradient(f, vars);
  std::vector<double> value;
  std::string why;
  if (ctx.point.given()) value = derivative_values_at(g, {f}, ctx, why);
  if (o.format() == Format::Json) {
    Json j = {{"input", input}, {"wrt", vars}, {"gradient", json_exprs(g)}};
    if (ctx.point.given()) {
      j["at"] = json_point(ctx.point);
      Json values = Json::array();
      for (double x : value) values.push_back(json_number(x));
      j["value"] = values;
      if (!why.empty()) j["nan"] = why;
    }
    print_json(j, ctx);
    return kExitOk;
  }
  ctx.streams.out << render(g, o.format(), "d" + ctx.numbered("f") + "_d", vars, symbol_names({f}, vars), &f)
                  << "\n";
  if (ctx.point.given()) ctx.streams.out << numbers(value) << "\n";
  return kExitOk;
}

}  // namespace

Verb grad_verb() {
  Verb v;
  v.name = "grad";
  v.summary = "Gradient of an expression";
  v.examples =
      "Examples:\n"
      "  nabla grad \"x^2*y + exp(x*y)\"           [2*x*y + y*exp(x*y), x^2 + x*exp(x*y)]\n"
      "  nabla grad \"x^2 + y^2\" --at x=1,y=2      [2*x, 2*y], then [2, 4]\n"
      "  nabla grad \"a*x + b\" --wrt a,b           [x, 1]\n"
      "  nabla grad \"x*y\" --json\n"
      "Entries follow --wrt, or the symbols in alphabetical order.";
  v.add_options = [](CLI::App&, Options&) {};
  v.run = run_grad;
  return v;
}

}  // namespace nabla::cli
