// nabla::nn in one include: tensors with reverse mode and their operations,
// layers and models, losses, metrics, training and checkpoints.
#pragma once

#include "nabla/nn/checkpoint.hpp"
#include "nabla/nn/layers.hpp"
#include "nabla/nn/losses.hpp"
#include "nabla/nn/metrics.hpp"
#include "nabla/nn/ops.hpp"
#include "nabla/nn/parameters.hpp"
#include "nabla/nn/tape.hpp"
#include "nabla/nn/train.hpp"
