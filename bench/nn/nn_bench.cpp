// nabla side of bench/nn (see README.md). `nn_bench prepare WORK DATA_DIR`
// writes the benchmark's data as raw float32 matrices into WORK: digits
// (stratified 75/25 split, seed 0, standardized on the training rows) and an
// MNIST-shaped synthetic set (60,000 + 10,000 rows of 784 "pixels" in [0, 1]
// around ten seeded, overlapping prototypes, 10% of the labels random). `nn_bench train WORK TASK THREADS
// EPOCHS BATCH METHOD LR WIDTHS` trains an MLP on them in float and prints one JSON line; torch_bench.py does
// the same with PyTorch on the same files.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "nabla/data/csv.hpp"
#include "nabla/nn/metrics.hpp"
#include "nabla/nn/train.hpp"

namespace {

using nabla::nn::Matrix;

void write(const std::string& work, const std::string& name, const Eigen::MatrixXd& m) {
  const Matrix<float> f = m.cast<float>();
  std::ofstream(work + "/" + name + ".meta") << f.rows() << " " << f.cols() << "\n";
  std::ofstream(work + "/" + name + ".f32", std::ios::binary)
      .write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.size() * sizeof(float)));
}

Eigen::MatrixXd read(const std::string& work, const std::string& name) {
  long rows = 0, cols = 0;
  std::ifstream(work + "/" + name + ".meta") >> rows >> cols;
  Matrix<float> f(rows, cols);
  std::ifstream(work + "/" + name + ".f32", std::ios::binary)
      .read(reinterpret_cast<char*>(f.data()), static_cast<std::streamsize>(f.size() * sizeof(float)));
  return f.cast<double>();
}

void write_split(const std::string& work, const std::string& task, const nabla::data::Split& s) {
  write(work, task + "_xtrain", s.train.features);
  write(work, task + "_ytrain", s.train.targets);
  write(work, task + "_xtest", s.test.features);
  write(work, task + "_ytest", s.test.targets);
}

nabla::data::Dataset synthetic_mnist(long rows, std::mt19937_64& gen, const Eigen::MatrixXd& prototypes) {
  std::normal_distribution<double> noise(0.0, 0.5);
  std::uniform_int_distribution<int> label(0, 9);
  std::bernoulli_distribution flip(0.1);  // 10% of the labels are noise: no model reaches 100%
  nabla::data::Dataset d;
  d.features.resize(rows, 784);
  d.targets.resize(rows);
  for (long i = 0; i < rows; ++i) {
    const int c = label(gen);
    d.targets(i) = flip(gen) ? label(gen) : c;
    for (int j = 0; j < 784; ++j) d.features(i, j) = std::clamp(prototypes(c, j) + noise(gen), 0.0, 1.0);
  }
  return d;
}

void prepare(const std::string& work, const std::string& data_dir) {
  nabla::data::Split digits =
      nabla::data::split(nabla::data::read_csv(data_dir + "/digits.csv"), 0.25, 0, true);
  const auto z = nabla::data::Standardizer::fit(digits.train.features);
  digits.train.features = z.apply(digits.train.features);
  digits.test.features = z.apply(digits.test.features);
  write_split(work, "digits", digits);
  std::mt19937_64 gen(0);
  std::bernoulli_distribution on(0.2);
  Eigen::MatrixXd prototypes(10, 784);
  // Prototypes share a common background so that classes overlap.
  Eigen::RowVectorXd background(784);
  for (long j = 0; j < 784; ++j) background(j) = on(gen) ? 0.5 : 0.0;
  for (long k = 0; k < prototypes.size(); ++k) prototypes.data()[k] = on(gen) ? 0.3 : 0.0;
  prototypes.rowwise() += background;
  nabla::data::Split mnist{synthetic_mnist(60000, gen, prototypes), synthetic_mnist(10000, gen, prototypes)};
  write_split(work, "mnist", mnist);
}

std::vector<Eigen::Index> parse_widths(const std::string& text) {
  std::vector<Eigen::Index> widths;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t dash = std::min(text.find('-', start), text.size());
    widths.push_back(std::stol(text.substr(start, dash - start)));
    start = dash + 1;
  }
  return widths;
}

int train(char** argv) {
  const std::string work = argv[2], task = argv[3];
  const Eigen::MatrixXd xtr = read(work, task + "_xtrain"), ytr = read(work, task + "_ytrain");
  const Eigen::MatrixXd xte = read(work, task + "_xtest"), yte = read(work, task + "_ytest");
  nabla::nn::TrainOptions o;
  o.threads = std::stoi(argv[4]);
  o.epochs = std::stol(argv[5]);
  o.batch_size = std::stol(argv[6]);
  o.optimizer.method =
      std::string(argv[7]) == "adam" ? nabla::optim::Method::Adam : nabla::optim::Method::GradientDescent;
  o.optimizer.learning_rate = std::stod(argv[8]);
  o.loss.kind = nabla::nn::Loss::cross_entropy;
  o.progress = false;
  o.diagnostics = false;
  nabla::nn::MLP<float> model(parse_widths(argv[9]), nabla::nn::Activation::relu, 0);
  const nabla::nn::History h = nabla::nn::train(model, xtr, ytr.col(0), o);
  std::vector<double> times;
  for (const auto& e : h.epochs) times.push_back(e.seconds);
  std::sort(times.begin(), times.end());
  const double acc = nabla::nn::accuracy(model.predict(xte.cast<float>()).cast<double>(), yte.col(0));
  std::printf(
      "{\"tool\": \"nabla\", \"task\": \"%s\", \"widths\": \"%s\", \"threads\": %d, \"epochs\": %ld, "
      "\"seconds_per_epoch\": %.6f, "
      "\"median_epoch\": %.6f, \"test_accuracy\": %.4f}\n",
      task.c_str(), argv[9], o.threads, o.epochs, h.seconds_per_epoch, times[times.size() / 2], acc);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "prepare") {
    prepare(argv[2], argv[3]);
    return 0;
  }
  if (argc == 10 && std::string(argv[1]) == "train") return train(argv);
  std::fprintf(stderr,
               "usage: nn_bench prepare WORK DATA_DIR\n"
               "       nn_bench train WORK TASK THREADS EPOCHS BATCH adam|sgd LR WIDTHS (e.g. 64-128-10)\n");
  return 2;
}
