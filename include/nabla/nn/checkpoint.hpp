// Checkpoints of nabla::nn models: the architecture, the parameters (in
// their own precision), the loss, the class values and the standardization
// fitted to the training data, in a versioned binary file written
// atomically (a temporary file in the same folder, synced, then renamed over
// the target: a crash mid-save leaves the previous file whole). A truncated,
// corrupted or foreign file is an IoError that says which.
//
// Layout (little-endian): "NABLAMDL", u32 version (3), u32 byte-order mark
// 0x01020304, u32 scalar bytes (4 or 8), u32 activation, u32 loss, u64 layer
// widths count and i64 widths, u64 parameter count and the parameters, u64
// feature count and f64 means and scales, u64 class count and f64 class
// values, (since version 2) u64 feature name count and the names, then the
// target name, each name a u64 byte count and the bytes, (since version 3)
// i64 target column; then u64 FNV-1a of every byte before it. Version 1
// files, without names, and version 2 files, without the target column
// (read as -1, the last column), are read too.
#pragma once

#include <string>
#include <vector>

#include "nabla/data/dataset.hpp"
#include "nabla/nn/layers.hpp"
#include "nabla/nn/losses.hpp"

namespace nabla::nn {

/// The checkpoint format version this build writes (and the newest it reads).
inline constexpr unsigned checkpoint_version = 3;

/// Everything a checkpoint holds, the parameters in double.
struct Checkpoint {
  std::vector<Eigen::Index> widths;
  Activation activation = Activation::relu;
  Loss loss = Loss::mse;
  int scalar_bytes = 8;  ///< the precision the parameters were trained in
  Eigen::VectorXd parameters;
  data::Standardizer standardizer;   ///< empty when the data was not standardized
  std::vector<double> class_values;  ///< label j stands for class_values[j]
  /// The training file's header names of the model's inputs, in order, and
  /// of its target, so that a new file's columns can be matched by name;
  /// empty when the file had no header.
  std::vector<std::string> feature_names;
  std::string target_name;
  /// The target's 0-based column in the training file, whose columns are
  /// the inputs and the target (0..inputs), so that a file without a
  /// header is read as the model was trained; -1: the last column (files
  /// before version 3, and checkpoints that do not say).
  Eigen::Index target_column = -1;

  /// The model with these parameters, in T.
  template <class T>
  Model<T> model() const;
};

/// A checkpoint of `model` and what it needs for prediction.
template <class T>
Checkpoint make_checkpoint(const Model<T>& model, Loss loss, const data::Standardizer& standardizer = {},
                           std::vector<double> class_values = {});

/// Writes atomically; throws IoError when the file cannot be written, and
/// before writing anything, DimensionError (counts that do not fit the
/// widths: parameters, standardizer, feature names, class values) or
/// DomainError (scalar bytes not 4 or 8, an unknown activation or loss)
/// for fields load_checkpoint would refuse.
void save_checkpoint(const std::string& path, const Checkpoint& checkpoint);
/// Reads and checks a checkpoint; throws IoError for a missing, foreign,
/// newer-version, truncated or corrupted file.
Checkpoint load_checkpoint(const std::string& path);

}  // namespace nabla::nn
