// `nabla critical`: the critical points of an expression in a box (--box,
// default -10:10 in every variable), each classified as a minimum, maximum,
// saddle or inconclusive: by the Hessian's eigenvalues, and where it is
// singular by f's values around the point (nabla::analysis). A polynomial in
// one variable gets every real critical point (companion matrix); anything
// else is searched by multi-start Newton (nabla::analysis). A point that
// stands for a connected set of critical points (a line or curve of them)
// says how far the set reaches; an isolated point never does.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "common.hpp"
#include "input.hpp"
#include "nabla/analysis/critical_points.hpp"
#include "nabla/analysis/polynomial.hpp"
#include "numbers.hpp"
#include "output.hpp"
#include "verb_util.hpp"

namespace nabla::cli {
namespace {

std::string number_text(double v) {
  std::ostringstream out;
  out << std::setprecision(10) << (v == 0 ? 0.0 : v);  // no "-0"
  return out.str();
}

Json json_point_of(const analysis::CriticalPoint& p) {
  Json x = Json::array(), eig = Json::array();
  for (Eigen::Index i = 0; i < p.x.size(); ++i) x.push_back(json_number(p.x[i]));
  for (Eigen::Index i = 0; i < p.eigenvalues.size(); ++i) eig.push_back(json_number(p.eigenvalues[i]));
  return {{"kind", std::string(analysis::to_string(p.kind))},
          {"x", x},
          {"f", json_number(p.f)},
          {"gradient_norm", json_number(p.gradient_norm)},
          {"hessian_eigenvalues", eig},
          {"set_extent", json_number(p.set_extent)},
          {"flat", p.flat}};
}

int run_critical(const std::string& input, const Context& ctx) {
  const Options& o = ctx.options;
  const sym::Expr f = parse_one(input);
  const std::vector<std::string> symbols = symbol_names({f});
  if (symbols.empty()) throw UsageError("critical: the expression has no variable");
  // --wrt orders the variables (the box's dimensions and each point's
  // coordinates); it names every one of them, as a point has all of them
  std::vector<std::string> vars = symbols;
  if (!o.wrt.empty()) {
    std::vector<std::string> sorted = o.wrt;
    std::sort(sorted.begin(), sorted.end());
    if (sorted != symbols)
      throw UsageError("critical: --wrt orders the expression's variables (" + joined_names(symbols) +
                       "): it names each of them once");
    vars = o.wrt;
  }
  const analysis::Box box = parse_box(o.box, vars.size(), -10.0, 10.0);
  analysis::CriticalOptions options;
  options.start_count = o.starts;
  std::vector<sym::Expr> var_exprs;
  for (const std::string& name : vars) var_exprs.push_back(sym::symbol(name));
  const std::vector<analysis::CriticalPoint> points = analysis::critical_points(f, var_exprs, box, options);
  // Points about as many as the starts may have others between them (400
  // starts found 977 of the 1301 of sin(4x) sin(4y) over -10:10); a
  // polynomial in one variable gets every one.
  const bool exact = vars.size() == 1 && analysis::polynomial_degree(f, sym::symbol(vars[0])).has_value();
  const bool dense = !exact && 2 * points.size() >= static_cast<std::size_t>(o.starts);

  if (o.format() == Format::Json) {
    Json list = Json::array(), b = Json::array();
    for (const auto& p : points) list.push_back(json_point_of(p));
    for (Eigen::Index i = 0; i < box.dimension(); ++i) b.push_back({box.lo[i], box.hi[i]});
    print_json({{"input", input},
                {"wrt", vars},
                {"box", b},
                {"starts", o.starts},
                {"maybe_incomplete", dense},
                {"points", list}},
               ctx);
    return kExitOk;
  }
  std::ostream& out = ctx.streams.out;
  if (points.empty()) out << "no critical point in the box\n";
  for (const auto& p : points) {
    out << std::left << std::setw(13) << analysis::to_string(p.kind);
    for (std::size_t i = 0; i < vars.size(); ++i)
      out << (i ? ", " : "") << vars[i] << " = " << number_text(p.x[static_cast<Eigen::Index>(i)]);
    out << "   f = " << number_text(p.f) << "   Hessian eigenvalues";
    for (Eigen::Index i = 0; i < p.eigenvalues.size(); ++i) out << " " << number_text(p.eigenvalues[i]);
    std::vector<std::string> notes;
    if (p.set_extent > 0)
      notes.push_back("one of a set of critical points reaching " + number_text(p.set_extent));
    if (p.flat)
      notes.push_back(
          "f is exactly flat around it as computed: a plateau, or where f or its slope underflowed");
    for (std::size_t i = 0; i < notes.size(); ++i) out << (i ? "; " : "   (") << notes[i];
    if (!notes.empty()) out << ")";
    out << "\n";
  }
  if (dense)
    out << "note: " << points.size() << " points from " << o.starts
        << " starts: where they lie this densely others may lie between the starts, unfound; --starts "
        << std::min(10 * static_cast<long>(o.starts), 1000000L) << " looks closer\n";
  return kExitOk;
}

}  // namespace

Verb critical_verb() {
  Verb v;
  v.name = "critical";
  v.summary = "Critical points of an expression, classified";
  v.examples =
      "Examples:\n"
      "  nabla critical \"x^4 - 4*x^3 + 4*x^2\"          minima at 0 and 2, a maximum at 1\n"
      "  nabla critical \"x^3 - 3*x + y^2\" --box -3:3,-3:3\n"
      "  nabla critical \"x^3 - 3*x*y^2\"                  a saddle where the Hessian vanishes\n"
      "  nabla critical \"x^4 + y^4\" --json               a minimum where it vanishes\n"
      "  nabla critical \"x^2*y\" --wrt y,x --box -1:1,-2:2   the box and points in y, x order\n"
      "The box defaults to -10:10 in every variable; its dimensions are the variables\n"
      "in alphabetical order unless --wrt orders them. Where the Hessian is singular,\n"
      "f's values on small spheres around the point decide: saddle when some are\n"
      "below and some above f at every radius, minimum (maximum) when all are above\n"
      "(below); a numeric verdict, and inconclusive when they are within rounding or\n"
      "the point stands for a curve of them.";
  v.add_options = [](CLI::App& app, Options& o) {
    app.add_option("--box", o.box, "Where to look: lo:hi per variable, or one for all (default -10:10)");
    app.add_option("--starts", o.starts,
                   "How many Newton runs start spread over the box (default 400; more find points that lie "
                   "densely)")
        ->transform(start_count());
  };
  v.run = run_critical;
  v.takes_at = v.takes_code = false;
  return v;
}

}  // namespace nabla::cli
