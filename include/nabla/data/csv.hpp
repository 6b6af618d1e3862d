// The CSV loader of nabla::data: numeric tables with or without a header
// line, the delimiter detected (comma, semicolon, tab, bar, or runs of
// spaces), the target column chosen by name or index (default: the last).
// Also reads scikit-learn's bundled layout, whose first line is
// "rows,features,class names..." (data/breast_cancer.csv, iris.csv,
// wine_data.csv). Quoted fields follow RFC 4180 within a line (the
// delimiter inside quotes is text, a doubled quote is one quote). A
// missing or non-numeric cell is a ParseError naming its line and column,
// and so is a ragged row (the column where it runs over or short, and an
// unclosed quote when one is the likely cause); an unreadable file is an
// IoError.
#pragma once

#include <istream>
#include <string>

#include "nabla/data/dataset.hpp"

namespace nabla::data {

/// How to read a CSV file.
struct CsvOptions {
  /// 0: detect; ' ' means runs of spaces and tabs.
  char delimiter = 0;
  enum class Header { detect, present, absent };
  /// detect: a first line is a header when none of its cells is a number
  /// and one at least is a name, not a missing-value marker (empty, NA,
  /// N/A, NaN, null, None, ?, -); a first line that mixes numbers with
  /// other cells is data, and its bad cells are errors. `present` takes a
  /// header with numeric names ("x,2020,y"). `absent` reads every line as
  /// data, a first line that would fit scikit-learn's count line included.
  Header header = Header::detect;
  /// The target column: a header name, or a 0-based index ("-1" the last);
  /// empty means the last column; "none" means no target (features only),
  /// unless a column is named "none".
  std::string target;
  /// No target whatever `target` says: every column is a feature.
  bool no_target = false;
  /// A target cell that is missing (empty or a marker) reads as NaN instead
  /// of being an error: for rows whose target is unknown (predict). Feature
  /// cells stay strict.
  bool missing_targets = false;
};

/// Reads a CSV file. Throws IoError (cannot open), ParseError (a bad cell,
/// a ragged row: the message names line and column) or DomainError (an
/// unknown target column).
Dataset read_csv(const std::string& path, const CsvOptions& options = {});

/// The text of a file, read once (it may be a pipe), for read_csv on a
/// stream more than once. Throws IoError as read_csv does, and for a file
/// that is gzip-compressed or holds a NUL byte (binary, not text).
std::string read_text(const std::string& path);

/// The same from a stream; `source` names it in messages.
Dataset read_csv(std::istream& in, const CsvOptions& options = {}, const std::string& source = "<input>");

}  // namespace nabla::data
