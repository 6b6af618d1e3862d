// nabla::analysis: critical points and their classification, polynomial
// roots, convexity on a box, and the gradient's orthogonality to level sets.
#pragma once

#include "nabla/analysis/box.hpp"
#include "nabla/analysis/convexity.hpp"
#include "nabla/analysis/critical_points.hpp"
#include "nabla/analysis/level_set.hpp"
#include "nabla/analysis/polynomial.hpp"
