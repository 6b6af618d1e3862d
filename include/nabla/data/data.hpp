// nabla::data in one include: datasets, standardization, splits, the CSV loader.
#pragma once

#include "nabla/data/csv.hpp"
#include "nabla/data/dataset.hpp"
