// Subsets, standardization, label encoding and seeded splits of a Dataset
// (see data/dataset.hpp).
#include "nabla/data/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>

#include "nabla/core/errors.hpp"

namespace nabla::data {

namespace {

/// A dataset's targets are one per row, or none: anything else would make
/// row i's target someone else's (or memory past the end).
void require_targets_per_row(const Dataset& dataset, const char* where) {
  if (dataset.targets.size() != 0 && dataset.targets.size() != dataset.rows())
    throw DimensionError(std::string("data::") + where + ": " + std::to_string(dataset.rows()) +
                         " rows but " + std::to_string(dataset.targets.size()) + " targets");
}

}  // namespace

Dataset Dataset::subset(const std::vector<Eigen::Index>& indices) const {
  require_targets_per_row(*this, "Dataset::subset");
  for (Eigen::Index i : indices)
    if (i < 0 || i >= rows())
      throw DimensionError("data::Dataset::subset: row index " + std::to_string(i) + " is outside 0.." +
                           std::to_string(rows() - 1));
  Dataset out;
  out.features.resize(static_cast<Eigen::Index>(indices.size()), features.cols());
  if (targets.size() > 0) out.targets.resize(static_cast<Eigen::Index>(indices.size()));
  for (std::size_t k = 0; k < indices.size(); ++k) {
    const auto i = static_cast<Eigen::Index>(k);
    out.features.row(i) = features.row(indices[k]);
    if (targets.size() > 0) out.targets(i) = targets(indices[k]);
  }
  out.feature_names = feature_names;
  out.target_name = target_name;
  out.target_column = target_column;
  out.header = header;
  out.class_names = class_names;
  return out;
}

namespace {

/// The mean and population deviation of a column of finite values. The
/// values are first scaled by a power of two 2^-e that brings the largest
/// below 1 in magnitude: exact (no digits are lost, unlike dividing by the
/// largest value), and neither the sum nor the squares can overflow then
/// (values of 1e200 have squares of 1e400). Two passes, the mean and then
/// the squared deviations from it, with the deviations' own sum taken off
/// (the corrected two-pass formula): a large common offset (1e12 + {1, 2,
/// 3}) costs no digits of the spread, as it would in sum(x^2) - n mean^2.
/// A column whose spread is within rounding of its mean is constant (scale
/// 1), by scikit-learn's test: var <= n eps var + (n eps mean)^2; 0.1 with
/// one 0.09999999999999998 has a deviation of 1e-17, and dividing by it
/// made a new 0.1000001 a feature of 1e10.
void fit_column(const Eigen::VectorXd& x, double& mean, double& scale) {
  const double largest = x.cwiseAbs().maxCoeff();
  if (!(largest > 0)) {  // all zeros
    mean = 0;
    scale = 1;
    return;
  }
  int e = 0;
  std::frexp(largest, &e);  // largest = f 2^e with f in [0.5, 1)
  const Eigen::ArrayXd u = x.array().unaryExpr([e](double v) { return std::ldexp(v, -e); });
  const double n = double(u.size());
  const double m = u.sum() / n;
  const Eigen::ArrayXd d = u - m;
  const double variance = std::max(0.0, (d.square().sum() - d.sum() * d.sum() / n) / n);
  mean = std::ldexp(m, e);
  scale = std::ldexp(std::sqrt(variance), e);
  const double eps = std::numeric_limits<double>::epsilon();
  const bool constant = variance <= n * eps * variance + (n * eps * m) * (n * eps * m);
  if (constant || !(scale > 0)) scale = 1;
}

}  // namespace

Standardizer Standardizer::fit(const Eigen::MatrixXd& x) {
  require_dimension(x.rows() > 0, "data::Standardizer::fit: no rows");
  // A NaN would make its column's mean NaN or, through the largest |value|,
  // silently nothing: refused like a NaN cell in a CSV file, by its place.
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (!std::isfinite(x(i, j)))
        throw DomainError(std::string("data::Standardizer::fit: the value in row ")
                              .append(std::to_string(i + 1))
                              .append(", column ")
                              .append(std::to_string(j + 1))
                              .append(" is ")
                              .append(std::isnan(x(i, j)) ? "NaN" : "infinite")
                              .append(" (only finite values can be standardized)"));
  Standardizer s;
  s.mean.resize(x.cols());
  s.scale.resize(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) fit_column(x.col(j), s.mean(j), s.scale(j));
  return s;
}

Eigen::MatrixXd Standardizer::apply(const Eigen::MatrixXd& x) const {
  require_dimension(x.cols() == mean.size(), "data::Standardizer::apply: the data has " +
                                                 std::to_string(x.cols()) + " features, the standardizer " +
                                                 std::to_string(mean.size()));
  return (x.rowwise() - mean).array().rowwise() / scale.array();
}

bool is_categorical(const Eigen::VectorXd& targets, int max_classes) {
  std::set<double> values;
  for (double t : targets) {
    if (t != std::floor(t) || !std::isfinite(t)) return false;
    values.insert(t);
    if (static_cast<int>(values.size()) > max_classes) return false;
  }
  return !values.empty();
}

int class_count(const Eigen::VectorXd& labels) {
  double top = -1;
  for (Eigen::Index i = 0; i < labels.size(); ++i) {
    const double t = labels(i);
    if (!(t >= 0 && t == std::floor(t) && t < 1e6))
      throw DomainError("data: target " + std::to_string(t) + " in row " + std::to_string(i + 1) +
                        " is not a class label 0, 1, 2, ...");
    top = std::max(top, t);
  }
  return static_cast<int>(top) + 1;
}

std::vector<double> encode_labels(Dataset& dataset) {
  std::map<double, int> code;
  for (double t : dataset.targets) code.emplace(t, 0);
  std::vector<double> values;
  for (auto& [value, label] : code) {
    label = static_cast<int>(values.size());
    values.push_back(value);
  }
  for (double& t : dataset.targets) t = code.at(t);
  return values;
}

std::vector<Eigen::Index> permutation(Eigen::Index n, std::uint64_t seed) {
  std::vector<Eigen::Index> p(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) p[static_cast<std::size_t>(i)] = i;
  std::mt19937_64 gen(seed);
  for (std::size_t i = p.size(); i > 1; --i) {
    // A uniform index in [0, i) by rejection: no modulo bias.
    const std::uint64_t limit =
        std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % i;
    std::uint64_t r;
    do r = gen();
    while (r >= limit);
    std::swap(p[i - 1], p[r % i]);
  }
  return p;
}

Split split(const Dataset& dataset, double test_fraction, std::uint64_t seed, bool stratify) {
  const Eigen::Index n = dataset.rows();
  require_dimension(n >= 2, "data::split: needs at least two rows");
  require_targets_per_row(dataset, "split");
  require_dimension(!stratify || dataset.targets.size() == n,
                    "data::split: a stratified split needs a target per row (the dataset has no targets)");
  if (!(test_fraction > 0 && test_fraction < 1))
    throw DomainError("data::split: test_fraction must be in (0, 1)");
  std::vector<std::vector<Eigen::Index>> groups;
  if (stratify) {
    std::map<double, std::vector<Eigen::Index>> by_class;
    for (Eigen::Index i = 0; i < n; ++i) by_class[dataset.targets(i)].push_back(i);
    for (auto& [label, rows] : by_class) groups.push_back(std::move(rows));
  } else {
    groups.emplace_back();
    for (Eigen::Index i = 0; i < n; ++i) groups.back().push_back(i);
  }
  std::vector<Eigen::Index> train, test;
  std::uint64_t stream = 0;
  for (const auto& rows : groups) {
    const auto size = static_cast<Eigen::Index>(rows.size());
    auto take = static_cast<Eigen::Index>(std::llround(test_fraction * double(size)));
    if (size >= 2) take = std::clamp<Eigen::Index>(take, 1, size - 1);
    const std::vector<Eigen::Index> order = permutation(size, seed * 7919 + stream++);
    for (Eigen::Index k = 0; k < size; ++k)
      (k < take ? test : train).push_back(rows[static_cast<std::size_t>(order[static_cast<std::size_t>(k)])]);
  }
  require_dimension(!train.empty() && !test.empty(),
                    "data::split: too few rows for a training and a test set");
  std::sort(train.begin(), train.end());
  std::sort(test.begin(), test.end());
  return {dataset.subset(train), dataset.subset(test)};
}

}  // namespace nabla::data
