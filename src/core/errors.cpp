// Out-of-line parts of the exception family: the caret rendering of ParseError.
#include "nabla/core/errors.hpp"

#include <algorithm>
#include <utility>

namespace nabla {

ParseError::ParseError(const std::string& message, std::string input, std::size_t position, std::size_t line)
    : Error(message), input_(std::move(input)), position_(std::min(position, input_.size())), line_(line) {}

std::string ParseError::caret() const {
  std::string line = input_;
  std::replace(line.begin(), line.end(), '\n', ' ');
  return line + "\n" + std::string(position_, ' ') + "^";
}

}  // namespace nabla
