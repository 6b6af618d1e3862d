// The numerical differentiation module, nabla::numdiff: finite differences
// (forward, backward, central, five-point) and the complex step, Richardson
// extrapolation to step zero with honest error bounds (which take f's own
// noise where it exceeds rounding), derivatives, gradients, Jacobians,
// Hessians, and gradient checks against reverse mode.
#pragma once

#include "nabla/numdiff/check_gradient.hpp"
#include "nabla/numdiff/check_gradient_ad.hpp"
#include "nabla/numdiff/complex_step.hpp"
#include "nabla/numdiff/derivative.hpp"
#include "nabla/numdiff/differences.hpp"
#include "nabla/numdiff/multivariate.hpp"
#include "nabla/numdiff/noise.hpp"
#include "nabla/numdiff/options.hpp"
#include "nabla/numdiff/richardson.hpp"
