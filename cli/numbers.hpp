// The numeric options of the optimization verbs: --from (a starting point,
// "3,2" in the order of the variables or "x=3,y=2"), --box (one lo:hi per
// variable, "-3:3,-2:2", or one for all), comma lists of method names, and
// the checks of numeric options (counts, rates, seeds) with messages that
// say what is wanted. A malformed option is a ParseError whose caret points
// into its text.
#pragma once

#include <Eigen/Core>
#include <string>
#include <utility>
#include <vector>

#include "nabla/analysis/box.hpp"

namespace CLI {
class Validator;
}

namespace nabla::cli {

/// The starting point for `vars` from --from (empty: zeros).
Eigen::VectorXd parse_from(const std::string& text, const std::vector<std::string>& vars);
/// The box of `option` (--box, --bounds) for `n` variables (empty: `fallback` in every dimension).
analysis::Box parse_box(const std::string& text, std::size_t n, double fallback_lo, double fallback_hi,
                        const char* option = "--box");
/// The --bounds of minimize for `n` variables as (lower, upper): like a box,
/// but an end may be left open (`0:`, `:5`) or written inf, +inf, -inf.
std::pair<Eigen::VectorXd, Eigen::VectorXd> parse_bounds(const std::string& text, std::size_t n);
/// The entries of a comma list, trimmed, empty ones refused.
std::vector<std::string> split_list(const std::string& text, const char* option);

/// The whole-number checks rewrite the text in plain decimal, so give them
/// to an option with ->transform(): CLI11 would read 010 as octal 8.
/// A whole number from 1 to 2^63 - 1 (epochs, batch sizes).
CLI::Validator positive_count();
/// A whole number from 0 to 2^63 - 1 (--max-iter: 0 reports the start, as
/// Python's max_iter=0 and SciPy's maxiter=0 do).
CLI::Validator iteration_limit();
/// A whole number from 1 to 10^6 (critical's --starts, as Python's starts=).
CLI::Validator start_count();
/// A whole number of 0 or more that fits 64 bits (seeds, patience).
CLI::Validator non_negative_count();
/// A finite number above 0 (learning rates, tolerances).
CLI::Validator positive_real();
/// A finite number of 0 or more (penalties).
CLI::Validator non_negative_real();
/// A file name to write, not empty (--save "" saved nothing and did not say so).
CLI::Validator file_name();

}  // namespace nabla::cli
