// The training verbs' shared pieces (see model_spec.hpp).
#include "model_spec.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>

#include "nabla/data/csv.hpp"
#include "nabla/nn/metrics.hpp"
#include "nabla/optim/options.hpp"
#include "numbers.hpp"
#include "output.hpp"

namespace nabla::cli {
namespace {

/// The hidden widths of "mlp:128,64" (none for linear and logistic).
std::vector<Eigen::Index> hidden_widths(const std::string& model) {
  const std::size_t colon = model.find(':');
  const std::string kind = model.substr(0, colon);
  if (kind == "linear" || kind == "logistic") {
    if (colon != std::string::npos) throw UsageError("--model " + kind + " takes no widths");
    return {};
  }
  if (kind != "mlp") throw UsageError("--model: '" + kind + "' is not one of linear, logistic, mlp:WIDTHS");
  if (colon == std::string::npos) return {64};
  std::vector<std::string> entries;
  try {
    entries = split_list(model.substr(colon + 1), "--model");
  } catch (const ParseError& e) {  // the caret under the whole option, not the part after the colon
    throw ParseError(e.what(), model, colon + 1 + e.position());
  }
  std::vector<Eigen::Index> widths;
  for (const std::string& w : entries) {
    char* end = nullptr;
    const long v = std::strtol(w.c_str(), &end, 10);
    if (*end != '\0' || v < 1 || v > 1000000)
      throw UsageError("--model: '" + w + "' is not a width (1 to 1000000)");
    widths.push_back(v);
  }
  return widths;
}

/// Losses of one score per row against labels 0 and 1.
bool is_binary(nn::Loss loss) {
  return loss == nn::Loss::binary_cross_entropy || loss == nn::Loss::hinge ||
         loss == nn::Loss::squared_hinge || loss == nn::Loss::smoothed_zero_one;
}

bool is_logistic(const std::string& model) { return model.rfind("logistic", 0) == 0; }
bool is_linear(const std::string& model) { return model.rfind("linear", 0) == 0; }

/// The natural loss: MSE for linear, cross-entropy for logistic and for an
/// MLP on class labels, MSE otherwise.
nn::Loss default_loss(const Options& o, const Eigen::VectorXd& targets) {
  if (!o.loss.empty()) return nn::parse_loss(o.loss);
  if (is_linear(o.model)) return nn::Loss::mse;
  if (is_logistic(o.model) || data::is_categorical(targets)) return nn::Loss::cross_entropy;
  return nn::Loss::mse;
}

data::CsvOptions csv_options(const std::string& target, const std::string& header) {
  data::CsvOptions csv;
  csv.target = target;
  using Header = data::CsvOptions::Header;
  csv.header = header == "yes" ? Header::present : header == "no" ? Header::absent : Header::detect;
  return csv;
}

/// The rows of a file's text; a first line of names read as data says how
/// to read it as a header.
data::Dataset parse(const std::string& text, const std::string& path, const data::CsvOptions& csv) {
  std::istringstream in(text);
  try {
    return data::read_csv(in, csv, path);
  } catch (const ParseError& e) {
    const std::string message = e.what();
    if (message.find("not as a header)") == std::string::npos) throw;
    throw ParseError(message + "; --header yes reads it as one", e.input(), e.position(), e.line());
  }
}

data::Dataset read(const std::string& path, const std::string& target, const std::string& header) {
  return parse(data::read_text(path), path, csv_options(target, header));
}

/// Whether error a is further into a file than error b (by line, then by
/// character within the line).
bool further(const ParseError& a, const ParseError& b) {
  return a.line() != b.line() ? a.line() > b.line() : a.position() > b.position();
}

/// A file whose cells did not all read as numbers, read again with the
/// model's target column taken out and its missing cells ('?', NA, empty)
/// unknown targets: predict ignores them. The column is the model's target
/// by name, else by its position; nothing when neither reads, with
/// `furthest` the error of a reading that failed furthest into the file.
std::optional<data::Dataset> with_unknown_targets(const nn::Checkpoint& c, const std::string& text,
                                                  const std::string& path, data::CsvOptions csv,
                                                  std::optional<ParseError>& furthest) {
  csv.missing_targets = true;
  csv.no_target = false;
  const bool by_name = !c.target_name.empty() && !c.feature_names.empty();
  for (const bool name : {true, false}) {
    if (name && !by_name) continue;
    csv.target = name ? c.target_name : std::to_string(c.target_column >= 0 ? c.target_column : -1);
    try {
      data::Dataset ds = parse(text, path, csv);
      // By position only where names cannot match columns.
      if (ds.cols() == c.widths.front() && (name || !by_name || !ds.header)) return ds;
    } catch (const ParseError& e) {
      if (!furthest || further(e, *furthest)) furthest = e;
    } catch (const Error&) {
      // not this column
    }
  }
  return std::nullopt;
}

/// The columns of `ds` named `names`, in that order.
Eigen::MatrixXd columns_named(const data::Dataset& ds, const std::vector<std::string>& names) {
  Eigen::MatrixXd x(ds.rows(), static_cast<Eigen::Index>(names.size()));
  for (std::size_t k = 0; k < names.size(); ++k) {
    const auto it = std::find(ds.feature_names.begin(), ds.feature_names.end(), names[k]);
    if (it == ds.feature_names.end())
      throw UsageError("the file has no column '" + names[k] + "', which the model was trained on");
    x.col(static_cast<Eigen::Index>(k)) = ds.features.col(it - ds.feature_names.begin());
  }
  return x;
}

/// Column k of `ds` (read without a target) made its target.
void column_as_target(data::Dataset& ds, Eigen::Index k) {
  const Eigen::Index last = ds.cols() - 1;
  ds.targets = ds.features.col(k);
  ds.features.middleCols(k, last - k) = ds.features.rightCols(last - k).eval();
  ds.features.conservativeResize(Eigen::NoChange, last);
  const auto name = ds.feature_names.begin() + k;
  ds.target_name = ds.header ? *name : "y";
  ds.feature_names.erase(name);
  ds.target_column = k;
}

/// Whether a file's targets are scored (evaluate: each must be a number) or
/// ignored (predict: a missing one, such as '?', is an unknown target).
enum class Targets { scored, ignored };

/// A file's rows as the checkpoint's model reads them; the file is read
/// once (it may be a pipe). When the model remembers its training file's
/// header and this file has one, columns are matched by name: the target is
/// the column the model was trained to predict (--target, if given, must
/// name it), the features are taken in the model's order, and a column the
/// model does not know is an error. Otherwise by position: the target is
/// --target, or else, when the file has one more column than the model's
/// inputs, the column the model's target had in its training file (the last
/// for a checkpoint that does not say); with exactly as many, there is none.
data::Dataset read_for(const nn::Checkpoint& c, const std::string& path, const Options& o, Targets targets) {
  const std::string text = data::read_text(path);
  data::CsvOptions csv = csv_options(o.target, o.header);
  csv.no_target = o.target.empty();  // by name or position below
  csv.missing_targets = targets == Targets::ignored;
  data::Dataset ds;
  try {
    ds = parse(text, path, csv);
  } catch (const ParseError& first) {
    std::optional<data::Dataset> unknown;
    std::optional<ParseError> furthest;
    if (targets == Targets::ignored && o.target.empty())
      unknown = with_unknown_targets(c, text, path, csv, furthest);
    // A reading that got past the first error took its cell as an unknown
    // target and found a bad cell further on: that one is the error.
    if (!unknown && furthest && further(*furthest, first)) throw ParseError(*furthest);
    if (!unknown) throw;
    ds = std::move(*unknown);
  }
  if (c.feature_names.empty() || !ds.header) {
    if (o.target.empty() && ds.cols() == c.widths.front() + 1)
      column_as_target(ds, c.target_column >= 0 ? c.target_column : ds.cols() - 1);
    return ds;
  }
  if (!o.target.empty() && !c.target_name.empty() && ds.target_name != c.target_name)
    throw UsageError("the model was trained to predict '" + c.target_name + "', not '" + ds.target_name +
                     "'");
  if (o.target.empty()) {
    const auto it = std::find(ds.feature_names.begin(), ds.feature_names.end(), c.target_name);
    if (it != ds.feature_names.end()) {
      ds.targets = ds.features.col(it - ds.feature_names.begin());
      ds.target_name = c.target_name;
    }
  }
  for (const std::string& name : ds.feature_names)
    if (name != ds.target_name &&
        std::find(c.feature_names.begin(), c.feature_names.end(), name) == c.feature_names.end())
      throw UsageError("the file's column '" + name + "' is not one the model was trained on");
  ds.features = columns_named(ds, c.feature_names);
  ds.feature_names = c.feature_names;
  return ds;
}

/// A file's features as the checkpoint's model wants them (read_for has
/// taken the target column out), standardized as at training time.
Eigen::MatrixXd features_for(const nn::Checkpoint& c, const data::Dataset& ds) {
  const Eigen::Index inputs = c.widths.front();
  if (ds.cols() != inputs)
    throw UsageError("the file has " + std::to_string(ds.cols()) +
                     (ds.cols() == 1 ? " feature column" : " feature columns") + ", the model takes " +
                     std::to_string(inputs));
  return c.standardizer.empty() ? ds.features : c.standardizer.apply(ds.features);
}

/// A classification loss takes class labels: whole numbers (sklearn's
/// "Unknown label type: continuous" otherwise).
void require_class_labels(const Eigen::VectorXd& targets, nn::Loss loss) {
  for (Eigen::Index i = 0; i < targets.size(); ++i)
    if (targets[i] != std::floor(targets[i])) {
      std::ostringstream message;
      message << "train: " << nn::to_string(loss) << " is a classification loss, but the target of data row "
              << i + 1 << " is " << targets[i]
              << ", not a class label; for a regression use --model linear or --loss mse, mae or huber";
      throw UsageError(message.str());
    }
}

}  // namespace

Prepared prepare(const std::string& path, const Options& o) {
  if (o.patience > 0 && !(o.validation_fraction > 0))
    throw UsageError("--patience needs --validation (the rows whose loss it watches)");
  data::Dataset ds = read(path, o.target, o.header);
  if (ds.targets.size() != ds.rows()) throw UsageError("train: the file has no target column");
  if (ds.cols() == 0)
    throw UsageError("train: the file has no feature column, only the target '" + ds.target_name +
                     "' (a model needs at least one input)");
  if (!o.activation.empty() && hidden_widths(o.model).empty())
    throw UsageError("--activation is for the hidden layers of an mlp; --model " + o.model + " has none");
  Prepared p;
  p.loss = default_loss(o, ds.targets);
  const bool classify = nn::is_classification(p.loss);
  if (is_logistic(o.model) && !classify)
    throw UsageError(std::string("--model logistic needs a classification loss (bce, cross_entropy, hinge, "
                                 "squared_hinge, smoothed_01), not ")
                         .append(nn::to_string(p.loss))
                         .append("; for a regression use --model linear"));
  if (classify) require_class_labels(ds.targets, p.loss);
  if (classify) p.class_values = data::encode_labels(ds);
  if (classify && p.class_values.size() < 2)
    throw UsageError("train: the target has one class only; a classifier needs at least two");
  if (is_binary(p.loss) && p.class_values.size() > 2)
    throw UsageError(std::string("--loss ") + nn::to_string(p.loss) + " takes two classes; the target has " +
                     std::to_string(p.class_values.size()));
  if (!(o.test_fraction > 0 && o.test_fraction < 1)) throw UsageError("--test-fraction must be in (0, 1)");
  p.split = data::split(ds, o.test_fraction, o.seed, classify);
  p.standardizer = data::Standardizer::fit(p.split.train.features);
  p.split.train.features = p.standardizer.apply(p.split.train.features);
  p.split.test.features = p.standardizer.apply(p.split.test.features);
  return p;
}

nn::Checkpoint checkpoint_of(const nn::Model<double>& model, nn::Loss loss, const Prepared& p) {
  nn::Checkpoint c = nn::make_checkpoint(model, loss, p.standardizer, p.class_values);
  const data::Dataset& train = p.split.train;
  std::vector<std::string> names = train.feature_names;
  names.push_back(train.target_name);
  std::sort(names.begin(), names.end());
  if (train.header && std::adjacent_find(names.begin(), names.end()) == names.end()) {
    c.feature_names = train.feature_names;  // unique names only: a repeated one cannot be matched
    c.target_name = train.target_name;
  }
  c.target_column = train.target_column;
  return c;
}

nn::Model<double> make_model(const Prepared& p, const Options& o) {
  const Eigen::Index classes = static_cast<Eigen::Index>(p.class_values.size());
  const bool binary = is_binary(p.loss);
  const Eigen::Index outputs =
      nn::is_classification(p.loss) && !binary ? std::max<Eigen::Index>(classes, 2) : 1;
  std::vector<Eigen::Index> widths{p.split.train.cols()};
  for (Eigen::Index w : hidden_widths(o.model)) widths.push_back(w);
  widths.push_back(outputs);
  const nn::Activation activation = widths.size() > 2
                                        ? nn::parse_activation(o.activation.empty() ? "relu" : o.activation)
                                        : nn::Activation::identity;
  return nn::Model<double>(widths, activation, o.seed);
}

nn::TrainOptions train_options(const Prepared& p, const Options& o) {
  nn::TrainOptions t;
  t.optimizer.method = optim::method_from_name(o.optimizer);
  if (o.patience > 0 && !optim::is_first_order(t.optimizer.method))
    throw UsageError(std::string("--patience stops between epochs of mini-batch training; --optimizer ")
                         .append(optim::name(t.optimizer.method))
                         .append(" minimizes the full batch in one run (drop --patience, or choose gd, "
                                 "momentum, nesterov, adagrad, rmsprop, adam or adamw)"));
  const bool full_batch = !optim::is_first_order(t.optimizer.method);
  // A full-batch method takes no step size and no batches: the options would be silently without effect.
  if (full_batch && (!std::isnan(o.learning_rate) || o.batch_size > 0 || o.clip_norm > 0))
    throw UsageError(std::string(!std::isnan(o.learning_rate) ? "--lr"
                                 : o.batch_size > 0           ? "--batch-size"
                                                              : "--clip-norm")
                         .append(" has no effect with --optimizer ")
                         .append(optim::name(t.optimizer.method))
                         .append(", which minimizes the full batch with its own line search"));
  t.optimizer.learning_rate = std::isnan(o.learning_rate) ? 1e-3 : o.learning_rate;
  t.loss.kind = p.loss;
  t.epochs = o.epochs;
  // For a full-batch method --epochs is its iteration limit (the optimizer's own default is 1000).
  if (full_batch) t.optimizer.max_iterations = o.epochs;
  t.batch_size = o.batch_size > 0 ? o.batch_size : 32;
  t.seed = o.seed;
  t.threads = o.threads;
  t.weight_decay = o.weight_decay;
  t.optimizer.clip_norm = o.clip_norm;
  t.validation_fraction = o.validation_fraction;
  t.patience = o.patience;
  optim::validate(t.optimizer, 1);
  return t;
}

void add_train_options(CLI::App& app, Options& o) {
  app.add_option("--model", o.model, "linear, logistic, or mlp:WIDTHS (e.g. mlp:128,64); default mlp:64");
  app.add_option("--activation", o.activation, "relu, tanh, sigmoid, gelu, softplus (default relu)");
  app.add_option(
      "--loss", o.loss,
      "mse, mae, huber, bce, cross_entropy, hinge, squared_hinge, smoothed_01 (default: by model and data)");
  app.add_option("--optimizer", o.optimizer,
                 "gd, momentum, nesterov, adagrad, rmsprop, adam, adamw (per batch); lbfgs, bfgs, newton "
                 "(full batch, --epochs iterations)");
  app.add_option("--lr", o.learning_rate, "Learning rate (default 0.001)")->check(positive_real());
  app.add_option("--batch-size", o.batch_size, "Rows per mini-batch (default 32)")
      ->transform(positive_count());
  app.add_option("--epochs", o.epochs, "Epochs (default 50)")->transform(positive_count());
  app.add_option("--seed", o.seed, "Seed of the split, the initialization and the shuffles (default 0)")
      ->transform(non_negative_count());
  app.add_option("--threads", o.threads, "Threads for the matrix products (default 1)")
      ->check(CLI::Range(1, 256));
  app.add_option("--weight-decay", o.weight_decay, "L2 penalty (weight_decay/2)||W||^2 (default 0)")
      ->check(non_negative_real());
  app.add_option("--clip-norm", o.clip_norm,
                 "Rescale each batch's gradient to this norm when it is larger (default 0: off)")
      ->check(non_negative_real());
  app.add_option("--validation", o.validation_fraction,
                 "Fraction of training rows held out for early stopping");
  app.add_option(
         "--patience", o.patience,
         "Epochs without improvement before stopping (needs --validation and a per-batch --optimizer)")
      ->transform(non_negative_count());
  app.add_option("--test-fraction", o.test_fraction, "Fraction of rows in the test set (default 0.25)");
  add_data_options(app, o);
  app.add_option("--save", o.save_path, "Save the trained model (a checkpoint) to this file")
      ->check(file_name());
  app.add_flag("--verbose", o.verbose, "Print every epoch");
}

void add_data_options(CLI::App& app, Options& o) {
  app.add_option("--target", o.target, "The target column: a header name or a 0-based index (default: last)");
  app.add_option("--header", o.header,
                 "Whether the file's first line names the columns: auto (when none of its cells is a number; "
                 "the default), yes (also numeric names such as 2020), no")
      ->check(CLI::IsMember({"auto", "yes", "no"}));
}

std::vector<double> predict_file(const nn::Checkpoint& c, const std::string& path, const Options& o) {
  data::Dataset ds = read_for(c, path, o, Targets::ignored);
  const Eigen::MatrixXd x = features_for(c, ds);
  nn::Model<double> model = c.model<double>();
  const nn::Matrix<double> out = model.predict(x);
  std::vector<double> predictions;
  if (!nn::is_classification(c.loss)) {
    for (Eigen::Index i = 0; i < out.rows(); ++i) predictions.push_back(out(i, 0));
    return predictions;
  }
  // The classes as evaluate and the metrics count them: a row with a NaN
  // output has none (NaN), not the first class.
  const Eigen::VectorXd classes = nn::predicted_classes(out);
  for (const double label : classes) {
    if (std::isnan(label)) {
      predictions.push_back(label);
      continue;
    }
    const auto k = static_cast<std::size_t>(label);
    predictions.push_back(k < c.class_values.size() ? c.class_values[k] : label);
  }
  return predictions;
}

Scored evaluate_file(const nn::Checkpoint& c, const std::string& path, const Options& o) {
  data::Dataset ds = read_for(c, path, o, Targets::scored);
  const Eigen::Index inputs = c.widths.front();
  // by position, a file as wide as the model's inputs has no target (said
  // below); any other width than one more is not this model's file
  if (ds.targets.size() != ds.rows() && (!ds.header || c.feature_names.empty()) && ds.cols() != inputs &&
      ds.cols() != inputs + 1)
    throw UsageError("evaluate: the file has " + std::to_string(ds.cols()) + " columns; the model takes " +
                     std::to_string(inputs) + " features and its target, " + std::to_string(inputs + 1));
  if (ds.targets.size() != ds.rows())
    throw UsageError(c.target_name.empty()
                         ? std::string("evaluate: the file has no target column")
                         : "evaluate: the file has no column '" + c.target_name + "', the model's target");
  const Eigen::MatrixXd x = features_for(c, ds);
  Eigen::VectorXd y = ds.targets;
  if (nn::is_classification(c.loss)) {
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      const auto it = std::find(c.class_values.begin(), c.class_values.end(), y[i]);
      if (it == c.class_values.end())
        throw UsageError("evaluate: data row " + std::to_string(i + 1) + " (counted from 1" +
                         (ds.header ? ", after the header" : "") + ") has the class " + number(y[i]) +
                         (ds.header ? " in column '" + ds.target_name + "'" : "") +
                         ", which the model never saw (its classes: " + numbers(c.class_values) + ")");
      y[i] = static_cast<double>(it - c.class_values.begin());
    }
  }
  nn::Model<double> model = c.model<double>();
  nn::LossOptions loss;
  loss.kind = c.loss;
  return {static_cast<long>(ds.rows()), nn::evaluate(model, x, y, loss)};
}

}  // namespace nabla::cli
