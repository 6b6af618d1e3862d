// The hello module: square(x) = x^2 and double(x) = d square / dx = 2x, the
// latter by nabla's forward mode.
#include "json_io.hpp"
#include "module.hpp"
#include "nabla/ad/drivers.hpp"
#include "nabla/core/errors.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

namespace {

template <class T>
T square(const T& x) {
  return x * x;
}

double read_number(const Json& input) {
  if (!input.is_number())
    throw InputError(std::string("hello: the input must be a number, got ") + input.type_name());
  return input.get<double>();
}

Evaluation run_square(const Json& input) {
  const double x = read_number(input);
  double y = 0;
  auto times = repeat(read_runs(input), [&] { y = square(x); });
  return {y, std::move(times)};
}

Evaluation run_double(const Json& input) {
  const double x = read_number(input);
  double y = 0;
  auto times =
      repeat(read_runs(input), [&] { y = nabla::derivative([](const auto& v) { return square(v); }, x); });
  return {y, std::move(times)};
}

}  // namespace

Module hello_module() { return Module{{{"square", run_square}, {"double", run_double}}}; }

}  // namespace nabla::gradbench
