// `nabla train`, `nabla predict`, `nabla evaluate`: models of nabla::nn on a
// CSV file. train reads the file (target: --target, default the last
// column), splits it 75/25 by the seed (stratified for classification),
// standardizes with the training rows' statistics, trains, reports the test
// metrics and saves a checkpoint (--save) that predict and evaluate read
// back, standardization, class values and column names included (a file
// with a header is then read by name, in any column order). A run whose
// loss diverges reports it, saves nothing and exits 1.
#include "nabla/nn/train.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "common.hpp"
#include "model_spec.hpp"
#include "nabla/data/csv.hpp"
#include "nabla/nn/checkpoint.hpp"
#include "verb_util.hpp"

namespace nabla::cli {
namespace {

void print_epoch(const nn::EpochReport& e, long epochs, std::ostream& out) {
  out << "epoch " << std::setw(4) << e.epoch << "/" << epochs << "  train loss " << std::setprecision(6)
      << e.train_loss;
  if (!std::isnan(e.validation_loss))
    out << "  validation loss " << e.validation_loss << "  validation metric " << e.validation_metric;
  out << "  " << std::setprecision(3) << e.seconds << " s\n";
}

/// Layers whose gradient norm was flagged in any epoch; "not measured" when
/// no epoch has per-layer norms (the full-batch methods make none), so that
/// no verdict is given without a measurement.
std::string gradient_health(const nn::History& h) {
  const bool measured = std::any_of(h.epochs.begin(), h.epochs.end(),
                                    [](const nn::EpochReport& e) { return !e.gradients.empty(); });
  if (!measured) return "not measured";
  std::string flags;
  for (const nn::GradientFlag& g : h.gradient_flags)
    flags.append(flags.empty() ? "" : ", ")
        .append(g.layer)
        .append(g.vanishing ? " vanishing" : " exploding")
        .append(" (epoch ")
        .append(std::to_string(g.epoch))
        .append(")");
  return flags;
}

/// The report of the epoch whose parameters the model holds (the best one
/// after early stopping), or null when no epoch ran.
const nn::EpochReport* held_epoch(const nn::History& h) {
  for (const nn::EpochReport& e : h.epochs)
    if (e.epoch == h.best_epoch) return &e;
  return h.epochs.empty() ? nullptr : &h.epochs.back();
}

int run_train(const std::string& path, const Context& ctx) {
  const Options& o = ctx.options;
  if (!o.save_path.empty() && ctx.inputs > 1)
    throw UsageError("--save with " + std::to_string(ctx.inputs) +
                     " files: each would overwrite the model of the one before (train one file at a time)");
  std::error_code unknown;  // a save path that does not exist yet is no file of data
  if (!o.save_path.empty() && std::filesystem::equivalent(o.save_path, path, unknown))
    throw UsageError("--save " + o.save_path + " names the data file itself: the model would overwrite it");
  if (o.verbose && o.format() == Format::Json)
    throw UsageError("--verbose prints every epoch as text; it does not go with --json");
  Prepared p = prepare(path, o);
  nn::Model<double> model = make_model(p, o);
  nn::TrainOptions options = train_options(p, o);
  const bool json = o.format() == Format::Json;
  if (!json && o.verbose)
    options.callback = [&](const nn::EpochReport& e) {
      print_epoch(e, options.epochs, ctx.streams.out);
      return true;
    };
  options.progress = !json && !o.verbose;
  const nn::History history = nn::train(model, p.split.train.features, p.split.train.targets, options);
  const nn::Evaluation test = nn::evaluate(model, p.split.test.features, p.split.test.targets, options.loss);
  // A diverged run reports what happened, saves nothing and fails.
  const bool diverged = history.diverged || !model.parameters().values().allFinite();
  const bool save = !o.save_path.empty() && !diverged;
  if (save) nn::save_checkpoint(o.save_path, checkpoint_of(model, options.loss.kind, p));
  const bool classify = nn::is_classification(options.loss.kind);
  const std::string health = !diverged                           ? gradient_health(history)
                             : std::isfinite(history.final_loss) ? "the training diverged"
                                                                 : "not finite: the training diverged";
  const nn::EpochReport* held = held_epoch(history);
  const bool validated = held && !std::isnan(held->validation_loss);
  // epochs_run counts a full-batch method's iterations (it makes one report).
  const bool full_batch = !optim::is_first_order(options.optimizer.method);
  const long rounds = history.epochs_run;
  if (json) {
    Json j = {{"file", path},
              {"model", o.model},
              {"loss", nn::to_string(options.loss.kind)},
              {"optimizer", std::string(optim::name(options.optimizer.method))},
              {"train_rows", history.training_rows},
              {"validation_rows", history.validation_rows},
              {"test_rows", p.split.test.rows()},
              {full_batch ? "iterations" : "epochs", rounds},
              {"best_epoch", history.best_epoch},
              {"stop_reason", history.stop_reason},
              {"train_loss", json_number(history.final_loss)},
              {"test_loss", json_number(test.loss)},
              {"seconds_per_epoch", json_number(history.seconds_per_epoch)}};
    if (classify) {
      j["test_accuracy"] = json_number(test.accuracy);
    } else {
      j["test_mse"] = json_number(test.mse);
      j["test_r2"] = json_number(test.r2);
    }
    if (validated) {
      j["validation_loss"] = json_number(held->validation_loss);
      j[classify ? "validation_accuracy" : "validation_r2"] = json_number(held->validation_metric);
    }
    j["gradient_health"] = health.empty() ? "ok" : health;
    if (save) j["saved"] = o.save_path;
    j["diverged"] = diverged;
    print_json(j, ctx);
    return diverged ? kExitFailure : kExitOk;
  }
  std::ostream& out = ctx.streams.out;
  out << std::setprecision(6) << o.model << " on " << path << ": " << history.training_rows
      << " training rows, ";
  if (history.validation_rows > 0) out << history.validation_rows << " validation rows, ";
  out << p.split.test.rows() << " test rows, " << model.parameters().size() << " parameters\n";
  // A run that diverged in its first epoch completed none ("0 epochs (... in
  // epoch 1), 0 ms per epoch" read as if it had not started).
  if (rounds == 0)
    out << (full_batch ? "no iteration" : "no epoch") << " completed (" << history.stop_reason << ")";
  else
    out << rounds << (full_batch ? " iteration" : " epoch") << (rounds == 1 ? "" : "s") << " ("
        << history.stop_reason << "), " << std::setprecision(3) << 1e3 * history.seconds_per_epoch
        << (full_batch ? " ms per iteration (full batch)" : " ms per epoch");
  out << ", final training loss " << std::setprecision(6) << history.final_loss << "\n";
  if (validated)
    out << "validation loss " << held->validation_loss << ", validation " << (classify ? "accuracy " : "R^2 ")
        << held->validation_metric << "\n";
  if (classify)
    out << "test accuracy " << test.accuracy << ", test loss " << test.loss << "\n";
  else
    out << "test MSE " << test.mse << ", test R^2 " << test.r2 << "\n";
  out << "gradients: " << (health.empty() ? "healthy in every epoch" : health) << "\n";
  if (save) out << "saved " << o.save_path << "\n";
  if (!diverged) return kExitOk;
  ctx.streams.err << "nabla train: the training diverged (" << history.stop_reason << ")"
                  << (o.save_path.empty() ? "" : "; no model saved") << "\n";
  return kExitFailure;
}

/// The model file and the data file: the two positional arguments as given
/// (a name may hold ", "), else "MODEL, FILE" from a line of stdin.
std::pair<std::string, std::string> model_and_file(const std::string& input, const Context& ctx,
                                                   const char* verb) {
  const std::vector<std::string>& args = ctx.options.expressions;
  if (args.size() == 2) return {args[0], args[1]};
  if (args.size() > 2)
    throw UsageError(std::string(verb) + ": one model file and one data file, not " +
                     std::to_string(args.size()) + " files (nabla " + verb + " model.nbl data.csv)");
  const std::size_t comma = input.find(", ");
  if (comma == std::string::npos)
    throw UsageError(std::string(verb) + ": give the model file and the data file (nabla " + verb +
                     " model.nbl data.csv)");
  return {input.substr(0, comma), input.substr(comma + 2)};
}

int run_predict(const std::string& input, const Context& ctx) {
  const auto [model_path, data_path] = model_and_file(input, ctx, "predict");
  const nn::Checkpoint c = nn::load_checkpoint(model_path);
  const std::vector<double> predictions = predict_file(c, data_path, ctx.options);
  if (ctx.options.format() == Format::Json) {
    Json values = Json::array();
    for (double v : predictions) values.push_back(json_number(v));
    print_json({{"model", model_path}, {"file", data_path}, {"predictions", values}}, ctx);
    return kExitOk;
  }
  for (double v : predictions) ctx.streams.out << std::setprecision(10) << v << "\n";
  return kExitOk;
}

int run_evaluate(const std::string& input, const Context& ctx) {
  const auto [model_path, data_path] = model_and_file(input, ctx, "evaluate");
  const nn::Checkpoint c = nn::load_checkpoint(model_path);
  const Scored s = evaluate_file(c, data_path, ctx.options);
  const bool classify = nn::is_classification(c.loss);
  if (ctx.options.format() == Format::Json) {
    Json j = {{"model", model_path},
              {"file", data_path},
              {"rows", s.rows},
              {"loss", json_number(s.evaluation.loss)}};
    if (classify) {
      j["accuracy"] = json_number(s.evaluation.accuracy);
    } else {
      j["mse"] = json_number(s.evaluation.mse);
      j["r2"] = json_number(s.evaluation.r2);
    }
    print_json(j, ctx);
    return kExitOk;
  }
  ctx.streams.out << s.rows << " rows, loss " << s.evaluation.loss;
  if (classify)
    ctx.streams.out << ", accuracy " << s.evaluation.accuracy << "\n";
  else
    ctx.streams.out << ", MSE " << s.evaluation.mse << ", R^2 " << s.evaluation.r2 << "\n";
  return kExitOk;
}

}  // namespace

Verb train_verb() {
  Verb v;
  v.name = "train";
  v.summary = "Train a model on a CSV file (linear, logistic, MLP)";
  v.examples =
      "Examples:\n"
      "  nabla train data/breast_cancer.csv --model logistic --optimizer lbfgs --epochs 200\n"
      "  nabla train data/iris.csv --model mlp:16 --epochs 100 --lr 0.01 --save iris.nbl\n"
      "  nabla train data/diabetes.csv --model linear --loss mse --optimizer adam --lr 0.05 --json\n"
      "The target is the last column unless --target names another (by header or 0-based index).\n"
      "75/25 split by --seed, stratified for classification; features standardized on the training rows.";
  v.add_options = add_train_options;
  v.run = run_train;
  v.takes_wrt = v.takes_at = v.takes_code = false;
  v.inputs_name = "files";
  v.inputs_help = "CSV files to train on, one run each (default: one name per line of stdin)";
  v.input_noun = "CSV file";
  return v;
}

Verb predict_verb() {
  Verb v;
  v.name = "predict";
  v.summary = "Predictions of a saved model for the rows of a CSV file";
  v.examples =
      "Examples:\n"
      "  nabla predict iris.nbl data/iris.csv          one prediction per row (a class or a value)\n"
      "The file may hold the target column too: it is ignored, and its cells may be unknown (?, NA, empty).";
  v.add_options = add_data_options;
  v.run = run_predict;
  v.takes_wrt = v.takes_at = v.takes_code = false;
  v.join_arguments = true;
  v.inputs_name = "files";
  v.inputs_help = "A saved model (from train --save) and a CSV file";
  v.input_noun = "model and CSV file";
  return v;
}

Verb evaluate_verb() {
  Verb v;
  v.name = "evaluate";
  v.summary = "Loss and metrics of a saved model on a CSV file";
  v.examples =
      "Examples:\n"
      "  nabla evaluate iris.nbl data/iris.csv --json";
  v.add_options = add_data_options;
  v.run = run_evaluate;
  v.takes_wrt = v.takes_at = v.takes_code = false;
  v.join_arguments = true;
  v.inputs_name = "files";
  v.inputs_help = "A saved model (from train --save) and a CSV file";
  v.input_noun = "model and CSV file";
  return v;
}

}  // namespace nabla::cli
