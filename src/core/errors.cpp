// Out-of-line parts of the exception family: the caret rendering of ParseError.
#include "nabla/core/errors.hpp"

#include <algorithm>
#include <utility>

namespace nabla {

ParseError::ParseError(const std::string& message, std::string input, std::size_t position, std::size_t line)
    : Error(message), input_(std::move(input)), position_(std::min(position, input_.size())), line_(line) {}

std::string ParseError::caret() const {
  std::string line = input_;
  // one column per byte: a tab, a newline or a byte of a UTF-8 character
  // would move the text away from the caret
  for (char& ch : line)
    if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7f) ch = ' ';
  return line + "\n" + std::string(position_, ' ') + "^";
}

}  // namespace nabla
