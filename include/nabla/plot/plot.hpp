// nabla::plot: SVG pictures of functions, gradients, optimizer paths,
// critical points and loss curves.
#pragma once

#include "nabla/plot/contour.hpp"
#include "nabla/plot/figure.hpp"
#include "nabla/plot/svg.hpp"
#include "nabla/plot/ticks.hpp"
