// nabla::data: a table of numeric features with one target column, as read
// from a CSV file (data/csv.hpp), and what is done to it before training:
// standardization (population standard deviation, fitted on one set and
// applied to another), label encoding, and seeded splits (stratified by
// class for classification).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

namespace nabla::data {

/// Rows of features and their targets.
struct Dataset {
  Eigen::MatrixXd features;  ///< n x d
  Eigen::VectorXd targets;   ///< n (empty when the file has no target column)
  std::vector<std::string> feature_names;
  std::string target_name;
  /// The target's 0-based column in the file, among all its columns (-1: no target).
  Eigen::Index target_column = -1;
  bool header = false;  ///< whether the names come from a header line (else x0, x1, ... and y)
  std::vector<std::string> class_names;  ///< when the file names its classes

  Eigen::Index rows() const { return features.rows(); }
  Eigen::Index cols() const { return features.cols(); }
  /// The rows at `indices`, in that order.
  Dataset subset(const std::vector<Eigen::Index>& indices) const;
};

/// Per-feature shift and scale: x -> (x - mean) / scale, scale the
/// population standard deviation (1 for a constant feature, and for one
/// whose spread is within rounding of its mean: sd <= n eps |mean|).
struct Standardizer {
  Eigen::RowVectorXd mean, scale;

  /// Fitted to the columns of x (at least one row), to full precision
  /// whatever the columns' offset and magnitude. A NaN or infinite value is
  /// a DomainError naming its row and column (1-based), as a NaN cell is a
  /// ParseError in read_csv.
  static Standardizer fit(const Eigen::MatrixXd& x);
  Eigen::MatrixXd apply(const Eigen::MatrixXd& x) const;
  bool empty() const { return mean.size() == 0; }
};

/// Whether the targets look like class labels: all integers, at most
/// `max_classes` distinct values.
bool is_categorical(const Eigen::VectorXd& targets, int max_classes = 100);

/// The number of classes of labels 0..k-1 (k = max + 1); throws DomainError
/// when a target is not a non-negative integer.
int class_count(const Eigen::VectorXd& labels);

/// Replaces the distinct target values by 0..k-1 in increasing order and
/// returns the original values (the class of label j is values[j]).
std::vector<double> encode_labels(Dataset& dataset);

/// A training and a test set.
struct Split {
  Dataset train, test;
};

/// A seeded shuffle split: about `test_fraction` of the rows (at least one
/// in each part) go to the test set. With `stratify`, each class is split in
/// that proportion on its own (at least one row of each class with two or
/// more rows in each part).
Split split(const Dataset& dataset, double test_fraction, std::uint64_t seed, bool stratify);

/// A seeded permutation of 0..n-1 (Fisher-Yates on a 64-bit Mersenne
/// twister: the same on every platform).
std::vector<Eigen::Index> permutation(Eigen::Index n, std::uint64_t seed);

}  // namespace nabla::data
