// What `nabla minimize` prints and writes: the result of each method (a
// paragraph for one, a table for several, or JSON), the CSV trace of every
// iterate, and the picture of the runs.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "common.hpp"
#include "nabla/ad/program.hpp"
#include "nabla/optim/options.hpp"
#include "nabla/optim/result.hpp"

namespace nabla::cli {

/// One method's run.
struct Run {
  std::string method;
  optim::Result result;
};

/// Throws a UsageError when --lr is given but none of `methods` (the list of
/// `option`) takes a learning rate: newton, bfgs and lbfgs choose their steps
/// by a line search, and the value would be ignored.
void require_learning_rate_used(const Options& o, const std::vector<std::string>& methods,
                                const char* option);

/// The optimizer options of the command line for `method` (--lr,
/// --max-iter, --bounds; the trace kept when --trace or --plot asks for it).
optim::Options optimizer_options(const Options& o, const Eigen::VectorXd& x0, const std::string& method);
/// The results on stdout, as the format asks.
void print_runs(const std::string& input, const std::vector<std::string>& vars, const Eigen::VectorXd& x0,
                const std::vector<Run>& runs, const Context& ctx);
/// method,iteration,<vars...>,f,gradient_norm,step: one row per iterate.
void write_trace(const std::string& path, const std::vector<std::string>& vars, const std::vector<Run>& runs);
/// The paths over the contours of f (two variables) or the loss curves.
void write_minimize_plot(const std::string& path, const std::string& title, const Program& f,
                         const std::vector<std::string>& vars, const std::vector<Run>& runs);

}  // namespace nabla::cli
