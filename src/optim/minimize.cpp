// minimize() on a type-erased objective: checks the input and dispatches to
// the method.
#include "nabla/optim/minimize.hpp"

#include "nabla/core/errors.hpp"
#include "search_loop.hpp"

namespace nabla::optim {

Result minimize(Objective& objective, const Eigen::VectorXd& x0, const Options& options) {
  if (x0.size() == 0) throw DimensionError("minimize: x0 is empty");
  if (!x0.allFinite()) throw DomainError("minimize: x0 has a NaN or infinite entry");
  validate(options, x0.size());
  detail::Run run(objective, options);
  const bool bounded = options.lower.size() > 0;
  // Every iterate of a bounded run lies in the box, x0 (iteration 0) too.
  const Eigen::VectorXd start =
      bounded ? Eigen::VectorXd(x0.cwiseMax(options.lower).cwiseMin(options.upper)) : x0;
  switch (options.method) {
    case Method::Newton: {
      auto model = detail::newton_model(run);
      return detail::search_loop(run, *model, start);
    }
    case Method::BFGS: {
      auto model = detail::bfgs_model(x0.size());
      return detail::search_loop(run, *model, start);
    }
    case Method::LBFGS: {
      if (bounded) {
        auto model = detail::lbfgsb_model(options, x0.size());
        return detail::search_loop(run, *model, start);
      }
      auto model = detail::lbfgs_model(x0.size(), options.lbfgs_memory);
      return detail::search_loop(run, *model, start);
    }
    default:
      return detail::first_order(run, start);
  }
}

}  // namespace nabla::optim
