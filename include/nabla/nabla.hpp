// The umbrella header: everything public in nabla.
#pragma once

#include "nabla/core/eigen.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/core/primitives.hpp"
#include "nabla/core/functions.hpp"
#include "nabla/ad/dual.hpp"
#include "nabla/ad/tape.hpp"
#include "nabla/ad/var.hpp"
#include "nabla/ad/drivers.hpp"
#include "nabla/ad/reductions.hpp"
