// `nabla diff`: the derivative of an expression (n-th with --order, a mixed
// partial with several --wrt), printed alone on its line in the syntax the
// parser reads (or LaTeX, C, JSON); with --at, its value on the next line.
#include "nabla/sym/diff.hpp"

#include <CLI/CLI.hpp>
#include <ostream>

#include "common.hpp"
#include "input.hpp"
#include "nabla/sym/print.hpp"
#include "output.hpp"
#include "verb_util.hpp"

namespace nabla::cli {
namespace {

std::string join(const std::vector<std::string>& names, const char* sep) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : sep) + n;
  return s;
}

int run_diff(const std::string& input, const Context& ctx) {
  const Options& o = ctx.options;
  const sym::Expr f = parse_one(input);
  const std::vector<std::string> vars = variables(o, {f}, Repeats::Allowed);  // x,x: d2/dx2
  if (o.order < 0 || o.order > 100) throw UsageError("--order must be between 0 and 100");
  if (o.wrt.empty() && vars.size() > 1)
    throw UsageError("'" + input + "' has several symbols (" + join(vars, ", ") + "): choose one with --wrt");
  if (vars.size() > 1 && o.order != 1)
    throw UsageError("--order needs a single --wrt (for a mixed partial, repeat --wrt)");
  sym::Expr d = o.order == 0 ? f : sym::Expr(0);
  if (vars.size() == 1) d = sym::diff(f, sym::symbol(vars.front()), o.order, sym::kMostDerivativeNodes);
  if (vars.size() > 1) d = sym::diff(f, sym::to_symbols(vars));

  std::string label = vars.empty() ? "x" : join(vars, "_d");
  if (o.order > 1) label += std::to_string(o.order);
  std::vector<double> value;
  std::string why;
  if (ctx.point.given()) value = derivative_values_at({d}, {f}, ctx, why);
  if (o.format() == Format::Json) {
    Json j = {{"input", input}, {"wrt", vars}, {"order", o.order}, {"derivative", expression_text(d)}};
    if (ctx.point.given()) {
      j["at"] = json_point(ctx.point);
      j["value"] = json_number(value.front());
      if (!why.empty()) j["nan"] = why;
    }
    print_json(j, ctx);
    return kExitOk;
  }
  ctx.streams.out << render(d, o.format(), "d" + ctx.numbered("f") + "_d" + label, symbol_names({f}, vars),
                            &f)
                  << "\n";
  if (ctx.point.given()) ctx.streams.out << number(value.front()) << "\n";
  return kExitOk;
}

}  // namespace

Verb diff_verb() {
  Verb v;
  v.name = "diff";
  v.summary = "Differentiate an expression";
  v.examples =
      "Examples:\n"
      "  nabla diff \"x^4 - 4*x^3 + 4*x^2\"         4*x^3 - 12*x^2 + 8*x\n"
      "  nabla diff \"sin(x*y)\" --wrt y            x*cos(x*y)\n"
      "  nabla diff \"exp(2*x)\" --order 3          8*exp(2*x)\n"
      "  nabla diff \"x^2*y^3\" --wrt x --wrt y     the mixed partial 6*x*y^2\n"
      "  nabla diff \"log(x)\" --at x=2             1/x, then its value 0.5\n"
      "  echo \"x^3\" | nabla diff --latex          3 x^{2}\n"
      "The derivative is printed alone on its line in the syntax the parser reads.";
  v.add_options = [](CLI::App& app, Options& o) {
    app.add_option("--order", o.order, "Order of the derivative (default 1)");
  };
  v.run = run_diff;
  return v;
}

}  // namespace nabla::cli
