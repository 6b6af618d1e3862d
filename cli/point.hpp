// The point of --at: "x=1,y=2" (or several --at), each value an expression
// without symbols (x=pi/4 works). A malformed --at is a ParseError whose
// caret points into the --at text; a variable the result needs but the point
// lacks is a UsageError.
#pragma once

#include <Eigen/Core>
#include <string>
#include <utility>
#include <vector>

#include "nabla/sym/expr.hpp"

namespace nabla::cli {

/// The values given by --at, in the order given.
struct Point {
  std::string option = "--at";  ///< the option it came from, for messages
  std::string text;             ///< the options joined with ','
  std::vector<std::pair<std::string, double>> values;
  bool given() const { return !values.empty(); }
};

/// Parses the --at options (none: an empty Point); `option` names them in
/// messages. A value that is not finite is a ParseError.
Point parse_point(const std::vector<std::string>& at, const char* option = "--at");

/// Throws a UsageError for a value of the point that is none of `names` (a
/// typo, or a symbol the input does not have, would be ignored silently).
void require_variables(const Point& point, const std::vector<std::string>& names);
/// The bindings of `names` (each must be in the point).
sym::Bindings bindings(const Point& point, const std::vector<std::string>& names);
/// The bindings of every symbol of es.
sym::Bindings bindings(const Point& point, const std::vector<sym::Expr>& es);
/// The values of `names`, in that order, as a vector.
Eigen::VectorXd vector_at(const Point& point, const std::vector<std::string>& names);
/// "x=1, y=2" for the names given, in that order.
std::string describe(const Point& point, const std::vector<std::string>& names);

}  // namespace nabla::cli
