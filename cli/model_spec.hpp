// What the training verbs share: the data as `train` prepares it (read,
// labels encoded, split, standardized), the model --model names
// (linear, logistic, mlp:128[,64]), the training options, and the
// checkpoint's view of a new file for predict and evaluate.
#pragma once

#include <string>
#include <vector>

#include "common.hpp"
#include "nabla/data/dataset.hpp"
#include "nabla/nn/checkpoint.hpp"
#include "nabla/nn/train.hpp"

namespace CLI {
class App;
}

namespace nabla::cli {

/// The data of a training run.
struct Prepared {
  data::Split split;                 ///< standardized, labels 0..k-1 for classification
  data::Standardizer standardizer;   ///< fitted on the training rows
  std::vector<double> class_values;  ///< label j stands for class_values[j] (classification)
  nn::Loss loss = nn::Loss::mse;     ///< --loss, or the model's natural one
};

/// The checkpoint of a trained model, with the training file's column names
/// when it had a header.
nn::Checkpoint checkpoint_of(const nn::Model<double>& model, nn::Loss loss, const Prepared& p);

/// Reads, encodes, splits and standardizes the file as the options say.
Prepared prepare(const std::string& path, const Options& o);
/// The model of --model for the prepared data.
nn::Model<double> make_model(const Prepared& p, const Options& o);
/// The training options of the command line.
nn::TrainOptions train_options(const Prepared& p, const Options& o);
/// --model, --activation, --loss, --optimizer, --lr, ... (train).
void add_train_options(CLI::App& app, Options& o);
/// --target and --header (train, predict, evaluate).
void add_data_options(CLI::App& app, Options& o);

/// The checkpoint's predictions (class values or values) for a file's rows.
std::vector<double> predict_file(const nn::Checkpoint& c, const std::string& path, const Options& o);
/// The checkpoint's loss and metrics on a file with targets.
struct Scored {
  long rows = 0;
  nn::Evaluation evaluation;
};
Scored evaluate_file(const nn::Checkpoint& c, const std::string& path, const Options& o);

}  // namespace nabla::cli
