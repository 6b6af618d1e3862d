// The one exception family of nabla, rooted at nabla::Error. An optimizer that
// does not converge is not an exception (its Result says why it stopped); these
// are for input that cannot be processed at all.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace nabla {

/// Base of every exception nabla throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Text that cannot be parsed; carries the 0-based position and a caret line.
class ParseError : public Error {
 public:
  /// `line`: the 1-based line of a file that `input` is (0: not a file's line).
  ParseError(const std::string& message, std::string input, std::size_t position, std::size_t line = 0);
  std::size_t position() const noexcept { return position_; }
  std::size_t line() const noexcept { return line_; }
  const std::string& input() const noexcept { return input_; }
  /// The input with a caret under the offending position, two lines; a
  /// control or non-ASCII byte of the input is shown as a space.
  std::string caret() const;

 private:
  std::string input_;
  std::size_t position_;
  std::size_t line_;
};

/// A request outside the domain of an operation (a zero direction, a log of a
/// negative number where a value is required, ...).
class DomainError : public Error {
 public:
  using Error::Error;
};

/// Sizes that do not fit together (empty vectors, mismatched lengths, ...).
class DimensionError : public Error {
 public:
  using Error::Error;
};

/// A file or stream that cannot be read or written.
class IoError : public Error {
 public:
  using Error::Error;
};

/// An output file that cannot be written (a full disk, a missing folder):
/// a failure of the run, where an IoError may also be a bad input's.
class WriteError : public IoError {
 public:
  using IoError::IoError;
};

/// Throws DimensionError with `what` when `condition` is false. Takes a
/// C string so that a check that passes builds no message.
inline void require_dimension(bool condition, const char* what) {
  if (!condition) [[unlikely]]
    throw DimensionError(what);
}
/// The same with a composed message (built by the caller even when the
/// check passes: keep it off hot paths).
inline void require_dimension(bool condition, const std::string& what) {
  if (!condition) [[unlikely]]
    throw DimensionError(what);
}

}  // namespace nabla
