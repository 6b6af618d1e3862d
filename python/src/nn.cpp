// nabla.nn's engine: a model of nabla::nn (widths, activation, loss) trained
// on NumPy arrays by nn::train, with predict, evaluate, checkpoints (their
// standardization applied to inputs) and the per-epoch history. Labels of a
// classification loss are 0..k-1.
#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "nabla/nn/checkpoint.hpp"
#include "nabla/nn/train.hpp"

namespace nabla::python {
namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// A model, the loss it is trained with, and the standardization of its
/// inputs (fitted by `nabla train` and kept in its checkpoint; empty for a
/// model trained here, which takes features as given).
struct PyModel {
  nn::Model<double> model;
  nn::LossOptions loss;
  data::Standardizer standardizer;

  Eigen::MatrixXd input(const Eigen::MatrixXd& x) const {
    return standardizer.empty() ? x : standardizer.apply(x);
  }
};

py::dict epoch_dict(const nn::EpochReport& e) {
  py::list gradients;
  for (const nn::LayerGradient& g : e.gradients)
    gradients.append(py::dict(py::arg("layer") = g.layer, py::arg("norm") = g.norm,
                              py::arg("vanishing") = g.vanishing, py::arg("exploding") = g.exploding));
  return py::dict(py::arg("epoch") = e.epoch, py::arg("train_loss") = e.train_loss,
                  py::arg("validation_loss") = e.validation_loss,
                  py::arg("validation_metric") = e.validation_metric, py::arg("seconds") = e.seconds,
                  py::arg("gradients") = gradients);
}

py::dict train(PyModel& m, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
               const optim::Options& optimizer, long epochs, Eigen::Index batch_size, std::uint64_t seed,
               double weight_decay, double validation, int patience, int threads) {
  nn::TrainOptions t;
  t.optimizer = optimizer;
  t.loss = m.loss;
  t.epochs = epochs;
  t.batch_size = batch_size;
  t.seed = seed;
  t.weight_decay = weight_decay;
  t.validation_fraction = validation;
  t.patience = patience;
  t.threads = threads;
  t.progress = false;
  t.callback = interruptible<nn::EpochReport>({});
  const nn::History h = nn::train(m.model, m.input(x), y, t);
  py::list epochs_out;
  for (const nn::EpochReport& e : h.epochs) epochs_out.append(epoch_dict(e));
  py::list flags;
  for (const nn::GradientFlag& g : h.gradient_flags)
    flags.append(py::dict(py::arg("layer") = g.layer, py::arg("vanishing") = g.vanishing,
                          py::arg("exploding") = !g.vanishing, py::arg("epoch") = g.epoch));
  // As `nabla train`: a run diverged when nn::train says so or its parameters
  // are not all finite; the parameters are then not a model.
  const bool diverged = h.diverged || !m.model.parameters().values().allFinite();
  return py::dict(py::arg("epochs") = epochs_out, py::arg("epochs_run") = h.epochs_run,
                  py::arg("best_epoch") = h.best_epoch, py::arg("stopped_early") = h.stopped_early,
                  py::arg("diverged") = diverged, py::arg("initial_loss") = h.initial_loss,
                  py::arg("seconds_per_epoch") = h.seconds_per_epoch, py::arg("final_loss") = h.final_loss,
                  py::arg("stop_reason") = h.stop_reason, py::arg("gradient_flags") = flags);
}

}  // namespace

void bind_nn(py::module_& m) {
  py::class_<PyModel>(m, "NnModel", "A model of nabla::nn and its loss.")
      .def(py::init([](const std::vector<Eigen::Index>& widths, const std::string& activation,
                       const std::string& loss, std::uint64_t seed) {
             nn::LossOptions l;
             l.kind = nn::parse_loss(loss);
             return PyModel{nn::Model<double>(widths, nn::parse_activation(activation), seed), l, {}};
           }),
           py::arg("widths").noconvert(), py::arg("activation"), py::arg("loss"), py::arg("seed").noconvert())
      .def_property_readonly("widths", [](const PyModel& p) { return p.model.widths(); })
      .def_property_readonly("parameters", [](const PyModel& p) { return p.model.parameters().size(); })
      .def_property_readonly("loss", [](const PyModel& p) { return std::string(nn::to_string(p.loss.kind)); })
      .def_property_readonly(
          "activation", [](const PyModel& p) { return std::string(nn::to_string(p.model.activation())); })
      .def_property_readonly("classifies",
                             [](const PyModel& p) { return nn::is_classification(p.loss.kind); })
      .def("train", &train, py::arg("x"), py::arg("y"), py::arg("optimizer"), py::arg("epochs").noconvert(),
           py::arg("batch_size").noconvert(), py::arg("seed").noconvert(), py::arg("weight_decay"),
           py::arg("validation"), py::arg("patience").noconvert(), py::arg("threads").noconvert())
      .def(
          "outputs", [](PyModel& p, const RowMatrix& x) { return RowMatrix(p.model.predict(p.input(x))); },
          py::arg("x"))
      .def(
          "evaluate",
          [](PyModel& p, const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
            const nn::Evaluation e = nn::evaluate(p.model, p.input(x), y, p.loss);
            return py::dict(py::arg("loss") = e.loss, py::arg("accuracy") = e.accuracy,
                            py::arg("mse") = e.mse, py::arg("r2") = e.r2);
          },
          py::arg("x"), py::arg("y"))
      .def(
          "feature_importance",
          [](PyModel& p, const Eigen::MatrixXd& x) { return nn::feature_importance(p.model, p.input(x)); },
          py::arg("x"))
      .def(
          "save",
          [](const PyModel& p, const std::string& path, std::vector<double> class_values) {
            nn::save_checkpoint(
                path, nn::make_checkpoint(p.model, p.loss.kind, p.standardizer, std::move(class_values)));
          },
          py::arg("path"), py::arg("class_values"));
  m.def(
      "nn_load",
      [](const std::string& path) {
        const nn::Checkpoint c = nn::load_checkpoint(path);
        nn::LossOptions l;
        l.kind = c.loss;
        return py::make_tuple(PyModel{c.model<double>(), l, c.standardizer}, c.class_values);
      },
      py::arg("path"));
}

}  // namespace nabla::python
