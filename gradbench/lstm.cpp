// The lstm module: objective and jacobian (the gradient by reverse mode,
// main_params then extra_params, rows one after the other).
#include "lstm.hpp"

#include <algorithm>

#include "json_io.hpp"
#include "module.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

Lstm::Lstm(LstmInput input) : in_(std::move(input)), g_(in_.theta.size()) {
  wd_.resize(in_);
  wv_.resize(in_);
}

double Lstm::objective() { return lstm_objective(in_, in_.theta.data(), wd_); }

const std::vector<double>& Lstm::gradient() {
  std::fill(g_.begin(), g_.end(), 0.0);
  reverse_.accumulate(in_.theta.data(), in_.theta.size(), g_.data(),
                      [&](const Var* theta) { return lstm_objective(in_, theta, wv_); });
  return g_;
}

namespace {

LstmInput read_input(const Json& input) {
  constexpr std::size_t any = static_cast<std::size_t>(-1);
  LstmInput in;
  std::size_t rows = 0, cols = 0;
  std::vector<double> main = read_rows(input, "main_params", any, any, &rows, &cols);
  if (rows == 0 || rows % 2 != 0 || cols == 0 || cols % 4 != 0)
    throw InputError("lstm: main_params must have 2l rows of 4b numbers");
  in.l = rows / 2;
  in.b = cols / 4;
  std::vector<double> extra = read_rows(input, "extra_params", 3, in.b);
  in.state = read_rows(input, "state", 2 * in.l, in.b);
  in.sequence = read_rows(input, "sequence", any, in.b, &rows);
  in.c = rows;
  if (in.c < 2) throw InputError("lstm: the sequence needs at least 2 characters");
  in.theta = std::move(main);
  in.theta.insert(in.theta.end(), extra.begin(), extra.end());
  return in;
}

Evaluation run_objective(const Json& input) {
  Lstm lstm(read_input(input));
  double y = 0;
  auto times = repeat(read_runs(input), [&] { y = lstm.objective(); });
  return {y, std::move(times)};
}

Evaluation run_jacobian(const Json& input) {
  Lstm lstm(read_input(input));
  const std::vector<double>* g = nullptr;
  auto times = repeat(read_runs(input), [&] { g = &lstm.gradient(); });
  return {*g, std::move(times)};
}

}  // namespace

Module lstm_module() { return Module{{{"objective", run_objective}, {"jacobian", run_jacobian}}}; }

}  // namespace nabla::gradbench
