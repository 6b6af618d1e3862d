// The umbrella header: everything public in nabla.
#pragma once

#include "nabla/ad/drivers.hpp"
#include "nabla/ad/dual.hpp"
#include "nabla/ad/program.hpp"
#include "nabla/ad/reductions.hpp"
#include "nabla/ad/tape.hpp"
#include "nabla/ad/var.hpp"
#include "nabla/analysis/analysis.hpp"
#include "nabla/core/eigen.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/core/functions.hpp"
#include "nabla/core/primitives.hpp"
#include "nabla/numdiff/numdiff.hpp"
#include "nabla/plot/plot.hpp"
#include "nabla/sym/sym.hpp"
